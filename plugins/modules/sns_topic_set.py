#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sns_topic_set
short_description: Manage a list of standard SNS topics (attributes, encryption, subscriptions, tags) in one call
version_added: 0.1.0
description:
  - Converges every topic of O(topics) in one module call. A loop of M(community.aws.sns_topic) costs
    a module start per topic, has no encryption option and fails in check mode on a topic that does
    not exist yet, which is why this module exists.
  - Reads with one paginated C(ListTopics) for all names (100 topics a page; ARNs are matched by
    name), then per existing topic one C(GetTopicAttributes), one C(ListSubscriptionsByTopic) and one
    C(ListTagsForResource). A converged list costs those reads and no write. A topic that changed is
    read again (the same three reads) for the result.
  - A missing topic is created with its display name, key, policies and tags in one C(CreateTopic),
    then subscribed. On an existing topic each attribute that differs is set with its own
    C(SetTopicAttributes), subscriptions with C(Subscribe)/C(Unsubscribe), tags with
    C(TagResource)/C(UntagResource). Options left unset are not managed.
  - Standard topics only; a name ending in C(.fifo) is refused.
  - Every option is checked before the first call to AWS.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  state:
    description: C(present) creates and converges the topics; C(absent) deletes those that exist, and their subscriptions with them.
    type: str
    choices: [present, absent]
    default: present
  topics:
    description: The topics, in the order of the result.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description:
          - The topic name, 1-256 letters, digits, hyphens and underscores. Names must be unique in the list.
          - FIFO topics (names ending in C(.fifo)) are not supported.
        type: str
        required: true
      display_name:
        description:
          - The display name (the sender name of SMS and e-mail notifications). An empty string removes it.
          - Unset, the display name is not managed.
        type: str
      kms_master_key_id:
        description:
          - The KMS key the topic encrypts messages with (server-side encryption); a key id, key ARN,
            alias name or alias ARN. An empty string turns encryption off. Unset, the key is not managed.
          - Compared as given with what the topic stores, so use the form the topic was configured with (an ARN is safest).
        type: str
      policy:
        description:
          - The topic's access policy, as a dict or a JSON string. Unset, the policy is not managed
            (a new topic gets the default policy SNS writes).
          - Compared with the current policy by meaning (key and statement order, default C(Version)), not text.
        type: json
      delivery_policy:
        description:
          - The delivery policy of HTTP/S subscriptions (retries, throttling), as a dict or a JSON string.
            Unset, the delivery policy is not managed.
          - Compared by meaning; C(http.disableSubscriptionOverrides) defaults to C(false) as SNS stores it.
        type: json
      subscriptions:
        description:
          - The subscriptions of the topic. Unset, subscriptions are not managed.
          - A subscription is its protocol and endpoint. A missing one is subscribed; one pending
            confirmation counts as subscribed and is not subscribed again (that would send the
            confirmation message again).
        type: list
        elements: dict
        suboptions:
          protocol:
            description:
              - The protocol. C(firehose) is not offered, it needs a subscription role attribute.
            type: str
            required: true
            choices: [http, https, email, email-json, sms, sqs, application, lambda]
          endpoint:
            description:
              - The endpoint (URL, e-mail address, phone number, or queue, application endpoint or function ARN).
              - Phone numbers are compared in E.164 form, as SNS stores them.
            type: str
            required: true
      purge_subscriptions:
        description:
          - With O(topics[].subscriptions) set, unsubscribe the confirmed subscriptions not listed there.
          - Pending confirmations cannot be unsubscribed; they are left until they expire (after three days).
        type: bool
        default: true
      tags:
        description: Tags to set on the topic. Unset, the topic keeps the tags it has.
        type: dict
      purge_tags:
        description: With O(topics[].tags) set, also remove the tags not listed there (except those starting with C(aws:)).
        type: bool
        default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Publishers such as CloudWatch alarms need C(kms:GenerateDataKey*) and C(kms:Decrypt) on the key
    through its key policy (principal C(cloudwatch.amazonaws.com)), or they cannot publish to an encrypted topic.
  - Endpoints that carry a secret (an HTTPS integration URL with a key) show in the result and the
    diff; set C(no_log) on the task that lists them.
seealso:
  - module: community.aws.sns_topic
attributes:
  check_mode:
    description: Reports which topics would be created, changed or deleted without any write call; a topic to be created has a null C(topic_arn).
    support: full
  diff_mode:
    description: Shows, by topic name, the attributes, subscriptions and tags before and after of the topics that change, are created or are deleted.
    support: full
  platform:
    description: Targets the SNS API.
    platforms: aws
    support: full
