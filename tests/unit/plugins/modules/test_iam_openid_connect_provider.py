"""Unit tests for cloudplatform.aws.iam_openid_connect_provider (botocore Stubber on the real IAM model)."""

from __future__ import annotations

import pytest
from _security_fakes import ExitJson, FailJson, FakeModule, client
from botocore.stub import Stubber

from ansible_collections.cloudplatform.aws.plugins.module_utils import iam_oidc
from ansible_collections.cloudplatform.aws.plugins.modules import iam_openid_connect_provider as module

URL = "https://token.actions.githubusercontent.com"
ARN = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
OTHER = "arn:aws:iam::123456789012:oidc-provider/example.com"
THUMB = "6938fd4d98bab03faadb97b34396831e3780aea1"
THUMB2 = "1c58a3a8518e8759bf075b76b750d4f2df264fcd"


def params(**overrides):
    base = dict(url=URL, client_id_list=["sts.amazonaws.com"], thumbprint_list=[THUMB], tags={"Project": "cloudplatform"},
                purge_tags=True, state="present")
    return dict(base, **overrides)


def provider(client_ids=("sts.amazonaws.com",), thumbprints=(THUMB,), tags=None):
    return {"Url": "token.actions.githubusercontent.com", "ClientIDList": list(client_ids), "ThumbprintList": list(thumbprints),
            "Tags": [{"Key": k, "Value": v} for k, v in (tags if tags is not None else {"Project": "cloudplatform"}).items()]}


def listed(stub, arns=(OTHER, ARN)):
    stub.add_response("list_open_id_connect_providers", {"OpenIDConnectProviderList": [{"Arn": a} for a in arns]}, {})


def run(iam, module_params, check_mode=False):
    fake = FakeModule(module_params, check_mode)
    found = module.find_provider(iam, module_params["url"])
    with pytest.raises(ExitJson) as exit_info:
        if module_params["state"] == "present":
            module.ensure_present(fake, iam, found)
        module.ensure_absent(fake, iam, found)
    return exit_info.value.result


@pytest.mark.parametrize("check_mode", [False, True])
def test_creates_a_missing_provider(check_mode):
    iam = client("iam")
    with Stubber(iam) as stub:
        listed(stub, [OTHER])
        if not check_mode:
            stub.add_response("create_open_id_connect_provider", {"OpenIDConnectProviderArn": ARN},
                              {"Url": URL, "ClientIDList": ["sts.amazonaws.com"], "ThumbprintList": [THUMB],
                               "Tags": [{"Key": "Project", "Value": "cloudplatform"}]})
            stub.add_response("get_open_id_connect_provider", provider(), {"OpenIDConnectProviderArn": ARN})
        result = run(iam, params(), check_mode)
        stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["open_id_connect_provider"]["url"] == "token.actions.githubusercontent.com"
    assert result["open_id_connect_provider"]["client_id_list"] == ["sts.amazonaws.com"]


@pytest.mark.parametrize("check_mode", [False, True])
def test_converged_provider_makes_no_write(check_mode):
    iam = client("iam")
    with Stubber(iam) as stub:
        listed(stub)
        stub.add_response("get_open_id_connect_provider", provider(), {"OpenIDConnectProviderArn": ARN})
        result = run(iam, params(url=URL + "/", thumbprint_list=[THUMB.upper()]), check_mode)
        stub.assert_no_pending_responses()
    assert result["changed"] is False
    assert result["diff"]["before"] == result["diff"]["after"]


@pytest.mark.parametrize("check_mode", [False, True])
def test_drift_in_audiences_thumbprints_and_tags_is_fixed(check_mode):
    iam = client("iam")
    with Stubber(iam) as stub:
        listed(stub)
        stub.add_response("get_open_id_connect_provider", provider(client_ids=["other"], thumbprints=[THUMB2], tags={"Old": "1"}),
                          {"OpenIDConnectProviderArn": ARN})
        if not check_mode:
            stub.add_response("add_client_id_to_open_id_connect_provider", {},
                              {"OpenIDConnectProviderArn": ARN, "ClientID": "sts.amazonaws.com"})
            stub.add_response("remove_client_id_from_open_id_connect_provider", {}, {"OpenIDConnectProviderArn": ARN, "ClientID": "other"})
            stub.add_response("update_open_id_connect_provider_thumbprint", {}, {"OpenIDConnectProviderArn": ARN, "ThumbprintList": [THUMB]})
            stub.add_response("untag_open_id_connect_provider", {}, {"OpenIDConnectProviderArn": ARN, "TagKeys": ["Old"]})
            stub.add_response("tag_open_id_connect_provider", {},
                              {"OpenIDConnectProviderArn": ARN, "Tags": [{"Key": "Project", "Value": "cloudplatform"}]})
            stub.add_response("get_open_id_connect_provider", provider(), {"OpenIDConnectProviderArn": ARN})
        result = run(iam, params(), check_mode)
        stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["diff"]["before"]["client_id_list"] == ["other"]
    assert result["diff"]["after"]["client_id_list"] == ["sts.amazonaws.com"]
    assert result["diff"]["after"]["thumbprint_list"] == [THUMB]


def test_unset_options_are_left_alone():
    iam = client("iam")
    with Stubber(iam) as stub:
        listed(stub)
        stub.add_response("get_open_id_connect_provider", provider(client_ids=["other"], tags={"Old": "1"}),
                          {"OpenIDConnectProviderArn": ARN})
        result = run(iam, params(client_id_list=None, thumbprint_list=None, tags=None))
        stub.assert_no_pending_responses()
    assert result["changed"] is False


@pytest.mark.parametrize("check_mode", [False, True])
def test_absent_deletes_the_provider(check_mode):
    iam = client("iam")
    with Stubber(iam) as stub:
        listed(stub)
        stub.add_response("get_open_id_connect_provider", provider(), {"OpenIDConnectProviderArn": ARN})
        if not check_mode:
            stub.add_response("delete_open_id_connect_provider", {}, {"OpenIDConnectProviderArn": ARN})
        result = run(iam, params(state="absent"), check_mode)
        stub.assert_no_pending_responses()
    assert result["changed"] is True


def test_absent_on_a_missing_provider_changes_nothing():
    iam = client("iam")
    with Stubber(iam) as stub:
        listed(stub, [OTHER])
        result = run(iam, params(state="absent"))
    assert result["changed"] is False


def test_a_provider_deleted_between_list_and_get_counts_as_missing():
    iam = client("iam")
    with Stubber(iam) as stub:
        listed(stub)
        stub.add_client_error("get_open_id_connect_provider", "NoSuchEntity", http_status_code=404)
        assert module.find_provider(iam, URL) is None


def test_an_access_error_surfaces_as_the_module_error():
    iam = client("iam")
    with Stubber(iam) as stub:
        stub.add_client_error("list_open_id_connect_providers", "AccessDenied", http_status_code=403)
        with pytest.raises(iam_oidc.IAMOIDCError):
            module.find_provider(iam, URL)


def test_bare_url():
    assert module.bare_url("https://token.actions.githubusercontent.com/") == "token.actions.githubusercontent.com"
    assert module.bare_url("HTTPS://example.com/path") == "example.com/path"


@pytest.mark.parametrize("overrides, message", [
    ({"url": "http://token.actions.githubusercontent.com"}, "url: http://token.actions.githubusercontent.com is not accepted"),
    ({"thumbprint_list": ["xyz"]}, "thumbprint_list: xyz are not accepted"),
])
def test_bad_input_fails_naming_the_option(overrides, message):
    with pytest.raises(FailJson, match=message):
        module.validate(FakeModule(params(**overrides)))
