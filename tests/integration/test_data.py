"""Data tier on the emulator, dev shape: the rds and elasticache roles of site.yml against upstream
resources this test creates with boto3 (the facts of docs/facts.md passed with -e).

Checks, reading state back with boto3: db.t3.micro single-AZ with 7-day retention and one Redis
node; a second converge changes and writes nothing; `--check --diff` on a changed inventory value
shows the change without a write; applying it issues ModifyReplicationGroup / ModifyDBInstance;
a teardown refuses to delete a protected database until the operator confirms, then deletes all.
"""

from __future__ import annotations

import json
import re
import urllib.request

import pytest

TAGS = ["--tags", "rds,elasticache"]
PREFIX = "cloudplatform-dev"
DB_ID = f"{PREFIX}-rds-postgres"
REDIS_ID = f"{PREFIX}-redis"
SECRET_PASSWORD = "Integration-Test-Password-7f3c"
SECRET_TOKEN = "integration-test-auth-token-0123456789"
# Seconds the emulator takes to create the database and the Redis group in the first converge.
PROVISIONING = {"rds": 45, "elasticache": 10}


@pytest.fixture(scope="module")
def upstream(aws) -> dict:
    """What the kms, vpc, security_groups, secrets and iam roles would publish."""
    ec2 = aws("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.40.2{i}.0/24", AvailabilityZone=f"us-east-1{az}")["Subnet"]["SubnetId"]
               for i, az in enumerate("abc", start=1)]
    sgs = {name: ec2.create_security_group(GroupName=f"{PREFIX}-data-test-{name}", Description=name, VpcId=vpc)["GroupId"]
           for name in ("rds", "redis")}
    key = aws("kms").create_key(Description="data tier test")["KeyMetadata"]["Arn"]
    secrets = aws("secretsmanager")
    db_secret = secrets.create_secret(Name="/dev/data-test/database/credentials", KmsKeyId=key, SecretString=json.dumps(
        {"username": "platform_admin", "password": SECRET_PASSWORD}))["ARN"]
    redis_secret = secrets.create_secret(Name="/dev/data-test/redis/auth-token", KmsKeyId=key,
                                         SecretString=json.dumps({"token": SECRET_TOKEN}))["ARN"]
    role = aws("iam").create_role(RoleName=f"{PREFIX}-data-test-rds-monitoring", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "monitoring.rds.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }))["Role"]["Arn"]
    return {
        "kms_key_arn": key,
        "vpc_subnet_ids": {"public": [], "app": [], "data": subnets},
        "security_groups_ids": sgs,
        "secrets_arns": {"database_credentials": db_secret, "redis_auth_token": redis_secret},
        "iam_role_arns": {"rds_monitoring": role},
    }


def provisioning(endpoint: str, **seconds) -> None:
    """Set how long what the emulator creates next stays creating (tools/emulator_provisioning.py)."""
    query = "&".join(f"{kind}={value}" for kind, value in seconds.items())
    with urllib.request.urlopen(f"{endpoint}/_cloudplatform/provisioning?{query}", timeout=10):  # noqa: S310
        pass


@pytest.fixture(scope="module")
def converged(run_playbook, upstream, endpoint):
    # The first converge meets a database and a Redis group that take PROVISIONING seconds to
    # become available, as on AWS (minutes there), so the roles' wait loops run for real.
    provisioning(endpoint, **PROVISIONING)
    try:
        first = run_playbook("site.yml", "inventories/dev", args=TAGS, extra_vars={
            **upstream, "rds_wait_poll_interval": 2, "elasticache_wait_poll_interval": 2})
    finally:
        provisioning(endpoint, rds=0, elasticache=0)
    assert first.rc == 0, first.output[-5000:]
    second = run_playbook("site.yml", "inventories/dev", extra_vars=upstream, args=TAGS)
    assert second.rc == 0, second.output[-5000:]
    return first, second


def db(aws) -> dict:
    return aws("rds").describe_db_instances(DBInstanceIdentifier=DB_ID)["DBInstances"][0]


def redis(aws) -> dict:
    return aws("elasticache").describe_replication_groups(ReplicationGroupId=REDIS_ID)["ReplicationGroups"][0]


def test_dev_database_shape(converged, aws, upstream):
    instance = db(aws)
    assert instance["DBInstanceClass"] == "db.t3.micro"
    assert instance["MultiAZ"] is False
    assert instance["BackupRetentionPeriod"] == 7
    assert instance["PreferredBackupWindow"] == "03:00-04:00"
    assert instance["DeletionProtection"] is False
    assert instance["PubliclyAccessible"] is False
    assert instance["StorageEncrypted"] is True
    assert instance["KmsKeyId"] == upstream["kms_key_arn"]
    assert instance["IAMDatabaseAuthenticationEnabled"] is True
    assert instance["MonitoringInterval"] == 0
    assert instance.get("PerformanceInsightsEnabled") is False
    assert instance["MasterUsername"] == "platform_admin"
    assert [g["VpcSecurityGroupId"] for g in instance["VpcSecurityGroups"]] == [upstream["security_groups_ids"]["rds"]]
    assert sorted(s["SubnetIdentifier"] for s in instance["DBSubnetGroup"]["Subnets"]) == sorted(upstream["vpc_subnet_ids"]["data"])


def test_dev_redis_is_one_encrypted_node_with_auth(converged, aws, upstream):
    group = redis(aws)
    assert group["CacheNodeType"] == "cache.t3.micro"
    assert len(group["NodeGroups"][0]["NodeGroupMembers"]) == 1
    assert group["MultiAZ"] == "disabled"
    assert group["AutomaticFailover"] == "disabled"
    assert group["TransitEncryptionEnabled"] is True
    assert group["AtRestEncryptionEnabled"] is True
    assert group["KmsKeyId"] == upstream["kms_key_arn"]
    assert group["AuthTokenEnabled"] is True
    assert group["SnapshotRetentionLimit"] == 1


def test_secrets_never_reach_the_output(converged):
    for run in converged:
        assert SECRET_PASSWORD not in run.output
        assert SECRET_TOKEN not in run.output


def test_redis_is_started_while_the_database_is_still_being_created(converged):
    """site.yml starts both data stores, then waits for both: the waits overlap instead of adding up."""
    calls = converged[0].calls
    seq = {c["action"]: c["ts"] for c in reversed(calls) if c.get("action") in ("CreateDBInstance", "CreateReplicationGroup")}
    assert set(seq) == {"CreateDBInstance", "CreateReplicationGroup"}, [c.get("action") for c in calls]
    # Redis was created while the database was still being created: the rds role did not wait.
    assert seq["CreateReplicationGroup"] - seq["CreateDBInstance"] < PROVISIONING["rds"]
    # The database wait loop polled after Redis was created (the database was still creating then).
    after = [c["action"] for c in calls if c["ts"] > seq["CreateReplicationGroup"]]
    assert after.count("DescribeDBInstances") >= 2 and after.count("DescribeReplicationGroups") >= 1, after


def test_second_converge_changes_nothing_and_writes_nothing(converged):
    second = converged[1]
    assert second.changed == 0, second.output[-5000:]
    assert second.writes == [], second.write_summary()


def test_check_diff_shows_a_changed_node_type_without_writing(converged, run_playbook, upstream, aws):
    run = run_playbook("site.yml", "inventories/dev", extra_vars={**upstream, "elasticache_node_type": "cache.t3.small"},
                       args=[*TAGS, "--check", "--diff"])
    assert run.rc == 0, run.output[-5000:]
    assert run.changed == 1, run.output[-5000:]
    assert re.search(r'^-\s+"?node_type"?: "?cache\.t3\.micro', run.output, re.M), run.output[-5000:]
    assert re.search(r'^\+\s+"?node_type"?: "?cache\.t3\.small', run.output, re.M), run.output[-5000:]
    assert run.writes == [], run.write_summary()
    assert redis(aws)["CacheNodeType"] == "cache.t3.micro"


def test_changed_inventory_values_are_applied(converged, run_playbook, upstream, aws):
    changes = {"elasticache_node_type": "cache.t3.small", "rds_instance_class": "db.t3.small", "rds_deletion_protection": True}
    run = run_playbook("site.yml", "inventories/dev", extra_vars={**upstream, **changes}, args=TAGS)
    assert run.rc == 0, run.output[-5000:]
    assert {"elasticache:ModifyReplicationGroup", "rds:ModifyDBInstance"} <= set(run.write_summary()), run.write_summary()
    assert redis(aws)["CacheNodeType"] == "cache.t3.small"
    assert db(aws)["DBInstanceClass"] == "db.t3.small"
    assert db(aws)["DeletionProtection"] is True


def test_teardown_deletes_a_protected_database_only_when_confirmed(converged, run_playbook, upstream, aws):
    absent = {**upstream, "cloudplatform_state": "absent", "rds_deletion_protection": True}
    refused = run_playbook("site.yml", "inventories/dev", extra_vars=absent, args=TAGS)
    assert refused.rc != 0
    assert f"{DB_ID} has deletion protection on. Pass -e teardown_confirm=dev" in refused.output
    assert refused.writes == [], refused.write_summary()
    assert db(aws)["DeletionProtection"] is True

    confirmed = run_playbook("site.yml", "inventories/dev", extra_vars={**absent, "teardown_confirm": "dev"}, args=TAGS)
    assert confirmed.rc == 0, confirmed.output[-5000:]
    assert aws("rds").describe_db_instances(Filters=[{"Name": "db-instance-id", "Values": [DB_ID]}])["DBInstances"] == []
    snapshots = aws("rds").describe_db_snapshots(DBInstanceIdentifier=DB_ID)["DBSnapshots"]
    assert [s["DBSnapshotIdentifier"] for s in snapshots if s["DBSnapshotIdentifier"].startswith(f"{DB_ID}-final-")]
    assert REDIS_ID not in [g["ReplicationGroupId"] for g in aws("elasticache").describe_replication_groups()["ReplicationGroups"]]
    assert f"{PREFIX}-dbsubnets-data" not in [g["DBSubnetGroupName"] for g in aws("rds").describe_db_subnet_groups()["DBSubnetGroups"]]
    assert f"{PREFIX}-cachesubnets-data" not in [
        g["CacheSubnetGroupName"] for g in aws("elasticache").describe_cache_subnet_groups()["CacheSubnetGroups"]]
