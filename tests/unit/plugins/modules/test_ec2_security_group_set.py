"""cloudplatform.aws.ec2_security_group_set against a botocore Stubber on the real EC2 model.

Every request is checked against the EC2 service model and the exact parameters; a call the test
did not queue fails the test, so "no write call" is asserted by the absence of queued writes. The
rule-description update (UpdateSecurityGroupRuleDescriptions*), which the emulator answers without
`Return`, is covered here only.
"""

from __future__ import annotations

import pytest
from _edge_fakes import FailJson, FakeModule, stubbed
from ansible_collections.amazon.aws.plugins.module_utils.ec2 import AnsibleEC2Error

from ansible_collections.cloudplatform.aws.plugins.module_utils import ec2_security_groups as utils
from ansible_collections.cloudplatform.aws.plugins.modules import ec2_security_group_set as module

ACCOUNT = "123456789012"
VPC = "vpc-0123456789abcdef0"
ALB, APP = "cp-sg-alb", "cp-sg-app"
ALB_ID, APP_ID = "sg-0aaaaaaaaaaaaaaa1", "sg-0bbbbbbbbbbbbbbb2"
ENDPOINTS_ID = "sg-0ccccccccccccccc3"
OK = {"Return": True}


def rule(**values):
    """One rules item as Ansible hands it to the module (unset suboptions are None)."""
    base = dict(proto="tcp", from_port=None, to_port=None, ports=None, icmp_type=None, icmp_code=None, cidr_ip=None, cidr_ipv6=None,
                ip_prefix=None, group_id=None, group_name=None, rule_desc=None)
    base.update(values)
    return base


def group(name, **values):
    base = dict(name=name, description=None, tags=None, purge_tags=True, rules=None, rules_egress=None, purge_rules=True, purge_rules_egress=True)
    base.update(values)
    return base


def wanted_alb(**values):
    return group(ALB, **dict(dict(description="cp load balancer", tags={"Name": ALB},
                                  rules=[rule(from_port=443, to_port=443, cidr_ip=["0.0.0.0/0"], rule_desc="HTTPS")],
                                  rules_egress=[rule(from_port=8000, to_port=8000, group_name=[APP], rule_desc="To app")]), **values))


def wanted_app(**values):
    return group(APP, **dict(dict(description="cp application", tags={"Name": APP},
                                  rules=[rule(from_port=8000, to_port=8000, group_name=[ALB], rule_desc="From ALB")],
                                  rules_egress=[rule(from_port=443, to_port=443, cidr_ip=["0.0.0.0/0"], rule_desc="HTTPS out")]), **values))


def params(*groups, state="present"):
    return dict(vpc_id=VPC, security_groups=list(groups) or [wanted_alb(), wanted_app()], state=state)


