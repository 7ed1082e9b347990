"""Unit tests for ecs_fargate_service, ecs_taskdefinition_revision and application_autoscaling_target.

The comparison is what decides whether a converge writes, so it is tested on the shapes AWS returns
(botocore Stubber on the real ECS model for the write paths).
"""

from __future__ import annotations

import copy

import pytest
from _account_fakes import FakeModule, client
from botocore.stub import Stubber

from ansible_collections.cloudplatform.aws.plugins.module_utils.ecs_service import pending_updates, task_definition_differences
from ansible_collections.cloudplatform.aws.plugins.modules import application_autoscaling_target as target_module
from ansible_collections.cloudplatform.aws.plugins.modules import ecs_fargate_service as service_module
from ansible_collections.cloudplatform.aws.plugins.modules import ecs_taskdefinition_revision as td_module

CLUSTER = "cloudplatform-prod-ecs-cluster"
NAME = "cloudplatform-prod-api"
TD_ARN = "arn:aws:ecs:us-east-1:123456789012:task-definition/cloudplatform-prod-api:3"
TG_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/0123"


def service_params(**overrides):
    base = dict(name=NAME, cluster=CLUSTER, state="present", task_definition=TD_ARN, desired_count=2,
                preserve_desired_count=True,
                capacity_provider_strategy=[{"capacity_provider": "FARGATE", "weight": 1, "base": 0}],
                subnets=["subnet-b", "subnet-a"], security_groups=["sg-1"], assign_public_ip=False,
                load_balancers=[{"target_group_arn": TG_ARN, "container_name": "api", "container_port": "8000"}],
                minimum_healthy_percent=50, maximum_percent=200, circuit_breaker=True,
                health_check_grace_period_seconds=60, propagate_tags="SERVICE", enable_execute_command=False,
                wait=True, wait_timeout=600, tags={"Environment": "prod"}, purge_tags=True)
    return dict(base, **overrides)


def live_service(**overrides):
    service = {
        "serviceArn": f"arn:aws:ecs:us-east-1:123456789012:service/{CLUSTER}/{NAME}",
        "serviceName": NAME, "status": "ACTIVE", "taskDefinition": TD_ARN, "desiredCount": 5,
        "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1, "base": 0}],
        "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-a", "subnet-b"], "securityGroups": ["sg-1"],
                                                         "assignPublicIp": "DISABLED"}},
        "loadBalancers": [{"targetGroupArn": TG_ARN, "containerName": "api", "containerPort": 8000}],
        "deploymentConfiguration": {"minimumHealthyPercent": 50, "maximumPercent": 200,
                                    "deploymentCircuitBreaker": {"enable": True, "rollback": True}},
        "healthCheckGracePeriodSeconds": 60, "propagateTags": "SERVICE", "enableExecuteCommand": False,
        "tags": [{"key": "Environment", "value": "prod"}],
    }
    service.update(overrides)
    return service


def test_matching_service_has_no_pending_update():
    # Subnet order, a templated port string and a count moved by autoscaling are not differences.
    assert pending_updates(service_params(), live_service()) == {}


