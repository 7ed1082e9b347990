#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: ec2_vpc_network_info
short_description: Read the subnets, route tables, network ACLs, endpoints, NAT gateways and Elastic IPs of a VPC in one call
version_added: 0.1.0
description:
  - Reads what lives in one VPC in a single module run, where the stock amazon.aws info modules need
    one run (and its fixed start-up cost) per kind.
  - Each kind is read with one Describe call filtered by C(vpc-id) (every page of the answer), plus the
    extra filters of that kind in O(filters). Elastic IPs have no VPC filter, see O(filters.addresses).
  - Read calls, whatever the state of the VPC (converged or not), are one per kind in O(resources) and
    nothing else. The one exception is C(addresses) without O(filters.addresses); the NAT gateways are
    then read for their Elastic IPs, one more C(DescribeNatGateways) call when C(nat_gateways) is not in
    O(resources), and no C(DescribeAddresses) call when they use none. The module never writes.
  - Each resource has the shape its stock info module returns (M(amazon.aws.ec2_vpc_subnet_info),
    M(amazon.aws.ec2_vpc_route_table_info), M(amazon.aws.ec2_vpc_nacl_info),
    M(amazon.aws.ec2_vpc_endpoint_info), M(amazon.aws.ec2_vpc_nat_gateway_info),
    M(amazon.aws.ec2_eip_info)), snake_cased, except that C(tags) is always a dict, C({}) when the
    resource has none (the stock endpoint module returns a list of key/value pairs, and the stock NACL,
    NAT gateway and Elastic IP modules leave C(tags) out when there are none).
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  vpc_id:
    description: The VPC to read, C(vpc-) followed by 8 or 17 hexadecimal digits.
    type: str
    required: true
  resources:
    description:
      - The kinds to read; each is one Describe call. Only these keys are returned.
    type: list
    elements: str
    choices: [subnets, route_tables, network_acls, vpc_endpoints, nat_gateways, addresses]
    default: [subnets, route_tables, network_acls, vpc_endpoints, nat_gateways, addresses]
  filters:
    description:
      - Extra EC2 filters per kind, ANDed with C(vpc-id); the names are those of the kind's Describe
        API (for example C(tag:Name), C(state), C(vpc-endpoint-state)). A value is a string, number or
        boolean, or a non-empty list of them (any of which matches).
      - C(vpc-id) itself is set from O(vpc_id) and is refused here.
    type: dict
    default: {}
    suboptions:
      subnets:
        description: Filters of C(DescribeSubnets).
        type: dict
      route_tables:
        description: Filters of C(DescribeRouteTables).
        type: dict
      network_acls:
        description: Filters of C(DescribeNetworkAcls).
        type: dict
      vpc_endpoints:
        description: Filters of C(DescribeVpcEndpoints), for example C(vpc-endpoint-state).
        type: dict
      nat_gateways:
        description: Filters of C(DescribeNatGateways), for example C(state).
        type: dict
      addresses:
        description:
          - Filters of C(DescribeAddresses), for example C(tag:Name) and C(domain). Elastic IPs belong to the
            account, not to a VPC, so these filters alone select them (no C(vpc-id)).
          - When not set (or empty), the Elastic IPs that the VPC's NAT gateways use (those that
            O(filters.nat_gateways) selects) are returned.
        type: dict
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    description: The module only reads; it runs the same in check mode.
  diff_mode:
    support: none
    description: The module only reads; there is nothing to compare.
  platform:
    support: full
    platforms: aws
    description: Runs against the Amazon EC2 API.
"""

EXAMPLES = r"""
- name: Read everything in the VPC, NAT gateways and endpoints that are not being deleted, and the named Elastic IPs
  cloudplatform.aws.ec2_vpc_network_info:
    vpc_id: vpc-0123456789abcdef0
    filters:
      nat_gateways:
        state: [pending, available]
      vpc_endpoints:
        vpc-endpoint-state: [pending, available]
      addresses:
        "tag:Name": [cloudplatform-prod-eip-nat-a, cloudplatform-prod-eip-nat-b]
        domain: vpc
  register: network

- name: Index the subnet ids by CIDR block
  ansible.builtin.set_fact:
    subnet_ids: "{{ network.subnets | items2dict(key_name='cidr_block', value_name='id') }}"

- name: Read only the subnets and route tables
  cloudplatform.aws.ec2_vpc_network_info:
    vpc_id: vpc-0123456789abcdef0
    resources: [subnets, route_tables]
  register: network
