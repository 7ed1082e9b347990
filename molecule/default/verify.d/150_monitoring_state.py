"""Read-only: print the monitoring of the local environment (topics, alarms, filters, dashboard) as JSON."""

from __future__ import annotations

import json
import os
import sys

import boto3

PREFIX = "cloudplatform-local"
SERVICES = ("ingest", "api", "worker")


def topics(sns) -> dict:
    arns = [t["TopicArn"] for page in sns.get_paginator("list_topics").paginate() for t in page["Topics"]]
    state = {}
    for severity in ("critical", "warning", "info"):
        arn = next((a for a in arns if a.endswith(f":{PREFIX}-{severity}")), None)
        if arn is None:
            continue
        attributes = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
        subs = sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
        state[severity] = {"arn": arn, "kms_key": attributes.get("KmsMasterKeyId", ""),
                           "subscriptions": sorted(f"{s['Protocol']}:{s['Endpoint']}" for s in subs)}
    return state


def alarms(cloudwatch, topic_names: dict) -> tuple[dict, list]:
    """Each alarm as [threshold, period, evaluation periods, topic]; and the metric-math alarms."""
    pages = cloudwatch.get_paginator("describe_alarms").paginate(AlarmNamePrefix=f"{PREFIX}-alarm-")
    rows, math = {}, []
    for page in pages:
        for alarm in page["MetricAlarms"]:
            name = alarm["AlarmName"][len(f"{PREFIX}-alarm-"):]
            periods = [m["MetricStat"]["Period"] for m in alarm.get("Metrics", []) if "MetricStat" in m]
            actions = [topic_names.get(a, a) for a in alarm.get("AlarmActions", [])]
            rows[name] = [alarm["Threshold"], alarm.get("Period") or (periods[0] if periods else None),
                          alarm["EvaluationPeriods"], actions[0] if len(actions) == 1 else actions]
            if alarm.get("Metrics"):
                math.append(name)
    return rows, sorted(math)


def main() -> int:
    kwargs = {"region_name": "us-east-1", "endpoint_url": os.environ["CLOUDPLATFORM_AWS_ENDPOINT_URL"]}
    sns, cloudwatch, logs = (boto3.client(s, **kwargs) for s in ("sns", "cloudwatch", "logs"))
    topic_state = topics(sns)
    topic_names = {t["arn"]: severity for severity, t in topic_state.items()}
    rows, math = alarms(cloudwatch, topic_names)
    body = cloudwatch.get_dashboard(DashboardName=f"{PREFIX}-overview")["DashboardBody"]
    widgets = json.loads(body)["widgets"]
    filters = {}
    for service in SERVICES:
        found = logs.describe_metric_filters(logGroupName=f"/ecs/{PREFIX}/{service}")["metricFilters"]
        filters[service] = [{"name": f["filterName"], "pattern": f["filterPattern"],
                             "metric": f["metricTransformations"][0]["metricName"]} for f in found]
    json.dump({
        "topics": topic_state,
        "alarm_rows": rows,
        "metric_math": math,
        "filters": filters,
        "widget_titles": [w.get("properties", {}).get("title", "") for w in widgets],
        "widget_types": sorted({w["type"] for w in widgets}),
        "log_widget_query": next((w["properties"]["query"] for w in widgets if w["type"] == "log"), ""),
    }, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
