"""Unit tests for cloudplatform.aws.acm_certificate_request against the real ACM model (Stubber)."""

import pytest
from _edge_fakes import FakeModule, stubbed
from botocore.stub import ANY

from ansible_collections.cloudplatform.aws.plugins.module_utils.acm import AnsibleAcmError
from ansible_collections.cloudplatform.aws.plugins.modules import acm_certificate_request as mod

ARN = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
OTHER = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
DOMAIN = "api.example.com"
LIST = {"CertificateStatuses": ["PENDING_VALIDATION", "ISSUED"]}


def params(**overrides):
    values = {"name": "cp-alb-cert", "domain_name": DOMAIN, "subject_alternative_names": [], "state": "present",
              "wait": False, "wait_timeout": 60, "tags": {"Environment": "prod"}, "purge_tags": True}
    values.update(overrides)
    return values


def detail(arn=ARN, status="ISSUED"):
    return {"Certificate": {"CertificateArn": arn, "DomainName": DOMAIN, "SubjectAlternativeNames": [DOMAIN],
                            "Status": status, "DomainValidationOptions": [{"DomainName": DOMAIN, "ResourceRecord": {
                                "Name": "_x." + DOMAIN, "Type": "CNAME", "Value": "_y.acm-validations.aws."}}]}}


def tags(name="cp-alb-cert"):
    return {"Tags": [{"Key": "Name", "Value": name}, {"Key": "Environment", "Value": "prod"}]}


def listed(*arns):
    return {"CertificateSummaryList": [{"CertificateArn": arn, "DomainName": DOMAIN} for arn in arns]}


@pytest.mark.parametrize("check_mode", [True, False])
def test_requests_when_missing(check_mode):
    client, stub = stubbed("acm")
    stub.add_response("list_certificates", listed(OTHER), LIST)
    stub.add_response("list_tags_for_certificate", tags("someone-else"), {"CertificateArn": OTHER})
    if not check_mode:
        stub.add_response("request_certificate", {"CertificateArn": ARN}, {
            "DomainName": DOMAIN, "ValidationMethod": "DNS", "IdempotencyToken": ANY,
            "Tags": [{"Key": "Environment", "Value": "prod"}, {"Key": "Name", "Value": "cp-alb-cert"}]})
        stub.add_response("describe_certificate", detail(status="PENDING_VALIDATION"), {"CertificateArn": ARN})
        stub.add_response("list_tags_for_certificate", tags(), {"CertificateArn": ARN})
    with stub:
        result = mod.run(FakeModule(params(), check_mode), client)
    stub.assert_no_pending_responses()
    assert result["changed"] is True and result["diff"]["before"] == {}
    assert result["diff"]["after"]["tags"] == {"Name": "cp-alb-cert", "Environment": "prod"}
    if not check_mode:
        record = result["certificate"]["domain_validation_options"][0]["resource_record"]
        assert record["type"] == "CNAME" and result["certificate"]["status"] == "PENDING_VALIDATION"


@pytest.mark.parametrize("check_mode", [True, False])
def test_reuses_the_certificate_found_by_name_and_domain(check_mode):
    client, stub = stubbed("acm")
    stub.add_response("list_certificates", listed(ARN), LIST)
    stub.add_response("list_tags_for_certificate", tags(), {"CertificateArn": ARN})
    stub.add_response("describe_certificate", detail(), {"CertificateArn": ARN})
    with stub:
        result = mod.run(FakeModule(params(), check_mode), client)
    stub.assert_no_pending_responses()
    assert result["changed"] is False and result["certificate"]["certificate_arn"] == ARN


def test_other_names_request_a_new_certificate():
    client, stub = stubbed("acm")
    stub.add_response("list_certificates", listed(ARN), LIST)
    stub.add_response("list_tags_for_certificate", tags(), {"CertificateArn": ARN})
    stub.add_response("describe_certificate", detail(), {"CertificateArn": ARN})
    with stub:
        result = mod.run(FakeModule(params(subject_alternative_names=["www.example.com"]), check_mode=True), client)
    assert result["changed"] is True and result["diff"]["before"] == {}


def test_waits_until_issued():
    client, stub = stubbed("acm")
    stub.add_response("list_certificates", listed(ARN), LIST)
    stub.add_response("list_tags_for_certificate", tags(), {"CertificateArn": ARN})
    stub.add_response("describe_certificate", detail(status="PENDING_VALIDATION"), {"CertificateArn": ARN})
    issued = detail()
    issued["Certificate"]["DomainValidationOptions"][0]["ValidationStatus"] = "SUCCESS"
    stub.add_response("describe_certificate", issued, {"CertificateArn": ARN})
    stub.add_response("describe_certificate", issued, {"CertificateArn": ARN})
    stub.add_response("list_tags_for_certificate", tags(), {"CertificateArn": ARN})
    with stub:
        result = mod.run(FakeModule(params(wait=True)), client)
    stub.assert_no_pending_responses()
    assert result["changed"] is False and result["certificate"]["status"] == "ISSUED"


@pytest.mark.parametrize("check_mode", [True, False])
def test_absent_deletes(check_mode):
    client, stub = stubbed("acm")
    stub.add_response("list_certificates", listed(ARN), LIST)
    stub.add_response("list_tags_for_certificate", tags(), {"CertificateArn": ARN})
    stub.add_response("describe_certificate", detail(), {"CertificateArn": ARN})
    if not check_mode:
        stub.add_response("delete_certificate", {}, {"CertificateArn": ARN})
    with stub:
        result = mod.run(FakeModule(params(state="absent"), check_mode), client)
    stub.assert_no_pending_responses()
    assert result["changed"] is True


def test_certificate_in_use_error_is_raised_for_fail_json_aws():
    client, stub = stubbed("acm")
    stub.add_response("list_certificates", listed(ARN), LIST)
    stub.add_response("list_tags_for_certificate", tags(), {"CertificateArn": ARN})
    stub.add_response("describe_certificate", detail(), {"CertificateArn": ARN})
    stub.add_client_error("delete_certificate", "ResourceInUseException", "attached to a listener")
    with stub, pytest.raises(AnsibleAcmError) as caught:
        mod.run(FakeModule(params(state="absent")), client)
    assert "delete certificate" in str(caught.value)
