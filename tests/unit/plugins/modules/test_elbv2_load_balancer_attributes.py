"""Unit tests for cloudplatform.aws.elbv2_load_balancer_attributes against the real ELBv2 model (Stubber)."""

import pytest
from _edge_fakes import FailJson, FakeModule, stubbed

from ansible_collections.cloudplatform.aws.plugins.modules import elbv2_load_balancer_attributes as mod

ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/cp-alb/50dc6c495c0c9188"
BALANCER = {"LoadBalancers": [{"LoadBalancerArn": ARN, "LoadBalancerName": "cp-alb"}]}


def attributes(**values):
    return {"Attributes": [{"Key": k, "Value": v} for k, v in values.items()]}


WANTED = {"access_logs.s3.enabled": True, "deletion_protection.enabled": False, "idle_timeout.timeout_seconds": 60}


@pytest.mark.parametrize("check_mode", [True, False])
def test_writes_only_what_differs_or_is_missing(check_mode):
    client, stub = stubbed("elbv2")
    stub.add_response("describe_load_balancers", BALANCER, {"Names": ["cp-alb"]})
    # No access_logs.s3.enabled reported at all: it counts as different.
    stub.add_response("describe_load_balancer_attributes",
                      attributes(**{"deletion_protection.enabled": "true", "idle_timeout.timeout_seconds": "60"}),
                      {"LoadBalancerArn": ARN})
    if not check_mode:
        stub.add_response("modify_load_balancer_attributes", attributes(), {"LoadBalancerArn": ARN, "Attributes": [
            {"Key": "access_logs.s3.enabled", "Value": "true"}, {"Key": "deletion_protection.enabled", "Value": "false"}]})
        stub.add_response("describe_load_balancer_attributes", attributes(**{
            "access_logs.s3.enabled": "true", "deletion_protection.enabled": "false", "idle_timeout.timeout_seconds": "60"}),
            {"LoadBalancerArn": ARN})
    with stub:
        result = mod.run(FakeModule({"name": "cp-alb", "attributes": WANTED}, check_mode), client)
    stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["diff"]["before"]["access_logs.s3.enabled"] is None
    assert result["diff"]["after"] == {"access_logs.s3.enabled": "true", "deletion_protection.enabled": "false",
                                       "idle_timeout.timeout_seconds": "60"}


@pytest.mark.parametrize("check_mode", [True, False])
def test_no_write_when_equal(check_mode):
    client, stub = stubbed("elbv2")
    stub.add_response("describe_load_balancers", BALANCER, {"Names": ["cp-alb"]})
    stub.add_response("describe_load_balancer_attributes", attributes(**{
        "access_logs.s3.enabled": "true", "deletion_protection.enabled": "false", "idle_timeout.timeout_seconds": "60",
        "routing.http2.enabled": "true"}), {"LoadBalancerArn": ARN})
    with stub:
        result = mod.run(FakeModule({"name": "cp-alb", "attributes": WANTED}, check_mode), client)
    stub.assert_no_pending_responses()
    assert result["changed"] is False and result["attributes"]["routing.http2.enabled"] == "true"


def test_missing_load_balancer_fails_naming_it():
    client, stub = stubbed("elbv2")
    stub.add_client_error("describe_load_balancers", "LoadBalancerNotFound", "none")
    with stub, pytest.raises(FailJson) as caught:
        mod.run(FakeModule({"name": "cp-alb", "attributes": WANTED}), client)
    assert "cp-alb" in str(caught.value) and "name:" in str(caught.value)
