# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Thin, retried wrappers around the ACM calls that request and find certificates (one boto3 call each)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


class AnsibleAcmError(AnsibleAWSError):
    pass


class AcmErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleAcmError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFoundException")


@AcmErrorHandler.list_error_handler("list certificates", [])
@AWSRetry.jittered_backoff()
def list_certificates(client, statuses):
    paginator = client.get_paginator("list_certificates")
    return paginator.paginate(CertificateStatuses=statuses).build_full_result()["CertificateSummaryList"]


@AcmErrorHandler.list_error_handler("describe certificate")
@AWSRetry.jittered_backoff()
def describe_certificate(client, arn):
    return client.describe_certificate(CertificateArn=arn)["Certificate"]


@AcmErrorHandler.list_error_handler("list certificate tags", [])
@AWSRetry.jittered_backoff()
def list_certificate_tags(client, arn):
    return client.list_tags_for_certificate(CertificateArn=arn).get("Tags", [])


@AcmErrorHandler.common_error_handler("request certificate")
@AWSRetry.jittered_backoff()
def request_certificate(client, **params):
    return client.request_certificate(**params)["CertificateArn"]


@AcmErrorHandler.common_error_handler("tag certificate")
@AWSRetry.jittered_backoff()
def add_certificate_tags(client, arn, tags):
    client.add_tags_to_certificate(CertificateArn=arn, Tags=[dict(Key=k, Value=v) for k, v in tags.items()])


@AcmErrorHandler.common_error_handler("untag certificate")
@AWSRetry.jittered_backoff()
def remove_certificate_tags(client, arn, keys):
    client.remove_tags_from_certificate(CertificateArn=arn, Tags=[dict(Key=k) for k in keys])


@AcmErrorHandler.deletion_error_handler("delete certificate")
@AWSRetry.jittered_backoff()
def delete_certificate(client, arn):
    client.delete_certificate(CertificateArn=arn)
    return True


@AcmErrorHandler.common_error_handler("wait for the certificate to be issued")
def wait_for_issued(client, arn, timeout):
    delay = 5
    client.get_waiter("certificate_validated").wait(
        CertificateArn=arn, WaiterConfig=dict(Delay=delay, MaxAttempts=max(1, timeout // delay))
    )
