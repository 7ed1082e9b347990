"""Unit tests for cloudplatform.aws.secretsmanager_generated_secret.

A botocore Stubber on the real Secrets Manager model checks every request; a call the test did not
expect (a write on a converged secret) fails the test. Values written are captured from the
request to prove that generated values are kept and never returned.
"""

from __future__ import annotations

import json
import string

import pytest
from _security_fakes import ExitJson, FailJson, FakeModule, client
from botocore.stub import ANY, Stubber

from ansible_collections.cloudplatform.aws.plugins.module_utils import secretsmanager as sm
from ansible_collections.cloudplatform.aws.plugins.modules import secretsmanager_generated_secret as module

NAME = "/prod/database/credentials"
ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:/prod/database/credentials-AbCdEf"
KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
V1 = "a" * 32
V2 = "b" * 32
GEN = {"password": dict(module.GENERATE_DEFAULTS, length=32, exclude_characters='/@" ')}


def params(**overrides):
    base = dict(name=NAME, description="db", kms_key_id=KEY, generate=GEN, values={"username": "dbadmin", "port": 5432}, plain_values={},
                tags={"Project": "cloudplatform"}, purge_tags=True, recovery_window_days=30, state="present")
    return dict(base, **overrides)


def described(tags=None, description="db", kms=KEY, deleted=False):
    secret = {"ARN": ARN, "Name": NAME, "Description": description, "KmsKeyId": kms,
              "Tags": [{"Key": k, "Value": v} for k, v in (tags if tags is not None else {"Project": "cloudplatform"}).items()],
              "VersionIdsToStages": {V1: ["AWSCURRENT"]}}
    if deleted:
        secret["DeletedDate"] = "2026-11-22T00:00:00Z"
    return secret


def value(stub, secret_string):
    stub.add_response("get_secret_value", {"ARN": ARN, "Name": NAME, "VersionId": V1, "SecretString": secret_string},
                      {"SecretId": ARN})


def capture(sm_client, operation):
    seen = {}

    def _hook(params, **_kwargs):
        seen.update(params)

    sm_client.meta.events.register("provide-client-params.secretsmanager.%s" % operation, _hook)
    return seen


def run(sm_client, module_params, check_mode=False):
    fake = FakeModule(module_params, check_mode)
    secret = sm.describe_secret(sm_client, module_params["name"])
    with pytest.raises(ExitJson) as exit_info:
        if module_params["state"] == "present":
            module.ensure_present(fake, sm_client, secret)
        module.ensure_absent(fake, sm_client, secret)
    return exit_info.value.result


def not_found(stub):
    stub.add_client_error("describe_secret", "ResourceNotFoundException", expected_params={"SecretId": NAME})


@pytest.mark.parametrize("check_mode", [False, True])
def test_creates_the_secret_with_a_generated_value_it_never_returns(check_mode):
    c = client("secretsmanager")
    written = capture(c, "CreateSecret")
    with Stubber(c) as stub:
        not_found(stub)
        if not check_mode:
            stub.add_response("create_secret", {"ARN": ARN, "Name": NAME, "VersionId": V1},
                              {"Name": NAME, "Description": "db", "KmsKeyId": KEY, "SecretString": ANY, "ClientRequestToken": ANY,
                               "Tags": [{"Key": "Project", "Value": "cloudplatform"}]})
            stub.add_response("describe_secret", described(), {"SecretId": NAME})
        result = run(c, params(), check_mode)
        stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["secret"]["keys"] == ["password", "port", "username"]
    if not check_mode:
        stored = json.loads(written["SecretString"])
        assert stored["username"] == "dbadmin" and stored["port"] == 5432
        assert len(stored["password"]) == 32 and not set(stored["password"]) & set('/@" ')
        assert stored["password"] not in json.dumps(result)


@pytest.mark.parametrize("check_mode", [False, True])
def test_converged_secret_makes_no_write(check_mode):
    c = client("secretsmanager")
    with Stubber(c) as stub:
        stub.add_response("describe_secret", described(), {"SecretId": NAME})
        value(stub, json.dumps({"password": "kept-Secret-1", "username": "dbadmin", "port": 5432}))
        result = run(c, params(), check_mode)
        stub.assert_no_pending_responses()
    assert result["changed"] is False
    assert "kept-Secret-1" not in json.dumps(result)


