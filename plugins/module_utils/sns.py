# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Wrappers around the SNS topic, subscription and tagging calls, with retries and named errors, and the
per-topic comparisons of sns_topic_set.

Every call retries with jittered backoff and raises SNSError naming what failed; listing calls page
through every result.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import re

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list, boto3_tag_list_to_ansible_dict


class SNSError(AnsibleAWSError):
    pass


class SNSErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = SNSError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("NotFound")


def tag_list(tags):
    """The boto3 tag list of a dict, by key, so the same tags are always sent the same way."""
    return ansible_dict_to_boto3_tag_list(dict(sorted(tags.items())))


# Topics


@SNSErrorHandler.common_error_handler("list topics")
@AWSRetry.jittered_backoff()
def list_topics(client):
    """The ARNs of every topic of the account in the client's region."""
    paginator = client.get_paginator("list_topics")
    return [topic["TopicArn"] for topic in paginator.paginate().build_full_result().get("Topics", [])]


@SNSErrorHandler.common_error_handler("create topic")
@AWSRetry.jittered_backoff()
def create_topic(client, name, attributes=None, tags=None):
    params = {"Name": name}
    if attributes:
        params["Attributes"] = attributes
    if tags:
        params["Tags"] = tag_list(tags)
    return client.create_topic(**params)["TopicArn"]


@SNSErrorHandler.deletion_error_handler("delete topic")
@AWSRetry.jittered_backoff()
def delete_topic(client, topic_arn):
    client.delete_topic(TopicArn=topic_arn)
    return True


@SNSErrorHandler.list_error_handler("get topic attributes", None)
@AWSRetry.jittered_backoff()
def get_topic_attributes(client, topic_arn):
    return client.get_topic_attributes(TopicArn=topic_arn)["Attributes"]


@SNSErrorHandler.common_error_handler("set topic attribute")
@AWSRetry.jittered_backoff()
def set_topic_attribute(client, topic_arn, name, value):
    client.set_topic_attributes(TopicArn=topic_arn, AttributeName=name, AttributeValue=value)
    return True


# Subscriptions


@SNSErrorHandler.list_error_handler("list subscriptions by topic", [])
@AWSRetry.jittered_backoff()
def list_subscriptions_by_topic(client, topic_arn):
    paginator = client.get_paginator("list_subscriptions_by_topic")
    return paginator.paginate(TopicArn=topic_arn).build_full_result().get("Subscriptions", [])


@SNSErrorHandler.common_error_handler("subscribe")
@AWSRetry.jittered_backoff()
def subscribe(client, topic_arn, protocol, endpoint):
    return client.subscribe(TopicArn=topic_arn, Protocol=protocol, Endpoint=endpoint)["SubscriptionArn"]


@SNSErrorHandler.deletion_error_handler("unsubscribe")
@AWSRetry.jittered_backoff()
def unsubscribe(client, subscription_arn):
    client.unsubscribe(SubscriptionArn=subscription_arn)
    return True


# Tags


@SNSErrorHandler.list_error_handler("list topic tags", {})
@AWSRetry.jittered_backoff()
def list_tags_for_resource(client, topic_arn):
    return boto3_tag_list_to_ansible_dict(client.list_tags_for_resource(ResourceArn=topic_arn).get("Tags", []))


@SNSErrorHandler.common_error_handler("tag topic")
@AWSRetry.jittered_backoff()
def tag_resource(client, topic_arn, tags):
    client.tag_resource(ResourceArn=topic_arn, Tags=tag_list(tags))
    return True


@SNSErrorHandler.common_error_handler("untag topic")
@AWSRetry.jittered_backoff()
def untag_resource(client, topic_arn, keys):
    client.untag_resource(ResourceArn=topic_arn, TagKeys=keys)
    return True


# Finding and reading topics


def topic_name(topic_arn):
    """Topic names hold no colon: the name is what follows the last one."""
    return topic_arn.rsplit(":", 1)[-1]


