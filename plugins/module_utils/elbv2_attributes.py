# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Thin, retried wrappers around the ELBv2 load balancer calls (one boto3 call each), the main() of the load
balancer modules, and the attribute comparison that load balancers and target groups share."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


def api_value(value):
    """An attribute value as the ELBv2 API reports it: lower-case booleans, everything else a string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def pending_attributes(current, wanted):
    """The wanted attributes whose value differs from (or is missing in) the current ones."""
    return {key: value for key, value in wanted.items() if current.get(key) != value}


def attribute_dict(attributes):
    """[{Key, Value}] as the API returns attributes -> {key: value}."""
    return {a["Key"]: a["Value"] for a in attributes}


def attribute_list(attributes):
    """{key: value} -> the [{Key, Value}] list the Modify*Attributes calls take, in key order."""
    return [dict(Key=k, Value=v) for k, v in sorted(attributes.items())]


class AnsibleElbv2AttributesError(AnsibleAWSError):
    pass


class Elbv2AttributesErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleElbv2AttributesError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("LoadBalancerNotFound")


@Elbv2AttributesErrorHandler.list_error_handler("describe load balancer")
@AWSRetry.jittered_backoff()
def describe_load_balancer(client, name):
    """The load balancer called name, or None."""
    balancers = client.describe_load_balancers(Names=[name]).get("LoadBalancers", [])
    return balancers[0] if balancers else None


@Elbv2AttributesErrorHandler.common_error_handler("describe load balancer attributes")
@AWSRetry.jittered_backoff()
def describe_load_balancer_attributes(client, arn):
    return attribute_dict(client.describe_load_balancer_attributes(LoadBalancerArn=arn).get("Attributes", []))


@Elbv2AttributesErrorHandler.common_error_handler("modify load balancer attributes")
@AWSRetry.jittered_backoff()
def modify_load_balancer_attributes(client, arn, attributes):
    result = client.modify_load_balancer_attributes(LoadBalancerArn=arn, Attributes=attribute_list(attributes))
    return attribute_dict(result.get("Attributes", []))


@Elbv2AttributesErrorHandler.common_error_handler("describe listeners")
@AWSRetry.jittered_backoff()
def describe_listeners(client, arn):
    """Every listener of the load balancer arn (paginated)."""
    paginator = client.get_paginator("describe_listeners")
    return paginator.paginate(LoadBalancerArn=arn).build_full_result().get("Listeners", [])


def run_elbv2_module(argument_spec, run):
    """main() of a load balancer module: parse the arguments, ``run(module, client)``, exit with its result."""
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    try:
        result = run(module, module.client("elbv2"))
    except AnsibleElbv2AttributesError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)
