"""Unit tests for cloudplatform.aws.secretsmanager_rotation_set.

A botocore Stubber on the real Secrets Manager model checks every request, so a call the test did
not queue (a write on a converged secret, a write before a missing secret is refused) fails the
test. The Stubber also covers what the emulator drops: a ScheduleExpression with a window.
"""

from __future__ import annotations

import datetime

import pytest
from _security_fakes import FailJson, FakeModule, client
from botocore.stub import Stubber

from ansible_collections.cloudplatform.aws.plugins.module_utils import secret_rotation as sr
from ansible_collections.cloudplatform.aws.plugins.modules import secretsmanager_rotation_set as module

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:cloudplatform-prod-lambda-secret-rotator"
DB, JWT, REDIS = "/prod/database/credentials", "/prod/app/jwt-secret", "/prod/redis/auth-token"
NEXT = datetime.datetime(2026, 12, 22, tzinfo=datetime.UTC)


class Fake(FakeModule):
    def __init__(self, params, check_mode=False):
        super().__init__(params, check_mode)
        self.warnings = []

    def warn(self, msg):
        self.warnings.append(msg)


def arn(name):
    return "arn:aws:secretsmanager:us-east-1:123456789012:secret:%s-AbCdEf" % name


def entry(secret_id, **overrides):
    base = dict(secret_id=secret_id, state="present", rotation_lambda_arn=LAMBDA, automatically_after_days=None, schedule_expression=None,
                duration=None, rotate_immediately=False)
    return dict(base, **overrides)


def absent(secret_id):
    return entry(secret_id, state="absent", rotation_lambda_arn=None)


def described(name, enabled=False, days=None, function=LAMBDA, **rules):
    secret = {"ARN": arn(name), "Name": name}
    if enabled:
        rules = dict(rules, **({"AutomaticallyAfterDays": days} if days else {}))
        secret.update(RotationEnabled=True, RotationLambdaARN=function, RotationRules=rules, NextRotationDate=NEXT)
    return secret


def describe(stub, name, answer=None):
    if answer is None:
        stub.add_client_error("describe_secret", "ResourceNotFoundException", expected_params={"SecretId": name})
    else:
        stub.add_response("describe_secret", answer, {"SecretId": name})


def run(secrets, check_mode=False, stub_calls=None):
    c = client("secretsmanager")
    fake = Fake({"secrets": secrets}, check_mode)
    with Stubber(c) as stub:
        (stub_calls or (lambda _stub: None))(stub)
        result = module.run(fake, c)
        stub.assert_no_pending_responses()
    return result, fake


CONVERGED = [described(DB, True, 30), described(JWT, True, 90), described(REDIS)]
WANTED = [entry(DB, automatically_after_days=30), entry(JWT, automatically_after_days=90), absent(REDIS)]


@pytest.mark.parametrize("check_mode", [False, True])
def test_converged_set_makes_one_read_per_secret_and_no_write(check_mode):
    def calls(stub):
        for answer in CONVERGED:
            describe(stub, answer["Name"], answer)

    result, _ = run([dict(e) for e in WANTED], check_mode, calls)
    assert result["changed"] is False
    assert result["diff"] == {"before": {}, "after": {}}
    assert [(s["secret_id"], s["secret_arn"], s["changed"]) for s in result["secrets"]] == [(DB, arn(DB), False), (JWT, arn(JWT), False),
                                                                                             (REDIS, arn(REDIS), False)]
    assert result["secrets"][0]["rotation"]["rotation_rules"] == {"automatically_after_days": 30}


@pytest.mark.parametrize("check_mode", [False, True])
def test_rotation_is_turned_on_where_it_is_off(check_mode):
    def calls(stub):
        describe(stub, DB, described(DB))
        describe(stub, JWT, described(JWT, True, 90))
        describe(stub, REDIS, described(REDIS))
        if not check_mode:
            stub.add_response("rotate_secret", {"ARN": arn(DB), "Name": DB}, {
                "SecretId": DB, "RotationLambdaARN": LAMBDA, "RotationRules": {"AutomaticallyAfterDays": 30}, "RotateImmediately": False})
            describe(stub, DB, described(DB, True, 30))

    result, _ = run([dict(e) for e in WANTED], check_mode, calls)
    assert [s["changed"] for s in result["secrets"]] == [True, False, False]
    assert list(result["diff"]["before"]) == list(result["diff"]["after"]) == [DB]
    assert result["diff"]["before"][DB]["rotation_enabled"] is False
    assert result["diff"]["after"][DB] == result["secrets"][0]["rotation"]
    assert result["secrets"][0]["rotation"]["rotation_enabled"] is True
    assert result["secrets"][0]["rotation"]["rotation_rules"] == {"automatically_after_days": 30}


