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

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudplatform.aws.plugins.module_utils.app_autoscaling import (
    AnsibleAppAutoScalingError,
    delete_scaling_policy,
    deregister_scalable_target,
    describe_scalable_targets,
    describe_scaling_policies,
    put_scaling_policy,
    register_scalable_target,
)


def target_key(params):
    return dict(
        ServiceNamespace=params["service_namespace"],
        ResourceId=params["resource_id"],
        ScalableDimension=params["scalable_dimension"],
    )


def find_target(client, params):
    key = target_key(params)
    targets = describe_scalable_targets(client, ServiceNamespace=key["ServiceNamespace"], ResourceIds=[key["ResourceId"]],
                                        ScalableDimension=key["ScalableDimension"])
    return targets[0] if targets else None


def find_policies(client, params):
    names = [p["name"] for p in params["policies"]]
    if not names:
        return {}
    policies = describe_scaling_policies(client, PolicyNames=names, **target_key(params))
    return {p["PolicyName"]: p for p in policies}


def policy_configuration(policy):
    return {
        "TargetValue": float(policy["target_value"]),
        "PredefinedMetricSpecification": {"PredefinedMetricType": policy["predefined_metric"]},
        "ScaleInCooldown": policy["scale_in_cooldown"],
        "ScaleOutCooldown": policy["scale_out_cooldown"],
        "DisableScaleIn": policy["disable_scale_in"],
    }


def live_configuration(live):
    config = dict((live or {}).get("TargetTrackingScalingPolicyConfiguration") or {})
    if "TargetValue" in config:
        config["TargetValue"] = float(config["TargetValue"])
    # AWS leaves DisableScaleIn out when it is false.
    config.setdefault("DisableScaleIn", False)
    return config


def update_target(module, client, target):
    params = module.params
    if target and target["MinCapacity"] == params["min_capacity"] and target["MaxCapacity"] == params["max_capacity"]:
        return False
    if not module.check_mode:
        register_scalable_target(client, MinCapacity=params["min_capacity"], MaxCapacity=params["max_capacity"],
                                 **target_key(params))
    return True


def update_policies(module, client, live):
    changed = False
    for policy in module.params["policies"]:
        wanted = policy_configuration(policy)
        current = live.get(policy["name"])
        if current and current.get("PolicyType") == "TargetTrackingScaling" and live_configuration(current) == wanted:
            continue
        changed = True
        if not module.check_mode:
            put_scaling_policy(client, PolicyName=policy["name"], PolicyType="TargetTrackingScaling",
                               TargetTrackingScalingPolicyConfiguration=wanted, **target_key(module.params))
    return changed


def state_view(target, policies):
    return {
        "scalable_target": camel_dict_to_snake_dict(target or {}),
        "policies": [camel_dict_to_snake_dict(policies[name]) for name in sorted(policies)],
    }


def planned(module, target, policies):
    """What the state will be after a check-mode run."""
    params = module.params
    target = dict(target or {}, MinCapacity=params["min_capacity"], MaxCapacity=params["max_capacity"], **target_key(params))
    planned_policies = dict(policies)
    for policy in params["policies"]:
        planned_policies[policy["name"]] = dict(planned_policies.get(policy["name"]) or {}, PolicyName=policy["name"],
                                                PolicyType="TargetTrackingScaling",
                                                TargetTrackingScalingPolicyConfiguration=policy_configuration(policy))
    return target, planned_policies


def ensure_present(module, client):
    if module.params["min_capacity"] is None or module.params["max_capacity"] is None:
        module.fail_json(msg="min_capacity and max_capacity are required with state=present")
    target = find_target(client, module.params)
    policies = find_policies(client, module.params) if target else {}
    before = state_view(target, policies)
    changed = update_target(module, client, target)
    changed |= update_policies(module, client, policies)
    if changed and not module.check_mode:
        after = state_view(find_target(client, module.params), find_policies(client, module.params))
    elif changed:
        after = state_view(*planned(module, target, policies))
    else:
        after = before
    return dict(changed=changed, diff={"before": before, "after": after}, **after)


def ensure_absent(module, client):
    target = find_target(client, module.params)
    policies = find_policies(client, module.params) if target else {}
    if target and not module.check_mode:
        for name in policies:
            delete_scaling_policy(client, PolicyName=name, **target_key(module.params))
        deregister_scalable_target(client, **target_key(module.params))
    before = state_view(target, policies)
    return dict(changed=bool(target), diff={"before": before, "after": state_view(None, {})}, **state_view(None, {}))


def main():
    argument_spec = dict(
        service_namespace=dict(type="str", default="ecs"),
        resource_id=dict(type="str", required=True),
        scalable_dimension=dict(type="str", default="ecs:service:DesiredCount"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        min_capacity=dict(type="int"),
        max_capacity=dict(type="int"),
        policies=dict(type="list", elements="dict", default=[], options=dict(
            name=dict(type="str", required=True),
            predefined_metric=dict(type="str", required=True),
            target_value=dict(type="float", required=True),
            scale_in_cooldown=dict(type="int", default=300),
            scale_out_cooldown=dict(type="int", default=60),
            disable_scale_in=dict(type="bool", default=False),
        )),
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
