"""Security layer (issue 4) against the emulator: KMS, security groups, secrets, IAM.

One converge of the security roles at -vvv and a second converge back to back (module scope),
reusing a VPC made here so the slower network layer does not run. Everything is read back
through the AWS API.
"""

from __future__ import annotations

import json
import re
import string
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import policy_audit  # noqa: E402

INVENTORY = "inventories/local"
TAGS = "kms,security_groups,secrets,iam"
PREFIX = "/local"
GENERATED = {"database/credentials": "password", "redis/auth-token": "token", "app/jwt-secret": "secret"}


@pytest.fixture(scope="module")
def network(aws):
    ec2 = aws("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    endpoints = ec2.create_security_group(GroupName="cloudplatform-local-sg-endpoints", Description="endpoints", VpcId=vpc)["GroupId"]
    return {"vpc_id": vpc, "vpc_endpoint_security_group_id": endpoints}


@pytest.fixture(scope="module")
def converged(run_playbook, network, aws):
    first = run_playbook("site.yml", INVENTORY, network, ["--tags", TAGS, "-vvv"])
    assert first.rc == 0, first.output[-3000:]
    before = read_secrets(aws)
    second = run_playbook("site.yml", INVENTORY, network, ["--tags", TAGS])
    assert second.rc == 0, second.output[-3000:]
    return {"first": first, "second": second, "before": before, "after": read_secrets(aws)}


def read_secrets(aws):
    sm = aws("secretsmanager")
    secrets = {}
    for path in ["database/credentials", "redis/auth-token", "app/jwt-secret", "app/external-api-keys", "monitoring/slack-webhook"]:
        name = f"{PREFIX}/{path}"
        value = sm.get_secret_value(SecretId=name)
        secrets[path] = {"version": value["VersionId"], "value": json.loads(value["SecretString"]),
                         "kms": sm.describe_secret(SecretId=name).get("KmsKeyId")}
    return secrets


def test_secrets_exist_decrypt_and_meet_the_rules(converged, aws):
    key_arn = aws("kms").describe_key(KeyId="alias/cloudplatform-local")["KeyMetadata"]["Arn"]
    secrets = converged["after"]
    assert {s["kms"] for s in secrets.values()} == {key_arn}
    db = secrets["database/credentials"]["value"]
    assert {"username", "password", "engine", "port", "dbname"} <= set(db)
    assert db["engine"] == "postgres" and db["port"] == 5432
    assert len(db["password"]) == 32 and not set(db["password"]) & set('/@" ') and db["password"].isprintable()
    token = secrets["redis/auth-token"]["value"]["token"]
    assert 16 <= len(token) <= 128 and set(token) <= set(string.ascii_letters + string.digits)
    assert len(secrets["app/jwt-secret"]["value"]["secret"]) == 64
    assert secrets["app/external-api-keys"]["value"] == {}


def test_second_converge_changes_nothing_and_writes_nothing(converged):
    assert converged["after"] == converged["before"]
    assert converged["second"].writes == [], converged["second"].write_summary()
    assert "changed=0" in converged["second"].output


def test_vvv_output_contains_no_secret_value(converged):
    output = converged["first"].output
    # -vvv prints every module's arguments with the result (the no_log ones masked): the secrets
    # module's among them, so a value that leaked would be here.
    assert re.search(r"TASK \[cloudplatform\.aws\.secrets : Create the secrets of the environment\](?:(?!TASK \[)[\s\S])*?module_args:", output)
    for path, key in GENERATED.items():
        assert converged["before"][path]["value"][key] not in output, f"the value of {path} is in the -vvv output"


def test_every_policy_is_least_privilege(converged, endpoint):
    report = policy_audit.audit("cloudplatform-local", "alias/cloudplatform-local", endpoint)
    assert report["findings"] == []
    assert {"cloudplatform-local-role-ecs-task-execution", "cloudplatform-local-role-github-deploy",
            "cloudplatform-local-role-rds-monitoring", "cloudplatform-local-role-task-api"} <= set(report["roles"])
    assert report["policies"] >= 7


def test_policy_audit_catches_broad_grants():
    broad = {"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"},
                           {"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b/*"},
                           {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}
    assert len(policy_audit.document_findings("x", broad)) == 4


def test_check_diff_shows_security_group_drift_without_writing(converged, run_playbook, network, aws):
    ec2 = aws("ec2")
    app = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["cloudplatform-local-sg-app"]}])["SecurityGroups"][0]
    ec2.authorize_security_group_ingress(GroupId=app["GroupId"], IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    check = run_playbook("site.yml", INVENTORY, network, ["--tags", "security_groups", "--check", "--diff"])
    assert check.rc == 0, check.output[-3000:]
    assert check.writes == []
    # One module run converges every group; the diff names the one group that drifted.
    assert "before: security groups cloudplatform-local-sg-app\n" in check.output, check.output[-3000:]
    assert re.search(r"(?m)^-\s+from_port: 22$", check.output) and "0.0.0.0/0" in check.output
