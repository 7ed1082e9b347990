"""cloudplatform.aws.elbv2_target_group_set against a botocore Stubber on the real ELBv2 model.

Every request is checked against the model and the exact parameters expected; a call the test did
not stub fails the test, so "no write call" is asserted by not stubbing one.
"""

from __future__ import annotations

import pytest
from _edge_fakes import FailJson, FakeModule, stubbed

from ansible_collections.cloudplatform.aws.plugins.module_utils.elbv2_target_groups import AnsibleElbv2TargetGroupError
from ansible_collections.cloudplatform.aws.plugins.modules import elbv2_target_group_set as module

VPC = "vpc-0123456789abcdef0"
TAGS = {"Environment": "prod", "Service": "api"}
OPTIONS = (
    "protocol", "port", "target_type", "vpc_id", "protocol_version", "health_check_enabled", "health_check_protocol",
    "health_check_port", "health_check_path", "health_check_interval", "health_check_timeout", "healthy_threshold_count",
    "unhealthy_threshold_count", "successful_response_codes", "deregistration_delay_timeout", "stickiness_enabled",
    "stickiness_type", "stickiness_lb_cookie_duration", "load_balancing_algorithm_type", "tags",
)


def arn(name):
    return f"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/{name}/0123456789abcdef"


def group(name, **values):
    """A target_groups entry as the argument spec hands it over: every option present."""
    entry = dict.fromkeys(OPTIONS)
    entry.update(name=name, protocol="HTTP", port=8000, target_type="ip", vpc_id=VPC, health_check_protocol="HTTP",
                 health_check_port="traffic-port", health_check_path="/health", health_check_interval=30,
                 health_check_timeout=5, healthy_threshold_count=2, unhealthy_threshold_count=3,
                 successful_response_codes="200", deregistration_delay_timeout=30, tags=TAGS, purge_tags=True)
    entry.update(values)
    return entry


def bare(name):
    """An entry with only a name, as state=absent takes it."""
    return dict(dict.fromkeys(OPTIONS), name=name, purge_tags=True)


API = group("cp-tg-api")
INGEST = group("cp-tg-ingest", port=8080, health_check_path="/ready", tags={"Environment": "prod", "Service": "ingest"})


def described(entry, **changes):
    """What DescribeTargetGroups answers for a target group converged to entry."""
    answer = {
        "TargetGroupArn": arn(entry["name"]), "TargetGroupName": entry["name"], "Protocol": "HTTP", "Port": entry["port"],
        "VpcId": VPC, "HealthCheckProtocol": "HTTP", "HealthCheckPort": "traffic-port", "HealthCheckEnabled": True,
        "HealthCheckIntervalSeconds": 30, "HealthCheckTimeoutSeconds": 5, "HealthyThresholdCount": 2,
        "UnhealthyThresholdCount": 3, "HealthCheckPath": entry["health_check_path"], "Matcher": {"HttpCode": "200"},
        "LoadBalancerArns": [], "TargetType": "ip", "ProtocolVersion": "HTTP1", "IpAddressType": "ipv4",
    }
    answer.update(changes)
    return answer


def attributes(**changes):
    values = {"deregistration_delay.timeout_seconds": "30", "stickiness.enabled": "false", "stickiness.type": "lb_cookie",
              "load_balancing.algorithm.type": "round_robin", "slow_start.duration_seconds": "0"}
    values.update(changes)
    return {"Attributes": [{"Key": k, "Value": v} for k, v in values.items()]}


def tag_list(tags):
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def params(groups=None, state="present"):
    return {"target_groups": groups if groups is not None else [API, INGEST], "state": state}


def read(stub, groups, tags=None, attrs=None):
    """The reads of a set whose target groups all exist: one describe, one tag read, one attribute read each."""
    stub.add_response("describe_target_groups", {"TargetGroups": groups}, {"Names": [g["TargetGroupName"] for g in groups]})
    read_details(stub, groups, tags, attrs)


