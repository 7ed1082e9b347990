"""Unit tests for the ecs_service_plan and ecs_service_facts filters."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.cloudplatform.aws.plugins.filter.ecs_service import (
    ecs_service_facts,
    ecs_service_log_groups,
    ecs_service_plan,
    ecs_service_scaling_targets,
    ecs_service_set_items,
)
from ansible_collections.cloudplatform.aws.plugins.filter.platform import service_plan

SERVICES = [
    {"name": "api", "port": 8000, "scaling": {"cpu_target": 70, "memory_target": 80}, "min_count": 2, "max_count": 8,
     "user": "1000"},
    {"name": "worker", "capacity_provider": "FARGATE_SPOT", "scaling": {"queue": {"name": "q"}}},
]
CONTEXT = {
    "name_prefix": "cloudplatform-prod", "region": "us-east-1", "log_group_prefix": "/ecs/cloudplatform-prod",
    "ecr_repository_urls": {"api": "123.dkr.ecr.us-east-1.amazonaws.com/api", "worker": "123.dkr.ecr.us-east-1.amazonaws.com/worker"},
    "secret_arns": {"database_credentials": "arn:db", "redis_auth_token": "arn:redis", "jwt_secret": "arn:jwt"},
    "iam_role_arns": {"task_execution": "arn:exec", "services": {"api": "arn:api", "worker": "arn:worker"}},
    "security_group_ids": {"api": "sg-1", "worker": "sg-1"},
    "target_group_arns": {"api": "arn:tg-api"},
    "default_secrets": ["database_credentials", "redis_auth_token", "jwt_secret"],
    "enable_execute_command": False, "health_check_path": "/health/live",
}


def plan():
    return {p["name"]: p for p in ecs_service_plan(service_plan(SERVICES, {"cpu": 1024, "memory": 2048}), CONTEXT)}


def test_api_gets_port_health_check_target_group_and_two_policies():
    api = plan()["api"]
    container = api["task_definition"]["container_definitions"][0]
    assert container["image"] == "123.dkr.ecr.us-east-1.amazonaws.com/api:latest"
    assert container["user"] == "1000" and container["readonlyRootFilesystem"] is True
    assert container["healthCheck"]["command"][1] == "curl -fsS http://localhost:8000/health/live || exit 1"
    assert [s["name"] for s in container["secrets"]] == ["DATABASE_CREDENTIALS", "REDIS_AUTH_TOKEN", "JWT_SECRET"]
    assert api["service"]["load_balancers"][0]["target_group_arn"] == "arn:tg-api"
    assert api["service"]["health_check_grace_period_seconds"] == 60
    assert [(p["predefined_metric"], p["target_value"]) for p in api["scaling"]["policies"]] == [
        ("ECSServiceAverageCPUUtilization", 70.0), ("ECSServiceAverageMemoryUtilization", 80.0)]
    assert (api["scaling"]["min_count"], api["scaling"]["max_count"]) == (2, 8)


def test_worker_has_no_port_no_target_group_and_no_target_tracking():
    worker = plan()["worker"]
    container = worker["task_definition"]["container_definitions"][0]
    assert "portMappings" not in container and "healthCheck" not in container
    assert worker["service"]["load_balancers"] == [] and worker["service"]["health_check_grace_period_seconds"] is None
    assert worker["service"]["capacity_provider_strategy"] == [{"capacity_provider": "FARGATE_SPOT", "weight": 1, "base": 0}]
    assert worker["scaling"]["policies"] == []


def test_missing_secret_names_the_fact_and_the_service():
    context = dict(CONTEXT, secret_arns={"database_credentials": "arn:db"})
    with pytest.raises(AnsibleFilterError, match=r"secrets_arns has no entry 'redis_auth_token' \(needed by service 'api'\)"):
        ecs_service_plan(service_plan(SERVICES), context)


def test_facts_fall_back_to_a_marked_placeholder_in_check_mode():
    results = [{"item": {"name": "api", "service_name": "cloudplatform-prod-api"}, "service": {}}]
    assert ecs_service_facts(results) == {"api": {"name": "cloudplatform-prod-api", "arn": "(known after apply)",
                                                  "task_definition_arn": "(known after apply)"}}


def _scaling_plan():
    return [
        {"service_name": "p-api", "scaling": {"min_count": 2, "max_count": 6, "policies": [{"name": "p-api-cpu"}]}},
        {"service_name": "p-worker", "scaling": {"min_count": 1, "max_count": 4, "policies": []}},
    ]


SCHEDULES = [{"suffix": "night-stop", "schedule": "cron(0 20 ? * MON-FRI *)", "stop": True},
             {"suffix": "morning-start", "schedule": "cron(0 7 ? * MON-FRI *)", "stop": False}]


def test_scaling_targets_with_the_shutdown_on_register_every_service_with_its_actions():
    targets = ecs_service_scaling_targets(_scaling_plan(), "p-cluster", SCHEDULES, True, "Europe/Paris")
    assert [t["resource_id"] for t in targets] == ["service/p-cluster/p-api", "service/p-cluster/p-worker"]
    worker = targets[1]
    assert (worker["min_capacity"], worker["max_capacity"], worker["policies"]) == (1, 4, [])
    assert worker["scheduled_actions"] == [
        {"name": "p-worker-night-stop", "schedule": "cron(0 20 ? * MON-FRI *)", "timezone": "Europe/Paris",
         "min_capacity": 0, "max_capacity": 0, "state": "present"},
        {"name": "p-worker-morning-start", "schedule": "cron(0 7 ? * MON-FRI *)", "timezone": "Europe/Paris",
         "min_capacity": 1, "max_capacity": 4, "state": "present"},
    ]


def test_scaling_targets_with_the_shutdown_off_remove_the_actions_and_leave_a_policy_less_target_alone():
    api, worker = ecs_service_scaling_targets(_scaling_plan(), "p-cluster", SCHEDULES, False, "UTC")
    assert api["policies"] == [{"name": "p-api-cpu"}] and api["min_capacity"] == 2
    assert {a["state"] for a in api["scheduled_actions"] + worker["scheduled_actions"]} == {"absent"}
    assert set(worker) == {"resource_id", "scheduled_actions"}


SETTINGS = {"subnets": ["subnet-a"], "assign_public_ip": False, "minimum_healthy_percent": 50, "maximum_percent": 200,
            "circuit_breaker": True, "propagate_tags": "SERVICE", "preserve_desired_count": True, "tags": {"Project": "p"}}


def test_set_items_carry_each_service_with_its_task_definition_and_the_shared_settings():
    entries = ecs_service_plan(service_plan(SERVICES, {"cpu": 1024, "memory": 2048}), CONTEXT)
    api, worker = ecs_service_set_items(entries, SETTINGS)
    assert api["name"] == "cloudplatform-prod-api" and api["subnets"] == ["subnet-a"] and api["preserve_desired_count"] is True
    assert api["load_balancers"][0]["target_group_arn"] == "arn:tg-api" and api["health_check_grace_period_seconds"] == 60
    assert api["task_definition"]["family"] == "cloudplatform-prod-api"
    assert api["task_definition"]["task_role_arn"] == "arn:api" and api["task_definition"]["tags"] == {"Project": "p"}
    assert "health_check_grace_period_seconds" not in worker and worker["load_balancers"] == []


def test_facts_from_the_set_module_take_the_short_names_from_the_plan():
    entries = [{"name": "api", "service_name": "p-api"}, {"name": "worker", "service_name": "p-worker"}]
    results = [{"name": "p-api", "service": {"service_arn": "arn:svc/p-api", "task_definition": "arn:td/p-api:3"}},
               {"name": "p-worker", "service": {}}]
    assert ecs_service_facts(results, entries) == {
        "api": {"name": "p-api", "arn": "arn:svc/p-api", "task_definition_arn": "arn:td/p-api:3"},
        "worker": {"name": "p-worker", "arn": "(known after apply)", "task_definition_arn": "(known after apply)"},
    }


def test_log_groups_carry_the_shared_settings_and_leave_unset_ones_out():
    entries = [{"log_group": "/ecs/p/api"}, {"log_group": "/ecs/p/worker"}]
    groups = ecs_service_log_groups(entries, {"retention": 30, "kms_key_id": None, "tags": {"Project": "p"}})
    assert groups == [{"name": "/ecs/p/api", "retention": 30, "tags": {"Project": "p"}},
                      {"name": "/ecs/p/worker", "retention": 30, "tags": {"Project": "p"}}]
