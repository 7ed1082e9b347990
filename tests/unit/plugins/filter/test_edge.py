"""Unit tests for the alb_plan and waf_managed_rule filters."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.cloudplatform.aws.plugins.filter.edge import alb_plan, target_group_name, waf_managed_rule

SERVICES = [
    {"name": "ingest", "port": 8080, "paths": ["/api/logs/*", "/admin/*"], "health_check_path": "/health"},
    {"name": "api", "port": 8000, "paths": ["/api/v1/*", "/stats", "/alerts", "/health/*"], "health_check_path": "/health/live"},
    {"name": "worker", "port": None, "paths": []},
]


def test_one_target_group_per_service_with_a_port():
    plan = alb_plan(SERVICES, "cloudplatform-prod")
    assert [(t["service"], t["name"], t["port"], t["health_check_path"]) for t in plan["target_groups"]] == [
        ("ingest", "cloudplatform-prod-tg-ingest", 8080, "/health"),
        ("api", "cloudplatform-prod-tg-api", 8000, "/health/live"),
    ]


def test_rules_route_every_path_with_stable_priorities():
    plan = alb_plan(SERVICES, "cp")
    assert [(r["priority"], r["path"], r["service"]) for r in plan["rules"]] == [
        (101, "/api/logs/*", "ingest"), (102, "/admin/*", "ingest"),
        (201, "/api/v1/*", "api"), (202, "/stats", "api"), (203, "/alerts", "api"), (204, "/health/*", "api"),
    ]
    assert plan["listener_rules"][2] == {
        "Priority": 201,
        "Conditions": [{"Field": "path-pattern", "Values": ["/api/v1/*"]}],
        "Actions": [{"Type": "forward", "TargetGroupName": "cp-tg-api"}],
    }
    # Another path on the first service leaves the second service's priorities alone.
    more = [dict(SERVICES[0], paths=[*SERVICES[0]["paths"], "/ingest/*"]), *SERVICES[1:]]
    assert [r["priority"] for r in alb_plan(more, "cp")["rules"] if r["service"] == "api"] == [201, 202, 203, 204]


def test_long_target_group_names_are_cut_and_stay_unique():
    first = target_group_name("cloudplatform-staging", "notifications-sender")
    second = target_group_name("cloudplatform-staging", "notifications-senders")
    assert len(first) <= 32 and len(second) <= 32 and first != second
    assert first == target_group_name("cloudplatform-staging", "notifications-sender")


def test_bad_input_names_the_variable():
    with pytest.raises(AnsibleFilterError, match="cloudplatform_services_effective"):
        alb_plan({"name": "api"}, "cp")


def test_managed_rule_uses_the_groups_own_actions():
    rule = waf_managed_rule({"name": "AWSManagedRulesSQLiRuleSet", "priority": 40}, "cpprodwaf")
    assert rule["override_action"] == {"none": {}}
    assert rule["statement"] == {"managed_rule_group_statement": {"vendor_name": "AWS", "name": "AWSManagedRulesSQLiRuleSet"}}
    assert rule["visibility_config"]["metric_name"] == "cpprodwafAWSManagedRulesSQLiRuleSet"
