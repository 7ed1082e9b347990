"""Unit tests for cloudplatform.aws.secretsmanager_generated_secret_set.

A botocore Stubber on the real Secrets Manager model checks every request: a call the test did not
queue (a write on a converged secret, a read before bad input is refused) fails the test. Values
written are captured from the requests to prove generated values are kept and never returned.
"""

from __future__ import annotations

import json

import pytest
from _security_fakes import FailJson, FakeModule, client
from botocore.stub import ANY, Stubber

from ansible_collections.cloudplatform.aws.plugins.module_utils import secretsmanager as sm
from ansible_collections.cloudplatform.aws.plugins.modules import secretsmanager_generated_secret_set as module

KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
DB, JWT, SLACK = "/prod/database/credentials", "/prod/app/jwt-secret", "/prod/monitoring/slack-webhook"
URL = "https://hooks.slack.example/services/T0/B0/not-a-real-webhook"
V1, V2 = "a" * 32, "b" * 32
TAGS = {"Project": "cloudplatform"}


def arn(name):
    return "arn:aws:secretsmanager:us-east-1:123456789012:secret:%s-AbCdEf" % name


def spec(name, **overrides):
    base = dict(name=name, description="d " + name, kms_key_id=KEY, generate={}, values={}, plain_values={}, recovery_window_days=30,
                tags=dict(TAGS), purge_tags=True)
    return dict(base, **overrides)


def db(**overrides):
    return spec(DB, generate={"password": {"length": 32, "exclude_characters": '/@" '}}, values={"username": "dbadmin", "port": 5432}, **overrides)


def slack(**overrides):
    return spec(SLACK, values={"url": URL}, **overrides)


def params(secrets, state="present"):
    return dict(secrets=secrets, state=state)


def fake(secrets, check_mode=False, state="present"):
    return FakeModule(params(secrets, state), check_mode)


def described(name, tags=None, description=None, kms=KEY, deleted=False):
    secret = {"ARN": arn(name), "Name": name, "Description": description if description is not None else "d " + name, "KmsKeyId": kms,
              "Tags": [{"Key": k, "Value": v} for k, v in (TAGS if tags is None else tags).items()], "VersionIdsToStages": {V1: ["AWSCURRENT"]}}
    if deleted:
        secret["DeletedDate"] = "2026-11-22T00:00:00Z"
    return secret


def describe(stub, name, answer=None, by=None):
    if answer is None:
        stub.add_client_error("describe_secret", "ResourceNotFoundException", expected_params={"SecretId": by or name})
    else:
        stub.add_response("describe_secret", answer, {"SecretId": by or name})


def value(stub, name, stored):
    stub.add_response("get_secret_value", {"ARN": arn(name), "Name": name, "VersionId": V1, "SecretString": json.dumps(stored)},
                      {"SecretId": arn(name)})


def capture(sm_client, operation):
    seen = []
    sm_client.meta.events.register("provide-client-params.secretsmanager.%s" % operation, lambda params, **_kw: seen.append(dict(params)))
    return seen


STORED_DB = {"password": "kept-Secret-1", "username": "dbadmin", "port": 5432, "engine": "postgres"}


