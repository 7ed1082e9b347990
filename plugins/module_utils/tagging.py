# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Resource Groups Tagging API wrappers."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

# ARNs whose resource part has no type prefix: the service names the type.
_UNTYPED = {"sns": "topic", "s3": "bucket", "sqs": "queue"}


class AnsibleTaggingError(AnsibleAWSError):
    pass


class TaggingErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleTaggingError


@TaggingErrorHandler.common_error_handler("list tagged resources")
@AWSRetry.jittered_backoff()
def get_resources(client, tag_filters, resource_type_filters=None):
    params = {"TagFilters": tag_filters}
    if resource_type_filters:
        params["ResourceTypeFilters"] = resource_type_filters
    paginator = client.get_paginator("get_resources")
    return paginator.paginate(**params).build_full_result()["ResourceTagMappingList"]


def resource_type(arn):
    """'arn:aws:ec2:us-east-1:1:vpc/vpc-1' -> 'ec2:vpc'; 'arn:aws:sns:r:1:topic' -> 'sns:topic'."""
    parts = arn.split(":", 5)
    if len(parts) < 6:
        return "unknown"
    service, resource = parts[2], parts[5]
    if service in _UNTYPED:
        return "%s:%s" % (service, _UNTYPED[service])
    cut = min((i for i in (resource.find("/"), resource.find(":")) if i >= 0), default=len(resource))
    return "%s:%s" % (service, resource[:cut])
