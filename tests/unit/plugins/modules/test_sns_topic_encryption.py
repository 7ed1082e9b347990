"""cloudplatform.aws.sns_topic_encryption against a botocore Stubber on the real SNS model."""

from __future__ import annotations

import pytest
from _monitoring_fakes import FailJson, FakeModule, client
from botocore.stub import Stubber

from ansible_collections.cloudplatform.aws.plugins.module_utils.sns import SNSError
from ansible_collections.cloudplatform.aws.plugins.modules import sns_topic_encryption as module

TOPIC = "arn:aws:sns:us-east-1:123456789012:cloudplatform-prod-critical"
KEY = "arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789"


def attributes(key=None):
    attrs = {"TopicArn": TOPIC, "DisplayName": "critical"}
    if key:
        attrs["KmsMasterKeyId"] = key
    return {"Attributes": attrs}


def params(**changes):
    return dict(dict(topic_arn=TOPIC, kms_master_key_id=KEY, state="present"), **changes)


@pytest.mark.parametrize("check_mode", [False, True])
def test_encrypts_an_unencrypted_topic(check_mode):
    sns = client("sns")
    with Stubber(sns) as stub:
        stub.add_response("get_topic_attributes", attributes(), {"TopicArn": TOPIC})
        if not check_mode:
            stub.add_response("set_topic_attributes", {},
                              {"TopicArn": TOPIC, "AttributeName": "KmsMasterKeyId", "AttributeValue": KEY})
            stub.add_response("get_topic_attributes", attributes(KEY), {"TopicArn": TOPIC})
        result = module.run(FakeModule(params(), check_mode), sns)
        stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["diff"] == {"before": {"kms_master_key_id": ""}, "after": {"kms_master_key_id": KEY}}


@pytest.mark.parametrize("check_mode", [False, True])
def test_encrypted_topic_makes_no_write(check_mode):
    sns = client("sns")
    with Stubber(sns) as stub:
        stub.add_response("get_topic_attributes", attributes(KEY), {"TopicArn": TOPIC})
        result = module.run(FakeModule(params(), check_mode), sns)
        stub.assert_no_pending_responses()
    assert result["changed"] is False


def test_absent_turns_encryption_off():
    sns = client("sns")
    with Stubber(sns) as stub:
        stub.add_response("get_topic_attributes", attributes(KEY), {"TopicArn": TOPIC})
        stub.add_response("set_topic_attributes", {}, {"TopicArn": TOPIC, "AttributeName": "KmsMasterKeyId", "AttributeValue": ""})
        stub.add_response("get_topic_attributes", attributes(), {"TopicArn": TOPIC})
        result = module.run(FakeModule(params(state="absent", kms_master_key_id=None)), sns)
        stub.assert_no_pending_responses()
    assert result["changed"] is True and result["kms_master_key_id"] == ""


def test_missing_topic_is_named():
    sns = client("sns")
    with Stubber(sns) as stub:
        stub.add_client_error("get_topic_attributes", "NotFound", "Topic does not exist", http_status_code=404)
        with pytest.raises(FailJson, match="no such SNS topic"):
            module.run(FakeModule(params()), sns)


def test_api_errors_are_raised_with_what_failed():
    sns = client("sns")
    with Stubber(sns) as stub:
        stub.add_response("get_topic_attributes", attributes(), {"TopicArn": TOPIC})
        stub.add_client_error("set_topic_attributes", "AuthorizationError", "denied", http_status_code=403)
        with pytest.raises(SNSError, match="Failed to set topic attribute"):
            module.run(FakeModule(params()), sns)
