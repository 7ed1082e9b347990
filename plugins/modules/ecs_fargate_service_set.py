#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: ecs_fargate_service_set
short_description: Converge a list of ECS Fargate services and their task definitions in one call
author:
  - cloudplatform.aws contributors (@cloudplatform)
version_added: 0.1.0
description:
  - For every entry of O(services), makes the latest C(ACTIVE) revision of its task definition
    family match O(services[].task_definition) (a revision is registered only when the definition
    differs, as M(cloudplatform.aws.ecs_taskdefinition_revision) does), then creates the service or
    brings it in line with that revision and the other settings (one C(UpdateService) call with only
    what differs, as M(cloudplatform.aws.ecs_fargate_service) does). Both modules and this one share
    their comparison and update code.
  - One module call for the whole list instead of two per service. On a converged set the module
    makes no write call and these reads only, one C(DescribeServices) call per ten services (tags
    included) and one C(DescribeTaskDefinition) call per family (the family name selects its latest
    C(ACTIVE) revision, tags included); no C(ListTaskDefinitions) call.
  - Services that change are read back at the end, again ten per C(DescribeServices) call.
  - With O(state=absent) every listed service is scaled to zero and deleted (the module waits
    until each is C(INACTIVE) unless O(wait=false)), then every C(ACTIVE) revision of each family is
    deregistered (one C(ListTaskDefinitions) call per family).
options:
  cluster:
    description: Name or ARN of the cluster that runs every service of the set.
    type: str
    required: true
  state:
    description:
      - V(present) converges the task definitions and services.
      - V(absent) deletes the services and deregisters every active revision of their families;
        of O(services) only C(name) and C(task_definition.family) are used then.
    type: str
    choices: [present, absent]
    default: present
  wait:
    description: With O(state=absent), wait until every deleted service is C(INACTIVE) (drained).
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait for each service with O(wait=true).
    type: int
    default: 600
  services:
    description:
      - The services, each with its task definition. Names must be unique. Services may share a
        family only with identical task definitions.
      - Options a service leaves unset are not compared or changed, except the ones with a default.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: ECS service name (1 to 255 letters, digits, hyphens and underscores).
        type: str
        required: true
      desired_count:
        description: Task count; on create C(0) when unset.
        type: int
      preserve_desired_count:
        description:
          - When true, O(services[].desired_count) is sent only on create, so autoscaling or a
            scheduled shutdown keeps owning the count of an existing service.
        type: bool
        default: false
      capacity_provider_strategy:
        description: Capacity-provider strategy of the service.
        type: list
        elements: dict
        suboptions:
          capacity_provider:
            description: Provider name, V(FARGATE) or V(FARGATE_SPOT).
            type: str
            required: true
          weight:
            description: Share of the tasks placed on the provider.
            type: int
            default: 1
          base:
            description: Minimum number of tasks on the provider.
            type: int
            default: 0
      subnets:
        description: Subnet IDs of the awsvpc network interfaces; needed to create the service.
        type: list
        elements: str
      security_groups:
        description: Security group IDs of the task interfaces (used with O(services[].subnets)).
        type: list
        elements: str
      assign_public_ip:
        description: Whether tasks get a public IP (used with O(services[].subnets)).
        type: bool
        default: false
      load_balancers:
        description: Target groups the tasks register with; V([]) detaches every target group.
        type: list
        elements: dict
        suboptions:
          target_group_arn:
            description: ARN of the target group.
            type: str
            required: true
          container_name:
            description: Name of the container the target group sends traffic to.
            type: str
            required: true
          container_port:
            description: Port of that container.
            type: int
            required: true
      health_check_grace_period_seconds:
        description: Seconds during which failing load-balancer health checks are ignored after a task starts.
        type: int
      minimum_healthy_percent:
        description: Lower deployment limit, percent of the desired count.
        type: int
        default: 50
      maximum_percent:
        description: Upper deployment limit, percent of the desired count.
        type: int
        default: 200
      circuit_breaker:
        description: Deployment circuit breaker, with rollback, on or off.
        type: bool
        default: true
      propagate_tags:
        description: Where tasks copy their tags from.
        type: str
        choices: [SERVICE, TASK_DEFINITION, NONE]
        default: SERVICE
      enable_execute_command:
        description: Whether ECS Exec is allowed into the tasks.
        type: bool
        default: false
      tags:
        description: Tags of the service; V({}) with O(services[].purge_tags=true) removes them all; unset leaves them alone.
        type: dict
        aliases: [resource_tags]
      purge_tags:
        description: Remove service tags not in O(services[].tags).
        type: bool
        default: true
      task_definition:
        description: The task definition the service runs; the service uses the latest revision of its family.
        type: dict
        required: true
        suboptions:
          family:
            description: Family name (1 to 255 letters, digits, hyphens and underscores).
            type: str
            required: true
          container_definitions:
            description:
              - Containers, in the RegisterTaskDefinition shape (camelCase keys); each needs C(name) and C(image).
              - Required with O(state=present).
            type: list
            elements: dict
          cpu:
            description: Task CPU units, for example V(256) or V(1024).
            type: str
          memory:
            description: Task memory (MiB).
            type: str
          network_mode:
            description: Docker network mode of the tasks (Fargate supports only V(awsvpc)).
            type: str
            default: awsvpc
            choices: [awsvpc, bridge, host, none]
          requires_compatibilities:
            description: Launch types the revision is validated for.
            type: list
            elements: str
            default: [FARGATE]
          execution_role_arn:
            description: ARN of the role the ECS agent uses (image pull, logs, secrets).
            type: str
          task_role_arn:
            description: ARN of the role the application runs with.
            type: str
          cpu_architecture:
            description: CPU architecture of the tasks.
            type: str
            default: X86_64
            choices: [X86_64, ARM64]
          tags:
            description:
              - Tags of the latest revision; a tag change alone registers no revision.
              - Unset leaves them alone.
            type: dict
            aliases: [resource_tags]
          purge_tags:
            description: Remove revision tags not in O(services[].task_definition.tags).
            type: bool
            default: true
