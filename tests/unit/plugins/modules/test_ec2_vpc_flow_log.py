"""Unit tests for cloudplatform.aws.ec2_vpc_flow_log: module logic with patched module_utils, and the
module_utils wrappers against the real EC2 service model (botocore Stubber)."""

from unittest.mock import MagicMock

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from ansible_collections.cloudplatform.aws.plugins.module_utils import ec2_flow_logs
from ansible_collections.cloudplatform.aws.plugins.modules import ec2_vpc_flow_log as mod

ROLE = "arn:aws:iam::123456789012:role/cp-role-flow-logs"
GROUP = "/vpc/cp/flow-logs"


def live(**overrides):
    flow_log = {
        "FlowLogId": "fl-1", "ResourceId": "vpc-1", "FlowLogStatus": "ACTIVE", "DeliverLogsStatus": "SUCCESS",
        "LogDestinationType": "cloud-watch-logs", "LogGroupName": GROUP, "TrafficType": "ALL",
        "DeliverLogsPermissionArn": ROLE, "MaxAggregationInterval": 60, "LogFormat": "${version} ${srcaddr}",
        "Tags": [{"Key": "Name", "Value": "cp-flow-log-vpc"}],
    }
    flow_log.update(overrides)
    return flow_log


def params(**overrides):
    values = {
        "state": "present", "resource_id": "vpc-1", "resource_type": None, "destination_type": "cloud-watch-logs",
        "log_group_name": GROUP, "log_destination": None, "deliver_logs_permission_arn": ROLE, "traffic_type": "ALL",
        "log_format": None, "max_aggregation_interval": 60, "tags": {"Name": "cp-flow-log-vpc"}, "purge_tags": True,
    }
    values.update(overrides)
    return values


@pytest.fixture
def module():
    m = MagicMock()
    m.fail_json.side_effect = SystemExit(1)
    return m


@pytest.fixture
def api(monkeypatch):
    calls = MagicMock()
    state = {"flow_logs": []}
    calls.describe_flow_logs.side_effect = lambda client, **kw: list(state["flow_logs"]) if "Filters" in kw else [live(FlowLogId="fl-new")]
    calls.create_flow_logs.return_value = {"FlowLogIds": ["fl-new"], "Unsuccessful": []}
    calls.delete_flow_log.return_value = []
    for name in ("describe_flow_logs", "create_flow_logs", "delete_flow_log", "create_tags", "delete_tags"):
        monkeypatch.setattr(mod, name, getattr(calls, name))
    calls.state = state
    return calls


@pytest.mark.parametrize("check_mode", [True, False])
def test_creates_when_missing(module, api, check_mode):
    module.params, module.check_mode = params(), check_mode
    result = mod.ensure_present(MagicMock(), module)
    assert result["changed"] is True and result["replaced"] is False
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["max_aggregation_interval"] == 60
    if check_mode:
        api.create_flow_logs.assert_not_called()
    else:
        request = api.create_flow_logs.call_args.kwargs
        assert request["ResourceType"] == "VPC" and request["LogGroupName"] == GROUP
        assert request["DeliverLogsPermissionArn"] == ROLE and request["MaxAggregationInterval"] == 60
        assert request["TagSpecifications"][0]["ResourceType"] == "vpc-flow-log"
        assert result["flow_log"]["flow_log_id"] == "fl-new"


@pytest.mark.parametrize("check_mode", [True, False])
def test_no_change_when_equal(module, api, check_mode):
    api.state["flow_logs"] = [live()]
    module.params, module.check_mode = params(), check_mode
    result = mod.ensure_present(MagicMock(), module)
    assert result["changed"] is False
    assert result["flow_log"]["tags"] == {"Name": "cp-flow-log-vpc"}
    assert result["diff"]["before"] == result["diff"]["after"]
    for name in ("create_flow_logs", "delete_flow_log", "create_tags", "delete_tags"):
        getattr(api, name).assert_not_called()


