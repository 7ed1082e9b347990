# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""ECS service and task-definition calls, each wrapped with retries and one error type.

Also holds the normalisation used to decide whether a task definition or a service differs from
what is wanted, and the per-resource converge steps (argument specs included), so
ecs_taskdefinition_revision, ecs_fargate_service and ecs_fargate_service_set share one definition
of "the same" and one way of changing it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import hashlib
import json

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags


class AnsibleECSError(AnsibleAWSError):
    pass


class ECSErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleECSError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["ClientException", "ServiceNotFoundException", "ClusterNotFoundException"])


# ---------------------------------------------------------------------------------------------
# Task definitions


@ECSErrorHandler.list_error_handler("list task definitions", [])
@AWSRetry.jittered_backoff()
def list_task_definition_arns(client, family, status="ACTIVE"):
    """ARNs of one family's revisions, newest first (familyPrefix also matches longer names)."""
    paginator = client.get_paginator("list_task_definitions")
    pages = paginator.paginate(familyPrefix=family, status=status, sort="DESC")
    arns = pages.build_full_result()["taskDefinitionArns"]
    mine = [arn for arn in arns if arn.rsplit("/", 1)[-1].rsplit(":", 1)[0] == family]
    # Order by revision number here rather than trusting the server's sort, so "latest" never
    # depends on how an endpoint orders its answer.
    return sorted(mine, key=lambda arn: int(arn.rsplit(":", 1)[-1]), reverse=True)


@ECSErrorHandler.list_error_handler("describe task definition")
@AWSRetry.jittered_backoff()
def describe_task_definition(client, task_definition):
    result = client.describe_task_definition(taskDefinition=task_definition, include=["TAGS"])
    definition = result["taskDefinition"]
    definition["tags"] = result.get("tags", [])
    return definition


@ECSErrorHandler.common_error_handler("register task definition")
@AWSRetry.jittered_backoff()
def register_task_definition(client, **params):
    result = client.register_task_definition(**params)
    definition = result["taskDefinition"]
    definition["tags"] = result.get("tags", [])
    return definition


@ECSErrorHandler.common_error_handler("deregister task definition")
@AWSRetry.jittered_backoff()
def deregister_task_definition(client, task_definition_arn):
    return client.deregister_task_definition(taskDefinition=task_definition_arn)["taskDefinition"]


# ---------------------------------------------------------------------------------------------
# Services


# DescribeServices takes at most ten services per call.
DESCRIBE_SERVICES_BATCH = 10


@ECSErrorHandler.list_error_handler("describe services", [])
@AWSRetry.jittered_backoff()
def _describe_service_batch(client, cluster, names):
    return client.describe_services(cluster=cluster, services=names, include=["TAGS"]).get("services", [])


def describe_services(client, cluster, names):
    """Services by name, ten per call; missing ones are left out, INACTIVE ones are returned as such."""
    found = {}
    for start in range(0, len(names), DESCRIBE_SERVICES_BATCH):
        for service in _describe_service_batch(client, cluster, names[start:start + DESCRIBE_SERVICES_BATCH]):
            found[service["serviceName"]] = service
    return found


def describe_service(client, cluster, name):
    """The service, or None when it does not exist (INACTIVE services are returned as such)."""
    return describe_services(client, cluster, [name]).get(name)


@ECSErrorHandler.common_error_handler("create service")
@AWSRetry.jittered_backoff()
def create_service(client, **params):
    return client.create_service(**params)["service"]


@ECSErrorHandler.common_error_handler("update service")
@AWSRetry.jittered_backoff()
def update_service(client, **params):
    return client.update_service(**params)["service"]


@ECSErrorHandler.common_error_handler("delete service")
@AWSRetry.jittered_backoff()
def delete_service(client, cluster, name):
    return client.delete_service(cluster=cluster, service=name)["service"]


@ECSErrorHandler.common_error_handler("wait for the service to become inactive")
def wait_services_inactive(client, cluster, names, delay=15, max_attempts=40):
    # One service per wait: the services_inactive waiter succeeds as soon as any of the services it
    # is given is INACTIVE, so a batch would stop waiting too early.
    waiter = client.get_waiter("services_inactive")
    for name in names:
        waiter.wait(cluster=cluster, services=[name], WaiterConfig={"Delay": delay, "MaxAttempts": max_attempts})


