"""The monitoring catalogue, dashboard, metric filters and max_connections (plugins/filter/monitoring.py)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.cloudplatform.aws.plugins.filter.monitoring import (
    monitoring_alarms,
    monitoring_dashboard,
    monitoring_metric_filters,
    monitoring_subscriptions,
    rds_max_connections,
)
from ansible_collections.cloudplatform.aws.plugins.filter.platform import service_plan

ROOT = Path(__file__).resolve().parents[4]
SERVICES = service_plan(yaml.safe_load((ROOT / "group_vars/all/services.yml").read_text())["cloudplatform_services"])
DEFAULTS = yaml.safe_load((ROOT / "roles/monitoring/defaults/main.yml").read_text())["monitoring_threshold_defaults"]
P = "cloudplatform-prod"
TOPICS = {s: f"arn:aws:sns:us-east-1:123456789012:{P}-{s}" for s in ("critical", "warning", "info")}


def tg(name):
    return f"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/{P}-tg-{name}/0123456789abcdef"


def context(**changes):
    ctx = {
        "prefix": P, "environment": "prod", "region": "us-east-1", "topics": TOPICS,
        "threshold_defaults": copy.deepcopy(DEFAULTS), "thresholds": {},
        "alb": {"arn": f"arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/{P}-alb/0123456789abcdef",
                "target_group_arns": {s: tg(s) for s in ("ingest", "api", "billing")}},
        "ecs_cluster_name": f"{P}-ecs-main", "ecs_services": {s: {"name": f"{P}-{s}"} for s in ("ingest", "api", "worker")},
        "rds": {"identifier": f"{P}-rds-main", "instance_class": "db.t3.medium", "allocated_storage_gib": 100},
        "redis": {"id": f"{P}-redis-main", "member_clusters": [], "replicas": 1},
        "waf": {"enabled": True, "web_acl_name": f"{P}-waf"},
        "log_group_prefix": f"/ecs/{P}", "log_metric_namespace": "CloudPlatform/Logs", "error_filter_pattern": "ERROR",
        "queue_namespace": "Cloudplatform/Queues", "queue_depth_metric": "QueueDepth",
        "queue_backlog_per_task_metric": "BacklogPerTask", "queue_throughput_metric": "MessagesProcessed",
    }
    ctx.update(changes)
    return ctx


def by_name(alarms):
    return {a["name"].replace(f"{P}-alarm-", ""): a for a in alarms}


@pytest.mark.parametrize(("instance_class", "expected"), [
    ("db.t3.micro", 112), ("db.t3.small", 225), ("db.t3.medium", 450), ("db.r6g.large", 1802), ("db.r6g.16xlarge", 5000),
])
def test_max_connections_follows_the_postgresql_formula(instance_class, expected):
    assert rds_max_connections(instance_class) == expected


def test_unknown_instance_class_is_named():
    with pytest.raises(AnsibleFilterError, match=r"'db\.x9\.huge' is not known"):
        rds_max_connections("db.x9.huge")


def test_catalogue_of_the_prod_shape():
    alarms = by_name(monitoring_alarms(SERVICES, context()))
    for service in ("ingest", "api", "worker"):
        for kind in ("cpu", "memory", "running-tasks", "errors"):
            assert f"{service}-{kind}" in alarms
    for service in ("ingest", "api"):
        for kind in ("5xx-count", "5xx-rate", "4xx-count", "latency-p99-warning", "latency-p99-critical", "unhealthy-hosts"):
            assert f"{service}-{kind}" in alarms
    assert "worker-5xx-count" not in alarms and "ingest-queue-backlog" not in alarms
    assert {"worker-queue-backlog", "worker-zero-throughput", "rds-cpu", "rds-connections", "rds-free-storage",
            "rds-read-latency", "rds-write-latency", "redis-001-memory", "redis-002-replication-lag",
            "waf-blocked-requests"} <= set(alarms)
    assert len(alarms) == 45


def test_thresholds_windows_and_routing():
    alarms = by_name(monitoring_alarms(SERVICES, context()))
    assert alarms["api-5xx-count"]["threshold"] == 10 and alarms["api-5xx-count"]["evaluation_periods"] == 1
    assert alarms["api-5xx-rate"]["alarm_actions"] == [TOPICS["critical"]]
    assert alarms["api-cpu"]["alarm_actions"] == [TOPICS["warning"]]
    assert (alarms["api-cpu"]["threshold"], alarms["api-cpu"]["metric"]["period"], alarms["api-cpu"]["evaluation_periods"]) == (80, 60, 5)
    assert alarms["rds-cpu"]["evaluation_periods"] == 10 and alarms["rds-cpu"]["alarm_actions"] == [TOPICS["critical"]]
    assert alarms["rds-connections"]["threshold"] == 360  # 80% of LEAST(4 GiB / 9531392, 5000)
    assert alarms["rds-free-storage"]["threshold"] == 5 * 1024 ** 3
    assert alarms["api-latency-p99-warning"]["metric"]["extended_statistic"] == "p99"
    assert alarms["api-latency-p99-critical"]["threshold"] == 2
    assert alarms["worker-running-tasks"]["threshold"] == 2
    assert alarms["worker-running-tasks"]["metric"]["namespace"] == "ECS/ContainerInsights"
    assert alarms["worker-running-tasks"]["metric"]["dimensions"]["ServiceName"] == f"{P}-worker"
    assert alarms["worker-queue-backlog"]["threshold"] == 5000 and alarms["worker-queue-backlog"]["evaluation_periods"] == 10
    assert alarms["worker-queue-backlog"]["metric"]["dimensions"] == {
        "Environment": "prod", "Service": "worker", "Queue": "logs:default:clean"}
    assert alarms["worker-zero-throughput"]["treat_missing_data"] == "breaching"
    assert alarms["redis-001-evictions"]["alarm_actions"] == [TOPICS["info"]] and alarms["redis-001-evictions"]["ok_actions"] == []


def test_rate_alarm_is_metric_math_on_the_target_group():
    rate = by_name(monitoring_alarms(SERVICES, context()))["api-5xx-rate"]
    assert "metric" not in rate
    queries = {q["id"]: q for q in rate["metrics"]}
    assert [q["id"] for q in rate["metrics"] if q["return_data"]] == ["rate"]
    assert "errors" in queries["rate"]["expression"] and "requests" in queries["rate"]["expression"]
    dims = {d["name"]: d["value"] for d in queries["errors"]["metric_stat"]["metric"]["dimensions"]}
    assert dims == {"LoadBalancer": f"app/{P}-alb/0123456789abcdef", "TargetGroup": f"targetgroup/{P}-tg-api/0123456789abcdef"}
    assert queries["requests"]["metric_stat"]["period"] == 60


def test_one_threshold_edit_changes_exactly_one_alarm():
    before = by_name(monitoring_alarms(SERVICES, context()))
    after = by_name(monitoring_alarms(SERVICES, context(thresholds={"rds_cpu": {"threshold": 90}})))
    assert [n for n in before if before[n] != after[n]] == ["rds-cpu"]
    assert after["rds-cpu"]["threshold"] == 90


def test_severity_override_moves_the_alarm_to_another_topic():
    alarms = by_name(monitoring_alarms(SERVICES, context(thresholds={"app_errors": {"severity": "critical"}})))
    assert alarms["api-errors"]["alarm_actions"] == [TOPICS["critical"]]


def test_disabled_alarm_and_no_replica():
    alarms = by_name(monitoring_alarms(SERVICES, context(thresholds={"ecs_running_tasks": {"enabled": False}},
                                                         redis={"id": f"{P}-redis-main", "replicas": 0})))
    assert not any(n.endswith("running-tasks") for n in alarms)
    assert not any("replication-lag" in n for n in alarms)
    assert "redis-001-cpu" in alarms and "redis-002-cpu" not in alarms


@pytest.mark.parametrize(("thresholds", "fragment"), [
    ({"ecs_cpux": {"threshold": 1}}, "monitoring_thresholds.ecs_cpux is not a known alarm"),
    ({"ecs_cpu": {"treshold": 1}}, "monitoring_thresholds.ecs_cpu must be a dict with keys among"),
    ({"ecs_cpu": {"severity": "page"}}, "monitoring_thresholds.ecs_cpu.severity is 'page'; accepted: critical, warning, info"),
])
def test_bad_thresholds_are_named(thresholds, fragment):
    with pytest.raises(AnsibleFilterError, match=fragment.replace(".", r"\.")):
        monitoring_alarms(SERVICES, context(thresholds=thresholds))


def test_service_with_a_port_but_no_target_group_is_named():
    with pytest.raises(AnsibleFilterError, match="service 'api' has port 8000"):
        monitoring_alarms(SERVICES, context(alb={"arn": "arn:aws:elasticloadbalancing:r:1:loadbalancer/app/x/1",
                                                 "target_group_arn_suffixes": {"ingest": "targetgroup/i/1"}}))


def new_service(port=9000):
    return service_plan([{"name": "billing", "port": port, "paths": ["/billing/*"], "min_count": 3}])[0]


def test_adding_a_service_adds_its_alarms_filters_and_widgets():
    before = by_name(monitoring_alarms(SERVICES, context()))
    after = by_name(monitoring_alarms([*SERVICES, new_service()], context()))
    added = sorted(set(after) - set(before))
    assert added == sorted(f"billing-{k}" for k in ("cpu", "memory", "running-tasks", "errors", "5xx-count", "5xx-rate",
                                                    "4xx-count", "latency-p99-warning", "latency-p99-critical",
                                                    "unhealthy-hosts"))
    assert all(before[n] == after[n] for n in before)
    assert after["billing-running-tasks"]["threshold"] == 3
    filters = monitoring_metric_filters([*SERVICES, new_service()], context())
    assert filters[-1]["log_group_name"] == f"/ecs/{P}/billing"
    titles = [w["properties"]["title"] for w in monitoring_dashboard([*SERVICES, new_service()], context())["widgets"]]
    assert {"billing requests", "billing latency p50 / p99 (s)", "billing 5xx", "billing CPU (%)", "billing memory (%)",
            "billing running tasks"} <= set(titles)


def test_dashboard_has_every_row_and_fits_the_grid():
    body = monitoring_dashboard(SERVICES, context())
    json.loads(json.dumps(body))
    titles = [w["properties"]["title"] for w in body["widgets"]]
    for service in ("ingest", "api", "worker"):
        assert f"{service} CPU (%)" in titles and f"{service} running tasks" in titles
    assert {"api requests", "api latency p50 / p99 (s)", "api 5xx", "worker queue depth", "worker backlog per task",
            "database connections", "database CPU (%)", "database free storage (bytes)", "cache hits / misses",
            "cache memory (%)", "cache connections", "recent errors"} <= set(titles)
    assert "worker requests" not in titles
    for widget in body["widgets"]:
        assert widget["x"] + widget["width"] <= 24
    positions = [(w["x"], w["y"]) for w in body["widgets"]]
    assert len(positions) == len(set(positions))
    errors = next(w for w in body["widgets"] if w["type"] == "log")
    assert errors["properties"]["query"].startswith(f"SOURCE '/ecs/{P}/ingest' | SOURCE '/ecs/{P}/api' | SOURCE '/ecs/{P}/worker'")
    assert errors["properties"]["query"].endswith("filter @message like /ERROR/ | sort @timestamp desc | limit 20")


def test_metric_filters_count_error_lines_per_service():
    filters = monitoring_metric_filters(SERVICES, context())
    assert [f["filter_name"] for f in filters] == [f"{P}-ingest-errors", f"{P}-api-errors", f"{P}-worker-errors"]
    assert filters[0]["metric_transformation"] == {"metric_namespace": "CloudPlatform/Logs",
                                                   "metric_name": f"{P}-ingest-ErrorCount", "metric_value": "1",
                                                   "default_value": 0.0}


def test_subscriptions_put_pagerduty_on_critical_only():
    subs = monitoring_subscriptions({"critical": ["a@example.com"], "warning": ["b@example.com"]},
                                    "https://events.pagerduty.com/integration/KEY/enqueue")
    assert subs["critical"] == [{"protocol": "email", "endpoint": "a@example.com"},
                                {"protocol": "https", "endpoint": "https://events.pagerduty.com/integration/KEY/enqueue"}]
    assert subs["warning"] == [{"protocol": "email", "endpoint": "b@example.com"}] and subs["info"] == []
    assert monitoring_subscriptions({}, "")["critical"] == []


def test_plain_http_pagerduty_endpoint_fails_without_echoing_it():
    with pytest.raises(AnsibleFilterError) as error:
        monitoring_subscriptions({}, "http://events.pagerduty.com/integration/SECRET/enqueue")
    assert "SECRET" not in str(error.value) and "monitoring_pagerduty_endpoint" in str(error.value)
