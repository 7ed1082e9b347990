"""cloudplatform.aws.cloudwatchlogs_metric_filter_set against a botocore Stubber on the real CloudWatch Logs model.

The integration test proves the converge against the emulator; these pin the read plan (one
DescribeMetricFilters per log group, by prefix for a single filter), the comparison rules, and the
missing-log-group paths: DescribeMetricFilters answers ResourceNotFoundException for a log group
that does not exist on AWS, which the emulator (moto 5.2.5) does not do, so only these tests cover it.
"""

from __future__ import annotations

import copy

import pytest
from _logs_fakes import logs_stub
from _monitoring_fakes import FailJson, FakeModule

from ansible_collections.cloudplatform.aws.plugins.module_utils.cloudwatch import CloudWatchError
from ansible_collections.cloudplatform.aws.plugins.modules import cloudwatchlogs_metric_filter_set as module

API = "/ecs/cloudplatform-prod/api"
WORKER = "/ecs/cloudplatform-prod/worker"


def item(group, name, **values):
    base = dict(log_group_name=group, filter_name=name, filter_pattern="ERROR", state="present",
                metric_transformation=dict(metric_namespace="CloudPlatform/Logs", metric_name=name + "-count", metric_value="1",
                                           default_value=0.0, unit=None, dimensions=None))
    base.update(values)
    return base


API_ERRORS = item(API, "api-errors")
API_WARNINGS = item(API, "api-warnings", filter_pattern="WARN")
WORKER_ERRORS = item(WORKER, "worker-errors")


def params(items=None):
    return dict(metric_filters=items if items is not None else [API_ERRORS, API_WARNINGS, WORKER_ERRORS])


def live(entry, **changes):
    """What DescribeMetricFilters answers for a filter put with these settings."""
    described = dict(module.desired_params(entry), creationTime=1700000000000)
    described.update(changes)
    return described


def read(stub, group, filters, prefix=None):
    expected = {"logGroupName": group}
    if prefix:
        expected["filterNamePrefix"] = prefix
    stub.add_response("describe_metric_filters", {"metricFilters": filters}, expected)


def read_all(stub, api=None, worker=None):
    read(stub, API, [live(API_ERRORS), live(API_WARNINGS)] if api is None else api)
    read(stub, WORKER, [live(WORKER_ERRORS)] if worker is None else worker, prefix="worker-errors")


stub = pytest.fixture(logs_stub)


def converge(stub, values, check_mode=False):
    return module.run(FakeModule(values, check_mode), stub.client)


@pytest.mark.parametrize("check_mode", [False, True])
def test_converged_list_makes_one_read_per_log_group(stub, check_mode):
    # The unit "None" CloudWatch may echo and a filter the list does not name change nothing.
    extra = dict(module.desired_params(item(API, "foreign")), creationTime=1)
    read_all(stub, api=[live(API_ERRORS), extra, live(API_WARNINGS)],
             worker=[live(WORKER_ERRORS, metricTransformations=[dict(module.desired_params(WORKER_ERRORS)["metricTransformations"][0],
                                                                      unit="None")])])
    result = converge(stub, params(), check_mode)
    assert result["changed"] is False
    assert result["diff"] == {"before": {}, "after": {}}
    assert [(f["log_group_name"], f["filter_name"]) for f in result["metric_filters"]] == [
        (API, "api-errors"), (API, "api-warnings"), (WORKER, "worker-errors")]
    assert result["metric_filters"][0] == {
        "log_group_name": API, "filter_name": "api-errors", "filter_pattern": "ERROR", "creation_time": 1700000000000,
        "metric_transformations": [{"metric_namespace": "CloudPlatform/Logs", "metric_name": "api-errors-count",
                                    "metric_value": "1", "default_value": 0.0}]}


