"""Unit tests for cloudplatform.aws.guardduty_detector (botocore Stubber on the real GuardDuty model)."""

from __future__ import annotations

from unittest import mock

import pytest
from _account_fakes import FakeModule, client
from botocore.stub import ANY, Stubber

from ansible_collections.cloudplatform.aws.plugins.module_utils.guardduty import AnsibleGuardDutyError
from ansible_collections.cloudplatform.aws.plugins.modules import guardduty_detector as module

DETECTOR = "12abc34d567e8fa901bc2d34e56789f0"
TAGS = {"Project": "cloudplatform"}


def params(**overrides):
    return dict(dict(state="present", enable=True, finding_publishing_frequency="FIFTEEN_MINUTES", tags=TAGS, purge_tags=True), **overrides)


def detector(status="ENABLED", frequency="FIFTEEN_MINUTES", tags=None):
    return {"CreatedAt": "2026-11-22T00:00:00Z", "FindingPublishingFrequency": frequency, "ServiceRole": "role",
            "Status": status, "Tags": TAGS if tags is None else tags}


def found(stub, **kwargs):
    stub.add_response("list_detectors", {"DetectorIds": [DETECTOR]})
    stub.add_response("get_detector", detector(**kwargs), {"DetectorId": DETECTOR})


@pytest.mark.parametrize("check_mode", [False, True])
def test_creates_the_detector(check_mode):
    gd = client("guardduty")
    with Stubber(gd) as stub:
        stub.add_response("list_detectors", {"DetectorIds": []})
        if not check_mode:
            stub.add_response("create_detector", {"DetectorId": DETECTOR},
                              {"Enable": True, "ClientToken": ANY, "FindingPublishingFrequency": "FIFTEEN_MINUTES", "Tags": TAGS})
            stub.add_response("get_detector", detector(), {"DetectorId": DETECTOR})
        result = module.run(FakeModule(params(), check_mode), gd)
        stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["detector"]["status"] == "ENABLED"


@pytest.mark.parametrize("check_mode", [False, True])
def test_converged_detector_makes_no_write(check_mode):
    gd = client("guardduty")
    with Stubber(gd) as stub:
        found(stub)
        result = module.run(FakeModule(params(), check_mode), gd)
        stub.assert_no_pending_responses()
    assert result["changed"] is False


@pytest.mark.parametrize("check_mode", [False, True])
def test_frequency_and_tag_drift_are_fixed(check_mode):
    gd = client("guardduty")
    arn = f"arn:aws:guardduty:us-east-1:123456789012:detector/{DETECTOR}"
    with Stubber(gd) as stub, mock.patch.object(module, "get_aws_account_id", return_value="123456789012"):
        found(stub, frequency="SIX_HOURS", tags={"Old": "x"})
        if not check_mode:
            stub.add_response("update_detector", {}, {"DetectorId": DETECTOR, "FindingPublishingFrequency": "FIFTEEN_MINUTES", "Enable": True})
            stub.add_response("untag_resource", {}, {"ResourceArn": arn, "TagKeys": ["Old"]})
            stub.add_response("tag_resource", {}, {"ResourceArn": arn, "Tags": TAGS})
            stub.add_response("get_detector", detector(), {"DetectorId": DETECTOR})
        result = module.run(FakeModule(params(), check_mode), gd)
        stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["diff"]["before"]["finding_publishing_frequency"] == "SIX_HOURS"


@pytest.mark.parametrize("check_mode", [False, True])
def test_absent_deletes(check_mode):
    gd = client("guardduty")
    with Stubber(gd) as stub:
        found(stub)
        if not check_mode:
            stub.add_response("delete_detector", {}, {"DetectorId": DETECTOR})
        result = module.run(FakeModule(params(state="absent"), check_mode), gd)
        stub.assert_no_pending_responses()
    assert result["changed"] is True


def test_errors_are_raised():
    gd = client("guardduty")
    with Stubber(gd) as stub:
        stub.add_client_error("list_detectors", "AccessDeniedException", http_status_code=403)
        with pytest.raises(AnsibleGuardDutyError):
            module.run(FakeModule(params()), gd)