def read_details(stub, groups, tags=None, attrs=None):
    stub.add_response("describe_tags", {"TagDescriptions": [
        {"ResourceArn": g["TargetGroupArn"], "Tags": tag_list((tags or {}).get(g["TargetGroupName"], TAGS if g["TargetGroupName"] == API["name"]
                                                                                else INGEST["tags"]))} for g in groups]},
        {"ResourceArns": [g["TargetGroupArn"] for g in groups]})
    for g in groups:
        stub.add_response("describe_target_group_attributes", (attrs or {}).get(g["TargetGroupName"], attributes()),
                          {"TargetGroupArn": g["TargetGroupArn"]})


def reread(stub, groups, tags=None, attrs=None):
    stub.add_response("describe_target_groups", {"TargetGroups": groups}, {"TargetGroupArns": [g["TargetGroupArn"] for g in groups]})
    read_details(stub, groups, tags, attrs)


def run(stub, client, module_params, check_mode=False):
    with stub:
        result = module.run(FakeModule(module_params, check_mode), client)
    stub.assert_no_pending_responses()
    return result


@pytest.mark.parametrize("check_mode", [False, True])
def test_converged_set_makes_no_write_and_keeps_input_order(check_mode):
    client, stub = stubbed("elbv2")
    stub.add_response("describe_target_groups", {"TargetGroups": [described(API), described(INGEST)]},
                      {"Names": [INGEST["name"], API["name"]]})
    read_details(stub, [described(API), described(INGEST)])
    result = run(stub, client, params([INGEST, API]), check_mode)
    assert result["changed"] is False
    assert result["created"] == result["updated"] == result["deleted"] == []
    assert result["diff"] == {"before": {}, "after": {}}
    assert [g["target_group_name"] for g in result["target_groups"]] == [INGEST["name"], API["name"]]
    api = result["target_groups"][1]
    assert api["target_group_arn"] == arn(API["name"]) and api["health_check_interval_seconds"] == 30
    assert api["matcher"] == {"http_code": "200"} and api["tags"] == TAGS
    assert api["attributes"]["deregistration_delay.timeout_seconds"] == "30"


@pytest.mark.parametrize("check_mode", [False, True])
def test_creates_the_missing_group_after_asking_per_name(check_mode):
    client, stub = stubbed("elbv2")
    stub.add_client_error("describe_target_groups", "TargetGroupNotFound", "One or more target groups not found",
                          expected_params={"Names": [API["name"], INGEST["name"]]})
    stub.add_response("describe_target_groups", {"TargetGroups": [described(API)]}, {"Names": [API["name"]]})
    stub.add_client_error("describe_target_groups", "TargetGroupNotFound", "not found", expected_params={"Names": [INGEST["name"]]})
    read_details(stub, [described(API)])
    if not check_mode:
        stub.add_response("create_target_group", {"TargetGroups": [described(INGEST)]}, {
            "Name": INGEST["name"], "Protocol": "HTTP", "Port": 8080, "VpcId": VPC, "TargetType": "ip",
            "HealthCheckProtocol": "HTTP", "HealthCheckPort": "traffic-port", "HealthCheckPath": "/ready",
            "HealthCheckIntervalSeconds": 30, "HealthCheckTimeoutSeconds": 5, "HealthyThresholdCount": 2,
            "UnhealthyThresholdCount": 3, "Matcher": {"HttpCode": "200"}, "Tags": tag_list(INGEST["tags"])})
        stub.add_response("modify_target_group_attributes", attributes(), {
            "TargetGroupArn": arn(INGEST["name"]), "Attributes": [{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}]})
        reread(stub, [described(INGEST)])
    result = run(stub, client, params(), check_mode)
    assert result["changed"] is True
    assert result["created"] == [INGEST["name"]] and result["updated"] == []
    ingest = result["target_groups"][1]
    assert ingest["target_group_arn"] == (None if check_mode else arn(INGEST["name"]))
    assert ingest["port"] == 8080 and ingest["health_check_path"] == "/ready" and ingest["tags"] == INGEST["tags"]
    assert list(result["diff"]["after"]) == [INGEST["name"]] and result["diff"]["before"] == {}
    assert result["target_groups"][0]["target_group_arn"] == arn(API["name"])


