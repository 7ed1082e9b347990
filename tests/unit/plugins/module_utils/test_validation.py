import pytest

from ansible_collections.cloudplatform.aws.plugins.filter.platform import service_plan
from ansible_collections.cloudplatform.aws.plugins.module_utils import validation

AZS = ["us-east-1a", "us-east-1b", "us-east-1c"]
PLAN = {
    "public": ["10.2.1.0/24", "10.2.2.0/24", "10.2.3.0/24"],
    "app": ["10.2.11.0/24", "10.2.12.0/24", "10.2.13.0/24"],
    "data": ["10.2.21.0/24", "10.2.22.0/24", "10.2.23.0/24"],
}


def services(**changes):
    base = [
        {"name": "ingest", "port": 8080, "paths": ["/api/logs/*"], "min_count": 2, "max_count": 10},
        {"name": "api", "port": 8000, "paths": ["/api/v1/*"], "min_count": 2, "max_count": 8},
        {"name": "worker", "port": None, "capacity_provider": "FARGATE_SPOT", "min_count": 2, "max_count": 20},
    ]
    plan = service_plan(base, {"cpu": 1024, "memory": 2048})
    for index, change in changes.items():
        plan[int(index[1:])].update(change)
    return plan


def test_the_default_plan_is_valid():
    assert validation.check_network("10.2.0.0/16", PLAN, AZS) == []
    assert validation.check_services(services()) == []


@pytest.mark.parametrize(
    ("tier", "index", "cidr", "fragment"),
    [
        ("app", 0, "10.9.11.0/24", "vpc_subnet_cidrs.app[0]: 10.9.11.0/24 lies outside vpc_cidr 10.2.0.0/16"),
        ("data", 2, "10.2.21.0/25", "vpc_subnet_cidrs.data[2]: 10.2.21.0/25 overlaps vpc_subnet_cidrs.data[0]"),
        ("public", 1, "10.2.2.0/33", "vpc_subnet_cidrs.public[1]: '10.2.2.0/33' is not a valid IPv4 CIDR block"),
        ("public", 1, "10.2.2.1/24", "vpc_subnet_cidrs.public[1]: '10.2.2.1/24' is not a valid IPv4 CIDR block"),
    ],
)
def test_network_errors_name_the_variable_and_value(tier, index, cidr, fragment):
    plan = {k: list(v) for k, v in PLAN.items()}
    plan[tier][index] = cidr
    errors = validation.check_network("10.2.0.0/16", plan, AZS)
    assert any(fragment in e for e in errors), errors


def test_one_subnet_per_az_per_tier():
    plan = dict(PLAN, app=PLAN["app"][:2])
    errors = validation.check_network("10.2.0.0/16", plan, AZS)
    assert errors == [
        "vpc_subnet_cidrs.app: 2 subnet(s) ['10.2.11.0/24', '10.2.12.0/24'] for 3 availability zone(s) "
        "['us-east-1a', 'us-east-1b', 'us-east-1c']; expected one subnet per AZ per tier"
    ]


def test_bad_vpc_cidr_and_missing_tier():
    assert "vpc_cidr: 'banana'" in validation.check_network("banana", PLAN, AZS)[0]
    errors = validation.check_network("10.0.0.0/12", {"public": PLAN["public"]}, AZS)
    assert any("AWS accepts /16 to /28" in e for e in errors)
    assert any("expected exactly the tiers public, app, data" in e for e in errors)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"s1": {"port": 70000}}, "cloudplatform_services[1] (api).port: 70000 is not a valid port"),
        ({"s1": {"port": 0}}, "(api).port: 0 is not a valid port"),
        ({"s1": {"name": "ingest", "paths": ["/x"]}}, "cloudplatform_services[1].name: 'ingest' is already used"),
        ({"s1": {"name": "API_v2"}}, "cloudplatform_services[1].name: 'API_v2' is not a valid service name"),
        ({"s1": {"paths": ["/api/logs/*"]}}, "'/api/logs/*' is already routed to 'ingest'"),
        ({"s1": {"paths": ["no-slash"]}}, "'no-slash' is not a valid ALB path pattern"),
        ({"s2": {"paths": ["/w"]}}, "(worker).paths: ['/w'] given but port is null"),
        ({"s0": {"cpu": 1024, "memory": 512}}, "(ingest).memory: 512 MiB is not valid with cpu 1024"),
        ({"s0": {"cpu": 300}}, "(ingest).cpu: 300 is not a Fargate CPU size"),
        ({"s0": {"min_count": 5, "max_count": 3}}, "min_count 5 is above max_count 3"),
        ({"s0": {"desired_count": 30}}, "(ingest).desired_count: 30 is outside min_count..max_count (2..10)"),
        ({"s0": {"capacity_provider": "EC2"}}, "(ingest).capacity_provider: 'EC2'"),
    ],
)
def test_service_errors(change, fragment):
    errors = validation.check_services(services(**change))
    assert any(fragment in e for e in errors), errors


def test_empty_service_list_is_an_error():
    assert validation.check_services([]) == ["cloudplatform_services: the list is empty; expected at least one service"]


def test_guardrails():
    good = {"rds_multi_az": True, "rds_deletion_protection": "true", "vpc_nat_gateway_mode": "per_az",
            "elasticache_transit_encryption": True, "waf_enabled": True}
    assert validation.check_guardrails("prod", good) == []
    errors = validation.check_guardrails("prod", dict(good, rds_multi_az=False, vpc_nat_gateway_mode="single"))
    assert errors == [
        "rds_multi_az: False is not allowed for environment prod with cloudplatform_prod_guardrails on; "
        "expected true (prod runs a Multi-AZ database)",
        "vpc_nat_gateway_mode: 'single' is not allowed for environment prod with cloudplatform_prod_guardrails on; "
        "expected per_az (one NAT gateway per AZ in prod)",
    ]
    assert len(validation.check_guardrails("prod", {})) == 5


@pytest.mark.parametrize(
    ("arn", "domain", "fragment"),
    [
        ("", "", "expected exactly one of them"),
        ("arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666", "api.example.com",
         "expected exactly one of them"),
        ("arn:aws:iam::123456789012:server-certificate/x", "", "is not an ACM certificate ARN"),
        ("", "not a domain", "'not a domain' is not a domain name"),
    ],
)
def test_certificate_source(arn, domain, fragment):
    errors = validation.check_certificate(arn, domain)
    assert len(errors) == 1 and fragment in errors[0], errors


def test_certificate_source_ok():
    assert validation.check_certificate("arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666", "") == []
    assert validation.check_certificate("", "api.dev.cloudplatform.example.com") == []
