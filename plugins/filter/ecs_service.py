# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: ecs_service_plan
short_description: Build the task definition, service and scaling settings of every ECS service
version_added: 0.1.0
description:
  - Turns the effective service list and the facts of the upstream roles into one entry per
    service with everything the ecs_service role sends to AWS, so the role's tasks are single loops.
  - Fails naming the variable when a fact the service needs (image repository URL, secret ARN, task
    role, security group, target group) is missing.
options:
  _input:
    description: The effective services (C(cloudplatform_services_effective)).
    type: list
    elements: dict
    required: true
  context:
    description:
      - C(name_prefix), C(project), C(environment), C(region), C(log_group_prefix),
        C(ecr_repository_urls), C(secret_arns), C(iam_role_arns), C(security_group_ids),
        C(target_group_arns), C(default_secrets), C(enable_execute_command),
        C(health_check_path), C(health_check_command), C(log_stream_prefix), C(scale_in_cooldown),
        C(scale_out_cooldown).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Plan the services
  ansible.builtin.set_fact:
    __ecs_service_plan: "{{ cloudplatform_services_effective | cloudplatform.aws.ecs_service_plan(context) }}"
"""

RETURN = r"""
_value:
  description: One dict per service (name, service_name, family, log_group, task_definition, service, scaling).
  type: list
  elements: dict