attributes:
  check_mode:
    support: full
    description:
      - Makes only the reads and reports per service what would change. A revision that would be
        registered has a null C(task_definition_arn), and the service plan then references
        C(<family> (revision registered on apply)).
  diff_mode:
    support: full
    description: Before and after of each service that changes (service and task definition), keyed by service name.
  platform:
    support: full
    platforms: aws
    description: Targets the Amazon ECS API.
notes:
  - Changing the capacity-provider strategy of a running service forces a new deployment, as AWS requires.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Run the billing and mailer services of the shop with their task definitions
  cloudplatform.aws.ecs_fargate_service_set:
    cluster: shop-staging-cluster
    services:
      - name: shop-staging-billing
        desired_count: 3
        capacity_provider_strategy: [{capacity_provider: FARGATE, base: 1}, {capacity_provider: FARGATE_SPOT, weight: 3}]
        subnets: "{{ private_subnet_ids }}"
        security_groups: ["{{ billing_security_group_id }}"]
        load_balancers: [{target_group_arn: "{{ billing_target_group_arn }}", container_name: billing, container_port: 9000}]
        health_check_grace_period_seconds: 90
        enable_execute_command: true
        tags: {Team: payments}
        task_definition:
          family: shop-staging-billing
          cpu: "1024"
          memory: "2048"
          cpu_architecture: ARM64
          execution_role_arn: "{{ task_execution_role_arn }}"
          container_definitions:
            - {name: billing, image: "{{ registry }}/billing:{{ billing_version }}", portMappings: [{containerPort: 9000}]}
          tags: {Team: payments}
      - name: shop-staging-mailer
        desired_count: 1
        # Autoscaling owns the count once the service exists.
        preserve_desired_count: true
        subnets: "{{ private_subnet_ids }}"
        security_groups: ["{{ mailer_security_group_id }}"]
        task_definition:
          family: shop-staging-mailer
          cpu: "256"
          memory: "512"
          execution_role_arn: "{{ task_execution_role_arn }}"
          container_definitions:
            - {name: mailer, image: "{{ registry }}/mailer:{{ mailer_version }}", environment: [{name: SMTP_PORT, value: "587"}]}
  register: shop_services

- name: Print the revision each service runs
  ansible.builtin.debug:
    msg: "{{ item.name }} runs {{ item.service.task_definition }}"
  loop: "{{ shop_services.services }}"
  loop_control:
    label: "{{ item.name }}"

- name: Remove both services and every revision of their families
  cloudplatform.aws.ecs_fargate_service_set:
    cluster: shop-staging-cluster
    state: absent
    services:
      - {name: shop-staging-billing, task_definition: {family: shop-staging-billing}}
      - {name: shop-staging-mailer, task_definition: {family: shop-staging-mailer}}