def perm(port=None, proto="tcp", cidr=None, group_id=None, desc=None, to_port=None):
    """One IpPermission as DescribeSecurityGroups answers it."""
    permission = {"IpProtocol": proto, "IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}
    if port is not None:
        permission.update(FromPort=port, ToPort=port if to_port is None else to_port)
    entry = {"CidrIp": cidr} if cidr else {"GroupId": group_id, "UserId": ACCOUNT}
    if desc:
        entry["Description"] = desc
    permission["IpRanges" if cidr else "UserIdGroupPairs"].append(entry)
    return permission


def live(name, group_id, ingress=(), egress=(), tags=None, description=None):
    return {"GroupName": name, "GroupId": group_id, "Description": description or {ALB: "cp load balancer", APP: "cp application"}.get(name, "d"),
            "VpcId": VPC, "OwnerId": ACCOUNT, "IpPermissions": list(ingress), "IpPermissionsEgress": list(egress),
            "Tags": [{"Key": k, "Value": v} for k, v in (tags if tags is not None else {"Name": name}).items()]}


def live_alb(**values):
    return live(ALB, ALB_ID, **dict(dict(ingress=[perm(443, cidr="0.0.0.0/0", desc="HTTPS")], egress=[perm(8000, group_id=APP_ID, desc="To app")]),
                                    **values))


def live_app(**values):
    return live(APP, APP_ID, **dict(dict(ingress=[perm(8000, group_id=ALB_ID, desc="From ALB")], egress=[perm(443, cidr="0.0.0.0/0", desc="HTTPS out")]),
                                    **values))


DEFAULT_EGRESS = perm(proto="-1", cidr="0.0.0.0/0")


def read(stub, groups, names=(ALB, APP)):
    filters = [{"Name": "vpc-id", "Values": [VPC]}, {"Name": "group-name", "Values": list(names)}]
    stub.add_response("describe_security_groups", {"SecurityGroups": groups}, {"Filters": filters})


class FailJsonAws(Exception):
    def __init__(self, error):
        super().__init__(str(error))
        self.error = error


class Module(FakeModule):
    def fail_json_aws_error(self, error):
        raise FailJsonAws(error)


def converge(client, stub, *groups, check_mode=False, state="present"):
    with stub:
        result = module.run(Module(params(*groups, state=state), check_mode), client)
        stub.assert_no_pending_responses()
    return result


@pytest.mark.parametrize("check_mode", [False, True])
def test_converged_set_makes_one_read_and_no_write(check_mode):
    client, stub = stubbed("ec2")
    read(stub, [live_alb(), live_app()])
    result = converge(client, stub, check_mode=check_mode)
    assert result["changed"] is False
    assert result["created"] == result["updated"] == result["deleted"] == []
    assert result["diff"] == {"before": {}, "after": {}}
    assert [(g["group_name"], g["group_id"]) for g in result["security_groups"]] == [(ALB, ALB_ID), (APP, APP_ID)]
    assert result["security_groups"][0]["tags"] == {"Name": ALB}
    assert result["security_groups"][0]["ip_permissions_egress"][0]["user_id_group_pairs"][0]["group_id"] == APP_ID


def tag_spec(name):
    return [{"ResourceType": "security-group", "Tags": [{"Key": "Name", "Value": name}]}]


def test_creates_the_groups_then_applies_rules_that_reference_each_other():
    client, stub = stubbed("ec2")
    read(stub, [])
    stub.add_response("create_security_group", {"GroupId": ALB_ID},
                      {"GroupName": ALB, "Description": "cp load balancer", "VpcId": VPC, "TagSpecifications": tag_spec(ALB)})
    stub.add_response("create_security_group", {"GroupId": APP_ID},
                      {"GroupName": APP, "Description": "cp application", "VpcId": VPC, "TagSpecifications": tag_spec(APP)})
    stub.add_response("describe_security_groups", {"SecurityGroups": [live(ALB, ALB_ID, egress=[DEFAULT_EGRESS]), live(APP, APP_ID, egress=[DEFAULT_EGRESS])]},
                      {"GroupIds": [ALB_ID, APP_ID]})
    default_egress = [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    stub.add_response("authorize_security_group_ingress", OK, {"GroupId": ALB_ID, "IpPermissions": [
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "HTTPS"}]}]})
    stub.add_response("authorize_security_group_egress", OK, {"GroupId": ALB_ID, "IpPermissions": [
        {"IpProtocol": "tcp", "FromPort": 8000, "ToPort": 8000, "UserIdGroupPairs": [{"GroupId": APP_ID, "Description": "To app"}]}]})
    stub.add_response("revoke_security_group_egress", OK, {"GroupId": ALB_ID, "IpPermissions": default_egress})
    stub.add_response("authorize_security_group_ingress", OK, {"GroupId": APP_ID, "IpPermissions": [
        {"IpProtocol": "tcp", "FromPort": 8000, "ToPort": 8000, "UserIdGroupPairs": [{"GroupId": ALB_ID, "Description": "From ALB"}]}]})
    stub.add_response("authorize_security_group_egress", OK, {"GroupId": APP_ID, "IpPermissions": [
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "HTTPS out"}]}]})
    stub.add_response("revoke_security_group_egress", OK, {"GroupId": APP_ID, "IpPermissions": default_egress})
    read(stub, [live_alb(), live_app()])
    result = converge(client, stub)
    assert result["changed"] is True and result["created"] == [ALB, APP] and result["updated"] == []
    assert [g["group_id"] for g in result["security_groups"]] == [ALB_ID, APP_ID]
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"][ALB]["rules_egress"] == [{"proto": "tcp", "from_port": 8000, "to_port": 8000, "group_id": APP_ID,
                                                              "group_name": APP, "rule_desc": "To app"}]


