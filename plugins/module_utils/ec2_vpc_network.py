# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What lives in a VPC, read with the amazon.aws EC2 wrappers and returned in the shapes of the stock
amazon.aws *_info modules.

The calls are amazon.aws ``module_utils/ec2.py``'s: each retries with jittered backoff, raises
``AnsibleEC2Error`` on failure and pages through the whole answer (DescribeAddresses has no
pagination). The normalisers give each resource the shape its stock info module returns, except
that ``tags`` is always a dict (C({}) when the resource has none).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.botocore import normalize_boto3_result
from ansible_collections.amazon.aws.plugins.module_utils.ec2 import (
    describe_addresses,
    describe_nat_gateways,
    describe_network_acls,
    describe_route_tables,
    describe_subnets,
    describe_vpc_endpoints,
)
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.amazon.aws.plugins.module_utils.transformation import ansible_dict_to_boto3_filter_list

# NACL protocol numbers ec2_vpc_nacl_info (and ec2_vpc_nacl's ingress/egress) name.
NACL_PROTOCOL_NAMES = {"-1": "all", "1": "icmp", "6": "tcp", "17": "udp"}
NACL_ICMP_PROTOCOLS = ("1", "58")
NACL_PORT_PROTOCOLS = ("1", "6", "17", "58")
# The catch-all deny entry every NACL ends with; ec2_vpc_nacl_info leaves it out.
NACL_DEFAULT_RULE = 32767
# Route keys ec2_vpc_route_table_info always returns, None when the route has no such target.
ROUTE_KEYS = ("DestinationCidrBlock", "GatewayId", "InstanceId", "Origin", "State", "NetworkInterfaceId")


def snake_resource(resource, **extra):
    """A boto3 resource (plus ``extra`` boto3-cased keys) snake_cased, dates as strings, tags as a dict."""
    resource = dict(resource, **extra)
    tags = boto3_tag_list_to_ansible_dict(resource.pop("Tags", None) or [])
    snaked = camel_dict_to_snake_dict(normalize_boto3_result(resource))
    snaked["tags"] = tags
    return snaked


def normalise_subnet(subnet):
    """ec2_vpc_subnet_info's shape: ``id`` repeats ``subnet_id``."""
    return snake_resource(subnet, Id=subnet["SubnetId"])


def _route(route):
    route = dict(dict.fromkeys(ROUTE_KEYS), **route)
    route["InterfaceId"] = route["NetworkInterfaceId"]
    return route


def normalise_route_table(table):
    """ec2_vpc_route_table_info's shape: ``id`` on the table and on each association, the legacy route keys."""
    return snake_resource(
        table,
        Id=table["RouteTableId"],
        Associations=[dict(association, Id=association["RouteTableAssociationId"]) for association in table.get("Associations", [])],
        Routes=[_route(route) for route in table.get("Routes", [])],
    )


def nacl_entry(entry):
    """A NACL entry as ec2_vpc_nacl_info lists it: [rule_no, protocol, action, cidr, icmp_type, icmp_code, port_from, port_to]."""
    protocol = entry.get("Protocol")
    icmp = entry.get("IcmpTypeCode", {}) if protocol in NACL_ICMP_PROTOCOLS else {}
    if protocol not in NACL_PORT_PROTOCOLS:
        ports = [0, 65535]
    else:
        ports = [entry.get("PortRange", {}).get("From"), entry.get("PortRange", {}).get("To")]
    return [
        entry["RuleNumber"], NACL_PROTOCOL_NAMES.get(protocol, protocol), entry["RuleAction"],
        entry.get("CidrBlock") or entry.get("Ipv6CidrBlock") or None, icmp.get("Type"), icmp.get("Code"), *ports,
    ]


def normalise_network_acl(nacl):
    """ec2_vpc_nacl_info's shape: ``nacl_id``, the associated ``subnets`` and the ``ingress``/``egress`` entry lists."""
    entries = [entry for entry in nacl.get("Entries", []) if entry["RuleNumber"] < NACL_DEFAULT_RULE]
    rest = {key: value for key, value in nacl.items() if key not in ("Entries", "Associations", "NetworkAclId")}
    snaked = snake_resource(rest)
    snaked.update(
        nacl_id=nacl["NetworkAclId"],
        subnets=[association["SubnetId"] for association in nacl.get("Associations", [])],
        ingress=[nacl_entry(entry) for entry in entries if not entry["Egress"]],
        egress=[nacl_entry(entry) for entry in entries if entry["Egress"]],
    )
    return snaked


# kind: (the read, its normaliser). The lambdas look the wrapper up when called, so a test can
# patch it; DescribeNatGateways spells its filter parameter "Filter".
READS = {
    "subnets": (lambda client, filters: describe_subnets(client, Filters=filters), normalise_subnet),
    "route_tables": (lambda client, filters: describe_route_tables(client, Filters=filters), normalise_route_table),
    "network_acls": (lambda client, filters: describe_network_acls(client, Filters=filters), normalise_network_acl),
    "vpc_endpoints": (lambda client, filters: describe_vpc_endpoints(client, Filters=filters), snake_resource),
    "nat_gateways": (lambda client, filters: describe_nat_gateways(client, Filter=filters), snake_resource),
    "addresses": (lambda client, filters: describe_addresses(client, Filters=filters), snake_resource),
}


def read_resources(client, kind, filters):
    """All resources of one kind that match ``filters`` (name -> value or list of values), normalised; one Describe call."""
    describe, normalise = READS[kind]
    return [normalise(resource) for resource in describe(client, ansible_dict_to_boto3_filter_list(filters))]
