# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Application Auto Scaling calls, each wrapped with retries and one error type."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


class AnsibleAppAutoScalingError(AnsibleAWSError):
    pass


class AppAutoScalingErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleAppAutoScalingError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ObjectNotFoundException")


@AppAutoScalingErrorHandler.list_error_handler("describe scheduled actions", [])
@AWSRetry.jittered_backoff()
def describe_scheduled_actions(client, **params):
    paginator = client.get_paginator("describe_scheduled_actions")
    return paginator.paginate(**params).build_full_result()["ScheduledActions"]


@AppAutoScalingErrorHandler.common_error_handler("put scheduled action")
@AWSRetry.jittered_backoff()
def put_scheduled_action(client, **params):
    client.put_scheduled_action(**params)


@AppAutoScalingErrorHandler.deletion_error_handler("delete scheduled action")
@AWSRetry.jittered_backoff()
def delete_scheduled_action(client, **params):
    client.delete_scheduled_action(**params)
    return True


@AppAutoScalingErrorHandler.list_error_handler("describe scalable targets", [])
@AWSRetry.jittered_backoff()
def describe_scalable_targets(client, **params):
    paginator = client.get_paginator("describe_scalable_targets")
    return paginator.paginate(**params).build_full_result()["ScalableTargets"]


@AppAutoScalingErrorHandler.common_error_handler("register scalable target")
@AWSRetry.jittered_backoff()
def register_scalable_target(client, **params):
    client.register_scalable_target(**params)


@AppAutoScalingErrorHandler.deletion_error_handler("deregister scalable target")
@AWSRetry.jittered_backoff()
def deregister_scalable_target(client, **params):
    client.deregister_scalable_target(**params)
    return True


@AppAutoScalingErrorHandler.list_error_handler("describe scaling policies", [])
@AWSRetry.jittered_backoff()
def describe_scaling_policies(client, **params):
    paginator = client.get_paginator("describe_scaling_policies")
    return paginator.paginate(**params).build_full_result()["ScalingPolicies"]


@AppAutoScalingErrorHandler.common_error_handler("put scaling policy")
@AWSRetry.jittered_backoff()
def put_scaling_policy(client, **params):
    return client.put_scaling_policy(**params)


@AppAutoScalingErrorHandler.deletion_error_handler("delete scaling policy")
@AWSRetry.jittered_backoff()
def delete_scaling_policy(client, **params):
    client.delete_scaling_policy(**params)
    return True
