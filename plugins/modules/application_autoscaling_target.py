#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: application_autoscaling_target
short_description: Manage an Application Auto Scaling scalable target and its target-tracking policies
version_added: 0.1.0
description:
  - Registers a scalable target with its minimum and maximum capacity and puts the named
    target-tracking policies on it, calling RegisterScalableTarget or PutScalingPolicy only for
    what differs from the live state.
  - Written because M(community.aws.application_autoscaling_policy) writes in check mode (it calls
    RegisterScalableTarget and PutScalingPolicy regardless) and cannot register a target without
    a policy.
  - Policies of the target that are not listed are left alone (another role may own step-scaling
    policies on the same target).
  - I(state=absent) deletes the listed policies and deregisters the target, which also removes
    its scheduled actions.
author:
  - Cloudplatform Team (@cloudplatform)
options:
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
    description: Whether the target and the listed policies should exist.
    type: str
    choices: [present, absent]
    default: present
  min_capacity:
    description: Minimum capacity. Required with I(state=present).
    type: int
  max_capacity:
    description: Maximum capacity. Required with I(state=present).
    type: int
  policies:
    description: Target-tracking policies on predefined metrics.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Policy name.
        type: str
        required: true
      predefined_metric:
        description: Predefined metric, for example C(ECSServiceAverageCPUUtilization).
        type: str
        required: true
      target_value:
        description: Target value of the metric.
        type: float
        required: true
      scale_in_cooldown:
        description: Seconds between scale-in activities.
        type: int
        default: 300
      scale_out_cooldown:
        description: Seconds between scale-out activities.
        type: int
        default: 60
      disable_scale_in:
        description: Never scale in through this policy.
        type: bool
        default: false
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
"""

EXAMPLES = r"""
- name: Scale the api between 2 and 8 tasks on CPU 70 % and memory 80 %
  cloudplatform.aws.application_autoscaling_target:
    resource_id: service/cloudplatform-prod-ecs-cluster/cloudplatform-prod-api
    min_capacity: 2
    max_capacity: 8
    policies:
      - name: cloudplatform-prod-api-cpu
        predefined_metric: ECSServiceAverageCPUUtilization
        target_value: 70
      - name: cloudplatform-prod-api-memory
        predefined_metric: ECSServiceAverageMemoryUtilization
        target_value: 80
"""

RETURN = r"""
scalable_target:
  description: The scalable target after the run (snake_cased); empty when absent.
  returned: always
  type: dict
  sample: {"min_capacity": 2, "max_capacity": 8, "resource_id": "service/c/s"}
policies:
  description: The listed policies after the run (snake_cased).
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudplatform.aws.plugins.module_utils.app_autoscaling import (
    AnsibleAppAutoScalingError,
    delete_scaling_policy,
    deregister_scalable_target,
    find_policies,
    find_target,
    planned_policies,
    planned_target,
    policy_options,
    target_key,
    target_view,
    update_policies,
    update_target,
)


def listed_policies(client, params):
    names = [p["name"] for p in params["policies"]]
    if not names:
        return {}
    return find_policies(client, params, names)


def ensure_present(module, client):
    params = module.params
    if params["min_capacity"] is None or params["max_capacity"] is None:
        module.fail_json(msg="min_capacity and max_capacity are required with state=present")
    target = find_target(client, params)
    policies = listed_policies(client, params) if target else {}
    before = target_view(target, policies)
    changed = update_target(client, module.check_mode, params, target)
    changed |= update_policies(client, module.check_mode, params, params["policies"], policies)
    if changed and not module.check_mode:
        after = target_view(find_target(client, params), listed_policies(client, params))
    elif changed:
        after = target_view(planned_target(params, target), planned_policies(params["policies"], policies))
    else:
        after = before
    return dict(changed=changed, diff={"before": before, "after": after}, **after)


def ensure_absent(module, client):
    target = find_target(client, module.params)
    policies = listed_policies(client, module.params) if target else {}
    if target and not module.check_mode:
        for name in policies:
            delete_scaling_policy(client, PolicyName=name, **target_key(module.params))
        deregister_scalable_target(client, **target_key(module.params))
    before = target_view(target, policies)
    return dict(changed=bool(target), diff={"before": before, "after": target_view(None, {})}, **target_view(None, {}))


def main():
    argument_spec = dict(
        service_namespace=dict(type="str", default="ecs"),
        resource_id=dict(type="str", required=True),
        scalable_dimension=dict(type="str", default="ecs:service:DesiredCount"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        min_capacity=dict(type="int"),
        max_capacity=dict(type="int"),
        policies=dict(type="list", elements="dict", default=[], options=policy_options()),
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
