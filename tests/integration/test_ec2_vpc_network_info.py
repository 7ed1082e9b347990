"""cloudplatform.aws.ec2_vpc_network_info on the emulator.

A VPC with subnets, an internet gateway, a NAT gateway and its Elastic IP, a route table, a network
ACL and a gateway and an interface endpoint is built with boto3 next to a second VPC (with its own
subnet and NAT gateway) and an Elastic IP of another name, none of which the module may return.
The first run reads everything with the vpc role's filters together with the six stock info modules
the role used before: the outputs must be equal (tags as dicts), the ids those created with boto3,
one Describe call per kind and no write. The second run, in check mode after a tag change, reads
only the subnets and the NAT gateways' Elastic IPs and shows the new tag.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

PLAYBOOK = "tests/integration/playbooks/ec2_vpc_network_info.yml"
INVENTORY = "inventories/dev"
KINDS = ("subnets", "route_tables", "network_acls", "vpc_endpoints", "nat_gateways", "addresses")
DESCRIBES = {"subnets": "DescribeSubnets", "route_tables": "DescribeRouteTables", "network_acls": "DescribeNetworkAcls",
             "vpc_endpoints": "DescribeVpcEndpoints", "nat_gateways": "DescribeNatGateways", "addresses": "DescribeAddresses"}
# The stock module of each kind (by its task name in the playbook) and the key it returns the list under.
STOCK = {"subnets": ("subnets", "subnets"), "route_tables": ("route tables", "route_tables"), "network_acls": ("network ACLs", "nacls"),
         "vpc_endpoints": ("endpoints", "vpc_endpoints"), "nat_gateways": ("NAT gateways", "result"), "addresses": ("Elastic IPs", "addresses")}
ROLE_FILTERS = {
    "nat_gateways": {"state": ["pending", "available"]},
    "vpc_endpoints": {"vpc-endpoint-state": ["pending", "available"]},
    "addresses": {"tag:Name": ["nv-eip-nat-a"], "domain": "vpc"},
}
# The stdout callback prints one JSON document with every task's result; no other callback prints.
JSON_OUTPUT = {"ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json", "ANSIBLE_CALLBACKS_ENABLED": "cloudplatform.aws.drift_report"}


def tag_spec(resource_type, name):
    return [{"ResourceType": resource_type, "Tags": [{"Key": "Name", "Value": name}, {"Key": "Project", "Value": "nv"}]}]


def build_vpc(ec2, cidr, prefix):
    vpc = ec2.create_vpc(CidrBlock=cidr + ".0.0/16", TagSpecifications=tag_spec("vpc", prefix + "-vpc"))["Vpc"]["VpcId"]
    subnets = {
        tier: ec2.create_subnet(VpcId=vpc, CidrBlock="%s.%d.0/24" % (cidr, n), AvailabilityZone="us-east-1a",
                                TagSpecifications=tag_spec("subnet", "%s-subnet-%s-a" % (prefix, tier)))["Subnet"]["SubnetId"]
        for n, tier in ((1, "public"), (11, "app"))
    }
    eip = ec2.allocate_address(Domain="vpc", TagSpecifications=tag_spec("elastic-ip", prefix + "-eip-nat-a"))["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=subnets["public"], AllocationId=eip,
                                 TagSpecifications=tag_spec("natgateway", prefix + "-nat-a"))["NatGateway"]["NatGatewayId"]
    return vpc, subnets, eip, nat


@pytest.fixture(scope="module")
def network(aws):
    """The resources, created with boto3; their ids by kind."""
    ec2 = aws("ec2")
    vpc, subnets, eip, nat = build_vpc(ec2, "10.30", "nv")
    other = build_vpc(ec2, "10.31", "nv-other")
    ec2.allocate_address(Domain="vpc", TagSpecifications=tag_spec("elastic-ip", "nv-eip-spare"))
    igw = ec2.create_internet_gateway(TagSpecifications=tag_spec("internet-gateway", "nv-igw"))["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    table = ec2.create_route_table(VpcId=vpc, TagSpecifications=tag_spec("route-table", "nv-rt-app"))["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)
    ec2.associate_route_table(RouteTableId=table, SubnetId=subnets["app"])
    nacl = ec2.create_network_acl(VpcId=vpc, TagSpecifications=tag_spec("network-acl", "nv-nacl-app"))["NetworkAcl"]["NetworkAclId"]
    ec2.create_network_acl_entry(NetworkAclId=nacl, RuleNumber=100, Protocol="6", RuleAction="allow", Egress=False,
                                 CidrBlock="0.0.0.0/0", PortRange={"From": 443, "To": 443})
    ec2.create_network_acl_entry(NetworkAclId=nacl, RuleNumber=100, Protocol="-1", RuleAction="allow", Egress=True, CidrBlock="10.30.0.0/16")
    default_nacl = ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "default", "Values": ["true"]}])
    association = next(a["NetworkAclAssociationId"] for a in default_nacl["NetworkAcls"][0]["Associations"] if a["SubnetId"] == subnets["app"])
    ec2.replace_network_acl_association(AssociationId=association, NetworkAclId=nacl)
    group = ec2.create_security_group(GroupName="nv-sg-endpoints", Description="endpoints", VpcId=vpc)["GroupId"]
    endpoints = [
        ec2.create_vpc_endpoint(VpcId=vpc, ServiceName="com.amazonaws.us-east-1.s3", VpcEndpointType="Gateway", RouteTableIds=[table],
                                TagSpecifications=tag_spec("vpc-endpoint", "nv-vpce-s3"))["VpcEndpoint"]["VpcEndpointId"],
        ec2.create_vpc_endpoint(VpcId=vpc, ServiceName="com.amazonaws.us-east-1.logs", VpcEndpointType="Interface",
                                SubnetIds=[subnets["app"]], SecurityGroupIds=[group],
                                TagSpecifications=tag_spec("vpc-endpoint", "nv-vpce-logs"))["VpcEndpoint"]["VpcEndpointId"],
    ]
    return {"vpc": vpc, "subnets": subnets, "eip": eip, "nat": nat, "table": table, "nacl": nacl, "endpoints": endpoints,
            "group": group, "other": other}


def parse(output: str) -> tuple[dict, dict]:
    """(task name -> the result on localhost, the run's stats of localhost), from the JSON stdout callback."""
    document, _end = json.JSONDecoder().raw_decode(output[output.index("{\n"):])
    results = {task["task"]["name"]: task["hosts"]["localhost"] for play in document["plays"] for task in play["tasks"]}
    return results, document["stats"]["localhost"]


def ec2_calls(run) -> Counter:
    return Counter(c["action"] for c in run.calls if c.get("service") == "ec2")


def dict_tags(resources):
    """The stock modules' resources with tags as the dict the new module returns."""
    for resource in resources:
        tags = resource.get("tags", {})
        resource["tags"] = {t["key"]: t["value"] for t in tags} if isinstance(tags, list) else tags
    return resources


@pytest.fixture(scope="module")
def first(network, run_playbook):
    run = run_playbook(PLAYBOOK, INVENTORY, env=JSON_OUTPUT,
                       extra_vars={"network_vpc_id": network["vpc"], "network_filters": ROLE_FILTERS, "network_compare_stock": True})
    assert run.rc == 0, run.output[-4000:]
    return run, *parse(run.output)


def test_reads_what_boto3_created_and_nothing_else(first, network, aws):
    _run, results, _stats = first
    read = results["Read the network of the VPC"]
    assert read["changed"] is False
    assert sorted(s["id"] for s in read["subnets"]) == sorted(network["subnets"].values())
    assert {s["cidr_block"]: s["tags"]["Name"] for s in read["subnets"]} == {"10.30.1.0/24": "nv-subnet-public-a", "10.30.11.0/24": "nv-subnet-app-a"}
    tables = {t["tags"].get("Name"): t for t in read["route_tables"]}
    assert set(tables) == {None, "nv-rt-app"}  # the main table (untagged) and ours
    assert tables["nv-rt-app"]["id"] == network["table"]
    assert [a["subnet_id"] for a in tables["nv-rt-app"]["associations"]] == [network["subnets"]["app"]]
    assert {(r["destination_cidr_block"], r.get("nat_gateway_id")) for r in tables["nv-rt-app"]["routes"] if r["origin"] == "CreateRoute"
            and r["destination_cidr_block"]} == {("0.0.0.0/0", network["nat"])}
    nacls = {n["nacl_id"]: n for n in read["network_acls"]}
    assert nacls[network["nacl"]]["subnets"] == [network["subnets"]["app"]]
    assert nacls[network["nacl"]]["ingress"] == [[100, "tcp", "allow", "0.0.0.0/0", None, None, 443, 443]]
    assert nacls[network["nacl"]]["egress"] == [[100, "all", "allow", "10.30.0.0/16", None, None, 0, 65535]]
    assert nacls[network["nacl"]]["tags"] == {"Name": "nv-nacl-app", "Project": "nv"}
    (default,) = [n for n in nacls.values() if n["is_default"]]
    assert default["subnets"] == [network["subnets"]["public"]]
    endpoints = {e["vpc_endpoint_id"]: e for e in read["vpc_endpoints"]}
    assert set(endpoints) == set(network["endpoints"])
    gateway, interface = (endpoints[i] for i in network["endpoints"])
    assert gateway["route_table_ids"] == [network["table"]] and gateway["tags"] == {"Name": "nv-vpce-s3", "Project": "nv"}
    assert interface["subnet_ids"] == [network["subnets"]["app"]] and [g["group_id"] for g in interface["groups"]] == [network["group"]]
    assert [(n["nat_gateway_id"], n["subnet_id"], n["tags"]["Name"]) for n in read["nat_gateways"]] == [
        (network["nat"], network["subnets"]["public"], "nv-nat-a")]
    assert [(a["allocation_id"], a["tags"]) for a in read["addresses"]] == [(network["eip"], {"Name": "nv-eip-nat-a", "Project": "nv"})]
    # What boto3 reads back agrees (the state, not the module's word for it).
    ec2 = aws("ec2")
    described = ec2.describe_addresses(AllocationIds=[network["eip"]])["Addresses"][0]
    assert read["addresses"][0]["public_ip"] == described["PublicIp"]
    assert read["nat_gateways"][0]["nat_gateway_addresses"][0]["allocation_id"] == network["eip"]


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_equals_the_stock_info_module(first, kind):
    _run, results, _stats = first
    label, key = STOCK[kind]
    stock = dict_tags(results["Read the %s with the stock module" % label][key])
    assert stock, "the stock module read no %s" % kind
    assert results["Read the network of the VPC"][kind] == stock


def test_one_describe_call_per_kind_and_no_write(first):
    run, _results, stats = first
    assert run.writes == [], run.write_summary()
    assert stats["changed"] == 0 and stats["failures"] == 0
    # Each kind once by the module, once by its stock module; nothing else on EC2.
    assert ec2_calls(run) == Counter({action: 2 for action in DESCRIBES.values()})


def test_check_mode_reads_only_what_is_asked_and_sees_a_new_tag(first, network, aws, run_playbook):
    aws("ec2").create_tags(Resources=[network["subnets"]["app"]], Tags=[{"Key": "Tier", "Value": "app"}])
    run = run_playbook(PLAYBOOK, INVENTORY, env=JSON_OUTPUT, args=["--check"],
                       extra_vars={"network_vpc_id": network["vpc"], "network_resources": ["addresses", "subnets"]})
    assert run.rc == 0, run.output[-4000:]
    assert run.writes == [], run.write_summary()
    # Without filters.addresses: the Elastic IPs of the VPC's NAT gateways, read through them.
    assert ec2_calls(run) == Counter({"DescribeSubnets": 1, "DescribeNatGateways": 1, "DescribeAddresses": 1})
    results, stats = parse(run.output)
    read = results["Read the network of the VPC"]
    assert stats["changed"] == 0 and read["changed"] is False
    assert {key for key in read if key in KINDS} == {"subnets", "addresses"}
    assert {s["id"]: s["tags"].get("Tier") for s in read["subnets"]} == {network["subnets"]["public"]: None, network["subnets"]["app"]: "app"}
    assert [a["allocation_id"] for a in read["addresses"]] == [network["eip"]]