@pytest.mark.parametrize("check_mode", [False, True])
def test_health_check_drift_is_modified_with_only_the_differing_fields(check_mode):
    client, stub = stubbed("elbv2")
    drifted = described(API, HealthCheckIntervalSeconds=10, Matcher={"HttpCode": "200-299"})
    read(stub, [drifted])
    if not check_mode:
        stub.add_response("modify_target_group", {"TargetGroups": [described(API)]}, {
            "TargetGroupArn": arn(API["name"]), "HealthCheckIntervalSeconds": 30, "Matcher": {"HttpCode": "200"}})
        reread(stub, [described(API)])
    result = run(stub, client, params([API]), check_mode)
    assert result["changed"] is True and result["updated"] == [API["name"]]
    assert result["diff"]["before"][API["name"]]["health_check_interval_seconds"] == 10
    assert result["diff"]["after"][API["name"]]["health_check_interval_seconds"] == 30
    assert result["diff"]["after"][API["name"]]["matcher"] == {"http_code": "200"}
    assert result["diff"]["before_header"] == f"target groups {API['name']}"


def test_response_codes_compare_as_a_set():
    client, stub = stubbed("elbv2")
    read(stub, [described(API, Matcher={"HttpCode": "202,200"})])
    result = run(stub, client, params([dict(API, successful_response_codes="200, 202")]))
    assert result["changed"] is False


def test_changed_response_codes_are_sent_without_blanks():
    client, stub = stubbed("elbv2")
    read(stub, [described(API)])
    stub.add_response("modify_target_group", {}, {"TargetGroupArn": arn(API["name"]), "Matcher": {"HttpCode": "200,202"}})
    reread(stub, [described(API, Matcher={"HttpCode": "200,202"})])
    result = run(stub, client, params([dict(API, successful_response_codes="200, 202")]))
    assert result["updated"] == [API["name"]]


def test_grpc_codes_go_to_grpc_code():
    client, stub = stubbed("elbv2")
    read(stub, [described(API, ProtocolVersion="GRPC", Matcher={"GrpcCode": "12"})])
    stub.add_response("modify_target_group", {}, {"TargetGroupArn": arn(API["name"]), "Matcher": {"GrpcCode": "0"}})
    reread(stub, [described(API, ProtocolVersion="GRPC", Matcher={"GrpcCode": "0"})])
    result = run(stub, client, params([dict(API, successful_response_codes="0")]))
    assert result["target_groups"][0]["matcher"] == {"grpc_code": "0"}


@pytest.mark.parametrize("check_mode", [False, True])
def test_attribute_drift_writes_only_the_differing_attributes(check_mode):
    client, stub = stubbed("elbv2")
    wanted = dict(API, stickiness_enabled=True, stickiness_lb_cookie_duration=3600, load_balancing_algorithm_type="round_robin")
    read(stub, [described(API)], attrs={API["name"]: attributes(**{"deregistration_delay.timeout_seconds": "300"})})
    if not check_mode:
        stub.add_response("modify_target_group_attributes", attributes(), {"TargetGroupArn": arn(API["name"]), "Attributes": [
            {"Key": "deregistration_delay.timeout_seconds", "Value": "30"}, {"Key": "stickiness.enabled", "Value": "true"},
            {"Key": "stickiness.lb_cookie.duration_seconds", "Value": "3600"}]})
        reread(stub, [described(API)], attrs={API["name"]: attributes(**{
            "stickiness.enabled": "true", "stickiness.lb_cookie.duration_seconds": "3600"})})
    result = run(stub, client, params([wanted]), check_mode)
    assert result["updated"] == [API["name"]]
    after = result["target_groups"][0]["attributes"]
    assert after["deregistration_delay.timeout_seconds"] == "30" and after["stickiness.enabled"] == "true"
    assert after["stickiness.lb_cookie.duration_seconds"] == "3600" and after["slow_start.duration_seconds"] == "0"
    assert result["diff"]["before"][API["name"]]["attributes"]["deregistration_delay.timeout_seconds"] == "300"