"""

RETURN = r"""
services:
  description: One entry per O(services) item, in the same order.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The service name.
      type: str
      sample: cloudplatform-prod-api
    changed:
      description: Whether the service or its task definition changed (or would change in check mode).
      type: bool
    service:
      description:
        - The service after the run, snake_cased as C(DescribeServices) returns it (events left out),
          tags as a dict; what M(cloudplatform.aws.ecs_fargate_service) returns as RV(ignore:service).
        - In check mode, the live service with the planned settings; no C(service_arn) for a service
          that would be created.
        - With O(state=absent), the service as left (C(INACTIVE)) or empty.
      type: dict
      sample:
        service_name: cloudplatform-prod-api
        service_arn: arn:aws:ecs:us-east-1:123456789012:service/cloudplatform-prod-ecs-cluster/cloudplatform-prod-api
        task_definition: arn:aws:ecs:us-east-1:123456789012:task-definition/cloudplatform-prod-api:4
        desired_count: 2
        status: ACTIVE
        tags: {Environment: prod}
    updated:
      description: The service settings an C(UpdateService) call changed (or would change); empty on create.
      type: list
      elements: str
      sample: [taskDefinition]
    task_definition:
      description:
        - The latest revision of the family after the run, snake_cased, tags as a dict; what
          M(cloudplatform.aws.ecs_taskdefinition_revision) returns as RV(ignore:task_definition).
        - In check mode, when a revision would be registered, the wanted definition with
          C(task_definition_arn) and C(revision) null.
        - Empty with O(state=absent).
      type: dict
      sample:
        task_definition_arn: arn:aws:ecs:us-east-1:123456789012:task-definition/cloudplatform-prod-api:4
        family: cloudplatform-prod-api
        revision: 4
        tags: {Environment: prod}
    differences:
      description: Top-level task definition fields that differed from the latest revision (why one was registered).
      type: list
      elements: str
      sample: [containerDefinitions]
    deregistered:
      description: With O(state=absent), the revision ARNs deregistered (or that would be).
      type: list
      elements: str
