# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

"""Filters of the monitoring role; their documentation is in the sidecar YAML files beside this one."""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

GIB = 1024 ** 3

# Memory of the RDS instance classes (GiB), from the RDS instance class tables. Burstable classes
# first; then the general-purpose and memory-optimised families, which double per size.
RDS_CLASS_MEMORY_GIB = {
    "db.t3.micro": 1, "db.t3.small": 2, "db.t3.medium": 4, "db.t3.large": 8,
    "db.t3.xlarge": 16, "db.t3.2xlarge": 32,
    "db.t4g.micro": 1, "db.t4g.small": 2, "db.t4g.medium": 4, "db.t4g.large": 8,
    "db.t4g.xlarge": 16, "db.t4g.2xlarge": 32,
}
_FAMILY_BASE_GIB = {"m5": 8, "m6g": 8, "m6i": 8, "m7g": 8, "m7i": 8, "r5": 16, "r6g": 16, "r6i": 16, "r7g": 16, "r7i": 16}
_SIZES = ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge")
_SIZE_FACTOR = {"large": 1, "xlarge": 2, "2xlarge": 4, "4xlarge": 8, "8xlarge": 16, "12xlarge": 24, "16xlarge": 32,
                "24xlarge": 48}
for _family, _base in _FAMILY_BASE_GIB.items():
    for _size in _SIZES:
        RDS_CLASS_MEMORY_GIB["db.%s.%s" % (_family, _size)] = _base * _SIZE_FACTOR[_size]

SEVERITIES = ("critical", "warning", "info")

# Documented in roles/monitoring/defaults/main.yml (monitoring_threshold_defaults); every alarm
# reads threshold, period (s), evaluation_periods, severity and enabled from its entry.
THRESHOLD_KEYS = ("threshold", "period", "evaluation_periods", "severity", "enabled")