@pytest.mark.parametrize("check_mode", [False, True])
def test_stray_tag_is_purged_and_missing_one_added(check_mode):
    client, stub = stubbed("elbv2")
    read(stub, [described(API)], tags={API["name"]: {"Environment": "prod", "Stray": "x"}})
    if not check_mode:
        stub.add_response("remove_tags", {}, {"ResourceArns": [arn(API["name"])], "TagKeys": ["Stray"]})
        stub.add_response("add_tags", {}, {"ResourceArns": [arn(API["name"])], "Tags": [{"Key": "Service", "Value": "api"}]})
        reread(stub, [described(API)])
    result = run(stub, client, params([API]), check_mode)
    assert result["updated"] == [API["name"]]
    assert result["target_groups"][0]["tags"] == TAGS
    assert result["diff"]["before"][API["name"]]["tags"] == {"Environment": "prod", "Stray": "x"}


def test_purge_tags_false_keeps_other_tags_and_numbers_compare_as_text():
    client, stub = stubbed("elbv2")
    read(stub, [described(API)], tags={API["name"]: {"Environment": "prod", "Service": "api", "Owner": "ops", "Tier": "1"}})
    result = run(stub, client, params([dict(API, tags={"Environment": "prod", "Tier": 1}, purge_tags=False)]))
    assert result["changed"] is False


def test_unset_options_are_not_touched():
    client, stub = stubbed("elbv2")
    read(stub, [described(API, HealthCheckIntervalSeconds=10, Port=9999)], tags={API["name"]: {"Anything": "x"}},
         attrs={API["name"]: attributes(**{"deregistration_delay.timeout_seconds": "300"})})
    result = run(stub, client, params([bare(API["name"])]))
    assert result["changed"] is False and result["target_groups"][0]["port"] == 9999


@pytest.mark.parametrize(("option", "current", "wanted"), [
    ("port", 8000, 8001), ("protocol", "HTTP", "HTTPS"), ("vpc_id", VPC, "vpc-0fedcba9876543210"), ("target_type", "ip", "instance"),
])
def test_fixed_setting_change_fails_naming_group_option_and_values_before_any_write(option, current, wanted):
    client, stub = stubbed("elbv2")
    read(stub, [described(INGEST), described(API)])
    with pytest.raises(FailJson) as caught:
        run(stub, client, params([INGEST, dict(API, **{option: wanted})]))
    message = str(caught.value)
    assert message.startswith(f"target_groups[1] (cp-tg-api).{option}: current {current!r}, wanted {wanted!r}")
    assert "listener rules" in message


def test_creation_without_vpc_fails_before_any_write():
    client, stub = stubbed("elbv2")
    stub.add_client_error("describe_target_groups", "TargetGroupNotFound", "none", expected_params={"Names": [API["name"]]})
    with pytest.raises(FailJson, match=r"target_groups\[0\] \(cp-tg-api\): the target group does not exist and vpc_id is unset"):
        run(stub, client, params([dict(API, vpc_id=None)]))


@pytest.mark.parametrize(("entry", "message"), [
    (dict(API, name="x" * 33), "target_groups[0].name: '" + "x" * 33 + "' is not a valid target group name"),
    (dict(API, name="-api"), "target_groups[0].name: '-api' is not a valid target group name"),
    (dict(API, health_check_interval=1), "target_groups[0] (cp-tg-api).health_check_interval: 1 is out of range; expected 5-300"),
    (dict(API, deregistration_delay_timeout=4000), "deregistration_delay_timeout: 4000 is out of range; expected 0-3600"),
    (dict(API, target_type="lambda"), "target_groups[0] (cp-tg-api).protocol: 'HTTP' is not allowed with target_type lambda"),
])
def test_bad_input_fails_before_any_call(entry, message):
    client, stub = stubbed("elbv2")
    with pytest.raises(FailJson) as caught:
        run(stub, client, params([entry]))
    assert message in str(caught.value)


