"""cloudplatform.aws.cloudwatch_alarm_set against a botocore Stubber on the real CloudWatch model.

The integration test proves the converge against the emulator; these cover the comparison rules
(metric math, dimension order, API echoes), tags, purge, check mode and the diff.
"""

from __future__ import annotations

import copy

import pytest
from _monitoring_fakes import FailJson, FakeModule, client
from botocore.stub import Stubber

from ansible_collections.cloudplatform.aws.plugins.module_utils.cloudwatch import CloudWatchError
from ansible_collections.cloudplatform.aws.plugins.modules import cloudwatch_alarm_set as module

PREFIX = "cloudplatform-prod-alarm-"
TOPIC = "arn:aws:sns:us-east-1:123456789012:cloudplatform-prod-critical"
TAGS = {"Project": "cloudplatform", "Environment": "prod"}
DESCRIBE = {"AlarmNamePrefix": PREFIX, "AlarmTypes": ["MetricAlarm"]}


def arn(name):
    return f"arn:aws:cloudwatch:us-east-1:123456789012:alarm:{name}"


def alarm_defaults(**values):
    base = dict(description=None, metric=None, metrics=None, datapoints_to_alarm=None, treat_missing_data="missing",
                evaluate_low_sample_count_percentile=None, actions_enabled=True, alarm_actions=[], ok_actions=[],
                insufficient_data_actions=[])
    base.update(values)
    return base


CPU = alarm_defaults(
    name=PREFIX + "api-cpu", description="[WARNING] api CPU", comparison="GreaterThanThreshold", threshold=80,
    evaluation_periods=5, datapoints_to_alarm=5, treat_missing_data="notBreaching", alarm_actions=[TOPIC],
    metric=dict(namespace="AWS/ECS", metric_name="CPUUtilization", statistic="Average", extended_statistic=None, unit=None,
                period=60, dimensions={"ServiceName": "cloudplatform-prod-api", "ClusterName": "cloudplatform-prod-ecs-main"}),
)
DIMS = [{"name": "LoadBalancer", "value": "app/alb/1"}]
RATE = alarm_defaults(
    name=PREFIX + "api-5xx-rate", comparison="GreaterThanThreshold", threshold=5, evaluation_periods=3, alarm_actions=[TOPIC],
    metrics=[
        {"id": "errors", "return_data": False, "metric_stat": {"metric": {"namespace": "AWS/ApplicationELB",
         "metric_name": "HTTPCode_Target_5XX_Count", "dimensions": DIMS}, "period": 60, "stat": "Sum"}},
        {"id": "requests", "return_data": False, "metric_stat": {"metric": {"namespace": "AWS/ApplicationELB",
         "metric_name": "RequestCount", "dimensions": DIMS}, "period": 60, "stat": "Sum"}},
        {"id": "rate", "expression": "100 * errors / requests", "label": "5xx rate", "return_data": True},
    ],
)


def params(alarms=None, **changes):
    return dict(dict(name_prefix=PREFIX, alarms=alarms if alarms is not None else [CPU, RATE], purge=True, tags=TAGS,
                     purge_tags=True, state="present"), **changes)


def live(alarm, **changes):
    """What DescribeAlarms answers for an alarm put with these settings (plus state fields)."""
    described = module.desired_params(alarm)
    described["Dimensions"] = list(reversed(described.get("Dimensions", [])))
    described.update({"AlarmArn": arn(alarm["name"]), "StateValue": "OK", "ActionsEnabled": True, "OKActions": [],
                      "InsufficientDataActions": [], "StateUpdatedTimestamp": "2026-11-22T00:00:00Z"})
    described.update(changes)
    return described


def read(stub, alarms, tags=None):
    stub.add_response("describe_alarms", {"MetricAlarms": alarms}, DESCRIBE)
    for alarm in alarms:
        tag_list = [{"Key": k, "Value": v} for k, v in (tags or TAGS).items()]
        stub.add_response("list_tags_for_resource", {"Tags": tag_list}, {"ResourceARN": alarm["AlarmArn"]})


@pytest.mark.parametrize("check_mode", [False, True])
def test_converged_set_makes_no_write(check_mode):
    cw = client("cloudwatch")
    with Stubber(cw) as stub:
        read(stub, [live(CPU), live(RATE)])
        result = module.run(FakeModule(params(), check_mode), cw)
        stub.assert_no_pending_responses()
    assert result["changed"] is False
    assert result["diff"] == {"before": {}, "after": {}}
    assert [a["alarm_name"] for a in result["alarms"]] == sorted([CPU["name"], RATE["name"]])


@pytest.mark.parametrize("check_mode", [False, True])
def test_creates_missing_alarms_with_tags(check_mode):
    cw = client("cloudwatch")
    tag_list = [{"Key": k, "Value": v} for k, v in TAGS.items()]
    with Stubber(cw) as stub:
        read(stub, [live(CPU)])
        if not check_mode:
            stub.add_response("put_metric_alarm", {}, dict(module.desired_params(RATE), Tags=tag_list))
            read(stub, [live(CPU), live(RATE)])
        result = module.run(FakeModule(params(), check_mode), cw)
        stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["created"] == [RATE["name"]] and result["updated"] == []
    assert list(result["diff"]["after"]) == [RATE["name"]]
    assert result["diff"]["after"][RATE["name"]]["metrics"][2]["expression"] == "100 * errors / requests"


