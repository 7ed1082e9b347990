"""cloudplatform.aws.application_autoscaling_target_set against a botocore Stubber on the real Application Auto Scaling model.

The Stubber fails on any call that was not queued, so a test that queues only reads proves that no
write was made, and the queue order proves the write order (target, policies, then actions).
"""

from __future__ import annotations

import datetime

import pytest
from _account_fakes import FailJson, FakeModule, client
from botocore.stub import Stubber

from ansible_collections.cloudplatform.aws.plugins.module_utils.app_autoscaling import AnsibleAppAutoScalingError
from ansible_collections.cloudplatform.aws.plugins.modules import application_autoscaling_target_set as module

CLUSTER = "cloudplatform-dev-ecs-cluster"
DIMENSION = "ecs:service:DesiredCount"
API = f"service/{CLUSTER}/cloudplatform-dev-api"
WORKER = f"service/{CLUSTER}/cloudplatform-dev-worker"
CREATED = datetime.datetime(2026, 11, 22, tzinfo=datetime.UTC)


def key(resource_id):
    return {"ServiceNamespace": "ecs", "ResourceId": resource_id, "ScalableDimension": DIMENSION}


def policy(name, metric="ECSServiceAverageCPUUtilization", target_value=70.0):
    return dict(name=name, predefined_metric=metric, target_value=target_value, scale_in_cooldown=300, scale_out_cooldown=60,
                disable_scale_in=False)


def action(name, state="present", **overrides):
    base = dict(name=name, state=state, schedule="cron(0 20 ? * MON-FRI *)" if state == "present" else None,
                timezone="America/New_York", start_time=None, end_time=None,
                min_capacity=0 if state == "present" else None, max_capacity=0 if state == "present" else None)
    return dict(base, **overrides)


def target(resource_id=API, **overrides):
    base = dict(service_namespace="ecs", scalable_dimension=DIMENSION, resource_id=resource_id, min_capacity=1, max_capacity=4,
                policies=[policy("api-cpu"), policy("api-memory", "ECSServiceAverageMemoryUtilization", 80.0)],
                scheduled_actions=[action("api-stop"), action("api-start", schedule="cron(0 7 ? * MON-FRI *)", min_capacity=1,
                                                              max_capacity=4)])
    return dict(base, **overrides)


def worker(**overrides):
    """The queue worker: bounds owned elsewhere, only its schedule is removed."""
    return dict(target(WORKER, min_capacity=None, max_capacity=None, policies=[],
                       scheduled_actions=[action("worker-stop", "absent"), action("worker-start", "absent")]), **overrides)


def live_target(resource_id=API, min_capacity=1, max_capacity=4):
    return dict(key(resource_id), MinCapacity=min_capacity, MaxCapacity=max_capacity, RoleARN="arn:aws:iam::123456789012:role/aas",
                CreationTime=CREATED)


def live_policy(name, resource_id=API, metric="ECSServiceAverageCPUUtilization", target_value=70.0, policy_type="TargetTrackingScaling"):
    configuration = {"TargetValue": target_value, "ScaleInCooldown": 300, "ScaleOutCooldown": 60,
                     "PredefinedMetricSpecification": {"PredefinedMetricType": metric}}
    found = dict(key(resource_id), PolicyARN=f"arn:aws:autoscaling:policy/{name}", PolicyName=name, PolicyType=policy_type,
                 CreationTime=CREATED)
    if policy_type == "TargetTrackingScaling":
        found["TargetTrackingScalingPolicyConfiguration"] = configuration
    else:
        found["StepScalingPolicyConfiguration"] = {"AdjustmentType": "ChangeInCapacity"}
    return found


def live_action(name, resource_id=API, schedule="cron(0 20 ? * MON-FRI *)", capacity=(0, 0), **overrides):
    found = dict(key(resource_id), ScheduledActionName=name, ScheduledActionARN=f"arn:aws:autoscaling:action/{name}",
                 Schedule=schedule, Timezone="America/New_York", CreationTime=CREATED,
                 ScalableTargetAction={"MinCapacity": capacity[0], "MaxCapacity": capacity[1]})
    return dict(found, **overrides)


API_POLICIES = [live_policy("api-cpu"), live_policy("api-memory", metric="ECSServiceAverageMemoryUtilization", target_value=80.0)]
API_ACTIONS = [live_action("api-stop"), live_action("api-start", schedule="cron(0 7 ? * MON-FRI *)", capacity=(1, 4))]


