#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: ecs_fargate_service
short_description: Manage an ECS service on Fargate capacity providers, updating only what differs
version_added: 0.1.0
description:
  - Creates, updates or deletes an ECS service that runs in awsvpc mode on the C(FARGATE) /
    C(FARGATE_SPOT) capacity providers.
  - Every setting the module manages (task definition, desired count, capacity-provider strategy,
    network configuration, deployment configuration and circuit breaker, load balancers,
    health-check grace period, tag propagation, ECS Exec, tags) is compared with the live service,
    and one UpdateService call carries only the settings that differ. A service that matches makes
    no write call.
  - M(community.aws.ecs_service) compares only some of these settings (a drifted deployment
    configuration, network configuration or capacity-provider strategy is never corrected),
    compares load balancers without normalising types, and cannot change tags; this module fixes
    those defects.
  - With I(state=absent) the service is scaled to zero, deleted, and (unless I(wait=false)) the
    module waits until it is C(INACTIVE), that is drained.
author:
  - Cloudplatform Team (@cloudplatform)
options:
  name:
    description: Service name.
    type: str
    required: true
  cluster:
    description: Cluster name or ARN.
    type: str
    required: true
  state:
    description: Whether the service should exist.
    type: str
    choices: [present, absent]
    default: present
  task_definition:
    description: Task definition ARN (or C(family:revision)). Required to create the service.
    type: str
  desired_count:
    description: Number of tasks.
    type: int
  preserve_desired_count:
    description:
      - Use I(desired_count) only when the service is created and leave the live count alone
        afterwards, so a converge never fights Application Auto Scaling or a scheduled shutdown.
    type: bool
    default: false
  capacity_provider_strategy:
    description: Capacity-provider strategy.
    type: list
    elements: dict
    suboptions:
      capacity_provider:
        description: C(FARGATE) or C(FARGATE_SPOT).
        type: str
        required: true
      weight:
        description: Relative weight.
        type: int
        default: 1
      base:
        description: Tasks placed on this provider first.
        type: int
        default: 0
  subnets:
    description: Subnets of the tasks' network interfaces.
    type: list
    elements: str
  security_groups:
    description: Security groups of the tasks.
    type: list
    elements: str
  assign_public_ip:
    description: Give the tasks public IP addresses.
    type: bool
    default: false
  load_balancers:
    description: Target groups the service registers its tasks with. An empty list detaches them.
    type: list
    elements: dict
    suboptions:
      target_group_arn:
        description: Target group ARN.
        type: str
        required: true
      container_name:
        description: Container that receives the traffic.
        type: str
        required: true
      container_port:
        description: Container port.
        type: int
        required: true
  minimum_healthy_percent:
    description: Deployment lower limit, in percent of the desired count.
    type: int
    default: 50
  maximum_percent:
    description: Deployment upper limit, in percent of the desired count.
    type: int
    default: 200
  circuit_breaker:
    description: Enable the deployment circuit breaker with rollback.
    type: bool
    default: true
  health_check_grace_period_seconds:
    description: Seconds the scheduler ignores load-balancer health checks after a task starts. Only valid with load balancers.
    type: int
  propagate_tags:
    description: Copy tags to the tasks from the service or the task definition.
    type: str
    choices: [SERVICE, TASK_DEFINITION, NONE]
    default: SERVICE
  enable_execute_command:
    description: Allow ECS Exec into the tasks.
    type: bool
    default: false
  wait:
    description: With I(state=absent), wait until the service is C(INACTIVE).
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait.
    type: int
    default: 600
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
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
  - C(purge_tags) defaults to C(true).
  - Changing the capacity-provider strategy of a running service forces a new deployment, as AWS requires.
"""

EXAMPLES = r"""
- name: Run the api service
  cloudplatform.aws.ecs_fargate_service:
    name: cloudplatform-prod-api
    cluster: cloudplatform-prod-ecs-cluster
    task_definition: arn:aws:ecs:us-east-1:123456789012:task-definition/cloudplatform-prod-api:7
    desired_count: 2
    preserve_desired_count: true
    capacity_provider_strategy:
      - capacity_provider: FARGATE
    subnets: [subnet-0a, subnet-0b, subnet-0c]
    security_groups: [sg-0123]
    load_balancers:
      - target_group_arn: arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/0123
        container_name: api
        container_port: 8000
    health_check_grace_period_seconds: 60
    tags:
      Environment: prod

- name: Delete the service and wait until it is drained
  cloudplatform.aws.ecs_fargate_service:
    name: cloudplatform-prod-api
    cluster: cloudplatform-prod-ecs-cluster
    state: absent
