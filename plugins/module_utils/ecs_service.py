# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""ECS service and task-definition calls, each wrapped with retries and one error type.

Also holds the normalisation used to decide whether a task definition or a service differs from
what is wanted, so the modules and their unit tests share one definition of "the same".
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


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


@ECSErrorHandler.list_error_handler("describe service")
@AWSRetry.jittered_backoff()
def describe_service(client, cluster, name):
    """The service, or None when it does not exist (INACTIVE services are returned as such)."""
    result = client.describe_services(cluster=cluster, services=[name], include=["TAGS"])
    for service in result.get("services", []):
        if service["serviceName"] == name:
            return service
    return None


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
def wait_service_inactive(client, cluster, name, delay=15, max_attempts=40):
    client.get_waiter("services_inactive").wait(
        cluster=cluster, services=[name], WaiterConfig={"Delay": delay, "MaxAttempts": max_attempts}
    )


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
