# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Thin, retried wrappers around the ECR repository and tagging calls (one boto3 call each)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


class AnsibleEcrTagsError(AnsibleAWSError):
    pass


class EcrTagsErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleEcrTagsError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("RepositoryNotFoundException")


@EcrTagsErrorHandler.list_error_handler("describe repository")
@AWSRetry.jittered_backoff()
def describe_repository(client, name):
    """The repository called name, or None."""
    repositories = client.describe_repositories(repositoryNames=[name]).get("repositories", [])
    return repositories[0] if repositories else None


@EcrTagsErrorHandler.common_error_handler("list repository tags")
@AWSRetry.jittered_backoff()
def list_repository_tags(client, arn):
    return {t["Key"]: t["Value"] for t in client.list_tags_for_resource(resourceArn=arn).get("tags", [])}


@EcrTagsErrorHandler.common_error_handler("tag repository")
@AWSRetry.jittered_backoff()
def tag_repository(client, arn, tags):
    client.tag_resource(resourceArn=arn, tags=[dict(Key=k, Value=v) for k, v in tags.items()])


@EcrTagsErrorHandler.common_error_handler("untag repository")
@AWSRetry.jittered_backoff()
def untag_repository(client, arn, keys):
    client.untag_resource(resourceArn=arn, tagKeys=list(keys))
