"""Unit tests for cloudplatform.aws.application_autoscaling_scheduled_action (botocore Stubber, real service model)."""

from __future__ import annotations

import datetime

import pytest
from _account_fakes import FailJson, FakeModule, client
from botocore.stub import Stubber

from ansible_collections.cloudplatform.aws.plugins.module_utils.app_autoscaling import AnsibleAppAutoScalingError
from ansible_collections.cloudplatform.aws.plugins.modules import application_autoscaling_scheduled_action as module

NAME = "cloudplatform-dev-api-night-stop"
RESOURCE = "service/cloudplatform-dev-ecs-cluster/cloudplatform-dev-api"
KEY = {"ServiceNamespace": "ecs", "ResourceId": RESOURCE, "ScalableDimension": "ecs:service:DesiredCount"}


def params(**overrides):
    base = dict(name=NAME, service_namespace="ecs", resource_id=RESOURCE, scalable_dimension="ecs:service:DesiredCount",
                state="present", schedule="cron(0 20 ? * MON-FRI *)", timezone="America/New_York", start_time=None,
                end_time=None, min_capacity=0, max_capacity=0)
    return dict(base, **overrides)


def live(**overrides):
    action = dict(KEY, ScheduledActionName=NAME, ScheduledActionARN="arn:aws:autoscaling:us-east-1:123456789012:scheduledAction:x",
                  Schedule="cron(0 20 ? * MON-FRI *)", Timezone="America/New_York",
                  ScalableTargetAction={"MinCapacity": 0, "MaxCapacity": 0},
                  CreationTime=datetime.datetime(2026, 11, 22, tzinfo=datetime.UTC))
    return dict(action, **overrides)


def expect_describe(stub, actions):
    stub.add_response("describe_scheduled_actions", {"ScheduledActions": actions},
                      expected_params=dict(KEY, ScheduledActionNames=[NAME]))


def put_params(**overrides):
    return dict(KEY, ScheduledActionName=NAME, Schedule="cron(0 20 ? * MON-FRI *)", Timezone="America/New_York",
                ScalableTargetAction={"MinCapacity": 0, "MaxCapacity": 0}, **overrides)


@pytest.mark.parametrize("check_mode", [False, True])
def test_creates_a_missing_action(check_mode):
    aas = client("application-autoscaling")
    with Stubber(aas) as stub:
        expect_describe(stub, [])
        if not check_mode:
            stub.add_response("put_scheduled_action", {}, expected_params=put_params())
            expect_describe(stub, [live()])
        result = module.ensure_present(FakeModule(params(), check_mode), aas)
        stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["diff"]["before"] == {}
    assert result["scheduled_action"]["timezone"] == "America/New_York"


@pytest.mark.parametrize("check_mode", [False, True])
def test_matching_action_is_left_alone(check_mode):
    aas = client("application-autoscaling")
    with Stubber(aas) as stub:
        expect_describe(stub, [live()])
        result = module.ensure_present(FakeModule(params(), check_mode), aas)
        stub.assert_no_pending_responses()
    assert result["changed"] is False
    assert result["scheduled_action"]["scalable_target_action"] == {"min_capacity": 0, "max_capacity": 0}


@pytest.mark.parametrize("check_mode", [False, True])
@pytest.mark.parametrize(("drift", "why"), [
    ({"Schedule": "cron(0 1 ? * TUE-SAT *)"}, "schedule"),
    ({"Timezone": "UTC"}, "timezone"),
    ({"ScalableTargetAction": {"MinCapacity": 1, "MaxCapacity": 2}}, "capacity"),
])
def test_drift_is_corrected(check_mode, drift, why):
    aas = client("application-autoscaling")
    with Stubber(aas) as stub:
        expect_describe(stub, [live(**drift)])
        if not check_mode:
            stub.add_response("put_scheduled_action", {}, expected_params=put_params())
            expect_describe(stub, [live()])
        result = module.ensure_present(FakeModule(params(), check_mode), aas)
        stub.assert_no_pending_responses()
    assert result["changed"] is True, why
    assert result["diff"]["before"] != result["diff"]["after"]


def test_start_time_with_an_offset_compares_in_utc():
    aas = client("application-autoscaling")
    start = datetime.datetime(2026, 12, 1, 5, 0, tzinfo=datetime.UTC)
    with Stubber(aas) as stub:
        expect_describe(stub, [live(StartTime=start)])
        result = module.ensure_present(FakeModule(params(start_time="2026-12-01T00:00:00-05:00")), aas)
    assert result["changed"] is False


def test_bad_start_time_names_the_option():
    aas = client("application-autoscaling")
    with Stubber(aas) as stub:
        expect_describe(stub, [])
        with pytest.raises(FailJson, match="start_time: 'tomorrow'"):
            module.ensure_present(FakeModule(params(start_time="tomorrow")), aas)


@pytest.mark.parametrize("check_mode", [False, True])
def test_absent_deletes_an_existing_action(check_mode):
    aas = client("application-autoscaling")
    with Stubber(aas) as stub:
        expect_describe(stub, [live()])
        if not check_mode:
            stub.add_response("delete_scheduled_action", {}, expected_params=dict(KEY, ScheduledActionName=NAME))
        result = module.ensure_absent(FakeModule(params(state="absent"), check_mode), aas)
        stub.assert_no_pending_responses()
    assert result["changed"] is True


def test_absent_when_the_target_is_gone_is_a_no_op():
    aas = client("application-autoscaling")
    with Stubber(aas) as stub:
        stub.add_client_error("describe_scheduled_actions", "ObjectNotFoundException", http_status_code=400)
        result = module.ensure_absent(FakeModule(params(state="absent")), aas)
    assert result["changed"] is False


def test_api_error_is_raised_as_the_module_error():
    aas = client("application-autoscaling")
    with Stubber(aas) as stub:
        expect_describe(stub, [])
        stub.add_client_error("put_scheduled_action", "ValidationException", "bad cron", http_status_code=400)
        with pytest.raises(AnsibleAppAutoScalingError, match="put scheduled action"):
            module.ensure_present(FakeModule(params()), aas)
