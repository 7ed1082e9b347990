#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: application_autoscaling_scheduled_action
short_description: Manage Application Auto Scaling scheduled actions
version_added: 0.1.0
description:
  - Creates, updates or deletes a scheduled action of an Application Auto Scaling scalable target
    (PutScheduledAction, DescribeScheduledActions, DeleteScheduledAction), for example an ECS
    service that scales to zero at night.
  - The schedule, time zone, start and end time and the new minimum and maximum capacity are
    compared with the live action; PutScheduledAction is called only when one of them differs.
  - The scalable target must already be registered.
author:
  - Cloudplatform Team (@cloudplatform)
options:
  name:
    description: Scheduled action name (unique per scalable target).
    type: str
    required: true
    aliases: [scheduled_action_name]
  service_namespace:
    description: Namespace of the scalable target.
    type: str
    default: ecs
  resource_id:
    description: Resource of the scalable target, for ECS C(service/<cluster>/<service>).
    type: str
    required: true
  scalable_dimension:
    description: Scalable dimension.
    type: str
    default: ecs:service:DesiredCount
  state:
    description: Whether the scheduled action should exist.
    type: str
    choices: [present, absent]
    default: present
  schedule:
    description:
      - C(at(yyyy-mm-ddThh:mm:ss)), C(rate(value unit)) or C(cron(minutes hours day-of-month month day-of-week year)).
      - Required with I(state=present).
    type: str
  timezone:
    description: IANA time zone the schedule is evaluated in (for example C(America/New_York)).
    type: str
    default: UTC
  start_time:
    description: ISO 8601 date and time (UTC, or with an offset) before which the action does not run.
    type: str
  end_time:
    description: ISO 8601 date and time (UTC, or with an offset) after which the action does not run.
    type: str
  min_capacity:
    description: Minimum capacity the scalable target gets when the action runs.
    type: int
  max_capacity:
    description: Maximum capacity the scalable target gets when the action runs.
    type: int
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    description: Reports what would change and makes no write call.
  diff_mode:
    support: full
    description: Shows the managed settings before and after.
  platform:
    support: full
    platforms: aws
    description: Runs against the AWS API (or an endpoint that speaks it).
notes:
  - Scheduled actions take no tags.
  - At least one of I(min_capacity) and I(max_capacity) is required with I(state=present).
"""

EXAMPLES = r"""
- name: Scale the dev api to zero at 20:00 New York time on weekdays
  cloudplatform.aws.application_autoscaling_scheduled_action:
    name: cloudplatform-dev-api-night-stop
    resource_id: service/cloudplatform-dev-ecs-cluster/cloudplatform-dev-api
    schedule: cron(0 20 ? * MON-FRI *)
    timezone: America/New_York
    min_capacity: 0
    max_capacity: 0

- name: Remove the action
  cloudplatform.aws.application_autoscaling_scheduled_action:
    name: cloudplatform-dev-api-night-stop
    resource_id: service/cloudplatform-dev-ecs-cluster/cloudplatform-dev-api
    state: absent
"""

RETURN = r"""
scheduled_action:
  description: The scheduled action after the run (snake_cased); empty when it does not exist.
  returned: always
  type: dict
  contains:
    scheduled_action_arn:
      description: ARN of the action.
      type: str
    schedule:
      description: Schedule expression.
      type: str
      sample: cron(0 20 ? * MON-FRI *)
    timezone:
      description: Time zone of the schedule.
      type: str
      sample: America/New_York
    scalable_target_action:
      description: Capacities applied when the action runs.
      type: dict
      sample: {"min_capacity": 0, "max_capacity": 0}