@pytest.mark.parametrize("check_mode", [False, True])
def test_creates_missing_filter(stub, check_mode):
    read_all(stub, worker=[])
    if not check_mode:
        stub.add_response("put_metric_filter", {}, module.desired_params(WORKER_ERRORS))
        read(stub, WORKER, [live(WORKER_ERRORS)], prefix="worker-errors")
    result = converge(stub, params(), check_mode)
    assert result["changed"] is True
    assert result["created"] == [f"{WORKER}:worker-errors"] and result["updated"] == []
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"] == {f"{WORKER}:worker-errors": {"filter_pattern": "ERROR", "metric_transformations": [
        {"metric_namespace": "CloudPlatform/Logs", "metric_name": "worker-errors-count", "metric_value": "1", "default_value": 0.0}]}}
    assert result["metric_filters"][2]["filter_pattern"] == "ERROR"


@pytest.mark.parametrize("check_mode", [False, True])
@pytest.mark.parametrize(("edited", "field"), [
    (dict(API_WARNINGS, filter_pattern="WARNING"), "filter_pattern"),
    (dict(API_WARNINGS, metric_transformation=dict(API_WARNINGS["metric_transformation"], metric_value="2")), "metric_transformations"),
    (dict(API_WARNINGS, metric_transformation=dict(API_WARNINGS["metric_transformation"], unit="Count")), "metric_transformations"),
    (dict(API_WARNINGS, metric_transformation=dict(API_WARNINGS["metric_transformation"], default_value=None,
                                                    dimensions={"Level": "$.level"})), "metric_transformations"),
])
def test_changed_setting_rewrites_exactly_that_filter(stub, check_mode, edited, field):
    read_all(stub)
    if not check_mode:
        stub.add_response("put_metric_filter", {}, module.desired_params(edited))
        read(stub, API, [live(API_ERRORS), live(edited)])
    result = converge(stub, params([API_ERRORS, edited, WORKER_ERRORS]), check_mode)
    key = f"{API}:api-warnings"
    assert result["updated"] == [key] and result["created"] == []
    assert list(result["diff"]["before"]) == list(result["diff"]["after"]) == [key]
    assert result["diff"]["before"][key][field] != result["diff"]["after"][key][field]
    assert result["metric_filters"][1]["filter_pattern"] == edited["filter_pattern"]


def test_rewrite_sends_back_settings_the_module_does_not_manage(stub):
    edited = dict(API_ERRORS, filter_pattern="ERROR -HEALTH")
    unmanaged = {"applyOnTransformedLogs": True, "emitSystemFieldDimensions": ["@aws.region"]}
    read(stub, API, [live(API_ERRORS, **unmanaged)], prefix="api-errors")
    stub.add_response("put_metric_filter", {}, dict(module.desired_params(edited), **unmanaged))
    read(stub, API, [live(edited, **unmanaged)], prefix="api-errors")
    result = converge(stub, params([edited]))
    assert result["updated"] == [f"{API}:api-errors"]


@pytest.mark.parametrize("check_mode", [False, True])
def test_absent_filter_is_deleted_when_it_exists(stub, check_mode):
    read_all(stub)
    if not check_mode:
        stub.add_response("delete_metric_filter", {}, {"logGroupName": API, "filterName": "api-warnings"})
    result = converge(stub, params([API_ERRORS, dict(API_WARNINGS, state="absent"), WORKER_ERRORS]), check_mode)
    assert result["deleted"] == [f"{API}:api-warnings"]
    assert list(result["diff"]["before"]) == [f"{API}:api-warnings"] and result["diff"]["after"] == {}
    assert [f["filter_name"] for f in result["metric_filters"]] == ["api-errors", "worker-errors"]


def test_absent_filter_that_does_not_exist_is_converged(stub):
    read(stub, API, [], prefix="api-warnings")
    result = converge(stub, params([dict(API_WARNINGS, state="absent", filter_pattern=None, metric_transformation=None)]))
    assert result["changed"] is False and result["metric_filters"] == []


