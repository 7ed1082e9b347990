"""Unit tests for cloudplatform.aws.securityhub_hub.

The emulator (moto 5.2.5) has no GetEnabledStandards/BatchEnableStandards/BatchDisableStandards,
so the standards paths run here against a botocore Stubber on the real service model.
"""

from __future__ import annotations

import pytest
from _account_fakes import FakeModule, client
from botocore.stub import Stubber

from ansible_collections.cloudplatform.aws.plugins.module_utils.securityhub import AnsibleSecurityHubError
from ansible_collections.cloudplatform.aws.plugins.modules import securityhub_hub as module

HUB = "arn:aws:securityhub:us-east-1:123456789012:hub/default"
FSBP = "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0"
CIS = "arn:aws:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/3.0.0"
PCI = "arn:aws:securityhub:us-east-1::standards/pci-dss/v/3.2.1"


def params(**overrides):
    return dict(dict(state="present", standards=[FSBP, CIS], purge_standards=False, tags={"Project": "cloudplatform"}), **overrides)


def subscription(arn, status="READY"):
    return {"StandardsSubscriptionArn": arn.replace("::standards", ":123456789012:subscription"), "StandardsArn": arn,
            "StandardsInput": {}, "StandardsStatus": status}


def hub_enabled(stub):
    stub.add_response("describe_hub", {"HubArn": HUB, "SubscribedAt": "2026-11-22T00:00:00Z", "AutoEnableControls": True})


def hub_disabled(stub):
    stub.add_client_error("describe_hub", "InvalidAccessException", http_status_code=401)


@pytest.mark.parametrize("check_mode", [False, True])
def test_enables_the_hub_and_both_standards(check_mode):
    sh = client("securityhub")
    with Stubber(sh) as stub:
        hub_disabled(stub)
        if not check_mode:
            stub.add_response("enable_security_hub", {}, {"EnableDefaultStandards": False, "Tags": {"Project": "cloudplatform"}})
            hub_enabled(stub)
            stub.add_response("get_enabled_standards", {"StandardsSubscriptions": []})
            stub.add_response("batch_enable_standards", {"StandardsSubscriptions": [subscription(FSBP, "PENDING"), subscription(CIS, "PENDING")]},
                              {"StandardsSubscriptionRequests": [{"StandardsArn": FSBP}, {"StandardsArn": CIS}]})
            stub.add_response("get_enabled_standards", {"StandardsSubscriptions": [subscription(FSBP), subscription(CIS)]})
        result = module.run(FakeModule(params(), check_mode), sh)
        stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["hub"]["standards"] == sorted([FSBP, CIS])


@pytest.mark.parametrize("check_mode", [False, True])
def test_converged_hub_makes_no_write(check_mode):
    sh = client("securityhub")
    with Stubber(sh) as stub:
        hub_enabled(stub)
        stub.add_response("get_enabled_standards", {"StandardsSubscriptions": [subscription(FSBP), subscription(CIS), subscription(PCI)]})
        stub.add_response("get_enabled_standards", {"StandardsSubscriptions": [subscription(FSBP), subscription(CIS), subscription(PCI)]})
        result = module.run(FakeModule(params(), check_mode), sh)
        stub.assert_no_pending_responses()
    assert result["changed"] is False


@pytest.mark.parametrize("check_mode", [False, True])
def test_purge_disables_unlisted_standards(check_mode):
    sh = client("securityhub")
    current = {"StandardsSubscriptions": [subscription(FSBP), subscription(CIS), subscription(PCI)]}
    with Stubber(sh) as stub:
        hub_enabled(stub)
        stub.add_response("get_enabled_standards", current)
        stub.add_response("get_enabled_standards", current)
        if not check_mode:
            stub.add_response("batch_disable_standards", {"StandardsSubscriptions": [subscription(PCI, "DELETING")]},
                              {"StandardsSubscriptionArns": [subscription(PCI)["StandardsSubscriptionArn"]]})
            stub.add_response("get_enabled_standards", {"StandardsSubscriptions": [subscription(FSBP), subscription(CIS)]})
        result = module.run(FakeModule(params(purge_standards=True), check_mode), sh)
        stub.assert_no_pending_responses()
    assert result["changed"] is True


def test_unset_standards_make_no_standards_call():
    sh = client("securityhub")
    with Stubber(sh) as stub:
        hub_enabled(stub)
        result = module.run(FakeModule(params(standards=None)), sh)
        stub.assert_no_pending_responses()
    assert result == dict(changed=False, hub={"hub_arn": HUB}, diff=dict(before={"hub_arn": HUB}, after={"hub_arn": HUB}))


@pytest.mark.parametrize("check_mode", [False, True])
def test_absent_disables(check_mode):
    sh = client("securityhub")
    with Stubber(sh) as stub:
        hub_enabled(stub)
        if not check_mode:
            stub.add_response("disable_security_hub", {})
        result = module.run(FakeModule(params(state="absent", standards=None), check_mode), sh)
        stub.assert_no_pending_responses()
    assert result["changed"] is True


def test_other_errors_are_raised():
    sh = client("securityhub")
    with Stubber(sh) as stub:
        stub.add_client_error("describe_hub", "InternalException", http_status_code=500)
        with pytest.raises(AnsibleSecurityHubError):
            module.run(FakeModule(params()), sh)
