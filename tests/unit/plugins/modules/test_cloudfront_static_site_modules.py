"""Unit tests for cloudplatform.aws.cloudfront_origin_access_control and cloudfront_s3_distribution.

They run against a botocore Stubber on the real CloudFront model, which also checks that the
distribution config the module builds is one CloudFront accepts.
"""

from __future__ import annotations

import copy

import pytest
from _account_fakes import FailJson, FakeModule, client
from botocore.stub import ANY, Stubber

from ansible_collections.cloudplatform.aws.plugins.module_utils.cloudfront_oac import AnsibleCloudFrontError
from ansible_collections.cloudplatform.aws.plugins.modules import cloudfront_origin_access_control as oac_module
from ansible_collections.cloudplatform.aws.plugins.modules import cloudfront_s3_distribution as dist_module

OAC_ID = "E2QWRUHAPOMQZL"
OAC_CONFIG = {"Name": "cloudplatform-prod-cf-dashboard", "Description": "d", "SigningProtocol": "sigv4", "SigningBehavior": "always",
              "OriginAccessControlOriginType": "s3"}
DIST_ID = "E1A2B3C4D5E6F7"
ARN = f"arn:aws:cloudfront::123456789012:distribution/{DIST_ID}"
NAME = "cloudplatform-prod-cf-dashboard"
BUCKET = "cloudplatform-prod-dashboard-123456789012.s3.us-east-1.amazonaws.com"
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
WAF = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/cloudplatform-prod-waf-static-sites/1a2b"


def oac_params(**overrides):
    return dict(dict(name=NAME, description="d", origin_type="s3", signing_behavior="always", state="present"), **overrides)


def oac_listed(stub, config=None):
    stub.add_response("list_origin_access_controls", {"OriginAccessControlList": {
        "Marker": "", "MaxItems": 100, "IsTruncated": False, "Quantity": 1,
        "Items": [dict(Id=OAC_ID, **{k: v for k, v in OAC_CONFIG.items()})]}})
    stub.add_response("get_origin_access_control", {"OriginAccessControl": {"Id": OAC_ID, "OriginAccessControlConfig": config or OAC_CONFIG},
                                                    "ETag": "E1"}, {"Id": OAC_ID})


@pytest.mark.parametrize("check_mode", [False, True])
def test_oac_is_created(check_mode):
    cf = client("cloudfront")
    with Stubber(cf) as stub:
        stub.add_response("list_origin_access_controls", {"OriginAccessControlList": {"Marker": "", "MaxItems": 100, "IsTruncated": False,
                                                                                      "Quantity": 0}})
        if not check_mode:
            stub.add_response("create_origin_access_control", {"OriginAccessControl": {"Id": OAC_ID, "OriginAccessControlConfig": OAC_CONFIG}},
                              {"OriginAccessControlConfig": OAC_CONFIG})
        result = oac_module.run(FakeModule(oac_params(), check_mode), cf)
        stub.assert_no_pending_responses()
    assert result["changed"] is True


@pytest.mark.parametrize("check_mode", [False, True])
def test_converged_oac_makes_no_write(check_mode):
    cf = client("cloudfront")
    with Stubber(cf) as stub:
        oac_listed(stub)
        result = oac_module.run(FakeModule(oac_params(), check_mode), cf)
        stub.assert_no_pending_responses()
    assert result["changed"] is False
    assert result["origin_access_control"]["id"] == OAC_ID


def test_oac_drift_is_updated_with_its_etag():
    cf = client("cloudfront")
    with Stubber(cf) as stub:
        oac_listed(stub, dict(OAC_CONFIG, SigningBehavior="never"))
        stub.add_response("update_origin_access_control", {"OriginAccessControl": {"Id": OAC_ID, "OriginAccessControlConfig": OAC_CONFIG}},
                          {"Id": OAC_ID, "IfMatch": "E1", "OriginAccessControlConfig": OAC_CONFIG})
        result = oac_module.run(FakeModule(oac_params()), cf)
        stub.assert_no_pending_responses()
    assert result["diff"]["before"]["signing_behavior"] == "never"


def dist_params(**overrides):
    base = dict(name=NAME, state="present", origin_domain_name=BUCKET, origin_access_control_id=OAC_ID, aliases=["app.example.com"],
                certificate_arn=CERT, web_acl_id=WAF, cache_policy_id="658327ea-f89d-4fab-a63d-7e88639e58f6", default_root_object="index.html",
                spa_error_document="/index.html", price_class="PriceClass_100", enabled=True, wait=False, wait_timeout=60,
                tags={"Project": "cloudplatform"}, purge_tags=True)
    return dict(base, **overrides)


def live(config):
    return {"Distribution": {"Id": DIST_ID, "ARN": ARN, "Status": "Deployed", "LastModifiedTime": "2026-11-22T00:00:00Z",
                             "InProgressInvalidationBatches": 0, "DomainName": "d111111abcdef8.cloudfront.net",
                             "DistributionConfig": config}, "ETag": "E2"}


