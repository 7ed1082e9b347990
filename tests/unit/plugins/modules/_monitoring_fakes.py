"""A stand-in for AnsibleAWSModule for the monitoring modules' run() functions."""

from __future__ import annotations

import boto3


class FailJson(Exception):
    pass


class FakeModule:
    def __init__(self, params: dict, check_mode: bool = False, diff: bool = True):
        self.params = params
        self.check_mode = check_mode
        self._diff = diff
        self.warnings: list[str] = []

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def fail_json(self, **kwargs):
        raise FailJson(kwargs["msg"])


def client(service: str):
    """A real botocore client on the real service model; tests wrap it in a Stubber."""
    return boto3.client(service, region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
