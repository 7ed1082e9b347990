import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.cloudplatform.aws.plugins.module_utils import tagging


@pytest.mark.parametrize(
    ("arn", "kind"),
    [
        ("arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1", "ec2:vpc"),
        ("arn:aws:rds:us-east-1:123456789012:db:cloudplatform-prod-rds-postgres", "rds:db"),
        ("arn:aws:elasticache:us-east-1:123456789012:replicationgroup:cp-prod", "elasticache:replicationgroup"),
        ("arn:aws:logs:us-east-1:123456789012:log-group:/ecs/cp-prod/api", "logs:log-group"),
        ("arn:aws:sns:us-east-1:123456789012:cp-prod-critical", "sns:topic"),
        ("arn:aws:s3:::cp-prod-alb-logs", "s3:bucket"),
        ("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/cp/1", "elasticloadbalancing:loadbalancer"),
        ("not-an-arn", "unknown"),
    ],
)
def test_resource_type(arn, kind):
    assert tagging.resource_type(arn) == kind


def test_get_resources_pages_through_everything():
    client = boto3.client("resourcegroupstaggingapi", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    filters = [{"Key": "Environment", "Values": ["prod"]}]
    with Stubber(client) as stub:
        stub.add_response("get_resources", {"ResourceTagMappingList": [{"ResourceARN": "arn:aws:s3:::a"}], "PaginationToken": "t"},
                          {"TagFilters": filters})
        stub.add_response("get_resources", {"ResourceTagMappingList": [{"ResourceARN": "arn:aws:s3:::b"}], "PaginationToken": ""},
                          {"TagFilters": filters, "PaginationToken": "t"})
        result = tagging.get_resources(client, filters)
    assert [r["ResourceARN"] for r in result] == ["arn:aws:s3:::a", "arn:aws:s3:::b"]


def test_get_resources_errors_become_ansible_errors():
    client = boto3.client("resourcegroupstaggingapi", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(client) as stub:
        stub.add_client_error("get_resources", service_error_code="AccessDeniedException", http_status_code=403)
        with pytest.raises(tagging.AnsibleTaggingError, match="Failed to list tagged resources"):
            tagging.get_resources(client, [])