@ECSErrorHandler.common_error_handler("tag ECS resource")
@AWSRetry.jittered_backoff()
def tag_resource(client, arn, tags):
    client.tag_resource(resourceArn=arn, tags=[{"key": k, "value": v} for k, v in tags.items()])


@ECSErrorHandler.common_error_handler("untag ECS resource")
@AWSRetry.jittered_backoff()
def untag_resource(client, arn, keys):
    client.untag_resource(resourceArn=arn, tagKeys=list(keys))


# ---------------------------------------------------------------------------------------------
# Normalisation

# Keys AWS fills in on a container definition when they are not given: an unset value and these
# defaults describe the same container.
CONTAINER_DEFAULTS = {"cpu": 0, "essential": True}
# Lists whose order AWS does not keep or that have no meaningful order.
NAMED_LISTS = ("environment", "secrets", "environmentFiles", "ulimits", "systemControls")


def _drop_empty(value):
    if isinstance(value, dict):
        cleaned = {k: _drop_empty(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, [], {}, "")}
    if isinstance(value, list):
        return [_drop_empty(v) for v in value]
    return value


def _port_mapping(mapping):
    mapping = dict(mapping)
    mapping.setdefault("protocol", "tcp")
    # awsvpc: the host port is always the container port; AWS reports it even when not given.
    if "containerPort" in mapping:
        mapping.setdefault("hostPort", mapping["containerPort"])
    return mapping


def normalize_container(container):
    """A container definition reduced to what decides whether two revisions are the same."""
    result = copy.deepcopy(container)
    for key, default in CONTAINER_DEFAULTS.items():
        if result.get(key) == default:
            result.pop(key)
    for key in NAMED_LISTS:
        if result.get(key):
            result[key] = sorted(result[key], key=lambda item: str(item.get("name", item)))
    if result.get("portMappings"):
        result["portMappings"] = [_port_mapping(m) for m in result["portMappings"]]
    return _drop_empty(result)


TASK_FIELDS = ("family", "taskRoleArn", "executionRoleArn", "networkMode", "requiresCompatibilities",
               "cpu", "memory", "runtimePlatform", "volumes", "placementConstraints", "pidMode", "ipcMode",
               "ephemeralStorage")


def normalize_task_definition(definition):
    """A task definition (request or DescribeTaskDefinition answer) in a comparable form."""
    result = {key: copy.deepcopy(definition.get(key)) for key in TASK_FIELDS}
    for key in ("cpu", "memory"):
        if result[key] is not None:
            result[key] = str(result[key])
    if result["requiresCompatibilities"]:
        result["requiresCompatibilities"] = sorted(result["requiresCompatibilities"])
    result["containerDefinitions"] = sorted(
        (normalize_container(c) for c in definition.get("containerDefinitions") or []), key=lambda c: c.get("name", "")
    )
    return _drop_empty(result)


def task_definition_differences(wanted, live):
    """Top-level keys whose normalised values differ (empty when the revision can be reused)."""
    left = normalize_task_definition(wanted)
    right = normalize_task_definition(live)
    return sorted(key for key in set(left) | set(right) if left.get(key) != right.get(key))


# ---------------------------------------------------------------------------------------------
# Tags


def tags_dict(tags):
    return {t["key"]: t["value"] for t in tags or []}


def tag_list(tags):
    return [{"key": k, "value": v} for k, v in (tags or {}).items()]


def planned_tags(current, tags, purge_tags):
    """The tag list a resource has once update_tags() has run (check mode and diff)."""
    if tags is None:
        return current or []
    return tag_list(tags if purge_tags else dict(tags_dict(current), **tags))


def update_tags(module, client, arn, current, tags, purge_tags):
    """Reconcile one resource's tags with TagResource/UntagResource; True when they differ."""
    if tags is None:
        return False
    to_set, to_unset = compare_aws_tags(tags_dict(current), tags, purge_tags)
    if not to_set and not to_unset:
        return False
    if module.check_mode:
        return True
    if to_unset:
        untag_resource(client, arn, to_unset)
    if to_set:
        tag_resource(client, arn, to_set)
    return True


