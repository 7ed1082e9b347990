# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Thin, retried wrappers around the IAM Access Analyzer analyzer calls (one boto3 call each)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


class AnsibleAccessAnalyzerError(AnsibleAWSError):
    pass


class AccessAnalyzerErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleAccessAnalyzerError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFoundException")


@AccessAnalyzerErrorHandler.list_error_handler("get analyzer")
@AWSRetry.jittered_backoff()
def get_analyzer(client, name):
    return client.get_analyzer(analyzerName=name)["analyzer"]


@AccessAnalyzerErrorHandler.common_error_handler("create analyzer")
@AWSRetry.jittered_backoff()
def create_analyzer(client, **params):
    return client.create_analyzer(**params)["arn"]


@AccessAnalyzerErrorHandler.common_error_handler("tag analyzer")
@AWSRetry.jittered_backoff()
def tag_resource(client, arn, tags):
    client.tag_resource(resourceArn=arn, tags=tags)


@AccessAnalyzerErrorHandler.common_error_handler("untag analyzer")
@AWSRetry.jittered_backoff()
def untag_resource(client, arn, keys):
    client.untag_resource(resourceArn=arn, tagKeys=keys)


@AccessAnalyzerErrorHandler.deletion_error_handler("delete analyzer")
@AWSRetry.jittered_backoff()
def delete_analyzer(client, name):
    client.delete_analyzer(analyzerName=name)
    return True