"""

EXAMPLES = r"""
- name: Converge the alert topics of an environment
  cloudplatform.aws.sns_topic_set:
    topics:
      - name: cloudplatform-prod-critical
        display_name: cloudplatform-prod critical
        kms_master_key_id: arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789
        subscriptions:
          - protocol: email
            endpoint: platform-oncall@example.com
        tags:
          Environment: prod
          Severity: critical
      # Tags only: the attributes and subscriptions of this topic are left as they are.
      - name: cloudplatform-prod-info
        tags: {Environment: prod, Severity: info}
        purge_tags: false

- name: Stop encrypting a topic
  cloudplatform.aws.sns_topic_set:
    topics:
      - name: cloudplatform-dev-info
        kms_master_key_id: ""

- name: Let EventBridge publish to a topic
  cloudplatform.aws.sns_topic_set:
    topics:
      - name: cloudplatform-prod-events
        policy:
          Version: "2012-10-17"
          Statement:
            - Sid: events
              Effect: Allow
              Principal: {Service: events.amazonaws.com}
              Action: sns:Publish
              Resource: arn:aws:sns:us-east-1:123456789012:cloudplatform-prod-events

- name: Delete the alert topics and their subscriptions
  cloudplatform.aws.sns_topic_set:
    topics:
      - name: cloudplatform-prod-critical
      - name: cloudplatform-prod-info
    state: absent
"""

RETURN = r"""
topics:
  description:
    - The topics of O(topics) after the change, in the order given (predicted in check mode).
    - Empty for O(state=absent).
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The topic name.
      type: str
      sample: cloudplatform-prod-critical
    topic_arn:
      description: The topic ARN; null in check mode for a topic that would be created.
      type: str
      sample: arn:aws:sns:us-east-1:123456789012:cloudplatform-prod-critical
    display_name:
      description: The display name (empty when none).
      type: str
    kms_master_key_id:
      description: The key the topic encrypts with (empty when unencrypted).
      type: str
    policy:
      description: The access policy; null in check mode for a topic that would be created without O(topics[].policy).
      type: dict
    delivery_policy:
      description: The delivery policy; null when the topic has none.
      type: dict
    subscriptions:
      description:
        - The subscriptions, ordered by protocol and endpoint.
        - C(subscription_arn) is C(PendingConfirmation) until the endpoint confirms, and null in check mode for one that would be made.
      type: list
      elements: dict
      sample: [{"protocol": "email", "endpoint": "platform-oncall@example.com", "subscription_arn": "PendingConfirmation"}]
    tags:
      description: The tags of the topic.
      type: dict
      sample: {"Environment": "prod"}
created:
  description: Names of the topics created.
  returned: always
  type: list
  elements: str
updated:
  description: Names of the existing topics whose attributes, subscriptions or tags changed.
  returned: always
  type: list
  elements: str
deleted:
  description: Names of the topics deleted.
  returned: always
  type: list
  elements: str