"""

RETURN = r"""
subnets:
  description: The subnets of the VPC, as M(amazon.aws.ec2_vpc_subnet_info) returns them.
  returned: when O(resources) has C(subnets)
  type: list
  elements: dict
  contains:
    id:
      description: The subnet id (again, as the stock module returns it).
      type: str
      sample: subnet-0123456789abcdef0
    subnet_id:
      description: The subnet id.
      type: str
    cidr_block:
      description: The IPv4 CIDR block.
      type: str
      sample: 10.0.1.0/24
    availability_zone:
      description: The AZ.
      type: str
      sample: us-east-1a
    map_public_ip_on_launch:
      description: Whether instances get a public IPv4 address.
      type: bool
    tags:
      description: The tags.
      type: dict
      sample: {"Name": "cloudplatform-prod-subnet-public-a"}
route_tables:
  description: The route tables of the VPC, as M(amazon.aws.ec2_vpc_route_table_info) returns them.
  returned: when O(resources) has C(route_tables)
  type: list
  elements: dict
  contains:
    id:
      description: The route table id (again, as the stock module returns it).
      type: str
      sample: rtb-0123456789abcdef0
    route_table_id:
      description: The route table id.
      type: str
    associations:
      description: The associations; each has C(id), C(route_table_association_id), C(main) and C(subnet_id) or C(gateway_id).
      type: list
      elements: dict
    routes:
      description:
        - The routes; C(destination_cidr_block), C(gateway_id), C(instance_id), C(origin), C(state),
          C(network_interface_id) and C(interface_id) are always present (null when unset).
      type: list
      elements: dict
    tags:
      description: The tags.
      type: dict
network_acls:
  description: The network ACLs of the VPC, as M(amazon.aws.ec2_vpc_nacl_info) returns them (there under the key C(nacls)).
  returned: when O(resources) has C(network_acls)
  type: list
  elements: dict
  contains:
    nacl_id:
      description: The network ACL id.
      type: str
      sample: acl-0123456789abcdef0
    is_default:
      description: Whether it is the VPC's default network ACL.
      type: bool
    subnets:
      description: The ids of the subnets associated with it.
      type: list
      elements: str
    ingress:
      description:
        - The inbound entries without the final deny-all, each
          C([rule_no, protocol, action, cidr, icmp_type, icmp_code, port_from, port_to]) as M(amazon.aws.ec2_vpc_nacl) takes them.
      type: list
      elements: list
      sample: [[100, "tcp", "allow", "0.0.0.0/0", null, null, 443, 443]]
    egress:
      description: The outbound entries, in the form of RV(network_acls[].ingress).
      type: list
      elements: list
    tags:
      description: The tags.
      type: dict
vpc_endpoints:
  description: The VPC endpoints, as M(amazon.aws.ec2_vpc_endpoint_info) returns them but with C(tags) as a dict.
  returned: when O(resources) has C(vpc_endpoints)
  type: list
  elements: dict
  contains:
    vpc_endpoint_id:
      description: The endpoint id.
      type: str
      sample: vpce-0123456789abcdef0
    vpc_endpoint_type:
      description: C(Gateway), C(Interface) or C(GatewayLoadBalancer).
      type: str
    service_name:
      description: The service.
      type: str
      sample: com.amazonaws.us-east-1.s3
    state:
      description: The endpoint state.
      type: str
    route_table_ids:
      description: The route tables of a gateway endpoint.
      type: list
      elements: str
    subnet_ids:
      description: The subnets of an interface endpoint.
      type: list
      elements: str
    groups:
      description: The security groups of an interface endpoint (C(group_id), C(group_name)).
      type: list
      elements: dict
    tags:
      description: The tags.
      type: dict
nat_gateways:
  description: The NAT gateways of the VPC, as M(amazon.aws.ec2_vpc_nat_gateway_info) returns them (there under the key C(result)).
  returned: when O(resources) has C(nat_gateways)
  type: list
  elements: dict
  contains:
    nat_gateway_id:
      description: The NAT gateway id.
      type: str
      sample: nat-0123456789abcdef0
    subnet_id:
      description: Its subnet.
      type: str
    state:
      description: The state.
      type: str
      sample: available
    nat_gateway_addresses:
      description: Its addresses (C(allocation_id), C(public_ip), C(private_ip), C(network_interface_id)).
      type: list
      elements: dict
    tags:
      description: The tags.
      type: dict
