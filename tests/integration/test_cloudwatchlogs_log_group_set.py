"""cloudplatform.aws.cloudwatchlogs_log_group_set against the emulator, read back with boto3.

Four runs: create, converged (no write call), a retention and tag change, check mode. The KMS
key is set at creation; AssociateKmsKey/DisassociateKmsKey are not in the emulator (moto 5.2.5)
and are covered by the Stubber unit tests.
"""

from __future__ import annotations

import pytest

PLAYBOOK = "tests/integration/playbooks/cloudwatchlogs_log_group_set.yml"
INVENTORY = "inventories/local"
API = "/ecs/cloudplatform-it/api"
WORKER = "/ecs/cloudplatform-it/worker"
TAGS = {"Project": "cloudplatform", "Environment": "it", "Stale": "yes"}


@pytest.fixture(scope="module")
def key(aws) -> str:
    return aws("kms").create_key(Description="log group set test key")["KeyMetadata"]["Arn"]


def groups(key: str, api_retention: int = 30, api_tags: dict | None = None) -> list[dict]:
    return [
        {"name": API, "retention": api_retention, "kms_key_id": key, "tags": api_tags or TAGS},
        {"name": WORKER, "retention": 30, "kms_key_id": key, "tags": TAGS},
    ]


def live(aws) -> dict:
    logs = aws("logs")
    found = {g["logGroupName"]: g for g in logs.describe_log_groups(logGroupNamePrefix="/ecs/cloudplatform-it/")["logGroups"]}
    for group in found.values():
        group["tags"] = logs.list_tags_for_resource(resourceArn=group["arn"].removesuffix(":*"))["tags"]
    return found


@pytest.fixture(scope="module")
def converge(run_playbook, key):
    def _run(log_groups: list[dict], args: list[str] | None = None):
        result = run_playbook(PLAYBOOK, INVENTORY, extra_vars={"test_log_groups": log_groups}, args=args)
        assert result.rc == 0, result.output[-4000:]
        return result

    return _run


@pytest.fixture(scope="module")
def first(converge, key):
    return converge(groups(key))


def test_first_run_creates_the_groups(first, aws, key):
    found = live(aws)
    assert sorted(found) == [API, WORKER]
    for name in (API, WORKER):
        assert found[name]["retentionInDays"] == 30
        assert found[name]["kmsKeyId"] == key
        assert found[name]["tags"] == TAGS
    assert first.changed == 1
    assert first.write_summary() == ["logs:CreateLogGroup", "logs:PutRetentionPolicy"]


def test_second_run_makes_no_write(first, converge, key):
    result = converge(groups(key))
    assert result.changed == 0
    assert result.writes == []
    reads = sorted(f"{c['service']}:{c['action']}" for c in result.calls)
    assert reads == ["logs:DescribeLogGroups", "logs:ListTagsForResource", "logs:ListTagsForResource"]


def test_retention_and_tag_change_is_applied(first, converge, aws, key):
    wanted = {"Project": "cloudplatform", "Environment": "it", "Owner": "platform-team"}
    result = converge(groups(key, api_retention=14, api_tags=wanted))
    assert result.changed == 1
    assert result.write_summary() == ["logs:PutRetentionPolicy", "logs:TagResource", "logs:UntagResource"]
    found = live(aws)
    assert found[API]["retentionInDays"] == 14 and found[API]["tags"] == wanted
    assert found[WORKER]["retentionInDays"] == 30 and found[WORKER]["tags"] == TAGS


def test_check_mode_reports_without_writing(first, converge, aws, key):
    before = live(aws)
    result = converge([*groups(key, api_retention=60), {"name": "/ecs/cloudplatform-it/billing", "retention": 30}],
                      args=["--check", "--diff"])
    assert result.changed == 1
    assert result.writes == []
    assert "/ecs/cloudplatform-it/billing" in result.output
    assert live(aws) == before
