"""Unit tests for cloudplatform.aws.accessanalyzer_analyzer.

The emulator (moto 5.2.5) has no IAM Access Analyzer at all, so every path runs here against a
botocore Stubber on the real service model: a request the model rejects fails the test.
"""

from __future__ import annotations

import pytest
from _account_fakes import FailJson, FakeModule, client
from botocore.stub import ANY, Stubber

from ansible_collections.cloudplatform.aws.plugins.module_utils.accessanalyzer import AnsibleAccessAnalyzerError
from ansible_collections.cloudplatform.aws.plugins.modules import accessanalyzer_analyzer as module

NAME = "cloudplatform-account-analyzer"
ARN = f"arn:aws:access-analyzer:us-east-1:123456789012:analyzer/{NAME}"


def params(**overrides):
    return dict(dict(name=NAME, type="ACCOUNT", state="present", tags={"Project": "cloudplatform"}, purge_tags=True), **overrides)


def analyzer(tags=None, type_="ACCOUNT"):
    return {"analyzer": {"arn": ARN, "name": NAME, "type": type_, "status": "ACTIVE", "createdAt": "2026-11-22T00:00:00Z",
                         "tags": tags if tags is not None else {"Project": "cloudplatform"}}}


def not_found(stub):
    stub.add_client_error("get_analyzer", "ResourceNotFoundException", http_status_code=404, expected_params={"analyzerName": NAME})


@pytest.mark.parametrize("check_mode", [False, True])
def test_creates_a_missing_analyzer(check_mode):
    aa = client("accessanalyzer")
    with Stubber(aa) as stub:
        not_found(stub)
        if not check_mode:
            stub.add_response("create_analyzer", {"arn": ARN},
                              {"analyzerName": NAME, "type": "ACCOUNT", "tags": {"Project": "cloudplatform"}, "clientToken": ANY})
            stub.add_response("get_analyzer", analyzer(), {"analyzerName": NAME})
        result = module.run(FakeModule(params(), check_mode), aa)
        stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["analyzer"]["name"] == NAME


@pytest.mark.parametrize("check_mode", [False, True])
def test_converged_analyzer_makes_no_write(check_mode):
    aa = client("accessanalyzer")
    with Stubber(aa) as stub:
        stub.add_response("get_analyzer", analyzer(), {"analyzerName": NAME})
        result = module.run(FakeModule(params(), check_mode), aa)
        stub.assert_no_pending_responses()
    assert result["changed"] is False
    assert result["diff"]["before"] == result["diff"]["after"]


@pytest.mark.parametrize("check_mode", [False, True])
def test_tag_drift_is_fixed(check_mode):
    aa = client("accessanalyzer")
    with Stubber(aa) as stub:
        stub.add_response("get_analyzer", analyzer(tags={"Old": "x"}), {"analyzerName": NAME})
        if not check_mode:
            stub.add_response("untag_resource", {}, {"resourceArn": ARN, "tagKeys": ["Old"]})
            stub.add_response("tag_resource", {}, {"resourceArn": ARN, "tags": {"Project": "cloudplatform"}})
            stub.add_response("get_analyzer", analyzer(), {"analyzerName": NAME})
        result = module.run(FakeModule(params(), check_mode), aa)
        stub.assert_no_pending_responses()
    assert result["changed"] is True


def test_type_change_fails_naming_the_option():
    aa = client("accessanalyzer")
    with Stubber(aa) as stub:
        stub.add_response("get_analyzer", analyzer(type_="ORGANIZATION"), {"analyzerName": NAME})
        with pytest.raises(FailJson, match="type: ACCOUNT"):
            module.run(FakeModule(params()), aa)


@pytest.mark.parametrize("check_mode", [False, True])
def test_absent_deletes(check_mode):
    aa = client("accessanalyzer")
    with Stubber(aa) as stub:
        stub.add_response("get_analyzer", analyzer(), {"analyzerName": NAME})
        if not check_mode:
            stub.add_response("delete_analyzer", {}, {"analyzerName": NAME})
        result = module.run(FakeModule(params(state="absent"), check_mode), aa)
        stub.assert_no_pending_responses()
    assert result["changed"] is True and result["analyzer"] == {}


def test_access_denied_is_raised():
    aa = client("accessanalyzer")
    with Stubber(aa) as stub:
        stub.add_client_error("get_analyzer", "AccessDeniedException", http_status_code=403)
        with pytest.raises(AnsibleAccessAnalyzerError):
            module.run(FakeModule(params()), aa)
