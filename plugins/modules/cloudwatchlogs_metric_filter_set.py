#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudwatchlogs_metric_filter_set
short_description: Manage a list of CloudWatch Logs metric filters, across log groups, in one call
version_added: 0.1.0
description:
  - Converges every metric filter of O(metric_filters) in one module call;
    M(amazon.aws.cloudwatchlogs_log_group_metric_filter) takes one module call per filter, which
    is why this module exists. Each filter takes that module's options.
  - Reads with one C(DescribeMetricFilters) per log group (with C(filterNamePrefix) when the list
    holds a single filter of that log group, otherwise all filters of the log group, paginated). A
    converged list costs those reads and no write.
  - C(PutMetricFilter) is called only for filters that are missing or whose pattern or metric
    transformation differ; C(DeleteMetricFilter) only for filters with O(metric_filters[].state=absent)
    that exist. Settings this module does not manage (C(applyOnTransformedLogs),
    C(fieldSelectionCriteria), C(emitSystemFieldDimensions)) are sent back as they are when a filter is rewritten.
  - A filter of a log group that does not exist is reported as to be created in check mode (an
    earlier task of the same run creates the log group); a real run fails before any write,
    naming the log group.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  metric_filters:
    description: The metric filters.
    type: list
    elements: dict
    required: true
    suboptions:
      log_group_name:
        description: The log group the filter applies to.
        type: str
        required: true
      filter_name:
        description: The filter name (1-512 characters, no C(:) or C(*)), unique per log group.
        type: str
        required: true
      state:
        description: C(present) creates or updates the filter; C(absent) deletes it when it exists.
        choices: [present, absent]
        default: present
        type: str
      filter_pattern:
        description:
          - The CloudWatch Logs filter pattern (up to 1024 characters; C("") matches every event).
            Required when O(metric_filters[].state=present).
        type: str
      metric_transformation:
        description: How matching events become metric data. Required when O(metric_filters[].state=present).
        type: dict
        suboptions:
          metric_name:
            description: The name of the CloudWatch metric.
            required: true
            type: str
          metric_namespace:
            description: The namespace of the CloudWatch metric.
            required: true
            type: str
          metric_value:
            description: The value published when an event matches (a number or a C($.field) reference).
            required: true
            type: str
          default_value:
            description:
              - The value published for periods without a match. Mutually exclusive with
                O(metric_filters[].metric_transformation.dimensions).
            type: float
          unit:
            description: The unit of the metric.
            type: str
            choices: [Seconds, Microseconds, Milliseconds, Bytes, Kilobytes, Megabytes, Gigabytes, Terabytes, Bits, Kilobits,
                      Megabits, Gigabits, Terabits, Percent, Count, Bytes/Second, Kilobytes/Second, Megabytes/Second,
                      Gigabytes/Second, Terabytes/Second, Bits/Second, Kilobits/Second, Megabits/Second, Gigabits/Second,
                      Terabits/Second, Count/Second, None]
          dimensions:
            description:
              - Up to 3 metric dimensions, name to value (a C($.field) reference); JSON and
                space-delimited filter patterns only. Mutually exclusive with
                O(metric_filters[].metric_transformation.default_value).
            type: dict
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: amazon.aws.cloudwatchlogs_log_group_metric_filter
  - module: cloudplatform.aws.cloudwatchlogs_log_group_set
attributes:
  check_mode:
    description: Reports which filters would be created, updated or deleted without C(PutMetricFilter) or C(DeleteMetricFilter).
    support: full
  diff_mode:
    description: Shows, keyed by C(<log group>:<filter name>), the pattern and metric transformation before and after of the filters that change.
    support: full
  platform:
    description: Targets the metric filter calls of the CloudWatch Logs API.
    platforms: aws
    support: full