def test_check_mode_plans_new_groups_by_name_without_writing():
    client, stub = stubbed("ec2")
    read(stub, [live_app(ingress=[])])
    result = converge(client, stub, check_mode=True)
    assert result["changed"] is True and result["created"] == [ALB] and result["updated"] == [APP]
    planned = result["security_groups"][0]
    assert planned["group_id"] is None and planned["group_name"] == ALB and planned["tags"] == {"Name": ALB}
    # The rule to the existing group uses its id; the default egress rule AWS would add is planned away.
    assert planned["ip_permissions_egress"] == [{"ip_protocol": "tcp", "from_port": 8000, "to_port": 8000,
                                                 "user_id_group_pairs": [{"group_id": APP_ID, "description": "To app"}]}]
    assert result["diff"]["after"][ALB]["rules"] == [{"proto": "tcp", "from_port": 443, "to_port": 443, "cidr_ip": "0.0.0.0/0", "rule_desc": "HTTPS"}]


def test_check_mode_names_the_group_it_would_create_in_the_rules_of_an_existing_group():
    client, stub = stubbed("ec2")
    read(stub, [live_alb(egress=[])])
    result = converge(client, stub, check_mode=True)
    assert result["created"] == [APP] and result["updated"] == [ALB]
    assert result["diff"]["before"][ALB]["rules_egress"] == []
    assert result["diff"]["after"][ALB]["rules_egress"] == [{"proto": "tcp", "from_port": 8000, "to_port": 8000, "group_name": APP,
                                                              "rule_desc": "To app"}]
    alb = result["security_groups"][0]
    assert alb["group_id"] == ALB_ID
    assert alb["ip_permissions_egress"][0]["user_id_group_pairs"] == [{"group_name": APP, "description": "To app"}]
    assert result["security_groups"][1]["group_id"] is None


@pytest.mark.parametrize("check_mode", [False, True])
def test_only_the_rule_differences_are_written(check_mode):
    """A missing rule is authorized, a changed description updated, an unlisted rule revoked, in one call each."""
    client, stub = stubbed("ec2")
    alb = wanted_alb(rules=[rule(ports=["443"], cidr_ip=["0.0.0.0/0"], rule_desc="HTTPS"),
                            rule(from_port=80, cidr_ip=["0.0.0.0/0"], rule_desc="HTTP")])
    drifted = live_alb()
    drifted["IpPermissions"] = [perm(443, cidr="0.0.0.0/0", desc="old"), perm(22, cidr="0.0.0.0/0", desc="ssh")]
    read(stub, [drifted, live_app()])
    if not check_mode:
        stub.add_response("authorize_security_group_ingress", OK, {"GroupId": ALB_ID, "IpPermissions": [
            {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "HTTP"}]}]})
        stub.add_response("update_security_group_rule_descriptions_ingress", OK, {"GroupId": ALB_ID, "IpPermissions": [
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "HTTPS"}]}]})
        stub.add_response("revoke_security_group_ingress", OK, {"GroupId": ALB_ID, "IpPermissions": [
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "ssh"}]}]})
        read(stub, [live_alb(), live_app()])
    result = converge(client, stub, alb, wanted_app(), check_mode=check_mode)
    assert result["changed"] is True and result["updated"] == [ALB] and result["created"] == []
    before, after = result["diff"]["before"][ALB]["rules"], result["diff"]["after"][ALB]["rules"]
    assert {(r["from_port"], r.get("rule_desc")) for r in before} == {(443, "old"), (22, "ssh")}
    assert {(r["from_port"], r.get("rule_desc")) for r in after} == {(443, "HTTPS"), (80, "HTTP")}
    assert list(result["diff"]["after"]) == [ALB]
    assert result["diff"]["before_header"] == f"security groups {ALB}"


@pytest.mark.parametrize("check_mode", [False, True])
def test_tag_drift_is_fixed_without_touching_the_rules(check_mode):
    client, stub = stubbed("ec2")
    read(stub, [live_alb(tags={"Name": ALB, "Stale": "x"}), live_app()])
    if not check_mode:
        stub.add_response("delete_tags", {}, {"Resources": [ALB_ID], "Tags": [{"Key": "Stale"}]})
        stub.add_response("create_tags", {}, {"Resources": [ALB_ID], "Tags": [{"Key": "Env", "Value": "prod"}]})
        read(stub, [live_alb(tags={"Name": ALB, "Env": "prod"}), live_app()])
    result = converge(client, stub, wanted_alb(tags={"Name": ALB, "Env": "prod"}), wanted_app(), check_mode=check_mode)
    assert result["updated"] == [ALB]
    assert result["diff"]["before"][ALB]["tags"] == {"Name": ALB, "Stale": "x"}
    assert result["diff"]["after"][ALB]["tags"] == {"Name": ALB, "Env": "prod"}
    assert result["security_groups"][0]["tags"] == {"Name": ALB, "Env": "prod"}


