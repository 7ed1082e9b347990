#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: application_autoscaling_target_set
author:
  - cloudplatform.aws contributors (@cloudplatform)
short_description: Manage a list of Application Auto Scaling scalable targets with their policies and scheduled actions
version_added: 0.1.0
description:
  - Converges every scalable target of O(targets) in one call - its minimum and maximum capacity,
    its target-tracking policies and its scheduled actions - with the comparison rules of
    M(cloudplatform.aws.application_autoscaling_target) and
    M(cloudplatform.aws.application_autoscaling_scheduled_action), which take one module call per
    resource.
  - Reads in batches. On a converged set it makes one C(DescribeScalableTargets) call per service
    namespace and 50 resource ids, one C(DescribeScalingPolicies) call per target that lists
    O(targets[].policies), and one C(DescribeScheduledActions) call per service namespace and 50
    action names (none when no target lists O(targets[].scheduled_actions)); for N ECS services
    that all list policies and scheduled actions that is N + 2 read calls and no write call.
  - Writes target by target in list order, and for each target C(RegisterScalableTarget) first, then
    C(PutScalingPolicy), then C(PutScheduledAction) and C(DeleteScheduledAction), so a scheduled
    action is never put on a target that is not registered yet. Each call is made only for what
    differs from the live state.
  - Only the listed policies and scheduled actions are managed. Other policies of a target (the
    queue-depth step scaling of M(cloudplatform.aws.ecs_queue_depth_scaling), for example) and
    unlisted scheduled actions are never changed or removed. Targets are never deregistered; use
    M(cloudplatform.aws.application_autoscaling_target) with C(state=absent) for that.
  - Every item is validated before the first call; a target that is not registered and has no
    bounds to register it with fails after the reads and before the first write.
options:
  targets:
    description: The scalable targets, each listed once.
    type: list
    elements: dict
    required: true
    suboptions:
      service_namespace:
        description:
          - Namespace of the service that owns the resource, for example C(ecs) or C(dynamodb).
        type: str
        default: ecs
      scalable_dimension:
        description:
          - What scales, for example C(ecs:service:DesiredCount) or C(dynamodb:table:ReadCapacityUnits).
        type: str
        default: ecs:service:DesiredCount
      resource_id:
        description: Resource of the scalable target, for an ECS service C(service/<cluster>/<service>).
        type: str
        required: true
      min_capacity:
        description:
          - Minimum capacity of the target.
          - With neither O(targets[].min_capacity) nor O(targets[].max_capacity) the bounds are not
            managed and the target is not registered; its policies and present scheduled actions
            then need a target that another task registered.
          - A target that is not registered yet needs both bounds.
        type: int
      max_capacity:
        description: Maximum capacity of the target; see O(targets[].min_capacity).
        type: int
      policies:
        description:
          - Target-tracking policies on predefined metrics, in the format of
            M(cloudplatform.aws.application_autoscaling_target).
          - A listed policy is put when its type or configuration differs; unlisted policies of the
            target are left alone.
        type: list
        elements: dict
        default: []
        suboptions:
          name:
            description: Name of the policy, unique within the target.
            type: str
            required: true
          predefined_metric:
            description: The predefined metric tracked, for example C(ECSServiceAverageCPUUtilization).
            type: str
            required: true
          target_value:
            description: The value of the metric the policy keeps the target at.
            type: float
            required: true
          scale_in_cooldown:
            description:
              - Seconds to wait after a scale-in before the policy scales in again.
            type: int
            default: 300
          scale_out_cooldown:
            description:
              - Seconds to wait after a scale-out before the policy scales out again.
            type: int
            default: 60
          disable_scale_in:
            description: Whether the policy only ever scales out.
            type: bool
            default: false
      scheduled_actions:
        description:
          - Scheduled actions of the target, in the format of
            M(cloudplatform.aws.application_autoscaling_scheduled_action).
          - A present action is put when its schedule, time zone, start or end time or capacities
            differ; an absent one is deleted when it exists. Unlisted actions are left alone.
        type: list
        elements: dict
        default: []
        suboptions:
          name:
            description: Name of the action, unique within the target.
            type: str
            required: true
          state:
            description: Whether the action should exist.
            type: str
            choices: [present, absent]
            default: present
          schedule:
            description:
              - When the action runs - once with C(at(yyyy-mm-ddThh:mm:ss)), repeatedly with C(rate(value unit)) or
                C(cron(minutes hours day-of-month month day-of-week year)).
              - Required with O(targets[].scheduled_actions[].state=present).
            type: str
          timezone:
            description: IANA time zone the schedule runs in, for example C(America/New_York).
            type: str
            default: UTC
          start_time:
            description: The action does not run before this time (ISO 8601; UTC unless it has an offset).
            type: str
          end_time:
            description: The action does not run after this time (ISO 8601; UTC unless it has an offset).
            type: str
          min_capacity:
            description:
              - Minimum capacity the target gets when the action runs.
              - With O(targets[].scheduled_actions[].state=present) at least one of
                O(targets[].scheduled_actions[].min_capacity) and O(targets[].scheduled_actions[].max_capacity) is required.
            type: int
          max_capacity:
            description: Maximum capacity the target gets when the action runs.
            type: int