"""

from ansible.errors import AnsibleFilterError


def _lookup(mapping, key, variable, service):
    if not isinstance(mapping, dict) or key not in mapping or not mapping[key]:
        known = ", ".join(sorted(mapping)) if isinstance(mapping, dict) else "nothing"
        raise AnsibleFilterError(
            "%s has no entry %r (needed by service %r); it has: %s" % (variable, key, service, known or "nothing")
        )
    return mapping[key]


def _secrets(service, ctx):
    names = service.get("secrets") or ctx.get("default_secrets") or []
    return [
        {"name": name.upper(), "valueFrom": _lookup(ctx.get("secret_arns"), name, "secrets_arns", service["name"])}
        for name in names
    ]


def _container(service, ctx, log_group):
    image_url = _lookup(ctx.get("ecr_repository_urls"), service["image_repository"], "ecr_repository_urls",
                        service["name"])
    container = {
        "name": service["name"],
        "image": "%s:%s" % (image_url, service["image_tag"]),
        "essential": True,
        "readonlyRootFilesystem": True,
        "environment": [{"name": k, "value": str(v)} for k, v in sorted((service.get("environment") or {}).items())],
        "secrets": _secrets(service, ctx),
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": {
                "awslogs-group": log_group,
                "awslogs-region": ctx["region"],
                "awslogs-stream-prefix": ctx.get("log_stream_prefix") or service["name"],
            },
        },
    }
    if service.get("user"):
        container["user"] = str(service["user"])
    if service.get("port"):
        container["portMappings"] = [{"containerPort": service["port"], "protocol": "tcp"}]
        command = ctx.get("health_check_command") or "curl -fsS http://localhost:{port}{path} || exit 1"
        container["healthCheck"] = {
            "command": ["CMD-SHELL", command.format(port=service["port"], path=ctx.get("health_check_path") or "/health/live")],
            "interval": 30,
            "timeout": 5,
            "retries": 3,
            "startPeriod": 60,
        }
    return container


SCALING_METRICS = (
    ("cpu_target", "cpu", "ECSServiceAverageCPUUtilization"),
    ("memory_target", "memory", "ECSServiceAverageMemoryUtilization"),
)


def _scaling(service, full_name, ctx):
    """Target-tracking policies in the shape of cloudplatform.aws.application_autoscaling_target."""
    scaling = service.get("scaling") or {}
    return [
        {
            "name": "%s-%s" % (full_name, suffix),
            "predefined_metric": metric,
            "target_value": float(scaling[key]),
            "scale_in_cooldown": int(ctx.get("scale_in_cooldown", 300)),
            "scale_out_cooldown": int(ctx.get("scale_out_cooldown", 60)),
        }
        for key, suffix, metric in SCALING_METRICS
        if scaling.get(key) is not None
    ]


def _one(service, ctx):
    name = service["name"]
    full_name = "%s-%s" % (ctx["name_prefix"], name)
    log_group = "%s/%s" % (ctx["log_group_prefix"], name)
    roles = ctx.get("iam_role_arns") or {}
    load_balancers = []
    if service.get("port"):
        load_balancers = [{
            "target_group_arn": _lookup(ctx.get("target_group_arns"), name, "alb_resource.target_group_arns", name),
            "container_name": name,
            "container_port": service["port"],
        }]
    return {
        "name": name,
        "service_name": full_name,
        "family": full_name,
        "log_group": log_group,
        "task_definition": {
            "cpu": str(service["cpu"]),
            "memory": str(service["memory"]),
            "execution_role_arn": _lookup(roles, "task_execution", "iam_role_arns", name),
            "task_role_arn": _lookup(roles.get("services") or {}, name, "iam_role_arns.services", name),
            "container_definitions": [_container(service, ctx, log_group)],
        },
        "service": {
            "desired_count": service["desired_count"],
            "capacity_provider_strategy": [{"capacity_provider": service["capacity_provider"], "weight": 1, "base": 0}],
            "security_groups": [_lookup(ctx.get("security_group_ids"), name, "security_groups_service_ids", name)],
            "load_balancers": load_balancers,
            "health_check_grace_period_seconds": 60 if load_balancers else None,
            "enable_execute_command": bool(ctx.get("enable_execute_command")),
        },
        "scaling": {
            "min_count": service["min_count"],
            "max_count": service["max_count"],
            "policies": _scaling(service, full_name, ctx),
        },
    }


def ecs_service_plan(services, context):
    if not isinstance(services, list):
        raise AnsibleFilterError("cloudplatform_services_effective must be a list, got %s" % type(services).__name__)
    for key in ("name_prefix", "region", "log_group_prefix"):
        if not context.get(key):
            raise AnsibleFilterError("ecs_service_plan needs context.%s" % key)
    return [_one(service, context) for service in services]


def ecs_service_scaling_targets(plan, cluster, schedules, shutdown, timezone):
    """The scalable targets of the planned services, for cloudplatform.aws.application_autoscaling_target_set.

    Each service gets its night and weekend actions (present when the shutdown is on, absent when
    off). A service with target-tracking policies, or any service while the shutdown is on, also gets
    its bounds and policies; the others (a queue worker that queue_depth scales) only get their
    actions removed, so their target is neither registered nor changed here.
    """
    targets = []
    for entry in plan:
        scaling = entry["scaling"]
        actions = [
            {
                "name": "%s-%s" % (entry["service_name"], schedule["suffix"]),
                "schedule": schedule["schedule"],
                "timezone": timezone,
                "min_capacity": 0 if schedule["stop"] else scaling["min_count"],
                "max_capacity": 0 if schedule["stop"] else scaling["max_count"],
                "state": "present" if shutdown else "absent",
            }
            for schedule in schedules
        ]
        target = {"resource_id": "service/%s/%s" % (cluster, entry["service_name"]), "scheduled_actions": actions}
        if scaling["policies"] or shutdown:
            target.update(min_capacity=scaling["min_count"], max_capacity=scaling["max_count"], policies=scaling["policies"])
        targets.append(target)
    return targets


PENDING = "(known after apply)"


def ecs_service_set_items(plan, settings):
    """The services of the plan with their task definitions, for cloudplatform.aws.ecs_fargate_service_set.

    ``settings`` carries what every service shares: its subnets, tags and deployment settings.
    """
    items = []
    for entry in plan:
        service = entry["service"]
        item = dict(
            (key, settings[key])
            for key in ("subnets", "assign_public_ip", "minimum_healthy_percent", "maximum_percent", "circuit_breaker",
                        "propagate_tags", "preserve_desired_count", "tags")
            if key in settings
        )
        item.update(
            name=entry["service_name"],
            desired_count=service["desired_count"],
            capacity_provider_strategy=service["capacity_provider_strategy"],
            security_groups=service["security_groups"],
            load_balancers=service["load_balancers"],
            enable_execute_command=service["enable_execute_command"],
            task_definition=dict(entry["task_definition"], family=entry["family"], tags=settings.get("tags") or {}),
        )
        if service.get("health_check_grace_period_seconds"):
            item["health_check_grace_period_seconds"] = service["health_check_grace_period_seconds"]
        items.append(item)
    return items


def ecs_service_log_groups(plan, settings):
    """The log group of each planned service with the shared settings, for cloudplatform.aws.cloudwatchlogs_log_group_set.

    Settings that are None (no environment key when the kms layer is not in the play) stay unmanaged.
    """
    shared = {key: value for key, value in settings.items() if value is not None}
    return [dict(shared, name=entry["log_group"]) for entry in plan]


def ecs_service_facts(results, plan=None):
    """ecs_service_resources from the service results (a loop's results, or the set module's services with the plan)."""
    facts = {}
    for index, result in enumerate(results):
        plan_entry = result["item"] if plan is None else plan[index]
        service = result.get("service") or {}
        facts[plan_entry["name"]] = {
            "name": plan_entry["service_name"],
            "arn": service.get("service_arn") or PENDING,
            "task_definition_arn": service.get("task_definition") or PENDING,
        }
    return facts


class FilterModule(object):
    def filters(self):
        return {
            "ecs_service_plan": ecs_service_plan,
            "ecs_service_facts": ecs_service_facts,
            "ecs_service_scaling_targets": ecs_service_scaling_targets,
            "ecs_service_set_items": ecs_service_set_items,
            "ecs_service_log_groups": ecs_service_log_groups,
        }