def test_without_purge_unlisted_rules_and_tags_stay():
    client, stub = stubbed("ec2")
    extra = live_alb(tags={"Name": ALB, "Owner": "team"})
    extra["IpPermissions"].append(perm(22, cidr="10.0.0.0/8"))
    extra["IpPermissionsEgress"].append(DEFAULT_EGRESS)
    read(stub, [extra, live_app()])
    result = converge(client, stub, wanted_alb(purge_rules=False, purge_rules_egress=False, purge_tags=False), wanted_app())
    assert result["changed"] is False


def test_unset_options_are_not_compared():
    """No rules, egress rules, tags or description given: whatever the group has stays."""
    client, stub = stubbed("ec2")
    other = live(ALB, ALB_ID, [perm(22, cidr="10.0.0.0/8")], [DEFAULT_EGRESS], tags={"Owner": "team"}, description="anything")
    read(stub, [other], names=[ALB])
    result = converge(client, stub, group(ALB))
    assert result["changed"] is False
    assert result["security_groups"][0]["description"] == "anything"


def test_an_empty_list_with_purge_revokes_every_rule_of_that_direction():
    client, stub = stubbed("ec2")
    read(stub, [live_alb()], names=[ALB])
    stub.add_response("revoke_security_group_egress", OK, {"GroupId": ALB_ID, "IpPermissions": [
        {"IpProtocol": "tcp", "FromPort": 8000, "ToPort": 8000, "UserIdGroupPairs": [{"GroupId": APP_ID, "Description": "To app"}]}]})
    read(stub, [live(ALB, ALB_ID, live_alb()["IpPermissions"], [])], names=[ALB])
    result = converge(client, stub, group(ALB, rules_egress=[]))
    assert result["updated"] == [ALB]
    assert result["security_groups"][0]["ip_permissions_egress"] == []


def test_equivalent_spellings_are_converged():
    """Protocol numbers, host bits, IPv6 case, ICMP defaults and ports on 'all' compare equal to what AWS answers."""
    client, stub = stubbed("ec2")
    rules = [rule(proto="6", from_port=5432, cidr_ip=["10.0.0.5/24"]), rule(proto="icmp", cidr_ip=["10.0.0.0/16"], rule_desc=""),
             rule(proto="all", from_port=0, to_port=65535, cidr_ipv6=["2001:DB8::/32"]),
             rule(proto="udp", ports=["53", "1000-2000"], prefix_list_id=None, ip_prefix=["pl-1234"])]
    answered = [perm(5432, cidr="10.0.0.0/24", desc="kept when rule_desc is unset"), perm(-1, proto="icmp", cidr="10.0.0.0/16"),
                {"IpProtocol": "-1", "Ipv6Ranges": [{"CidrIpv6": "2001:db8::/32"}]},
                {"IpProtocol": "udp", "FromPort": 53, "ToPort": 53, "PrefixListIds": [{"PrefixListId": "pl-1234"}]},
                {"IpProtocol": "udp", "FromPort": 1000, "ToPort": 2000, "PrefixListIds": [{"PrefixListId": "pl-1234"}]}]
    read(stub, [live(ALB, ALB_ID, answered, [DEFAULT_EGRESS])], names=[ALB])
    spec = group(ALB, rules=[{k: v for k, v in r.items() if k != "prefix_list_id"} for r in rules],
                 rules_egress=[rule(proto="-1", cidr_ip=["0.0.0.0/0"])])
    result = converge(client, stub, spec)
    assert result["changed"] is False


def test_a_description_that_differs_fails_before_any_write():
    client, stub = stubbed("ec2")
    read(stub, [live_alb(description="something else"), live_app()])
    with pytest.raises(FailJson, match=r"security_groups\[0\] \(cp-sg-alb\): the description cannot change in place .*"
                                       r"current 'something else', wanted 'cp load balancer'"):
        converge(client, stub, check_mode=False)


def test_a_missing_group_without_description_fails_before_any_write():
    client, stub = stubbed("ec2")
    read(stub, [live_alb()])
    with pytest.raises(FailJson, match=r"security_groups\[1\] \(cp-sg-app\)\.description: required to create the group"):
        converge(client, stub, wanted_alb(), wanted_app(description=None))