"""

import json
import re

from ansible.module_utils.common.text.converters import to_text
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudplatform.aws.plugins.module_utils.list_changes import ListChanges, fail_on_errors
from ansible_collections.cloudplatform.aws.plugins.module_utils.sns import (
    TOPIC_ATTRIBUTES,
    SNSError,
    attribute_value,
    create_topic,
    creation_attributes,
    delete_topic,
    find_topic_arns,
    parse_json,
    plan_subscriptions,
    read_topic,
    subscribe,
    subscription_key,
    tag_resource,
    unsubscribe,
    untag_resource,
    update_topic_attribute,
)
from ansible_collections.cloudplatform.aws.plugins.module_utils.tag_sync import sync_tags

TOPIC_NAME = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
JSON_OPTIONS = ("policy", "delivery_policy")


# Input checks: every message names the option, the value and what is accepted.


def name_errors(where, name, seen):
    if name.endswith(".fifo"):
        return ["%s.name: %r is a FIFO topic name; this module manages standard topics only, expected a name without .fifo "
                "(community.aws.sns_topic manages FIFO topics)" % (where, name)]
    errors = []
    if not TOPIC_NAME.match(name):
        errors.append("%s.name: %r is not a valid SNS topic name; expected 1-256 letters, digits, hyphens or underscores" % (where, name))
    if name in seen:
        errors.append("%s.name: %r is already topics[%d].name; expected unique names" % (where, name, seen[name]))
    return errors


def json_object(where, value):
    """(dict, errors) of a JSON option; (None, []) when unset."""
    if value is None:
        return None, []
    try:
        parsed = json.loads(value)
    except ValueError as e:
        return None, ["%s: %r is not valid JSON (%s); expected a JSON object (or a dict)" % (where, value[:200], e)]
    if not isinstance(parsed, dict):
        return None, ["%s: %r is not a JSON object; expected a JSON object (or a dict)" % (where, value[:200])]
    return parsed, []


def subscription_keys(where, subscriptions):
    """(protocol, endpoint) keys in the order given, repeats dropped; None when unset."""
    if subscriptions is None:
        return None, []
    keys, errors = [], []
    for index, subscription in enumerate(subscriptions):
        if not subscription["endpoint"].strip():
            errors.append("%s.subscriptions[%d].endpoint: %r is empty; expected the %s endpoint to subscribe"
                          % (where, index, subscription["endpoint"], subscription["protocol"]))
        key = subscription_key(subscription["protocol"], subscription["endpoint"])
        if key not in keys:
            keys.append(key)
    return keys, errors


def topic_spec(index, topic, seen):
    """The topic option checked and normalised: (spec, errors)."""
    where = "topics[%d]" % index
    errors = name_errors(where, topic["name"], seen)
    seen.setdefault(topic["name"], index)
    attributes = {option: topic[option] for option in ("display_name", "kms_master_key_id") if topic[option] is not None}
    for option in JSON_OPTIONS:
        parsed, option_errors = json_object("%s.%s" % (where, option), topic[option])
        errors += option_errors
        if parsed is not None:
            attributes[option] = parsed
    subscriptions, subscription_errors = subscription_keys(where, topic["subscriptions"])
    tags = None if topic["tags"] is None else {to_text(k): to_text(v) for k, v in topic["tags"].items()}
    spec = dict(name=topic["name"], attributes=attributes, subscriptions=subscriptions, purge_subscriptions=topic["purge_subscriptions"],
                tags=tags, purge_tags=topic["purge_tags"])
    return spec, errors + subscription_errors


def desired_topics(module):
    """The topics option checked; fails naming every bad value before any call to AWS."""
    seen, specs, errors = {}, [], []
    for index, topic in enumerate(module.params["topics"]):
        spec, topic_errors = topic_spec(index, topic, seen)
        specs.append(spec)
        errors += topic_errors
    fail_on_errors(module, errors)
    return specs


# Updates of an existing topic: False when unset or equal, True (without a call in check mode) otherwise.


def update_attributes(module, client, spec, current):
    changed = False
    for option, wanted in spec["attributes"].items():
        changed |= update_topic_attribute(client, module.check_mode, current["arn"], current["attributes"], option, wanted)
    return changed


def update_subscriptions(module, client, spec, current):
    if spec["subscriptions"] is None:
        return False
    to_add, to_remove = plan_subscriptions(current["subscriptions"], spec["subscriptions"], spec["purge_subscriptions"])
    if not (to_add or to_remove):
        return False
    if module.check_mode:
        return True
    for subscription in to_remove:
        unsubscribe(client, subscription["SubscriptionArn"])
    for protocol, endpoint in to_add:
        subscribe(client, current["arn"], protocol, endpoint)
    return True


def update_tags(module, client, spec, current):
    if spec["tags"] is None:
        return False
    arn = current["arn"]
    return sync_tags(module, current["tags"], lambda keys: untag_resource(client, arn, keys), lambda tags: tag_resource(client, arn, tags),
                     wanted=spec["tags"], purge=spec["purge_tags"])


UPDATES = (update_attributes, update_subscriptions, update_tags)


def create(module, client, spec):
    """Create the topic with its attributes and tags in one call, then subscribe it; its ARN (None in check mode)."""
    if module.check_mode:
        return None
    arn = create_topic(client, spec["name"], creation_attributes(spec["attributes"]), spec["tags"])
    for protocol, endpoint in spec["subscriptions"] or []:
        subscribe(client, arn, protocol, endpoint)
    return arn


# The state of a topic: read_topic()'s arn, attributes, subscriptions and tags.


def expected(spec, current):
    """The topic as it is once ``spec`` is converged (for the diff and check mode)."""
    attributes = dict(current["attributes"])
    for option, wanted in spec["attributes"].items():
        name, same = TOPIC_ATTRIBUTES[option]
        if not same(attributes.get(name), wanted):
            attributes[name] = attribute_value(wanted)
    subscriptions = current["subscriptions"]
    if spec["subscriptions"] is not None:
        to_add, to_remove = plan_subscriptions(subscriptions, spec["subscriptions"], spec["purge_subscriptions"])
        subscriptions = [s for s in subscriptions if s not in to_remove]
        subscriptions += [dict(Protocol=protocol, Endpoint=endpoint, SubscriptionArn=None) for protocol, endpoint in to_add]
    tags = current["tags"]
    if spec["tags"] is not None:
        tags = dict({k: v for k, v in tags.items() if not spec["purge_tags"] or k.startswith("aws:")}, **spec["tags"])
    return dict(current, attributes=attributes, subscriptions=subscriptions, tags=tags)


def settings_view(state):
    attributes = state["attributes"]
    subscriptions = sorted(state["subscriptions"], key=lambda s: (s["Protocol"], s["Endpoint"]))
    return dict(display_name=attributes.get("DisplayName", ""), kms_master_key_id=attributes.get("KmsMasterKeyId", ""),
                policy=parse_json(attributes.get("Policy")), delivery_policy=parse_json(attributes.get("DeliveryPolicy")),
                subscriptions=[dict(protocol=s["Protocol"], endpoint=s["Endpoint"], subscription_arn=s.get("SubscriptionArn")) for s in subscriptions],
                tags=state["tags"])


def topic_view(name, state):
    return dict(settings_view(state), name=name, topic_arn=state["arn"])


def new_topic(arn):
    return dict(arn=arn, attributes={}, subscriptions=[], tags={})


class TopicSet(ListChanges):
    """Converges the listed topics and records what changed for the result and the diff."""

    def __init__(self, module, client, specs):
        super(TopicSet, self).__init__(module, client)
        self.specs = specs
        self.arns = find_topic_arns(client, [spec["name"] for spec in specs])
        self.states = {}

    def converge_topic(self, spec):
        name = spec["name"]
        if name not in self.arns:
            after = expected(spec, new_topic(create(self.module, self.client, spec)))
            self.record("created", name, after=settings_view(after))
        else:
            current = read_topic(self.client, self.arns[name])
            changed = False
            for update in UPDATES:
                changed |= update(self.module, self.client, spec, current)
            if not changed:
                return current
            after = expected(spec, current)
            self.record("updated", name, before=settings_view(current), after=settings_view(after))
        return after if self.module.check_mode else read_topic(self.client, after["arn"])

    def delete(self, name):
        arn = self.arns.get(name)
        if arn is None:
            return
        # The reads only serve the diff: a teardown without --diff deletes on the ListTopics answer alone.
        before = settings_view(read_topic(self.client, arn)) if self.module._diff else {}
        if not self.module.check_mode:
            delete_topic(self.client, arn)
        self.record("deleted", name, before=before)

    def converge(self):
        for spec in self.specs:
            if self.module.params["state"] == "present":
                self.states[spec["name"]] = self.converge_topic(spec)
            else:
                self.delete(spec["name"])

    def final(self):
        return [topic_view(spec["name"], self.states[spec["name"]]) for spec in self.specs if spec["name"] in self.states]


def run(module, client):
    """Validate the list, then converge it (main() and the unit tests call this)."""
    specs = desired_topics(module)
    return TopicSet(module, client, specs).converged("topics")


def argument_spec():
    subscription_spec = dict(
        protocol=dict(type="str", required=True, choices=["http", "https", "email", "email-json", "sms", "sqs", "application", "lambda"]),
        endpoint=dict(type="str", required=True),
    )
    topic_spec = dict(
        name=dict(type="str", required=True),
        display_name=dict(type="str"),
        kms_master_key_id=dict(type="str", no_log=False),
        policy=dict(type="json"),
        delivery_policy=dict(type="json"),
        subscriptions=dict(type="list", elements="dict", options=subscription_spec),
        purge_subscriptions=dict(type="bool", default=True),
        tags=dict(type="dict"),
        purge_tags=dict(type="bool", default=True),
    )
    return dict(
        state=dict(type="str", default="present", choices=["present", "absent"]),
        topics=dict(type="list", elements="dict", required=True, options=topic_spec),
    )


def main():
    module = AnsibleAWSModule(argument_spec=argument_spec(), supports_check_mode=True)
    try:
        result = run(module, module.client("sns"))
    except SNSError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
