# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Thin, retried wrappers around the CloudFront origin access control and distribution calls."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


class AnsibleCloudFrontError(AnsibleAWSError):
    pass


class CloudFrontErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleCloudFrontError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["NoSuchOriginAccessControl", "NoSuchDistribution"])


@CloudFrontErrorHandler.list_error_handler("list origin access controls", [])
@AWSRetry.jittered_backoff()
def list_origin_access_controls(client):
    paginator = client.get_paginator("list_origin_access_controls")
    result = paginator.paginate().build_full_result()
    return result.get("OriginAccessControlList", {}).get("Items") or []


@CloudFrontErrorHandler.list_error_handler("get origin access control", (None, None))
@AWSRetry.jittered_backoff()
def get_origin_access_control(client, oac_id):
    result = client.get_origin_access_control(Id=oac_id)
    return result["OriginAccessControl"], result["ETag"]


@CloudFrontErrorHandler.common_error_handler("create origin access control")
@AWSRetry.jittered_backoff()
def create_origin_access_control(client, config):
    return client.create_origin_access_control(OriginAccessControlConfig=config)["OriginAccessControl"]


@CloudFrontErrorHandler.common_error_handler("update origin access control")
@AWSRetry.jittered_backoff()
def update_origin_access_control(client, oac_id, etag, config):
    return client.update_origin_access_control(Id=oac_id, IfMatch=etag, OriginAccessControlConfig=config)["OriginAccessControl"]


@CloudFrontErrorHandler.deletion_error_handler("delete origin access control")
@AWSRetry.jittered_backoff(catch_extra_error_codes=["OriginAccessControlInUse"])
def delete_origin_access_control(client, oac_id, etag):
    client.delete_origin_access_control(Id=oac_id, IfMatch=etag)
    return True


@CloudFrontErrorHandler.list_error_handler("list distributions", [])
@AWSRetry.jittered_backoff()
def list_distributions(client):
    paginator = client.get_paginator("list_distributions")
    result = paginator.paginate().build_full_result()
    return result.get("DistributionList", {}).get("Items") or []


@CloudFrontErrorHandler.list_error_handler("get distribution", (None, None))
@AWSRetry.jittered_backoff()
def get_distribution(client, distribution_id):
    result = client.get_distribution(Id=distribution_id)
    return result["Distribution"], result["ETag"]


@CloudFrontErrorHandler.common_error_handler("create distribution")
@AWSRetry.jittered_backoff()
def create_distribution(client, config, tags):
    request = dict(DistributionConfig=config, Tags=dict(Items=tags))
    return client.create_distribution_with_tags(DistributionConfigWithTags=request)["Distribution"]


@CloudFrontErrorHandler.common_error_handler("update distribution")
@AWSRetry.jittered_backoff()
def update_distribution(client, distribution_id, etag, config):
    return client.update_distribution(Id=distribution_id, IfMatch=etag, DistributionConfig=config)["Distribution"]


@CloudFrontErrorHandler.deletion_error_handler("delete distribution")
@AWSRetry.jittered_backoff()
def delete_distribution(client, distribution_id, etag):
    client.delete_distribution(Id=distribution_id, IfMatch=etag)
    return True


@CloudFrontErrorHandler.list_error_handler("list distribution tags", [])
@AWSRetry.jittered_backoff()
def list_tags(client, arn):
    return client.list_tags_for_resource(Resource=arn).get("Tags", {}).get("Items") or []


@CloudFrontErrorHandler.common_error_handler("tag distribution")
@AWSRetry.jittered_backoff()
def tag_resource(client, arn, tags):
    client.tag_resource(Resource=arn, Tags=dict(Items=tags))


@CloudFrontErrorHandler.common_error_handler("untag distribution")
@AWSRetry.jittered_backoff()
def untag_resource(client, arn, keys):
    client.untag_resource(Resource=arn, TagKeys=dict(Items=keys))


@CloudFrontErrorHandler.common_error_handler("wait for the distribution to deploy")
def wait_deployed(client, distribution_id, timeout):
    delay = 30
    client.get_waiter("distribution_deployed").wait(Id=distribution_id, WaiterConfig=dict(Delay=delay, MaxAttempts=max(1, timeout // delay)))