"""

EXAMPLES = r"""
- name: Count ERROR lines per service
  cloudplatform.aws.cloudwatchlogs_metric_filter_set:
    metric_filters:
      - log_group_name: /ecs/cloudplatform-prod/api
        filter_name: cloudplatform-prod-api-errors
        filter_pattern: ERROR
        metric_transformation:
          metric_namespace: CloudPlatform/Logs
          metric_name: cloudplatform-prod-api-ErrorCount
          metric_value: "1"
          default_value: 0
      - log_group_name: /ecs/cloudplatform-prod/worker
        filter_name: cloudplatform-prod-worker-errors
        filter_pattern: '?ERROR ?CRITICAL'
        metric_transformation: {metric_namespace: CloudPlatform/Logs, metric_name: cloudplatform-prod-worker-ErrorCount, metric_value: "1"}

- name: Publish request latency by path from JSON logs, and drop an old filter
  cloudplatform.aws.cloudwatchlogs_metric_filter_set:
    metric_filters:
      - log_group_name: /ecs/cloudplatform-prod/api
        filter_name: cloudplatform-prod-api-latency
        filter_pattern: '{ $.duration_ms = * }'
        metric_transformation:
          metric_namespace: CloudPlatform/Logs
          metric_name: RequestLatency
          metric_value: $.duration_ms
          unit: Milliseconds
          dimensions:
            Path: $.path
      - log_group_name: /ecs/cloudplatform-prod/api
        filter_name: cloudplatform-prod-api-slow
        state: absent
"""

RETURN = r"""
metric_filters:
  description:
    - The filters of O(metric_filters) with O(metric_filters[].state=present) after the change, in
      the order given (predicted in check mode).
  returned: always
  type: list
  elements: dict
  contains:
    log_group_name:
      description: The log group.
      type: str
      sample: /ecs/cloudplatform-prod/api
    filter_name:
      description: The filter name.
      type: str
      sample: cloudplatform-prod-api-errors
    filter_pattern:
      description: The filter pattern.
      type: str
      sample: ERROR
    metric_transformations:
      description: The metric transformation (the API takes exactly one), snake_cased; C(dimensions) keep their names.
      type: list
      elements: dict
      sample: [{"metric_name": "cloudplatform-prod-api-ErrorCount", "metric_namespace": "CloudPlatform/Logs",
                "metric_value": "1", "default_value": 0.0}]
    creation_time:
      description: The creation time in milliseconds since the epoch, when the API returns it.
      type: int
created:
  description: The filters created, as C(<log group>:<filter name>).
  returned: always
  type: list
  elements: str
updated:
  description: The filters rewritten because their pattern or transformation differed, as C(<log group>:<filter name>).
  returned: always
  type: list
  elements: str
deleted:
  description: The filters deleted, as C(<log group>:<filter name>).
  returned: always
  type: list
  elements: str
