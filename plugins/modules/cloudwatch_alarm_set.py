#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudwatch_alarm_set
short_description: Manage a set of CloudWatch metric alarms sharing a name prefix, metric math included
version_added: 0.1.0
description:
  - Converges every alarm of O(alarms) (single-metric or metric-math) in one call, and with
    O(purge=true) deletes the alarms whose names start with O(name_prefix) but are not listed, so
    an alarm catalogue generated from an inventory follows the inventory.
  - Reads all alarms of the prefix at once and compares every setting (metric-math queries
    included) with the requested one; C(PutMetricAlarm) is called only for alarms that differ, so
    a converged set costs a few reads. M(amazon.aws.cloudwatch_metric_alarm) rewrites metric-math
    alarms on every run and takes one module call per alarm, which is why this module exists.
  - Tags are compared per alarm and changed with C(TagResource)/C(UntagResource).
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  name_prefix:
    description:
      - Every alarm of O(alarms) must start with it; with O(purge=true) the other alarms starting
        with it are deleted, and O(state=absent) deletes all of them.
    type: str
    required: true
  alarms:
    description: The alarms.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The alarm name.
        type: str
        required: true
      description:
        description: The alarm description.
        type: str
      metric:
        description: The single metric the alarm watches. Mutually exclusive with O(alarms[].metrics).
        type: dict
        suboptions:
          namespace:
            description: The metric namespace.
            type: str
            required: true
          metric_name:
            description: The metric name.
            type: str
            required: true
          dimensions:
            description: The metric dimensions, name to value.
            type: dict
            default: {}
          statistic:
            description: The statistic. Mutually exclusive with O(alarms[].metric.extended_statistic).
            type: str
            choices: [SampleCount, Average, Sum, Minimum, Maximum]
          extended_statistic:
            description: A percentile such as C(p99).
            type: str
          period:
            description: The period in seconds.
            type: int
            required: true
          unit:
            description: The unit of the metric.
            type: str
      metrics:
        description:
          - The metric-data queries of a metric-math alarm, in the API's shape with snake_case keys
            (C(id), C(expression), C(label), C(return_data), C(period), C(metric_stat) with C(metric)
            C(namespace), C(metric_name) and C(dimensions) as a list of C(name)/C(value) dicts, then C(period), C(stat)).
          - Exactly one query must have C(return_data=true).
        type: list
        elements: dict
      comparison:
        description: How the statistic compares with the threshold.
        type: str
        required: true
        choices: [GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold, LessThanOrEqualToThreshold]
      threshold:
        description: The threshold.
        type: float
        required: true
      evaluation_periods:
        description: The number of periods evaluated.
        type: int
        required: true
      datapoints_to_alarm:
        description: The number of breaching datapoints (of the evaluation periods) that trigger the alarm.
        type: int
      treat_missing_data:
        description: How missing data points are treated.
        type: str
        choices: [breaching, notBreaching, ignore, missing]
        default: missing
      evaluate_low_sample_count_percentile:
        description: For percentile statistics, whether low sample counts are evaluated.
        type: str
        choices: [evaluate, ignore]
      actions_enabled:
        description: Whether the alarm runs its actions.
        type: bool
        default: true
      alarm_actions:
        description: ARNs notified when the alarm enters ALARM.
        type: list
        elements: str
        default: []
      ok_actions:
        description: ARNs notified when the alarm returns to OK.
        type: list
        elements: str
        default: []
      insufficient_data_actions:
        description: ARNs notified when the alarm enters INSUFFICIENT_DATA.
        type: list
        elements: str
        default: []
  purge:
    description: Delete alarms that start with O(name_prefix) and are not in O(alarms).
    type: bool
    default: true
  state:
    description: C(present) converges the set; C(absent) deletes every alarm starting with O(name_prefix).
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    description: Reports what would change without calling C(PutMetricAlarm), C(DeleteAlarms) or the tagging APIs.
  diff_mode:
    support: full
    description: Shows, by alarm name, the settings and tags before and after of the alarms that change, are created or are deleted.
  platform:
    support: full
    platforms: aws
    description: Targets the CloudWatch API.
notes:
  - O(tags) apply to every alarm of the set.
