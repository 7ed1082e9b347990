# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Thin, retried wrappers around the GuardDuty detector calls (one boto3 call each)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


class AnsibleGuardDutyError(AnsibleAWSError):
    pass


class GuardDutyErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleGuardDutyError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("BadRequestException")


@GuardDutyErrorHandler.list_error_handler("list detectors", [])
@AWSRetry.jittered_backoff()
def list_detectors(client):
    paginator = client.get_paginator("list_detectors")
    return paginator.paginate().build_full_result()["DetectorIds"]


@GuardDutyErrorHandler.list_error_handler("get detector")
@AWSRetry.jittered_backoff()
def get_detector(client, detector_id):
    detector = client.get_detector(DetectorId=detector_id)
    detector.pop("ResponseMetadata", None)
    return detector


@GuardDutyErrorHandler.common_error_handler("create detector")
@AWSRetry.jittered_backoff()
def create_detector(client, **params):
    return client.create_detector(**params)["DetectorId"]


@GuardDutyErrorHandler.common_error_handler("update detector")
@AWSRetry.jittered_backoff()
def update_detector(client, detector_id, **params):
    client.update_detector(DetectorId=detector_id, **params)


@GuardDutyErrorHandler.common_error_handler("tag detector")
@AWSRetry.jittered_backoff()
def tag_resource(client, arn, tags):
    client.tag_resource(ResourceArn=arn, Tags=tags)


@GuardDutyErrorHandler.common_error_handler("untag detector")
@AWSRetry.jittered_backoff()
def untag_resource(client, arn, keys):
    client.untag_resource(ResourceArn=arn, TagKeys=keys)


@GuardDutyErrorHandler.deletion_error_handler("delete detector")
@AWSRetry.jittered_backoff()
def delete_detector(client, detector_id):
    client.delete_detector(DetectorId=detector_id)
    return True