@pytest.mark.parametrize("spec, message", [
    (group(ALB, rules=[rule(proto="tcpp", from_port=1, cidr_ip=["0.0.0.0/0"])]),
     r"security_groups\[0\]\.rules\[0\]\.proto: 'tcpp' is not a protocol; expected tcp, udp, icmp, icmpv6, all"),
    (group(ALB, rules=[rule(from_port=70000, cidr_ip=["0.0.0.0/0"])]), r"rules\[0\]\.from_port: 70000 is not a port; expected 0-65535"),
    (group(ALB, rules=[rule(from_port=90, to_port=80, cidr_ip=["0.0.0.0/0"])]), r"from_port 90 is above to_port 80"),
    (group(ALB, rules=[rule(cidr_ip=["0.0.0.0/0"])]), r"proto tcp needs from_port \(and to_port\) or ports"),
    (group(ALB, rules=[rule(ports=["80"], from_port=80, cidr_ip=["0.0.0.0/0"])]), r"give ports or from_port/to_port, not both"),
    (group(ALB, rules=[rule(ports=["80-x"], cidr_ip=["0.0.0.0/0"])]), r"ports: '80-x' is not a port or range"),
    (group(ALB, rules_egress=[rule(from_port=80, cidr_ip=["0.0.0.0/0"], group_id=["sg-1"])]),
     r"rules_egress\[0\]: give exactly one of cidr_ip, cidr_ipv6, ip_prefix, group_id, group_name \(got cidr_ip, group_id\)"),
    (group(ALB, rules=[rule(from_port=80)]), r"give exactly one of .* \(got none\)"),
    (group(ALB, rules=[rule(from_port=80, group_name=["cp-sg-other"])]),
     r"rules\[0\]\.group_name: 'cp-sg-other' is not a group of security_groups; expected one of: cp-sg-alb"),
    (group(ALB, rules=[rule(from_port=80, cidr_ip=["10.0.0.0/33"])]), r"cidr_ip: '10.0.0.0/33' is not an IPv4 CIDR"),
    (group(ALB, rules=[rule(from_port=80, cidr_ipv6=["10.0.0.0/8"])]), r"cidr_ipv6: '10.0.0.0/8' is not an IPv6 CIDR"),
    (group(ALB, rules=[rule(from_port=80, group_id=["cp-sg-alb"])]), r"group_id: 'cp-sg-alb' is not a security group id; expected sg-"),
    (group(ALB, rules=[rule(from_port=80, ip_prefix=["prefix"])]), r"ip_prefix: 'prefix' is not a prefix list id; expected pl-"),
    (group(ALB, rules=[rule(proto="icmp", icmp_type=300, cidr_ip=["0.0.0.0/0"])]), r"icmp_type: 300 is not an ICMP type or code"),
    (group(ALB, rules=[rule(icmp_type=8, from_port=1, cidr_ip=["0.0.0.0/0"])]), r"icmp_type/icmp_code need proto icmp or icmpv6, not tcp"),
    (group(ALB, rules=[rule(from_port=80, cidr_ip=["0.0.0.0/0"], rule_desc="a"), rule(ports=["80"], cidr_ip=["0.0.0.0/0"], rule_desc="b")]),
     r"rules\[1\]: the same rule is listed twice with the descriptions 'a' and 'b'"),
    (group("sg-alb"), r"security_groups\[0\]\.name: 'sg-alb' is not a security group name"),
])
def test_bad_input_fails_before_any_call(spec, message):
    client, stub = stubbed("ec2")
    with pytest.raises(FailJson, match=message):
        converge(client, stub, spec)


def test_a_name_listed_twice_is_refused():
    client, stub = stubbed("ec2")
    with pytest.raises(FailJson, match=r"security_groups\[1\]\.name: 'cp-sg-alb' is listed twice \(first as security_groups\[0\]\)"):
        converge(client, stub, group(ALB), group(ALB))


def test_every_bad_value_is_reported_at_once():
    client, stub = stubbed("ec2")
    with pytest.raises(FailJson) as failure:
        converge(client, stub, group(ALB, rules=[rule(from_port=-5, cidr_ip=["0.0.0.0/0"])]), group(APP, rules_egress=[rule(proto="x")]))
    assert "security_groups[0].rules[0].from_port" in str(failure.value) and "security_groups[1].rules_egress[0].proto" in str(failure.value)