"""

import re
from collections import OrderedDict

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible.module_utils.common.text.converters import to_text

from ansible_collections.cloudplatform.aws.plugins.module_utils.cloudwatch_logs import (
    delete_metric_filter,
    describe_metric_filters,
    put_metric_filter,
    run_logs_module,
)
from ansible_collections.cloudplatform.aws.plugins.module_utils.list_changes import ListChanges, fail_on_errors

UNITS = ["Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits",
         "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second",
         "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second",
         "Terabits/Second", "Count/Second", "None"]
LOG_GROUP_NAME = re.compile(r"^[.\-_/#A-Za-z0-9]{1,512}$")
FILTER_NAME = re.compile(r"^[^:*]{1,512}$")
TRANSFORMATION_KEYS = ("metricName", "metricNamespace", "metricValue", "defaultValue", "dimensions", "unit")
# PutMetricFilter replaces the whole filter: what this module does not manage is sent back unchanged.
PRESERVED_KEYS = ("applyOnTransformedLogs", "fieldSelectionCriteria", "emitSystemFieldDimensions")


def key(item):
    return "%s:%s" % (item["log_group_name"], item["filter_name"])


def name_errors(index, item, seen):
    where = "metric_filters[%d]" % index
    errors = []
    if not LOG_GROUP_NAME.match(item["log_group_name"]):
        errors.append("%s.log_group_name: %r is not a valid log group name; expected 1-512 characters a-z A-Z 0-9 . - _ / #"
                      % (where, item["log_group_name"]))
    if not FILTER_NAME.match(item["filter_name"]):
        errors.append("%s.filter_name: %r is not a valid filter name; expected 1-512 characters without ':' or '*'" % (where, item["filter_name"]))
    if key(item) in seen:
        errors.append("%s: filter %r of log group %r is already metric_filters[%d]; expected each filter once"
                      % (where, item["filter_name"], item["log_group_name"], seen[key(item)]))
    seen.setdefault(key(item), index)
    return errors


def present_errors(where, item):
    transformation = item["metric_transformation"]
    errors = []
    if item["filter_pattern"] is None or len(item["filter_pattern"]) > 1024:
        errors.append("%s.filter_pattern: %r; expected a filter pattern of up to 1024 characters (required with state=present)"
                      % (where, item["filter_pattern"]))
    if transformation is None:
        errors.append("%s.metric_transformation: missing; expected metric_name, metric_namespace and metric_value "
                      "(required with state=present)" % where)
        return errors
    dimensions = transformation["dimensions"] or {}
    if dimensions and transformation["default_value"] is not None:
        errors.append("%s.metric_transformation: default_value %r and dimensions %r given; expected at most one of them"
                      % (where, transformation["default_value"], dimensions))
    if len(dimensions) > 3:
        errors.append("%s.metric_transformation.dimensions: %d dimensions %s; expected at most 3" % (where, len(dimensions), sorted(dimensions)))
    return errors


def input_errors(items):
    seen = {}
    errors = []
    for index, item in enumerate(items):
        errors += name_errors(index, item, seen)
        if item["state"] == "present":
            errors += present_errors("metric_filters[%d]" % index, item)
    return errors


def transformation_params(transformation):
    params = {
        "metricName": transformation["metric_name"],
        "metricNamespace": transformation["metric_namespace"],
        "metricValue": transformation["metric_value"],
    }
    if transformation["default_value"] is not None:
        params["defaultValue"] = float(transformation["default_value"])
    if transformation["dimensions"]:
        params["dimensions"] = {to_text(k): to_text(v) for k, v in transformation["dimensions"].items()}
    if transformation["unit"]:
        params["unit"] = transformation["unit"]
    return params


def desired_params(item):
    """PutMetricFilter parameters of one requested filter."""
    return {
        "logGroupName": item["log_group_name"],
        "filterName": item["filter_name"],
        "filterPattern": item["filter_pattern"],
        "metricTransformations": [transformation_params(item["metric_transformation"])],
    }


def comparable_transformation(transformation):
    # No unit, unit "None" and no dimensions are the same thing to CloudWatch.
    return {k: v for k, v in transformation.items() if k in TRANSFORMATION_KEYS and v not in (None, {}) and not (k == "unit" and v == "None")}


def comparable(described):
    return dict(filterPattern=described.get("filterPattern", ""),
                metricTransformations=[comparable_transformation(t) for t in described.get("metricTransformations", [])])


def view(described):
    """A described filter (or PutMetricFilter parameters) snake_cased, with dimension names kept."""
    transformations = []
    for transformation in described.get("metricTransformations", []):
        item = camel_dict_to_snake_dict({k: v for k, v in transformation.items() if k != "dimensions"})
        if transformation.get("dimensions"):
            item["dimensions"] = dict(transformation["dimensions"])
        transformations.append(item)
    return dict(filter_pattern=described.get("filterPattern"), metric_transformations=transformations)


def read_filters(client, items):
    """Filters by log group and name; a log group that does not exist maps to None."""
    names = OrderedDict()
    for item in items:
        names.setdefault(item["log_group_name"], []).append(item["filter_name"])
    found = {}
    for group, filter_names in names.items():
        prefix = filter_names[0] if len(filter_names) == 1 else None
        described = describe_metric_filters(client, group, prefix)
        found[group] = None if described is None else {f["filterName"]: f for f in described if f["filterName"] in filter_names}
    return found


def check_log_groups(module, current):
    if module.check_mode:
        return
    missing = ["metric_filters[%d].log_group_name: log group %r does not exist; expected an existing log group "
               "(create it before its metric filters)" % (index, item["log_group_name"])
               for index, item in enumerate(module.params["metric_filters"])
               if item["state"] == "present" and current[item["log_group_name"]] is None]
    if missing:
        module.fail_json(msg="; ".join(missing))


def run(module, client):
    """Validate the list, read every log group's filters, then converge (main() and the unit tests call this)."""
    fail_on_errors(module, input_errors(module.params["metric_filters"]))
    return MetricFilterSet(module, client).converged("metric_filters")


