# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Thin, retried wrappers around the WAFv2 association and logging API calls (one boto3 call each)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

# WAF changes propagate for a few seconds; a concurrent change answers with these.
_WAF_BUSY = ["WAFUnavailableEntityException", "WAFOptimisticLockException"]


class AnsibleWafv2Error(AnsibleAWSError):
    pass


class Wafv2ErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleWafv2Error

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("WAFNonexistentItemException")


@Wafv2ErrorHandler.list_error_handler("get web ACL for resource")
@AWSRetry.jittered_backoff()
def get_web_acl_for_resource(client, resource_arn):
    """The web ACL associated with resource_arn, or None."""
    return client.get_web_acl_for_resource(ResourceArn=resource_arn).get("WebACL")


@Wafv2ErrorHandler.common_error_handler("associate web ACL")
@AWSRetry.jittered_backoff(catch_extra_error_codes=_WAF_BUSY)
def associate_web_acl(client, web_acl_arn, resource_arn):
    client.associate_web_acl(WebACLArn=web_acl_arn, ResourceArn=resource_arn)


@Wafv2ErrorHandler.deletion_error_handler("disassociate web ACL")
@AWSRetry.jittered_backoff(catch_extra_error_codes=_WAF_BUSY)
def disassociate_web_acl(client, resource_arn):
    client.disassociate_web_acl(ResourceArn=resource_arn)
    return True


@Wafv2ErrorHandler.list_error_handler("get logging configuration")
@AWSRetry.jittered_backoff()
def get_logging_configuration(client, resource_arn):
    """The logging configuration of the web ACL resource_arn, or None."""
    return client.get_logging_configuration(ResourceArn=resource_arn).get("LoggingConfiguration")


@Wafv2ErrorHandler.common_error_handler("put logging configuration")
@AWSRetry.jittered_backoff(catch_extra_error_codes=_WAF_BUSY)
def put_logging_configuration(client, configuration):
    return client.put_logging_configuration(LoggingConfiguration=configuration)["LoggingConfiguration"]


@Wafv2ErrorHandler.deletion_error_handler("delete logging configuration")
@AWSRetry.jittered_backoff(catch_extra_error_codes=_WAF_BUSY)
def delete_logging_configuration(client, resource_arn):
    client.delete_logging_configuration(ResourceArn=resource_arn)
    return True
