"""Unit tests for the audit function (roles/audit_trail/files/audit_function).

The emulator cannot invoke Lambda (no Docker), so the handler runs here with a Stubber S3 client.
"""

from __future__ import annotations

import datetime
import importlib.util
import json
from pathlib import Path
from types import SimpleNamespace

import boto3
import pytest
from botocore.stub import ANY, Stubber

HANDLER = Path(__file__).resolve().parents[3] / "roles" / "audit_trail" / "files" / "audit_function" / "audit_handler.py"


@pytest.fixture()
def audit(monkeypatch):
    spec = importlib.util.spec_from_file_location("audit_handler", HANDLER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    monkeypatch.setenv("AUDIT_BUCKET", "cloudplatform-prod-audit-123456789012")
    monkeypatch.setenv("AUDIT_PREFIX", "audit")
    s3 = boto3.client("s3", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
    monkeypatch.setattr(mod, "_S3", s3)
    return mod, s3


def test_handler_writes_one_redacted_json_record_under_the_prefix(audit):
    mod, s3 = audit
    event = {"request_id": "req/1", "user": "alice", "action": "GET /api/v1/alerts", "headers": {"Authorization": "Bearer x"}}
    with Stubber(s3) as stub:
        stub.add_response("put_object", {}, {"Bucket": "cloudplatform-prod-audit-123456789012", "Key": ANY, "Body": ANY,
                                             "ContentType": "application/json"})
        result = mod.handler(event, SimpleNamespace(aws_request_id="inv-1"))
        stub.assert_no_pending_responses()
    assert result["key"].startswith("audit/")
    assert "req_1" in result["key"]
    record = mod.build_record(event, datetime.datetime(2026, 11, 22, tzinfo=datetime.UTC), "inv-1")
    assert record["event"]["headers"]["Authorization"] == "[REDACTED]"
    assert json.loads(json.dumps(record))["invocation_id"] == "inv-1"


def test_keys_are_dated_and_unique(audit):
    mod, _ = audit
    now = datetime.datetime(2026, 11, 22, 13, 5, 9, tzinfo=datetime.UTC)
    first = mod.object_key("audit", {"request_id": "r"}, now, "i")
    second = mod.object_key("audit", {"request_id": "r"}, now, "i")
    assert first.startswith("audit/2026/11/22/130509-r-")
    assert first != second


def test_non_object_event_is_rejected(audit):
    mod, _ = audit
    with pytest.raises(ValueError, match="JSON object"):
        mod.build_record(["not", "a", "dict"], datetime.datetime.now(datetime.UTC), "i")
