"""cloudplatform.aws.elbv2_target_group_set against the emulator: create, no-op, change, check mode, fixed setting.

State is read back with boto3, never from the module's output.
"""

from __future__ import annotations

import pytest

PLAYBOOK = "tests/integration/playbooks/elbv2_target_group_set.yml"
INVENTORY = "inventories/local"
NAMES = ["tgs-api", "tgs-ingest"]


@pytest.fixture(scope="module")
def vpc_id(aws):
    return aws("ec2").create_vpc(CidrBlock="10.60.0.0/16")["Vpc"]["VpcId"]


@pytest.fixture(scope="module")
def created(run_playbook, vpc_id):
    first = run_playbook(PLAYBOOK, INVENTORY, {"tgs_vpc_id": vpc_id})
    assert first.rc == 0, first.output[-4000:]
    return first


def read_back(aws):
    elbv2 = aws("elbv2")
    groups = {g["TargetGroupName"]: g for g in elbv2.describe_target_groups(Names=NAMES)["TargetGroups"]}
    tags = {d["ResourceArn"]: {t["Key"]: t["Value"] for t in d["Tags"]}
            for d in elbv2.describe_tags(ResourceArns=[g["TargetGroupArn"] for g in groups.values()])["TagDescriptions"]}
    for group in groups.values():
        group["Tags"] = tags[group["TargetGroupArn"]]
        group["Attributes"] = {a["Key"]: a["Value"] for a in elbv2.describe_target_group_attributes(
            TargetGroupArn=group["TargetGroupArn"])["Attributes"]}
    return groups


def test_first_run_creates_both_groups(aws, created, vpc_id):
    groups = read_back(aws)
    api, ingest = groups["tgs-api"], groups["tgs-ingest"]
    assert (api["Protocol"], api["Port"], api["TargetType"], api["VpcId"]) == ("HTTP", 8000, "ip", vpc_id)
    assert (api["HealthCheckPath"], api["HealthCheckIntervalSeconds"], api["HealthyThresholdCount"]) == ("/health", 30, 2)
    assert api["Matcher"] == {"HttpCode": "200"} and api["Tags"] == {"Service": "api"}
    assert api["Attributes"]["deregistration_delay.timeout_seconds"] == "30"
    assert ingest["Port"] == 8080 and ingest["HealthCheckPath"] == "/ready" and ingest["Tags"] == {"Service": "ingest"}
    assert ingest["Attributes"]["deregistration_delay.timeout_seconds"] == "15"
    assert created.write_summary() == ["elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:ModifyTargetGroupAttributes"]
    assert created.changed == 1


def test_second_run_makes_no_write_call(run_playbook, created, vpc_id):
    second = run_playbook(PLAYBOOK, INVENTORY, {"tgs_vpc_id": vpc_id})
    assert second.rc == 0, second.output[-4000:]
    assert second.changed == 0
    assert second.writes == [], second.write_summary()
    reads = sorted(c["action"] for c in second.calls)
    assert reads == ["DescribeTags", "DescribeTargetGroupAttributes", "DescribeTargetGroupAttributes", "DescribeTargetGroups"]


def test_check_mode_reports_the_change_and_writes_nothing(run_playbook, created, vpc_id):
    check = run_playbook(PLAYBOOK, INVENTORY, {"tgs_vpc_id": vpc_id, "tgs_interval": 15}, ["--check", "--diff"])
    assert check.rc == 0, check.output[-4000:]
    assert check.changed == 1 and check.writes == [], check.write_summary()
    assert "target groups tgs-api" in check.output


def test_a_changed_interval_and_tag_are_applied(run_playbook, aws, created, vpc_id):
    change = run_playbook(PLAYBOOK, INVENTORY, {"tgs_vpc_id": vpc_id, "tgs_interval": 15, "tgs_extra_tags": {"Owner": "ops"}})
    assert change.rc == 0, change.output[-4000:]
    assert change.write_summary() == ["elasticloadbalancing:AddTags", "elasticloadbalancing:ModifyTargetGroup"]
    api = read_back(aws)["tgs-api"]
    assert api["HealthCheckIntervalSeconds"] == 15 and api["Tags"] == {"Service": "api", "Owner": "ops"}


def test_a_port_change_fails_naming_the_group_and_writes_nothing(run_playbook, created, vpc_id):
    refused = run_playbook(PLAYBOOK, INVENTORY, {"tgs_vpc_id": vpc_id, "tgs_api_port": 9000})
    assert refused.rc != 0 and refused.writes == [], refused.write_summary()
    assert "target_groups[0] (tgs-api).port: current 8000, wanted 9000" in refused.output
