"""A minimal stand-in for AnsibleAWSModule, shared by the account-baseline and edge module tests."""

from __future__ import annotations

import boto3


class FailJson(Exception):
    pass


class FakeModule:
    region = "us-east-1"
    partition = "aws"

    def __init__(self, params: dict, check_mode: bool = False):
        self.params = params
        self.check_mode = check_mode

    def fail_json(self, **kwargs):
        raise FailJson(kwargs["msg"])


def client(service: str):
    return boto3.client(service, region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