attributes:
  check_mode:
    support: full
    description: Reads, compares and reports what would change; makes no write call.
  diff_mode:
    support: full
    description: Shows, by resource id, the bounds, listed policies and listed scheduled actions of the targets that change, before and after.
  platform:
    support: full
    platforms: aws
    description: Runs against the Application Auto Scaling API (or an endpoint that speaks it).
notes:
  - Scalable targets, scaling policies and scheduled actions take no tags.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Scale the dev services and stop the ingest service at night
  cloudplatform.aws.application_autoscaling_target_set:
    targets:
      - resource_id: service/cloudplatform-dev-ecs-cluster/cloudplatform-dev-ingest
        min_capacity: 1
        max_capacity: 3
        policies:
          - {name: cloudplatform-dev-ingest-cpu, predefined_metric: ECSServiceAverageCPUUtilization, target_value: 70}
        scheduled_actions:
          - name: cloudplatform-dev-ingest-stop
            schedule: cron(0 20 ? * MON-FRI *)
            timezone: America/New_York
            min_capacity: 0
            max_capacity: 0
          - name: cloudplatform-dev-ingest-start
            schedule: cron(0 7 ? * MON-FRI *)
            timezone: America/New_York
            min_capacity: 1
            max_capacity: 3
      # Bounds and queue-depth policy come from ecs_queue_depth_scaling: only remove the schedule.
      - resource_id: service/cloudplatform-dev-ecs-cluster/cloudplatform-dev-worker
        scheduled_actions:
          - {name: cloudplatform-dev-worker-stop, state: absent}
          - {name: cloudplatform-dev-worker-start, state: absent}
"""

RETURN = r"""
targets:
  description: One item per entry of O(targets), in the same order, as the targets are after the run.
  returned: always
  type: list
  elements: dict
  contains:
    resource_id:
      description: Resource id of the target.
      type: str
      sample: service/cloudplatform-dev-ecs-cluster/cloudplatform-dev-api
    service_namespace:
      description: Namespace of the target.
      type: str
      sample: ecs
    scalable_dimension:
      description: Scalable dimension of the target.
      type: str
      sample: ecs:service:DesiredCount
    changed:
      description: Whether anything of this target was (or in check mode would be) changed.
      type: bool
    scalable_target:
      description: The scalable target (snake_cased); empty when it is not registered.
      type: dict
      sample: {"min_capacity": 1, "max_capacity": 4, "resource_id": "service/c/s"}
    policies:
      description: The listed policies that exist (snake_cased), by name.
      type: list
      elements: dict
    scheduled_actions:
      description: The listed scheduled actions that exist (snake_cased, times in ISO 8601), in the order listed.
      type: list
      elements: dict
