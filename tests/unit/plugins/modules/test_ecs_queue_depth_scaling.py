"""Unit tests for cloudplatform.aws.ecs_queue_depth_scaling.

The module_utils wrappers are patched (amazon.aws test_ec2_vpc_net style) so each test states
exactly which write calls happen; error paths use real ClientErrors through a botocore Stubber.
"""

from __future__ import annotations

from unittest import mock

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.cloudplatform.aws.plugins.module_utils import queue_scaling as qs
from ansible_collections.cloudplatform.aws.plugins.modules import ecs_queue_depth_scaling as module

NAME = "cloudplatform-prod-worker"
RESOURCE = "service/cloudplatform-prod-ecs-cluster/cloudplatform-prod-worker"
DIMENSIONS = {"Environment": "prod", "Service": "worker", "Queue": "logs:default:clean"}
ARNS = {NAME + "-queue-out": "arn:aws:autoscaling:out", NAME + "-queue-in": "arn:aws:autoscaling:in"}


class FakeModule:
    def __init__(self, check_mode=False, **overrides):
        self.params = dict(
            name=NAME, cluster="cloudplatform-prod-ecs-cluster", service="cloudplatform-prod-worker", state="present",
            min_capacity=2, max_capacity=20, mode="step", metric_namespace="Cloudplatform/Queues", metric_dimensions=DIMENSIONS,
            queue_depth_metric_name="QueueDepth", backlog_metric_name="BacklogPerTask", scale_out_above=1000.0, scale_in_below=100.0,
            scale_out_adjustment=2, scale_in_adjustment=-1, scale_out_cooldown=60, scale_in_cooldown=300,
            scale_out_evaluation_periods=2, scale_in_evaluation_periods=5, period=60, target_backlog_per_task=None,
            tags={"Environment": "prod"}, purge_tags=True,
        )
        self.params.update(overrides)
        self.check_mode = check_mode

    def fail_json(self, **kwargs):
        raise AssertionError(kwargs["msg"])


def converged_state(params=None):
    """What AWS answers for a converged worker (floats, extra keys, dimensions in another order)."""
    fake = FakeModule(**(params or {}))
    policies = {}
    for name, (policy_type, config) in module.desired_policies(fake.params).items():
        answer = {k: v for k, v in config.items()}
        answer["StepAdjustments"] = [{k: float(v) if k.startswith("Metric") else v for k, v in s.items()} for s in config["StepAdjustments"]]
        policies[name] = {"PolicyName": name, "PolicyType": policy_type, "PolicyARN": ARNS[name], "StepScalingPolicyConfiguration": answer}
    alarms = {}
    for name, alarm in module.desired_alarms(fake.params, ARNS).items():
        alarms[name] = dict(alarm, Dimensions=list(reversed(alarm["Dimensions"])), AlarmArn="arn:aws:cloudwatch:" + name,
                            StateValue="OK", Threshold=float(alarm["Threshold"]))
    target = {"ResourceId": RESOURCE, "MinCapacity": 2, "MaxCapacity": 20}
    return target, policies, alarms, []


@pytest.fixture
def writes():
    with mock.patch.multiple(qs, register_scalable_target=mock.DEFAULT, put_scaling_policy=mock.DEFAULT, put_metric_alarm=mock.DEFAULT,
                             delete_alarms=mock.DEFAULT, delete_scaling_policy=mock.DEFAULT, deregister_scalable_target=mock.DEFAULT,
                             tag_alarm=mock.DEFAULT, untag_alarm=mock.DEFAULT, describe_alarms=mock.DEFAULT,
                             list_alarm_tags=mock.DEFAULT) as patched:
        patched["put_scaling_policy"].side_effect = lambda client, rid, name, *a: ARNS.get(name, "arn:aws:autoscaling:" + name)
        patched["list_alarm_tags"].return_value = [{"Key": "Environment", "Value": "prod"}]
        patched["describe_alarms"].side_effect = lambda client, names: [converged_state()[2][n] for n in names if n in converged_state()[2]]
        yield patched


def write_calls(patched):
    return {name: m.call_count for name, m in patched.items() if m.call_count and name not in ("describe_alarms", "list_alarm_tags")}