@pytest.mark.parametrize(("drift", "field"), [
    ({"taskDefinition": TD_ARN[:-1] + "2"}, "taskDefinition"),
    ({"healthCheckGracePeriodSeconds": None}, "healthCheckGracePeriodSeconds"),
    ({"deploymentConfiguration": {"minimumHealthyPercent": 100, "maximumPercent": 200}}, "deploymentConfiguration"),
    ({"capacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1}]}, "capacityProviderStrategy"),
    ({"enableExecuteCommand": True}, "enableExecuteCommand"),
    ({"loadBalancers": []}, "loadBalancers"),
])
def test_each_drift_is_one_pending_update(drift, field):
    assert list(pending_updates(service_params(), live_service(**drift))) == [field]


def test_desired_count_is_enforced_only_when_asked():
    assert pending_updates(service_params(preserve_desired_count=False), live_service()) == {"desiredCount": 2}


@pytest.mark.parametrize("check_mode", [False, True])
def test_strategy_change_updates_once_with_a_new_deployment(check_mode):
    ecs = client("ecs")
    drifted = live_service(capacityProviderStrategy=[{"capacityProvider": "FARGATE_SPOT", "weight": 1, "base": 0}])
    with Stubber(ecs) as stub:
        stub.add_response("describe_services", {"services": [drifted], "failures": []},
                          expected_params={"cluster": CLUSTER, "services": [NAME], "include": ["TAGS"]})
        if not check_mode:
            stub.add_response("update_service", {"service": live_service()}, expected_params={
                "cluster": CLUSTER, "service": NAME, "forceNewDeployment": True,
                "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1, "base": 0}]})
            stub.add_response("describe_services", {"services": [live_service()], "failures": []})
        result = service_module.ensure_present(FakeModule(service_params(), check_mode), ecs)
        stub.assert_no_pending_responses()
    assert result["changed"] is True and result["updated"] == ["capacityProviderStrategy"]


def test_absent_scales_to_zero_deletes_and_waits():
    ecs = client("ecs")
    with Stubber(ecs) as stub:
        stub.add_response("describe_services", {"services": [live_service()], "failures": []})
        stub.add_response("update_service", {"service": live_service(desiredCount=0)},
                          expected_params={"cluster": CLUSTER, "service": NAME, "desiredCount": 0})
        stub.add_response("delete_service", {"service": live_service(status="DRAINING")},
                          expected_params={"cluster": CLUSTER, "service": NAME})
        stub.add_response("describe_services", {"services": [live_service(status="INACTIVE")], "failures": []})
        stub.add_response("describe_services", {"services": [live_service(status="INACTIVE")], "failures": []})
        result = service_module.ensure_absent(FakeModule(service_params(state="absent")), ecs)
        stub.assert_no_pending_responses()
    assert result["changed"] is True


CONTAINER = {
    "name": "api", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.0", "essential": True,
    "readonlyRootFilesystem": True, "portMappings": [{"containerPort": 8000, "protocol": "tcp"}],
    "environment": [], "secrets": [{"name": "JWT_SECRET", "valueFrom": "arn:s:jwt"}, {"name": "DB", "valueFrom": "arn:s:db"}],
}
WANTED = {"family": "cloudplatform-prod-api", "cpu": "1024", "memory": "2048", "networkMode": "awsvpc",
          "requiresCompatibilities": ["FARGATE"], "executionRoleArn": "arn:exec", "taskRoleArn": "arn:task",
          "runtimePlatform": {"cpuArchitecture": "X86_64", "operatingSystemFamily": "LINUX"},
          "containerDefinitions": [CONTAINER]}


def described():
    """WANTED as DescribeTaskDefinition returns it: defaults filled in, lists reordered."""
    live = copy.deepcopy(WANTED)
    container = live["containerDefinitions"][0]
    container.update(cpu=0, mountPoints=[], volumesFrom=[], systemControls=[])
    container["portMappings"] = [{"containerPort": 8000, "hostPort": 8000, "protocol": "tcp"}]
    container["secrets"] = list(reversed(container["secrets"]))
    live.update(taskDefinitionArn=TD_ARN, revision=3, status="ACTIVE", volumes=[], placementConstraints=[],
                compatibilities=["EC2", "FARGATE"])
    return live


def test_described_revision_equals_the_request():
    assert task_definition_differences(WANTED, described()) == []


@pytest.mark.parametrize(("change", "field"), [
    ({"cpu": "2048"}, "cpu"),
    ({"taskRoleArn": "arn:other"}, "taskRoleArn"),
    ({"containerDefinitions": [dict(CONTAINER, image=CONTAINER["image"][:-3] + "2.0")]}, "containerDefinitions"),
    ({"containerDefinitions": [dict(CONTAINER, secrets=CONTAINER["secrets"][:1])]}, "containerDefinitions"),
])
def test_a_real_change_is_a_difference(change, field):
    assert task_definition_differences(dict(WANTED, **change), described()) == [field]


def td_params(**overrides):
    base = dict(family="cloudplatform-prod-api", state="present", container_definitions=[CONTAINER], cpu="1024",
                memory="2048", network_mode="awsvpc", requires_compatibilities=["FARGATE"], execution_role_arn="arn:exec",
                task_role_arn="arn:task", cpu_architecture="X86_64", tags=None, purge_tags=True)
    return dict(base, **overrides)


def expect_latest(stub, definition):
    stub.add_response("list_task_definitions", {"taskDefinitionArns": [TD_ARN]},
                      expected_params={"familyPrefix": "cloudplatform-prod-api", "status": "ACTIVE", "sort": "DESC"})
    stub.add_response("describe_task_definition", {"taskDefinition": definition, "tags": []},
                      expected_params={"taskDefinition": TD_ARN, "include": ["TAGS"]})


@pytest.mark.parametrize("check_mode", [False, True])
def test_identical_definition_registers_nothing(check_mode):
    ecs = client("ecs")
    with Stubber(ecs) as stub:
        expect_latest(stub, described())
        result = td_module.ensure_present(FakeModule(td_params(), check_mode), ecs)
        stub.assert_no_pending_responses()
    assert result["changed"] is False and result["task_definition"]["revision"] == 3


@pytest.mark.parametrize("check_mode", [False, True])
def test_new_image_registers_one_revision(check_mode):
    ecs = client("ecs")
    new = dict(CONTAINER, image=CONTAINER["image"][:-3] + "2.0")
    with Stubber(ecs) as stub:
        expect_latest(stub, described())
        if not check_mode:
            stub.add_response("register_task_definition",
                              {"taskDefinition": dict(described(), revision=4, containerDefinitions=[new])}, expected_params=None)
        result = td_module.ensure_present(FakeModule(td_params(container_definitions=[new]), check_mode), ecs)
        stub.assert_no_pending_responses()
    assert result["changed"] is True and result["differences"] == ["containerDefinitions"]


def target_params(**overrides):
    base = dict(service_namespace="ecs", resource_id=f"service/{CLUSTER}/{NAME}", scalable_dimension="ecs:service:DesiredCount",
                state="present", min_capacity=2, max_capacity=8,
                policies=[{"name": f"{NAME}-cpu", "predefined_metric": "ECSServiceAverageCPUUtilization", "target_value": 70,
                           "scale_in_cooldown": 300, "scale_out_cooldown": 60, "disable_scale_in": False}])
    return dict(base, **overrides)


def live_policy(target=70.0):
    return {"PolicyARN": "arn:aws:autoscaling:policy", "PolicyName": f"{NAME}-cpu", "ServiceNamespace": "ecs",
            "ResourceId": f"service/{CLUSTER}/{NAME}", "ScalableDimension": "ecs:service:DesiredCount",
            "PolicyType": "TargetTrackingScaling", "CreationTime": "2026-11-22T00:00:00Z",
            "TargetTrackingScalingPolicyConfiguration": {
                "TargetValue": target, "ScaleInCooldown": 300, "ScaleOutCooldown": 60,
                "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}}}


def live_target(min_capacity=2, max_capacity=8):
    return {"ServiceNamespace": "ecs", "ResourceId": f"service/{CLUSTER}/{NAME}", "ScalableDimension": "ecs:service:DesiredCount",
            "MinCapacity": min_capacity, "MaxCapacity": max_capacity, "RoleARN": "arn:role", "CreationTime": "2026-11-22T00:00:00Z"}


@pytest.mark.parametrize("check_mode", [False, True])
def test_converged_target_and_policy_make_no_write(check_mode):
    aas = client("application-autoscaling")
    with Stubber(aas) as stub:
        stub.add_response("describe_scalable_targets", {"ScalableTargets": [live_target()]})
        stub.add_response("describe_scaling_policies", {"ScalingPolicies": [live_policy()]})
        result = target_module.ensure_present(FakeModule(target_params(), check_mode), aas)
        stub.assert_no_pending_responses()
    assert result["changed"] is False


@pytest.mark.parametrize("check_mode", [False, True])
def test_drifted_bounds_and_target_are_put_back(check_mode):
    aas = client("application-autoscaling")
    with Stubber(aas) as stub:
        stub.add_response("describe_scalable_targets", {"ScalableTargets": [live_target(max_capacity=4)]})
        stub.add_response("describe_scaling_policies", {"ScalingPolicies": [live_policy(50.0)]})
        if not check_mode:
            stub.add_response("register_scalable_target", {}, expected_params={
                "ServiceNamespace": "ecs", "ResourceId": f"service/{CLUSTER}/{NAME}",
                "ScalableDimension": "ecs:service:DesiredCount", "MinCapacity": 2, "MaxCapacity": 8})
            stub.add_response("put_scaling_policy", {"PolicyARN": "arn:aws:autoscaling:policy"}, expected_params=None)
            stub.add_response("describe_scalable_targets", {"ScalableTargets": [live_target()]})
            stub.add_response("describe_scaling_policies", {"ScalingPolicies": [live_policy()]})
        result = target_module.ensure_present(FakeModule(target_params(), check_mode), aas)
        stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["scalable_target"]["max_capacity"] == 8


def test_latest_revision_is_the_highest_number_whatever_the_answer_order():
    ecs = client("ecs")
    arns = [TD_ARN[:-1] + str(n) for n in (1, 10, 2)] + ["arn:aws:ecs:us-east-1:123456789012:task-definition/cloudplatform-prod-api-v2:99"]
    with Stubber(ecs) as stub:
        stub.add_response("list_task_definitions", {"taskDefinitionArns": arns})
        assert td_module.list_task_definition_arns(ecs, "cloudplatform-prod-api") == [TD_ARN[:-1] + n for n in ("10", "2", "1")]


@pytest.mark.parametrize("check_mode", [False, True])
def test_missing_service_is_created_with_every_setting(check_mode):
    ecs = client("ecs")
    sent = {}
    ecs.meta.events.register("provide-client-params.ecs.CreateService", lambda params, **_: sent.update(params))
    with Stubber(ecs) as stub:
        stub.add_response("describe_services", {"services": [], "failures": [{"arn": NAME, "reason": "MISSING"}]})
        if not check_mode:
            stub.add_response("create_service", {"service": live_service()}, expected_params=None)
            stub.add_response("describe_services", {"services": [live_service()], "failures": []})
        result = service_module.ensure_present(FakeModule(service_params(), check_mode), ecs)
        stub.assert_no_pending_responses()
    assert result["changed"] is True
    if not check_mode:
        assert sent["desiredCount"] == 2 and sent["healthCheckGracePeriodSeconds"] == 60
        assert sent["deploymentConfiguration"]["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
        assert sent["networkConfiguration"]["awsvpcConfiguration"]["assignPublicIp"] == "DISABLED"
        assert len(sent["clientToken"]) <= 36
        assert "launchType" not in sent