@pytest.mark.parametrize("check_mode", [False, True])
def test_creates_every_missing_secret_with_values_it_never_returns(check_mode):
    c = client("secretsmanager")
    written = capture(c, "CreateSecret")
    with Stubber(c) as stub:
        describe(stub, DB)
        if not check_mode:
            stub.add_response("create_secret", {"ARN": arn(DB), "Name": DB}, {
                "Name": DB, "Description": "d " + DB, "KmsKeyId": KEY, "SecretString": ANY, "ClientRequestToken": ANY,
                "Tags": [{"Key": "Project", "Value": "cloudplatform"}]})
            describe(stub, DB, described(DB))
        describe(stub, SLACK)
        if not check_mode:
            stub.add_response("create_secret", {"ARN": arn(SLACK), "Name": SLACK}, {
                "Name": SLACK, "Description": "d " + SLACK, "KmsKeyId": KEY, "SecretString": json.dumps({"url": URL}),
                "ClientRequestToken": ANY, "Tags": [{"Key": "Project", "Value": "cloudplatform"}]})
            describe(stub, SLACK, described(SLACK))
        result = module.run(fake([db(), slack()], check_mode), c)
        stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert [s["name"] for s in result["secrets"]] == [DB, SLACK]
    assert [s["arn"] for s in result["secrets"]] == ([None, None] if check_mode else [arn(DB), arn(SLACK)])
    assert result["secrets"][0]["keys"] == result["secrets"][0]["changed_keys"] == ["password", "port", "username"]
    assert list(result["diff"]["after"]) == [DB, SLACK] and result["diff"]["before"] == {}
    if not check_mode:
        password = json.loads(written[0]["SecretString"])["password"]
        assert len(password) == 32 and not set(password) & set('/@" ')
        assert password not in json.dumps(result)


@pytest.mark.parametrize("check_mode", [False, True])
def test_converged_set_reads_the_value_only_where_it_compares_and_writes_nothing(check_mode):
    c = client("secretsmanager")
    operator_only = spec("/prod/app/external-api-keys")
    with Stubber(c) as stub:
        describe(stub, DB, described(DB))
        value(stub, DB, STORED_DB)
        # No values and no generate: DescribeSecret is the only read.
        describe(stub, operator_only["name"], described(operator_only["name"]))
        describe(stub, SLACK, described(SLACK))
        value(stub, SLACK, {"url": URL})
        result = module.run(fake([db(), operator_only, slack()], check_mode), c)
        stub.assert_no_pending_responses()
    assert result["changed"] is False
    assert [s["changed"] for s in result["secrets"]] == [False, False, False]
    assert result["diff"] == {"before": {}, "after": {}}
    assert "kept-Secret-1" not in json.dumps(result)
    assert result["secrets"][0]["arn"] == arn(DB) and result["secrets"][0]["changed_keys"] == []


@pytest.mark.parametrize("check_mode", [False, True])
def test_a_changed_static_value_is_written_and_the_generated_one_kept(check_mode):
    c = client("secretsmanager")
    written = capture(c, "PutSecretValue")
    with Stubber(c) as stub:
        describe(stub, DB, described(DB))
        value(stub, DB, STORED_DB)
        describe(stub, SLACK, described(SLACK))
        value(stub, SLACK, {"url": "https://old.example/hook", "channel": "ops"})
        if not check_mode:
            stub.add_response("put_secret_value", {"ARN": arn(SLACK), "Name": SLACK, "VersionId": V2},
                              {"SecretId": arn(SLACK), "SecretString": ANY, "ClientRequestToken": ANY})
            describe(stub, SLACK, described(SLACK), by=arn(SLACK))
        result = module.run(fake([db(), slack()], check_mode), c)
        stub.assert_no_pending_responses()
    assert [s["changed"] for s in result["secrets"]] == [False, True]
    assert result["secrets"][1]["changed_keys"] == ["url"]
    assert list(result["diff"]["after"]) == [SLACK]
    assert result["diff"]["after"][SLACK]["changed_keys"] == ["url"]
    assert URL not in json.dumps(result) and "old.example" not in json.dumps(result)
    if not check_mode:
        assert json.loads(written[0]["SecretString"]) == {"url": URL, "channel": "ops"}


@pytest.mark.parametrize("check_mode", [False, True])
def test_description_key_and_tags_are_converged_per_secret(check_mode):
    c = client("secretsmanager")
    name = "/prod/app/external-api-keys"
    with Stubber(c) as stub:
        describe(stub, name, described(name, tags={"Old": "1", "Project": "cloudplatform"}, description="old", kms="alias/aws/secretsmanager"))
        if not check_mode:
            stub.add_response("update_secret", {"ARN": arn(name), "Name": name}, {"SecretId": arn(name), "Description": "d " + name})
            stub.add_response("update_secret", {"ARN": arn(name), "Name": name}, {"SecretId": arn(name), "KmsKeyId": KEY})
            stub.add_response("untag_resource", {}, {"SecretId": arn(name), "TagKeys": ["Old"]})
            describe(stub, name, described(name), by=arn(name))
        result = module.run(fake([spec(name)], check_mode), c)
        stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["diff"]["before"][name]["tags"] == {"Old": "1", "Project": "cloudplatform"}
    assert result["diff"]["before"][name]["description"] == "old"
    assert result["diff"]["after"][name]["tags"] == TAGS
    assert result["diff"]["after"][name]["kms_key_id"] == KEY
    assert result["diff"]["before_header"] == "secrets " + name


