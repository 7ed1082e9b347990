"""Unit tests for cloudplatform.aws.ec2_vpc_network_info.

The amazon.aws EC2 wrappers are stubbed where the tests check which calls are made with which
filters and what comes back; the shapes are also checked against the stock amazon.aws info
modules run on the same answers. Pagination and a real ClientError go through the real wrappers
on a botocore Stubber (the real EC2 service model).
"""

from __future__ import annotations

import copy
import datetime
from unittest.mock import MagicMock

import boto3
import pytest
from ansible_collections.amazon.aws.plugins.module_utils.ec2 import AnsibleEC2Error
from ansible_collections.amazon.aws.plugins.modules import (
    ec2_eip_info,
    ec2_vpc_endpoint_info,
    ec2_vpc_nacl_info,
    ec2_vpc_nat_gateway_info,
    ec2_vpc_route_table_info,
    ec2_vpc_subnet_info,
)
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from ansible_collections.cloudplatform.aws.plugins.module_utils import ec2_vpc_network as utils
from ansible_collections.cloudplatform.aws.plugins.modules import ec2_vpc_network_info as mod

VPC = "vpc-0123456789abcdef0"
KINDS = list(mod.KINDS)


def tags(name):
    return [{"Key": "Name", "Value": name}, {"Key": "Environment", "Value": "prod"}]


SUBNET = {"SubnetId": "subnet-1", "VpcId": VPC, "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1a",
          "MapPublicIpOnLaunch": False, "Ipv6CidrBlockAssociationSet": [], "Tags": tags("cp-subnet-public-a")}
