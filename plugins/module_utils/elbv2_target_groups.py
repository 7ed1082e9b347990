# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Retried wrappers around the ELBv2 target group calls, one boto3 call (or one paginated call) each.

Calls made with an ARN the API has just returned also retry on ``TargetGroupNotFound``: ELBv2 is
eventually consistent, and a target group created a moment ago can be unknown to the next call.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import (
    ansible_dict_to_boto3_tag_list,
    boto3_tag_list_to_ansible_dict,
)

from ansible_collections.cloudplatform.aws.plugins.module_utils.elbv2_attributes import attribute_dict, attribute_list

# DescribeTags takes at most 20 resource ARNs per call.
TAGS_PER_CALL = 20
_NEW_ARN_RETRY = dict(catch_extra_error_codes=["TargetGroupNotFound"])


class AnsibleElbv2TargetGroupError(AnsibleAWSError):
    pass


class Elbv2TargetGroupErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleElbv2TargetGroupError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("TargetGroupNotFound")


@Elbv2TargetGroupErrorHandler.list_error_handler("describe target groups", None)
@AWSRetry.jittered_backoff()
def describe_target_groups_by_name(client, names):
    """The target groups called names, or None when any of them does not exist (the API fails the whole call)."""
    paginator = client.get_paginator("describe_target_groups")
    return paginator.paginate(Names=names).build_full_result()["TargetGroups"]


@Elbv2TargetGroupErrorHandler.common_error_handler("describe target groups")
@AWSRetry.jittered_backoff(**_NEW_ARN_RETRY)
def describe_target_groups_by_arn(client, arns):
    paginator = client.get_paginator("describe_target_groups")
    return paginator.paginate(TargetGroupArns=arns).build_full_result()["TargetGroups"]


@AWSRetry.jittered_backoff(**_NEW_ARN_RETRY)
def _describe_tags(client, arns):
    return client.describe_tags(ResourceArns=arns)["TagDescriptions"]


@Elbv2TargetGroupErrorHandler.common_error_handler("describe target group tags")
def describe_tags(client, arns):
    """Tags by ARN, as dicts; one DescribeTags call per 20 ARNs."""
    tags = {}
    for start in range(0, len(arns), TAGS_PER_CALL):
        for description in _describe_tags(client, arns[start:start + TAGS_PER_CALL]):
            tags[description["ResourceArn"]] = boto3_tag_list_to_ansible_dict(description.get("Tags", []))
    return tags


@Elbv2TargetGroupErrorHandler.common_error_handler("describe target group attributes")
@AWSRetry.jittered_backoff(**_NEW_ARN_RETRY)
def describe_target_group_attributes(client, arn):
    return attribute_dict(client.describe_target_group_attributes(TargetGroupArn=arn).get("Attributes", []))


@Elbv2TargetGroupErrorHandler.common_error_handler("create target group")
@AWSRetry.jittered_backoff()
def create_target_group(client, **params):
    return client.create_target_group(**params)["TargetGroups"][0]


@Elbv2TargetGroupErrorHandler.common_error_handler("modify target group")
@AWSRetry.jittered_backoff(**_NEW_ARN_RETRY)
def modify_target_group(client, arn, **params):
    client.modify_target_group(TargetGroupArn=arn, **params)
    return True


@Elbv2TargetGroupErrorHandler.common_error_handler("modify target group attributes")
@AWSRetry.jittered_backoff(**_NEW_ARN_RETRY)
def modify_target_group_attributes(client, arn, attributes):
    client.modify_target_group_attributes(TargetGroupArn=arn, Attributes=attribute_list(attributes))
    return True


@Elbv2TargetGroupErrorHandler.common_error_handler("tag target group")
@AWSRetry.jittered_backoff(**_NEW_ARN_RETRY)
def add_tags(client, arn, tags):
    client.add_tags(ResourceArns=[arn], Tags=ansible_dict_to_boto3_tag_list(tags))
    return True


@Elbv2TargetGroupErrorHandler.common_error_handler("untag target group")
@AWSRetry.jittered_backoff(**_NEW_ARN_RETRY)
def remove_tags(client, arn, keys):
    client.remove_tags(ResourceArns=[arn], TagKeys=list(keys))
    return True


@Elbv2TargetGroupErrorHandler.deletion_error_handler("delete target group")
@AWSRetry.jittered_backoff()
def delete_target_group(client, arn):
    client.delete_target_group(TargetGroupArn=arn)
    return True
