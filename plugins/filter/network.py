# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: nacl_rules
short_description: Compute the network ACL entries of the three subnet tiers from the CIDR plan
version_added: 0.1.0
description:
  - Builds the public, app and data network ACLs of seed 003 section 5.3.2 from the VPC CIDR and the
    per-tier subnet CIDRs, so no address is hard-coded. A NACL entry takes one CIDR, so a rule that
    names the app subnets becomes one entry per subnet (rule numbers C(N), C(N+1), ...).
  - The private (app) inbound return-traffic rule uses the ephemeral ports 1024-65535.
  - The data tier also gets Redis (6379) and ephemeral ports between the data subnets, in both
    directions, so cache replication across AZs is not dropped (003 allows only the app subnets).
  - The result is in the list form of M(amazon.aws.ec2_vpc_nacl) C(ingress) and C(egress), that is
    C([rule_no, protocol, action, cidr, icmp_type, icmp_code, port_from, port_to]).
options:
  _input:
    description: The VPC CIDR (C(vpc_cidr)).
    type: str
    required: true
  subnet_cidrs:
    description: The subnet CIDRs per tier (C(vpc_subnet_cidrs)), keys C(public), C(app), C(data), in AZ order.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Show the data tier's inbound entries
  ansible.builtin.debug:
    msg: "{{ (vpc_cidr | cloudplatform.aws.nacl_rules(vpc_subnet_cidrs)).data.ingress }}"
"""

RETURN = r"""
_value:
  description: "C({public: {ingress, egress}, app: {ingress, egress}, data: {ingress, egress}})."
  type: dict