# ---------------------------------------------------------------------------------------------
# Task definition converge (ecs_taskdefinition_revision, ecs_fargate_service_set)


def task_definition_options():
    """Argument spec of one task definition; state is the caller's."""
    return dict(
        family=dict(type="str", required=True),
        container_definitions=dict(type="list", elements="dict"),
        cpu=dict(type="str"),
        memory=dict(type="str"),
        network_mode=dict(type="str", choices=["awsvpc", "bridge", "host", "none"], default="awsvpc"),
        requires_compatibilities=dict(type="list", elements="str", default=["FARGATE"]),
        execution_role_arn=dict(type="str"),
        task_role_arn=dict(type="str"),
        cpu_architecture=dict(type="str", choices=["X86_64", "ARM64"], default="X86_64"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )


def wanted_definition(params):
    """RegisterTaskDefinition parameters (without tags) of one task definition's options."""
    wanted = {
        "family": params["family"],
        "containerDefinitions": params["container_definitions"],
        "networkMode": params["network_mode"],
        "requiresCompatibilities": params["requires_compatibilities"],
        "runtimePlatform": {"cpuArchitecture": params["cpu_architecture"], "operatingSystemFamily": "LINUX"},
    }
    optional = {"cpu": "cpu", "memory": "memory", "executionRoleArn": "execution_role_arn",
                "taskRoleArn": "task_role_arn"}
    for key, param in optional.items():
        if params[param] is not None:
            wanted[key] = params[param]
    return wanted


def snake_definition(definition):
    if not definition:
        return {}
    result = camel_dict_to_snake_dict(definition, ignore_list=["tags"])
    result["tags"] = tags_dict(definition.get("tags"))
    return result


def register_revision(module, client, params, wanted):
    """Register the wanted definition (in check mode: what would be registered)."""
    if module.check_mode:
        return dict(wanted, tags=tag_list(params["tags"]))
    if params["tags"]:
        wanted = dict(wanted, tags=tag_list(params["tags"]))
    return register_task_definition(client, **wanted)


def retag_revision(module, client, params, latest):
    """Reconcile the latest revision's tags; returns (changed, the revision after)."""
    changed = update_tags(module, client, latest["taskDefinitionArn"], latest.get("tags"), params["tags"], params["purge_tags"])
    if not changed:
        return False, latest
    if module.check_mode:
        return True, dict(latest, tags=planned_tags(latest.get("tags"), params["tags"], params["purge_tags"]))
    return True, describe_task_definition(client, latest["taskDefinitionArn"])


def converge_task_definition(module, client, params, latest):
    """Make the latest revision of params' family match params.

    latest is the latest ACTIVE revision as DescribeTaskDefinition returns it (tags included), or
    None. A revision is registered only when the definition differs; otherwise only the latest
    revision's tags are reconciled. Returns changed, differences, task_definition (snake_cased, tags
    as a dict; no task_definition_arn when a revision would be registered in check mode) and diff.
    """
    wanted = wanted_definition(params)
    differences = task_definition_differences(wanted, latest) if latest else ["family"]
    if differences:
        changed, after = True, register_revision(module, client, params, wanted)
    else:
        changed, after = retag_revision(module, client, params, latest)
    before, after = snake_definition(latest), snake_definition(after)
    return {"changed": changed, "differences": differences, "task_definition": after, "diff": {"before": before, "after": after}}


def deregister_family(module, client, family):
    """Deregister every ACTIVE revision of the family (none in check mode); returns their ARNs."""
    arns = list_task_definition_arns(client, family)
    if not module.check_mode:
        for arn in arns:
            deregister_task_definition(client, arn)
    return arns


# ---------------------------------------------------------------------------------------------
# Service converge (ecs_fargate_service, ecs_fargate_service_set)


def service_options():
    """Argument spec of one service without cluster, task_definition, state and the waits."""
    return dict(
        name=dict(type="str", required=True),
        desired_count=dict(type="int"),
        preserve_desired_count=dict(type="bool", default=False),
        capacity_provider_strategy=dict(type="list", elements="dict", options=dict(
            capacity_provider=dict(type="str", required=True),
            weight=dict(type="int", default=1),
            base=dict(type="int", default=0),
        )),
        subnets=dict(type="list", elements="str"),
        security_groups=dict(type="list", elements="str"),
        assign_public_ip=dict(type="bool", default=False),
        load_balancers=dict(type="list", elements="dict", options=dict(
            target_group_arn=dict(type="str", required=True),
            container_name=dict(type="str", required=True),
            container_port=dict(type="int", required=True),
        )),
        minimum_healthy_percent=dict(type="int", default=50),
        maximum_percent=dict(type="int", default=200),
        circuit_breaker=dict(type="bool", default=True),
        health_check_grace_period_seconds=dict(type="int"),
        propagate_tags=dict(type="str", choices=["SERVICE", "TASK_DEFINITION", "NONE"], default="SERVICE"),
        enable_execute_command=dict(type="bool", default=False),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )


def wanted_settings(params):
    """The API shape of every setting the module manages (None = not managed)."""
    strategy = None
    if params["capacity_provider_strategy"] is not None:
        strategy = [
            {"capacityProvider": s["capacity_provider"], "weight": s["weight"], "base": s["base"]}
            for s in params["capacity_provider_strategy"]
        ]
    network = None
    if params["subnets"] is not None:
        network = {"awsvpcConfiguration": {
            "subnets": sorted(params["subnets"]),
            "securityGroups": sorted(params["security_groups"] or []),
            "assignPublicIp": "ENABLED" if params["assign_public_ip"] else "DISABLED",
        }}
    load_balancers = None
    if params["load_balancers"] is not None:
        load_balancers = [
            {"targetGroupArn": lb["target_group_arn"], "containerName": lb["container_name"],
             "containerPort": int(lb["container_port"])}
            for lb in params["load_balancers"]
        ]
    return {
        "taskDefinition": params["task_definition"],
        "desiredCount": params["desired_count"],
        "capacityProviderStrategy": strategy,
        "networkConfiguration": network,
        "loadBalancers": load_balancers,
        "deploymentConfiguration": {
            "minimumHealthyPercent": params["minimum_healthy_percent"],
            "maximumPercent": params["maximum_percent"],
            "deploymentCircuitBreaker": {"enable": params["circuit_breaker"], "rollback": params["circuit_breaker"]},
        },
        "healthCheckGracePeriodSeconds": params["health_check_grace_period_seconds"],
        "propagateTags": params["propagate_tags"],
        "enableExecuteCommand": params["enable_execute_command"],
    }


def live_settings(service):
    """The live service in the same shape as wanted_settings()."""
    network = service.get("networkConfiguration") or {}
    vpc = dict(network.get("awsvpcConfiguration") or {})
    for key in ("subnets", "securityGroups"):
        vpc[key] = sorted(vpc.get(key) or [])
    vpc.setdefault("assignPublicIp", "DISABLED")
    deployment = service.get("deploymentConfiguration") or {}
    breaker = deployment.get("deploymentCircuitBreaker") or {}
    return {
        "taskDefinition": service.get("taskDefinition"),
        "desiredCount": service.get("desiredCount"),
        "capacityProviderStrategy": [
            {"capacityProvider": s["capacityProvider"], "weight": s.get("weight", 0), "base": s.get("base", 0)}
            for s in service.get("capacityProviderStrategy") or []
        ],
        "networkConfiguration": {"awsvpcConfiguration": vpc},
        "loadBalancers": [
            {"targetGroupArn": lb.get("targetGroupArn"), "containerName": lb.get("containerName"),
             "containerPort": lb.get("containerPort")}
            for lb in service.get("loadBalancers") or []
        ],
        "deploymentConfiguration": {
            "minimumHealthyPercent": deployment.get("minimumHealthyPercent"),
            "maximumPercent": deployment.get("maximumPercent"),
            "deploymentCircuitBreaker": {"enable": breaker.get("enable", False), "rollback": breaker.get("rollback", False)},
        },
        "healthCheckGracePeriodSeconds": service.get("healthCheckGracePeriodSeconds"),
        "propagateTags": service.get("propagateTags", "NONE"),
        "enableExecuteCommand": service.get("enableExecuteCommand", False),
    }


def same_task_definition(wanted, live):
    """A family:revision request names the same revision as the ARN AWS reports."""
    return wanted == live or (live or "").endswith("/" + wanted)


def pending_updates(params, service):
    """Settings that differ from the live service, in UpdateService parameter form."""
    wanted = wanted_settings(params)
    live = live_settings(service)
    if params["preserve_desired_count"]:
        wanted["desiredCount"] = None
    updates = {}
    for key, value in wanted.items():
        if value is None:
            continue
        if key == "taskDefinition" and same_task_definition(value, live[key]):
            continue
        if key == "loadBalancers":
            value = sorted(value, key=str)
            if value == sorted(live[key], key=str):
                continue
        if value != live[key]:
            updates[key] = wanted[key]
    return updates


def update_service_settings(module, client, params, service):
    """One UpdateService call for everything that differs; returns the names it changed."""
    updates = pending_updates(params, service)
    if not updates or module.check_mode:
        return sorted(updates)
    request = dict(updates, cluster=params["cluster"], service=params["name"])
    if "capacityProviderStrategy" in updates:
        # AWS rejects a strategy change on a running service without a new deployment.
        request["forceNewDeployment"] = True
    update_service(client, **request)
    return sorted(updates)


def create_fargate_service(module, client, params):
    if not params["task_definition"]:
        module.fail_json(msg="task_definition is required to create service %s" % params["name"])
    wanted = wanted_settings(params)
    request = {k: v for k, v in wanted.items() if v is not None}
    request.update(cluster=params["cluster"], serviceName=params["name"], schedulingStrategy="REPLICA")
    request.setdefault("desiredCount", 0)
    if params["tags"]:
        request["tags"] = tag_list(params["tags"])
    # A retried CreateService (after a timeout) with the same request must not create twice; AWS
    # accepts up to 36 characters. Hashing the request keeps a later re-creation (new task
    # definition revision) from colliding with an old token.
    request["clientToken"] = hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()[:32]
    if not module.check_mode:
        create_service(client, **request)


def active_service(service):
    """The service when it is ACTIVE; a DRAINING or INACTIVE one counts as missing."""
    return service if service and service.get("status") == "ACTIVE" else None


def converge_service(module, client, params, service):
    """Create the service, or bring the ACTIVE service in line with params; returns (changed, updated)."""
    if service is None:
        create_fargate_service(module, client, params)
        return True, []
    updated = update_service_settings(module, client, params, service)
    tags_changed = update_tags(module, client, service["serviceArn"], service.get("tags"), params["tags"], params["purge_tags"])
    return bool(updated) or tags_changed, updated


def planned_service(params, service):
    """The service as converge_service() would leave it (check mode)."""
    planned = dict(service or {}, serviceName=params["name"])
    planned.update((k, v) for k, v in wanted_settings(params).items() if v is not None)
    if service and params["preserve_desired_count"]:
        planned["desiredCount"] = service.get("desiredCount")
    planned["tags"] = planned_tags((service or {}).get("tags"), params["tags"], params["purge_tags"])
    return planned


def snake_service(service):
    if not service:
        return {}
    result = camel_dict_to_snake_dict({k: v for k, v in service.items() if k not in ("events", "tags")})
    result["tags"] = tags_dict(service.get("tags"))
    return result


def remove_service(module, client, cluster, service):
    """Scale an ACTIVE service to zero and delete it; True unless it is already gone or INACTIVE."""
    if not service or service.get("status") == "INACTIVE":
        return False
    if module.check_mode or service.get("status") != "ACTIVE":
        return True
    if service.get("desiredCount"):
        update_service(client, cluster=cluster, service=service["serviceName"], desiredCount=0)
    delete_service(client, cluster, service["serviceName"])
    return True


def wait_inactive(client, cluster, names, timeout):
    delay = 5
    wait_services_inactive(client, cluster, names, delay=delay, max_attempts=max(1, timeout // delay))
