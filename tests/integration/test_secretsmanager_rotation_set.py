"""cloudplatform.aws.secretsmanager_rotation_set against the emulator: create, idempotence, a change, check mode.

tests/integration/playbooks/secretsmanager_rotation_set.yml hands rotation_set_test_secrets to the
module in one task. The secrets and the rotation function are made here with boto3 (the emulator
stores the function and never runs it) and every state asserted is read back with boto3. The
tests run in order on the same three secrets.
"""

from __future__ import annotations

import base64
import io
import json
import re
import zipfile

import pytest

PLAYBOOK = "tests/integration/playbooks/secretsmanager_rotation_set.yml"
INVENTORY = "inventories/local"
NAMES = {"db": "/rsset/database/credentials", "jwt": "/rsset/app/jwt-secret", "redis": "/rsset/redis/auth-token"}


@pytest.fixture(scope="module")
def function_arn(aws):
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    role = aws("iam").create_role(RoleName="rotation-set-test", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return None\n")
    return aws("lambda").create_function(FunctionName="rotation-set-test", Runtime="python3.12", Role=role, Handler="index.handler",
                                         Code={"ZipFile": package.getvalue()})["FunctionArn"]


@pytest.fixture(scope="module")
def secret_arns(aws):
    sm = aws("secretsmanager")
    return {key: sm.create_secret(Name=name, SecretString=json.dumps({"value": key}))["ARN"] for key, name in NAMES.items()}


@pytest.fixture(scope="module")
def converge(run_playbook, function_arn, secret_arns):
    def _run(schedules, args=None):
        """schedules: days by secret key; the others get state absent."""
        secrets = [{"secret_id": secret_arns[key], "state": "present", "rotation_lambda_arn": function_arn, "automatically_after_days": schedules[key]}
                   if key in schedules else {"secret_id": NAMES[key], "state": "absent"} for key in NAMES]
        result = run_playbook(PLAYBOOK, INVENTORY, {"rotation_set_test_secrets": secrets}, args)
        assert result.rc == 0, result.output[-3000:]
        return result

    return _run


@pytest.fixture(scope="module")
def first(converge):
    return converge({"db": 30, "jwt": 90})


def rotation(aws, key):
    described = aws("secretsmanager").describe_secret(SecretId=NAMES[key])
    return described.get("RotationEnabled", False), described.get("RotationLambdaARN"), (described.get("RotationRules") or {}).get("AutomaticallyAfterDays")


def returned(run):
    return json.loads(base64.b64decode(re.search(r"SECRETS=([A-Za-z0-9+/=]+)", run.output).group(1)))


def test_first_run_turns_rotation_on_for_the_scheduled_secrets(first, aws, function_arn, secret_arns):
    assert rotation(aws, "db") == (True, function_arn, 30)
    assert rotation(aws, "jwt") == (True, function_arn, 90)
    assert rotation(aws, "redis")[0] is False
    assert [c["action"] for c in first.writes] == ["RotateSecret", "RotateSecret"]
    assert [(s["secret_arn"], s["changed"]) for s in returned(first)] == [(secret_arns["db"], True), (secret_arns["jwt"], True),
                                                                          (secret_arns["redis"], False)]


def test_second_run_changes_and_writes_nothing(first, converge):
    second = converge({"db": 30, "jwt": 90})
    assert second.changed == 0
    assert second.writes == [], second.write_summary()


def test_a_schedule_change_and_a_cancel_are_applied(first, converge, aws, function_arn):
    changed = converge({"jwt": 60})
    assert changed.changed == 1
    assert sorted(c["action"] for c in changed.writes) == ["CancelRotateSecret", "RotateSecret"]
    assert rotation(aws, "db")[0] is False
    assert rotation(aws, "jwt") == (True, function_arn, 60)
    assert [s["changed"] for s in returned(changed)] == [True, True, False]


def test_check_mode_reports_a_change_without_writing(first, converge, aws, function_arn):
    check = converge({"db": 7, "jwt": 60}, ["--check", "--diff"])
    assert check.changed == 1
    assert check.writes == [], check.write_summary()
    assert rotation(aws, "db")[0] is False
    db = returned(check)[0]
    assert db["changed"] is True and db["rotation"]["rotation_rules"]["automatically_after_days"] == 7
    assert "rotation_enabled" in check.output  # the diff
