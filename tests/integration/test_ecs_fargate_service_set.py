"""cloudplatform.aws.ecs_fargate_service_set against the emulator: create, idempotence, a change, check mode, absent.

The module runs through tests/integration/playbooks/ecs_fargate_service_set.yml; the cluster, subnets
and security group are created here with boto3, and every state asserted is read back with boto3.
The tests of this module run in order on the same two services.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

PLAYBOOK = "tests/integration/playbooks/ecs_fargate_service_set.yml"
CLUSTER, API, WORKER = "ecs-set-test-cluster", "ecs-set-test-api", "ecs-set-test-worker"


@pytest.fixture(scope="module")
def network(aws):
    """What the playbook needs besides the module: a cluster with the Fargate providers, two subnets, a group."""
    aws("ecs").create_cluster(clusterName=CLUSTER, capacityProviders=["FARGATE", "FARGATE_SPOT"])
    ec2 = aws("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
    subnets = []
    for number, zone in ((1, "us-east-1a"), (2, "us-east-1b")):
        subnets.append(ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.8.{number}.0/24", AvailabilityZone=zone)["Subnet"]["SubnetId"])
    group_id = ec2.create_security_group(GroupName="ecs-set-test", Description="ecs set test", VpcId=vpc_id)["GroupId"]
    return {"ecs_fargate_service_set_test_cluster": CLUSTER, "ecs_fargate_service_set_test_subnets": subnets,
            "ecs_fargate_service_set_test_security_group": group_id}


@pytest.fixture(scope="module")
def converge(run_playbook, network):
    """Run the playbook with these extra vars; return the run and the services the module returned."""

    def _converge(*args, **extra):
        # JSON results put the debug message on one line, where the returned list can be cut out.
        run = run_playbook(PLAYBOOK, "inventories/local", extra_vars=network | extra, args=list(args),
                           env={"ANSIBLE_CALLBACK_RESULT_FORMAT": "json"})
        assert run.rc == 0, run.output[-3000:]
        message = json.loads(re.search(r'"msg": (".*")', run.output).group(1))
        return run, json.loads(message.removeprefix("SERVICES="))

    return _converge


@pytest.fixture(scope="module")
def first(converge):
    return converge()


def describe(aws):
    services = aws("ecs").describe_services(cluster=CLUSTER, services=[API, WORKER], include=["TAGS"])["services"]
    return {s["serviceName"]: dict(s, tags={t["key"]: t["value"] for t in s.get("tags", [])}) for s in services}


def task_definition(aws, family):
    return aws("ecs").describe_task_definition(taskDefinition=family, include=["TAGS"])


def test_first_run_registers_the_definitions_and_creates_the_services(first, aws, network):
    services = describe(aws)
    api, worker = services[API], services[WORKER]
    assert api["status"] == worker["status"] == "ACTIVE"
    assert api["taskDefinition"].endswith(":task-definition/ecs-set-test-api:1")
    assert worker["capacityProviderStrategy"] == [{"capacityProvider": "FARGATE_SPOT", "weight": 1, "base": 0}]
    assert sorted(api["networkConfiguration"]["awsvpcConfiguration"]["subnets"]) == sorted(network["ecs_fargate_service_set_test_subnets"])
    assert api["desiredCount"] == 1 and api["tags"] == {"Project": "cloudplatform", "Service": "api"}
    described = task_definition(aws, "ecs-set-test-api")
    assert described["taskDefinition"]["containerDefinitions"][0]["image"] == "public.ecr.aws/nginx/nginx:1.27"
    assert described["taskDefinition"]["taskRoleArn"].endswith(":role/ecs-set-test-api")
    assert described["tags"] == [{"key": "Project", "value": "cloudplatform"}]
    result = first[1]
    assert [s["name"] for s in result] == [API, WORKER] and all(s["changed"] for s in result)
    assert [s["service"]["service_arn"] for s in result] == [api["serviceArn"], worker["serviceArn"]]
    assert result[0]["task_definition"]["task_definition_arn"] == api["taskDefinition"]


def test_second_run_changes_nothing_with_one_read_per_ten_services_and_per_family(first, converge):
    second, _ = converge()
    assert second.changed == 0
    assert second.writes == [], second.write_summary()
    reads = Counter(c["action"] for c in second.calls if c["service"] == "ecs")
    assert reads == {"DescribeServices": 1, "DescribeTaskDefinition": 2}


def test_check_mode_plans_a_new_revision_without_writing(first, converge, aws):
    check, (api, worker) = converge("--check", "--diff", ecs_fargate_service_set_test_image_tag="1.28")
    assert check.changed == 1
    assert check.writes == [], check.write_summary()
    assert describe(aws)[API]["taskDefinition"].endswith("/ecs-set-test-api:1")
    assert api["changed"] is True and worker["changed"] is False
    assert api["task_definition"]["task_definition_arn"] is None
    assert api["service"]["task_definition"] == "ecs-set-test-api (revision registered on apply)"
    assert api["updated"] == ["taskDefinition"] and api["differences"] == ["containerDefinitions"]


def test_an_image_and_a_tag_change_are_applied(first, converge, aws):
    run, _ = converge(ecs_fargate_service_set_test_image_tag="1.28", ecs_fargate_service_set_test_owner="data")
    assert run.changed == 1
    assert sorted(f"{c['service']}:{c['action']}" for c in run.writes) == [
        "ecs:RegisterTaskDefinition", "ecs:TagResource", "ecs:UpdateService"]
    services = describe(aws)
    assert services[API]["taskDefinition"].endswith("/ecs-set-test-api:2")
    assert services[WORKER]["taskDefinition"].endswith("/ecs-set-test-worker:1")
    assert services[WORKER]["tags"]["Owner"] == "data"
    image = task_definition(aws, "ecs-set-test-api")["taskDefinition"]["containerDefinitions"][0]["image"]
    assert image == "public.ecr.aws/nginx/nginx:1.28"


def test_absent_deletes_the_services_and_deregisters_the_families(first, converge, aws):
    converge(ecs_fargate_service_set_test_state="absent")
    assert {s["status"] for s in describe(aws).values()} <= {"INACTIVE"}
    ecs = aws("ecs")
    for family in (API, WORKER):
        assert ecs.list_task_definitions(familyPrefix=family, status="ACTIVE")["taskDefinitionArns"] == []