@pytest.mark.parametrize("check_mode", [False, True])
def test_without_purge_tags_only_missing_tags_are_added(check_mode):
    c = client("secretsmanager")
    name = "/prod/app/external-api-keys"
    with Stubber(c) as stub:
        describe(stub, name, described(name, tags={"Operator": "x"}))
        if not check_mode:
            stub.add_response("tag_resource", {}, {"SecretId": arn(name), "Tags": [{"Key": "Project", "Value": "cloudplatform"}]})
            describe(stub, name, described(name, tags={"Operator": "x", "Project": "cloudplatform"}), by=arn(name))
        result = module.run(fake([spec(name, purge_tags=False)], check_mode), c)
        stub.assert_no_pending_responses()
    assert result["secrets"][0]["tags"] == {"Operator": "x", "Project": "cloudplatform"}


def test_options_left_unset_are_not_touched():
    c = client("secretsmanager")
    name = "/prod/app/external-api-keys"
    with Stubber(c) as stub:
        describe(stub, name, described(name, tags={"Operator": "x"}, description="operator's", kms="alias/other"))
        result = module.run(fake([spec(name, description=None, kms_key_id=None, tags=None)]), c)
        stub.assert_no_pending_responses()
    assert result["changed"] is False


def test_a_secret_pending_deletion_is_restored():
    c = client("secretsmanager")
    with Stubber(c) as stub:
        describe(stub, SLACK, described(SLACK, deleted=True))
        stub.add_response("restore_secret", {"ARN": arn(SLACK), "Name": SLACK}, {"SecretId": arn(SLACK)})
        describe(stub, SLACK, described(SLACK), by=arn(SLACK))
        value(stub, SLACK, {"url": URL})
        describe(stub, SLACK, described(SLACK), by=arn(SLACK))
        result = module.run(fake([slack()]), c)
        stub.assert_no_pending_responses()
    assert result["changed"] is True and result["secrets"][0]["arn"] == arn(SLACK)


def test_a_restore_is_only_reported_in_check_mode():
    c = client("secretsmanager")
    with Stubber(c) as stub:
        describe(stub, SLACK, described(SLACK, deleted=True))
        result = module.run(fake([slack()], check_mode=True), c)
        stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["diff"]["before"][SLACK]["scheduled_for_deletion"] is True


@pytest.mark.parametrize("check_mode", [False, True])
def test_absent_deletes_each_secret_with_its_recovery_window(check_mode):
    c = client("secretsmanager")
    with Stubber(c) as stub:
        describe(stub, DB, described(DB))
        if not check_mode:
            stub.add_response("delete_secret", {"ARN": arn(DB), "Name": DB}, {"SecretId": arn(DB), "RecoveryWindowInDays": 30})
        describe(stub, JWT, described(JWT))
        if not check_mode:
            stub.add_response("delete_secret", {"ARN": arn(JWT), "Name": JWT}, {"SecretId": arn(JWT), "ForceDeleteWithoutRecovery": True})
        describe(stub, SLACK)
        describe(stub, "/prod/redis/auth-token", described("/prod/redis/auth-token", deleted=True))
        secrets = [db(), spec(JWT, recovery_window_days=0), slack(), spec("/prod/redis/auth-token")]
        result = module.run(fake(secrets, check_mode, state="absent"), c)
        stub.assert_no_pending_responses()
    assert [(s["name"], s["changed"]) for s in result["secrets"]] == [(DB, True), (JWT, True), (SLACK, False), ("/prod/redis/auth-token", False)]
    assert result["diff"]["after"] == {}
    assert sorted(result["diff"]["before"]) == [JWT, DB] and result["diff"]["before"][DB]["arn"] == arn(DB)


