#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: ecs_queue_depth_scaling
short_description: Scale an ECS service on the depth of a queue
version_added: 0.1.0
description:
  - Registers the service's desired count as an Application Auto Scaling scalable target with
    the given bounds and wires the scaling to a queue-depth metric published to CloudWatch (for
    example by the C(queue_depth) role's publisher).
  - With O(mode=step), creates two step-scaling policies and the two CloudWatch alarms that drive
    them, one that scales out while the depth is above O(scale_out_above) and one that scales in
    while it is below O(scale_in_below). Missing data counts as not breaching, so a silent
    publisher never scales the service.
  - With O(mode=target_tracking), creates one target-tracking policy on the backlog per running
    task (AWS then owns the alarms) and removes the step policies and alarms of this module.
  - Compares every attribute first and writes only what differs.
  - O(state=absent) deletes the policies and alarms of this module and deregisters the scalable
    target unless other scaling policies (CPU, memory) still use it.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  name:
    description: Prefix of the policy and alarm names, for example C(cloudplatform-prod-worker).
    type: str
    required: true
  cluster:
    description: ECS cluster name.
    type: str
    required: true
  service:
    description: ECS service name.
    type: str
    required: true
  state:
    description: Whether the scaling exists.
    type: str
    choices: [present, absent]
    default: present
  min_capacity:
    description: Fewest tasks. Required with O(state=present).
    type: int
  max_capacity:
    description: Most tasks. Required with O(state=present).
    type: int
  mode:
    description: Step scaling on the queue depth, or target tracking on the backlog per task.
    type: str
    choices: [step, target_tracking]
    default: step
  metric_namespace:
    description: CloudWatch namespace of the queue metrics.
    type: str
    default: Cloudplatform/Queues
  metric_dimensions:
    description: Dimensions of the queue metrics, for example C(Environment), C(Service), C(Queue). Required with O(state=present).
    type: dict
  queue_depth_metric_name:
    description: Name of the queue-depth metric (step mode).
    type: str
    default: QueueDepth
  backlog_metric_name:
    description: Name of the backlog-per-running-task metric (target-tracking mode).
    type: str
    default: BacklogPerTask
  scale_out_above:
    description: Scale out while the queue depth is above this. Required with O(mode=step).
    type: float
  scale_in_below:
    description: Scale in while the queue depth is below this. Required with O(mode=step).
    type: float
  scale_out_adjustment:
    description: Tasks added per scale-out step (positive).
    type: int
    default: 2
  scale_in_adjustment:
    description: Tasks removed per scale-in step (negative).
    type: int
    default: -1
  scale_out_cooldown:
    description: Seconds after a scale-out before another scaling activity.
    type: int
    default: 60
  scale_in_cooldown:
    description: Seconds after a scale-in before another scaling activity.
    type: int
    default: 300
  scale_out_evaluation_periods:
    description: Periods the depth must stay above O(scale_out_above) before scaling out.
    type: int
    default: 2
  scale_in_evaluation_periods:
    description: Periods the depth must stay below O(scale_in_below) before scaling in.
    type: int
    default: 5
  period:
    description: Alarm period in seconds.
    type: int
    default: 60
  target_backlog_per_task:
    description: Target of the backlog per running task. Required with O(mode=target_tracking).
    type: float
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    description: Reports what would change without writing.
  diff_mode:
    support: full
    description: Shows the scalable target, policies and alarms before and after.
  platform:
    support: full
    platforms: aws
    description: Calls Application Auto Scaling and CloudWatch.
notes:
  - O(tags) apply to the alarms; scaling policies take no tags.
"""

EXAMPLES = r"""
- name: Scale the worker on the depth of its Redis queue
  cloudplatform.aws.ecs_queue_depth_scaling:
    name: cloudplatform-prod-worker
    cluster: cloudplatform-prod-cluster
    service: cloudplatform-prod-worker
    min_capacity: 2
    max_capacity: 20
    metric_dimensions:
      Environment: prod
      Service: worker
      Queue: "logs:default:clean"
    scale_out_above: 1000
    scale_in_below: 100
    tags:
      Environment: prod

- name: Track 100 queued items per running task instead
  cloudplatform.aws.ecs_queue_depth_scaling:
    name: cloudplatform-prod-worker
    cluster: cloudplatform-prod-cluster
    service: cloudplatform-prod-worker
    min_capacity: 2
    max_capacity: 20
    mode: target_tracking
    target_backlog_per_task: 100
    metric_dimensions:
      Environment: prod
      Service: worker
      Queue: "logs:default:clean"
"""

RETURN = r"""
scalable_target:
  description: The scalable target, or empty when absent.
  returned: always
  type: dict
  sample: {"resource_id": "service/cluster/worker", "min_capacity": 2, "max_capacity": 20}
policies:
  description: The scaling policies this module manages.
  returned: always
  type: list
  elements: dict
  sample: [{"policy_name": "cloudplatform-prod-worker-queue-out", "policy_type": "StepScaling", "policy_arn": "arn:aws:autoscaling:..."}]
alarms:
  description: The CloudWatch alarms this module manages, with tags as a dict.
  returned: always
  type: list
  elements: dict
  sample: [{"alarm_name": "cloudplatform-prod-worker-queue-out", "threshold": 1000.0, "comparison_operator": "GreaterThanThreshold", "tags": {}}]
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list, boto3_tag_list_to_ansible_dict, compare_aws_tags

from ansible_collections.cloudplatform.aws.plugins.module_utils import queue_scaling as qs

PENDING_ARN = "(known after the policy is created)"
ALARM_KEYS = (
    "AlarmDescription", "ActionsEnabled", "AlarmActions", "MetricName", "Namespace", "Statistic", "Dimensions",
    "Period", "EvaluationPeriods", "DatapointsToAlarm", "Threshold", "ComparisonOperator", "TreatMissingData",
)


def _names(name):
    return {"out": name + "-queue-out", "in": name + "-queue-in", "target": name + "-backlog-target"}


def _dimensions(params):
    return [{"Name": k, "Value": str(v)} for k, v in sorted(params["metric_dimensions"].items())]


def desired_policies(params):
    """The policies this module should own, by name: (type, configuration)."""
    names = _names(params["name"])
    if params["mode"] == "target_tracking":
        return {names["target"]: ("TargetTrackingScaling", {
            "TargetValue": params["target_backlog_per_task"],
            "CustomizedMetricSpecification": {
                "MetricName": params["backlog_metric_name"],
                "Namespace": params["metric_namespace"],
                "Dimensions": _dimensions(params),
                "Statistic": "Average",
            },
            "ScaleOutCooldown": params["scale_out_cooldown"],
            "ScaleInCooldown": params["scale_in_cooldown"],
            "DisableScaleIn": False,
        })}
    return {
        names["out"]: ("StepScaling", {
            "AdjustmentType": "ChangeInCapacity",
            "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": params["scale_out_adjustment"]}],
            "Cooldown": params["scale_out_cooldown"],
            "MetricAggregationType": "Maximum",
        }),
        names["in"]: ("StepScaling", {
            "AdjustmentType": "ChangeInCapacity",
            "StepAdjustments": [{"MetricIntervalUpperBound": 0, "ScalingAdjustment": params["scale_in_adjustment"]}],
            "Cooldown": params["scale_in_cooldown"],
            "MetricAggregationType": "Maximum",
        }),
    }


