"""cloudplatform.aws.application_autoscaling_target_set against the emulator: create, no-op, check mode, a change.

The emulator registers an ECS scalable target only for an existing service, so the cluster, a task
definition and the two services are created here with boto3, and the worker gets its target and a
queue-depth step policy the way ecs_queue_depth_scaling would set them: the set must leave that
policy alone. State is read back with boto3, "no write call" from the emulator's call log.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

PLAYBOOK = "tests/integration/playbooks/application_autoscaling_target_set.yml"
CLUSTER = "aas-set-test-cluster"
API = f"service/{CLUSTER}/aas-set-test-api"
WORKER = f"service/{CLUSTER}/aas-set-test-worker"
KEY = {"ServiceNamespace": "ecs", "ScalableDimension": "ecs:service:DesiredCount"}
NIGHT = "cron(0 20 ? * MON-FRI *)"
MORNING = "cron(0 7 ? * MON-FRI *)"


@pytest.fixture(scope="module")
def services(aws):
    ecs = aws("ecs")
    ecs.create_cluster(clusterName=CLUSTER)
    ecs.register_task_definition(family="aas-set-test", requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="256", memory="512",
                                 containerDefinitions=[{"name": "app", "image": "public.ecr.aws/docker/library/busybox:1.36"}])
    for resource_id in (API, WORKER):
        ecs.create_service(cluster=CLUSTER, serviceName=resource_id.rsplit("/", 1)[1], taskDefinition="aas-set-test", desiredCount=1)
    aas = aws("application-autoscaling")
    aas.register_scalable_target(ResourceId=WORKER, MinCapacity=2, MaxCapacity=20, **KEY)
    aas.put_scaling_policy(PolicyName="aas-set-test-worker-queue-depth", ResourceId=WORKER, PolicyType="StepScaling", **KEY,
                           StepScalingPolicyConfiguration={"AdjustmentType": "ChangeInCapacity", "Cooldown": 60,
                                                           "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 2}]})


def targets(api_max=4, worker_stop="present"):
    return [
        {"resource_id": API, "min_capacity": 1, "max_capacity": api_max,
         "policies": [{"name": "aas-set-test-api-cpu", "predefined_metric": "ECSServiceAverageCPUUtilization", "target_value": 70},
                      {"name": "aas-set-test-api-memory", "predefined_metric": "ECSServiceAverageMemoryUtilization", "target_value": 80}],
         "scheduled_actions": [
             {"name": "aas-set-test-api-stop", "schedule": NIGHT, "timezone": "America/New_York", "min_capacity": 0, "max_capacity": 0},
             {"name": "aas-set-test-api-start", "schedule": MORNING, "timezone": "America/New_York", "min_capacity": 1, "max_capacity": api_max},
         ]},
        {"resource_id": WORKER, "min_capacity": 2, "max_capacity": 20,
         "scheduled_actions": [{"name": "aas-set-test-worker-stop", "schedule": NIGHT, "min_capacity": 0, "max_capacity": 0,
                                "state": worker_stop}]},
    ]


def converge(run_playbook, *args, **options):
    run = run_playbook(PLAYBOOK, "inventories/local", {"aas_set_test_targets": targets(**options)}, list(args))
    assert run.rc == 0, run.output[-4000:]
    return run


def live(aws):
    aas = aws("application-autoscaling")
    found = {t["ResourceId"]: (t["MinCapacity"], t["MaxCapacity"]) for t in aas.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]}
    policies = {(p["ResourceId"], p["PolicyName"]): p for p in aas.describe_scaling_policies(ServiceNamespace="ecs")["ScalingPolicies"]}
    actions = {(a["ResourceId"], a["ScheduledActionName"]): a for a in aas.describe_scheduled_actions(ServiceNamespace="ecs")["ScheduledActions"]}
    return found, policies, actions


@pytest.fixture(scope="module")
def created(run_playbook, services):
    return converge(run_playbook)


def test_first_run_registers_the_target_before_its_policies_and_actions(aws, created):
    found, policies, actions = live(aws)
    assert found == {API: (1, 4), WORKER: (2, 20)}
    cpu = policies[(API, "aas-set-test-api-cpu")]
    assert cpu["PolicyType"] == "TargetTrackingScaling"
    assert cpu["TargetTrackingScalingPolicyConfiguration"]["TargetValue"] == 70.0
    assert policies[(API, "aas-set-test-api-memory")]["TargetTrackingScalingPolicyConfiguration"]["PredefinedMetricSpecification"] == {
        "PredefinedMetricType": "ECSServiceAverageMemoryUtilization"}
    assert policies[(WORKER, "aas-set-test-worker-queue-depth")]["PolicyType"] == "StepScaling"
    start = actions[(API, "aas-set-test-api-start")]
    assert (start["Schedule"], start["Timezone"], start["ScalableTargetAction"]) == (MORNING, "America/New_York", {"MinCapacity": 1, "MaxCapacity": 4})
    assert actions[(WORKER, "aas-set-test-worker-stop")]["Timezone"] == "UTC"
    order = [c["action"] for c in created.writes if c["service"] == "application-autoscaling"]
    assert order == ["RegisterScalableTarget", "PutScalingPolicy", "PutScalingPolicy", "PutScheduledAction", "PutScheduledAction",
                     "PutScheduledAction"]


def test_second_run_makes_no_write_call_and_batches_its_reads(run_playbook, created):
    second = converge(run_playbook)
    assert second.changed == 0
    assert second.writes == [], second.write_summary()
    reads = Counter(c["action"] for c in second.calls if c["service"] == "application-autoscaling")
    assert reads == {"DescribeScalableTargets": 1, "DescribeScheduledActions": 1, "DescribeScalingPolicies": 1}


def test_check_mode_reports_the_change_and_writes_nothing(run_playbook, aws, created):
    check = converge(run_playbook, "--check", "--diff", api_max=6, worker_stop="absent")
    assert check.changed == 1
    assert check.writes == [], check.write_summary()
    # The diff names what would change: the api's bounds and the worker's action.
    assert re.search(r"^\+\s+max_capacity: 6$", check.output, re.M), check.output[-3000:]
    assert re.search(r"^-\s+aas-set-test-worker-stop:$", check.output, re.M), check.output[-3000:]
    found, _, actions = live(aws)
    assert found[API] == (1, 4) and (WORKER, "aas-set-test-worker-stop") in actions


def test_a_change_is_applied_with_only_its_calls(run_playbook, aws, created):
    change = converge(run_playbook, api_max=6, worker_stop="absent")
    assert change.changed == 1
    assert [c["action"] for c in change.writes] == ["RegisterScalableTarget", "PutScheduledAction", "DeleteScheduledAction"]
    found, policies, actions = live(aws)
    assert found == {API: (1, 6), WORKER: (2, 20)}
    assert actions[(API, "aas-set-test-api-start")]["ScalableTargetAction"] == {"MinCapacity": 1, "MaxCapacity": 6}
    assert (WORKER, "aas-set-test-worker-stop") not in actions
    assert (WORKER, "aas-set-test-worker-queue-depth") in policies
