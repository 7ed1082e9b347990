"""Monitoring on the prod-shaped local inventory, read back through the AWS API.

The layers monitoring watches are stood in for by fixture facts (the facts contract of
docs/facts.md) and fixture log groups and key, so only the monitoring role converges
(`--tags monitoring`). One module-scoped converge; then a second converge must make no write
call, `--check --diff` after one threshold edit must show exactly that alarm, and adding a service
to the inventory must add its alarms, metric filter and widgets with no other change.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "cloudplatform-local"
SERVICES = ["ingest", "api", "worker"]
NEW_SERVICE = "billing"
# Never in any output: the PagerDuty integration URL carries a key.
PAGERDUTY = "https://events.pagerduty.com/integration/FAKEKEY0123456789abcdef/enqueue"
ACCOUNT = "123456789012"


def alb_arn(kind: str, name: str) -> str:
    return f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:{kind}/{name}/0123456789abcdef"


@pytest.fixture(scope="module")
def facts(aws, tmp_path_factory) -> Path:
    """Facts the kms, rds, elasticache, ecs_cluster, alb and ecs_service roles would publish."""
    key = aws("kms").create_key(Description="monitoring test key")["KeyMetadata"]["Arn"]
    logs = aws("logs")
    for service in [*SERVICES, NEW_SERVICE]:
        logs.create_log_group(logGroupName=f"/ecs/{PREFIX}/{service}")
    data = {
        "kms_key_arn": key,
        "ecs_cluster_resource": {"name": f"{PREFIX}-ecs-main", "arn": "arn:aws:ecs:us-east-1:1:cluster/x"},
        "ecs_service_resources": {s: {"name": s} for s in [*SERVICES, NEW_SERVICE]},
        "rds_database": {"identifier": f"{PREFIX}-rds-main", "arn": "arn", "address": "db", "port": 5432},
        "elasticache_redis": {"id": f"{PREFIX}-redis-main", "arn": "arn", "primary_endpoint": "r", "port": 6379},
        "alb_resource": {
            "arn": alb_arn("loadbalancer/app", f"{PREFIX}-alb-main"),
            "target_group_arns": {s: alb_arn("targetgroup", f"{PREFIX}-tg-{s}") for s in ["ingest", "api", NEW_SERVICE]},
        },
        "monitoring_pagerduty_endpoint": PAGERDUTY,
    }
    path = tmp_path_factory.mktemp("monitoring") / "facts.json"
    path.write_text(json.dumps(data))
    return path


@pytest.fixture(scope="module")
def converge(run_playbook, facts):
    def _run(inventory: str = "inventories/local", extra: list[str] | None = None):
        result = run_playbook("site.yml", inventory, args=["--tags", "monitoring", "-e", f"@{facts}", *(extra or [])])
        assert PAGERDUTY not in result.output and "FAKEKEY" not in result.output, "PagerDuty key leaked"
        return result

    return _run


@pytest.fixture(scope="module")
def first(converge):
    result = converge()
    assert result.rc == 0, result.output[-4000:]
    return result


def alarms(aws) -> dict:
    pages = aws("cloudwatch").get_paginator("describe_alarms").paginate(AlarmNamePrefix=f"{PREFIX}-alarm-")
    return {a["AlarmName"]: a for page in pages for a in page["MetricAlarms"]}


def topic_arn(aws, severity: str) -> str:
    topics = [t["TopicArn"] for t in aws("sns").list_topics()["Topics"]]
    return next(t for t in topics if t.endswith(f":{PREFIX}-{severity}"))


def recap(output: str) -> dict:
    match = re.search(r"ok=(\d+)\s+changed=(\d+)", output.split("PLAY RECAP")[-1])
    return {"ok": int(match.group(1)), "changed": int(match.group(2))}


def test_topics_are_encrypted_and_subscribed(first, aws, facts):
    key = json.loads(facts.read_text())["kms_key_arn"]
    sns = aws("sns")
    for severity in ("critical", "warning", "info"):
        arn = topic_arn(aws, severity)
        assert sns.get_topic_attributes(TopicArn=arn)["Attributes"]["KmsMasterKeyId"] == key
        subs = {(s["Protocol"], s["Endpoint"]) for s in sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]}
        expected_mail = "platform-oncall@example.com" if severity == "critical" else "platform-team@example.com"
        assert ("email", expected_mail) in subs
        assert (("https", PAGERDUTY) in subs) == (severity == "critical")


def test_alarm_routing_and_metric_math(first, aws):
    found = alarms(aws)
    critical, warning = topic_arn(aws, "critical"), topic_arn(aws, "warning")
    rate = found[f"{PREFIX}-alarm-api-5xx-rate"]
    assert rate["AlarmActions"] == [critical]
    assert rate["Threshold"] == 5.0 and rate["EvaluationPeriods"] == 3
    expression = next(m for m in rate["Metrics"] if m.get("Expression"))
    assert "errors" in expression["Expression"] and "requests" in expression["Expression"]
    assert found[f"{PREFIX}-alarm-api-cpu"]["AlarmActions"] == [warning]
    # 80% of db.t3.medium's LEAST(4 GiB / 9531392, 5000) = 450 connections.
    assert found[f"{PREFIX}-alarm-rds-connections"]["Threshold"] == 360.0


def test_error_metric_filters(first, aws):
    logs = aws("logs")
    for service in SERVICES:
        filters = logs.describe_metric_filters(logGroupName=f"/ecs/{PREFIX}/{service}")["metricFilters"]
        assert [f["filterName"] for f in filters] == [f"{PREFIX}-{service}-errors"]
        assert filters[0]["metricTransformations"][0]["metricName"] == f"{PREFIX}-{service}-ErrorCount"


def test_second_converge_makes_no_write(first, converge):
    result = converge()
    assert result.rc == 0, result.output[-4000:]
    assert result.write_summary() == []
    assert recap(result.output)["changed"] == 0


def edited_inventory(tmp_path: Path, values: dict) -> str:
    inventory = tmp_path / "local"
    shutil.copytree(ROOT / "inventories" / "local", inventory)
    (inventory / "group_vars" / "local" / "zz_edit.yml").write_text(yaml.safe_dump(values))
    return str(inventory)


def test_check_diff_after_one_threshold_edit_shows_exactly_that_alarm(first, converge, aws, tmp_path):
    before = alarms(aws)
    inventory = edited_inventory(tmp_path, {"monitoring_thresholds": {"app_errors": {"severity": "critical"},
                                                                      "rds_cpu": {"threshold": 90}}})
    result = converge(inventory, ["--check", "--diff"])
    assert result.rc == 0, result.output[-4000:]
    assert result.write_summary() == []
    assert recap(result.output)["changed"] == 1
    # Only the diff names alarms (no -v): exactly the edited one, with its old and new threshold.
    assert set(re.findall(rf"{PREFIX}-alarm-[a-z0-9-]+", result.output)) == {f"{PREFIX}-alarm-rds-cpu"}
    # The diff renders as JSON or YAML depending on the callback settings.
    assert re.search(r'^-\s+"?threshold"?: 80\.0', result.output, re.M), result.output[-3000:]
    assert re.search(r'^\+\s+"?threshold"?: 90\.0', result.output, re.M), result.output[-3000:]
    assert alarms(aws)[f"{PREFIX}-alarm-rds-cpu"]["Threshold"] == before[f"{PREFIX}-alarm-rds-cpu"]["Threshold"] == 80.0


def test_adding_a_service_adds_its_alarms_filter_and_widgets(first, converge, aws, tmp_path):
    services = yaml.safe_load((ROOT / "group_vars/all/services.yml").read_text())["cloudplatform_services"]
    services.append({"name": NEW_SERVICE, "port": 9000, "paths": ["/billing/*"], "min_count": 2, "max_count": 4,
                     "scaling": {"cpu_target": 70}})
    result = converge(edited_inventory(tmp_path, {"cloudplatform_services": services}))
    assert result.rc == 0, result.output[-4000:]
    found = alarms(aws)
    for suffix in ("cpu", "memory", "running-tasks", "errors", "5xx-count", "5xx-rate", "latency-p99-critical",
                   "unhealthy-hosts"):
        assert f"{PREFIX}-alarm-{NEW_SERVICE}-{suffix}" in found
    assert found[f"{PREFIX}-alarm-{NEW_SERVICE}-running-tasks"]["Threshold"] == 2.0
    filters = aws("logs").describe_metric_filters(logGroupName=f"/ecs/{PREFIX}/{NEW_SERVICE}")["metricFilters"]
    assert [f["filterName"] for f in filters] == [f"{PREFIX}-{NEW_SERVICE}-errors"]
    body = json.loads(aws("cloudwatch").get_dashboard(DashboardName=f"{PREFIX}-overview")["DashboardBody"])
    titles = [w["properties"].get("title", "") for w in body["widgets"]]
    assert {f"{NEW_SERVICE} requests", f"{NEW_SERVICE} CPU (%)", f"{NEW_SERVICE} running tasks"} <= set(titles)
    # Nothing but the new service's resources was written.
    writes = [c for c in result.writes if c["action"] not in ("PutMetricAlarm", "PutMetricFilter", "PutDashboard",
                                                               "TagResource")]
    assert writes == []
