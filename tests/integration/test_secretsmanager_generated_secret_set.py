"""cloudplatform.aws.secretsmanager_generated_secret_set through the secrets role, against the emulator.

tests/integration/playbooks/secretsmanager_generated_secret_set.yml runs the role (one module call
for the five secrets) and prints secrets_arns. Check mode on an empty account, a first converge at
-vvv, a second converge, a change and a check-mode change run in that order on the same account;
every state asserted is read back with boto3, and the -vvv output is searched for the values.
"""

from __future__ import annotations

import json
import re
import string

import pytest

PLAYBOOK = "tests/integration/playbooks/secretsmanager_generated_secret_set.yml"
INVENTORY = "inventories/local"
PREFIX = "/gsset"
URL = "https://hooks.slack.example/services/T0GSSET/B0GSSET/first-webhook-value"
NEW_URL = "https://hooks.slack.example/services/T0GSSET/B0GSSET/second-webhook-value"
PATHS = {"database_credentials": "database/credentials", "redis_auth_token": "redis/auth-token", "jwt_secret": "app/jwt-secret",
         "external_api_keys": "app/external-api-keys", "slack_webhook": "monitoring/slack-webhook"}


@pytest.fixture(scope="module")
def key_arn(aws):
    return aws("kms").create_key(Description="secretsmanager_generated_secret_set test")["KeyMetadata"]["Arn"]


@pytest.fixture(scope="module")
def converge(run_playbook, key_arn):
    def _run(args=None, **extra):
        variables = {"kms_key_arn": key_arn, "secrets_prefix": PREFIX, "secrets_slack_webhook_url": URL, **extra}
        result = run_playbook(PLAYBOOK, INVENTORY, variables, args)
        assert result.rc == 0, result.output[-3000:]
        return result

    return _run


@pytest.fixture(scope="module")
def planned(converge):
    return converge(["--check"])


@pytest.fixture(scope="module")
def first(planned, converge):
    return converge(["-vvv"])


def arns(run):
    return json.loads(re.search(r"ARNS=(\{.*\})", run.output).group(1))


def read(aws):
    sm = aws("secretsmanager")
    found = {}
    for key, path in PATHS.items():
        described = sm.describe_secret(SecretId=f"{PREFIX}/{path}")
        found[key] = {"arn": described["ARN"], "kms": described.get("KmsKeyId"), "description": described.get("Description"),
                      "tags": {t["Key"]: t["Value"] for t in described.get("Tags", [])},
                      "value": json.loads(sm.get_secret_value(SecretId=described["ARN"])["SecretString"])}
    return found


def test_check_mode_on_an_empty_account_plans_every_secret_without_writing(planned):
    assert planned.changed == 1
    assert planned.writes == [], planned.write_summary()
    assert arns(planned) == dict.fromkeys(PATHS, "PLANNED-IN-CHECK-MODE")


def test_first_converge_creates_the_secrets_in_one_module_call(first, aws, key_arn):
    secrets = read(aws)
    assert {s["kms"] for s in secrets.values()} == {key_arn}
    assert arns(first) == {key: s["arn"] for key, s in secrets.items()}
    assert first.write_summary() == ["secretsmanager:CreateSecret"] and len(first.writes) == 5
    assert first.output.count("secretsmanager_generated_secret_set") >= 1
    db = secrets["database_credentials"]["value"]
    assert {k: db[k] for k in ("username", "engine", "port", "dbname")} == {"username": "dbadmin", "engine": "postgres", "port": 5432,
                                                                            "dbname": "cloudplatform"}
    assert len(db["password"]) == 32 and not set(db["password"]) & set('/@"\' \\`')
    assert set(secrets["redis_auth_token"]["value"]["token"]) <= set(string.ascii_letters + string.digits)
    assert secrets["slack_webhook"]["value"] == {"url": URL}
    assert secrets["external_api_keys"]["value"] == {}
    assert secrets["jwt_secret"]["tags"]["Name"] == "cloudplatform-local-secret-jwt-secret"
    assert secrets["jwt_secret"]["description"] == "cloudplatform-local JWT signing key"


def test_vvv_output_contains_no_secret_value(first, aws):
    secrets = read(aws)
    # -vvv shows the module arguments: the static values are there, masked.
    assert "invocation" in first.output and "url: VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" in first.output
    for value in (URL, secrets["database_credentials"]["value"]["password"], secrets["redis_auth_token"]["value"]["token"],
                  secrets["jwt_secret"]["value"]["secret"], "first-webhook-value"):
        assert value not in first.output


def test_second_converge_changes_and_writes_nothing(first, converge, aws):
    before = read(aws)
    second = converge()
    assert second.changed == 0
    assert second.writes == [], second.write_summary()
    assert read(aws) == before


def test_a_tag_and_a_static_value_change_are_applied_and_the_generated_values_kept(first, converge, aws):
    before = read(aws)
    changed = converge(["-vvv", "--diff"], secrets_slack_webhook_url=NEW_URL, cloudplatform_extra_tags={"CostCentre": "platform-ops"})
    assert changed.changed == 1
    summary = [(c["service"], c["action"]) for c in changed.writes]
    assert sorted(summary) == [("secretsmanager", "PutSecretValue")] + [("secretsmanager", "TagResource")] * 5
    after = read(aws)
    assert after["slack_webhook"]["value"] == {"url": NEW_URL}
    assert all(s["tags"]["CostCentre"] == "platform-ops" for s in after.values())
    for key in ("database_credentials", "redis_auth_token", "jwt_secret"):
        assert after[key]["value"] == before[key]["value"]
    assert NEW_URL not in changed.output and URL not in changed.output and "second-webhook-value" not in changed.output


def test_check_mode_reports_a_change_without_writing(first, converge, aws):
    before = read(aws)
    check = converge(["--check", "--diff"], secrets_slack_webhook_url=NEW_URL, cloudplatform_extra_tags={"CostCentre": "finance"})
    assert check.changed == 1
    assert check.writes == [], check.write_summary()
    assert read(aws) == before
    assert arns(check) == {key: s["arn"] for key, s in before.items()}