"""

RETURN = r"""
service:
  description: The service after the run (snake_cased), tags as a dict; empty when it does not exist.
  returned: always
  type: dict
  contains:
    service_arn:
      description: Service ARN.
      type: str
    task_definition:
      description: Task definition ARN the service runs.
      type: str
    desired_count:
      description: Desired number of tasks.
      type: int
    status:
      description: C(ACTIVE), C(DRAINING) or C(INACTIVE).
      type: str
updated:
  description: Settings an UpdateService call changed (empty when none).
  returned: always
  type: list
  elements: str
  sample: [taskDefinition]
"""

import hashlib
import json

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

from ansible_collections.cloudplatform.aws.plugins.module_utils.ecs_service import (
    AnsibleECSError,
    create_service,
    delete_service,
    describe_service,
    tag_resource,
    untag_resource,
    update_service,
    wait_service_inactive,
)


def tags_dict(tag_list):
    return {t["key"]: t["value"] for t in tag_list or []}


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


def update_tags(module, client, service):
    if module.params["tags"] is None:
        return False
    to_set, to_unset = compare_aws_tags(tags_dict(service.get("tags")), module.params["tags"], module.params["purge_tags"])
    if not to_set and not to_unset:
        return False
    if module.check_mode:
        return True
    if to_unset:
        untag_resource(client, service["serviceArn"], to_unset)
    if to_set:
        tag_resource(client, service["serviceArn"], to_set)
    return True


def update_settings(module, client, service):
    """One UpdateService call for everything that differs; returns the names it changed."""
    updates = pending_updates(module.params, service)
    if not updates or module.check_mode:
        return sorted(updates)
    params = dict(updates, cluster=module.params["cluster"], service=module.params["name"])
    if "capacityProviderStrategy" in updates:
        # AWS rejects a strategy change on a running service without a new deployment.
        params["forceNewDeployment"] = True
    update_service(client, **params)
    return sorted(updates)


def create(module, client):
    params = module.params
    if not params["task_definition"]:
        module.fail_json(msg="task_definition is required to create service %s" % params["name"])
    wanted = wanted_settings(params)
    request = {k: v for k, v in wanted.items() if v is not None}
    request.update(cluster=params["cluster"], serviceName=params["name"], schedulingStrategy="REPLICA")
    request.setdefault("desiredCount", 0)
    if params["tags"]:
        request["tags"] = [{"key": k, "value": v} for k, v in params["tags"].items()]
    # A retried CreateService (after a timeout) with the same request must not create twice; AWS
    # accepts up to 36 characters. Hashing the request keeps a later re-creation (new task
    # definition revision) from colliding with an old token.
    request["clientToken"] = hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()[:32]
    if not module.check_mode:
        create_service(client, **request)


def snake(service):
    if not service:
        return {}
    result = camel_dict_to_snake_dict({k: v for k, v in service.items() if k not in ("events", "tags")})
    result["tags"] = tags_dict(service.get("tags"))
    return result


def ensure_present(module, client):
    service = describe_service(client, module.params["cluster"], module.params["name"])
    if service and service.get("status") != "ACTIVE":
        service = None
    before = snake(service)
    updated = []
    if service is None:
        create(module, client)
        changed = True
    else:
        updated = update_settings(module, client, service)
        changed = bool(updated)
        changed |= update_tags(module, client, service)
    after = service
    if changed and not module.check_mode:
        after = describe_service(client, module.params["cluster"], module.params["name"])
    elif changed:
        after = dict(service or {}, **{k: v for k, v in wanted_settings(module.params).items() if v is not None})
    result = snake(after)
    return {"changed": changed, "updated": updated, "service": result, "diff": {"before": before, "after": result}}


def wait_inactive(module, client):
    delay = 5
    attempts = max(1, module.params["wait_timeout"] // delay)
    wait_service_inactive(client, module.params["cluster"], module.params["name"], delay=delay, max_attempts=attempts)


def ensure_absent(module, client):
    service = describe_service(client, module.params["cluster"], module.params["name"])
    if not service or service.get("status") == "INACTIVE":
        return {"changed": False, "updated": [], "service": snake(service), "diff": {"before": {}, "after": {}}}
    before = snake(service)
    if not module.check_mode:
        if service.get("status") == "ACTIVE" and service.get("desiredCount"):
            update_service(client, cluster=module.params["cluster"], service=module.params["name"], desiredCount=0)
        if service.get("status") == "ACTIVE":
            delete_service(client, module.params["cluster"], module.params["name"])
        if module.params["wait"]:
            wait_inactive(module, client)
    after = {} if module.check_mode else snake(describe_service(client, module.params["cluster"], module.params["name"]))
    return {"changed": True, "updated": [], "service": after, "diff": {"before": before, "after": {}}}


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        cluster=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        task_definition=dict(type="str"),
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
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=600),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("ecs")
    try:
        if module.params["state"] == "present":
            result = ensure_present(module, client)
        else:
            result = ensure_absent(module, client)
    except AnsibleECSError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