def rds_max_connections(instance_class):
    """PostgreSQL's default max_connections on RDS: LEAST(DBInstanceClassMemory/9531392, 5000)."""
    if instance_class not in RDS_CLASS_MEMORY_GIB:
        raise AnsibleFilterError(
            "rds_max_connections: instance class %r is not known; known classes: %s"
            % (instance_class, ", ".join(sorted(RDS_CLASS_MEMORY_GIB)))
        )
    return min(RDS_CLASS_MEMORY_GIB[instance_class] * GIB // 9531392, 5000)


# Context helpers


def _thresholds(context):
    # A plain two-level copy: copy.deepcopy() of ansible-core's lazy containers re-templates them.
    merged = {key: dict(value) if isinstance(value, Mapping) else value
              for key, value in (context.get("threshold_defaults") or {}).items()}
    for key, value in (context.get("thresholds") or {}).items():
        if key not in merged:
            raise AnsibleFilterError(
                "monitoring_thresholds.%s is not a known alarm; known alarms: %s" % (key, ", ".join(sorted(merged)))
            )
        if not isinstance(value, dict) or set(value) - set(THRESHOLD_KEYS):
            raise AnsibleFilterError(
                "monitoring_thresholds.%s must be a dict with keys among %s, got %r" % (key, ", ".join(THRESHOLD_KEYS), value)
            )
        merged[key].update(value)
    for key, value in merged.items():
        if value.get("severity") not in SEVERITIES:
            raise AnsibleFilterError(
                "monitoring_thresholds.%s.severity is %r; accepted: %s" % (key, value.get("severity"), ", ".join(SEVERITIES))
            )
    return merged


def _arn_suffix(arn, marker):
    """The CloudWatch dimension form of an ELB ARN: the part after ':loadbalancer/' or after ':'."""
    if not arn:
        return None
    if marker == "loadbalancer/" and marker in arn:
        return arn.split(marker, 1)[1]
    return arn.rsplit(":", 1)[-1]


def _alb_dimensions(context):
    alb = context.get("alb") or {}
    lb = alb.get("arn_suffix") or _arn_suffix(alb.get("arn"), "loadbalancer/")
    target_groups = dict(alb.get("target_group_arn_suffixes") or {})
    for service, arn in (alb.get("target_group_arns") or {}).items():
        target_groups.setdefault(service, _arn_suffix(arn, "targetgroup/"))
    return lb, target_groups


def _target_group(context, service):
    lb, target_groups = _alb_dimensions(context)
    if not lb or service["name"] not in target_groups:
        raise AnsibleFilterError(
            "service %r has port %s but the alb_resource fact has no load balancer or target group for it "
            "(run the alb role first, or give alb_resource.target_group_arns.%s)"
            % (service["name"], service["port"], service["name"])
        )
    return {"LoadBalancer": lb, "TargetGroup": target_groups[service["name"]]}


def _ecs_dimensions(context, service):
    published = (context.get("ecs_services") or {}).get(service["name"]) or {}
    fallback = "%s-%s" % (context["prefix"], service["name"])
    return {"ClusterName": context["ecs_cluster_name"], "ServiceName": published.get("name") or fallback}


def _queue_dimensions(context, service):
    return {"Environment": context["environment"], "Service": service["name"], "Queue": service["scaling"]["queue"]["name"]}


def _redis_nodes(context):
    redis = context.get("redis") or {}
    members = redis.get("member_clusters")
    if members:
        return list(members)
    return ["%s-%03d" % (redis["id"], index + 1) for index in range(int(redis.get("replicas") or 0) + 1)]


def is_worker(service):
    return bool((service.get("scaling") or {}).get("queue"))


# Alarm builders


def _metric(namespace, name, dimensions, stat, period):
    metric = {"namespace": namespace, "metric_name": name, "dimensions": dimensions, "period": period}
    if stat.startswith("p"):
        metric["extended_statistic"] = stat
    else:
        metric["statistic"] = stat
    return metric


def _alarm(context, key, alarm_id, description, comparison, metric=None, metrics=None,
           threshold=None, missing="notBreaching"):
    """One alarm in the option shape of cloudplatform.aws.cloudwatch_alarm, or None when disabled."""
    spec = context["__thresholds"][key]
    if not spec.get("enabled", True):
        return None
    topic = context["topics"][spec["severity"]]
    alarm = {
        "name": "%s-alarm-%s" % (context["prefix"], alarm_id),
        "description": "[%s] %s" % (spec["severity"].upper(), description),
        "comparison": comparison,
        "threshold": float(spec["threshold"] if threshold is None else threshold),
        "evaluation_periods": int(spec["evaluation_periods"]),
        "datapoints_to_alarm": int(spec["evaluation_periods"]),
        "treat_missing_data": missing,
        "alarm_actions": [topic],
        "ok_actions": [topic] if spec["severity"] != "info" else [],
    }
    if metric is not None:
        metric["period"] = int(spec["period"])
        alarm["metric"] = metric
    else:
        for query in metrics:
            if "metric_stat" in query:
                query["metric_stat"]["period"] = int(spec["period"])
        alarm["metrics"] = metrics
    return alarm


def _stat_query(query_id, namespace, name, dimensions, stat):
    return {
        "id": query_id,
        "return_data": False,
        "metric_stat": {
            "metric": {"namespace": namespace, "metric_name": name,
                       "dimensions": [{"name": k, "value": v} for k, v in sorted(dimensions.items())]},
            "stat": stat,
        },
    }


def _alb_alarms(context, service):
    dims = _target_group(context, service)
    name = service["name"]
    elb = "AWS/ApplicationELB"
    rate = [
        _stat_query("errors", elb, "HTTPCode_Target_5XX_Count", dims, "Sum"),
        _stat_query("requests", elb, "RequestCount", dims, "Sum"),
        {"id": "rate", "expression": "IF(requests > 0, 100 * errors / requests, 0)",
         "label": "%s 5xx rate (%%)" % name, "return_data": True},
    ]
    return [
        _alarm(context, "alb_5xx_count", "%s-5xx-count" % name, "%s target 5xx responses per minute" % name,
               "GreaterThanThreshold", _metric(elb, "HTTPCode_Target_5XX_Count", dims, "Sum", 60)),
        _alarm(context, "alb_5xx_rate", "%s-5xx-rate" % name, "%s share of requests answered 5xx (%%)" % name,
               "GreaterThanThreshold", metrics=rate),
        _alarm(context, "alb_4xx_count", "%s-4xx-count" % name, "%s target 4xx responses per minute" % name,
               "GreaterThanThreshold", _metric(elb, "HTTPCode_Target_4XX_Count", dims, "Sum", 60)),
        _alarm(context, "alb_latency_warning", "%s-latency-p99-warning" % name, "%s p99 response time (s)" % name,
               "GreaterThanThreshold", _metric(elb, "TargetResponseTime", dims, "p99", 60)),
        _alarm(context, "alb_latency_critical", "%s-latency-p99-critical" % name, "%s p99 response time (s)" % name,
               "GreaterThanThreshold", _metric(elb, "TargetResponseTime", dims, "p99", 60)),
        _alarm(context, "alb_unhealthy_hosts", "%s-unhealthy-hosts" % name, "%s unhealthy targets" % name,
               "GreaterThanThreshold", _metric(elb, "UnHealthyHostCount", dims, "Maximum", 60)),
    ]


def _service_alarms(context, service):
    name = service["name"]
    dims = _ecs_dimensions(context, service)
    alarms = [
        _alarm(context, "ecs_cpu", "%s-cpu" % name, "%s average CPU (%%)" % name,
               "GreaterThanThreshold", _metric("AWS/ECS", "CPUUtilization", dims, "Average", 60)),
        _alarm(context, "ecs_memory", "%s-memory" % name, "%s average memory (%%)" % name,
               "GreaterThanThreshold", _metric("AWS/ECS", "MemoryUtilization", dims, "Average", 60)),
        # Below the service minimum; no data means Container Insights sees no task at all.
        _alarm(context, "ecs_running_tasks", "%s-running-tasks" % name,
               "%s running tasks below its minimum of %s" % (name, service["min_count"]),
               "LessThanThreshold", _metric("ECS/ContainerInsights", "RunningTaskCount", dims, "Minimum", 60),
               threshold=service["min_count"], missing="breaching"),
        _alarm(context, "app_errors", "%s-errors" % name, "%s ERROR log lines per minute" % name,
               "GreaterThanThreshold",
               _metric(context["log_metric_namespace"], error_metric_name(context, name), {}, "Sum", 60)),
    ]
    if service.get("port"):
        alarms.extend(_alb_alarms(context, service))
    if is_worker(service):
        alarms.extend(_worker_alarms(context, service))
    return alarms


def _worker_alarms(context, service):
    name = service["name"]
    dims = _queue_dimensions(context, service)
    namespace = context["queue_namespace"]
    return [
        _alarm(context, "queue_backlog", "%s-queue-backlog" % name,
               "%s queue %s depth" % (name, dims["Queue"]), "GreaterThanThreshold",
               _metric(namespace, context["queue_depth_metric"], dims, "Maximum", 60)),
        # Silence from the worker is the failure this alarm exists for.
        _alarm(context, "queue_zero_throughput", "%s-zero-throughput" % name,
               "%s processed nothing from %s" % (name, dims["Queue"]), "LessThanOrEqualToThreshold",
               _metric(namespace, context["queue_throughput_metric"], dims, "Sum", 60), missing="breaching"),
    ]


def _rds_alarms(context):
    rds = context.get("rds") or {}
    if not rds.get("identifier"):
        return []
    dims = {"DBInstanceIdentifier": rds["identifier"]}
    max_connections = rds_max_connections(rds["instance_class"])
    percent = context["__thresholds"]["rds_connections"]["threshold"]
    ns = "AWS/RDS"
    return [
        _alarm(context, "rds_cpu", "rds-cpu", "database CPU (%)", "GreaterThanThreshold",
               _metric(ns, "CPUUtilization", dims, "Average", 60)),
        _alarm(context, "rds_connections", "rds-connections",
               "database connections above %s%% of max_connections %s (%s)" % (percent, max_connections, rds["instance_class"]),
               "GreaterThanThreshold", _metric(ns, "DatabaseConnections", dims, "Maximum", 60),
               threshold=int(max_connections * percent / 100)),
        _alarm(context, "rds_free_storage", "rds-free-storage", "database free storage (GiB)", "LessThanThreshold",
               _metric(ns, "FreeStorageSpace", dims, "Minimum", 60),
               threshold=context["__thresholds"]["rds_free_storage"]["threshold"] * GIB, missing="breaching"),
        _alarm(context, "rds_read_latency", "rds-read-latency", "database read latency (s)", "GreaterThanThreshold",
               _metric(ns, "ReadLatency", dims, "Average", 60)),
        _alarm(context, "rds_write_latency", "rds-write-latency", "database write latency (s)", "GreaterThanThreshold",
               _metric(ns, "WriteLatency", dims, "Average", 60)),
        _alarm(context, "rds_freeable_memory", "rds-freeable-memory", "database freeable memory (MiB)", "LessThanThreshold",
               _metric(ns, "FreeableMemory", dims, "Minimum", 60),
               threshold=context["__thresholds"]["rds_freeable_memory"]["threshold"] * 1024 * 1024),
    ]


def _redis_node_alarms(context, node, with_replica):
    dims = {"CacheClusterId": node, "CacheNodeId": "0001"}
    ns = "AWS/ElastiCache"
    short = _node_label(context, node)
    specs = [
        ("redis_cpu", "cpu", "engine CPU (%)", "GreaterThanThreshold", "EngineCPUUtilization", "Average"),
        ("redis_memory", "memory", "memory used (%)", "GreaterThanThreshold", "DatabaseMemoryUsagePercentage", "Maximum"),
        ("redis_evictions", "evictions", "evicted keys", "GreaterThanThreshold", "Evictions", "Sum"),
        ("redis_connections", "connections", "client connections", "GreaterThanThreshold", "CurrConnections", "Maximum"),
        ("redis_hit_rate", "hit-rate", "hit rate (%)", "LessThanThreshold", "CacheHitRate", "Average"),
    ]
    if with_replica:
        # Only replicas publish ReplicationLag and the primary can move on failover: every node
        # gets the alarm and a missing datapoint (the current primary) is not a breach.
        specs.append(("redis_replication_lag", "replication-lag", "replication lag (s)", "GreaterThanThreshold",
                      "ReplicationLag", "Maximum"))
    return [
        _alarm(context, key, "redis-%s-%s" % (short, suffix), "cache node %s %s" % (node, what), comparison,
               _metric(ns, metric, dims, stat, 60))
        for key, suffix, what, comparison, metric, stat in specs
    ]


def _node_label(context, node):
    """Member clusters are named {replication group}-NNN: NNN is enough inside an alarm name."""
    group = (context.get("redis") or {}).get("id") or ""
    return node[len(group) + 1:] if group and node.startswith(group + "-") else node


def _redis_alarms(context):
    redis = context.get("redis") or {}
    if not redis.get("id"):
        return []
    nodes = _redis_nodes(context)
    alarms = []
    for node in nodes:
        alarms.extend(_redis_node_alarms(context, node, len(nodes) > 1))
    return alarms


def _waf_alarms(context):
    waf = context.get("waf") or {}
    if not waf.get("enabled") or not waf.get("web_acl_name"):
        return []
    dims = {"WebACL": waf["web_acl_name"], "Region": context["region"], "Rule": "ALL"}
    return [
        _alarm(context, "waf_blocked_requests", "waf-blocked-requests", "requests blocked by the web ACL",
               "GreaterThanThreshold", _metric("AWS/WAFV2", "BlockedRequests", dims, "Sum", 300)),
    ]


def error_metric_name(context, service_name):
    return "%s-%s-ErrorCount" % (context["prefix"], service_name)


def _prepared(context):
    for key in ("prefix", "environment", "region", "topics", "ecs_cluster_name"):
        if not context.get(key):
            raise AnsibleFilterError("monitoring context: %s is missing or empty" % key)
    context = dict(context)
    context["__thresholds"] = _thresholds(context)
    missing = [s for s in SEVERITIES if not context["topics"].get(s)]
    if missing:
        raise AnsibleFilterError("monitoring context: topics has no ARN for %s" % ", ".join(missing))
    return context


def monitoring_alarms(services, context):
    """The alarm catalogue, service alarms in inventory order, then database, cache and WAF."""
    context = _prepared(context)
    alarms = []
    for service in services:
        alarms.extend(_service_alarms(context, service))
    alarms.extend(_rds_alarms(context))
    alarms.extend(_redis_alarms(context))
    alarms.extend(_waf_alarms(context))
    return [alarm for alarm in alarms if alarm is not None]


def monitoring_metric_filters(services, context):
    """One ERROR-count metric filter per service log group."""
    return [
        {
            "log_group_name": "%s/%s" % (context["log_group_prefix"], service["name"]),
            "filter_name": "%s-%s-errors" % (context["prefix"], service["name"]),
            "filter_pattern": context.get("error_filter_pattern") or "ERROR",
            "metric_transformation": {
                "metric_namespace": context["log_metric_namespace"],
                "metric_name": error_metric_name(context, service["name"]),
                "metric_value": "1",
                "default_value": 0.0,
            },
        }
        for service in services
    ]


def monitoring_subscriptions(email_subscriptions, pagerduty_endpoint=""):
    """SNS subscriptions per severity: e-mail addresses, plus PagerDuty (HTTPS) on critical."""
    email_subscriptions = email_subscriptions or {}
    unknown = sorted(set(email_subscriptions) - set(SEVERITIES))
    if unknown:
        raise AnsibleFilterError(
            "monitoring_email_subscriptions has unknown topics %s; accepted: %s" % (", ".join(unknown), ", ".join(SEVERITIES))
        )
    result = {}
    for severity in SEVERITIES:
        result[severity] = [{"protocol": "email", "endpoint": address} for address in email_subscriptions.get(severity) or []]
    if pagerduty_endpoint:
        if not pagerduty_endpoint.startswith("https://"):
            # Never echo the value: it carries the integration key.
            raise AnsibleFilterError("monitoring_pagerduty_endpoint must be an https:// URL (value hidden)")
        result["critical"].append({"protocol": "https", "endpoint": pagerduty_endpoint})
    return result


# Dashboard

WIDTH = 8
HEIGHT = 6


def _metric_widget(context, title, metrics, view="timeSeries", stacked=False, extra=None):
    properties = {"title": title, "region": context["region"], "view": view, "stacked": stacked,
                  "metrics": metrics, "period": 60}
    properties.update(extra or {})
    return {"type": "metric", "properties": properties}


def _dim_list(dimensions):
    flat = []
    for key, value in sorted(dimensions.items()):
        flat.extend([key, value])
    return flat


def _request_widgets(context, service):
    dims = _dim_list(_target_group(context, service))
    elb = "AWS/ApplicationELB"
    name = service["name"]
    return [
        _metric_widget(context, "%s requests" % name, [[elb, "RequestCount", *dims, {"stat": "Sum"}]], stacked=True),
        _metric_widget(context, "%s latency p50 / p99 (s)" % name, [
            [elb, "TargetResponseTime", *dims, {"stat": "p50", "label": "p50"}],
            [elb, "TargetResponseTime", *dims, {"stat": "p99", "label": "p99"}],
        ]),
        _metric_widget(context, "%s 5xx" % name, [[elb, "HTTPCode_Target_5XX_Count", *dims, {"stat": "Sum"}]]),
    ]


def _compute_widgets(context, service):
    dims = _dim_list(_ecs_dimensions(context, service))
    name = service["name"]
    return [
        _metric_widget(context, "%s CPU (%%)" % name, [["AWS/ECS", "CPUUtilization", *dims, {"stat": "Average"}]]),
        _metric_widget(context, "%s memory (%%)" % name, [["AWS/ECS", "MemoryUtilization", *dims, {"stat": "Average"}]]),
        _metric_widget(context, "%s running tasks" % name,
                       [["ECS/ContainerInsights", "RunningTaskCount", *dims, {"stat": "Minimum"}]], view="singleValue"),
    ]


def _queue_widgets(context, service):
    name = service["name"]
    queue = _dim_list(_queue_dimensions(context, service))
    depth = [context["queue_namespace"], context["queue_depth_metric"], *queue]
    backlog = context["__thresholds"]["queue_backlog"]["threshold"]
    return [
        _metric_widget(context, "%s queue depth" % name, [[*depth, {"stat": "Maximum"}]],
                       extra={"annotations": {"horizontal": [{"label": "backlog alarm", "value": backlog}]}}),
        _metric_widget(context, "%s backlog per task" % name,
                       [[context["queue_namespace"], context["queue_backlog_per_task_metric"], *queue, {"stat": "Maximum"}]]),
        _metric_widget(context, "%s throughput" % name,
                       [[context["queue_namespace"], context["queue_throughput_metric"], *queue, {"stat": "Sum"}]]),
    ]


def _database_widgets(context):
    rds = context.get("rds") or {}
    if not rds.get("identifier"):
        return []
    dims = ["DBInstanceIdentifier", rds["identifier"]]
    ceiling = rds_max_connections(rds["instance_class"])
    return [
        _metric_widget(context, "database connections", [["AWS/RDS", "DatabaseConnections", *dims, {"stat": "Maximum"}]],
                       extra={"annotations": {"horizontal": [{"label": "max_connections", "value": ceiling}]}}),
        _metric_widget(context, "database CPU (%)", [["AWS/RDS", "CPUUtilization", *dims, {"stat": "Average"}]]),
        _metric_widget(context, "database free storage (bytes)", [["AWS/RDS", "FreeStorageSpace", *dims, {"stat": "Minimum"}]],
                       view="gauge", extra={"yAxis": {"left": {"min": 0, "max": rds.get("allocated_storage_gib", 100) * GIB}}}),
    ]


def _cache_widgets(context):
    redis = context.get("redis") or {}
    if not redis.get("id"):
        return []
    ns = "AWS/ElastiCache"
    nodes = _redis_nodes(context)
    hits, memory, connections = [], [], []
    for node in nodes:
        dims = ["CacheClusterId", node, "CacheNodeId", "0001"]
        hits.append([ns, "CacheHits", *dims, {"stat": "Sum", "label": "%s hits" % node}])
        hits.append([ns, "CacheMisses", *dims, {"stat": "Sum", "label": "%s misses" % node}])
        memory.append([ns, "DatabaseMemoryUsagePercentage", *dims, {"stat": "Maximum"}])
        connections.append([ns, "CurrConnections", *dims, {"stat": "Maximum"}])
    return [
        _metric_widget(context, "cache hits / misses", hits, stacked=True),
        _metric_widget(context, "cache memory (%)", memory),
        _metric_widget(context, "cache connections", connections, view="singleValue"),
    ]


def _errors_widget(context, services):
    sources = " | ".join("SOURCE '%s/%s'" % (context["log_group_prefix"], s["name"]) for s in services)
    query = "%s | fields @timestamp, @message | filter @message like /ERROR/ | sort @timestamp desc | limit 20" % sources
    return {"type": "log", "width": 24, "height": HEIGHT,
            "properties": {"title": "recent errors", "region": context["region"], "view": "table", "query": query}}


def _layout(rows):
    """Place each row of widgets left to right, WIDTH wide, one row under the other."""
    placed = []
    y = 0
    for row in rows:
        for index, widget in enumerate(row):
            widget = dict(widget)
            widget.setdefault("width", WIDTH)
            widget.setdefault("height", HEIGHT)
            widget.update({"x": (index * WIDTH) % 24, "y": y + (index * WIDTH) // 24 * HEIGHT})
            placed.append(widget)
        if row:
            y += ((len(row) * WIDTH + 23) // 24) * HEIGHT
    return placed


def monitoring_dashboard(services, context):
    """The overview dashboard body: requests, compute, database, cache, queues, recent errors."""
    context = _prepared(context)
    rows = []
    for service in services:
        if service.get("port"):
            rows.append(_request_widgets(context, service))
        rows.append(_compute_widgets(context, service))
        if is_worker(service):
            rows.append(_queue_widgets(context, service))
    rows.append(_database_widgets(context))
    rows.append(_cache_widgets(context))
    if services:
        rows.append([_errors_widget(context, services)])
    return {"start": "-PT6H", "periodOverride": "inherit", "widgets": _layout(rows)}


class FilterModule(object):
    def filters(self):
        return {
            "monitoring_alarms": monitoring_alarms,
            "monitoring_dashboard": monitoring_dashboard,
            "monitoring_metric_filters": monitoring_metric_filters,
            "monitoring_subscriptions": monitoring_subscriptions,
            "rds_max_connections": rds_max_connections,
        }