def test_a_client_error_is_raised_with_the_action():
    client, stub = stubbed("ec2")
    read(stub, [live_alb(egress=[]), live_app()])
    stub.add_client_error("authorize_security_group_egress", "InvalidGroup.NotFound", "The security group 'sg-0bbbbbbbbbbbbbbb2' does not exist",
                          expected_params={"GroupId": ALB_ID, "IpPermissions": [
                              {"IpProtocol": "tcp", "FromPort": 8000, "ToPort": 8000, "UserIdGroupPairs": [{"GroupId": APP_ID, "Description": "To app"}]}]})
    with pytest.raises(FailJsonAws) as failure:
        converge(client, stub)
    assert isinstance(failure.value.error, AnsibleEC2Error)
    assert "authorize security group egress" in str(failure.value.error)
    assert failure.value.error.exception.response["Error"]["Code"] == "InvalidGroup.NotFound"


@pytest.mark.parametrize("check_mode", [False, True])
def test_absent_revokes_the_cross_references_then_deletes(check_mode):
    client, stub = stubbed("ec2")
    alb = live_alb()
    app = live_app()
    app["IpPermissions"].append(perm(9000, group_id=APP_ID, desc="self"))
    app["IpPermissionsEgress"].append(perm(443, group_id=ENDPOINTS_ID))
    read(stub, [alb, app], names=[ALB, APP, "cp-sg-gone"])
    if not check_mode:
        stub.add_response("revoke_security_group_egress", OK, {"GroupId": ALB_ID, "IpPermissions": [
            {"IpProtocol": "tcp", "FromPort": 8000, "ToPort": 8000, "UserIdGroupPairs": [{"GroupId": APP_ID, "Description": "To app"}]}]})
        stub.add_response("revoke_security_group_ingress", OK, {"GroupId": APP_ID, "IpPermissions": [
            {"IpProtocol": "tcp", "FromPort": 8000, "ToPort": 8000, "UserIdGroupPairs": [{"GroupId": ALB_ID, "Description": "From ALB"}]}]})
        stub.add_response("delete_security_group", {}, {"GroupId": ALB_ID})
        stub.add_response("delete_security_group", {}, {"GroupId": APP_ID})
    result = converge(client, stub, group(ALB), group(APP), group("cp-sg-gone"), state="absent", check_mode=check_mode)
    assert result["changed"] is True and result["deleted"] == [ALB, APP]
    assert result["security_groups"] == []
    assert set(result["diff"]["before"]) == {ALB, APP} and result["diff"]["after"] == {}


def test_absent_with_nothing_left_changes_nothing():
    client, stub = stubbed("ec2")
    read(stub, [], names=[ALB])
    result = converge(client, stub, group(ALB), state="absent")
    assert result["changed"] is False and result["deleted"] == []


# The rule model on its own.


def test_a_rule_item_stands_for_one_rule_per_port_range_and_source():
    parsed = utils.parse_rules([rule(ports=["80", "8000-8080"], cidr_ip=["10.0.0.0/8", "192.168.0.0/16"], rule_desc="web")], "rules", set())
    assert set(parsed) == {utils.Rule("tcp", low, high, "cidr_ip", cidr) for low, high in ((80, 80), (8000, 8080))
                           for cidr in ("10.0.0.0/8", "192.168.0.0/16")}
    assert utils.to_permissions(parsed) == [
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80,
         "IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": "web"}, {"CidrIp": "192.168.0.0/16", "Description": "web"}]},
        {"IpProtocol": "tcp", "FromPort": 8000, "ToPort": 8080,
         "IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": "web"}, {"CidrIp": "192.168.0.0/16", "Description": "web"}]},
    ]


def test_created_groups_are_read_back_by_id_retrying_until_visible(monkeypatch):
    """A new group id may not be visible at once: the read-back retries on InvalidGroup.NotFound."""
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    client, stub = stubbed("ec2")
    stub.add_client_error("describe_security_groups", "InvalidGroup.NotFound", "not yet", expected_params={"GroupIds": [ALB_ID]})
    stub.add_response("describe_security_groups", {"SecurityGroups": [live_alb()]}, {"GroupIds": [ALB_ID]})
    with stub:
        assert utils.describe_created_security_groups(client, [ALB_ID])[0]["GroupId"] == ALB_ID
        stub.assert_no_pending_responses()