addresses:
  description: The Elastic IPs, as M(amazon.aws.ec2_eip_info) returns them.
  returned: when O(resources) has C(addresses)
  type: list
  elements: dict
  contains:
    allocation_id:
      description: The allocation id.
      type: str
      sample: eipalloc-0123456789abcdef0
    public_ip:
      description: The address.
      type: str
      sample: 203.0.113.10
    domain:
      description: C(vpc).
      type: str
    association_id:
      description: The association, when the address is in use.
      type: str
    network_interface_id:
      description: The network interface that uses it.
      type: str
    tags:
      description: The tags.
      type: dict
"""

import re

from ansible_collections.amazon.aws.plugins.module_utils.ec2 import AnsibleEC2Error
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudplatform.aws.plugins.module_utils.ec2_vpc_network import read_resources

KINDS = ("subnets", "route_tables", "network_acls", "vpc_endpoints", "nat_gateways", "addresses")
VPC_ID = re.compile(r"^vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})$")
SCALARS = (str, int, bool)


def filter_value_errors(kind, filters):
    errors = []
    for name, value in sorted((filters or {}).items()):
        option = "filters.%s.%s" % (kind, name)
        values = value if isinstance(value, list) else [value]
        if name == "vpc-id" and kind != "addresses":
            errors.append("%s: %r; vpc-id is set from vpc_id, leave it out" % (option, value))
        elif not values or not all(isinstance(item, SCALARS) for item in values):
            errors.append("%s: %r; expected a string, number or boolean, or a non-empty list of them" % (option, value))
    return errors


def validate(params):
    """Every problem with the options, each naming the option, its value and what is accepted."""
    errors = []
    if not VPC_ID.match(params["vpc_id"] or ""):
        errors.append("vpc_id: %r is not a VPC id; expected vpc- followed by 8 or 17 hexadecimal digits" % (params["vpc_id"],))
    for kind in KINDS:
        errors += filter_value_errors(kind, (params["filters"] or {}).get(kind))
    return errors


def _strings(value):
    """Filter values as the strings EC2 compares (booleans lower-case, as AWS writes them)."""
    return [str(item).lower() if isinstance(item, bool) else str(item) for item in (value if isinstance(value, list) else [value])]


def kind_filters(kind, vpc_id, filters):
    scope = {} if kind == "addresses" else {"vpc-id": vpc_id}
    scope.update((name, _strings(value)) for name, value in ((filters or {}).get(kind) or {}).items())
    return scope


def nat_gateway_addresses(client, vpc_id, filters, nat_gateways):
    """The Elastic IPs the NAT gateways use (read here when the caller did not ask for them); none, no call."""
    if nat_gateways is None:
        nat_gateways = read_resources(client, "nat_gateways", kind_filters("nat_gateways", vpc_id, filters))
    allocation_ids = sorted({address["allocation_id"] for nat in nat_gateways for address in nat.get("nat_gateway_addresses", [])
                             if address.get("allocation_id")})
    return read_resources(client, "addresses", {"allocation-id": allocation_ids}) if allocation_ids else []


def read_network(client, params):
    """kind -> normalised resources for each kind of params["resources"], one Describe call per kind."""
    vpc_id, filters = params["vpc_id"], params["filters"] or {}
    wanted = [kind for kind in KINDS if kind in params["resources"]]
    by_nat_gateways = "addresses" in wanted and not filters.get("addresses")
    network = {}
    for kind in wanted:
        if not (kind == "addresses" and by_nat_gateways):
            network[kind] = read_resources(client, kind, kind_filters(kind, vpc_id, filters))
    if by_nat_gateways:
        network["addresses"] = nat_gateway_addresses(client, vpc_id, filters, network.get("nat_gateways"))
    return network


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            vpc_id=dict(type="str", required=True),
            resources=dict(type="list", elements="str", choices=list(KINDS), default=list(KINDS)),
            filters=dict(type="dict", default={}, options={kind: dict(type="dict") for kind in KINDS}),
        ),
        supports_check_mode=True,
    )
    errors = validate(module.params)
    if errors:
        module.fail_json(msg="; ".join(errors))
    client = module.client("ec2")
    try:
        network = read_network(client, module.params)
    except AnsibleEC2Error as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, **network)


if __name__ == "__main__":
    main()