"""

EXAMPLES = r"""
- name: Converge the alarms of an environment
  cloudplatform.aws.cloudwatch_alarm_set:
    name_prefix: cloudplatform-prod-alarm-
    tags:
      Environment: prod
    alarms:
      - name: cloudplatform-prod-alarm-api-5xx-count
        metric:
          namespace: AWS/ApplicationELB
          metric_name: HTTPCode_Target_5XX_Count
          dimensions:
            LoadBalancer: app/cloudplatform-prod-alb/0123456789abcdef
            TargetGroup: targetgroup/cloudplatform-prod-tg-api/0123456789abcdef
          statistic: Sum
          period: 60
        comparison: GreaterThanThreshold
        threshold: 10
        evaluation_periods: 1
        treat_missing_data: notBreaching
        alarm_actions: [arn:aws:sns:us-east-1:123456789012:cloudplatform-prod-critical]
      - name: cloudplatform-prod-alarm-api-5xx-rate
        metrics:
          - id: errors
            return_data: false
            metric_stat:
              metric:
                namespace: AWS/ApplicationELB
                metric_name: HTTPCode_Target_5XX_Count
                dimensions: [{name: LoadBalancer, value: app/cloudplatform-prod-alb/0123456789abcdef}]
              period: 60
              stat: Sum
          - id: requests
            return_data: false
            metric_stat:
              metric:
                namespace: AWS/ApplicationELB
                metric_name: RequestCount
                dimensions: [{name: LoadBalancer, value: app/cloudplatform-prod-alb/0123456789abcdef}]
              period: 60
              stat: Sum
          - id: rate
            expression: 100 * errors / requests
            label: 5xx rate (%)
            return_data: true
        comparison: GreaterThanThreshold
        threshold: 5
        evaluation_periods: 3
        alarm_actions: [arn:aws:sns:us-east-1:123456789012:cloudplatform-prod-critical]

- name: Delete every alarm of the environment
  cloudplatform.aws.cloudwatch_alarm_set:
    name_prefix: cloudplatform-prod-alarm-
    state: absent
"""

RETURN = r"""
alarms:
  description: The alarms of the set after the change, snake_cased as C(DescribeAlarms) returns them, with C(tags) as a dict.
  returned: always
  type: list
  elements: dict
  contains:
    alarm_name:
      description: The alarm name.
      type: str
    alarm_arn:
      description: The alarm ARN (absent in check mode before creation).
      type: str
    threshold:
      description: The threshold.
      type: float
    tags:
      description: The alarm's tags.
      type: dict
created:
  description: Names of the alarms created.
  returned: always
  type: list
  elements: str
updated:
  description: Names of the existing alarms whose settings or tags changed.
  returned: always
  type: list
  elements: str
deleted:
  description: Names of the alarms deleted.
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict, snake_dict_to_camel_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import (
    ansible_dict_to_boto3_tag_list,
    boto3_tag_list_to_ansible_dict,
    compare_aws_tags,
)

from ansible_collections.cloudplatform.aws.plugins.module_utils.cloudwatch import (
    CloudWatchError,
    delete_alarms,
    describe_metric_alarms_by_prefix,
    list_tags,
    put_metric_alarm,
    tag_resource,
    untag_resource,
)

# The settings PutMetricAlarm replaces as a whole; everything else DescribeAlarms returns is state.
MANAGED_KEYS = (
    "AlarmDescription", "Namespace", "MetricName", "Dimensions", "Statistic", "ExtendedStatistic",
    "Period", "Unit", "Metrics", "ComparisonOperator", "Threshold", "EvaluationPeriods",
    "DatapointsToAlarm", "TreatMissingData", "EvaluateLowSampleCountPercentile", "ActionsEnabled",
    "AlarmActions", "OKActions", "InsufficientDataActions",
)


def prune(value):
    """Drop None and empty values recursively and order dimensions, so API echoes compare equal."""
    if isinstance(value, dict):
        pruned = {k: prune(v) for k, v in value.items()}
        pruned = {k: v for k, v in pruned.items() if v not in (None, "", [], {})}
        if "Dimensions" in pruned:
            pruned["Dimensions"] = sorted(pruned["Dimensions"], key=lambda d: d.get("Name", ""))
        return pruned
    if isinstance(value, list):
        return [prune(v) for v in value]
    return value


