"""Audit function: the API invokes it asynchronously once per request; it stores the record in S3.

Standard library and boto3 only (both in the Lambda Python runtime). Every record becomes one JSON
object under AUDIT_PREFIX/<yyyy>/<mm>/<dd>/, so the bucket's lifecycle rule expires it and nothing
is ever overwritten.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import uuid

import boto3

_S3 = None
_SAFE_ID = re.compile(r"[^A-Za-z0-9._-]")
# Fields an API request may carry that never belong in an audit record.
_REDACTED = frozenset({"password", "token", "authorization", "secret", "api_key", "cookie"})


def _client():
    global _S3
    if _S3 is None:
        _S3 = boto3.client("s3")
    return _S3


def _redact(value):
    if isinstance(value, dict):
        return {k: ("[REDACTED]" if k.lower() in _REDACTED else _redact(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v) for v in value]
    return value


def build_record(event: dict, now: datetime.datetime, request_id: str) -> dict:
    """The stored record: the event (redacted) plus when and by which invocation it was received."""
    if not isinstance(event, dict):
        raise ValueError(f"audit event must be a JSON object, got {type(event).__name__}")
    return {
        "received_at": now.isoformat(),
        "invocation_id": request_id,
        "event": _redact(event),
    }


def object_key(prefix: str, event: dict, now: datetime.datetime, request_id: str) -> str:
    event_id = _SAFE_ID.sub("_", str(event.get("request_id") or event.get("id") or request_id))[:128]
    return f"{prefix.strip('/')}/{now:%Y/%m/%d}/{now:%H%M%S}-{event_id}-{uuid.uuid4().hex[:8]}.json"


def handler(event, context):
    now = datetime.datetime.now(datetime.UTC)
    request_id = getattr(context, "aws_request_id", None) or uuid.uuid4().hex
    record = build_record(event, now, request_id)
    key = object_key(os.environ.get("AUDIT_PREFIX", "audit"), event, now, request_id)
    _client().put_object(
        Bucket=os.environ["AUDIT_BUCKET"],
        Key=key,
        Body=json.dumps(record, sort_keys=True, default=str).encode("utf-8"),
        ContentType="application/json",
    )
    return {"key": key}