def test_alarms_carry_the_issue_thresholds():
    alarms = module.desired_alarms(FakeModule().params, ARNS)
    out, in_ = alarms[NAME + "-queue-out"], alarms[NAME + "-queue-in"]
    assert (out["Threshold"], out["ComparisonOperator"], out["AlarmActions"]) == (1000.0, "GreaterThanThreshold", [ARNS[NAME + "-queue-out"]])
    assert (in_["Threshold"], in_["ComparisonOperator"], in_["AlarmActions"]) == (100.0, "LessThanThreshold", [ARNS[NAME + "-queue-in"]])
    assert out["TreatMissingData"] == in_["TreatMissingData"] == "notBreaching"
    assert {d["Name"] for d in out["Dimensions"]} == {"Environment", "Service", "Queue"}


@pytest.mark.parametrize("check_mode", [False, True])
def test_creates_target_policies_and_alarms(writes, check_mode):
    changed = module.ensure_present(FakeModule(check_mode), None, None, RESOURCE, (None, {}, {}, []))
    assert changed is True
    if check_mode:
        assert write_calls(writes) == {}
    else:
        assert write_calls(writes) == {"register_scalable_target": 1, "put_scaling_policy": 2, "put_metric_alarm": 2}
        writes["register_scalable_target"].assert_called_once_with(None, RESOURCE, 2, 20)
        actions = {c.kwargs["AlarmName"]: c.kwargs["AlarmActions"] for c in writes["put_metric_alarm"].call_args_list}
        assert actions == {name: [arn] for name, arn in ARNS.items()}
        assert all(c.kwargs["Tags"] == [{"Key": "Environment", "Value": "prod"}] for c in writes["put_metric_alarm"].call_args_list)


@pytest.mark.parametrize("check_mode", [False, True])
def test_converged_service_makes_no_write(writes, check_mode):
    changed = module.ensure_present(FakeModule(check_mode), None, None, RESOURCE, converged_state())
    assert changed is False
    assert write_calls(writes) == {}


@pytest.mark.parametrize("check_mode", [False, True])
def test_threshold_and_bound_drift_is_corrected(writes, check_mode):
    state = converged_state()
    state[2][NAME + "-queue-out"]["Threshold"] = 5000.0
    state = ({"ResourceId": RESOURCE, "MinCapacity": 1, "MaxCapacity": 20}, *state[1:])
    changed = module.ensure_present(FakeModule(check_mode), None, None, RESOURCE, state)
    assert changed is True
    expected = {} if check_mode else {"register_scalable_target": 1, "put_metric_alarm": 1}
    assert write_calls(writes) == expected


@pytest.mark.parametrize("check_mode", [False, True])
def test_switching_to_target_tracking_removes_the_step_policies(writes, check_mode):
    fake = FakeModule(check_mode, mode="target_tracking", target_backlog_per_task=100.0)
    changed = module.ensure_present(fake, None, None, RESOURCE, converged_state())
    assert changed is True
    if not check_mode:
        assert write_calls(writes) == {"put_scaling_policy": 1, "delete_alarms": 1, "delete_scaling_policy": 2}
        name, policy_type, config = writes["put_scaling_policy"].call_args.args[2:]
        assert (name, policy_type) == (NAME + "-backlog-target", "TargetTrackingScaling")
        assert config["CustomizedMetricSpecification"]["MetricName"] == "BacklogPerTask"
        assert config["TargetValue"] == 100.0


def test_absent_keeps_a_target_other_policies_use(writes):
    target, policies, alarms, _ = converged_state()
    changed = module.ensure_absent(FakeModule(state="absent"), None, None, RESOURCE, (target, policies, alarms, ["cpu-target"]))
    assert changed is True
    assert write_calls(writes) == {"delete_alarms": 1, "delete_scaling_policy": 2}


def test_absent_deregisters_a_target_nobody_else_uses(writes):
    changed = module.ensure_absent(FakeModule(state="absent"), None, None, RESOURCE, converged_state())
    assert changed is True
    assert writes["deregister_scalable_target"].call_count == 1


def test_bad_thresholds_name_the_options():
    with pytest.raises(AssertionError, match=r"scale_in_below: 2000\.0 must be below scale_out_above 1000\.0"):
        module.validate(FakeModule(scale_in_below=2000.0))


def test_api_errors_surface_as_module_errors():
    client = boto3.client("application-autoscaling", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(client) as stub:
        stub.add_client_error("register_scalable_target", "ValidationException", "MaxCapacity must be >= MinCapacity")
        with pytest.raises(qs.QueueScalingError, match="register scalable target"):
            qs.register_scalable_target(client, RESOURCE, 20, 2)