def listed(stub, config):
    stub.add_response("list_distributions", {"DistributionList": {"Marker": "", "MaxItems": 100, "IsTruncated": False, "Quantity": 1,
                                                                  "Items": [summary(config)]}})
    stub.add_response("get_distribution", live(config), {"Id": DIST_ID})
    stub.add_response("list_tags_for_resource", {"Tags": {"Items": [{"Key": "Project", "Value": "cloudplatform"}, {"Key": "Name", "Value": NAME}]}},
                      {"Resource": ARN})


def summary(config):
    keys = ("Aliases", "Origins", "DefaultCacheBehavior", "CustomErrorResponses", "Comment", "PriceClass", "Enabled", "ViewerCertificate",
            "WebACLId", "HttpVersion", "IsIPV6Enabled")
    return dict({k: config[k] for k in keys}, Id=DIST_ID, ARN=ARN, Status="Deployed", LastModifiedTime="2026-11-22T00:00:00Z",
                DomainName="d111111abcdef8.cloudfront.net", CacheBehaviors={"Quantity": 0},
                Restrictions={"GeoRestriction": {"RestrictionType": "none", "Quantity": 0}}, Staging=False)


def test_the_built_config_routes_spa_errors_and_uses_the_oac():
    config = dist_module.wanted_config(dist_params(), NAME)
    origin = config["Origins"]["Items"][0]
    assert origin["OriginAccessControlId"] == OAC_ID
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    assert sorted((e["ErrorCode"], e["ResponsePagePath"], e["ResponseCode"]) for e in config["CustomErrorResponses"]["Items"]) == [
        (403, "/index.html", "200"), (404, "/index.html", "200")]
    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"


@pytest.mark.parametrize("check_mode", [False, True])
def test_distribution_is_created_with_tags(check_mode):
    cf = client("cloudfront")
    config = dist_module.wanted_config(dist_params(), NAME)
    with Stubber(cf) as stub:
        stub.add_response("list_distributions", {"DistributionList": {"Marker": "", "MaxItems": 100, "IsTruncated": False, "Quantity": 0}})
        if not check_mode:
            stub.add_response("create_distribution_with_tags", {"Distribution": live(config)["Distribution"], "Location": "x", "ETag": "E2"},
                              {"DistributionConfigWithTags": {"DistributionConfig": config, "Tags": {"Items": ANY}}})
            stub.add_response("get_distribution", live(config), {"Id": DIST_ID})
            stub.add_response("list_tags_for_resource", {"Tags": {"Items": [{"Key": "Name", "Value": NAME}]}}, {"Resource": ARN})
        result = dist_module.run(FakeModule(dist_params(), check_mode), cf)
        stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["distribution"]["settings"]["origin_access_control_id"] == OAC_ID


@pytest.mark.parametrize("check_mode", [False, True])
def test_converged_distribution_makes_no_write(check_mode):
    cf = client("cloudfront")
    with Stubber(cf) as stub:
        listed(stub, dist_module.wanted_config(dist_params(), NAME))
        result = dist_module.run(FakeModule(dist_params(), check_mode), cf)
        stub.assert_no_pending_responses()
    assert result["changed"] is False


@pytest.mark.parametrize("check_mode", [False, True])
def test_a_distribution_without_oac_is_updated(check_mode):
    cf = client("cloudfront")
    drifted = dist_module.wanted_config(dist_params(), NAME)
    drifted = copy.deepcopy(drifted)
    drifted["Origins"]["Items"][0]["OriginAccessControlId"] = ""
    with Stubber(cf) as stub:
        listed(stub, drifted)
        if not check_mode:
            stub.add_response("update_distribution", {"Distribution": live(drifted)["Distribution"], "ETag": "E3"},
                              {"Id": DIST_ID, "IfMatch": "E2", "DistributionConfig": dist_module.wanted_config(dist_params(), NAME)})
            stub.add_response("get_distribution", live(dist_module.wanted_config(dist_params(), NAME)), {"Id": DIST_ID})
            stub.add_response("list_tags_for_resource", {"Tags": {"Items": [{"Key": "Name", "Value": NAME}]}}, {"Resource": ARN})
        result = dist_module.run(FakeModule(dist_params(), check_mode), cf)
        stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["diff"]["before"]["settings"]["origin_access_control_id"] is None


def test_aliases_without_certificate_fail_naming_both():
    cf = client("cloudfront")
    with pytest.raises(FailJson, match=r"aliases.*certificate_arn"):
        dist_module.run(FakeModule(dist_params(certificate_arn=None)), cf)


def test_errors_are_raised():
    cf = client("cloudfront")
    with Stubber(cf) as stub:
        stub.add_client_error("list_distributions", "AccessDenied", http_status_code=403)
        with pytest.raises(AnsibleCloudFrontError):
            dist_module.run(FakeModule(dist_params()), cf)