@pytest.mark.parametrize("check_mode", [True, False])
def test_tags_are_updated_in_place(module, api, check_mode):
    api.state["flow_logs"] = [live(Tags=[{"Key": "Name", "Value": "old"}, {"Key": "Stale", "Value": "x"}])]
    module.params, module.check_mode = params(tags={"Name": "cp-flow-log-vpc", "Owner": "team"}), check_mode
    result = mod.ensure_present(MagicMock(), module)
    assert result["changed"] is True and result["replaced"] is False
    api.create_flow_logs.assert_not_called()
    if check_mode:
        assert result["diff"]["after"]["tags"] == {"Name": "cp-flow-log-vpc", "Owner": "team"}
        api.create_tags.assert_not_called()
    else:
        api.delete_tags.assert_called_once_with(mod.delete_tags.call_args.args[0], "fl-1", ["Stale"])
        assert api.create_tags.call_args.args[2] == {"Name": "cp-flow-log-vpc", "Owner": "team"}


@pytest.mark.parametrize("check_mode", [True, False])
@pytest.mark.parametrize(("option", "value"), [("traffic_type", "REJECT"), ("max_aggregation_interval", 600),
                                                 ("log_format", "${srcaddr}"), ("deliver_logs_permission_arn", ROLE + "2")])
def test_immutable_change_replaces(module, api, check_mode, option, value):
    api.state["flow_logs"] = [live()]
    module.params, module.check_mode = params(**{option: value}), check_mode
    result = mod.ensure_present(MagicMock(), module)
    assert result["changed"] is True and result["replaced"] is True
    assert result["diff"]["before"][option] != value
    if check_mode:
        assert result["diff"]["after"][option] == value
        api.delete_flow_log.assert_not_called()
        api.create_flow_logs.assert_not_called()
    else:
        assert api.delete_flow_log.call_args.args[1] == "fl-1"
        assert api.create_flow_logs.call_args.kwargs[mod.IMMUTABLE[option]] == value


def test_other_destinations_are_left_alone(module, api):
    api.state["flow_logs"] = [live(FlowLogId="fl-other", LogGroupName="/other")]
    module.params, module.check_mode = params(), False
    result = mod.ensure_present(MagicMock(), module)
    assert result["replaced"] is False
    api.delete_flow_log.assert_not_called()
    api.create_flow_logs.assert_called_once()


def test_log_destination_arn_matches_log_group_name(module, api):
    api.state["flow_logs"] = [live(LogGroupName=None, LogDestination="arn:aws:logs:us-east-1:123456789012:log-group:%s:*" % GROUP)]
    module.params, module.check_mode = params(), False
    assert mod.ensure_present(MagicMock(), module)["changed"] is False


def test_s3_destination_matches_without_trailing_slash(module, api):
    api.state["flow_logs"] = [live(LogDestinationType="s3", LogGroupName=None, LogDestination="arn:aws:s3:::bucket/prefix/",
                                   DeliverLogsPermissionArn=None)]
    module.params, module.check_mode = params(destination_type="s3", log_group_name=None, log_destination="arn:aws:s3:::bucket/prefix",
                                              deliver_logs_permission_arn=ROLE), False
    assert mod.ensure_present(MagicMock(), module)["changed"] is False


@pytest.mark.parametrize("check_mode", [True, False])
def test_absent_deletes_every_match(module, api, check_mode):
    api.state["flow_logs"] = [live(), live(FlowLogId="fl-2", TrafficType="REJECT")]
    module.params, module.check_mode = params(state="absent"), check_mode
    result = mod.ensure_absent(MagicMock(), module)
    assert result["changed"] is True and result["diff"]["after"] == {}
    assert api.delete_flow_log.call_count == (0 if check_mode else 2)


@pytest.mark.parametrize("check_mode", [True, False])
def test_absent_when_missing_is_no_change(module, api, check_mode):
    module.params, module.check_mode = params(state="absent"), check_mode
    assert mod.ensure_absent(MagicMock(), module)["changed"] is False
    api.delete_flow_log.assert_not_called()


def test_create_failure_reported_by_aws_fails_the_module(module, api):
    api.create_flow_logs.return_value = {"FlowLogIds": [], "Unsuccessful": [
        {"ResourceId": "vpc-1", "Error": {"Code": "400", "Message": "LogDestination does not exist"}}]}
    module.params, module.check_mode = params(), False
    with pytest.raises(SystemExit):
        mod.ensure_present(MagicMock(), module)
    assert "LogDestination does not exist" in module.fail_json.call_args.kwargs["msg"]


