import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.cloudplatform.aws.plugins.filter.network import nacl_rules, vpc_facts, vpc_index, vpc_pending, vpc_plan

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


TAGS = {"Project": "cp", "Environment": "local"}


def _live_subnets(plan):
    return [{"id": "subnet-%d" % i, "cidr_block": s["cidr"], "availability_zone": s["az"], "map_public_ip_on_launch": False,
             "tags": dict(TAGS, Name=s["name"], Tier=s["tier"])} for i, s in enumerate(plan["subnets"])]


def test_vpc_pending_subnets_lists_missing_and_drifted_only():
    plan = vpc_plan(PLAN, AZS, "cp", "per_az")
    live = _live_subnets(plan)
    assert vpc_pending(plan, "subnets", live, TAGS) == []
    live[0]["tags"]["Owner"] = "someone"
    live[1]["map_public_ip_on_launch"] = True
    del live[2]
    assert vpc_pending(plan, "subnets", live, TAGS) == ["cp-subnet-public-a", "cp-subnet-public-b", "cp-subnet-public-c"]


def test_vpc_index_prefers_module_results_over_the_read():
    plan = vpc_plan(PLAN, AZS, "cp", "single")
    live = _live_subnets(plan)[1:]
    results = [{"item": plan["subnets"][0], "subnet": {"id": "subnet-new"}}, {"item": plan["subnets"][1], "skipped": True}]
    ids = vpc_index(plan, "subnets", live, results)
    assert ids["cp-subnet-public-a"] == "subnet-new" and ids["cp-subnet-public-b"] == "subnet-1"


def test_vpc_pending_nats_and_route_tables_follow_the_live_ids():
    plan = vpc_plan(PLAN, AZS, "cp", "single")
    subnet_ids = {s["name"]: "subnet-" + s["name"] for s in plan["subnets"]}
    nats = [{"nat_gateway_id": "nat-1", "subnet_id": subnet_ids["cp-subnet-public-a"], "state": "available", "tags": dict(TAGS, Name="cp-nat-a")}]
    assert vpc_pending(plan, "nat_gateways", nats, TAGS, {"subnets": subnet_ids}) == []
    assert vpc_pending(plan, "nat_gateways", [dict(nats[0], state="deleted")], TAGS, {"subnets": subnet_ids}) == ["cp-nat-a"]
    nat_ids = vpc_index(plan, "nat_gateways", nats, [], {"subnets": subnet_ids})
    assert nat_ids == {"cp-nat-a": "nat-1"}
    table = {"id": "rtb-app", "tags": dict(TAGS, Name="cp-rt-app", Tier="app"),
             "routes": [{"destination_cidr_block": "10.2.0.0/16", "gateway_id": "local", "origin": "CreateRouteTable"},
                        {"destination_cidr_block": "0.0.0.0/0", "nat_gateway_id": "nat-1", "origin": "CreateRoute"},
                        {"destination_prefix_list_id": "pl-s3", "gateway_id": "vpce-1", "origin": "CreateRoute"}],
             "associations": [{"subnet_id": subnet_ids["cp-subnet-app-%s" % x]} for x in "abc"]}
    context = {"subnets": subnet_ids, "nats": nat_ids, "igw": "igw-1"}
    assert "cp-rt-app" not in vpc_pending(plan, "route_tables", [table], TAGS, context)
    table["routes"][1]["nat_gateway_id"] = "nat-old"
    assert "cp-rt-app" in vpc_pending(plan, "route_tables", [table], TAGS, context)


def test_vpc_pending_nacls_compares_entries_subnets_and_tags():
    plan = vpc_plan(PLAN, AZS, "cp", "per_az")
    subnet_ids = {s["name"]: "subnet-" + s["name"] for s in plan["subnets"]}
    rules = nacl_rules("10.2.0.0/16", PLAN)
    live = [{"tags": dict(TAGS, Name="cp-nacl-%s" % tier, Tier=tier), "ingress": rules[tier]["ingress"], "egress": rules[tier]["egress"],
             "subnets": [subnet_ids[s["name"]] for s in plan["subnets"] if s["tier"] == tier]} for tier in ("public", "app", "data")]
    context = {"subnets": subnet_ids, "nacl_rules": rules, "prefix": "cp"}
    assert vpc_pending(plan, "nacls", live, TAGS, context) == []
    # ec2_vpc_nacl_info lists protocol all with ports 0-65535
    live[1]["ingress"] = [[*e[:6], 0, 65535] if e[1] == "all" else e for e in live[1]["ingress"]]
    assert vpc_pending(plan, "nacls", live, TAGS, context) == []
    live[2]["ingress"] = live[2]["ingress"][:-1]
    assert vpc_pending(plan, "nacls", live, TAGS, context) == ["data"]


def test_vpc_pending_endpoints_and_their_ids():
    plan = vpc_plan(PLAN, AZS, "cp", "single")
    specs = {"s3": {"type": "Gateway", "route_table_ids": ["rtb-1", "rtb-2"]},
             "sts": {"type": "Interface", "subnet_ids": ["subnet-1"], "security_group_ids": ["sg-1"]}}
    live = [{"vpc_endpoint_id": "vpce-s3", "service_name": "com.amazonaws.us-east-1.s3", "state": "available", "route_table_ids": ["rtb-2", "rtb-1"],
             "tags": [{"key": k, "value": v} for k, v in dict(TAGS, Name="cp-vpce-s3").items()]},
            {"vpc_endpoint_id": "vpce-sts", "service_name": "com.amazonaws.us-east-1.sts", "state": "deleted", "subnet_ids": ["subnet-1"],
             "groups": [{"group_id": "sg-1"}], "tags": dict(TAGS, Name="cp-vpce-sts")}]
    context = {"endpoints": specs, "region": "us-east-1", "prefix": "cp"}
    assert vpc_pending(plan, "endpoints", live, TAGS, context) == ["sts"]
    assert vpc_index(plan, "endpoints", live, [], {"services": ["s3", "sts"], "region": "us-east-1"}) == {"s3": "vpce-s3", "sts": "vpce-PLANNED"}


def test_vpc_pending_rejects_an_unknown_kind():
    with pytest.raises(AnsibleFilterError, match="vpc_pending: kind 'vpcs'"):
        vpc_pending({}, "vpcs", [], {})
