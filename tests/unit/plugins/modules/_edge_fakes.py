"""Helpers for the edge module tests: a stand-in for AnsibleAWSModule and Stubber-backed clients
that check every request against the real botocore service model."""

from __future__ import annotations

import boto3
from botocore.exceptions import ClientError
from botocore.stub import Stubber


class FailJson(Exception):
    pass


class FakeModule:
    def __init__(self, params: dict, check_mode: bool = False):
        self.params = params
        self.check_mode = check_mode

    def fail_json(self, **kwargs):
        raise FailJson(kwargs["msg"])


def stubbed(service: str):
    client = boto3.client(service, region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
    return client, Stubber(client)


def client_error(code: str, operation: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": code}}, operation)
