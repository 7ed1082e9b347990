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

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudplatform.aws.plugins.module_utils.ecs_service import (
    AnsibleECSError,
    active_service,
    converge_service,
    describe_service,
    planned_service,
    remove_service,
    service_options,
    snake_service,
    wait_inactive,
)


def ensure_present(module, client):
    params = module.params
    service = active_service(describe_service(client, params["cluster"], params["name"]))
    changed, updated = converge_service(module, client, params, service)
    after = service
    if changed and not module.check_mode:
        after = describe_service(client, params["cluster"], params["name"])
    elif changed:
        after = planned_service(params, service)
    before, result = snake_service(service), snake_service(after)
    return {"changed": changed, "updated": updated, "service": result, "diff": {"before": before, "after": result}}


def ensure_absent(module, client):
    params = module.params
    service = describe_service(client, params["cluster"], params["name"])
    if not remove_service(module, client, params["cluster"], service):
        return {"changed": False, "updated": [], "service": snake_service(service), "diff": {"before": {}, "after": {}}}
    after = {}
    if not module.check_mode:
        if params["wait"]:
            wait_inactive(client, params["cluster"], [params["name"]], params["wait_timeout"])
        after = snake_service(describe_service(client, params["cluster"], params["name"]))
    return {"changed": True, "updated": [], "service": after, "diff": {"before": snake_service(service), "after": {}}}


def main():
    argument_spec = dict(
        service_options(),
        cluster=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        task_definition=dict(type="str"),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=600),
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