@pytest.mark.parametrize("check_mode", [False, True])
def test_a_new_schedule_expression_window_and_function_are_applied(check_mode):
    other = LAMBDA + "-v2"

    def calls(stub):
        describe(stub, JWT, described(JWT, True, 90))
        if not check_mode:
            stub.add_response("rotate_secret", {"ARN": arn(JWT), "Name": JWT}, {
                "SecretId": JWT, "RotationLambdaARN": other, "RotateImmediately": True,
                "RotationRules": {"ScheduleExpression": "cron(0 4 ? * SUN#1 *)", "Duration": "4h"}})
            describe(stub, JWT, described(JWT, True, function=other, ScheduleExpression="cron(0 4 ? * SUN#1 *)", Duration="4h"))

    wanted = entry(JWT, rotation_lambda_arn=other, schedule_expression="cron(0 4 ? * SUN#1 *)", duration="4h", rotate_immediately=True)
    result, _ = run([wanted], check_mode, calls)
    assert result["changed"] is True
    assert result["diff"]["after"][JWT]["rotation_lambda_arn"] == other
    assert result["diff"]["after"][JWT]["rotation_rules"]["schedule_expression"] == "cron(0 4 ? * SUN#1 *)"


@pytest.mark.parametrize("check_mode", [False, True])
def test_absent_cancels_rotation_only_where_it_is_on(check_mode):
    def calls(stub):
        describe(stub, DB, described(DB, True, 30))
        describe(stub, REDIS, described(REDIS))
        if not check_mode:
            stub.add_response("cancel_rotate_secret", {"ARN": arn(DB), "Name": DB}, {"SecretId": DB})
            describe(stub, DB, described(DB))

    result, _ = run([absent(DB), absent(REDIS)], check_mode, calls)
    assert [s["changed"] for s in result["secrets"]] == [True, False]
    assert result["diff"]["after"][DB]["rotation_enabled"] is False


def test_a_missing_secret_fails_before_any_write():
    def calls(stub):
        describe(stub, DB, described(DB))
        describe(stub, JWT)

    with pytest.raises(FailJson, match=r"secrets\[1\].secret_id: /prod/app/jwt-secret does not exist; expected the name or ARN"):
        run([entry(DB, automatically_after_days=30), entry(JWT, automatically_after_days=90)], False, calls)


def test_missing_secrets_are_a_planned_change_in_check_mode_and_nothing_when_absent():
    # In a check-mode run on a new environment the secrets role publishes placeholders for every secret.
    placeholder = "PLANNED-IN-CHECK-MODE"

    def calls(stub):
        for _ in range(3):
            describe(stub, placeholder)

    result, fake = run([entry(placeholder, automatically_after_days=30), entry(placeholder, automatically_after_days=90), absent(placeholder)],
                       True, calls)
    assert [s["changed"] for s in result["secrets"]] == [True, True, False]
    assert [s["secret_arn"] for s in result["secrets"]] == [None, None, None]
    assert len(fake.warnings) == 2 and "would be configured once it is created" in fake.warnings[0]


def test_two_entries_for_one_secret_are_refused_before_any_write():
    def calls(stub):
        describe(stub, DB, described(DB))
        describe(stub, arn(DB), described(DB))

    with pytest.raises(FailJson, match=r"secrets\[1\].secret_id: .* is the secret of secrets\[0\]; list each secret once"):
        run([entry(DB, automatically_after_days=30), entry(arn(DB), automatically_after_days=7)], False, calls)


@pytest.mark.parametrize(("secrets", "message"), [
    ([entry(DB)], r"secrets\[0\]: set automatically_after_days \(1-1000\) or schedule_expression"),
    ([absent(JWT), entry(DB, automatically_after_days=0)], r"secrets\[1\].automatically_after_days: 0 is out of range; expected 1-1000"),
    ([entry(DB, automatically_after_days=30, rotation_lambda_arn=None)], r"secrets\[0\].rotation_lambda_arn: None; required with state=present"),
    ([entry(DB, automatically_after_days=30, schedule_expression="rate(10 days)")],
     r"secrets\[0\]: automatically_after_days \(30\) and schedule_expression \(rate\(10 days\)\) are mutually exclusive"),
    ([entry("", automatically_after_days=30)], r"secrets\[0\].secret_id: '' is empty"),
])
def test_bad_input_fails_before_any_call(secrets, message):
    with pytest.raises(FailJson, match=message):
        run(secrets)


def test_an_aws_error_surfaces_as_the_module_error():
    def calls(stub):
        describe(stub, DB, described(DB))
        stub.add_client_error("rotate_secret", "AccessDeniedException", "not allowed", http_status_code=400)

    with pytest.raises(sr.SecretRotationError) as error:
        run([entry(DB, automatically_after_days=30)], False, calls)
    assert error.value.exception.response["Error"]["Code"] == "AccessDeniedException"