"""

# vpc_plan is documented in plugins/filter/vpc_plan.yml.

import ipaddress

from ansible.errors import AnsibleFilterError

ANYWHERE = "0.0.0.0/0"
EPHEMERAL = (1024, 65535)
POSTGRES = 5432
REDIS = 6379
# Rule numbers of one rule group step by 10, so a group holds at most 10 CIDRs (one per AZ).
MAX_PER_GROUP = 10


def _entry(rule_no, protocol, cidr, ports=None):
    port_from, port_to = ports if ports else (None, None)
    return [rule_no, protocol, "allow", cidr, None, None, port_from, port_to]


def _per_cidr(base, protocol, cidrs, ports):
    return [_entry(base + index, protocol, cidr, ports) for index, cidr in enumerate(cidrs)]


def _validate(vpc_cidr, subnet_cidrs):
    try:
        ipaddress.ip_network(vpc_cidr, strict=True)
    except (TypeError, ValueError) as exc:
        raise AnsibleFilterError("vpc_cidr: %r is not a valid IPv4 CIDR block (%s); expected e.g. 10.0.0.0/16" % (vpc_cidr, exc)) from exc
    if not isinstance(subnet_cidrs, dict):
        raise AnsibleFilterError("vpc_subnet_cidrs: %r is not a dict; expected {public: [...], app: [...], data: [...]}" % (subnet_cidrs,))
    for tier in ("public", "app", "data"):
        cidrs = subnet_cidrs.get(tier)
        if not isinstance(cidrs, list) or not cidrs or len(cidrs) > MAX_PER_GROUP:
            raise AnsibleFilterError(
                "vpc_subnet_cidrs.%s: %r; expected a list of 1 to %d CIDR blocks, one per AZ" % (tier, cidrs, MAX_PER_GROUP))


def nacl_rules(vpc_cidr, subnet_cidrs):
    _validate(vpc_cidr, subnet_cidrs)
    app = list(subnet_cidrs["app"])
    data = list(subnet_cidrs["data"])
    return {
        "public": {
            "ingress": [
                _entry(100, "tcp", ANYWHERE, (443, 443)),
                _entry(110, "tcp", ANYWHERE, (80, 80)),
                _entry(120, "tcp", ANYWHERE, EPHEMERAL),
            ],
            "egress": [_entry(100, "all", ANYWHERE)],
        },
        "app": {
            "ingress": [
                _entry(100, "all", vpc_cidr),
                _entry(110, "tcp", ANYWHERE, EPHEMERAL),
            ],
            "egress": [
                _entry(100, "all", vpc_cidr),
                _entry(110, "tcp", ANYWHERE, (443, 443)),
            ],
        },
        "data": {
            "ingress": (
                _per_cidr(100, "tcp", app, (POSTGRES, POSTGRES))
                + _per_cidr(110, "tcp", app, (REDIS, REDIS))
                + _per_cidr(120, "tcp", data, (REDIS, REDIS))
                + _per_cidr(130, "tcp", data, EPHEMERAL)
            ),
            "egress": (
                _per_cidr(100, "tcp", app, EPHEMERAL)
                + _per_cidr(110, "tcp", data, (REDIS, REDIS))
                + _per_cidr(120, "tcp", data, EPHEMERAL)
            ),
        },
    }


TIERS = ("public", "app", "data")
NAT_MODES = ("single", "per_az")


def _suffix(az):
    return az[-1]


def vpc_plan(subnet_cidrs, availability_zones, prefix, nat_mode):
    """Names and layout of the subnets, NAT gateways and route tables; ids are filled in by the role."""
    if nat_mode not in NAT_MODES:
        raise AnsibleFilterError("vpc_nat_gateway_mode: %r; expected one of %s" % (nat_mode, ", ".join(NAT_MODES)))
    azs = list(availability_zones or [])
    for tier in TIERS:
        if len((subnet_cidrs or {}).get(tier) or []) != len(azs):
            raise AnsibleFilterError(
                "vpc_subnet_cidrs.%s: %r; expected one CIDR per availability zone %s"
                % (tier, (subnet_cidrs or {}).get(tier), azs))
    subnets = [
        {"name": "%s-subnet-%s-%s" % (prefix, tier, _suffix(az)), "tier": tier, "az": az, "cidr": subnet_cidrs[tier][index]}
        for tier in TIERS for index, az in enumerate(azs)
    ]
    nat_azs = azs if nat_mode == "per_az" else azs[:1]
    nats = [
        {"name": "%s-nat-%s" % (prefix, _suffix(az)), "eip_name": "%s-eip-nat-%s" % (prefix, _suffix(az)), "az": az,
         "subnet": "%s-subnet-public-%s" % (prefix, _suffix(az))}
        for az in nat_azs
    ]
    route_tables = [{"name": "%s-rt-public" % prefix, "tier": "public", "target": "igw", "nat": None,
                     "subnets": [s["name"] for s in subnets if s["tier"] == "public"]}]
    for nat in nats:
        # per_az: each AZ's app subnet leaves through its own NAT; single: every app subnet shares one.
        served = [nat["az"]] if nat_mode == "per_az" else azs
        suffix = "-" + _suffix(nat["az"]) if nat_mode == "per_az" else ""
        route_tables.append({"name": "%s-rt-app%s" % (prefix, suffix), "tier": "app", "target": "nat", "nat": nat["name"],
                             "subnets": [s["name"] for s in subnets if s["tier"] == "app" and s["az"] in served]})
    route_tables.append({"name": "%s-rt-data" % prefix, "tier": "data", "target": None, "nat": None,
                         "subnets": [s["name"] for s in subnets if s["tier"] == "data"]})
    return {"subnets": subnets, "nat_gateways": nats, "route_tables": route_tables}


def vpc_facts(plan, subnet_ids, route_table_ids):
    """The facts of docs/facts.md from the plan and the ids read back, by tier in AZ order."""
    subnets = {tier: [] for tier in TIERS}
    for subnet in plan["subnets"]:
        subnets[subnet["tier"]].append({"id": subnet_ids[subnet["name"]], "cidr": subnet["cidr"], "az": subnet["az"]})
    tables = {tier: [] for tier in TIERS}
    for table in plan["route_tables"]:
        tables[table["tier"]].append(route_table_ids[table["name"]])
    return {
        "subnets": subnets,
        "subnet_ids": {tier: [s["id"] for s in entries] for tier, entries in subnets.items()},
        "route_table_ids": tables,
    }


def _tags(resource):
    tags = (resource or {}).get("tags") or {}
    if isinstance(tags, list):
        return {t.get("key", t.get("Key")): t.get("value", t.get("Value")) for t in tags}
    return dict(tags)


def _by_name(live):
    return {_tags(item).get("Name"): item for item in live or []}


def _pending_subnets(plan, live, tags, ids):
    by_cidr = {s["cidr_block"]: s for s in live}
    pending = []
    for subnet in plan["subnets"]:
        found = by_cidr.get(subnet["cidr"])
        if (not found or found["availability_zone"] != subnet["az"] or found.get("map_public_ip_on_launch")
                or _tags(found) != dict(tags, Name=subnet["name"], Tier=subnet["tier"])):
            pending.append(subnet["name"])
    return pending


def _pending_eips(plan, live, tags, ids):
    found = _by_name(live)
    return [n["eip_name"] for n in plan["nat_gateways"] if _tags(found.get(n["eip_name"])) != dict(tags, Name=n["eip_name"])]


def _pending_nats(plan, live, tags, ids):
    by_subnet = {n["subnet_id"]: n for n in live if n.get("state") in ("pending", "available")}
    return [n["name"] for n in plan["nat_gateways"]
            if _tags(by_subnet.get(ids["subnets"].get(n["subnet"]))) != dict(tags, Name=n["name"])]


def _routes(table):
    return sorted((r.get("destination_cidr_block"), r.get("gateway_id") or r.get("nat_gateway_id"))
                  for r in table.get("routes", []) if r.get("destination_cidr_block") and r.get("origin") == "CreateRoute")


def _pending_route_tables(plan, live, tags, ids):
    found = _by_name(live)
    pending = []
    for table in plan["route_tables"]:
        current = found.get(table["name"])
        target = {"igw": ids.get("igw"), "nat": ids["nats"].get(table["nat"])}.get(table["target"])
        wanted_routes = [("0.0.0.0/0", target)] if table["target"] else []
        wanted_subnets = sorted(ids["subnets"].get(name) for name in table["subnets"])
        if (not current or _routes(current) != wanted_routes or _tags(current) != dict(tags, Name=table["name"], Tier=table["tier"])
                or sorted(a.get("subnet_id") for a in current.get("associations", []) if a.get("subnet_id")) != wanted_subnets):
            pending.append(table["name"])
    return pending


def _entry_key(entry):
    # ec2_vpc_nacl_info lists protocol "all" with ports 0-65535; the ports mean nothing there.
    entry = list(entry) + [None] * (8 - len(entry))
    if entry[1] in ("all", "-1", -1):
        entry[1], entry[6], entry[7] = "all", None, None
    return tuple(entry)


def _pending_nacls(plan, live, tags, ids):
    found = _by_name(live)
    pending = []
    for tier, rules in ids["nacl_rules"].items():
        name = "%s-nacl-%s" % (ids["prefix"], tier)
        current = found.get(name)
        wanted_subnets = sorted(ids["subnets"][s["name"]] for s in plan["subnets"] if s["tier"] == tier)
        if (not current or _tags(current) != dict(tags, Name=name, Tier=tier) or sorted(current.get("subnets", [])) != wanted_subnets
                or any(sorted(map(_entry_key, current.get(d, []))) != sorted(map(_entry_key, rules[d])) for d in ("ingress", "egress"))):
            pending.append(tier)
    return pending


def _pending_endpoints(plan, live, tags, ids):
    found = {e["service_name"]: e for e in live if e.get("state") in ("pending", "available", "Pending", "Available")}
    pending = []
    for service, spec in ids["endpoints"].items():
        current = found.get("com.amazonaws.%s.%s" % (ids["region"], service))
        if not current or _tags(current) != dict(tags, Name="%s-vpce-%s" % (ids["prefix"], service)):
            pending.append(service)
        elif spec["type"] == "Gateway" and sorted(current.get("route_table_ids", [])) != sorted(spec["route_table_ids"]):
            pending.append(service)
        elif spec["type"] == "Interface" and (sorted(current.get("subnet_ids", [])) != sorted(spec["subnet_ids"])
                                              or sorted(g["group_id"] for g in current.get("groups", [])) != sorted(spec["security_group_ids"])):
            pending.append(service)
    return pending


def _result_ids(results, key, path):
    """From a registered loop: plan name -> id, for the items the module ran on."""
    ids = {}
    for result in results or []:
        value = result
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        if value and not result.get("skipped"):
            ids[result["item"][key]] = value
    return ids


def _endpoint_index(live, results, context):
    found = {e["service_name"]: e["vpc_endpoint_id"] for e in live or [] if e.get("state") in ("pending", "available", "Pending", "Available")}
    ids = {service: found.get("com.amazonaws.%s.%s" % (context["region"], service), "vpce-PLANNED") for service in context["services"]}
    ids.update(_result_ids(results, "key", ("result", "vpc_endpoint_id")))
    return ids


def vpc_index(plan, kind, live, results=None, context=None):
    """Plan name -> AWS id of one kind, from the module results where it ran, else from the *_info read."""
    context = context or {}
    if kind == "endpoints":
        return _endpoint_index(live, results, context)
    if kind == "subnets":
        by_cidr = {s["cidr_block"]: s["id"] for s in live or []}
        ids = {s["name"]: by_cidr.get(s["cidr"], "subnet-PLANNED") for s in plan["subnets"]}
        ids.update(_result_ids(results, "name", ("subnet", "id")))
    elif kind == "eips":
        found = _by_name(live)
        ids = {n["eip_name"]: found.get(n["eip_name"], {}).get("allocation_id") for n in plan["nat_gateways"]}
        ids.update(_result_ids(results, "eip_name", ("allocation_id",)))
    elif kind == "nat_gateways":
        by_subnet = {n["subnet_id"]: n["nat_gateway_id"] for n in live or [] if n.get("state") in ("pending", "available")}
        ids = {n["name"]: by_subnet.get(context.get("subnets", {}).get(n["subnet"]), "nat-PLANNED") for n in plan["nat_gateways"]}
        ids.update(_result_ids(results, "name", ("nat_gateway_id",)))
    elif kind == "route_tables":
        found = _by_name(live)
        ids = {t["name"]: found.get(t["name"], {}).get("id", "rtb-PLANNED") for t in plan["route_tables"]}
        ids.update(_result_ids(results, "name", ("route_table", "id")))
    else:
        raise AnsibleFilterError("vpc_index: kind %r; expected subnets, eips, nat_gateways, route_tables or endpoints" % (kind,))
    return ids


PENDING = {
    "subnets": _pending_subnets, "eips": _pending_eips, "nat_gateways": _pending_nats,
    "route_tables": _pending_route_tables, "nacls": _pending_nacls, "endpoints": _pending_endpoints,
}


def vpc_pending(plan, kind, live, tags, ids=None):
    """Names of the planned resources of one kind whose live state differs from the plan.

    The role calls the (slow, one process per item) stock module only for these, after one *_info
    read of the kind; everything already converged is skipped.
    """
    if kind not in PENDING:
        raise AnsibleFilterError("vpc_pending: kind %r; expected one of %s" % (kind, ", ".join(sorted(PENDING))))
    return PENDING[kind](plan, live or [], dict(tags or {}), ids or {})


class FilterModule(object):
    def filters(self):
        return {"nacl_rules": nacl_rules, "vpc_plan": vpc_plan, "vpc_facts": vpc_facts, "vpc_pending": vpc_pending,
                "vpc_index": vpc_index}
