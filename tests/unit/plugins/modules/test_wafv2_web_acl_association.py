"""Unit tests for cloudplatform.aws.wafv2_web_acl_association against the real WAFv2 model (Stubber)."""

import pytest
from _edge_fakes import FakeModule, stubbed

from ansible_collections.cloudplatform.aws.plugins.module_utils.wafv2 import AnsibleWafv2Error
from ansible_collections.cloudplatform.aws.plugins.modules import wafv2_web_acl_association as mod

ALB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/cp-alb/50dc6c495c0c9188"
ACL = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/cp-waf/1111"
OTHER = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/old-waf/2222"


def acl(arn, name="cp-waf"):
    return {"WebACL": {"Name": name, "Id": arn[-4:], "ARN": arn, "DefaultAction": {"Allow": {}},
                       "VisibilityConfig": {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "m"}}}


def params(**overrides):
    values = {"resource_arn": ALB, "web_acl_arn": ACL, "state": "present"}
    values.update(overrides)
    return values


@pytest.mark.parametrize("check_mode", [True, False])
def test_associates_when_none(check_mode):
    client, stub = stubbed("wafv2")
    stub.add_response("get_web_acl_for_resource", {}, {"ResourceArn": ALB})
    if not check_mode:
        stub.add_response("associate_web_acl", {}, {"WebACLArn": ACL, "ResourceArn": ALB})
        stub.add_response("get_web_acl_for_resource", acl(ACL), {"ResourceArn": ALB})
    with stub:
        result = mod.run(FakeModule(params(), check_mode), client)
    stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["diff"] == {"before": {"web_acl_arn": None}, "after": {"web_acl_arn": ACL}}
    assert result["web_acl"]["arn"] == ACL


@pytest.mark.parametrize("check_mode", [True, False])
def test_no_write_when_already_associated(check_mode):
    client, stub = stubbed("wafv2")
    stub.add_response("get_web_acl_for_resource", acl(ACL), {"ResourceArn": ALB})
    with stub:
        result = mod.run(FakeModule(params(), check_mode), client)
    stub.assert_no_pending_responses()
    assert result["changed"] is False and result["web_acl"]["name"] == "cp-waf"


@pytest.mark.parametrize("check_mode", [True, False])
def test_replaces_another_web_acl(check_mode):
    client, stub = stubbed("wafv2")
    stub.add_response("get_web_acl_for_resource", acl(OTHER, "old-waf"), {"ResourceArn": ALB})
    if not check_mode:
        stub.add_response("disassociate_web_acl", {}, {"ResourceArn": ALB})
        stub.add_response("associate_web_acl", {}, {"WebACLArn": ACL, "ResourceArn": ALB})
        stub.add_response("get_web_acl_for_resource", acl(ACL), {"ResourceArn": ALB})
    with stub:
        result = mod.run(FakeModule(params(), check_mode), client)
    stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["diff"]["before"] == {"web_acl_arn": OTHER} and result["diff"]["after"] == {"web_acl_arn": ACL}


@pytest.mark.parametrize("check_mode", [True, False])
def test_absent_disassociates(check_mode):
    client, stub = stubbed("wafv2")
    stub.add_response("get_web_acl_for_resource", acl(ACL), {"ResourceArn": ALB})
    if not check_mode:
        stub.add_response("disassociate_web_acl", {}, {"ResourceArn": ALB})
        stub.add_response("get_web_acl_for_resource", {}, {"ResourceArn": ALB})
    with stub:
        result = mod.run(FakeModule(params(state="absent"), check_mode), client)
    stub.assert_no_pending_responses()
    assert result["changed"] is True and result["web_acl"] == {}


def test_absent_leaves_another_web_acl_alone():
    client, stub = stubbed("wafv2")
    stub.add_response("get_web_acl_for_resource", acl(OTHER, "old-waf"), {"ResourceArn": ALB})
    with stub:
        result = mod.run(FakeModule(params(state="absent")), client)
    assert result["changed"] is False and result["web_acl"]["arn"] == OTHER


def test_missing_resource_reads_as_no_association():
    client, stub = stubbed("wafv2")
    stub.add_client_error("get_web_acl_for_resource", "WAFNonexistentItemException", "gone")
    with stub:
        result = mod.run(FakeModule(params(state="absent")), client)
    assert result["changed"] is False


def test_api_error_is_raised_for_fail_json_aws():
    client, stub = stubbed("wafv2")
    stub.add_response("get_web_acl_for_resource", {}, {"ResourceArn": ALB})
    stub.add_client_error("associate_web_acl", "WAFInvalidParameterException", "bad arn")
    with stub, pytest.raises(AnsibleWafv2Error) as caught:
        mod.run(FakeModule(params()), client)
    assert "associate web ACL" in str(caught.value)