ROUTE_TABLE = {
    "RouteTableId": "rtb-1", "VpcId": VPC, "OwnerId": "123456789012", "PropagatingVgws": [],
    "Associations": [{"RouteTableAssociationId": "rtbassoc-1", "RouteTableId": "rtb-1", "SubnetId": "subnet-1", "Main": False,
                      "AssociationState": {"State": "associated"}}],
    "Routes": [
        {"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"},
        {"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-1", "Origin": "CreateRoute", "State": "active"},
        {"DestinationPrefixListId": "pl-1", "GatewayId": "vpce-1", "Origin": "CreateRoute", "State": "active"},
    ],
    "Tags": tags("cp-rt-app"),
}
NACL = {
    "NetworkAclId": "acl-1", "VpcId": VPC, "IsDefault": False, "OwnerId": "123456789012",
    "Associations": [{"NetworkAclAssociationId": "aclassoc-1", "NetworkAclId": "acl-1", "SubnetId": "subnet-1"}],
    "Entries": [
        {"RuleNumber": 100, "Protocol": "6", "RuleAction": "allow", "Egress": False, "CidrBlock": "0.0.0.0/0",
         "PortRange": {"From": 443, "To": 443}},
        {"RuleNumber": 110, "Protocol": "1", "RuleAction": "allow", "Egress": False, "CidrBlock": "10.0.0.0/16",
         "IcmpTypeCode": {"Type": 8, "Code": 0}},
        {"RuleNumber": 120, "Protocol": "17", "RuleAction": "deny", "Egress": False, "Ipv6CidrBlock": "::/0",
         "PortRange": {"From": 53, "To": 53}},
        {"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": False, "CidrBlock": "0.0.0.0/0"},
        {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": True, "CidrBlock": "0.0.0.0/0"},
        {"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": True, "CidrBlock": "0.0.0.0/0"},
    ],
    "Tags": tags("cp-nacl-public"),
}
CREATED = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
ENDPOINT = {"VpcEndpointId": "vpce-1", "VpcEndpointType": "Gateway", "VpcId": VPC, "ServiceName": "com.amazonaws.us-east-1.s3",
            "State": "available", "RouteTableIds": ["rtb-1"], "SubnetIds": [], "Groups": [], "PrivateDnsEnabled": False,
            "CreationTimestamp": CREATED, "Tags": tags("cp-vpce-s3")}
NAT = {"NatGatewayId": "nat-1", "VpcId": VPC, "SubnetId": "subnet-1", "State": "available", "CreateTime": CREATED,
       "ConnectivityType": "public",
       "NatGatewayAddresses": [{"AllocationId": "eipalloc-2", "PublicIp": "203.0.113.2", "NetworkInterfaceId": "eni-1",
                                "PrivateIp": "10.0.1.5", "IsPrimary": True, "Status": "succeeded"}],
       "Tags": tags("cp-nat-a")}
ADDRESS = {"AllocationId": "eipalloc-2", "PublicIp": "203.0.113.2", "Domain": "vpc", "AssociationId": "eipassoc-1",
           "NetworkInterfaceId": "eni-1", "PrivateIpAddress": "10.0.1.5", "Tags": tags("cp-eip-nat-a")}
ANSWERS = {"subnets": SUBNET, "route_tables": ROUTE_TABLE, "network_acls": NACL, "vpc_endpoints": ENDPOINT,
           "nat_gateways": NAT, "addresses": ADDRESS}
TAGS = {"Name": "cp-nat-a", "Environment": "prod"}
WRAPPERS = {"subnets": "describe_subnets", "route_tables": "describe_route_tables", "network_acls": "describe_network_acls",
            "vpc_endpoints": "describe_vpc_endpoints", "nat_gateways": "describe_nat_gateways", "addresses": "describe_addresses"}
VPC_FILTER = {"Name": "vpc-id", "Values": [VPC]}


def params(**changes):
    return dict(dict(vpc_id=VPC, resources=list(KINDS), filters=dict.fromkeys(KINDS)), **changes)


def with_filters(**filters):
    return dict(dict.fromkeys(KINDS), **filters)


@pytest.fixture
def api(monkeypatch):
    """The six amazon.aws wrappers, answering one resource each (a fresh copy per call)."""
    calls = MagicMock()
    for kind, name in WRAPPERS.items():
        getattr(calls, name).side_effect = lambda client, _answer=ANSWERS[kind], **kw: [copy.deepcopy(_answer)]
        monkeypatch.setattr(utils, name, getattr(calls, name))
    return calls


def filters_of(wrapper):
    """The filter list of the only call of a wrapper (DescribeNatGateways names it Filter)."""
    wrapper.assert_called_once()
    kwargs = wrapper.call_args.kwargs
    return kwargs.get("Filters", kwargs.get("Filter"))


EXPECTED = {
    "subnets": {"subnet_id": "subnet-1", "id": "subnet-1", "vpc_id": VPC, "cidr_block": "10.0.1.0/24", "availability_zone": "us-east-1a",
                "map_public_ip_on_launch": False, "ipv6_cidr_block_association_set": [],
                "tags": {"Name": "cp-subnet-public-a", "Environment": "prod"}},
    "route_tables": {
        "route_table_id": "rtb-1", "id": "rtb-1", "vpc_id": VPC, "owner_id": "123456789012", "propagating_vgws": [],
        "associations": [{"route_table_association_id": "rtbassoc-1", "id": "rtbassoc-1", "route_table_id": "rtb-1",
                          "subnet_id": "subnet-1", "main": False, "association_state": {"state": "associated"}}],
        "routes": [
            {"destination_cidr_block": "10.0.0.0/16", "gateway_id": "local", "instance_id": None, "origin": "CreateRouteTable",
             "state": "active", "network_interface_id": None, "interface_id": None},
            {"destination_cidr_block": "0.0.0.0/0", "gateway_id": None, "nat_gateway_id": "nat-1", "instance_id": None,
             "origin": "CreateRoute", "state": "active", "network_interface_id": None, "interface_id": None},
            {"destination_cidr_block": None, "destination_prefix_list_id": "pl-1", "gateway_id": "vpce-1", "instance_id": None,
             "origin": "CreateRoute", "state": "active", "network_interface_id": None, "interface_id": None},
        ],
        "tags": {"Name": "cp-rt-app", "Environment": "prod"},
    },
    "network_acls": {
        "nacl_id": "acl-1", "vpc_id": VPC, "is_default": False, "owner_id": "123456789012", "subnets": ["subnet-1"],
        "ingress": [[100, "tcp", "allow", "0.0.0.0/0", None, None, 443, 443], [110, "icmp", "allow", "10.0.0.0/16", 8, 0, None, None],
                    [120, "udp", "deny", "::/0", None, None, 53, 53]],
        "egress": [[100, "all", "allow", "0.0.0.0/0", None, None, 0, 65535]],
        "tags": {"Name": "cp-nacl-public", "Environment": "prod"},
    },
    "vpc_endpoints": {"vpc_endpoint_id": "vpce-1", "vpc_endpoint_type": "Gateway", "vpc_id": VPC, "service_name": "com.amazonaws.us-east-1.s3",
                      "state": "available", "route_table_ids": ["rtb-1"], "subnet_ids": [], "groups": [], "private_dns_enabled": False,
                      "creation_timestamp": "2026-01-02T03:04:05+00:00", "tags": {"Name": "cp-vpce-s3", "Environment": "prod"}},
    "nat_gateways": {"nat_gateway_id": "nat-1", "vpc_id": VPC, "subnet_id": "subnet-1", "state": "available",
                     "create_time": "2026-01-02T03:04:05+00:00", "connectivity_type": "public",
                     "nat_gateway_addresses": [{"allocation_id": "eipalloc-2", "public_ip": "203.0.113.2", "network_interface_id": "eni-1",
                                                "private_ip": "10.0.1.5", "is_primary": True, "status": "succeeded"}],
                     "tags": TAGS},
    "addresses": {"allocation_id": "eipalloc-2", "public_ip": "203.0.113.2", "domain": "vpc", "association_id": "eipassoc-1",
                  "network_interface_id": "eni-1", "private_ip_address": "10.0.1.5", "tags": {"Name": "cp-eip-nat-a", "Environment": "prod"}},
}


def test_reads_every_kind_by_default_with_one_call_each(api):
    client = MagicMock()
    network = mod.read_network(client, params())
    assert network == {kind: [EXPECTED[kind]] for kind in KINDS}
    for kind in ("subnets", "route_tables", "network_acls", "vpc_endpoints"):
        getattr(api, WRAPPERS[kind]).assert_called_once_with(client, Filters=[VPC_FILTER])
    api.describe_nat_gateways.assert_called_once_with(client, Filter=[VPC_FILTER])
    # Without filters.addresses: the Elastic IPs of the NAT gateways just read, no second NAT read.
    api.describe_addresses.assert_called_once_with(client, Filters=[{"Name": "allocation-id", "Values": ["eipalloc-2"]}])
    assert client.method_calls == []


@pytest.mark.parametrize("kind", KINDS)
def test_reads_only_the_kinds_asked_for(api, kind):
    filters = with_filters(addresses={"domain": "vpc"}) if kind == "addresses" else with_filters()
    network = mod.read_network(MagicMock(), params(resources=[kind], filters=filters))
    assert network == {kind: [EXPECTED[kind]]}
    assert [name for name, _args, _kwargs in api.mock_calls] == [WRAPPERS[kind]]


STOCK = {"subnets": ec2_vpc_subnet_info, "route_tables": ec2_vpc_route_table_info, "network_acls": ec2_vpc_nacl_info,
         "vpc_endpoints": ec2_vpc_endpoint_info, "nat_gateways": ec2_vpc_nat_gateway_info, "addresses": ec2_eip_info}


def stock_output(monkeypatch, kind, answer):
    """What the stock amazon.aws info module returns for the same Describe answer (its list, whatever its key)."""
    monkeypatch.setattr(STOCK[kind], WRAPPERS[kind], lambda client, **kw: [copy.deepcopy(answer)])
    module = MagicMock(params={"filters": {}, "subnet_ids": [], "nacl_ids": [], "vpc_endpoint_ids": None, "nat_gateway_ids": []})
    run = {"subnets": lambda: ec2_vpc_subnet_info._describe_subnets(MagicMock(), module),
           "route_tables": lambda: ec2_vpc_route_table_info.list_ec2_vpc_route_tables(MagicMock(), module),
           "network_acls": lambda: ec2_vpc_nacl_info.list_ec2_vpc_nacls(MagicMock(), module),
           "vpc_endpoints": lambda: module.exit_json(**ec2_vpc_endpoint_info.get_endpoints(MagicMock(), module)),
           "nat_gateways": lambda: ec2_vpc_nat_gateway_info.get_nat_gateways(MagicMock(), module),
           "addresses": lambda: module.exit_json(addresses=ec2_eip_info.get_eips_details(module))}[kind]
    run()
    (result,) = [value for key, value in module.exit_json.call_args.kwargs.items() if key != "changed"]
    return result


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_has_the_shape_of_its_stock_info_module(monkeypatch, kind):
    monkeypatch.setattr(utils, WRAPPERS[kind], lambda client, **kw: [copy.deepcopy(ANSWERS[kind])])
    (expected,) = stock_output(monkeypatch, kind, ANSWERS[kind])
    if kind == "vpc_endpoints":
        # The one documented difference: the stock endpoint module leaves the tags a key/value list.
        assert expected["tags"] == [{"key": "Name", "value": "cp-vpce-s3"}, {"key": "Environment", "value": "prod"}]
        expected["tags"] = {"Name": "cp-vpce-s3", "Environment": "prod"}
    filters = with_filters(addresses={"domain": "vpc"})
    assert mod.read_network(MagicMock(), params(resources=[kind], filters=filters)) == {kind: [expected]}
    assert expected == EXPECTED[kind]


@pytest.mark.parametrize("kind", ["network_acls", "nat_gateways", "addresses", "vpc_endpoints"])
def test_untagged_resources_get_an_empty_tag_dict(monkeypatch, kind):
    untagged = {key: value for key, value in ANSWERS[kind].items() if key != "Tags"}
    monkeypatch.setattr(utils, WRAPPERS[kind], lambda client, **kw: [copy.deepcopy(untagged)])
    filters = with_filters(addresses={"domain": "vpc"})
    (resource,) = mod.read_network(MagicMock(), params(resources=[kind], filters=filters))[kind]
    assert resource["tags"] == {}


def test_filters_are_anded_with_the_vpc_id_as_strings(api):
    filters = with_filters(
        subnets={"tag:Tier": "app", "default-for-az": False},
        nat_gateways={"state": ["pending", "available"]},
        vpc_endpoints={"vpc-endpoint-state": ["pending", "available"], "vpc-endpoint-type": "Gateway"},
        network_acls={"rule-number": 100},
        addresses={"tag:Name": ["cp-eip-nat-a", "cp-eip-nat-b"], "domain": "vpc"},
    )
    mod.read_network(MagicMock(), params(filters=filters))
    assert filters_of(api.describe_subnets) == [VPC_FILTER, {"Name": "tag:Tier", "Values": ["app"]}, {"Name": "default-for-az", "Values": ["false"]}]
    assert filters_of(api.describe_nat_gateways) == [VPC_FILTER, {"Name": "state", "Values": ["pending", "available"]}]
    assert filters_of(api.describe_vpc_endpoints) == [VPC_FILTER, {"Name": "vpc-endpoint-state", "Values": ["pending", "available"]},
                                                      {"Name": "vpc-endpoint-type", "Values": ["Gateway"]}]
    assert filters_of(api.describe_network_acls) == [VPC_FILTER, {"Name": "rule-number", "Values": ["100"]}]
    assert filters_of(api.describe_route_tables) == [VPC_FILTER]
    # Elastic IPs have no vpc-id filter: the caller's filters alone, and no NAT-derived lookup.
    assert filters_of(api.describe_addresses) == [{"Name": "tag:Name", "Values": ["cp-eip-nat-a", "cp-eip-nat-b"]},
                                                  {"Name": "domain", "Values": ["vpc"]}]


def test_addresses_alone_read_the_nat_gateways_for_their_allocations(api):
    api.describe_nat_gateways.side_effect = lambda client, **kw: [
        dict(NAT, NatGatewayId="nat-%d" % n, NatGatewayAddresses=[{"AllocationId": "eipalloc-%d" % n}]) for n in (3, 1)]
    filters = with_filters(nat_gateways={"state": "available"})
    network = mod.read_network(MagicMock(), params(resources=["addresses"], filters=filters))
    assert list(network) == ["addresses"]
    assert filters_of(api.describe_nat_gateways) == [VPC_FILTER, {"Name": "state", "Values": ["available"]}]
    assert filters_of(api.describe_addresses) == [{"Name": "allocation-id", "Values": ["eipalloc-1", "eipalloc-3"]}]


def test_no_nat_gateway_address_means_no_address_call(api):
    api.describe_nat_gateways.side_effect = lambda client, **kw: []
    network = mod.read_network(MagicMock(), params(resources=["nat_gateways", "addresses"], filters=with_filters(addresses={})))
    assert network == {"nat_gateways": [], "addresses": []}
    api.describe_addresses.assert_not_called()


@pytest.mark.parametrize(("changes", "message"), [
    ({"vpc_id": "vpc-xyz"}, "vpc_id: 'vpc-xyz' is not a VPC id; expected vpc- followed by 8 or 17 hexadecimal digits"),
    ({"vpc_id": "vpc-PLANNED-IN-CHECK-MODE"}, "vpc_id: 'vpc-PLANNED-IN-CHECK-MODE' is not a VPC id"),
    ({"filters": with_filters(subnets={"vpc-id": "vpc-11111111"})},
     "filters.subnets.vpc-id: 'vpc-11111111'; vpc-id is set from vpc_id, leave it out"),
    ({"filters": with_filters(addresses={"tag:Name": []})},
     "filters.addresses.tag:Name: []; expected a string, number or boolean, or a non-empty list of them"),
    ({"filters": with_filters(nat_gateways={"state": {"in": "available"}})},
     "filters.nat_gateways.state: {'in': 'available'}; expected a string, number or boolean"),
    ({"filters": with_filters(vpc_endpoints={"vpc-endpoint-state": ["available", None]})},
     "filters.vpc_endpoints.vpc-endpoint-state: ['available', None]; expected"),
])
def test_bad_input_is_named_with_what_is_accepted(changes, message):
    (error,) = mod.validate(params(**changes))
    assert error.startswith(message)


def test_good_input_passes_validation():
    filters = with_filters(addresses={"tag:Name": ["a"], "domain": "vpc"}, nat_gateways={"state": "available"}, subnets={"default-for-az": True})
    assert mod.validate(params(filters=filters)) == []
    assert mod.validate(params(vpc_id="vpc-1a2b3c4d")) == []


class Exited(Exception):
    pass


def stubbed_ec2():
    client = boto3.client("ec2", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
    return client, Stubber(client)


@pytest.fixture
def run_main(monkeypatch):
    """main() with a stand-in AnsibleAWSModule; returns (module, how it ended: exit, fail or fail_aws)."""

    def _run(module_params, client=None, check_mode=False):
        module = MagicMock(params=module_params, check_mode=check_mode)
        module.client.return_value = client if client is not None else MagicMock()
        for method in ("exit_json", "fail_json", "fail_json_aws_error"):
            getattr(module, method).side_effect = Exited(method)
        monkeypatch.setattr(mod, "AnsibleAWSModule", lambda **kw: module)
        with pytest.raises(Exited) as ended:
            mod.main()
        return module, str(ended.value)

    return _run


def test_main_fails_on_bad_input_before_any_call(api, run_main):
    module, ended = run_main(params(vpc_id="vpc-nothex!", filters=with_filters(subnets={"vpc-id": VPC})))
    assert ended == "fail_json"
    assert module.fail_json.call_args.kwargs["msg"] == (
        "vpc_id: 'vpc-nothex!' is not a VPC id; expected vpc- followed by 8 or 17 hexadecimal digits; "
        "filters.subnets.vpc-id: 'vpc-0123456789abcdef0'; vpc-id is set from vpc_id, leave it out")
    module.client.assert_not_called()
    assert api.mock_calls == []


@pytest.mark.parametrize("check_mode", [False, True])
def test_main_reads_and_reports_no_change(api, run_main, check_mode):
    module, ended = run_main(params(resources=["subnets"]), check_mode=check_mode)
    assert ended == "exit_json"
    module.client.assert_called_once_with("ec2")
    assert module.exit_json.call_args.kwargs == {"changed": False, "subnets": [EXPECTED["subnets"]]}
    assert [name for name, _args, _kwargs in api.mock_calls] == ["describe_subnets"]


def test_main_fails_with_the_api_error(run_main):
    client, stub = stubbed_ec2()
    stub.add_response("describe_subnets", {"Subnets": [SUBNET]}, {"Filters": [VPC_FILTER]})
    stub.add_client_error("describe_route_tables", "UnauthorizedOperation", "You are not authorized to perform this operation.",
                          expected_params={"Filters": [VPC_FILTER]})
    with stub:
        module, ended = run_main(params(resources=["subnets", "route_tables", "network_acls"]), client)
        stub.assert_no_pending_responses()
    assert ended == "fail_json_aws_error"
    error = module.fail_json_aws_error.call_args.args[0]
    assert isinstance(error, AnsibleEC2Error)
    assert error.message == "Failed to describe route tables"
    assert isinstance(error.exception, ClientError)
    assert error.exception.response["Error"]["Code"] == "UnauthorizedOperation"
    module.exit_json.assert_not_called()


PAGES = {
    "subnets": ("describe_subnets", "Subnets", ("SubnetId", "subnet-%d"), "subnet_id"),
    "route_tables": ("describe_route_tables", "RouteTables", ("RouteTableId", "rtb-%d"), "route_table_id"),
    "network_acls": ("describe_network_acls", "NetworkAcls", ("NetworkAclId", "acl-%d"), "nacl_id"),
    "vpc_endpoints": ("describe_vpc_endpoints", "VpcEndpoints", ("VpcEndpointId", "vpce-%d"), "vpc_endpoint_id"),
    "nat_gateways": ("describe_nat_gateways", "NatGateways", ("NatGatewayId", "nat-%d"), "nat_gateway_id"),
}


@pytest.mark.parametrize("kind", list(PAGES))
def test_every_page_is_read(kind):
    operation, key, (id_name, id_format), id_key = PAGES[kind]
    filter_param = "Filter" if kind == "nat_gateways" else "Filters"
    client, stub = stubbed_ec2()

    def page(n):
        return [{id_name: id_format % n}]

    stub.add_response(operation, {key: page(1), "NextToken": "t2"}, {filter_param: [VPC_FILTER]})
    stub.add_response(operation, {key: page(2), "NextToken": "t3"}, {filter_param: [VPC_FILTER], "NextToken": "t2"})
    stub.add_response(operation, {key: page(3)}, {filter_param: [VPC_FILTER], "NextToken": "t3"})
    with stub:
        resources = utils.read_resources(client, kind, {"vpc-id": VPC})
        stub.assert_no_pending_responses()
    assert [resource[id_key] for resource in resources] == [id_format % n for n in (1, 2, 3)]


def test_addresses_are_one_call_with_the_callers_filters():
    client, stub = stubbed_ec2()
    stub.add_response("describe_addresses", {"Addresses": [ADDRESS]},
                      {"Filters": [{"Name": "tag:Name", "Values": ["cp-eip-nat-a"]}, {"Name": "domain", "Values": ["vpc"]}]})
    with stub:
        assert utils.read_resources(client, "addresses", {"tag:Name": ["cp-eip-nat-a"], "domain": ["vpc"]}) == [EXPECTED["addresses"]]
        stub.assert_no_pending_responses()