def metric_params(metric):
    if not metric:
        return {}
    return {
        "Namespace": metric["namespace"],
        "MetricName": metric["metric_name"],
        "Dimensions": [{"Name": k, "Value": str(v)} for k, v in sorted(metric["dimensions"].items())],
        "Statistic": metric["statistic"],
        "ExtendedStatistic": metric["extended_statistic"],
        "Period": metric["period"],
        "Unit": metric["unit"],
    }


def desired_params(alarm):
    """PutMetricAlarm parameters of one requested alarm."""
    desired = {
        "AlarmName": alarm["name"],
        "AlarmDescription": alarm["description"],
        "ComparisonOperator": alarm["comparison"],
        "Threshold": float(alarm["threshold"]),
        "EvaluationPeriods": alarm["evaluation_periods"],
        "DatapointsToAlarm": alarm["datapoints_to_alarm"],
        "TreatMissingData": alarm["treat_missing_data"],
        "EvaluateLowSampleCountPercentile": alarm["evaluate_low_sample_count_percentile"],
        "ActionsEnabled": alarm["actions_enabled"],
        "AlarmActions": alarm["alarm_actions"],
        "OKActions": alarm["ok_actions"],
        "InsufficientDataActions": alarm["insufficient_data_actions"],
    }
    desired.update(metric_params(alarm["metric"]))
    if alarm["metrics"]:
        desired["Metrics"] = snake_dict_to_camel_dict(alarm["metrics"], capitalize_first=True)
    return prune(desired)


def comparable(alarm):
    return prune({key: alarm.get(key) for key in MANAGED_KEYS})


def check_alarms(module):
    prefix = module.params["name_prefix"]
    for alarm in module.params["alarms"]:
        if not alarm["name"].startswith(prefix):
            module.fail_json(msg="alarms[].name %r does not start with name_prefix %r" % (alarm["name"], prefix))
        if bool(alarm["metric"]) == bool(alarm["metrics"]):
            module.fail_json(msg="alarm %r: give exactly one of metric and metrics" % alarm["name"])
        metric = alarm["metric"] or {}
        if metric and bool(metric["statistic"]) == bool(metric["extended_statistic"]):
            module.fail_json(msg="alarm %r: give exactly one of metric.statistic and metric.extended_statistic" % alarm["name"])


def update_settings(module, client, current, desired):
    if current and comparable(current) == comparable(desired):
        return False
    if module.check_mode:
        return True
    params = dict(desired)
    if not current and module.params["tags"]:
        params["Tags"] = ansible_dict_to_boto3_tag_list(module.params["tags"])
    put_metric_alarm(client, **params)
    return True


def update_tags(module, client, current, current_tags):
    if module.params["tags"] is None or not current:
        return False
    to_set, to_remove = compare_aws_tags(current_tags, module.params["tags"], module.params["purge_tags"])
    if not (to_set or to_remove):
        return False
    if module.check_mode:
        return True
    if to_remove:
        untag_resource(client, current["AlarmArn"], to_remove)
    if to_set:
        tag_resource(client, current["AlarmArn"], ansible_dict_to_boto3_tag_list(to_set))
    return True


def expected_tags(module, current_tags):
    if module.params["tags"] is None:
        return current_tags
    if module.params["purge_tags"]:
        return dict(module.params["tags"])
    return dict(current_tags, **module.params["tags"])


def read_set(client, prefix, with_tags):
    alarms = {a["AlarmName"]: a for a in describe_metric_alarms_by_prefix(client, prefix)}
    tags = {}
    if with_tags:
        tags = {name: boto3_tag_list_to_ansible_dict(list_tags(client, a["AlarmArn"])) for name, a in alarms.items()}
    return alarms, tags


def diff_view(alarm, tags):
    return dict(camel_dict_to_snake_dict(comparable(alarm)), tags=tags)