def desired_alarms(params, policy_arns):
    """The alarms this module should own, by name, as put_metric_alarm parameters."""
    if params["mode"] != "step":
        return {}
    names = _names(params["name"])
    alarms = {}
    for key, threshold, operator, periods, word in (
        ("out", params["scale_out_above"], "GreaterThanThreshold", params["scale_out_evaluation_periods"], "above"),
        ("in", params["scale_in_below"], "LessThanThreshold", params["scale_in_evaluation_periods"], "below"),
    ):
        alarms[names[key]] = {
            "AlarmName": names[key],
            "AlarmDescription": "Scale %s %s while %s is %s %s (ecs_queue_depth_scaling)" % (
                params["service"], key, params["queue_depth_metric_name"], word, threshold),
            "ActionsEnabled": True,
            "AlarmActions": [policy_arns.get(names[key], PENDING_ARN)],
            "MetricName": params["queue_depth_metric_name"],
            "Namespace": params["metric_namespace"],
            "Statistic": "Maximum",
            "Dimensions": _dimensions(params),
            "Period": params["period"],
            "EvaluationPeriods": periods,
            "DatapointsToAlarm": periods,
            "Threshold": threshold,
            "ComparisonOperator": operator,
            # A silent publisher must never scale the service either way.
            "TreatMissingData": "notBreaching",
        }
    return alarms