def find_topic_arns(client, names):
    """{name: ARN} of the named topics that exist, from one paginated ListTopics."""
    wanted = set(names)
    return {topic_name(arn): arn for arn in list_topics(client) if topic_name(arn) in wanted}


def read_topic(client, topic_arn):
    """A topic's attributes, subscriptions and tags: one GetTopicAttributes, one ListSubscriptionsByTopic, one ListTagsForResource."""
    return dict(arn=topic_arn, attributes=get_topic_attributes(client, topic_arn) or {},
                subscriptions=list_subscriptions_by_topic(client, topic_arn), tags=list_tags_for_resource(client, topic_arn))


# Topic attributes: how a wanted value compares with what GetTopicAttributes answers


def parse_json(text):
    """An attribute holding JSON as a dict; None when the topic has none."""
    return json.loads(text) if text else None


def comparable_delivery_policy(policy):
    # SNS adds http.disableSubscriptionOverrides (false) to a delivery policy set without it.
    policy = copy.deepcopy(policy)
    if isinstance(policy.get("http"), dict):
        policy["http"].setdefault("disableSubscriptionOverrides", False)
    return policy


def same_text(current, wanted):
    return (current or "") == wanted


def same_policy(current, wanted):
    return bool(current) and not compare_policies(parse_json(current), wanted)


def same_delivery_policy(current, wanted):
    return bool(current) and comparable_delivery_policy(parse_json(current)) == comparable_delivery_policy(wanted)


# Option name -> (attribute name, comparison). JSON options hold dicts and are sent as JSON text.
TOPIC_ATTRIBUTES = {
    "display_name": ("DisplayName", same_text),
    "kms_master_key_id": ("KmsMasterKeyId", same_text),
    "policy": ("Policy", same_policy),
    "delivery_policy": ("DeliveryPolicy", same_delivery_policy),
}


def attribute_value(wanted):
    return json.dumps(wanted, sort_keys=True) if isinstance(wanted, dict) else wanted


def update_topic_attribute(client, check_mode, topic_arn, attributes, option, wanted):
    """Set one attribute when the wanted value differs from ``attributes``; False when unset or equal, True without a call in check mode."""
    name, same = TOPIC_ATTRIBUTES[option]
    if wanted is None or same(attributes.get(name), wanted):
        return False
    if not check_mode:
        set_topic_attribute(client, topic_arn, name, attribute_value(wanted))
    return True


def creation_attributes(wanted):
    """CreateTopic attributes of the options set, ``wanted`` being {option: value}; empty values are a topic's defaults."""
    return {TOPIC_ATTRIBUTES[option][0]: attribute_value(value) for option, value in wanted.items() if value}


# Subscriptions: a subscription is its (protocol, endpoint)

PENDING = "PendingConfirmation"


def subscription_key(protocol, endpoint):
    # SNS stores phone numbers in E.164 form (digits and +): compare with what it stores.
    if protocol == "sms":
        endpoint = re.sub(r"[^0-9+]", "", endpoint)
    return protocol, endpoint


def is_confirmed(subscription):
    """Pending confirmations ("PendingConfirmation") and subscriptions being deleted ("Deleted") have no ARN and cannot be unsubscribed."""
    return subscription["SubscriptionArn"].startswith("arn:")


def plan_subscriptions(live, wanted, purge):
    """(keys to subscribe, live subscriptions to unsubscribe) to go from ``live`` to the ``wanted`` keys.

    A pending confirmation counts as subscribed (subscribing again would mail the endpoint again);
    only confirmed subscriptions can be removed.
    """
    present = {subscription_key(s["Protocol"], s["Endpoint"]) for s in live if is_confirmed(s) or s["SubscriptionArn"] == PENDING}
    to_add = [key for key in wanted if key not in present]
    to_remove = [s for s in live if purge and is_confirmed(s) and subscription_key(s["Protocol"], s["Endpoint"]) not in wanted]
    return to_add, to_remove