def params(*targets):
    return {"targets": list(targets) if targets else [target()]}


def read_targets(stub, found, resource_ids=(API,)):
    stub.add_response("describe_scalable_targets", {"ScalableTargets": found},
                      expected_params={"ServiceNamespace": "ecs", "ResourceIds": list(resource_ids)})


def read_actions(stub, found, names=("api-stop", "api-start")):
    stub.add_response("describe_scheduled_actions", {"ScheduledActions": found},
                      expected_params={"ServiceNamespace": "ecs", "ScheduledActionNames": list(names)})


def read_policies(stub, found, resource_id=API, names=("api-cpu", "api-memory")):
    stub.add_response("describe_scaling_policies", {"ScalingPolicies": found},
                      expected_params=dict(key(resource_id), PolicyNames=list(names)))


def read_api(stub, found_target=None, policies=API_POLICIES, actions=API_ACTIONS):
    """The batched reads of the single api target: targets, actions, then its policies."""
    read_targets(stub, [found_target or live_target()])
    read_actions(stub, actions)
    read_policies(stub, policies)


def expect_put_policy(stub, name, metric, target_value, resource_id=API):
    stub.add_response("put_scaling_policy", {"PolicyARN": f"arn:aws:autoscaling:policy/{name}"}, expected_params=dict(
        key(resource_id), PolicyName=name, PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={"TargetValue": target_value, "ScaleInCooldown": 300, "ScaleOutCooldown": 60,
                                                  "DisableScaleIn": False,
                                                  "PredefinedMetricSpecification": {"PredefinedMetricType": metric}}))


def expect_put_action(stub, name, schedule, capacity, resource_id=API, **extra):
    stub.add_response("put_scheduled_action", {}, expected_params=dict(
        key(resource_id), ScheduledActionName=name, Schedule=schedule, Timezone="America/New_York",
        ScalableTargetAction={"MinCapacity": capacity[0], "MaxCapacity": capacity[1]}, **extra))


def converge(module_params, check_mode=False, queue=None):
    aas = client("application-autoscaling")
    with Stubber(aas) as stub:
        queue(stub)
        result = module.run(FakeModule(module_params, check_mode), aas)
        stub.assert_no_pending_responses()
    return result


@pytest.mark.parametrize("check_mode", [False, True])
def test_converged_set_reads_in_batches_and_writes_nothing(check_mode):
    def queue(stub):
        read_targets(stub, [live_target(WORKER, 2, 20), live_target()], resource_ids=(API, WORKER))
        read_actions(stub, API_ACTIONS, names=("api-stop", "api-start", "worker-stop", "worker-start"))
        read_policies(stub, API_POLICIES)

    result = converge(params(target(), worker()), check_mode, queue)
    assert result["changed"] is False
    assert result["diff"] == {"before": {}, "after": {}}
    assert [(t["resource_id"], t["changed"]) for t in result["targets"]] == [(API, False), (WORKER, False)]
    api, work = result["targets"]
    assert api["scalable_target"]["max_capacity"] == 4
    assert [p["policy_name"] for p in api["policies"]] == ["api-cpu", "api-memory"]
    assert [a["scheduled_action_name"] for a in api["scheduled_actions"]] == ["api-stop", "api-start"]
    assert api["scheduled_actions"][0]["creation_time"] == "2026-11-22T00:00:00+00:00"
    assert work["scalable_target"]["min_capacity"] == 2 and work["policies"] == [] and work["scheduled_actions"] == []