def update_filter(module, client, item, current):
    desired = desired_params(item)
    if current is not None and comparable(current) == comparable(desired):
        return False
    if module.check_mode:
        return True
    preserved = {k: current[k] for k in PRESERVED_KEYS if current and k in current}
    put_metric_filter(client, **dict(desired, **preserved))
    return True


def remove_filter(module, client, item, current):
    if current is not None and not module.check_mode:
        delete_metric_filter(client, item["log_group_name"], item["filter_name"])
    return current is not None


class MetricFilterSet(ListChanges):
    """Converges the listed filters and records what changed for the result and the diff."""

    def __init__(self, module, client):
        super(MetricFilterSet, self).__init__(module, client)
        self.items = module.params["metric_filters"]
        self.current = read_filters(client, self.items)

    def described(self, item):
        return (self.current[item["log_group_name"]] or {}).get(item["filter_name"])

    def converge_item(self, item):
        current = self.described(item)
        if item["state"] == "absent":
            if remove_filter(self.module, self.client, item, current):
                self.record("deleted", key(item), before=view(current))
        elif update_filter(self.module, self.client, item, current):
            self.record("updated" if current else "created", key(item), before=view(current) if current else None,
                        after=view(desired_params(item)))

    def converge(self):
        check_log_groups(self.module, self.current)
        for item in self.items:
            self.converge_item(item)

    def final(self):
        present = [item for item in self.items if item["state"] == "present"]
        current = self.current
        # Re-read only the log groups written to, with every listed filter of them.
        written = {item["log_group_name"] for item in present if key(item) in self.changes["created"] + self.changes["updated"]}
        if written and not self.module.check_mode:
            current = dict(current, **read_filters(self.client, [item for item in present if item["log_group_name"] in written]))
        final = []
        for item in present:
            described = (current[item["log_group_name"]] or {}).get(item["filter_name"])
            if described is None or self.module.check_mode:
                described = dict(described or {}, **desired_params(item))
            final.append(dict(view(described), log_group_name=item["log_group_name"], filter_name=item["filter_name"],
                              creation_time=described.get("creationTime")))
        return final


def main():
    transformation_spec = dict(
        metric_name=dict(type="str", required=True),
        metric_namespace=dict(type="str", required=True),
        metric_value=dict(type="str", required=True),
        default_value=dict(type="float"),
        unit=dict(type="str", choices=UNITS),
        dimensions=dict(type="dict"),
    )
    filter_spec = dict(
        log_group_name=dict(type="str", required=True),
        filter_name=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        filter_pattern=dict(type="str"),
        metric_transformation=dict(type="dict", options=transformation_spec),
    )
    argument_spec = dict(metric_filters=dict(type="list", elements="dict", required=True, options=filter_spec))
    run_logs_module(argument_spec, run)


if __name__ == "__main__":
    main()
