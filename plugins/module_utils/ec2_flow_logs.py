# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Retrying, error-wrapped boto3 calls for VPC flow logs (used by the ec2_vpc_flow_log module)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list


class FlowLogError(AnsibleAWSError):
    pass


class FlowLogErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = FlowLogError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("InvalidFlowLogId.NotFound")


@FlowLogErrorHandler.list_error_handler("describe flow logs", [])
@AWSRetry.jittered_backoff()
def describe_flow_logs(client, **params):
    paginator = client.get_paginator("describe_flow_logs")
    return paginator.paginate(**params).build_full_result()["FlowLogs"]


@FlowLogErrorHandler.common_error_handler("create flow log")
@AWSRetry.jittered_backoff()
def create_flow_logs(client, **params):
    return client.create_flow_logs(**params)


@FlowLogErrorHandler.deletion_error_handler("delete flow log")
@AWSRetry.jittered_backoff()
def delete_flow_log(client, flow_log_id):
    # DeleteFlowLogs reports per-id failures in the answer instead of raising.
    return client.delete_flow_logs(FlowLogIds=[flow_log_id]).get("Unsuccessful", [])


@FlowLogErrorHandler.common_error_handler("tag flow log")
@AWSRetry.jittered_backoff(catch_extra_error_codes=["InvalidFlowLogId.NotFound"])
def create_tags(client, flow_log_id, tags):
    client.create_tags(Resources=[flow_log_id], Tags=ansible_dict_to_boto3_tag_list(tags))
    return True


@FlowLogErrorHandler.common_error_handler("untag flow log")
@AWSRetry.jittered_backoff(catch_extra_error_codes=["InvalidFlowLogId.NotFound"])
def delete_tags(client, flow_log_id, keys):
    client.delete_tags(Resources=[flow_log_id], Tags=[{"Key": key} for key in keys])
    return True
