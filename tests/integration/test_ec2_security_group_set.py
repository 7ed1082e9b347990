"""cloudplatform.aws.ec2_security_group_set against the emulator: create, no-op, check mode, change, delete.

Three groups that reference each other by name (load balancer -> app -> database) and one group
made outside the set, referenced by id. State is read back with boto3, never from the module's
output; "no write call" is read from the emulator's call log. Rule descriptions are set at
creation only: the emulator answers UpdateSecurityGroupRuleDescriptions* without `Return`
(docs/emulator.md), so that call is covered by the Stubber unit tests.
"""

from __future__ import annotations

import re

import pytest

PLAYBOOK = "tests/integration/playbooks/ec2_security_group_set.yml"
ALB, APP, DB = "sgtest-dev-sg-alb", "sgtest-dev-sg-app", "sgtest-dev-sg-db"


def tcp(port, **source):
    return dict(proto="tcp", from_port=port, to_port=port, **source)


def groups(endpoints, app_environment="dev", alb_ports=(443,)):
    return [
        {"name": ALB, "description": "sgtest load balancer", "tags": {"Name": ALB, "Environment": "dev"},
         "rules": [dict(tcp(port, cidr_ip="0.0.0.0/0"), rule_desc="From the internet") for port in alb_ports],
         "rules_egress": [dict(tcp(8000, group_name=APP), rule_desc="To the app")]},
        {"name": APP, "description": "sgtest application", "tags": {"Name": APP, "Environment": app_environment},
         "rules": [dict(tcp(8000, group_name=ALB), rule_desc="From the load balancer")],
         "rules_egress": [tcp(5432, group_name=DB), tcp(443, group_id=endpoints), tcp(443, cidr_ip="0.0.0.0/0")]},
        {"name": DB, "description": "sgtest database", "tags": {"Name": DB, "Environment": "dev"},
         "rules": [tcp(5432, group_name=APP)], "rules_egress": []},
    ]


@pytest.fixture(scope="module")
def network(aws):
    """A VPC, and a group made outside the set that the app group references by id."""
    vpc = aws("ec2").create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    outside = aws("ec2").create_security_group(GroupName="sgtest-dev-sg-endpoints", Description="endpoints", VpcId=vpc)
    return {"vpc": vpc, "endpoints": outside["GroupId"]}


def converge(run_playbook, network, *args, state="present", **options):
    extra = {"sg_test_vpc_id": network["vpc"], "sg_test_groups": groups(network["endpoints"], **options), "sg_test_state": state}
    run = run_playbook(PLAYBOOK, "inventories/local", extra, list(args))
    assert run.rc == 0, run.output[-4000:]
    return run


def read_back(aws, vpc):
    """{name: (ingress, egress, tags)} with each rule as 'proto/port source[ description]', groups by name."""
    found = aws("ec2").describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["SecurityGroups"]
    names = {g["GroupId"]: g["GroupName"] for g in found}

    def rules(permissions):
        out = set()
        for permission in permissions:
            port = "%s/%s" % (permission["IpProtocol"], permission.get("FromPort", "all"))
            for entry in permission.get("IpRanges", []):
                out.add(" ".join(filter(None, (port, entry["CidrIp"], entry.get("Description")))))
            for entry in permission.get("UserIdGroupPairs", []):
                out.add(" ".join(filter(None, (port, names[entry["GroupId"]], entry.get("Description")))))
        return out

    return {g["GroupName"]: (rules(g["IpPermissions"]), rules(g["IpPermissionsEgress"]), {t["Key"]: t["Value"] for t in g.get("Tags", [])})
            for g in found}


@pytest.fixture(scope="module")
def created(run_playbook, network):
    return converge(run_playbook, network)


def test_first_run_creates_the_groups_with_their_cross_references(aws, network, created):
    state = read_back(aws, network["vpc"])
    assert state[ALB] == ({"tcp/443 0.0.0.0/0 From the internet"}, {"tcp/8000 sgtest-dev-sg-app To the app"}, {"Name": ALB, "Environment": "dev"})
    assert state[APP][0] == {"tcp/8000 sgtest-dev-sg-alb From the load balancer"}
    assert state[APP][1] == {"tcp/5432 sgtest-dev-sg-db", "tcp/443 sgtest-dev-sg-endpoints", "tcp/443 0.0.0.0/0"}
    # The default egress rule AWS gives a new group is gone: rules_egress lists none of it.
    assert state[DB][:2] == ({"tcp/5432 sgtest-dev-sg-app"}, set())
    assert created.write_summary() == ["ec2:AuthorizeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupIngress", "ec2:CreateSecurityGroup",
                                       "ec2:RevokeSecurityGroupEgress"]
    assert sum(c["action"] == "CreateSecurityGroup" for c in created.writes) == 3


def test_second_run_makes_one_read_and_no_write(run_playbook, network, created):
    second = converge(run_playbook, network)
    assert second.changed == 0
    assert second.writes == [], second.write_summary()
    assert [c["action"] for c in second.calls if c["service"] == "ec2"] == ["DescribeSecurityGroups"]


def test_check_mode_reports_the_change_and_writes_nothing(run_playbook, aws, network, created):
    check = converge(run_playbook, network, "--check", "--diff", app_environment="staging", alb_ports=(443, 80))
    assert check.changed == 1
    assert check.writes == [], check.write_summary()
    assert f"before: security groups {ALB}, {APP}" in check.output
    assert re.search(r"(?m)^-\s+Environment: dev", check.output) and re.search(r"(?m)^\+\s+Environment: staging", check.output)
    assert re.search(r"(?m)^\+\s+from_port: 80$", check.output), check.output[-4000:]
    assert read_back(aws, network["vpc"])[APP][2]["Environment"] == "dev"


def test_a_change_is_applied_with_only_its_calls(run_playbook, aws, network, created):
    change = converge(run_playbook, network, app_environment="staging", alb_ports=(80,))
    assert change.changed == 1
    assert change.write_summary() == ["ec2:AuthorizeSecurityGroupIngress", "ec2:CreateTags", "ec2:RevokeSecurityGroupIngress"]
    state = read_back(aws, network["vpc"])
    assert state[ALB][0] == {"tcp/80 0.0.0.0/0 From the internet"}
    assert state[APP][2] == {"Name": APP, "Environment": "staging"}


def test_absent_deletes_the_groups_that_reference_each_other(run_playbook, aws, network, created):
    gone = converge(run_playbook, network, state="absent")
    assert gone.changed == 1
    assert gone.write_summary() == ["ec2:DeleteSecurityGroup", "ec2:RevokeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress"]
    assert set(read_back(aws, network["vpc"])) == {"default", "sgtest-dev-sg-endpoints"}
