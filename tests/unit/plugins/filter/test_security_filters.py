"""Unit tests for the security_group_rules and iam_policies filters."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.cloudplatform.aws.plugins.filter.iam_policies import iam_policies
from ansible_collections.cloudplatform.aws.plugins.filter.platform import service_plan
from ansible_collections.cloudplatform.aws.plugins.filter.security_group_rules import security_group_rules

SERVICES = service_plan([
    {"name": "ingest", "port": 8080},
    {"name": "api", "port": 8000, "secrets": ["database_credentials"]},
    {"name": "worker", "port": None},
])
IDS = {"alb": "sg-alb", "app": "sg-app", "rds": "sg-rds", "redis": "sg-redis"}
# Actions AWS grants on "*" only (no resource-level permissions).
STAR_ONLY = {"ecr:GetAuthorizationToken", "ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition", "cloudwatch:PutMetricData"}


def rules_of(plan, key):
    group = next(g for g in plan if g["key"] == key)
    return ({(r["from_port"], r.get("cidr_ip") or r["group_id"]) for r in group["rules"]},
            {(r["from_port"], r.get("cidr_ip") or r["group_id"]) for r in group["rules_egress"]})


def test_first_pass_has_groups_without_rules():
    plan = security_group_rules(SERVICES, "cp-dev")
    assert [g["name"] for g in plan] == ["cp-dev-sg-alb", "cp-dev-sg-app", "cp-dev-sg-rds", "cp-dev-sg-redis"]
    assert all("rules" not in g for g in plan)


def test_shared_app_group_matrix():
    plan = security_group_rules(SERVICES, "cp-dev", group_ids=IDS, endpoint_group_id="sg-vpce")
    assert rules_of(plan, "alb") == ({(443, "0.0.0.0/0"), (80, "0.0.0.0/0")}, {(8080, "sg-app"), (8000, "sg-app")})
    assert rules_of(plan, "app") == ({(8080, "sg-alb"), (8000, "sg-alb")},
                                     {(5432, "sg-rds"), (6379, "sg-redis"), (443, "sg-vpce"), (443, "0.0.0.0/0")})
    assert rules_of(plan, "rds") == ({(5432, "sg-app")}, set())
    assert rules_of(plan, "redis") == ({(6379, "sg-app")}, set())


def test_per_service_groups_admit_only_their_own_port():
    ids = dict(IDS, **{"app-ingest": "sg-i", "app-api": "sg-a", "app-worker": "sg-w"})
    plan = security_group_rules(SERVICES, "cp-dev", per_service=True, group_ids=ids, internet_egress=False)
    assert rules_of(plan, "app-ingest")[0] == {(8080, "sg-alb")}
    assert rules_of(plan, "app-worker")[0] == set()
    assert rules_of(plan, "app")[0] == set()
    assert rules_of(plan, "alb")[1] == {(8080, "sg-i"), (8000, "sg-a")}
    assert rules_of(plan, "rds")[0] == {(5432, "sg-app"), (5432, "sg-i"), (5432, "sg-a"), (5432, "sg-w")}
    assert (443, "0.0.0.0/0") not in rules_of(plan, "app-api")[1]


def test_by_name_references_the_groups_of_the_plan_by_name():
    plan = security_group_rules(SERVICES, "cp-dev", by_name=True, endpoint_group_id="sg-vpce")
    app = next(g for g in plan if g["key"] == "app")
    assert {(r["from_port"], r.get("group_name") or r.get("group_id") or r["cidr_ip"]) for r in app["rules_egress"]} == {
        (5432, "cp-dev-sg-rds"), (6379, "cp-dev-sg-redis"), (443, "sg-vpce"), (443, "0.0.0.0/0")}
    assert next(r for r in app["rules_egress"] if r.get("group_id")) == {
        "proto": "tcp", "from_port": 443, "to_port": 443, "rule_desc": "To the VPC interface endpoints", "group_id": "sg-vpce"}
    alb = next(g for g in plan if g["key"] == "alb")
    assert [r["group_name"] for r in alb["rules_egress"]] == ["cp-dev-sg-app", "cp-dev-sg-app"]
    assert all("group_id" not in r for g in plan for r in g["rules"])


def test_missing_group_id_names_the_group():
    with pytest.raises(AnsibleFilterError, match="no id for group 'redis'"):
        security_group_rules(SERVICES, "cp-dev", group_ids={"alb": "a", "app": "b", "rds": "c"})


CONTEXT = {
    "partition": "aws", "region": "us-east-1", "account": "123456789012",
    "kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/k",
    "secret_arns": {"database_credentials": "arn:aws:secretsmanager:us-east-1:123456789012:secret:/dev/database/credentials-a",
                    "redis_auth_token": "arn:aws:secretsmanager:us-east-1:123456789012:secret:/dev/redis/auth-token-b",
                    "jwt_secret": "arn:aws:secretsmanager:us-east-1:123456789012:secret:/dev/app/jwt-secret-c"},
    "default_secrets": ["redis_auth_token", "jwt_secret"],
    "ecr_repository_prefix": "cp-dev", "log_group_prefix": "/ecs/cp-dev", "cluster_name": "cp-dev-ecs-cluster",
    "service_name_prefix": "cp-dev", "metric_namespace": "Cloudplatform/Queues",
    "service_buckets": {"api": ["arn:aws:s3:::reports/api/*"]},
    "service_functions": {"api": ["arn:aws:lambda:us-east-1:123456789012:function:cp-dev-audit"]},
    "task_execution_role_arn": "arn:aws:iam::123456789012:role/exec",
    "task_role_arns": {"ingest": "arn:aws:iam::123456789012:role/t-ingest", "api": "arn:aws:iam::123456789012:role/t-api"},
}


def statements(document):
    return document["Statement"]


def check_least_privilege(document):
    """The acceptance rule: no Action "*", Resource "*" only for actions AWS grants on "*" alone, no PassRole on "*"."""
    for statement in statements(document):
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        assert "*" not in actions
        if statement["Effect"] == "Allow" and "*" in resources:
            assert set(actions) <= STAR_ONLY, statement
        if "iam:PassRole" in actions:
            assert "*" not in resources


def test_every_generated_policy_is_least_privilege():
    policies = iam_policies(SERVICES, CONTEXT)
    for document in [policies["task_execution"], policies["deploy"], policies["guardrails"], *policies["services"].values()]:
        check_least_privilege(document)


def test_task_execution_reads_exactly_the_referenced_secrets():
    policy = iam_policies(SERVICES, CONTEXT)["task_execution"]
    secrets = next(s for s in statements(policy) if s["Sid"] == "ReadServiceSecrets")["Resource"]
    assert secrets == sorted(CONTEXT["secret_arns"].values())
    logs = next(s for s in statements(policy) if s["Sid"] == "WriteServiceLogs")["Resource"]
    assert "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/cp-dev/worker:log-stream:*" in logs


def test_task_roles_are_scoped_to_their_own_service():
    services = iam_policies(SERVICES, CONTEXT)["services"]
    api = {s["Sid"]: s for s in statements(services["api"])}
    assert api["ReadOwnSecrets"]["Resource"] == [CONTEXT["secret_arns"]["database_credentials"]]
    assert api["ReadWriteOwnObjects"]["Resource"] == ["arn:aws:s3:::reports/api/*"]
    assert api["InvokeOwnFunctions"]["Resource"] == ["arn:aws:lambda:us-east-1:123456789012:function:cp-dev-audit"]
    assert api["PutMetricDataHasNoResourceScope"]["Condition"] == {"StringEquals": {"cloudwatch:namespace": "Cloudplatform/Queues"}}
    ingest = {s["Sid"]: s for s in statements(services["ingest"])}
    assert "ReadWriteOwnObjects" not in ingest and "InvokeOwnFunctions" not in ingest
    assert ingest["WriteOwnLogs"]["Resource"] == ["arn:aws:logs:us-east-1:123456789012:log-group:/ecs/cp-dev/ingest:log-stream:*"]


def test_deploy_role_has_003s_thirteen_actions_and_passes_only_task_roles():
    policy = iam_policies(SERVICES, CONTEXT)["deploy"]
    actions = {a for s in statements(policy) for a in s["Action"]}
    assert len(actions) == 13
    assert not any(a.startswith("ecs:Delete") for a in actions)
    pass_role = next(s for s in statements(policy) if "iam:PassRole" in s["Action"])
    assert pass_role["Resource"] == sorted([CONTEXT["task_execution_role_arn"], *CONTEXT["task_role_arns"].values()])
    assert pass_role["Condition"] == {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}


def test_guardrails_are_explicit_denies():
    policy = iam_policies(SERVICES, CONTEXT)["guardrails"]
    assert {s["Effect"] for s in statements(policy)} == {"Deny"}
    actions = {a for s in statements(policy) for a in s["Action"]}
    assert {"rds:DeleteDBInstance", "ec2:AuthorizeSecurityGroupIngress", "cloudtrail:StopLogging", "guardduty:DeleteDetector",
            "s3:PutBucketPolicy"} <= actions


def test_unknown_secret_names_the_service():
    services = service_plan([{"name": "api", "port": 8000, "secrets": ["nope"]}])
    with pytest.raises(AnsibleFilterError, match="service api reads secret 'nope'"):
        iam_policies(services, CONTEXT)


def test_missing_context_is_named():
    with pytest.raises(AnsibleFilterError, match="context lacks kms_key_arn"):
        iam_policies(SERVICES, dict(CONTEXT, kms_key_arn=None))
