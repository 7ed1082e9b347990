"""Unit tests for cloudplatform.aws.config_managed_rule and config_configuration_recorder (botocore Stubber, real AWS Config model)."""

from __future__ import annotations

import pytest
from _account_fakes import FakeModule, client
from botocore.stub import Stubber

from ansible_collections.cloudplatform.aws.plugins.module_utils.config_recorder import AnsibleConfigRecorderError
from ansible_collections.cloudplatform.aws.plugins.modules import config_configuration_recorder as recorder_module
from ansible_collections.cloudplatform.aws.plugins.modules import config_managed_rule as rule_module

RULE_ARN = "arn:aws:config:us-east-1:123456789012:config-rule/config-rule-abc123"
ROLE = "arn:aws:iam::123456789012:role/cloudplatform-account-config"


def rule_params(**overrides):
    base = dict(name="cloudtrail-enabled", identifier="CLOUD_TRAIL_ENABLED", description="d", input_parameters={}, resource_types=[],
                maximum_execution_frequency=None, state="present", tags={"Project": "cloudplatform"}, purge_tags=True)
    return dict(base, **overrides)


def live_rule(identifier="CLOUD_TRAIL_ENABLED"):
    # AWS adds fields the module does not manage (state, id, evaluation modes): they must not count as drift.
    return {"ConfigRules": [{"ConfigRuleName": "cloudtrail-enabled", "ConfigRuleArn": RULE_ARN, "ConfigRuleId": "config-rule-abc123",
                             "Description": "d", "Source": {"Owner": "AWS", "SourceIdentifier": identifier},
                             "ConfigRuleState": "ACTIVE", "EvaluationModes": [{"Mode": "DETECTIVE"}]}]}


def rule_found(stub, identifier="CLOUD_TRAIL_ENABLED", tags=None):
    stub.add_response("describe_config_rules", live_rule(identifier), {"ConfigRuleNames": ["cloudtrail-enabled"]})
    stub.add_response("list_tags_for_resource", {"Tags": tags if tags is not None else [{"Key": "Project", "Value": "cloudplatform"}]},
                      {"ResourceArn": RULE_ARN})


@pytest.mark.parametrize("check_mode", [False, True])
def test_rule_is_created(check_mode):
    config = client("config")
    with Stubber(config) as stub:
        stub.add_client_error("describe_config_rules", "NoSuchConfigRuleException", http_status_code=400)
        if not check_mode:
            stub.add_response("put_config_rule", {}, {
                "ConfigRule": {"ConfigRuleName": "cloudtrail-enabled", "Description": "d",
                               "Source": {"Owner": "AWS", "SourceIdentifier": "CLOUD_TRAIL_ENABLED"}},
                "Tags": [{"Key": "Project", "Value": "cloudplatform"}]})
            rule_found(stub)
        result = rule_module.run(FakeModule(rule_params(), check_mode), config)
        stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["rule"]["identifier"] == "CLOUD_TRAIL_ENABLED"


@pytest.mark.parametrize("check_mode", [False, True])
def test_converged_rule_makes_no_write(check_mode):
    config = client("config")
    with Stubber(config) as stub:
        rule_found(stub)
        result = rule_module.run(FakeModule(rule_params(), check_mode), config)
        stub.assert_no_pending_responses()
    assert result["changed"] is False


@pytest.mark.parametrize("check_mode", [False, True])
def test_rule_drift_is_put_back(check_mode):
    config = client("config")
    with Stubber(config) as stub:
        rule_found(stub, identifier="S3_BUCKET_PUBLIC_READ_PROHIBITED")
        if not check_mode:
            stub.add_response("put_config_rule", {}, {"ConfigRule": {
                "ConfigRuleName": "cloudtrail-enabled", "Description": "d", "ConfigRuleArn": RULE_ARN,
                "Source": {"Owner": "AWS", "SourceIdentifier": "CLOUD_TRAIL_ENABLED"}}})
            rule_found(stub)
        result = rule_module.run(FakeModule(rule_params(), check_mode), config)
        stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["diff"]["before"]["identifier"] == "S3_BUCKET_PUBLIC_READ_PROHIBITED"


def recorder_params(**overrides):
    base = dict(name="default", state="present", role_arn=ROLE, all_supported=True, include_global_resource_types=True,
                resource_types=[], recording=True)
    return dict(base, **overrides)


def recorder_found(stub, recording=True, global_types=True):
    stub.add_response("describe_configuration_recorders", {"ConfigurationRecorders": [{
        "name": "default", "roleARN": ROLE,
        "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": global_types, "resourceTypes": [],
                           "exclusionByResourceTypes": {"resourceTypes": []},
                           "recordingStrategy": {"useOnly": "ALL_SUPPORTED_RESOURCE_TYPES"}},
        "recordingMode": {"recordingFrequency": "CONTINUOUS"}}]}, {"ConfigurationRecorderNames": ["default"]})
    stub.add_response("describe_configuration_recorder_status", {"ConfigurationRecordersStatus": [{"name": "default", "recording": recording}]},
                      {"ConfigurationRecorderNames": ["default"]})


@pytest.mark.parametrize("check_mode", [False, True])
def test_converged_recorder_makes_no_write(check_mode):
    config = client("config")
    with Stubber(config) as stub:
        recorder_found(stub)
        result = recorder_module.run(FakeModule(recorder_params(), check_mode), config)
        stub.assert_no_pending_responses()
    assert result["changed"] is False


@pytest.mark.parametrize("check_mode", [False, True])
def test_recorder_drift_is_fixed_and_started(check_mode):
    config = client("config")
    with Stubber(config) as stub:
        recorder_found(stub, recording=False, global_types=False)
        if not check_mode:
            stub.add_response("put_configuration_recorder", {}, {"ConfigurationRecorder": {
                "name": "default", "roleARN": ROLE, "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True}}})
            stub.add_response("start_configuration_recorder", {}, {"ConfigurationRecorderName": "default"})
            recorder_found(stub)
        result = recorder_module.run(FakeModule(recorder_params(), check_mode), config)
        stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["recorder"]["recording"] is True


def test_unset_recording_leaves_a_stopped_recorder_alone():
    config = client("config")
    with Stubber(config) as stub:
        recorder_found(stub, recording=False)
        result = recorder_module.run(FakeModule(recorder_params(recording=None)), config)
        stub.assert_no_pending_responses()
    assert result["changed"] is False


def test_absent_stops_then_deletes():
    config = client("config")
    with Stubber(config) as stub:
        recorder_found(stub)
        stub.add_response("stop_configuration_recorder", {}, {"ConfigurationRecorderName": "default"})
        stub.add_response("delete_configuration_recorder", {}, {"ConfigurationRecorderName": "default"})
        result = recorder_module.run(FakeModule(recorder_params(state="absent")), config)
        stub.assert_no_pending_responses()
    assert result["changed"] is True


def test_errors_are_raised():
    config = client("config")
    with Stubber(config) as stub:
        stub.add_client_error("describe_configuration_recorders", "AccessDeniedException", http_status_code=400)
        with pytest.raises(AnsibleConfigRecorderError):
            recorder_module.run(FakeModule(recorder_params()), config)