"""

import datetime

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudplatform.aws.plugins.module_utils.app_autoscaling import (
    AnsibleAppAutoScalingError,
    delete_scheduled_action,
    describe_scheduled_actions,
    put_scheduled_action,
)


def parse_time(module, name):
    """An ISO 8601 option as an aware UTC datetime, or None when unset."""
    value = module.params[name]
    if value is None:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        module.fail_json(msg="%s: %r is not an ISO 8601 date and time; expected e.g. 2026-12-01T00:00:00Z" % (name, value))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed.astimezone(datetime.timezone.utc)


def as_utc(value):
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value.astimezone(datetime.timezone.utc)


def target_key(params):
    return dict(
        ServiceNamespace=params["service_namespace"],
        ResourceId=params["resource_id"],
        ScalableDimension=params["scalable_dimension"],
    )


def find_action(client, params):
    actions = describe_scheduled_actions(client, ScheduledActionNames=[params["name"]], **target_key(params))
    for action in actions:
        if action["ScheduledActionName"] == params["name"]:
            return action
    return None


def wanted_action(module):
    params = module.params
    target_action = {}
    if params["min_capacity"] is not None:
        target_action["MinCapacity"] = params["min_capacity"]
    if params["max_capacity"] is not None:
        target_action["MaxCapacity"] = params["max_capacity"]
    wanted = dict(target_key(params), ScheduledActionName=params["name"], Schedule=params["schedule"],
                  Timezone=params["timezone"], ScalableTargetAction=target_action)
    for option, key in (("start_time", "StartTime"), ("end_time", "EndTime")):
        parsed = parse_time(module, option)
        if parsed is not None:
            wanted[key] = parsed
    return wanted


def comparable(action):
    """The fields a PutScheduledAction sets, with AWS defaults filled in."""
    if not action:
        return {}
    return {
        "Schedule": action.get("Schedule"),
        "Timezone": action.get("Timezone") or "UTC",
        "StartTime": as_utc(action.get("StartTime")),
        "EndTime": as_utc(action.get("EndTime")),
        "ScalableTargetAction": {k: v for k, v in (action.get("ScalableTargetAction") or {}).items() if v is not None},
    }


def snake(action):
    if not action:
        return {}
    result = dict(action)
    for key in ("StartTime", "EndTime", "CreationTime"):
        if result.get(key) is not None:
            result[key] = as_utc(result[key]).isoformat()
    return camel_dict_to_snake_dict(result)


def ensure_present(module, client):
    if not module.params["schedule"]:
        module.fail_json(msg="schedule is required with state=present; expected at(...), rate(...) or cron(...)")
    if module.params["min_capacity"] is None and module.params["max_capacity"] is None:
        module.fail_json(msg="min_capacity or max_capacity is required with state=present")
    live = find_action(client, module.params)
    wanted = wanted_action(module)
    changed = comparable(live) != comparable(wanted)
    if changed and not module.check_mode:
        put_scheduled_action(client, **wanted)
        after = find_action(client, module.params)
    elif changed:
        after = dict(live or {}, **wanted)
    else:
        after = live
    return {"changed": changed, "scheduled_action": snake(after), "diff": {"before": snake(live), "after": snake(after)}}


def ensure_absent(module, client):
    live = find_action(client, module.params)
    if live and not module.check_mode:
        delete_scheduled_action(client, ScheduledActionName=module.params["name"], **target_key(module.params))
    return {"changed": bool(live), "scheduled_action": {}, "diff": {"before": snake(live), "after": {}}}


def main():
    argument_spec = dict(
        name=dict(type="str", required=True, aliases=["scheduled_action_name"]),
        service_namespace=dict(type="str", default="ecs"),
        resource_id=dict(type="str", required=True),
        scalable_dimension=dict(type="str", default="ecs:service:DesiredCount"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        schedule=dict(type="str"),
        timezone=dict(type="str", default="UTC"),
        start_time=dict(type="str"),
        end_time=dict(type="str"),
        min_capacity=dict(type="int"),
        max_capacity=dict(type="int"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("application-autoscaling")
    try:
        if module.params["state"] == "present":
            result = ensure_present(module, client)
        else:
            result = ensure_absent(module, client)
    except AnsibleAppAutoScalingError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