class AlarmSet:
    """Converges the alarms of one prefix and records what changed for the result and diff."""

    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.current, self.current_tags = read_set(client, module.params["name_prefix"], module.params["tags"] is not None)
        self.result = dict(created=[], updated=[], deleted=[])
        self.before = {}
        self.after = {}

    def converge_alarm(self, alarm):
        name = alarm["name"]
        desired = desired_params(alarm)
        current = self.current.get(name)
        tags = self.current_tags.get(name, {})
        changed = update_settings(self.module, self.client, current, desired)
        changed |= update_tags(self.module, self.client, current, tags)
        if not changed:
            return
        self.result["updated" if current else "created"].append(name)
        if current:
            self.before[name] = diff_view(current, tags)
        self.after[name] = diff_view(desired, expected_tags(self.module, tags))

    def delete(self, names):
        if not names:
            return
        if not self.module.check_mode:
            delete_alarms(self.client, names)
        for name in names:
            self.result["deleted"].append(name)
            self.before[name] = diff_view(self.current[name], self.current_tags.get(name, {}))

    def converge(self):
        wanted = []
        if self.module.params["state"] == "present":
            for alarm in self.module.params["alarms"]:
                self.converge_alarm(alarm)
                wanted.append(alarm["name"])
        if self.module.params["state"] == "absent" or self.module.params["purge"]:
            self.delete(sorted(set(self.current) - set(wanted)))
        return any(self.result.values())

    def final_alarms(self, changed):
        if changed and not self.module.check_mode:
            alarms, tags = read_set(self.client, self.module.params["name_prefix"], True)
        else:
            alarms = {name: a for name, a in self.current.items() if name not in self.result["deleted"]}
            tags = self.current_tags
            for name in self.result["created"] + self.result["updated"]:
                alarms[name] = dict(self.current.get(name, {}), **next(
                    desired_params(a) for a in self.module.params["alarms"] if a["name"] == name))
        result = []
        for name in sorted(alarms):
            item = camel_dict_to_snake_dict(alarms[name])
            item["tags"] = tags.get(name, {})
            result.append(item)
        return result


def run(module, client):
    check_alarms(module)
    alarm_set = AlarmSet(module, client)
    changed = alarm_set.converge()
    result = dict(changed=changed, alarms=alarm_set.final_alarms(changed), **alarm_set.result)
    if module._diff:
        result["diff"] = dict(before=alarm_set.before, after=alarm_set.after)
        touched = sorted(set(alarm_set.before) | set(alarm_set.after))
        if touched:
            # The unified diff shows only lines near a change: name the alarms in the headers.
            result["diff"]["before_header"] = result["diff"]["after_header"] = "alarms " + ", ".join(touched)
    return result


def main():
    metric_spec = dict(
        namespace=dict(type="str", required=True),
        metric_name=dict(type="str", required=True),
        dimensions=dict(type="dict", default={}),
        statistic=dict(type="str", choices=["SampleCount", "Average", "Sum", "Minimum", "Maximum"]),
        extended_statistic=dict(type="str"),
        period=dict(type="int", required=True),
        unit=dict(type="str"),
    )
    alarm_spec = dict(
        name=dict(type="str", required=True),
        description=dict(type="str"),
        metric=dict(type="dict", options=metric_spec),
        metrics=dict(type="list", elements="dict"),
        comparison=dict(type="str", required=True, choices=["GreaterThanOrEqualToThreshold", "GreaterThanThreshold",
                                                            "LessThanThreshold", "LessThanOrEqualToThreshold"]),
        threshold=dict(type="float", required=True),
        evaluation_periods=dict(type="int", required=True),
        datapoints_to_alarm=dict(type="int"),
        treat_missing_data=dict(type="str", default="missing", choices=["breaching", "notBreaching", "ignore", "missing"]),
        evaluate_low_sample_count_percentile=dict(type="str", choices=["evaluate", "ignore"]),
        actions_enabled=dict(type="bool", default=True),
        alarm_actions=dict(type="list", elements="str", default=[]),
        ok_actions=dict(type="list", elements="str", default=[]),
        insufficient_data_actions=dict(type="list", elements="str", default=[]),
    )
    argument_spec = dict(
        name_prefix=dict(type="str", required=True),
        alarms=dict(type="list", elements="dict", default=[], options=alarm_spec),
        purge=dict(type="bool", default=True),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("cloudwatch")
    try:
        result = run(module, client)
    except CloudWatchError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
