# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Wrappers around the SNS topic-attribute calls, with retries and named errors."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


class SNSError(AnsibleAWSError):
    pass


class SNSErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = SNSError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("NotFound")


@SNSErrorHandler.list_error_handler("get topic attributes", None)
@AWSRetry.jittered_backoff()
def get_topic_attributes(client, topic_arn):
    return client.get_topic_attributes(TopicArn=topic_arn)["Attributes"]


@SNSErrorHandler.common_error_handler("set topic attribute")
@AWSRetry.jittered_backoff()
def set_topic_attribute(client, topic_arn, name, value):
    client.set_topic_attributes(TopicArn=topic_arn, AttributeName=name, AttributeValue=value)
    return True
