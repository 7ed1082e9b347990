"""Unit tests for cloudplatform.aws.wafv2_logging_configuration against the real WAFv2 model (Stubber)."""

import pytest
from _edge_fakes import FakeModule, stubbed

from ansible_collections.cloudplatform.aws.plugins.module_utils.wafv2 import AnsibleWafv2Error
from ansible_collections.cloudplatform.aws.plugins.modules import wafv2_logging_configuration as mod

ACL = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/cp-waf/1111"
GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-cp"
FILTER = {"default_behavior": "KEEP", "filters": [{"behavior": "DROP", "requirement": "MEETS_ALL",
                                                   "conditions": [{"action_condition": {"action": "ALLOW"}}]}]}
API_FILTER = {"DefaultBehavior": "KEEP", "Filters": [{"Behavior": "DROP", "Requirement": "MEETS_ALL",
                                                      "Conditions": [{"ActionCondition": {"Action": "ALLOW"}}]}]}


def params(**overrides):
    values = {"web_acl_arn": ACL, "state": "present", "log_destination_configs": [GROUP],
              "redacted_fields": [{"single_header": {"name": "authorization"}}], "logging_filter": FILTER}
    values.update(overrides)
    return values


def live(**overrides):
    configuration = {"ResourceArn": ACL, "LogDestinationConfigs": [GROUP], "ManagedByFirewallManager": False,
                     "RedactedFields": [{"SingleHeader": {"Name": "authorization"}}], "LoggingFilter": API_FILTER}
    configuration.update(overrides)
    return configuration


@pytest.mark.parametrize("check_mode", [True, False])
def test_puts_configuration_when_missing(check_mode):
    client, stub = stubbed("wafv2")
    stub.add_client_error("get_logging_configuration", "WAFNonexistentItemException", "none")
    if not check_mode:
        expected = {k: v for k, v in live().items() if k != "ManagedByFirewallManager"}
        stub.add_response("put_logging_configuration", {"LoggingConfiguration": live()}, {"LoggingConfiguration": expected})
    with stub:
        result = mod.run(FakeModule(params(), check_mode), client)
    stub.assert_no_pending_responses()
    assert result["changed"] is True and result["diff"]["before"] == {}
    after = result["logging_configuration"]
    assert after["log_destination_configs"] == [GROUP]
    assert after["redacted_fields"] == [{"single_header": {"name": "authorization"}}]
    assert after["logging_filter"] == FILTER


@pytest.mark.parametrize("check_mode", [True, False])
def test_no_write_when_equal(check_mode):
    client, stub = stubbed("wafv2")
    stub.add_response("get_logging_configuration", {"LoggingConfiguration": live()}, {"ResourceArn": ACL})
    with stub:
        result = mod.run(FakeModule(params(), check_mode), client)
    stub.assert_no_pending_responses()
    assert result["changed"] is False
    assert result["diff"]["before"] == result["diff"]["after"]


@pytest.mark.parametrize("check_mode", [True, False])
def test_drift_in_redacted_fields_is_put_back(check_mode):
    client, stub = stubbed("wafv2")
    stub.add_response("get_logging_configuration", {"LoggingConfiguration": live(RedactedFields=[])}, {"ResourceArn": ACL})
    if not check_mode:
        stub.add_response("put_logging_configuration", {"LoggingConfiguration": live()})
    with stub:
        result = mod.run(FakeModule(params(), check_mode), client)
    stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["diff"]["before"]["redacted_fields"] == []
    assert result["diff"]["after"]["redacted_fields"] == [{"single_header": {"name": "authorization"}}]


def test_unset_filter_equals_no_filter():
    client, stub = stubbed("wafv2")
    stub.add_response("get_logging_configuration", {"LoggingConfiguration": {"ResourceArn": ACL, "LogDestinationConfigs": [GROUP]}})
    with stub:
        result = mod.run(FakeModule(params(redacted_fields=[], logging_filter=None)), client)
    assert result["changed"] is False


@pytest.mark.parametrize("check_mode", [True, False])
def test_absent_deletes(check_mode):
    client, stub = stubbed("wafv2")
    stub.add_response("get_logging_configuration", {"LoggingConfiguration": live()}, {"ResourceArn": ACL})
    if not check_mode:
        stub.add_response("delete_logging_configuration", {}, {"ResourceArn": ACL})
    with stub:
        result = mod.run(FakeModule(params(state="absent"), check_mode), client)
    stub.assert_no_pending_responses()
    assert result["changed"] is True and result["logging_configuration"] == {}


def test_absent_when_missing_is_no_change():
    client, stub = stubbed("wafv2")
    stub.add_client_error("get_logging_configuration", "WAFNonexistentItemException", "none")
    with stub:
        result = mod.run(FakeModule(params(state="absent")), client)
    assert result["changed"] is False


def test_put_error_is_raised_for_fail_json_aws():
    client, stub = stubbed("wafv2")
    stub.add_client_error("get_logging_configuration", "WAFNonexistentItemException", "none")
    stub.add_client_error("put_logging_configuration", "WAFLimitsExceededException", "too many")
    with stub, pytest.raises(AnsibleWafv2Error) as caught:
        mod.run(FakeModule(params()), client)
    assert "put logging configuration" in str(caught.value)
