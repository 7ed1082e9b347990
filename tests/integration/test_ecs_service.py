"""ecs_service on the dev shape: idempotence at the API level, an image-tag change, the shutdown schedule, teardown.

The upstream layers (VPC, security groups, cluster, target groups, IAM, secrets, ECR) are created
here with boto3 and handed to the role as the facts docs/facts.md defines, so the test runs only
the ecs_service tag. Everything asserted is read back through the AWS API.
"""

from __future__ import annotations

import re

import pytest

PREFIX = "cloudplatform-dev"
CLUSTER = f"{PREFIX}-ecs-cluster"
SERVICES = ("ingest", "api", "worker")
ACCOUNT = "123456789012"
PLAYBOOK = "tests/integration/playbooks/ecs_service.yml"


@pytest.fixture(scope="module")
def upstream(aws):
    """The facts of the roles that run before ecs_service, backed by real emulator resources."""
    ec2 = aws("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.1{i}.0/24", AvailabilityZone=f"us-east-1{az}")["Subnet"]["SubnetId"]
               for i, az in enumerate("abc", start=1)]
    sg = ec2.create_security_group(GroupName=f"{PREFIX}-sg-app", Description="app", VpcId=vpc)["GroupId"]
    aws("ecs").create_cluster(clusterName=CLUSTER, capacityProviders=["FARGATE", "FARGATE_SPOT"])
    elb = aws("elbv2")
    target_groups = {
        name: elb.create_target_group(Name=f"{PREFIX}-tg-{name}", Protocol="HTTP", Port=port, VpcId=vpc,
                                      TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
        for name, port in (("ingest", 8080), ("api", 8000))
    }
    secrets = {name: f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:/dev/{name}-AbCdEf"
               for name in ("database_credentials", "redis_auth_token", "jwt_secret", "external_api_keys", "slack_webhook")}
    return {
        "ecs_cluster_resource": {"name": CLUSTER, "arn": f"arn:aws:ecs:us-east-1:{ACCOUNT}:cluster/{CLUSTER}"},
        "vpc_subnet_ids": {"public": [], "app": subnets, "data": []},
        "security_groups_service_ids": dict.fromkeys(SERVICES, sg),
        "secrets_arns": secrets,
        "iam_role_arns": {
            "task_execution": f"arn:aws:iam::{ACCOUNT}:role/{PREFIX}-role-task-execution",
            "services": {name: f"arn:aws:iam::{ACCOUNT}:role/{PREFIX}-role-{name}" for name in SERVICES},
        },
        "ecr_repository_urls": {name: f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/{name}" for name in SERVICES},
        "alb_resource": {"target_group_arns": target_groups},
        "_subnets": subnets,
        "_sg": sg,
    }


def facts(upstream, **extra):
    return {k: v for k, v in upstream.items() if not k.startswith("_")} | extra


@pytest.fixture(scope="module")
def converged(upstream, run_playbook):
    first = run_playbook(PLAYBOOK, "inventories/dev", extra_vars=facts(upstream))
    assert first.rc == 0, first.output[-4000:]
    second = run_playbook(PLAYBOOK, "inventories/dev", extra_vars=facts(upstream))
    return first, second


def describe(aws, names=SERVICES):
    result = aws("ecs").describe_services(cluster=CLUSTER, services=[f"{PREFIX}-{n}" for n in names], include=["TAGS"])
    return {s["serviceName"][len(PREFIX) + 1:]: s for s in result["services"]}


def test_services_match_the_dev_plan(converged, aws, upstream):
    services = describe(aws)
    assert set(services) == set(SERVICES)
    for service in services.values():
        assert service["status"] == "ACTIVE"
        assert service["desiredCount"] == 1
        assert service["capacityProviderStrategy"] == [{"capacityProvider": "FARGATE_SPOT", "weight": 1, "base": 0}]
        vpc = service["networkConfiguration"]["awsvpcConfiguration"]
        assert sorted(vpc["subnets"]) == sorted(upstream["_subnets"]) and vpc["assignPublicIp"] == "DISABLED"
        assert service["deploymentConfiguration"] == {
            "minimumHealthyPercent": 50, "maximumPercent": 200,
            "deploymentCircuitBreaker": {"enable": True, "rollback": True}}
        assert service["propagateTags"] == "SERVICE"
        assert service["enableExecuteCommand"] is True  # dev: ECS Exec on
        assert {t["key"]: t["value"] for t in service["tags"]}["Environment"] == "dev"
    assert services["worker"]["loadBalancers"] == []
    assert "healthCheckGracePeriodSeconds" not in services["worker"]
    assert services["api"]["healthCheckGracePeriodSeconds"] == 60
    assert services["api"]["loadBalancers"][0]["containerPort"] == 8000


def test_task_definition_is_hardened(converged, aws):
    ecs = aws("ecs")
    task = ecs.describe_task_definition(taskDefinition=f"{PREFIX}-api")["taskDefinition"]
    assert (task["cpu"], task["memory"], task["networkMode"]) == ("256", "512", "awsvpc")
    container = task["containerDefinitions"][0]
    assert container["image"].endswith("/api:latest")
    assert container["readonlyRootFilesystem"] is True
    assert container["logConfiguration"]["options"]["awslogs-group"] == "/ecs/cloudplatform-dev/api"
    assert sorted(s["name"] for s in container["secrets"]) == ["DATABASE_CREDENTIALS", "JWT_SECRET", "REDIS_AUTH_TOKEN"]
    assert all(s["valueFrom"].startswith("arn:aws:secretsmanager:") for s in container["secrets"])
    assert "/health/live" in " ".join(container["healthCheck"]["command"])
    group = aws("logs").describe_log_groups(logGroupNamePrefix="/ecs/cloudplatform-dev/api")["logGroups"][0]
    assert group["retentionInDays"] == 30


def test_second_converge_makes_no_write_call(converged):
    _, second = converged
    assert second.rc == 0, second.output[-3000:]
    assert "changed=0" in second.output
    assert second.writes == [], second.write_summary()
    assert any(c["service"] == "ecs" for c in second.calls), "the second converge did not even read ECS"


def test_dev_shutdown_schedule(converged, aws):
    aas = aws("application-autoscaling")
    for name in SERVICES:
        resource = f"service/{CLUSTER}/{PREFIX}-{name}"
        actions = {a["ScheduledActionName"]: a for a in aas.describe_scheduled_actions(
            ServiceNamespace="ecs", ResourceId=resource, ScalableDimension="ecs:service:DesiredCount")["ScheduledActions"]}
        stop = actions[f"{PREFIX}-{name}-night-stop"]
        start = actions[f"{PREFIX}-{name}-morning-start"]
        assert stop["Schedule"] == "cron(0 20 ? * MON-FRI *)"
        assert start["Schedule"] == "cron(0 8 ? * MON-FRI *)"
        assert stop["Timezone"] == start["Timezone"] == "America/New_York"
        assert stop["ScalableTargetAction"] == {"MinCapacity": 0, "MaxCapacity": 0}
        assert start["ScalableTargetAction"] == {"MinCapacity": 1, "MaxCapacity": 2}


def test_dev_scaling_policies(converged, aws):
    aas = aws("application-autoscaling")
    policies = aas.describe_scaling_policies(ServiceNamespace="ecs", ResourceId=f"service/{CLUSTER}/{PREFIX}-api")["ScalingPolicies"]
    targets = {p["TargetTrackingScalingPolicyConfiguration"]["PredefinedMetricSpecification"]["PredefinedMetricType"]:
               p["TargetTrackingScalingPolicyConfiguration"]["TargetValue"] for p in policies}
    assert targets == {"ECSServiceAverageCPUUtilization": 70.0, "ECSServiceAverageMemoryUtilization": 80.0}


def test_image_tag_change_touches_only_that_service(converged, aws, upstream, run_playbook):
    before = {n: s["taskDefinition"] for n, s in describe(aws).items()}
    run = run_playbook(PLAYBOOK, "inventories/dev",
                       extra_vars=facts(upstream, cloudplatform_service_overrides={"api": {"image_tag": "2.0.0"}}))
    assert run.rc == 0, run.output[-3000:]
    writes = [f"{c['service']}:{c['action']}" for c in run.writes]
    assert sorted(writes) == ["ecs:RegisterTaskDefinition", "ecs:UpdateService"], writes
    after = {n: s["taskDefinition"] for n, s in describe(aws).items()}
    assert after["ingest"] == before["ingest"] and after["worker"] == before["worker"]
    assert after["api"] != before["api"] and after["api"].endswith(f"{PREFIX}-api:2")
    task = aws("ecs").describe_task_definition(taskDefinition=after["api"])["taskDefinition"]
    assert task["containerDefinitions"][0]["image"].endswith("/api:2.0.0")


def test_check_mode_shows_drift_without_writing(converged, aws, upstream, run_playbook):
    aws("ecs").update_service(cluster=CLUSTER, service=f"{PREFIX}-ingest", healthCheckGracePeriodSeconds=5)
    run = run_playbook(PLAYBOOK, "inventories/dev", args=["--check", "--diff"],
                       extra_vars=facts(upstream, cloudplatform_service_overrides={"api": {"image_tag": "2.0.0"}}))
    assert run.rc == 0, run.output[-3000:]
    assert run.writes == [], run.write_summary()
    assert "changed=1" in run.output
    # The diff of the one services task names the drifted service and the value it would set back.
    diff = run.output[run.output.index("Register the changed task definitions and create or update the services"):]
    assert re.search(r"^-.*health_check_grace_period_seconds\W+5\b", diff, re.M), diff[:3000]
    assert re.search(r"^\+.*health_check_grace_period_seconds\W+60\b", diff, re.M), diff[:3000]
    assert describe(aws, ["ingest"])["ingest"]["healthCheckGracePeriodSeconds"] == 5


def test_teardown_removes_everything(converged, aws, upstream, run_playbook):
    run = run_playbook(PLAYBOOK, "inventories/dev", extra_vars=facts(upstream, cloudplatform_state="absent"))
    assert run.rc == 0, run.output[-3000:]
    assert all(s["status"] == "INACTIVE" for s in describe(aws).values())
    ecs = aws("ecs")
    for name in SERVICES:
        assert ecs.list_task_definitions(familyPrefix=f"{PREFIX}-{name}", status="ACTIVE")["taskDefinitionArns"] == []
    aas = aws("application-autoscaling")
    assert aas.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"] == []
    assert aas.describe_scheduled_actions(ServiceNamespace="ecs")["ScheduledActions"] == []
    assert aws("logs").describe_log_groups(logGroupNamePrefix="/ecs/cloudplatform-dev/")["logGroups"] == []