def test_duplicate_names_fail_before_any_call():
    client, stub = stubbed("elbv2")
    with pytest.raises(FailJson, match=r"target_groups\[1\].name: 'cp-tg-api' is already target_groups\[0\]"):
        run(stub, client, params([API, API]))


def test_tags_are_read_20_arns_per_call():
    client, stub = stubbed("elbv2")
    entries = [group(f"cp-tg-{i:02d}", tags=None) for i in range(21)]
    groups = [described(e) for e in entries]
    stub.add_response("describe_target_groups", {"TargetGroups": groups}, {"Names": [e["name"] for e in entries]})
    for chunk in (groups[:20], groups[20:]):
        stub.add_response("describe_tags", {"TagDescriptions": [{"ResourceArn": g["TargetGroupArn"]} for g in chunk]},
                          {"ResourceArns": [g["TargetGroupArn"] for g in chunk]})
    for g in groups:
        stub.add_response("describe_target_group_attributes", attributes(), {"TargetGroupArn": g["TargetGroupArn"]})
    result = run(stub, client, params(entries))
    assert result["changed"] is False and len(result["target_groups"]) == 21


@pytest.mark.parametrize("check_mode", [False, True])
def test_absent_deletes_the_groups_that_exist(check_mode):
    client, stub = stubbed("elbv2")
    stub.add_client_error("describe_target_groups", "TargetGroupNotFound", "none", expected_params={"Names": [API["name"], INGEST["name"]]})
    stub.add_response("describe_target_groups", {"TargetGroups": [described(API)]}, {"Names": [API["name"]]})
    stub.add_client_error("describe_target_groups", "TargetGroupNotFound", "none", expected_params={"Names": [INGEST["name"]]})
    read_details(stub, [described(API)])
    if not check_mode:
        stub.add_response("delete_target_group", {}, {"TargetGroupArn": arn(API["name"])})
    result = run(stub, client, params([bare(API["name"]), bare(INGEST["name"])], state="absent"), check_mode)
    assert result["changed"] is True and result["deleted"] == [API["name"]]
    assert result["target_groups"] == [] and list(result["diff"]["before"]) == [API["name"]]


def test_absent_on_nothing_is_unchanged():
    client, stub = stubbed("elbv2")
    stub.add_client_error("describe_target_groups", "TargetGroupNotFound", "none", expected_params={"Names": [API["name"]]})
    result = run(stub, client, params([bare(API["name"])], state="absent"))
    assert result["changed"] is False and result["deleted"] == []


def test_api_error_is_raised_for_fail_json_aws():
    client, stub = stubbed("elbv2")
    stub.add_response("describe_target_groups", {"TargetGroups": [described(API)]}, {"Names": [API["name"]]})
    stub.add_response("describe_tags", {"TagDescriptions": []}, {"ResourceArns": [arn(API["name"])]})
    stub.add_client_error("describe_target_group_attributes", "AccessDenied", "not allowed", http_status_code=403)
    with pytest.raises(AnsibleElbv2TargetGroupError, match="Failed to describe target group attributes") as caught:
        run(stub, client, params([API]))
    assert caught.value.exception.response["Error"]["Code"] == "AccessDenied"


def test_listener_still_forwarding_stops_the_delete_with_the_api_error():
    client, stub = stubbed("elbv2")
    read(stub, [described(API)])
    stub.add_client_error("delete_target_group", "ResourceInUse", "Target group is currently in use by a listener or a rule",
                          expected_params={"TargetGroupArn": arn(API["name"])})
    with pytest.raises(AnsibleElbv2TargetGroupError, match="Failed to delete target group"):
        run(stub, client, params([bare(API["name"])], state="absent"))
