# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Application Auto Scaling calls, each wrapped with retries and one error type, and the per-resource
logic (find, compare, update, plan) shared by the single-resource modules and application_autoscaling_target_set."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import re

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


class AnsibleAppAutoScalingError(AnsibleAWSError):
    pass


class AppAutoScalingErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleAppAutoScalingError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ObjectNotFoundException")


@AppAutoScalingErrorHandler.list_error_handler("describe scheduled actions", [])
@AWSRetry.jittered_backoff()
def describe_scheduled_actions(client, **params):
    paginator = client.get_paginator("describe_scheduled_actions")
    return paginator.paginate(**params).build_full_result()["ScheduledActions"]


@AppAutoScalingErrorHandler.common_error_handler("put scheduled action")
@AWSRetry.jittered_backoff()
def put_scheduled_action(client, **params):
    client.put_scheduled_action(**params)


@AppAutoScalingErrorHandler.deletion_error_handler("delete scheduled action")
@AWSRetry.jittered_backoff()
def delete_scheduled_action(client, **params):
    client.delete_scheduled_action(**params)
    return True


@AppAutoScalingErrorHandler.list_error_handler("describe scalable targets", [])
@AWSRetry.jittered_backoff()
def describe_scalable_targets(client, **params):
    paginator = client.get_paginator("describe_scalable_targets")
    return paginator.paginate(**params).build_full_result()["ScalableTargets"]


@AppAutoScalingErrorHandler.common_error_handler("register scalable target")
@AWSRetry.jittered_backoff()
def register_scalable_target(client, **params):
    client.register_scalable_target(**params)


@AppAutoScalingErrorHandler.deletion_error_handler("deregister scalable target")
@AWSRetry.jittered_backoff()
def deregister_scalable_target(client, **params):
    client.deregister_scalable_target(**params)
    return True


@AppAutoScalingErrorHandler.list_error_handler("describe scaling policies", [])
@AWSRetry.jittered_backoff()
def describe_scaling_policies(client, **params):
    paginator = client.get_paginator("describe_scaling_policies")
    return paginator.paginate(**params).build_full_result()["ScalingPolicies"]


@AppAutoScalingErrorHandler.common_error_handler("put scaling policy")
@AWSRetry.jittered_backoff()
def put_scaling_policy(client, **params):
    return client.put_scaling_policy(**params)


@AppAutoScalingErrorHandler.deletion_error_handler("delete scaling policy")
@AWSRetry.jittered_backoff()
def delete_scaling_policy(client, **params):
    client.delete_scaling_policy(**params)
    return True


# AWS caps ResourceIds, PolicyNames and ScheduledActionNames at 50 entries per call.
MAX_FILTER_ITEMS = 50
SCHEDULE_PATTERN = re.compile(r"^(at|rate|cron)\(.+\)$")
TIME_FIELDS = (("start_time", "StartTime"), ("end_time", "EndTime"))


def policy_options():
    """Argument spec of a target-tracking policy (application_autoscaling_target and the set module)."""
    return dict(name=dict(type="str", required=True), predefined_metric=dict(type="str", required=True),
                target_value=dict(type="float", required=True), scale_in_cooldown=dict(type="int", default=300),
                scale_out_cooldown=dict(type="int", default=60), disable_scale_in=dict(type="bool", default=False))


def action_options():
    """Argument spec of a scheduled action's settings (application_autoscaling_scheduled_action and the set module)."""
    return dict(schedule=dict(type="str"), timezone=dict(type="str", default="UTC"), start_time=dict(type="str"),
                end_time=dict(type="str"), min_capacity=dict(type="int"), max_capacity=dict(type="int"))


def chunks(items, size=MAX_FILTER_ITEMS):
    items = list(items)
    return [items[i:i + size] for i in range(0, len(items), size)]


def target_key(spec):
    """ServiceNamespace, ResourceId and ScalableDimension of a target given in module option names."""
    return dict(
        ServiceNamespace=spec["service_namespace"],
        ResourceId=spec["resource_id"],
        ScalableDimension=spec["scalable_dimension"],
    )


def same_target(item, key):
    return all(item.get(field) == value for field, value in key.items())


# Scalable targets


def find_scalable_targets(client, namespace, resource_ids, dimension=None):
    """The scalable targets of these resource ids in one namespace, 50 ids a call."""
    found = []
    for ids in chunks(resource_ids):
        params = dict(ServiceNamespace=namespace, ResourceIds=ids)
        if dimension:
            params["ScalableDimension"] = dimension
        found.extend(describe_scalable_targets(client, **params))
    return found


def find_target(client, spec):
    key = target_key(spec)
    targets = find_scalable_targets(client, key["ServiceNamespace"], [key["ResourceId"]], key["ScalableDimension"])
    return next((target for target in targets if same_target(target, key)), None)


def wanted_capacity(spec):
    """MinCapacity and MaxCapacity the user set (an unset bound is left as it is)."""
    wanted = {}
    if spec.get("min_capacity") is not None:
        wanted["MinCapacity"] = spec["min_capacity"]
    if spec.get("max_capacity") is not None:
        wanted["MaxCapacity"] = spec["max_capacity"]
    return wanted


