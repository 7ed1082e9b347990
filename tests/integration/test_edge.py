"""Edge layer on the emulator, dev shape: the ecr, ecs_cluster, alb and waf roles of site.yml against
upstream resources this test creates with boto3 (the facts of docs/facts.md passed with -e).

What the molecule scenario (prod-shaped local) does not show: the dev shape (no deletion
protection); a second converge of these roles makes no write call; `--check --diff` on drifted
resources (Container Insights switched off, WAF log redaction removed, a listener rule deleted)
reports the drift and writes nothing; the next converge repairs exactly that; a changed inventory
value (a geo block list) adds the WAF rule with one UpdateWebACL.
"""

from __future__ import annotations

import re

import pytest

TAGS = ["--tags", "ecr,ecs_cluster,alb,waf"]
PROJECT = "edgetest"
PREFIX = f"{PROJECT}-dev"


def recap_changed(output: str) -> int:
    match = re.search(r"^localhost\s+:.*?changed=(\d+)", output, re.M)
    assert match, output[-3000:]
    return int(match.group(1))


@pytest.fixture(scope="module")
def upstream(aws) -> dict:
    """What the kms, vpc and security_groups roles would publish, plus the dev inventory's certificate input."""
    ec2 = aws("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
    public = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.50.{i}.0/24", AvailabilityZone=f"us-east-1{az}")["Subnet"]["SubnetId"]
              for i, az in enumerate("abc", start=1)]
    alb_sg = ec2.create_security_group(GroupName=f"{PREFIX}-sg-alb", Description="alb", VpcId=vpc)["GroupId"]
    key = aws("kms").create_key(Description="edge test")["KeyMetadata"]["Arn"]
    return {
        "cloudplatform_project": PROJECT,
        "kms_key_arn": key,
        "vpc_id": vpc,
        "vpc_subnet_ids": {"public": public, "app": [], "data": []},
        "security_groups_ids": {"alb": alb_sg},
        "alb_certificate_domain": "api.dev.example.com",
    }


@pytest.fixture(scope="module")
def converged(run_playbook, upstream):
    first = run_playbook("site.yml", "inventories/dev", upstream, TAGS)
    assert first.rc == 0, first.output[-4000:]
    return first


def balancer(aws):
    return aws("elbv2").describe_load_balancers(Names=[f"{PREFIX}-alb"])["LoadBalancers"][0]


def test_dev_shape(aws, converged):
    alb = balancer(aws)
    attributes = {a["Key"]: a["Value"] for a in aws("elbv2").describe_load_balancer_attributes(
        LoadBalancerArn=alb["LoadBalancerArn"])["Attributes"]}
    assert attributes["deletion_protection.enabled"] == "false"
    assert attributes["routing.http.drop_invalid_header_fields.enabled"] == "true"
    acl = aws("wafv2").get_web_acl_for_resource(ResourceArn=alb["LoadBalancerArn"])["WebACL"]
    assert acl["Name"] == f"{PREFIX}-waf" and "GeoBlock" not in {r["Name"] for r in acl["Rules"]}
    group = aws("logs").describe_log_groups(logGroupNamePrefix=f"aws-waf-logs-{PREFIX}")["logGroups"][0]
    assert group["retentionInDays"] == 30
    repos = aws("ecr").describe_repositories()["repositories"]
    assert sorted(r["repositoryName"] for r in repos if r["repositoryName"].startswith(PREFIX + "/")) == [
        f"{PREFIX}/api", f"{PREFIX}/ingest", f"{PREFIX}/worker"]


def test_second_converge_makes_no_write_call(run_playbook, upstream, converged):
    second = run_playbook("site.yml", "inventories/dev", upstream, TAGS)
    assert second.rc == 0, second.output[-4000:]
    assert recap_changed(second.output) == 0
    assert second.writes == [], second.write_summary()


def drift(aws):
    ecs = aws("ecs")
    ecs.update_cluster(cluster=f"{PREFIX}-ecs-cluster", settings=[{"name": "containerInsights", "value": "disabled"}])
    elbv2 = aws("elbv2")
    https = next(lst for lst in elbv2.describe_listeners(LoadBalancerArn=balancer(aws)["LoadBalancerArn"])["Listeners"]
                 if lst["Port"] == 443)
    stats = next(r for r in elbv2.describe_rules(ListenerArn=https["ListenerArn"])["Rules"]
                 if not r["IsDefault"] and "/stats" in str(r["Conditions"]))
    elbv2.delete_rule(RuleArn=stats["RuleArn"])
    wafv2 = aws("wafv2")
    acl = wafv2.get_web_acl_for_resource(ResourceArn=balancer(aws)["LoadBalancerArn"])["WebACL"]
    logging = wafv2.get_logging_configuration(ResourceArn=acl["ARN"])["LoggingConfiguration"]
    wafv2.put_logging_configuration(LoggingConfiguration={
        "ResourceArn": acl["ARN"], "LogDestinationConfigs": logging["LogDestinationConfigs"]})


def test_check_diff_shows_drift_and_the_next_converge_repairs_it(run_playbook, upstream, aws, converged):
    drift(aws)
    check = run_playbook("site.yml", "inventories/dev", upstream, [*TAGS, "--check", "--diff"])
    assert check.rc == 0, check.output[-4000:]
    assert check.writes == [], check.write_summary()
    # The diff follows callback_result_format (yaml in ansible.cfg).
    assert re.search(r"(?m)^-\s+container_insights: disabled", check.output), check.output[-4000:]
    assert re.search(r"(?m)^\+\s+container_insights: enabled", check.output)
    assert "single_header" in check.output and recap_changed(check.output) == 3

    repair = run_playbook("site.yml", "inventories/dev", {**upstream, "waf_geo_block_countries": ["kp"]}, TAGS)
    assert repair.rc == 0, repair.output[-4000:]
    assert repair.write_summary() == [
        "ecs:UpdateCluster", "elasticloadbalancing:CreateRule", "wafv2:PutLoggingConfiguration", "wafv2:UpdateWebACL"]
    cluster = aws("ecs").describe_clusters(clusters=[f"{PREFIX}-ecs-cluster"], include=["SETTINGS"])["clusters"][0]
    assert cluster["settings"] == [{"name": "containerInsights", "value": "enabled"}]
    acl = aws("wafv2").get_web_acl_for_resource(ResourceArn=balancer(aws)["LoadBalancerArn"])["WebACL"]
    geo = next(r for r in acl["Rules"] if r["Name"] == "GeoBlock")
    assert geo["Statement"]["GeoMatchStatement"]["CountryCodes"] == ["KP"] and "Block" in geo["Action"]
