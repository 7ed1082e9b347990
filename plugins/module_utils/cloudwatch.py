# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Wrappers around the CloudWatch and CloudWatch Logs calls the monitoring modules make.

Every call retries with jittered backoff and raises an AnsibleAWSError subclass that names what
failed; listing calls page through every result.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


class CloudWatchError(AnsibleAWSError):
    pass


class CloudWatchErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = CloudWatchError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["ResourceNotFound", "ResourceNotFoundException"])


class CloudWatchLogsErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = CloudWatchError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFoundException")


# Dashboards


@CloudWatchErrorHandler.list_error_handler("get dashboard", None)
@AWSRetry.jittered_backoff()
def get_dashboard(client, name):
    return client.get_dashboard(DashboardName=name)


@CloudWatchErrorHandler.common_error_handler("put dashboard")
@AWSRetry.jittered_backoff()
def put_dashboard(client, name, body):
    return client.put_dashboard(DashboardName=name, DashboardBody=body).get("DashboardValidationMessages", [])


@CloudWatchErrorHandler.deletion_error_handler("delete dashboard")
@AWSRetry.jittered_backoff()
def delete_dashboard(client, name):
    client.delete_dashboards(DashboardNames=[name])
    return True


# Metric alarms


@CloudWatchErrorHandler.list_error_handler("describe alarms", [])
@AWSRetry.jittered_backoff()
def describe_metric_alarms_by_prefix(client, prefix):
    paginator = client.get_paginator("describe_alarms")
    return paginator.paginate(AlarmNamePrefix=prefix, AlarmTypes=["MetricAlarm"]).build_full_result().get("MetricAlarms", [])


@CloudWatchErrorHandler.common_error_handler("put metric alarm")
@AWSRetry.jittered_backoff()
def put_metric_alarm(client, **params):
    client.put_metric_alarm(**params)
    return True


@CloudWatchErrorHandler.deletion_error_handler("delete alarm")
@AWSRetry.jittered_backoff()
def delete_alarms(client, names):
    # DeleteAlarms takes at most 100 names per call.
    for start in range(0, len(names), 100):
        client.delete_alarms(AlarmNames=names[start:start + 100])
    return True


@CloudWatchErrorHandler.list_error_handler("list tags", [])
@AWSRetry.jittered_backoff()
def list_tags(client, arn):
    return client.list_tags_for_resource(ResourceARN=arn).get("Tags", [])


@CloudWatchErrorHandler.common_error_handler("tag resource")
@AWSRetry.jittered_backoff()
def tag_resource(client, arn, tags):
    client.tag_resource(ResourceARN=arn, Tags=tags)
    return True


@CloudWatchErrorHandler.common_error_handler("untag resource")
@AWSRetry.jittered_backoff()
def untag_resource(client, arn, keys):
    client.untag_resource(ResourceARN=arn, TagKeys=keys)
    return True


# Logs Insights query definitions


@CloudWatchLogsErrorHandler.list_error_handler("describe query definitions", [])
@AWSRetry.jittered_backoff()
def describe_query_definitions(client, name_prefix):
    # DescribeQueryDefinitions has no botocore paginator: page by hand.
    params = {"queryDefinitionNamePrefix": name_prefix, "maxResults": 1000}
    found = []
    while True:
        response = client.describe_query_definitions(**params)
        found.extend(response.get("queryDefinitions", []))
        if not response.get("nextToken"):
            return found
        params["nextToken"] = response["nextToken"]


@CloudWatchLogsErrorHandler.common_error_handler("put query definition")
@AWSRetry.jittered_backoff()
def put_query_definition(client, **params):
    return client.put_query_definition(**params)["queryDefinitionId"]


@CloudWatchLogsErrorHandler.deletion_error_handler("delete query definition")
@AWSRetry.jittered_backoff()
def delete_query_definition(client, query_definition_id):
    client.delete_query_definition(queryDefinitionId=query_definition_id)
    return True