"""

from collections import Counter

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudplatform.aws.plugins.module_utils.app_autoscaling import (
    SCHEDULE_PATTERN,
    AnsibleAppAutoScalingError,
    action_options,
    action_params,
    action_view,
    comparable_action,
    find_policies,
    find_scalable_targets,
    find_scheduled_actions,
    live_configuration,
    planned_policies,
    planned_target,
    policy_options,
    remove_action,
    same_target,
    target_key,
    target_view,
    update_action,
    update_policies,
    update_target,
    wanted_capacity,
)

# Validation (before any call)


def check_capacity(module, where, item):
    for option in ("min_capacity", "max_capacity"):
        if item[option] is not None and item[option] < 0:
            module.fail_json(msg="%s.%s: %r is not a capacity; expected an integer >= 0" % (where, option, item[option]))
    if item["min_capacity"] is not None and item["max_capacity"] is not None and item["min_capacity"] > item["max_capacity"]:
        module.fail_json(msg="%s.min_capacity: %s is above %s.max_capacity %s; expected min_capacity <= max_capacity"
                         % (where, item["min_capacity"], where, item["max_capacity"]))


def check_unique_names(module, where, items):
    seen = set()
    for index, item in enumerate(items):
        if item["name"] in seen:
            module.fail_json(msg="%s[%d].name: %r is listed twice; expected each name once per target" % (where, index, item["name"]))
        seen.add(item["name"])


def check_action(module, where, spec, action):
    """PutScheduledAction parameters of a present action, None for an absent one."""
    if action["state"] == "absent":
        return None
    if not SCHEDULE_PATTERN.match(action["schedule"] or ""):
        module.fail_json(msg="%s.schedule: %r is not a schedule; expected at(yyyy-mm-ddThh:mm:ss), rate(value unit) or "
                             "cron(minutes hours day-of-month month day-of-week year)" % (where, action["schedule"]))
    if action["min_capacity"] is None and action["max_capacity"] is None:
        module.fail_json(msg="%s: min_capacity or max_capacity is required with state=present" % where)
    check_capacity(module, where, action)
    try:
        return action_params(spec, action, prefix=where + ".")
    except ValueError as e:
        module.fail_json(msg=str(e))


def check_target(module, where, spec):
    if not spec["resource_id"]:
        module.fail_json(msg="%s.resource_id: %r is not a resource id; expected e.g. service/<cluster>/<service>" % (where, spec["resource_id"]))
    check_capacity(module, where, spec)
    check_unique_names(module, where + ".policies", spec["policies"])
    check_unique_names(module, where + ".scheduled_actions", spec["scheduled_actions"])
    actions = {}
    for index, action in enumerate(spec["scheduled_actions"]):
        actions[action["name"]] = check_action(module, "%s.scheduled_actions[%d]" % (where, index), spec, action)
    return dict(where=where, spec=spec, actions=actions)


def plan_targets(module):
    """One plan per target: its label, its options and the wanted scheduled actions by name."""
    plans = []
    seen = {}
    for index, spec in enumerate(module.params["targets"]):
        where = "targets[%d]" % index
        key = tuple(sorted(target_key(spec).items()))
        if key in seen:
            module.fail_json(msg="%s: %s (%s, %s) is already listed as %s; expected each scalable target once"
                                 % (where, spec["resource_id"], spec["service_namespace"], spec["scalable_dimension"], seen[key]))
        seen[key] = where
        plans.append(check_target(module, where, spec))
    return plans


def check_live(module, plan):
    """A target that is not registered must be registrable before its policies and actions are put."""
    spec = plan["spec"]
    if plan["before"]["target"]:
        return
    wanted = wanted_capacity(spec)
    if len(wanted) == 1:
        module.fail_json(msg="%s: %s is not registered yet; set both min_capacity and max_capacity to register it"
                             % (plan["where"], spec["resource_id"]))
    needs_target = spec["policies"] or any(action is not None for action in plan["actions"].values())
    if not wanted and needs_target:
        module.fail_json(msg="%s: %s is not registered and min_capacity and max_capacity are not set; set them so the target "
                             "is registered before its policies and scheduled actions" % (plan["where"], spec["resource_id"]))


# Reads


def by_namespace(specs, values):
    grouped = {}
    for spec in specs:
        names = grouped.setdefault(spec["service_namespace"], [])
        names.extend(value for value in values(spec) if value not in names)
    return grouped


def read_state(client, specs):
    """Live target, listed policies and listed scheduled actions of each spec, read in batches."""
    targets = []
    for namespace, resource_ids in by_namespace(specs, lambda spec: [spec["resource_id"]]).items():
        targets.extend(find_scalable_targets(client, namespace, resource_ids))
    actions = []
    for namespace, names in by_namespace(specs, lambda spec: [a["name"] for a in spec["scheduled_actions"]]).items():
        if names:
            actions.extend(find_scheduled_actions(client, namespace, names))
    states = []
    for spec in specs:
        key = target_key(spec)
        target = next((t for t in targets if same_target(t, key)), None)
        policy_names = [policy["name"] for policy in spec["policies"]]
        listed = [action["name"] for action in spec["scheduled_actions"]]
        states.append(dict(
            target=target,
            policies=find_policies(client, spec, policy_names) if target and policy_names else {},
            actions={a["ScheduledActionName"]: a for a in actions if same_target(a, key) and a["ScheduledActionName"] in listed},
        ))
    return states


# Writes


def update_actions(module, client, plan, live):
    changed = False
    for name, wanted in plan["actions"].items():
        if wanted is None:
            changed |= remove_action(client, module.check_mode, plan["spec"], name, live.get(name))
        else:
            changed |= update_action(client, module.check_mode, live.get(name), wanted)
    return changed


def converge_target(module, client, plan):
    """Register the target first: policies and scheduled actions need it."""
    spec = plan["spec"]
    live = plan["before"]
    changed = False
    if wanted_capacity(spec):
        changed |= update_target(client, module.check_mode, spec, live["target"])
    changed |= update_policies(client, module.check_mode, spec, spec["policies"], live["policies"])
    changed |= update_actions(module, client, plan, live["actions"])
    return changed


# Result


def planned_state(plan):
    """What a check-mode run expects a changed target to look like after the run."""
    spec = plan["spec"]
    live = plan["before"]
    actions = {name: dict(live["actions"].get(name) or {}, **wanted) for name, wanted in plan["actions"].items() if wanted is not None}
    return dict(
        target=planned_target(spec, live["target"]) if wanted_capacity(spec) else live["target"],
        policies=planned_policies(spec["policies"], live["policies"]),
        actions=actions,
    )


def attach(plans, field, states):
    for index, state in enumerate(states):
        plans[index][field] = state


def read_after(module, client, plans):
    """The state after the run: re-read (in batches) for the targets that changed, planned in check mode."""
    changed = [plan for plan in plans if plan["changed"]]
    if module.check_mode:
        attach(changed, "after", [planned_state(plan) for plan in changed])
    elif changed:
        attach(changed, "after", read_state(client, [plan["spec"] for plan in changed]))
    for plan in plans:
        plan.setdefault("after", plan["before"])


def item_view(plan):
    spec = plan["spec"]
    state = plan["after"]
    actions = [action_view(state["actions"][name]) for name in plan["actions"] if name in state["actions"]]
    return dict(resource_id=spec["resource_id"], service_namespace=spec["service_namespace"], scalable_dimension=spec["scalable_dimension"],
                changed=plan["changed"], scheduled_actions=actions, **target_view(state["target"], state["policies"]))


def diff_view(state):
    """The managed settings of one target: bounds, listed policies, listed scheduled actions."""
    target = state["target"] or {}
    policies = state["policies"]
    return {
        "scalable_target": camel_dict_to_snake_dict({k: target[k] for k in ("MinCapacity", "MaxCapacity") if k in target}),
        "policies": {name: camel_dict_to_snake_dict(dict(live_configuration(policies[name]), PolicyType=policies[name].get("PolicyType")))
                     for name in sorted(policies)},
        "scheduled_actions": {name: action_view({k: v for k, v in comparable_action(action).items() if v is not None})
                              for name, action in sorted(state["actions"].items())},
    }


def diff(plans):
    """Before and after of the targets that change, by resource id (with the dimension where a resource has several targets)."""
    counts = Counter(plan["spec"]["resource_id"] for plan in plans)
    result = dict(before={}, after={})
    for plan in plans:
        if not plan["changed"]:
            continue
        spec = plan["spec"]
        key = spec["resource_id"] if counts[spec["resource_id"]] == 1 else "%s %s" % (spec["resource_id"], spec["scalable_dimension"])
        result["before"][key] = diff_view(plan["before"])
        result["after"][key] = diff_view(plan["after"])
    return result


def run(module, client):
    plans = plan_targets(module)
    attach(plans, "before", read_state(client, [plan["spec"] for plan in plans]))
    for plan in plans:
        check_live(module, plan)
    for plan in plans:
        plan["changed"] = converge_target(module, client, plan)
    read_after(module, client, plans)
    return dict(changed=any(plan["changed"] for plan in plans), diff=diff(plans), targets=[item_view(plan) for plan in plans])


def argument_spec():
    action = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        **action_options()
    )
    target = dict(
        service_namespace=dict(type="str", default="ecs"),
        scalable_dimension=dict(type="str", default="ecs:service:DesiredCount"),
        resource_id=dict(type="str", required=True),
        min_capacity=dict(type="int"),
        max_capacity=dict(type="int"),
        policies=dict(type="list", elements="dict", default=[], options=policy_options()),
        scheduled_actions=dict(type="list", elements="dict", default=[], options=action),
    )
    return dict(targets=dict(type="list", elements="dict", required=True, options=target))


def main():
    module = AnsibleAWSModule(argument_spec=argument_spec(), supports_check_mode=True)
    try:
        result = run(module, module.client("application-autoscaling"))
    except AnsibleAppAutoScalingError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