@pytest.mark.parametrize("check_mode", [False, True])
def test_one_changed_threshold_updates_exactly_that_alarm(check_mode):
    cw = client("cloudwatch")
    edited = dict(CPU, threshold=90)
    with Stubber(cw) as stub:
        read(stub, [live(CPU), live(RATE)])
        if not check_mode:
            stub.add_response("put_metric_alarm", {}, module.desired_params(edited))
            read(stub, [live(edited), live(RATE)])
        result = module.run(FakeModule(params([edited, RATE]), check_mode), cw)
        stub.assert_no_pending_responses()
    assert result["changed"] is True and result["updated"] == [CPU["name"]]
    assert list(result["diff"]["before"]) == list(result["diff"]["after"]) == [CPU["name"]]
    assert result["diff"]["before"][CPU["name"]]["threshold"] == 80.0
    assert result["diff"]["after"][CPU["name"]]["threshold"] == 90.0
    assert result["diff"]["before_header"] == result["diff"]["after_header"] == f"alarms {CPU['name']}"


@pytest.mark.parametrize("check_mode", [False, True])
def test_changed_expression_of_a_metric_math_alarm_is_drift(check_mode):
    cw = client("cloudwatch")
    drifted = copy.deepcopy(RATE)
    drifted["metrics"][2]["expression"] = "errors"
    with Stubber(cw) as stub:
        read(stub, [live(CPU), live(drifted)])
        if not check_mode:
            stub.add_response("put_metric_alarm", {}, module.desired_params(RATE))
            read(stub, [live(CPU), live(RATE)])
        result = module.run(FakeModule(params(), check_mode), cw)
        stub.assert_no_pending_responses()
    assert result["updated"] == [RATE["name"]]


@pytest.mark.parametrize("check_mode", [False, True])
def test_tag_drift_is_fixed_without_rewriting_the_alarm(check_mode):
    cw = client("cloudwatch")
    with Stubber(cw) as stub:
        read(stub, [live(CPU)], tags={"Project": "cloudplatform", "Stale": "x"})
        if not check_mode:
            stub.add_response("untag_resource", {}, {"ResourceARN": arn(CPU["name"]), "TagKeys": ["Stale"]})
            stub.add_response("tag_resource", {}, {"ResourceARN": arn(CPU["name"]),
                                                  "Tags": [{"Key": "Environment", "Value": "prod"}]})
            read(stub, [live(CPU)])
        result = module.run(FakeModule(params([CPU]), check_mode), cw)
        stub.assert_no_pending_responses()
    assert result["updated"] == [CPU["name"]]
    assert result["diff"]["after"][CPU["name"]]["tags"] == TAGS


@pytest.mark.parametrize("check_mode", [False, True])
def test_purge_deletes_alarms_the_set_no_longer_holds(check_mode):
    cw = client("cloudwatch")
    with Stubber(cw) as stub:
        read(stub, [live(CPU), live(RATE)])
        if not check_mode:
            stub.add_response("delete_alarms", {}, {"AlarmNames": [RATE["name"]]})
            read(stub, [live(CPU)])
        result = module.run(FakeModule(params([CPU]), check_mode), cw)
        stub.assert_no_pending_responses()
    assert result["deleted"] == [RATE["name"]]
    assert list(result["diff"]["before"]) == [RATE["name"]] and result["diff"]["after"] == {}
    assert [a["alarm_name"] for a in result["alarms"]] == [CPU["name"]]


def test_without_purge_foreign_alarms_stay():
    cw = client("cloudwatch")
    with Stubber(cw) as stub:
        read(stub, [live(CPU), live(RATE)])
        result = module.run(FakeModule(params([CPU], purge=False)), cw)
        stub.assert_no_pending_responses()
    assert result["changed"] is False


def test_state_absent_deletes_the_whole_prefix():
    cw = client("cloudwatch")
    with Stubber(cw) as stub:
        stub.add_response("describe_alarms", {"MetricAlarms": [live(CPU), live(RATE)]}, DESCRIBE)
        stub.add_response("delete_alarms", {}, {"AlarmNames": sorted([CPU["name"], RATE["name"]])})
        stub.add_response("describe_alarms", {"MetricAlarms": []}, DESCRIBE)
        result = module.run(FakeModule(params([], state="absent", tags=None)), cw)
        stub.assert_no_pending_responses()
    assert result["changed"] is True and result["alarms"] == []


@pytest.mark.parametrize(("alarm", "message"), [
    (dict(CPU, name="other-alarm"), "does not start with name_prefix"),
    (dict(CPU, metrics=RATE["metrics"]), "give exactly one of metric and metrics"),
    (dict(CPU, metric=dict(CPU["metric"], extended_statistic="p99")), "exactly one of metric.statistic"),
])
def test_bad_alarm_definitions_fail_before_any_call(alarm, message):
    with pytest.raises(FailJson, match=message):
        module.run(FakeModule(params([alarm])), client("cloudwatch"))


def test_api_errors_are_raised_with_what_failed():
    cw = client("cloudwatch")
    with Stubber(cw) as stub:
        stub.add_response("describe_alarms", {"MetricAlarms": []}, DESCRIBE)
        stub.add_client_error("put_metric_alarm", "LimitExceeded", "too many alarms", http_status_code=400)
        with pytest.raises(CloudWatchError, match="Failed to put metric alarm"):
            module.run(FakeModule(params([CPU], tags=None)), cw)
