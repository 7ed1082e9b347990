"""A stand-in for AnsibleAWSModule for the security-layer module tests: exit_json and fail_json raise."""

from __future__ import annotations

import boto3


class ExitJson(Exception):
    def __init__(self, result):
        super().__init__("exit_json")
        self.result = result


class FailJson(Exception):
    def __init__(self, result):
        super().__init__(result.get("msg"))
        self.result = result


class FakeModule:
    region = "us-east-1"

    def __init__(self, params: dict, check_mode: bool = False):
        self.params = params
        self.check_mode = check_mode

    def exit_json(self, **kwargs):
        raise ExitJson(kwargs)

    def fail_json(self, **kwargs):
        raise FailJson(kwargs)


def client(service: str):
    return boto3.client(service, region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