def update_target(client, check_mode, spec, target):
    """Register the target, or re-register it with the set bounds when they differ."""
    wanted = wanted_capacity(spec)
    if target and all(target.get(field) == value for field, value in wanted.items()):
        return False
    if not check_mode:
        register_scalable_target(client, **wanted, **target_key(spec))
    return True


def planned_target(spec, target):
    """The target as a check-mode run expects it after update_target."""
    return dict(target or {}, **wanted_capacity(spec), **target_key(spec))


# Target-tracking policies


def find_policies(client, spec, names):
    """The named policies of one target, by name.

    The answer is filtered by name and target too: PolicyNames narrows it on AWS, and a policy another
    owner put on the same target (queue-depth step scaling) must never be taken as one of ours.
    """
    key = target_key(spec)
    found = {}
    for batch in chunks(names):
        for policy in describe_scaling_policies(client, PolicyNames=batch, **key):
            if policy["PolicyName"] in batch and same_target(policy, key):
                found[policy["PolicyName"]] = policy
    return found


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


def policy_is_current(live, policy):
    return bool(live) and live.get("PolicyType") == "TargetTrackingScaling" and live_configuration(live) == policy_configuration(policy)


def update_policies(client, check_mode, spec, policies, live):
    """Put the listed policies that differ from the live ones; other policies of the target are left alone."""
    changed = False
    for policy in policies:
        if policy_is_current(live.get(policy["name"]), policy):
            continue
        changed = True
        if not check_mode:
            put_scaling_policy(client, PolicyName=policy["name"], PolicyType="TargetTrackingScaling",
                               TargetTrackingScalingPolicyConfiguration=policy_configuration(policy), **target_key(spec))
    return changed


def planned_policies(policies, live):
    """The listed policies as a check-mode run expects them after update_policies."""
    planned = dict(live)
    for policy in policies:
        planned[policy["name"]] = dict(planned.get(policy["name"]) or {}, PolicyName=policy["name"], PolicyType="TargetTrackingScaling",
                                       TargetTrackingScalingPolicyConfiguration=policy_configuration(policy))
    return planned


def target_view(target, policies):
    return {
        "scalable_target": camel_dict_to_snake_dict(target or {}),
        "policies": [camel_dict_to_snake_dict(policies[name]) for name in sorted(policies)],
    }


# Scheduled actions


def find_scheduled_actions(client, namespace, names, **filters):
    """The actions of a namespace with these names, 50 names a call (names are unique per target only)."""
    found = []
    for batch in chunks(names):
        actions = describe_scheduled_actions(client, ScheduledActionNames=batch, ServiceNamespace=namespace, **filters)
        found.extend(action for action in actions if action["ScheduledActionName"] in batch)
    return found


def find_action(client, spec, name):
    key = target_key(spec)
    actions = find_scheduled_actions(client, key["ServiceNamespace"], [name], ResourceId=key["ResourceId"],
                                     ScalableDimension=key["ScalableDimension"])
    return next((action for action in actions if same_target(action, key)), None)


def parse_time(value, option):
    """An ISO 8601 option as an aware UTC datetime, None when unset; ValueError naming the option otherwise."""
    if value is None:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValueError("%s: %r is not an ISO 8601 date and time; expected e.g. 2026-12-01T00:00:00Z" % (option, value))
    return as_utc(parsed)


def as_utc(value):
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value.astimezone(datetime.timezone.utc)


def action_params(spec, action, prefix=""):
    """PutScheduledAction parameters of an action given in module option names (prefix names it in errors)."""
    target_action = {}
    if action["min_capacity"] is not None:
        target_action["MinCapacity"] = action["min_capacity"]
    if action["max_capacity"] is not None:
        target_action["MaxCapacity"] = action["max_capacity"]
    wanted = dict(target_key(spec), ScheduledActionName=action["name"], Schedule=action["schedule"],
                  Timezone=action["timezone"], ScalableTargetAction=target_action)
    for option, field in TIME_FIELDS:
        parsed = parse_time(action.get(option), prefix + option)
        if parsed is not None:
            wanted[field] = parsed
    return wanted


def comparable_action(action):
    """The fields a PutScheduledAction sets, with AWS defaults filled in."""
    if not action:
        return {}
    capacities = action.get("ScalableTargetAction") or {}
    return dict(Schedule=action.get("Schedule"), Timezone=action.get("Timezone") or "UTC", StartTime=as_utc(action.get("StartTime")),
                EndTime=as_utc(action.get("EndTime")), ScalableTargetAction={k: v for k, v in capacities.items() if v is not None})


def action_view(action):
    """An action snake_cased, times as ISO 8601 UTC strings."""
    if not action:
        return {}
    result = dict(action)
    for key in ("StartTime", "EndTime", "CreationTime"):
        if result.get(key) is not None:
            result[key] = as_utc(result[key]).isoformat()
    return camel_dict_to_snake_dict(result)


def update_action(client, check_mode, live, wanted):
    """Put the action when a setting differs from the live one."""
    if comparable_action(live) == comparable_action(wanted):
        return False
    if not check_mode:
        put_scheduled_action(client, **wanted)
    return True


def remove_action(client, check_mode, spec, name, live):
    if not live:
        return False
    if not check_mode:
        delete_scheduled_action(client, ScheduledActionName=name, **target_key(spec))
    return True