@pytest.mark.parametrize("check_mode", [False, True])
def test_missing_target_is_registered_before_its_policies_and_actions(check_mode):
    def queue(stub):
        read_targets(stub, [])
        read_actions(stub, [])
        if not check_mode:
            stub.add_response("register_scalable_target", {}, expected_params=dict(key(API), MinCapacity=1, MaxCapacity=4))
            expect_put_policy(stub, "api-cpu", "ECSServiceAverageCPUUtilization", 70.0)
            expect_put_policy(stub, "api-memory", "ECSServiceAverageMemoryUtilization", 80.0)
            expect_put_action(stub, "api-stop", "cron(0 20 ? * MON-FRI *)", (0, 0))
            expect_put_action(stub, "api-start", "cron(0 7 ? * MON-FRI *)", (1, 4))
            read_api(stub)

    result = converge(params(), check_mode, queue)
    assert result["changed"] is True and result["targets"][0]["changed"] is True
    assert result["diff"]["before"] == {API: {"scalable_target": {}, "policies": {}, "scheduled_actions": {}}}
    after = result["diff"]["after"][API]
    assert after["scalable_target"] == {"min_capacity": 1, "max_capacity": 4}
    assert after["policies"]["api-memory"]["target_value"] == 80.0
    assert after["scheduled_actions"]["api-start"] == {"schedule": "cron(0 7 ? * MON-FRI *)", "timezone": "America/New_York",
                                                       "scalable_target_action": {"min_capacity": 1, "max_capacity": 4}}
    assert result["targets"][0]["scalable_target"]["resource_id"] == API


@pytest.mark.parametrize("check_mode", [False, True])
def test_changed_bounds_re_register_only_the_target(check_mode):
    def queue(stub):
        read_api(stub, live_target(max_capacity=8))
        if not check_mode:
            stub.add_response("register_scalable_target", {}, expected_params=dict(key(API), MinCapacity=1, MaxCapacity=4))
            read_api(stub)

    result = converge(params(), check_mode, queue)
    assert result["changed"] is True
    assert result["diff"]["before"][API]["scalable_target"] == {"min_capacity": 1, "max_capacity": 8}
    assert result["diff"]["after"][API]["scalable_target"] == {"min_capacity": 1, "max_capacity": 4}
    assert result["targets"][0]["scalable_target"]["max_capacity"] == 4


def test_unset_bounds_are_not_touched():
    """Only max_capacity set: the live minimum is kept, RegisterScalableTarget carries the maximum alone."""
    def queue(stub):
        read_api(stub, live_target(min_capacity=2, max_capacity=8))
        stub.add_response("register_scalable_target", {}, expected_params=dict(key(API), MaxCapacity=4))
        read_api(stub, live_target(min_capacity=2, max_capacity=4))

    result = converge(params(target(min_capacity=None)), queue=queue)
    assert result["targets"][0]["scalable_target"]["min_capacity"] == 2


@pytest.mark.parametrize("check_mode", [False, True])
@pytest.mark.parametrize("drifted", [
    live_policy("api-cpu", target_value=50.0),
    live_policy("api-cpu", metric="ECSServiceAverageMemoryUtilization"),
    live_policy("api-cpu", policy_type="StepScaling"),
], ids=["target-value", "metric", "policy-type"])
def test_drifted_policy_is_put_back(check_mode, drifted):
    def queue(stub):
        read_api(stub, policies=[drifted, API_POLICIES[1]])
        if not check_mode:
            expect_put_policy(stub, "api-cpu", "ECSServiceAverageCPUUtilization", 70.0)
            read_api(stub)

    result = converge(params(), check_mode, queue)
    assert result["changed"] is True
    assert result["diff"]["after"][API]["policies"]["api-cpu"]["target_value"] == 70.0
    assert result["diff"]["before"][API]["policies"]["api-memory"] == result["diff"]["after"][API]["policies"]["api-memory"]


@pytest.mark.parametrize("check_mode", [False, True])
@pytest.mark.parametrize("drifted", [
    live_action("api-stop", schedule="cron(0 22 ? * MON-FRI *)"),
    live_action("api-stop", Timezone="UTC"),
    live_action("api-stop", capacity=(1, 1)),
], ids=["schedule", "timezone", "capacity"])
def test_drifted_scheduled_action_is_put_back(check_mode, drifted):
    def queue(stub):
        read_api(stub, actions=[drifted, API_ACTIONS[1]])
        if not check_mode:
            expect_put_action(stub, "api-stop", "cron(0 20 ? * MON-FRI *)", (0, 0))
            read_api(stub)

    result = converge(params(), check_mode, queue)
    assert result["changed"] is True
    assert result["diff"]["before"][API]["scheduled_actions"]["api-stop"] != result["diff"]["after"][API]["scheduled_actions"]["api-stop"]


