# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Thin, retried wrappers around the Security Hub account and standards calls (one boto3 call each)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


class AnsibleSecurityHubError(AnsibleAWSError):
    pass


class SecurityHubErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleSecurityHubError

    @classmethod
    def _is_missing(cls):
        # An account without Security Hub answers InvalidAccessException to DescribeHub.
        return is_boto3_error_code(["InvalidAccessException", "ResourceNotFoundException"])


@SecurityHubErrorHandler.list_error_handler("describe hub")
@AWSRetry.jittered_backoff()
def describe_hub(client):
    hub = client.describe_hub()
    hub.pop("ResponseMetadata", None)
    return hub


@SecurityHubErrorHandler.common_error_handler("enable Security Hub")
@AWSRetry.jittered_backoff()
def enable_security_hub(client, **params):
    client.enable_security_hub(**params)


@SecurityHubErrorHandler.deletion_error_handler("disable Security Hub")
@AWSRetry.jittered_backoff()
def disable_security_hub(client):
    client.disable_security_hub()
    return True


@SecurityHubErrorHandler.list_error_handler("get enabled standards", [])
@AWSRetry.jittered_backoff()
def get_enabled_standards(client):
    paginator = client.get_paginator("get_enabled_standards")
    return paginator.paginate().build_full_result()["StandardsSubscriptions"]


@SecurityHubErrorHandler.common_error_handler("enable standards")
@AWSRetry.jittered_backoff()
def batch_enable_standards(client, standards_arns):
    requests = [dict(StandardsArn=arn) for arn in standards_arns]
    return client.batch_enable_standards(StandardsSubscriptionRequests=requests)["StandardsSubscriptions"]


@SecurityHubErrorHandler.common_error_handler("disable standards")
@AWSRetry.jittered_backoff()
def batch_disable_standards(client, subscription_arns):
    client.batch_disable_standards(StandardsSubscriptionArns=subscription_arns)