@pytest.mark.parametrize(("secrets", "message"), [
    ([db(), db()], r"secrets\[1\].name: '/prod/database/credentials' is already used by secrets\[0\]"),
    ([db(), spec("")], r"secrets\[1\].name: '' is not a valid secret name; expected 1-512"),
    ([spec("/prod/bad name")], r"secrets\[0\].name: '/prod/bad name' is not a valid secret name"),
    ([db(), spec(JWT, generate={"k": {}}, values={"k": "v"})], r"secrets\[1\].generate and secrets\[1\].values both name the keys k"),
    ([spec(JWT, recovery_window_days=3)], r"secrets\[0\].recovery_window_days: 3 is not accepted; use 7-30, or 0"),
    ([spec(JWT, generate={"secret": {"lenght": 3}})], r"secrets\[0\].generate.secret has unknown rules lenght; accepted: "),
    ([spec(JWT, generate={"secret": {"length": 2}})], r"secrets\[0\].generate.secret: length 2 is shorter than the 4 required"),
    ([spec(JWT, generate={"secret": "long"})], r"secrets\[0\].generate.secret must be a dict of generation rules, got 'long'"),
])
def test_bad_input_fails_before_any_call(secrets, message):
    c = client("secretsmanager")
    with Stubber(c), pytest.raises(FailJson, match=message):
        module.run(fake([dict(s) for s in secrets]), c)


def test_a_name_holding_a_static_value_of_any_secret_is_refused_before_any_call():
    # Ansible masks every occurrence of a no_log value in the result: the ARN would come back as ********.
    c = client("secretsmanager")
    secrets = [spec("/prod/app/jwt-secret"), spec("/cloudplatform/prod/database/credentials"),
               spec("/prod/database/config", values={"dbname": "cloudplatform", "tls": True, "extra": {"ports": [5432]}})]
    with Stubber(c), pytest.raises(FailJson, match=r"secrets\[1\].name contains a value given in secrets\[\].values"):
        module.run(fake(secrets), c)


def test_booleans_and_empty_values_are_not_masked():
    assert module.leaves({"a": True, "b": "", "c": None, "d": [1, {"e": "x"}]}) == ["1", "x"]


def test_a_returned_arn_holding_a_static_value_fails():
    result = {"changed": False, "secrets": [{"arn": arn(DB)}, {"arn": "arn:aws:secretsmanager:us-east-1:123456543210:secret:/x-AbCdEf"}]}
    with pytest.raises(FailJson, match=r"secrets\[1\]: the ARN contains a value given in secrets\[\].values"):
        module.check_arns(fake([db(), slack()]), result)


def test_an_aws_error_stops_the_set_and_surfaces():
    c = client("secretsmanager")
    with Stubber(c) as stub:
        describe(stub, JWT)
        stub.add_client_error("create_secret", "AccessDeniedException", "not allowed", http_status_code=400)
        with pytest.raises(sm.SecretsManagerError) as error:
            module.run(fake([spec(JWT, generate={"secret": {"length": 64}}), slack()]), c)
        stub.assert_no_pending_responses()
    assert error.value.exception.response["Error"]["Code"] == "AccessDeniedException"


def test_a_value_that_is_not_json_fails_without_showing_it():
    c = client("secretsmanager")
    with Stubber(c) as stub:
        describe(stub, SLACK, described(SLACK))
        stub.add_response("get_secret_value", {"ARN": arn(SLACK), "Name": SLACK, "SecretString": "plain-text-S3cret"}, {"SecretId": arn(SLACK)})
        with pytest.raises(FailJson) as failure:
            module.run(fake([slack()]), c)
    assert "not a JSON object" in failure.value.result["msg"] and "plain-text-S3cret" not in failure.value.result["msg"]
