"""Unit tests for cloudplatform.aws.secretsmanager_rotation and secretsmanager_rotate_value.

botocore Stubbers on the real service models cover what the emulator cannot show: a
ScheduleExpression with a window (moto keeps only AutomaticallyAfterDays), the ElastiCache
AUTH-token ROTATE and SET calls (moto accepts ModifyReplicationGroup but ignores the token), the
RDS master-password change, and resuming an interrupted rotation from its version labels.
"""

from __future__ import annotations

import datetime
import json
from unittest import mock

import boto3
import pytest
from botocore.stub import ANY, Stubber

from ansible_collections.cloudplatform.aws.plugins.module_utils import secret_rotation as sr
from ansible_collections.cloudplatform.aws.plugins.modules import secretsmanager_rotate_value as rotate_value
from ansible_collections.cloudplatform.aws.plugins.modules import secretsmanager_rotation as rotation

SECRET = "/prod/redis/auth-token"
ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:/prod/redis/auth-token-AbCdEf"
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:cloudplatform-prod-lambda-secret-rotator"
OLD, NEW = "11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222"
NOW = datetime.datetime.now(datetime.UTC)


def client(service):
    return boto3.client(service, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")


class FakeModule:
    def __init__(self, params, check_mode=False, clients=None):
        self.params = params
        self.check_mode = check_mode
        self.clients = clients or {}
        self.warnings = []

    def client(self, service):
        return self.clients[service]

    def fail_json(self, **kwargs):
        raise AssertionError(kwargs["msg"])

    def warn(self, msg):
        self.warnings.append(msg)


# --- secretsmanager_rotation ---------------------------------------------------------------------

def rotation_params(**overrides):
    return dict(dict(secret_id=SECRET, state="present", rotation_lambda_arn=LAMBDA, automatically_after_days=None,
                     schedule_expression="cron(0 4 ? * SUN#1 *)", duration="4h", rotate_immediately=False), **overrides)


def described(**rotation_fields):
    return dict({"ARN": ARN, "Name": SECRET}, **rotation_fields)


@pytest.mark.parametrize("check_mode", [False, True])
def test_schedule_expression_and_window_are_set(check_mode):
    sm = client("secretsmanager")
    with Stubber(sm) as stub:
        if not check_mode:
            stub.add_response("rotate_secret", {"ARN": ARN, "Name": SECRET}, {
                "SecretId": SECRET, "RotationLambdaARN": LAMBDA, "RotateImmediately": False,
                "RotationRules": {"ScheduleExpression": "cron(0 4 ? * SUN#1 *)", "Duration": "4h"}})
        changed = rotation.update_rotation(FakeModule(rotation_params(), check_mode), sm, described(RotationEnabled=False))
        stub.assert_no_pending_responses()
    assert changed is True


@pytest.mark.parametrize("check_mode", [False, True])
def test_matching_schedule_makes_no_call(check_mode):
    sm = client("secretsmanager")
    current = described(RotationEnabled=True, RotationLambdaARN=LAMBDA,
                        RotationRules={"AutomaticallyAfterDays": 28, "ScheduleExpression": "cron(0 4 ? * SUN#1 *)", "Duration": "4h"})
    with Stubber(sm):
        assert rotation.update_rotation(FakeModule(rotation_params(), check_mode), sm, current) is False


@pytest.mark.parametrize("check_mode", [False, True])
def test_absent_cancels_rotation(check_mode):
    sm = client("secretsmanager")
    with Stubber(sm) as stub:
        if not check_mode:
            stub.add_response("cancel_rotate_secret", {"ARN": ARN, "Name": SECRET}, {"SecretId": SECRET})
        changed = rotation.cancel_rotation(FakeModule(rotation_params(state="absent"), check_mode), sm, described(RotationEnabled=True))
        stub.assert_no_pending_responses()
    assert changed is True
    assert rotation.cancel_rotation(FakeModule(rotation_params(state="absent")), sm, described(RotationEnabled=False)) is False


def test_a_missing_secret_is_a_change_in_check_mode_only():
    fake = FakeModule(rotation_params(), check_mode=True)
    fake.exit_json = lambda **kw: (_ for _ in ()).throw(SystemExit(kw))
    with pytest.raises(SystemExit) as done:
        rotation.missing(fake)
    assert done.value.args[0]["changed"] is True
    with pytest.raises(AssertionError, match="does not exist"):
        rotation.missing(FakeModule(rotation_params()))


# --- secretsmanager_rotate_value -----------------------------------------------------------------

def value_params(**overrides):
    return dict(dict(secret_id=SECRET, key="token", force=True, max_age_days=None, value_length=40, apply_to="elasticache",
                     db_instance_identifier=None, replication_group_id="cloudplatform-prod-redis", ecs_cluster="cloudplatform-prod-ecs-cluster",
                     ecs_services=["cloudplatform-prod-worker"], wait_timeout=60), **overrides)


def versions(*pairs):
    return {"ARN": ARN, "Name": SECRET, "Versions": [{"VersionId": vid, "VersionStages": stages} for vid, stages in pairs]}


def group(status="available"):
    return {"ReplicationGroups": [{"ReplicationGroupId": "cloudplatform-prod-redis", "Status": status, "AuthTokenEnabled": True,
                                   "TransitEncryptionEnabled": True}]}


def stable_service():
    return {"services": [{"serviceName": "cloudplatform-prod-worker", "status": "ACTIVE",
                          "deployments": [{"id": "ecs-svc/1", "status": "PRIMARY", "rolloutState": "COMPLETED"}]}], "failures": []}


def value(token):
    return {"ARN": ARN, "Name": SECRET, "VersionId": NEW, "SecretString": json.dumps({"token": token}), "CreatedDate": NOW}


def add_redis_finish(sm_stub, cache_stub, ecs_stub, new_id):
    """promote (unless done), redeploy, SET and label clean-up, in call order per client."""
    ecs_stub.add_response("describe_services", stable_service(), {"cluster": "cloudplatform-prod-ecs-cluster", "services": ["cloudplatform-prod-worker"]})
    ecs_stub.add_response("update_service", {"service": {"serviceName": "cloudplatform-prod-worker"}},
                          {"cluster": "cloudplatform-prod-ecs-cluster", "service": "cloudplatform-prod-worker", "forceNewDeployment": True})
    ecs_stub.add_response("describe_services", stable_service(), {"cluster": "cloudplatform-prod-ecs-cluster", "services": ["cloudplatform-prod-worker"]})
    cache_stub.add_response("modify_replication_group", {"ReplicationGroup": {}},
                            {"ReplicationGroupId": "cloudplatform-prod-redis", "AuthToken": ANY, "AuthTokenUpdateStrategy": "SET", "ApplyImmediately": True})
    cache_stub.add_response("describe_replication_groups", group(), {"ReplicationGroupId": "cloudplatform-prod-redis"})
    sm_stub.add_response("list_secret_version_ids", versions((OLD, ["AWSPREVIOUS"]), (new_id, ["AWSCURRENT", "AWSPENDING", "CLOUDPLATFORM_APPLIED",
                                                                                            "CLOUDPLATFORM_ROTATING"])), {"SecretId": SECRET})
    for label in ("AWSPENDING", "CLOUDPLATFORM_APPLIED", "CLOUDPLATFORM_ROTATING"):
        sm_stub.add_response("update_secret_version_stage", {"ARN": ARN, "Name": SECRET},
                             {"SecretId": SECRET, "VersionStage": label, "RemoveFromVersionId": new_id})


def test_redis_token_rotates_with_rotate_redeploy_then_set():
    sm, cache, ecs = client("secretsmanager"), client("elasticache"), client("ecs")
    fake = FakeModule(value_params(), clients={"elasticache": cache, "ecs": ecs})
    with Stubber(sm) as sm_stub, Stubber(cache) as cache_stub, Stubber(ecs) as ecs_stub:
        sm_stub.add_response("get_secret_value", value("old-token"), {"SecretId": SECRET, "VersionStage": "AWSCURRENT"})
        sm_stub.add_response("put_secret_value", {"ARN": ARN, "VersionId": NEW}, {
            "SecretId": SECRET, "ClientRequestToken": ANY, "SecretString": ANY, "VersionStages": ["AWSPENDING", "CLOUDPLATFORM_ROTATING"]})
        sm_stub.add_response("get_secret_value", value("new-token"), {"SecretId": SECRET, "VersionId": NEW})
        cache_stub.add_response("modify_replication_group", {"ReplicationGroup": {}}, {
            "ReplicationGroupId": "cloudplatform-prod-redis", "AuthToken": "new-token", "AuthTokenUpdateStrategy": "ROTATE", "ApplyImmediately": True})
        cache_stub.add_response("describe_replication_groups", group(), {"ReplicationGroupId": "cloudplatform-prod-redis"})
        sm_stub.add_response("update_secret_version_stage", {"ARN": ARN, "Name": SECRET},
                             {"SecretId": SECRET, "VersionStage": "CLOUDPLATFORM_APPLIED", "MoveToVersionId": NEW})
        cache_stub.add_response("describe_replication_groups", group(), {"ReplicationGroupId": "cloudplatform-prod-redis"})
        sm_stub.add_response("list_secret_version_ids", versions((OLD, ["AWSCURRENT"]), (NEW, ["AWSPENDING", "CLOUDPLATFORM_ROTATING"])),
                             {"SecretId": SECRET})
        sm_stub.add_response("update_secret_version_stage", {"ARN": ARN, "Name": SECRET},
                             {"SecretId": SECRET, "VersionStage": "AWSCURRENT", "MoveToVersionId": NEW, "RemoveFromVersionId": OLD})
        add_redis_finish(sm_stub, cache_stub, ecs_stub, NEW)
        with mock.patch.object(rotate_value.uuid, "uuid4", return_value=NEW):
            steps, new_id = rotate_value.rotate(fake, sm, {OLD: ["AWSCURRENT"]})
        for stub in (sm_stub, cache_stub, ecs_stub):
            stub.assert_no_pending_responses()
    assert (steps, new_id) == (["stage", "apply", "promote", "redeploy", "finalize"], NEW)


def test_interrupted_redis_rotation_resumes_after_the_promotion_without_a_second_rotate():
    sm, cache, ecs = client("secretsmanager"), client("elasticache"), client("ecs")
    fake = FakeModule(value_params(force=False), clients={"elasticache": cache, "ecs": ecs})
    labels = {OLD: ["AWSPREVIOUS"], NEW: ["AWSCURRENT", "AWSPENDING", "CLOUDPLATFORM_APPLIED", "CLOUDPLATFORM_ROTATING"]}
    with Stubber(sm) as sm_stub, Stubber(cache) as cache_stub, Stubber(ecs) as ecs_stub:
        sm_stub.add_response("get_secret_value", value("new-token"), {"SecretId": SECRET, "VersionId": NEW})
        add_redis_finish(sm_stub, cache_stub, ecs_stub, NEW)
        steps, new_id = rotate_value.rotate(fake, sm, labels)
        for stub in (sm_stub, cache_stub, ecs_stub):
            stub.assert_no_pending_responses()
    assert (steps, new_id) == (["redeploy", "finalize"], NEW)


def test_database_password_is_set_on_the_instance_and_verified():
    sm, rds = client("secretsmanager"), client("rds")
    params = value_params(secret_id=SECRET, key="password", apply_to="rds", db_instance_identifier="cloudplatform-prod-rds-postgres",
                          replication_group_id=None, ecs_services=[])
    fake = FakeModule(params, clients={"rds": rds})
    instance = {"DBInstances": [{"DBInstanceIdentifier": "cloudplatform-prod-rds-postgres", "DBInstanceStatus": "available", "PendingModifiedValues": {}}]}
    secret = {"ARN": ARN, "Name": SECRET, "VersionId": NEW, "SecretString": json.dumps({"username": "u", "password": "new-password"}), "CreatedDate": NOW}
    labels = {OLD: ["AWSCURRENT"], NEW: ["AWSPENDING", "CLOUDPLATFORM_ROTATING"]}
    with Stubber(sm) as sm_stub, Stubber(rds) as rds_stub:
        sm_stub.add_response("get_secret_value", secret, {"SecretId": SECRET, "VersionId": NEW})
        rds_stub.add_response("modify_db_instance", {"DBInstance": {}}, {
            "DBInstanceIdentifier": "cloudplatform-prod-rds-postgres", "MasterUserPassword": "new-password", "ApplyImmediately": True})
        rds_stub.add_response("describe_db_instances", instance, {"DBInstanceIdentifier": "cloudplatform-prod-rds-postgres"})
        sm_stub.add_response("update_secret_version_stage", {}, {"SecretId": SECRET, "VersionStage": "CLOUDPLATFORM_APPLIED", "MoveToVersionId": NEW})
        rds_stub.add_response("describe_db_instances", instance, {"DBInstanceIdentifier": "cloudplatform-prod-rds-postgres"})
        sm_stub.add_response("list_secret_version_ids", versions((OLD, ["AWSCURRENT"]), (NEW, labels[NEW])), {"SecretId": SECRET})
        sm_stub.add_response("update_secret_version_stage", {}, {"SecretId": SECRET, "VersionStage": "AWSCURRENT", "MoveToVersionId": NEW,
                                                                 "RemoveFromVersionId": OLD})
        sm_stub.add_response("list_secret_version_ids", versions((OLD, ["AWSPREVIOUS"]), (NEW, ["AWSCURRENT", "AWSPENDING"])), {"SecretId": SECRET})
        sm_stub.add_response("update_secret_version_stage", {}, {"SecretId": SECRET, "VersionStage": "AWSPENDING", "RemoveFromVersionId": NEW})
        steps, _ = rotate_value.rotate(fake, sm, labels)
        sm_stub.assert_no_pending_responses()
        rds_stub.assert_no_pending_responses()
    assert steps == ["apply", "promote", "finalize"]


@pytest.mark.parametrize("check_mode", [False, True])
def test_nothing_due_makes_no_write_call(check_mode):
    sm = client("secretsmanager")
    fake = FakeModule(value_params(force=False, max_age_days=90), check_mode)
    with Stubber(sm) as stub:
        stub.add_response("get_secret_value", value("token"), {"SecretId": SECRET, "VersionStage": "AWSCURRENT"})
        assert rotate_value.rotate(fake, sm, {OLD: ["AWSCURRENT"]}) == ([], None)
        stub.assert_no_pending_responses()


def test_a_due_secret_is_only_planned_in_check_mode():
    sm = client("secretsmanager")
    fake = FakeModule(value_params(force=False, max_age_days=30), check_mode=True)
    old = dict(value("token"), CreatedDate=NOW - datetime.timedelta(days=31))
    with Stubber(sm) as stub:
        stub.add_response("get_secret_value", old, {"SecretId": SECRET, "VersionStage": "AWSCURRENT"})
        steps, _ = rotate_value.rotate(fake, sm, {OLD: ["AWSCURRENT"]})
        stub.assert_no_pending_responses()
    assert steps == ["stage", "apply", "promote", "redeploy", "finalize"]


def test_a_failed_rotate_call_surfaces_without_the_value():
    cache = client("elasticache")
    with Stubber(cache) as stub:
        stub.add_client_error("modify_replication_group", "InvalidParameterValue", "Transit encryption must be enabled")
        with pytest.raises(sr.SecretRotationError) as error:
            sr.update_auth_token(cache, "cloudplatform-prod-redis", "s3cr3t-value", "ROTATE")
    assert "s3cr3t-value" not in str(error.value)


def test_a_failed_deployment_stops_the_rotation():
    failed = {"serviceName": "w", "deployments": [{"status": "PRIMARY", "rolloutState": "FAILED"}]}
    with pytest.raises(rotate_value.RotationFailure, match="deployment of w failed"):
        rotate_value.services_stable([failed])


def test_new_values_use_letters_and_digits_only():
    token = rotate_value.random_value(64)
    assert len(token) == 64
    assert token.isalnum() and token.isascii()
