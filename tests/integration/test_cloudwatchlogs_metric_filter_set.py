"""cloudplatform.aws.cloudwatchlogs_metric_filter_set against the emulator, read back with boto3.

Four runs: create, converged (no write call), a deletion plus a new filter, check mode with a
changed pattern and a filter on a log group that does not exist yet. A rewritten filter is not
run here: the emulator (moto 5.2.5) appends a second copy on PutMetricFilter where AWS replaces
the filter; the Stubber unit tests cover rewrites.
"""

from __future__ import annotations

import pytest

PLAYBOOK = "tests/integration/playbooks/cloudwatchlogs_metric_filter_set.yml"
INVENTORY = "inventories/local"
API = "/ecs/cloudplatform-it/api"
WORKER = "/ecs/cloudplatform-it/worker"
BILLING = "/ecs/cloudplatform-it/billing"


def count(group: str, name: str, pattern: str = "ERROR", state: str = "present") -> dict:
    return {"log_group_name": group, "filter_name": name, "filter_pattern": pattern, "state": state,
            "metric_transformation": {"metric_namespace": "CloudPlatform/Logs", "metric_name": f"{name}-count",
                                      "metric_value": "1", "default_value": 0}}


LATENCY = {"log_group_name": WORKER, "filter_name": "worker-latency", "filter_pattern": "{ $.duration_ms = * }",
           "metric_transformation": {"metric_namespace": "CloudPlatform/Logs", "metric_name": "Latency", "metric_value": "$.duration_ms",
                                     "unit": "Milliseconds", "dimensions": {"Queue": "$.queue"}}}
FIRST = [count(API, "api-errors"), count(API, "api-warnings", "WARN"), count(WORKER, "worker-errors")]


def live(aws) -> dict:
    logs = aws("logs")
    return {(f["logGroupName"], f["filterName"]): f for group in (API, WORKER)
            for f in logs.describe_metric_filters(logGroupName=group)["metricFilters"]}


def converge(run_playbook, filters: list[dict], *args: str):
    """One playbook run with these filters; it must succeed."""
    result = run_playbook(PLAYBOOK, INVENTORY, extra_vars={"test_metric_filters": filters}, args=list(args))
    assert result.rc == 0, result.output[-4000:]
    return result


@pytest.fixture(scope="module")
def first(run_playbook, aws):
    for group in (API, WORKER):
        aws("logs").create_log_group(logGroupName=group)
    return converge(run_playbook, FIRST)


def test_first_run_creates_the_filters(first, aws):
    found = live(aws)
    assert sorted(found) == [(API, "api-errors"), (API, "api-warnings"), (WORKER, "worker-errors")]
    assert found[(API, "api-warnings")]["filterPattern"] == "WARN"
    assert found[(API, "api-errors")]["metricTransformations"] == [
        {"metricNamespace": "CloudPlatform/Logs", "metricName": "api-errors-count", "metricValue": "1", "defaultValue": 0.0}]
    assert first.changed == 1
    assert [c["action"] for c in first.writes] == ["PutMetricFilter"] * 3


def test_second_run_makes_one_read_per_log_group_and_no_write(first, run_playbook):
    result = converge(run_playbook, FIRST)
    assert result.changed == 0
    assert result.writes == []
    assert [c["action"] for c in result.calls] == ["DescribeMetricFilters"] * 2


def test_deletion_and_new_filter_are_applied(first, run_playbook, aws):
    result = converge(run_playbook, [count(API, "api-errors"), count(API, "api-warnings", "WARN", state="absent"), count(WORKER, "worker-errors"), LATENCY])
    assert result.changed == 1
    assert sorted(c["action"] for c in result.writes) == ["DeleteMetricFilter", "PutMetricFilter"]
    found = live(aws)
    assert sorted(found) == [(API, "api-errors"), (WORKER, "worker-errors"), (WORKER, "worker-latency")]
    assert found[(WORKER, "worker-latency")]["metricTransformations"] == [
        {"metricNamespace": "CloudPlatform/Logs", "metricName": "Latency", "metricValue": "$.duration_ms", "unit": "Milliseconds",
         "dimensions": {"Queue": "$.queue"}}]


def test_check_mode_reports_without_writing(first, run_playbook, aws):
    before = live(aws)
    result = converge(run_playbook, [count(API, "api-errors", "ERROR -HEALTH"), count(BILLING, "billing-errors")], "--check", "--diff")
    assert result.changed == 1
    assert result.writes == []
    assert "ERROR -HEALTH" in result.output and f"{BILLING}:billing-errors" in result.output
    assert live(aws) == before