@pytest.mark.parametrize("check_mode", [False, True])
def test_static_value_drift_is_fixed_and_the_generated_value_kept(check_mode):
    c = client("secretsmanager")
    written = capture(c, "PutSecretValue")
    with Stubber(c) as stub:
        stub.add_response("describe_secret", described(), {"SecretId": NAME})
        value(stub, json.dumps({"password": "kept-Secret-1", "username": "old", "port": 5432, "operator": "x"}))
        if not check_mode:
            stub.add_response("put_secret_value", {"ARN": ARN, "Name": NAME, "VersionId": V2},
                              {"SecretId": ARN, "SecretString": ANY, "ClientRequestToken": ANY})
            stub.add_response("describe_secret", described(), {"SecretId": ARN})
        result = run(c, params(values={"username": "dbadmin", "port": 5432}), check_mode)
        stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["changed_keys"] == ["username"]
    if not check_mode:
        assert json.loads(written["SecretString"]) == {"password": "kept-Secret-1", "username": "dbadmin", "port": 5432, "operator": "x"}


def test_a_generated_key_missing_from_an_existing_secret_is_added_once():
    c = client("secretsmanager")
    written = capture(c, "PutSecretValue")
    with Stubber(c) as stub:
        stub.add_response("describe_secret", described(), {"SecretId": NAME})
        value(stub, json.dumps({"username": "dbadmin", "port": 5432}))
        stub.add_response("put_secret_value", {"ARN": ARN, "Name": NAME, "VersionId": V2},
                          {"SecretId": ARN, "SecretString": ANY, "ClientRequestToken": ANY})
        stub.add_response("describe_secret", described(), {"SecretId": ARN})
        result = run(c, params())
    assert result["changed_keys"] == ["password"]
    assert len(json.loads(written["SecretString"])["password"]) == 32


@pytest.mark.parametrize("check_mode", [False, True])
def test_tag_description_and_key_drift(check_mode):
    c = client("secretsmanager")
    with Stubber(c) as stub:
        stub.add_response("describe_secret", described(tags={"Old": "1"}, description="old", kms="alias/aws/secretsmanager"),
                          {"SecretId": NAME})
        if not check_mode:
            stub.add_response("update_secret", {"ARN": ARN, "Name": NAME}, {"SecretId": ARN, "Description": "db"})
            stub.add_response("update_secret", {"ARN": ARN, "Name": NAME}, {"SecretId": ARN, "KmsKeyId": KEY})
            stub.add_response("untag_resource", {}, {"SecretId": ARN, "TagKeys": ["Old"]})
            stub.add_response("tag_resource", {}, {"SecretId": ARN, "Tags": [{"Key": "Project", "Value": "cloudplatform"}]})
        value(stub, json.dumps({"password": "p-Assw0rd!", "username": "dbadmin", "port": 5432}))
        if not check_mode:
            stub.add_response("describe_secret", described(), {"SecretId": ARN})
        result = run(c, params(), check_mode)
        stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["diff"]["before"]["tags"] == {"Old": "1"}
    assert result["diff"]["after"]["tags"] == {"Project": "cloudplatform"}


def test_a_secret_pending_deletion_is_restored():
    c = client("secretsmanager")
    with Stubber(c) as stub:
        stub.add_response("describe_secret", described(deleted=True), {"SecretId": NAME})
        stub.add_response("restore_secret", {"ARN": ARN, "Name": NAME}, {"SecretId": ARN})
        stub.add_response("describe_secret", described(), {"SecretId": ARN})
        value(stub, json.dumps({"password": "p-Assw0rd!", "username": "dbadmin", "port": 5432}))
        stub.add_response("describe_secret", described(), {"SecretId": ARN})
        result = run(c, params())
        stub.assert_no_pending_responses()
    assert result["changed"] is True


def test_a_value_that_is_not_json_fails_without_showing_it():
    c = client("secretsmanager")
    with Stubber(c) as stub:
        stub.add_response("describe_secret", described(), {"SecretId": NAME})
        value(stub, "plain-text-S3cret")
        with pytest.raises(FailJson) as failure:
            run(c, params())
    assert "not a JSON object" in failure.value.result["msg"]
    assert "plain-text-S3cret" not in failure.value.result["msg"]