def missing_group(stub, group, prefix):
    stub.add_client_error("describe_metric_filters", "ResourceNotFoundException", "The specified log group does not exist.",
                          http_status_code=400, expected_params={"logGroupName": group, "filterNamePrefix": prefix})


def test_filter_of_a_missing_log_group_would_be_created_in_check_mode(stub):
    read(stub, API, [live(API_ERRORS), live(API_WARNINGS)])
    missing_group(stub, WORKER, "worker-errors")
    result = converge(stub, params(), check_mode=True)
    assert result["changed"] is True and result["created"] == [f"{WORKER}:worker-errors"]
    assert result["metric_filters"][2]["filter_name"] == "worker-errors"


def test_filter_of_a_missing_log_group_fails_a_real_run_before_any_write(stub):
    read(stub, API, [], prefix="api-errors")
    missing_group(stub, WORKER, "worker-errors")
    with pytest.raises(FailJson, match=r"metric_filters\[1\].log_group_name: log group '/ecs/cloudplatform-prod/worker' does not exist"):
        converge(stub, params([API_ERRORS, WORKER_ERRORS]))


def test_absent_filter_of_a_missing_log_group_is_converged(stub):
    missing_group(stub, WORKER, "worker-errors")
    result = converge(stub, params([dict(WORKER_ERRORS, state="absent")]))
    assert result["changed"] is False


def test_whole_group_read_is_paginated(stub):
    stub.add_response("describe_metric_filters", {"metricFilters": [live(API_ERRORS)], "nextToken": "t1"}, {"logGroupName": API})
    stub.add_response("describe_metric_filters", {"metricFilters": [live(API_WARNINGS)]}, {"logGroupName": API, "nextToken": "t1"})
    result = converge(stub, params([API_ERRORS, API_WARNINGS]))
    assert result["changed"] is False


def bad(entry, **changes):
    entry = copy.deepcopy(entry)
    entry.update(changes)
    return entry


@pytest.mark.parametrize(("items", "message"), [
    ([API_ERRORS, API_ERRORS], r"metric_filters\[1\]: filter 'api-errors' of log group '/ecs/cloudplatform-prod/api' is already metric_filters\[0\]"),
    ([bad(API_ERRORS, filter_name="a:b")], r"metric_filters\[0\].filter_name: 'a:b' is not a valid filter name"),
    ([bad(API_ERRORS, log_group_name="bad group")], r"metric_filters\[0\].log_group_name: 'bad group' is not a valid log group name"),
    ([bad(API_ERRORS, filter_pattern=None)], r"metric_filters\[0\].filter_pattern: None; expected a filter pattern"),
    ([bad(API_ERRORS, metric_transformation=None)], r"metric_filters\[0\].metric_transformation: missing"),
    ([bad(API_ERRORS, metric_transformation=dict(API_ERRORS["metric_transformation"], dimensions={"A": "$.a"}))],
     r"metric_filters\[0\].metric_transformation: default_value 0.0 and dimensions \{'A': '\$.a'\} given; expected at most one"),
    ([bad(API_ERRORS, metric_transformation=dict(API_ERRORS["metric_transformation"], default_value=None,
                                                 dimensions={"A": "$.a", "B": "$.b", "C": "$.c", "D": "$.d"}))],
     r"metric_filters\[0\].metric_transformation.dimensions: 4 dimensions .*; expected at most 3"),
])
def test_bad_input_fails_before_any_call(stub, items, message):
    with pytest.raises(FailJson, match=message):
        converge(stub, params(items))


def test_api_errors_are_raised_with_what_failed(stub):
    read(stub, API, [], prefix="api-errors")
    stub.add_client_error("put_metric_filter", "LimitExceededException", "too many filters", http_status_code=400)
    with pytest.raises(CloudWatchError, match="Failed to put metric filter"):
        converge(stub, params([API_ERRORS]))