def test_delete_failure_other_than_not_found_fails(module, api):
    api.delete_flow_log.return_value = [{"FlowLogId": "fl-1", "Error": {"Code": "Client.UnauthorizedOperation", "Message": "denied"}}]
    with pytest.raises(SystemExit):
        mod.delete(MagicMock(), module, "fl-1")
    api.delete_flow_log.return_value = [{"FlowLogId": "fl-1", "Error": {"Code": "InvalidFlowLogId.NotFound", "Message": "gone"}}]
    mod.delete(MagicMock(), MagicMock(), "fl-1")


@pytest.mark.parametrize(("resource_id", "kind"), [("vpc-1", "VPC"), ("subnet-1", "Subnet"), ("eni-1", "NetworkInterface")])
def test_resource_type_from_prefix(module, resource_id, kind):
    module.params = params(resource_id=resource_id)
    assert mod.resource_type(module) == kind


def test_unknown_prefix_names_the_option(module):
    module.params = params(resource_id="i-123")
    with pytest.raises(SystemExit):
        mod.resource_type(module)
    assert "resource_id: 'i-123'" in module.fail_json.call_args.kwargs["msg"]


# module_utils wrappers against the real EC2 service model.
@pytest.fixture
def ec2():
    client = boto3.client("ec2", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(client) as stubber:
        yield client, stubber


def test_wrappers_send_what_the_service_model_accepts(ec2):
    client, stubber = ec2
    stubber.add_response("describe_flow_logs", {"FlowLogs": [live()]}, {"Filters": [{"Name": "resource-id", "Values": ["vpc-1"]}]})
    stubber.add_response("create_flow_logs", {"FlowLogIds": ["fl-9"], "Unsuccessful": []},
                         {"ResourceIds": ["vpc-1"], "ResourceType": "VPC", "TrafficType": "ALL", "LogGroupName": GROUP,
                          "DeliverLogsPermissionArn": ROLE, "MaxAggregationInterval": 60})
    stubber.add_response("delete_flow_logs", {"Unsuccessful": []}, {"FlowLogIds": ["fl-9"]})
    stubber.add_response("create_tags", {}, {"Resources": ["fl-9"], "Tags": [{"Key": "A", "Value": "b"}]})
    stubber.add_response("delete_tags", {}, {"Resources": ["fl-9"], "Tags": [{"Key": "C"}]})
    assert ec2_flow_logs.describe_flow_logs(client, Filters=[{"Name": "resource-id", "Values": ["vpc-1"]}])[0]["FlowLogId"] == "fl-1"
    assert ec2_flow_logs.create_flow_logs(client, ResourceIds=["vpc-1"], ResourceType="VPC", TrafficType="ALL", LogGroupName=GROUP,
                                          DeliverLogsPermissionArn=ROLE, MaxAggregationInterval=60)["FlowLogIds"] == ["fl-9"]
    assert ec2_flow_logs.delete_flow_log(client, "fl-9") == []
    assert ec2_flow_logs.create_tags(client, "fl-9", {"A": "b"}) is True
    assert ec2_flow_logs.delete_tags(client, "fl-9", ["C"]) is True
    stubber.assert_no_pending_responses()


def test_wrapper_errors_become_flow_log_errors(ec2):
    client, stubber = ec2
    stubber.add_client_error("create_flow_logs", service_error_code="FlowLogAlreadyExists", service_message="exists", http_status_code=400)
    with pytest.raises(ec2_flow_logs.FlowLogError) as error:
        ec2_flow_logs.create_flow_logs(client, ResourceIds=["vpc-1"], ResourceType="VPC", TrafficType="ALL")
    assert isinstance(error.value.exception, ClientError)


def test_missing_flow_log_on_delete_is_not_an_error(ec2):
    client, stubber = ec2
    stubber.add_client_error("delete_flow_logs", service_error_code="InvalidFlowLogId.NotFound", http_status_code=400)
    assert ec2_flow_logs.delete_flow_log(client, "fl-gone") is False