"""

import re

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudplatform.aws.plugins.module_utils.ecs_service import (
    AnsibleECSError,
    active_service,
    converge_service,
    converge_task_definition,
    deregister_family,
    describe_services,
    describe_task_definition,
    planned_service,
    remove_service,
    service_options,
    snake_service,
    task_definition_options,
    wait_inactive,
)

# ECS service names and task definition families alike.
NAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
PENDING_REVISION = "%s (revision registered on apply)"


def check_name(module, option, value):
    if not NAME_PATTERN.match(value or ""):
        module.fail_json(msg="%s: %r is not a valid name; use 1 to 255 letters, digits, hyphens and underscores" % (option, value))


def check_containers(module, index, definition):
    option = "services[%d].task_definition.container_definitions" % index
    containers = definition["container_definitions"]
    if not containers:
        module.fail_json(msg="%s: %r; state=present needs a non-empty list of container definitions" % (option, containers))
    for position, container in enumerate(containers):
        if not container.get("name") or not container.get("image"):
            module.fail_json(msg="%s[%d]: %r has no name or no image; each container needs both" % (option, position, container))


def check_family(module, index, definition, families):
    """Services may share a family only with the same definition, or each run would register twice."""
    family = definition["family"]
    check_name(module, "services[%d].task_definition.family" % index, family)
    first = families.setdefault(family, index)
    if first != index and module.params["services"][first]["task_definition"] != definition:
        module.fail_json(msg="services[%d].task_definition.family: %r is also the family of services[%d] with a different definition; "
                             "give each definition its own family" % (index, family, first))


def check_services(module):
    """Fail on input AWS would reject half-way through the set, before any call."""
    names, families = {}, {}
    for index, item in enumerate(module.params["services"]):
        check_name(module, "services[%d].name" % index, item["name"])
        first = names.setdefault(item["name"], index)
        if first != index:
            module.fail_json(msg="services[%d].name: %r is already services[%d].name; list each service once" % (index, item["name"], first))
        check_family(module, index, item["task_definition"], families)
        if module.params["state"] == "present":
            check_containers(module, index, item["task_definition"])


def check_creatable(module, live):
    """A service that does not exist yet needs subnets; fail before the first write, not after it."""
    for index, item in enumerate(module.params["services"]):
        if active_service(live.get(item["name"])) is None and not item["subnets"]:
            module.fail_json(msg="services[%d].subnets: %r; service %s does not exist and Fargate needs subnets to create it"
                                 % (index, item["subnets"], item["name"]))


class ServiceSet:
    """Converges the services of one cluster; records per service what changed for the result and diff."""

    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.cluster = module.params["cluster"]
        self.items = module.params["services"]
        self.live = describe_services(client, self.cluster, [item["name"] for item in self.items])
        # What was done to each family (converge result, or the ARNs deregistered), so that services
        # sharing a family touch it once.
        self.families = {}

    def task_definition(self, params):
        """Converge a family once, however many services run it."""
        family = params["family"]
        if family not in self.families:
            latest = describe_task_definition(self.client, family)
            self.families[family] = converge_task_definition(self.module, self.client, params, latest)
        return self.families[family]

    def converge_item(self, item):
        family = item["task_definition"]["family"]
        revision = self.task_definition(item["task_definition"])
        definition = dict(revision["task_definition"])
        if not definition.get("task_definition_arn"):
            definition.update(task_definition_arn=None, revision=None)
        params = dict(item, cluster=self.cluster, task_definition=definition["task_definition_arn"] or PENDING_REVISION % family)
        service = active_service(self.live.get(item["name"]))
        service_changed, updated = converge_service(self.module, self.client, params, service)
        return {
            "name": item["name"],
            "changed": service_changed or revision["changed"],
            "service_changed": service_changed,
            "params": params,
            "before": service,
            "updated": updated,
            "task_definition": definition,
            "differences": revision["differences"],
            "definition_diff": revision["diff"],
        }

    def present(self):
        check_creatable(self.module, self.live)
        entries = [self.converge_item(item) for item in self.items]
        changed_names = [entry["name"] for entry in entries if entry["service_changed"]]
        reread = {}
        if changed_names and not self.module.check_mode:
            reread = describe_services(self.client, self.cluster, changed_names)
        for entry in entries:
            after = entry["before"]
            if entry["service_changed"]:
                after = planned_service(entry["params"], entry["before"]) if self.module.check_mode else reread.get(entry["name"])
            entry["service"] = snake_service(after)
        return entries

    def deregister(self, family):
        """Deregister a family once, however many services ran it."""
        if family not in self.families:
            self.families[family] = deregister_family(self.module, self.client, family)
        return self.families[family]

    def absent(self):
        params = self.module.params
        removed = [item["name"] for item in self.items if remove_service(self.module, self.client, self.cluster, self.live.get(item["name"]))]
        if removed and params["wait"] and not self.module.check_mode:
            wait_inactive(self.client, self.cluster, removed, params["wait_timeout"])
        after = {}
        if removed and not self.module.check_mode:
            after = describe_services(self.client, self.cluster, removed)
        entries = []
        for item in self.items:
            arns = self.deregister(item["task_definition"]["family"])
            gone = item["name"] in removed
            entries.append({
                "name": item["name"],
                "changed": gone or bool(arns),
                "before": self.live.get(item["name"]) if gone else None,
                "service": snake_service(after.get(item["name"]) if gone else self.live.get(item["name"])),
                "updated": [],
                "task_definition": {},
                "differences": [],
                "deregistered": arns,
                "definition_diff": {"before": {"active_revisions": arns}, "after": {"active_revisions": []}},
            })
        return entries


def diff_of(entries, state):
    """Before and after keyed by service name, for the services that change."""
    diff = {"before": {}, "after": {}}
    for entry in entries:
        if not entry["changed"]:
            continue
        after_service = {} if state == "absent" else entry["service"]
        diff["before"][entry["name"]] = {"service": snake_service(entry["before"]), "task_definition": entry["definition_diff"]["before"]}
        diff["after"][entry["name"]] = {"service": after_service, "task_definition": entry["definition_diff"]["after"]}
    touched = sorted(diff["after"])
    if touched:
        # The unified diff shows only lines near a change: name the services in the headers.
        diff["before_header"] = diff["after_header"] = "services " + ", ".join(touched)
    return diff


RESULT_KEYS = ("name", "changed", "service", "updated", "task_definition", "differences")


def run(module, client):
    check_services(module)
    service_set = ServiceSet(module, client)
    state = module.params["state"]
    entries = service_set.present() if state == "present" else service_set.absent()
    keys = RESULT_KEYS + (("deregistered",) if state == "absent" else ())
    result = {
        "changed": any(entry["changed"] for entry in entries),
        "services": [{key: entry[key] for key in keys} for entry in entries],
    }
    if module._diff:
        result["diff"] = diff_of(entries, state)
    return result


def main():
    service_spec = dict(service_options(), task_definition=dict(type="dict", required=True, options=task_definition_options()))
    argument_spec = dict(
        cluster=dict(type="str", required=True),
        services=dict(type="list", elements="dict", required=True, options=service_spec),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=600),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    try:
        module.exit_json(**run(module, module.client("ecs")))
    except AnsibleECSError as e:
        module.fail_json_aws_error(e)


if __name__ == "__main__":
    main()