def test_start_time_is_sent_in_utc_and_compared_in_utc():
    start = datetime.datetime(2026, 12, 1, 5, 0, tzinfo=datetime.UTC)
    spec = target(scheduled_actions=[action("api-stop", start_time="2026-12-01T00:00:00-05:00")])

    def queue(stub):
        read_targets(stub, [live_target()])
        read_actions(stub, [], names=("api-stop",))
        read_policies(stub, API_POLICIES)
        expect_put_action(stub, "api-stop", "cron(0 20 ? * MON-FRI *)", (0, 0), StartTime=start)
        read_targets(stub, [live_target()])
        read_actions(stub, [live_action("api-stop", StartTime=start)], names=("api-stop",))
        read_policies(stub, API_POLICIES)

    result = converge(params(spec), queue=queue)
    assert result["targets"][0]["scheduled_actions"][0]["start_time"] == "2026-12-01T05:00:00+00:00"

    def converged(stub):
        read_targets(stub, [live_target()])
        read_actions(stub, [live_action("api-stop", StartTime=start)], names=("api-stop",))
        read_policies(stub, API_POLICIES)

    assert converge(params(spec), queue=converged)["changed"] is False


@pytest.mark.parametrize("check_mode", [False, True])
def test_absent_actions_are_deleted_and_missing_ones_are_a_no_op(check_mode):
    def queue(stub):
        read_targets(stub, [live_target(WORKER, 2, 20)], resource_ids=(WORKER,))
        read_actions(stub, [live_action("worker-stop", WORKER)], names=("worker-stop", "worker-start"))
        if not check_mode:
            stub.add_response("delete_scheduled_action", {}, expected_params=dict(key(WORKER), ScheduledActionName="worker-stop"))
            read_targets(stub, [live_target(WORKER, 2, 20)], resource_ids=(WORKER,))
            read_actions(stub, [], names=("worker-stop", "worker-start"))

    result = converge(params(worker()), check_mode, queue)
    assert result["changed"] is True
    assert list(result["diff"]["before"][WORKER]["scheduled_actions"]) == ["worker-stop"]
    assert result["diff"]["after"][WORKER]["scheduled_actions"] == {}
    assert result["targets"][0]["scheduled_actions"] == []


def test_policies_and_actions_the_set_does_not_list_are_left_alone():
    """The queue-depth step policy of the worker and a same-named action of another target are never ours."""
    worker_target = target(WORKER, min_capacity=2, max_capacity=20, policies=[policy("worker-cpu")],
                           scheduled_actions=[action("worker-stop", schedule="cron(0 20 ? * MON-FRI *)")])

    def queue(stub):
        read_targets(stub, [live_target(WORKER, 2, 20)], resource_ids=(WORKER,))
        # An endpoint that ignores the name filter answers with more than was asked.
        read_actions(stub, [live_action("worker-stop", WORKER), live_action("worker-stop", API, capacity=(5, 5)),
                            live_action("worker-night", WORKER)], names=("worker-stop",))
        read_policies(stub, [live_policy("worker-cpu", WORKER), live_policy("worker-queue-depth", WORKER, policy_type="StepScaling"),
                             live_policy("worker-cpu", f"{WORKER}-v2", target_value=10.0)], resource_id=WORKER, names=("worker-cpu",))

    result = converge(params(worker_target), queue=queue)
    assert result["changed"] is False
    assert [p["policy_name"] for p in result["targets"][0]["policies"]] == ["worker-cpu"]
    assert result["targets"][0]["scheduled_actions"][0]["scalable_target_action"] == {"min_capacity": 0, "max_capacity": 0}


def test_resource_ids_and_action_names_are_read_fifty_a_call():
    services = [f"service/{CLUSTER}/svc-{n:02d}" for n in range(51)]
    specs = [target(rid, policies=[], scheduled_actions=[action(f"stop-{n:02d}")]) for n, rid in enumerate(services)]
    live_actions = [live_action(f"stop-{n:02d}", rid) for n, rid in enumerate(services)]

    def queue(stub):
        read_targets(stub, [live_target(rid) for rid in services[:50]], resource_ids=services[:50])
        read_targets(stub, [live_target(services[50])], resource_ids=services[50:])
        read_actions(stub, live_actions[:50], names=[f"stop-{n:02d}" for n in range(50)])
        read_actions(stub, live_actions[50:], names=["stop-50"])

    result = converge(params(*specs), queue=queue)
    assert result["changed"] is False and len(result["targets"]) == 51


