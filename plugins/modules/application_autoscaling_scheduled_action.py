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

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudplatform.aws.plugins.module_utils.app_autoscaling import (
    AnsibleAppAutoScalingError,
    action_options,
    action_params,
    action_view,
    find_action,
    remove_action,
    update_action,
)


def wanted_action(module):
    try:
        return action_params(module.params, module.params)
    except ValueError as e:
        module.fail_json(msg=str(e))


def ensure_present(module, client):
    params = module.params
    if not params["schedule"]:
        module.fail_json(msg="schedule is required with state=present; expected at(...), rate(...) or cron(...)")
    if params["min_capacity"] is None and params["max_capacity"] is None:
        module.fail_json(msg="min_capacity or max_capacity is required with state=present")
    live = find_action(client, params, params["name"])
    wanted = wanted_action(module)
    changed = update_action(client, module.check_mode, live, wanted)
    if changed and not module.check_mode:
        after = find_action(client, params, params["name"])
    elif changed:
        after = dict(live or {}, **wanted)
    else:
        after = live
    return {"changed": changed, "scheduled_action": action_view(after), "diff": {"before": action_view(live), "after": action_view(after)}}


def ensure_absent(module, client):
    live = find_action(client, module.params, module.params["name"])
    changed = remove_action(client, module.check_mode, module.params, module.params["name"], live)
    return {"changed": changed, "scheduled_action": {}, "diff": {"before": action_view(live), "after": {}}}


def main():
    argument_spec = dict(
        name=dict(type="str", required=True, aliases=["scheduled_action_name"]),
        service_namespace=dict(type="str", default="ecs"),
        resource_id=dict(type="str", required=True),
        scalable_dimension=dict(type="str", default="ecs:service:DesiredCount"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        **action_options()
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
