# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Thin, retried wrappers around the ELBv2 load balancer attribute calls (one boto3 call each)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


class AnsibleElbv2AttributesError(AnsibleAWSError):
    pass


class Elbv2AttributesErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleElbv2AttributesError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("LoadBalancerNotFound")


@Elbv2AttributesErrorHandler.list_error_handler("describe load balancer")
@AWSRetry.jittered_backoff()
def describe_load_balancer(client, name):
    """The load balancer called name, or None."""
    balancers = client.describe_load_balancers(Names=[name]).get("LoadBalancers", [])
    return balancers[0] if balancers else None


@Elbv2AttributesErrorHandler.common_error_handler("describe load balancer attributes")
@AWSRetry.jittered_backoff()
def describe_load_balancer_attributes(client, arn):
    attributes = client.describe_load_balancer_attributes(LoadBalancerArn=arn).get("Attributes", [])
    return {a["Key"]: a["Value"] for a in attributes}


@Elbv2AttributesErrorHandler.common_error_handler("modify load balancer attributes")
@AWSRetry.jittered_backoff()
def modify_load_balancer_attributes(client, arn, attributes):
    result = client.modify_load_balancer_attributes(
        LoadBalancerArn=arn, Attributes=[dict(Key=k, Value=v) for k, v in sorted(attributes.items())]
    )
    return {a["Key"]: a["Value"] for a in result.get("Attributes", [])}
