# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Application Auto Scaling and CloudWatch alarm wrappers for queue-depth scaling of ECS services.

Every boto3 call of ecs_queue_depth_scaling sits here, retried with jittered backoff; errors
surface as AnsibleAWSError so the module reports them with fail_json_aws_error.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

ECS_NAMESPACE = "ecs"
ECS_DIMENSION = "ecs:service:DesiredCount"


class QueueScalingError(AnsibleAWSError):
    pass


class ScalingErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = QueueScalingError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["ObjectNotFoundException", "ResourceNotFound", "ResourceNotFoundException"])


def ecs_resource_id(cluster, service):
    return "service/%s/%s" % (cluster, service)


@ScalingErrorHandler.list_error_handler("describe scalable targets", None)
@AWSRetry.jittered_backoff()
def describe_scalable_target(client, resource_id):
    paginator = client.get_paginator("describe_scalable_targets")
    targets = paginator.paginate(
        ServiceNamespace=ECS_NAMESPACE, ResourceIds=[resource_id], ScalableDimension=ECS_DIMENSION
    ).build_full_result()["ScalableTargets"]
    return targets[0] if targets else None


@ScalingErrorHandler.common_error_handler("register scalable target")
@AWSRetry.jittered_backoff()
def register_scalable_target(client, resource_id, min_capacity, max_capacity):
    client.register_scalable_target(
        ServiceNamespace=ECS_NAMESPACE,
        ResourceId=resource_id,
        ScalableDimension=ECS_DIMENSION,
        MinCapacity=min_capacity,
        MaxCapacity=max_capacity,
    )


@ScalingErrorHandler.deletion_error_handler("deregister scalable target")
@AWSRetry.jittered_backoff()
def deregister_scalable_target(client, resource_id):
    client.deregister_scalable_target(ServiceNamespace=ECS_NAMESPACE, ResourceId=resource_id, ScalableDimension=ECS_DIMENSION)
    return True


@ScalingErrorHandler.list_error_handler("describe scaling policies", [])
@AWSRetry.jittered_backoff()
def describe_scaling_policies(client, resource_id):
    paginator = client.get_paginator("describe_scaling_policies")
    return paginator.paginate(
        ServiceNamespace=ECS_NAMESPACE, ResourceId=resource_id, ScalableDimension=ECS_DIMENSION
    ).build_full_result()["ScalingPolicies"]


@ScalingErrorHandler.common_error_handler("put scaling policy")
@AWSRetry.jittered_backoff()
def put_scaling_policy(client, resource_id, name, policy_type, configuration):
    params = dict(
        PolicyName=name,
        ServiceNamespace=ECS_NAMESPACE,
        ResourceId=resource_id,
        ScalableDimension=ECS_DIMENSION,
        PolicyType=policy_type,
    )
    if policy_type == "StepScaling":
        params["StepScalingPolicyConfiguration"] = configuration
    else:
        params["TargetTrackingScalingPolicyConfiguration"] = configuration
    return client.put_scaling_policy(**params)["PolicyARN"]


@ScalingErrorHandler.deletion_error_handler("delete scaling policy")
@AWSRetry.jittered_backoff()
def delete_scaling_policy(client, resource_id, name):
    client.delete_scaling_policy(PolicyName=name, ServiceNamespace=ECS_NAMESPACE, ResourceId=resource_id, ScalableDimension=ECS_DIMENSION)
    return True


@ScalingErrorHandler.list_error_handler("describe alarms", [])
@AWSRetry.jittered_backoff()
def describe_alarms(client, names):
    paginator = client.get_paginator("describe_alarms")
    return paginator.paginate(AlarmNames=names, AlarmTypes=["MetricAlarm"]).build_full_result()["MetricAlarms"]


@ScalingErrorHandler.common_error_handler("put metric alarm")
@AWSRetry.jittered_backoff()
def put_metric_alarm(client, **params):
    client.put_metric_alarm(**params)


@ScalingErrorHandler.deletion_error_handler("delete alarms")
@AWSRetry.jittered_backoff()
def delete_alarms(client, names):
    client.delete_alarms(AlarmNames=names)
    return True


@ScalingErrorHandler.list_error_handler("list alarm tags", [])
@AWSRetry.jittered_backoff()
def list_alarm_tags(client, arn):
    return client.list_tags_for_resource(ResourceARN=arn)["Tags"]


@ScalingErrorHandler.common_error_handler("tag alarm")
@AWSRetry.jittered_backoff()
def tag_alarm(client, arn, tags):
    client.tag_resource(ResourceARN=arn, Tags=tags)


@ScalingErrorHandler.common_error_handler("untag alarm")
@AWSRetry.jittered_backoff()
def untag_alarm(client, arn, keys):
    client.untag_resource(ResourceARN=arn, TagKeys=keys)
