import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.cloudplatform.aws.plugins.filter.network import nacl_rules, vpc_facts, vpc_plan

PLAN = {
    "public": ["10.2.1.0/24", "10.2.2.0/24", "10.2.3.0/24"],
    "app": ["10.2.11.0/24", "10.2.12.0/24", "10.2.13.0/24"],
    "data": ["10.2.21.0/24", "10.2.22.0/24", "10.2.23.0/24"],
}


def _rows(entries):
    return {(e[0], e[1], e[3], e[6], e[7]) for e in entries}


def test_public_tier_matches_003():
    rules = nacl_rules("10.2.0.0/16", PLAN)["public"]
    assert _rows(rules["ingress"]) == {
        (100, "tcp", "0.0.0.0/0", 443, 443),
        (110, "tcp", "0.0.0.0/0", 80, 80),
        (120, "tcp", "0.0.0.0/0", 1024, 65535),
    }
    assert _rows(rules["egress"]) == {(100, "all", "0.0.0.0/0", None, None)}


def test_app_tier_uses_the_vpc_cidr_and_ephemeral_ports():
    rules = nacl_rules("10.2.0.0/16", PLAN)["app"]
    assert _rows(rules["ingress"]) == {(100, "all", "10.2.0.0/16", None, None), (110, "tcp", "0.0.0.0/0", 1024, 65535)}
    assert _rows(rules["egress"]) == {(100, "all", "10.2.0.0/16", None, None), (110, "tcp", "0.0.0.0/0", 443, 443)}


def test_data_tier_has_one_entry_per_cidr_and_the_intra_data_rules():
    rules = nacl_rules("10.2.0.0/16", PLAN)["data"]
    ingress = _rows(rules["ingress"])
    assert (100, "tcp", "10.2.11.0/24", 5432, 5432) in ingress
    assert (102, "tcp", "10.2.13.0/24", 5432, 5432) in ingress
    assert (111, "tcp", "10.2.12.0/24", 6379, 6379) in ingress
    assert (122, "tcp", "10.2.23.0/24", 6379, 6379) in ingress
    assert (130, "tcp", "10.2.21.0/24", 1024, 65535) in ingress
    assert len(ingress) == 12
    egress = _rows(rules["egress"])
    assert (101, "tcp", "10.2.12.0/24", 1024, 65535) in egress
    assert (112, "tcp", "10.2.23.0/24", 6379, 6379) in egress
    assert len(egress) == 9
    assert all(e[2] == "allow" for e in rules["ingress"] + rules["egress"])


def test_two_az_plan_gives_two_entries_per_group():
    plan = {tier: cidrs[:2] for tier, cidrs in PLAN.items()}
    rules = nacl_rules("10.2.0.0/16", plan)["data"]
    assert [e[0] for e in rules["ingress"]] == [100, 101, 110, 111, 120, 121, 130, 131]
    assert not any("10.2.13.0/24" in e for e in rules["ingress"])


def test_rule_numbers_are_unique_per_direction():
    for tier in nacl_rules("10.2.0.0/16", PLAN).values():
        for direction in ("ingress", "egress"):
            numbers = [e[0] for e in tier[direction]]
            assert len(numbers) == len(set(numbers))


@pytest.mark.parametrize(
    ("vpc", "plan", "message"),
    [
        ("10.2.0.0/33", PLAN, "vpc_cidr: '10.2.0.0/33'"),
        ("10.2.0.0/16", ["10.2.1.0/24"], "vpc_subnet_cidrs:"),
        ("10.2.0.0/16", {**PLAN, "data": []}, "vpc_subnet_cidrs.data: []"),
    ],
)
def test_bad_input_names_the_variable(vpc, plan, message):
    with pytest.raises(AnsibleFilterError, match=message.replace("[", r"\[").replace("]", r"\]")):
        nacl_rules(vpc, plan)


AZS = ["us-east-1a", "us-east-1b", "us-east-1c"]


def test_vpc_plan_per_az_has_a_nat_and_an_app_route_table_per_az():
    plan = vpc_plan(PLAN, AZS, "cp-local", "per_az")
    assert [s["name"] for s in plan["subnets"]][:3] == ["cp-local-subnet-public-a", "cp-local-subnet-public-b", "cp-local-subnet-public-c"]
    assert {(s["name"], s["az"], s["cidr"]) for s in plan["subnets"]} >= {("cp-local-subnet-data-c", "us-east-1c", "10.2.23.0/24")}
    assert [(n["name"], n["subnet"], n["eip_name"]) for n in plan["nat_gateways"]] == [
        ("cp-local-nat-%s" % x, "cp-local-subnet-public-%s" % x, "cp-local-eip-nat-%s" % x) for x in "abc"]
    tables = {t["name"]: t for t in plan["route_tables"]}
    assert sorted(tables) == ["cp-local-rt-app-a", "cp-local-rt-app-b", "cp-local-rt-app-c", "cp-local-rt-data", "cp-local-rt-public"]
    assert tables["cp-local-rt-app-b"]["subnets"] == ["cp-local-subnet-app-b"]
    assert tables["cp-local-rt-app-b"]["nat"] == "cp-local-nat-b"
    assert tables["cp-local-rt-data"]["target"] is None and len(tables["cp-local-rt-data"]["subnets"]) == 3


def test_vpc_plan_single_shares_one_nat():
    plan = vpc_plan(PLAN, AZS, "cp-dev", "single")
    assert [n["name"] for n in plan["nat_gateways"]] == ["cp-dev-nat-a"]
    app = [t for t in plan["route_tables"] if t["tier"] == "app"]
    assert len(app) == 1 and app[0]["nat"] == "cp-dev-nat-a" and len(app[0]["subnets"]) == 3


@pytest.mark.parametrize(("azs", "mode", "message"), [(AZS, "two", "vpc_nat_gateway_mode: 'two'"), (AZS[:2], "single", "vpc_subnet_cidrs.public")])
def test_vpc_plan_rejects_bad_input(azs, mode, message):
    with pytest.raises(AnsibleFilterError, match=message):
        vpc_plan(PLAN, azs, "cp", mode)


def test_vpc_facts_groups_ids_by_tier_in_az_order():
    plan = vpc_plan(PLAN, AZS, "cp", "per_az")
    subnet_ids = {s["name"]: "subnet-" + s["name"] for s in plan["subnets"]}
    table_ids = {t["name"]: "rtb-" + t["name"] for t in plan["route_tables"]}
    facts = vpc_facts(plan, subnet_ids, table_ids)
    assert facts["subnet_ids"]["data"] == ["subnet-cp-subnet-data-a", "subnet-cp-subnet-data-b", "subnet-cp-subnet-data-c"]
    assert facts["subnets"]["app"][1] == {"id": "subnet-cp-subnet-app-b", "cidr": "10.2.12.0/24", "az": "us-east-1b"}
    assert facts["route_table_ids"] == {"public": ["rtb-cp-rt-public"], "app": ["rtb-cp-rt-app-%s" % x for x in "abc"], "data": ["rtb-cp-rt-data"]}
