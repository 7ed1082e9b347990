# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Thin, retried wrappers around the AWS Config recorder status calls (one boto3 call each)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


class AnsibleConfigRecorderError(AnsibleAWSError):
    pass


class ConfigRecorderErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleConfigRecorderError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["NoSuchConfigurationRecorderException", "NoSuchConfigRuleException"])


@ConfigRecorderErrorHandler.list_error_handler("describe configuration recorder status")
@AWSRetry.jittered_backoff()
def describe_recorder_status(client, name):
    statuses = client.describe_configuration_recorder_status(ConfigurationRecorderNames=[name])["ConfigurationRecordersStatus"]
    return statuses[0] if statuses else None


@ConfigRecorderErrorHandler.common_error_handler("start configuration recorder")
@AWSRetry.jittered_backoff()
def start_recorder(client, name):
    client.start_configuration_recorder(ConfigurationRecorderName=name)


@ConfigRecorderErrorHandler.common_error_handler("stop configuration recorder")
@AWSRetry.jittered_backoff()
def stop_recorder(client, name):
    client.stop_configuration_recorder(ConfigurationRecorderName=name)


@ConfigRecorderErrorHandler.list_error_handler("describe config rule", None)
@AWSRetry.jittered_backoff()
def describe_config_rule(client, name):
    rules = client.describe_config_rules(ConfigRuleNames=[name])["ConfigRules"]
    return rules[0] if rules else None


@ConfigRecorderErrorHandler.common_error_handler("put config rule")
@AWSRetry.jittered_backoff()
def put_config_rule(client, rule, tags=None):
    params = dict(ConfigRule=rule)
    if tags:
        params["Tags"] = tags
    client.put_config_rule(**params)


@ConfigRecorderErrorHandler.deletion_error_handler("delete config rule")
@AWSRetry.jittered_backoff(catch_extra_error_codes=["ResourceInUseException"])
def delete_config_rule(client, name):
    client.delete_config_rule(ConfigRuleName=name)
    return True


@ConfigRecorderErrorHandler.list_error_handler("list config rule tags", [])
@AWSRetry.jittered_backoff()
def list_tags(client, arn):
    paginator = client.get_paginator("list_tags_for_resource")
    return paginator.paginate(ResourceArn=arn).build_full_result()["Tags"]


@ConfigRecorderErrorHandler.common_error_handler("tag config rule")
@AWSRetry.jittered_backoff()
def tag_resource(client, arn, tags):
    client.tag_resource(ResourceArn=arn, Tags=tags)


@ConfigRecorderErrorHandler.common_error_handler("untag config rule")
@AWSRetry.jittered_backoff()
def untag_resource(client, arn, keys):
    client.untag_resource(ResourceArn=arn, TagKeys=keys)


@ConfigRecorderErrorHandler.list_error_handler("describe configuration recorder")
@AWSRetry.jittered_backoff()
def describe_recorder(client, name):
    recorders = client.describe_configuration_recorders(ConfigurationRecorderNames=[name])["ConfigurationRecorders"]
    return recorders[0] if recorders else None


@ConfigRecorderErrorHandler.common_error_handler("put configuration recorder")
@AWSRetry.jittered_backoff()
def put_recorder(client, recorder):
    client.put_configuration_recorder(ConfigurationRecorder=recorder)


@ConfigRecorderErrorHandler.deletion_error_handler("delete configuration recorder")
@AWSRetry.jittered_backoff()
def delete_recorder(client, name):
    client.delete_configuration_recorder(ConfigurationRecorderName=name)
    return True