def test_diff_keys_name_the_dimension_when_a_resource_has_several_targets():
    table = "table/cloudplatform-dev-audit"
    read_spec = dict(service_namespace="dynamodb", scalable_dimension="dynamodb:table:ReadCapacityUnits", resource_id=table,
                     min_capacity=1, max_capacity=10, policies=[], scheduled_actions=[])
    write_spec = dict(read_spec, scalable_dimension="dynamodb:table:WriteCapacityUnits", max_capacity=5)

    def queue(stub):
        stub.add_response("describe_scalable_targets", {"ScalableTargets": []},
                          expected_params={"ServiceNamespace": "dynamodb", "ResourceIds": [table]})

    result = converge(params(read_spec, write_spec), True, queue)
    assert sorted(result["diff"]["after"]) == [f"{table} dynamodb:table:ReadCapacityUnits", f"{table} dynamodb:table:WriteCapacityUnits"]


@pytest.mark.parametrize(("spec", "message"), [
    (target(min_capacity=5, max_capacity=2), r"targets\[0\].min_capacity: 5 is above targets\[0\].max_capacity 2"),
    (target(min_capacity=-1), r"targets\[0\].min_capacity: -1 is not a capacity"),
    (target(resource_id=""), r"targets\[0\].resource_id: '' is not a resource id"),
    (target(policies=[policy("api-cpu"), policy("api-cpu")]), r"targets\[0\].policies\[1\].name: 'api-cpu' is listed twice"),
    (target(scheduled_actions=[action("api-stop", schedule="daily")]),
     r"targets\[0\].scheduled_actions\[0\].schedule: 'daily' is not a schedule; expected at\("),
    (target(scheduled_actions=[action("api-stop", schedule=None)]), r"targets\[0\].scheduled_actions\[0\].schedule: None is not a schedule"),
    (target(scheduled_actions=[action("api-stop", min_capacity=None, max_capacity=None)]),
     r"targets\[0\].scheduled_actions\[0\]: min_capacity or max_capacity is required"),
    (target(scheduled_actions=[action("api-stop", end_time="tomorrow")]), r"targets\[0\].scheduled_actions\[0\].end_time: 'tomorrow' is not an ISO 8601"),
    (target(scheduled_actions=[action("api-stop"), action("api-stop")]), r"targets\[0\].scheduled_actions\[1\].name: 'api-stop' is listed twice"),
], ids=["min-above-max", "negative", "empty-resource", "duplicate-policy", "bad-schedule", "no-schedule", "no-capacity", "bad-time",
        "duplicate-action"])
def test_bad_input_fails_before_any_call(spec, message):
    with pytest.raises(FailJson, match=message):
        converge(params(spec, worker()), queue=lambda stub: None)


def test_a_target_listed_twice_fails_before_any_call():
    with pytest.raises(FailJson, match=r"targets\[1\]: .* is already listed as targets\[0\]"):
        converge(params(target(), target()), queue=lambda stub: None)


@pytest.mark.parametrize(("spec", "message"), [
    (target(min_capacity=None), r"targets\[0\]: .*cloudplatform-dev-api is not registered yet; set both min_capacity and max_capacity"),
    (target(min_capacity=None, max_capacity=None), r"targets\[0\]: .* is not registered and min_capacity and max_capacity are not set"),
])
def test_unregistered_target_without_bounds_fails_after_the_reads_before_any_write(spec, message):
    def queue(stub):
        read_targets(stub, [])
        read_actions(stub, [])

    with pytest.raises(FailJson, match=message):
        converge(params(spec), queue=queue)


def test_unregistered_target_with_only_absent_actions_is_a_no_op():
    def queue(stub):
        read_targets(stub, [], resource_ids=(WORKER,))
        read_actions(stub, [], names=("worker-stop", "worker-start"))

    result = converge(params(worker()), queue=queue)
    assert result["changed"] is False and result["targets"][0]["scalable_target"] == {}


def test_api_error_is_raised_as_the_module_error():
    aas = client("application-autoscaling")
    with Stubber(aas) as stub:
        read_targets(stub, [])
        read_actions(stub, [])
        stub.add_client_error("register_scalable_target", "ValidationException", "ECS service doesn't exist", http_status_code=400)
        with pytest.raises(AnsibleAppAutoScalingError, match="register scalable target"):
            module.run(FakeModule(params()), aas)
        stub.assert_no_pending_responses()
