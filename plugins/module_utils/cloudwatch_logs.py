# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Wrappers around the CloudWatch Logs log group and metric filter calls, and what the Logs list modules share.

The wrappers share the error type and handler of the Logs Insights wrappers in cloudwatch.py.
Every call retries with jittered backoff; listing calls page through every result.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.cloudplatform.aws.plugins.module_utils.cloudwatch import CloudWatchError, CloudWatchLogsErrorHandler

# Log groups


@CloudWatchLogsErrorHandler.list_error_handler("describe log groups", [])
@AWSRetry.jittered_backoff()
def describe_log_groups(client, prefix=None):
    params = {"logGroupNamePrefix": prefix} if prefix else {}
    paginator = client.get_paginator("describe_log_groups")
    return paginator.paginate(**params).build_full_result().get("logGroups", [])


@CloudWatchLogsErrorHandler.list_error_handler("list log group tags", {})
@AWSRetry.jittered_backoff()
def list_tags_for_resource(client, arn):
    return client.list_tags_for_resource(resourceArn=arn).get("tags", {})


@CloudWatchLogsErrorHandler.common_error_handler("create log group")
@AWSRetry.jittered_backoff()
def create_log_group(client, name, kms_key_id=None, tags=None):
    params = {"logGroupName": name}
    if kms_key_id:
        params["kmsKeyId"] = kms_key_id
    if tags:
        params["tags"] = tags
    client.create_log_group(**params)
    return True


@CloudWatchLogsErrorHandler.deletion_error_handler("delete log group")
@AWSRetry.jittered_backoff()
def delete_log_group(client, name):
    client.delete_log_group(logGroupName=name)
    return True


@CloudWatchLogsErrorHandler.common_error_handler("put retention policy")
@AWSRetry.jittered_backoff()
def put_retention_policy(client, name, days):
    client.put_retention_policy(logGroupName=name, retentionInDays=days)
    return True


@CloudWatchLogsErrorHandler.common_error_handler("associate KMS key")
@AWSRetry.jittered_backoff()
def associate_kms_key(client, name, kms_key_id):
    client.associate_kms_key(logGroupName=name, kmsKeyId=kms_key_id)
    return True


@CloudWatchLogsErrorHandler.common_error_handler("disassociate KMS key")
@AWSRetry.jittered_backoff()
def disassociate_kms_key(client, name):
    client.disassociate_kms_key(logGroupName=name)
    return True


@CloudWatchLogsErrorHandler.common_error_handler("tag log group")
@AWSRetry.jittered_backoff()
def tag_resource(client, arn, tags):
    client.tag_resource(resourceArn=arn, tags=tags)
    return True


@CloudWatchLogsErrorHandler.common_error_handler("untag log group")
@AWSRetry.jittered_backoff()
def untag_resource(client, arn, keys):
    client.untag_resource(resourceArn=arn, tagKeys=keys)
    return True


# Metric filters


@CloudWatchLogsErrorHandler.list_error_handler("describe metric filters", None)
@AWSRetry.jittered_backoff()
def describe_metric_filters(client, log_group_name, name_prefix=None):
    """The metric filters of one log group (of one name prefix), or None when the log group does not exist."""
    params = {"logGroupName": log_group_name}
    if name_prefix:
        params["filterNamePrefix"] = name_prefix
    paginator = client.get_paginator("describe_metric_filters")
    return paginator.paginate(**params).build_full_result().get("metricFilters", [])


@CloudWatchLogsErrorHandler.common_error_handler("put metric filter")
@AWSRetry.jittered_backoff()
def put_metric_filter(client, **params):
    client.put_metric_filter(**params)
    return True


@CloudWatchLogsErrorHandler.deletion_error_handler("delete metric filter")
@AWSRetry.jittered_backoff()
def delete_metric_filter(client, log_group_name, filter_name):
    client.delete_metric_filter(logGroupName=log_group_name, filterName=filter_name)
    return True


def run_logs_module(argument_spec, run):
    """main() of a CloudWatch Logs module: parse the arguments, ``run(module, client)``, exit with its result."""
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    try:
        result = run(module, module.client("logs"))
    except CloudWatchError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)
