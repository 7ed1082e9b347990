"""Unit tests for cloudplatform.aws.elbv2_load_balancer_info against the real ELBv2 model (Stubber)."""

import pytest
from _edge_fakes import FakeModule, stubbed

from ansible_collections.cloudplatform.aws.plugins.module_utils.elbv2_attributes import AnsibleElbv2AttributesError
from ansible_collections.cloudplatform.aws.plugins.modules import elbv2_load_balancer_info as mod

ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/cp-alb/50dc6c495c0c9188"
BALANCER = {"LoadBalancers": [{"LoadBalancerArn": ARN, "LoadBalancerName": "cp-alb", "DNSName": "cp-alb-1.elb.amazonaws.com",
                               "State": {"Code": "active"}, "SecurityGroups": ["sg-0123456789abcdef0"]}]}
HTTP = {"ListenerArn": ARN.replace(":loadbalancer/", ":listener/") + "/1", "Port": 80, "Protocol": "HTTP"}
HTTPS = {"ListenerArn": ARN.replace(":loadbalancer/", ":listener/") + "/2", "Port": 443, "Protocol": "HTTPS"}


@pytest.mark.parametrize("check_mode", [True, False])
def test_reads_the_balancer_and_its_listeners_by_port(check_mode):
    client, stub = stubbed("elbv2")
    stub.add_response("describe_load_balancers", BALANCER, {"Names": ["cp-alb"]})
    stub.add_response("describe_listeners", {"Listeners": [HTTPS, HTTP]}, {"LoadBalancerArn": ARN})
    with stub:
        result = mod.run(FakeModule({"name": "cp-alb", "include_listeners": True}, check_mode), client)
    stub.assert_no_pending_responses()
    assert result["changed"] is False and result["exists"] is True
    balancer = result["load_balancers"][0]
    assert balancer["load_balancer_arn"] == ARN and balancer["dns_name"] == "cp-alb-1.elb.amazonaws.com"
    assert [(listener["port"], listener["listener_arn"]) for listener in balancer["listeners"]] == [
        (80, HTTP["ListenerArn"]), (443, HTTPS["ListenerArn"])]


def test_listeners_are_read_only_when_asked():
    client, stub = stubbed("elbv2")
    stub.add_response("describe_load_balancers", BALANCER, {"Names": ["cp-alb"]})
    with stub:
        result = mod.run(FakeModule({"name": "cp-alb", "include_listeners": False}), client)
    stub.assert_no_pending_responses()
    assert "listeners" not in result["load_balancers"][0]


def test_a_missing_balancer_is_an_answer_not_an_error():
    # What AWS answers for a name it does not know (amazon.aws.elb_application_lb_info crashes on it).
    client, stub = stubbed("elbv2")
    stub.add_client_error("describe_load_balancers", "LoadBalancerNotFound", "One or more load balancers not found",
                          http_status_code=400, expected_params={"Names": ["cp-alb"]})
    with stub:
        result = mod.run(FakeModule({"name": "cp-alb", "include_listeners": True}), client)
    stub.assert_no_pending_responses()
    assert result == {"changed": False, "exists": False, "load_balancers": []}


def test_throttling_is_retried_then_other_errors_fail():
    client, stub = stubbed("elbv2")
    stub.add_client_error("describe_load_balancers", "Throttling", "Rate exceeded", http_status_code=400)
    stub.add_response("describe_load_balancers", BALANCER, {"Names": ["cp-alb"]})
    stub.add_client_error("describe_listeners", "AccessDenied", "no", http_status_code=403)
    with stub, pytest.raises(AnsibleElbv2AttributesError):
        mod.run(FakeModule({"name": "cp-alb", "include_listeners": True}), client)
    stub.assert_no_pending_responses()
