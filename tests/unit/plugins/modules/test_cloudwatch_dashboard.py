"""cloudplatform.aws.cloudwatch_dashboard against a botocore Stubber on the real CloudWatch model."""

from __future__ import annotations

import json

import pytest
from _monitoring_fakes import FakeModule, client
from botocore.stub import Stubber

from ansible_collections.cloudplatform.aws.plugins.module_utils.cloudwatch import CloudWatchError
from ansible_collections.cloudplatform.aws.plugins.modules import cloudwatch_dashboard as module

NAME = "cloudplatform-prod-overview"
ARN = f"arn:aws:cloudwatch::123456789012:dashboard/{NAME}"
BODY = {"widgets": [{"type": "metric", "x": 0, "y": 0, "width": 8, "height": 6,
                     "properties": {"title": "api CPU (%)", "region": "us-east-1", "metrics": [["AWS/ECS", "CPUUtilization"]]}}]}


def params(**changes):
    return dict(dict(name=NAME, body=BODY, state="present"), **changes)


def stored(body):
    # The API stores the body as a string in any key order and spacing.
    return {"DashboardName": NAME, "DashboardArn": ARN, "DashboardBody": json.dumps(body, indent=2)}


def missing(stub):
    stub.add_client_error("get_dashboard", "ResourceNotFound", http_status_code=404, expected_params={"DashboardName": NAME})


@pytest.mark.parametrize("check_mode", [False, True])
def test_creates_a_missing_dashboard(check_mode):
    cw = client("cloudwatch")
    with Stubber(cw) as stub:
        missing(stub)
        if not check_mode:
            stub.add_response("put_dashboard", {"DashboardValidationMessages": []},
                              {"DashboardName": NAME, "DashboardBody": json.dumps(BODY, sort_keys=True)})
            stub.add_response("get_dashboard", stored(BODY), {"DashboardName": NAME})
        result = module.run(FakeModule(params(), check_mode), cw)
        stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["diff"] == {"before": {}, "after": BODY}
    assert result["dashboard"]["body"] == BODY


@pytest.mark.parametrize("check_mode", [False, True])
def test_same_body_in_another_key_order_makes_no_write(check_mode):
    reordered = {"widgets": [dict(reversed(list(BODY["widgets"][0].items())))]}
    cw = client("cloudwatch")
    with Stubber(cw) as stub:
        stub.add_response("get_dashboard", stored(reordered), {"DashboardName": NAME})
        result = module.run(FakeModule(params(), check_mode), cw)
        stub.assert_no_pending_responses()
    assert result["changed"] is False
    assert result["diff"]["before"] == result["diff"]["after"]


@pytest.mark.parametrize("check_mode", [False, True])
def test_drift_is_shown_and_fixed(check_mode):
    drifted = json.loads(json.dumps(BODY))
    drifted["widgets"][0]["properties"]["title"] = "edited in the console"
    cw = client("cloudwatch")
    with Stubber(cw) as stub:
        stub.add_response("get_dashboard", stored(drifted), {"DashboardName": NAME})
        if not check_mode:
            stub.add_response("put_dashboard", {"DashboardValidationMessages": [{"DataPath": "/widgets/0", "Message": "odd"}]},
                              {"DashboardName": NAME, "DashboardBody": json.dumps(BODY, sort_keys=True)})
            stub.add_response("get_dashboard", stored(BODY), {"DashboardName": NAME})
        fake = FakeModule(params(), check_mode)
        result = module.run(fake, cw)
        stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["diff"]["before"]["widgets"][0]["properties"]["title"] == "edited in the console"
    assert result["diff"]["after"] == BODY
    assert fake.warnings == ([] if check_mode else ["PutDashboard: /widgets/0 odd"])


@pytest.mark.parametrize("check_mode", [False, True])
def test_deletes_an_existing_dashboard(check_mode):
    cw = client("cloudwatch")
    with Stubber(cw) as stub:
        stub.add_response("get_dashboard", stored(BODY), {"DashboardName": NAME})
        if not check_mode:
            stub.add_response("delete_dashboards", {}, {"DashboardNames": [NAME]})
        result = module.run(FakeModule(params(state="absent", body=None), check_mode), cw)
        stub.assert_no_pending_responses()
    assert result["changed"] is True and result["dashboard"] == {}


def test_absent_dashboard_stays_absent():
    cw = client("cloudwatch")
    with Stubber(cw) as stub:
        missing(stub)
        result = module.run(FakeModule(params(state="absent", body=None)), cw)
    assert result["changed"] is False


def test_api_errors_are_raised_with_what_failed():
    cw = client("cloudwatch")
    with Stubber(cw) as stub:
        stub.add_response("get_dashboard", stored({"widgets": []}), {"DashboardName": NAME})
        stub.add_client_error("put_dashboard", "InvalidParameterInput", "bad widget", http_status_code=400)
        with pytest.raises(CloudWatchError, match="Failed to put dashboard"):
            module.run(FakeModule(params()), cw)
