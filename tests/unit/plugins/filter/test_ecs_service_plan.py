"""Unit tests for the ecs_service_plan and ecs_service_facts filters."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.cloudplatform.aws.plugins.filter.ecs_service import ecs_service_facts, ecs_service_plan
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
