"""Unit tests for the Lambda code the roles ship (queue-depth publisher, secret rotator).

The emulator cannot run Lambda functions, so their handlers run here: the Redis protocol parser
against canned server replies, and the rotation steps against botocore Stubbers on the real
Secrets Manager and RDS models. The publisher also runs against a real TLS Redis server in
tests/integration/test_queue_and_rotation.py.
"""

from __future__ import annotations

import datetime
import importlib.util
import io
import json
from pathlib import Path

import boto3
import pytest
from botocore.stub import ANY, Stubber

ROOT = Path(__file__).resolve().parents[3]


def load(path: str, name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


publisher = load("roles/queue_depth/files/queue_depth_publisher/index.py", "queue_depth_publisher")
rotator = load("roles/secret_rotation/files/secret_rotator/index.py", "secret_rotator")


class CannedConnection(publisher.RedisConnection):
    """The parser of RedisConnection fed with canned replies; records what would be sent."""

    def __init__(self, replies: bytes):
        self._reader = io.BytesIO(replies)
        self.sent = []
        self._sock = self

    def sendall(self, data):
        self.sent.append(data)


def test_commands_are_encoded_as_resp_arrays():
    conn = CannedConnection(b"+OK\r\n")
    assert conn.command("AUTH", "pässword") == "OK"
    assert conn.sent == [b"*2\r\n$4\r\nAUTH\r\n$9\r\np\xc3\xa4ssword\r\n"]


def test_list_and_stream_depths():
    assert publisher.queue_depth(CannedConnection(b":1500\r\n"), {"queue": "logs:default:clean"}) == (1500, None)
    stream = CannedConnection(b":42\r\n*4\r\n:7\r\n$3\r\n1-0\r\n$3\r\n9-0\r\n*1\r\n*2\r\n$1\r\nc\r\n$1\r\n7\r\n")
    assert publisher.queue_depth(stream, {"queue": "events", "type": "stream", "group": "workers"}) == (42, 7)


def test_an_error_reply_keeps_only_its_code():
    with pytest.raises(publisher.RedisError, match=r"^WRONGPASS$"):
        CannedConnection(b"-WRONGPASS invalid username-password pair\r\n").command("AUTH", "x")


def test_a_closed_connection_is_an_error():
    with pytest.raises(publisher.RedisError, match="closed"):
        CannedConnection(b"").command("LLEN", "q")


def test_backlog_per_task_with_no_task_running_is_the_whole_queue():
    now = datetime.datetime.now(datetime.UTC)
    metrics = {m["MetricName"]: m["Value"] for m in publisher.build_metrics("prod", {"service": "worker", "queue": "q"}, 1500, None, 0, now)}
    assert metrics == {"QueueDepth": 1500.0, "BacklogPerTask": 1500.0}
    metrics = {m["MetricName"]: m["Value"] for m in publisher.build_metrics("prod", {"service": "worker", "queue": "q"}, 1500, 3, 4, now)}
    assert metrics == {"QueueDepth": 1500.0, "BacklogPerTask": 375.0, "PendingCount": 3.0}


ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:/prod/database/credentials-AbCdEf"
TOKEN, CURRENT = "33333333-3333-3333-3333-333333333333", "44444444-4444-4444-4444-444444444444"


def client(service):
    return boto3.client(service, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")


def test_create_secret_stages_a_new_password_and_keeps_the_other_keys():
    sm = client("secretsmanager")
    settings = {"key": "password", "apply_to": "rds", "db_instance_identifier": "db"}
    current = {"ARN": ARN, "SecretString": json.dumps({"username": "u", "password": "old", "port": 5432})}
    with Stubber(sm) as stub:
        stub.add_client_error("get_secret_value", "ResourceNotFoundException",
                              expected_params={"SecretId": ARN, "VersionId": TOKEN, "VersionStage": "AWSPENDING"})
        stub.add_response("get_secret_value", current, {"SecretId": ARN, "VersionStage": "AWSCURRENT"})
        stub.add_response("put_secret_value", {"ARN": ARN}, {"SecretId": ARN, "ClientRequestToken": TOKEN, "SecretString": ANY,
                                                             "VersionStages": ["AWSPENDING"]})
        rotator.create_secret(sm, ARN, TOKEN, settings)
        stub.assert_no_pending_responses()


def test_set_and_test_secret_change_the_master_password_and_wait_for_it():
    sm, rds = client("secretsmanager"), client("rds")

    class Session:
        def client(self, name):
            return {"rds": rds}[name]

    settings = {"key": "password", "apply_to": "rds", "db_instance_identifier": "db"}
    pending = {"ARN": ARN, "SecretString": json.dumps({"username": "u", "password": "new"})}
    with Stubber(sm) as sm_stub, Stubber(rds) as rds_stub:
        sm_stub.add_response("get_secret_value", pending, {"SecretId": ARN, "VersionId": TOKEN, "VersionStage": "AWSPENDING"})
        rds_stub.add_response("modify_db_instance", {"DBInstance": {}}, {"DBInstanceIdentifier": "db", "MasterUserPassword": "new",
                                                                        "ApplyImmediately": True})
        rotator.set_secret(sm, ARN, TOKEN, settings, Session())
        sm_stub.add_response("get_secret_value", pending, {"SecretId": ARN, "VersionId": TOKEN, "VersionStage": "AWSPENDING"})
        rds_stub.add_response("describe_db_instances", {"DBInstances": [{"DBInstanceStatus": "resetting-master-credentials"}]},
                              {"DBInstanceIdentifier": "db"})
        with pytest.raises(RuntimeError, match="still applying"):
            rotator.test_secret(sm, ARN, TOKEN, settings, Session())
        sm_stub.assert_no_pending_responses()
        rds_stub.assert_no_pending_responses()


def test_finish_secret_moves_awscurrent():
    sm = client("secretsmanager")
    with Stubber(sm) as stub:
        stub.add_response("describe_secret", {"ARN": ARN, "VersionIdsToStages": {CURRENT: ["AWSCURRENT"], TOKEN: ["AWSPENDING"]}},
                          {"SecretId": ARN})
        stub.add_response("update_secret_version_stage", {"ARN": ARN}, {"SecretId": ARN, "VersionStage": "AWSCURRENT",
                                                                       "MoveToVersionId": TOKEN, "RemoveFromVersionId": CURRENT})
        rotator.finish_secret(sm, ARN, TOKEN)
        stub.assert_no_pending_responses()