def _norm(value):
    """Numbers as floats and dimension lists sorted, so AWS's answer compares with our request."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items()}
    items = [_norm(v) for v in value]
    if items and all(isinstance(i, dict) and "Name" in i for i in items):
        items = sorted(items, key=lambda i: i["Name"])
    return items


def _differs(desired, current):
    """True when any key we set differs; keys AWS adds on its own are left alone."""
    current = current or {}
    return any(_norm(v) != _norm(current.get(k)) for k, v in desired.items())


def update_scalable_target(module, client, resource_id, target):
    params = module.params
    if target and target["MinCapacity"] == params["min_capacity"] and target["MaxCapacity"] == params["max_capacity"]:
        return False
    if module.check_mode:
        return True
    qs.register_scalable_target(client, resource_id, params["min_capacity"], params["max_capacity"])
    return True


def update_policies(module, client, resource_id, current):
    """Put each owned policy that is missing or differs; return (changed, arns by name)."""
    changed = False
    arns = {name: policy["PolicyARN"] for name, policy in current.items()}
    for name, (policy_type, config) in desired_policies(module.params).items():
        existing = current.get(name)
        key = "StepScalingPolicyConfiguration" if policy_type == "StepScaling" else "TargetTrackingScalingPolicyConfiguration"
        if existing and existing["PolicyType"] == policy_type and not _differs(config, existing.get(key)):
            continue
        changed = True
        if not module.check_mode:
            arns[name] = qs.put_scaling_policy(client, resource_id, name, policy_type, config)
    return changed, arns


def update_alarms(module, client, current, arns):
    changed = False
    for name, alarm in desired_alarms(module.params, arns).items():
        if name in current and not _differs({k: alarm[k] for k in ALARM_KEYS}, current[name]):
            continue
        changed = True
        if not module.check_mode:
            params = dict(alarm)
            if name not in current and module.params["tags"]:
                params["Tags"] = ansible_dict_to_boto3_tag_list(module.params["tags"])
            qs.put_metric_alarm(client, **params)
    return changed


def update_alarm_tags(module, client, alarm):
    if module.params["tags"] is None:
        return False
    current = boto3_tag_list_to_ansible_dict(qs.list_alarm_tags(client, alarm["AlarmArn"]))
    to_set, to_unset = compare_aws_tags(current, module.params["tags"], module.params["purge_tags"])
    if not (to_set or to_unset):
        return False
    if module.check_mode:
        return True
    if to_unset:
        qs.untag_alarm(client, alarm["AlarmArn"], to_unset)
    if to_set:
        qs.tag_alarm(client, alarm["AlarmArn"], ansible_dict_to_boto3_tag_list(to_set))
    return True


def remove_stale(module, aas, cloudwatch, resource_id, policies, alarms):
    """Delete the owned policies and alarms the current mode does not use."""
    present = module.params["state"] == "present"
    wanted = desired_policies(module.params) if present else {}
    wanted_alarms = desired_alarms(module.params, {}) if present else {}
    stale_alarms = sorted(name for name in alarms if name not in wanted_alarms)
    stale_policies = sorted(name for name in policies if name not in wanted)
    if not (stale_alarms or stale_policies):
        return False
    if module.check_mode:
        return True
    if stale_alarms:
        qs.delete_alarms(cloudwatch, stale_alarms)
    for name in stale_policies:
        qs.delete_scaling_policy(aas, resource_id, name)
    return True


def read_state(aas, cloudwatch, resource_id, name):
    owned = set(_names(name).values())
    target = qs.describe_scalable_target(aas, resource_id)
    all_policies = qs.describe_scaling_policies(aas, resource_id)
    policies = {p["PolicyName"]: p for p in all_policies if p["PolicyName"] in owned}
    alarm_names = [n for n in owned if not n.endswith("-target")]
    alarms = {a["AlarmName"]: a for a in qs.describe_alarms(cloudwatch, alarm_names)}
    others = [p["PolicyName"] for p in all_policies if p["PolicyName"] not in owned]
    return target, policies, alarms, others


def _configuration(policy):
    for key in ("Configuration", "StepScalingPolicyConfiguration", "TargetTrackingScalingPolicyConfiguration"):
        if key in policy:
            return policy[key]
    return {}


def summary(target, policies, alarms):
    """A compact view for diff mode."""
    return {
        "scalable_target": {"min_capacity": target["MinCapacity"], "max_capacity": target["MaxCapacity"]} if target else {},
        "policies": {name: {"policy_type": p["PolicyType"], "configuration": camel_dict_to_snake_dict(_configuration(p), ignore_list=["Dimensions"])}
                     for name, p in sorted(policies.items())},
        "alarms": {name: {k: a.get(k) for k in ("Threshold", "ComparisonOperator", "EvaluationPeriods", "Period", "MetricName")}
                   for name, a in sorted(alarms.items())},
    }


def planned_summary(module, resource_id):
    policies = {name: {"PolicyName": name, "PolicyType": t, "Configuration": c} for name, (t, c) in desired_policies(module.params).items()}
    alarms = desired_alarms(module.params, {})
    target = {"ResourceId": resource_id, "MinCapacity": module.params["min_capacity"], "MaxCapacity": module.params["max_capacity"]}
    return summary(target, policies, alarms)


def ensure_present(module, aas, cloudwatch, resource_id, state):
    target, policies, alarms, _others = state
    changed = update_scalable_target(module, aas, resource_id, target)
    policy_changed, arns = update_policies(module, aas, resource_id, policies)
    changed |= policy_changed
    changed |= update_alarms(module, cloudwatch, alarms, arns)
    changed |= remove_stale(module, aas, cloudwatch, resource_id, policies, alarms)
    if not module.check_mode:
        for alarm in qs.describe_alarms(cloudwatch, sorted(desired_alarms(module.params, arns))):
            changed |= update_alarm_tags(module, cloudwatch, alarm)
    else:
        for alarm in alarms.values():
            changed |= update_alarm_tags(module, cloudwatch, alarm)
    return changed


def ensure_absent(module, aas, cloudwatch, resource_id, state):
    target, policies, alarms, others = state
    changed = remove_stale(module, aas, cloudwatch, resource_id, policies, alarms)
    # Other policies (CPU, memory target tracking) still need the target.
    if target and not others:
        changed = True
        if not module.check_mode:
            qs.deregister_scalable_target(aas, resource_id)
    return changed


def validate(module):
    params = module.params
    if params["state"] != "present":
        return
    needed = ["scale_out_above", "scale_in_below"] if params["mode"] == "step" else ["target_backlog_per_task"]
    missing = [name for name in needed if params[name] is None]
    if missing:
        module.fail_json(msg="mode: %s needs %s; set them or choose the other mode" % (params["mode"], ", ".join(missing)))
    if params["min_capacity"] > params["max_capacity"]:
        module.fail_json(msg="min_capacity: %s is above max_capacity %s; expected min_capacity <= max_capacity"
                         % (params["min_capacity"], params["max_capacity"]))
    if params["mode"] == "step" and params["scale_in_below"] >= params["scale_out_above"]:
        module.fail_json(msg="scale_in_below: %s must be below scale_out_above %s"
                         % (params["scale_in_below"], params["scale_out_above"]))
    if params["scale_out_adjustment"] <= 0 or params["scale_in_adjustment"] >= 0:
        module.fail_json(msg="scale_out_adjustment: %s / scale_in_adjustment: %s; expected a positive and a negative number of tasks"
                         % (params["scale_out_adjustment"], params["scale_in_adjustment"]))


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        cluster=dict(type="str", required=True),
        service=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        min_capacity=dict(type="int"),
        max_capacity=dict(type="int"),
        mode=dict(type="str", choices=["step", "target_tracking"], default="step"),
        metric_namespace=dict(type="str", default="Cloudplatform/Queues"),
        metric_dimensions=dict(type="dict"),
        queue_depth_metric_name=dict(type="str", default="QueueDepth"),
        backlog_metric_name=dict(type="str", default="BacklogPerTask"),
        scale_out_above=dict(type="float"),
        scale_in_below=dict(type="float"),
        scale_out_adjustment=dict(type="int", default=2),
        scale_in_adjustment=dict(type="int", default=-1),
        scale_out_cooldown=dict(type="int", default=60),
        scale_in_cooldown=dict(type="int", default=300),
        scale_out_evaluation_periods=dict(type="int", default=2),
        scale_in_evaluation_periods=dict(type="int", default=5),
        period=dict(type="int", default=60),
        target_backlog_per_task=dict(type="float"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_if=[
            ("state", "present", ["min_capacity", "max_capacity", "metric_dimensions"]),
        ],
    )
    validate(module)
    aas = module.client("application-autoscaling")
    cloudwatch = module.client("cloudwatch")
    resource_id = qs.ecs_resource_id(module.params["cluster"], module.params["service"])
    try:
        state = read_state(aas, cloudwatch, resource_id, module.params["name"])
        before = summary(*state[:3])
        if module.params["state"] == "present":
            changed = ensure_present(module, aas, cloudwatch, resource_id, state)
        else:
            changed = ensure_absent(module, aas, cloudwatch, resource_id, state)
        after_state = read_state(aas, cloudwatch, resource_id, module.params["name"])
        alarms = [dict(a, Tags=qs.list_alarm_tags(cloudwatch, a["AlarmArn"])) for a in after_state[2].values()]
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)
    if module.check_mode and changed:
        after = planned_summary(module, resource_id) if module.params["state"] == "present" else summary(None, {}, {})
    else:
        after = summary(*after_state[:3])
    module.exit_json(
        changed=changed,
        scalable_target=camel_dict_to_snake_dict(after_state[0] or {}),
        policies=[camel_dict_to_snake_dict(p, ignore_list=["Dimensions"]) for p in after_state[1].values()],
        alarms=[dict(camel_dict_to_snake_dict(a, ignore_list=["Tags"]), tags=boto3_tag_list_to_ansible_dict(a["Tags"])) for a in alarms],
        diff=dict(before=before, after=after),
    )


if __name__ == "__main__":
    main()