@pytest.mark.parametrize("check_mode", [False, True])
@pytest.mark.parametrize("window, expected", [(30, {"RecoveryWindowInDays": 30}), (0, {"ForceDeleteWithoutRecovery": True})])
def test_absent_deletes_with_the_recovery_window(check_mode, window, expected):
    c = client("secretsmanager")
    with Stubber(c) as stub:
        stub.add_response("describe_secret", described(), {"SecretId": NAME})
        if not check_mode:
            stub.add_response("delete_secret", {"ARN": ARN, "Name": NAME}, dict({"SecretId": ARN}, **expected))
        result = run(c, params(state="absent", recovery_window_days=window), check_mode)
        stub.assert_no_pending_responses()
    assert result["changed"] is True


def test_absent_on_a_missing_or_deleted_secret_changes_nothing():
    c = client("secretsmanager")
    with Stubber(c) as stub:
        stub.add_response("describe_secret", described(deleted=True), {"SecretId": NAME})
        result = run(c, params(state="absent"))
    assert result["changed"] is False


def test_an_aws_error_surfaces_as_the_module_error():
    c = client("secretsmanager")
    with Stubber(c) as stub:
        stub.add_client_error("describe_secret", "AccessDeniedException", http_status_code=400)
        with pytest.raises(sm.SecretsManagerError):
            sm.describe_secret(c, NAME)


@pytest.mark.parametrize("spec, allowed", [
    (dict(module.GENERATE_DEFAULTS, length=64, exclude_punctuation=True), set(string.ascii_letters + string.digits)),
    (dict(module.GENERATE_DEFAULTS, length=40, exclude_characters='/@" '), set(string.printable[:94]) - set('/@" ')),
    (dict(module.GENERATE_DEFAULTS, length=16, exclude_uppercase=True, exclude_punctuation=True),
     set(string.ascii_lowercase + string.digits)),
])
def test_generated_values_follow_the_rules(spec, allowed):
    values = {sm.generate_value(spec) for _ in range(20)}
    assert len(values) == 20
    for generated in values:
        assert len(generated) == spec["length"]
        assert set(generated) <= allowed
        assert any(c.isdigit() for c in generated) and any(c.isalpha() for c in generated)


@pytest.mark.parametrize("spec", [
    dict(module.GENERATE_DEFAULTS, exclude_lowercase=True, exclude_uppercase=True, exclude_numbers=True, exclude_punctuation=True),
    dict(module.GENERATE_DEFAULTS, length=2),
])
def test_impossible_rules_are_refused(spec):
    with pytest.raises(ValueError):
        sm.generate_value(spec)


def test_generate_and_values_may_not_share_a_key():
    fake = FakeModule(params(values={"password": "x"}))
    with pytest.raises(FailJson, match="generate and values both name"):
        module.validate(fake)


def test_plain_values_are_written_with_the_secret_ones():
    c = client("secretsmanager")
    written = capture(c, "PutSecretValue")
    with Stubber(c) as stub:
        stub.add_response("describe_secret", described(), {"SecretId": NAME})
        value(stub, json.dumps({"password": "kept-Secret-1", "username": "dbadmin", "port": 5432}))
        stub.add_response("put_secret_value", {"ARN": ARN, "Name": NAME, "VersionId": V2},
                          {"SecretId": ARN, "SecretString": ANY, "ClientRequestToken": ANY})
        stub.add_response("describe_secret", described(), {"SecretId": ARN})
        result = run(c, params(values={"username": "dbadmin"}, plain_values={"port": 5433, "host": "db.internal"}))
        stub.assert_no_pending_responses()
    assert result["changed_keys"] == ["host", "port"]
    assert json.loads(written["SecretString"]) == {"password": "kept-Secret-1", "username": "dbadmin", "port": 5433, "host": "db.internal"}


@pytest.mark.parametrize("overrides, pair", [
    ({"values": {"port": 1}, "plain_values": {"port": 2}}, "values and plain_values"),
    ({"plain_values": {"password": "x"}}, "generate and plain_values"),
])
def test_a_key_comes_from_one_source_only(overrides, pair):
    fake = FakeModule(params(**overrides))
    with pytest.raises(FailJson, match=pair + " both name the keys"):
        module.validate(fake)


def test_only_values_are_no_log():
    spec = sm.secret_options()
    assert spec["values"]["no_log"] is True and spec["plain_values"]["no_log"] is False


def test_unknown_generation_rules_are_refused():
    fake = FakeModule(params(generate={"password": {"lenght": 3}}))
    with pytest.raises(FailJson, match=r"generate\.password has unknown rules lenght"):
        module.normalise_generate(fake, module.GENERATE_DEFAULTS)
