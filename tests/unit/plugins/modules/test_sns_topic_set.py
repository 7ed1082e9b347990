"""cloudplatform.aws.sns_topic_set against a botocore Stubber on the real SNS model.

The integration test proves the converge against the emulator; these pin the exact calls: one
ListTopics for all names, three reads per existing topic, a write only for the aspect that
differs, none in check mode. Pending confirmations are not produced by the emulator (moto 5.2.5
confirms every subscription at once): only these tests cover them.
"""

from __future__ import annotations

import json

import pytest
from _monitoring_fakes import FailJson, FakeModule, client
from botocore.stub import Stubber

from ansible_collections.cloudplatform.aws.plugins.module_utils.sns import SNSError
from ansible_collections.cloudplatform.aws.plugins.modules import sns_topic_set as module

ACCOUNT = "123456789012"
CRITICAL = "cloudplatform-prod-critical"
INFO = "cloudplatform-prod-info"
KEY = "arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
OTHER_KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
TAGS = {"Environment": "prod", "Project": "cloudplatform"}
ONCALL = "platform-oncall@example.com"
TEAM = "platform-team@example.com"


def arn(name):
    return f"arn:aws:sns:us-east-1:{ACCOUNT}:{name}"


def sub_arn(name, index):
    return f"{arn(name)}:0000000{index}-aaaa-bbbb-cccc-dddddddddddd"


def default_policy(name):
    return {"Version": "2008-10-17", "Id": "__default_policy_ID", "Statement": [{
        "Sid": "__default_statement_ID", "Effect": "Allow", "Principal": {"AWS": "*"},
        "Action": ["SNS:GetTopicAttributes", "SNS:Publish"], "Resource": arn(name),
        "Condition": {"StringEquals": {"AWS:SourceOwner": ACCOUNT}}}]}


def topic(name, **values):
    """One entry of the topics option, as the argument spec hands it to run()."""
    entry = dict(name=name, display_name=f"prod {name}", kms_master_key_id=KEY, policy=None, delivery_policy=None,
                 subscriptions=[dict(protocol="email", endpoint=ONCALL)], purge_subscriptions=True, tags=TAGS, purge_tags=True)
    entry.update(values)
    return entry


def params(topics=None, state="present"):
    return dict(topics=topics if topics is not None else [topic(CRITICAL), topic(INFO)], state=state)


def attributes(name, **changes):
    """What GetTopicAttributes answers for a converged topic; a None value leaves the attribute out."""
    answer = {"TopicArn": arn(name), "Owner": ACCOUNT, "DisplayName": f"prod {name}", "KmsMasterKeyId": KEY,
              "Policy": json.dumps(default_policy(name)), "SubscriptionsConfirmed": "1", "SubscriptionsPending": "0"}
    answer.update(changes)
    return {k: v for k, v in answer.items() if v is not None}


def subscription(name, endpoint=ONCALL, protocol="email", index=1, subscription_arn=None):
    return {"SubscriptionArn": subscription_arn or sub_arn(name, index), "Owner": ACCOUNT, "Protocol": protocol,
            "Endpoint": endpoint, "TopicArn": arn(name)}


def list_topics(stub, names):
    stub.add_response("list_topics", {"Topics": [{"TopicArn": arn(n)} for n in names]}, {})


def read(stub, name, attrs=None, subscriptions=None, tags=None):
    """The three reads of one existing topic."""
    stub.add_response("get_topic_attributes", {"Attributes": attrs or attributes(name)}, {"TopicArn": arn(name)})
    subs = [subscription(name)] if subscriptions is None else subscriptions
    stub.add_response("list_subscriptions_by_topic", {"Subscriptions": subs}, {"TopicArn": arn(name)})
    tag_list = [{"Key": k, "Value": v} for k, v in (TAGS if tags is None else tags).items()]
    stub.add_response("list_tags_for_resource", {"Tags": tag_list}, {"ResourceArn": arn(name)})


def set_attribute(stub, name, attribute, value):
    stub.add_response("set_topic_attributes", {}, {"TopicArn": arn(name), "AttributeName": attribute, "AttributeValue": value})


@pytest.fixture
def stub():
    with Stubber(client("sns")) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def converge(stub, values, check_mode=False, diff=True):
    return module.run(FakeModule(values, check_mode, diff), stub.client)


@pytest.mark.parametrize("check_mode", [False, True])
def test_converged_list_makes_one_list_and_three_reads_per_topic(stub, check_mode):
    # A topic whose name only ends like ours is not taken for it.
    list_topics(stub, ["x-" + CRITICAL, INFO, CRITICAL])
    read(stub, CRITICAL)
    read(stub, INFO)
    result = converge(stub, params(), check_mode)
    assert result["changed"] is False
    assert (result["created"], result["updated"], result["deleted"]) == ([], [], [])
    assert result["diff"] == {"before": {}, "after": {}}
    assert [t["name"] for t in result["topics"]] == [CRITICAL, INFO]
    assert result["topics"][0] == {
        "name": CRITICAL, "topic_arn": arn(CRITICAL), "display_name": f"prod {CRITICAL}", "kms_master_key_id": KEY,
        "policy": default_policy(CRITICAL), "delivery_policy": None,
        "subscriptions": [{"protocol": "email", "endpoint": ONCALL, "subscription_arn": sub_arn(CRITICAL, 1)}], "tags": TAGS}


def test_topics_are_found_across_list_pages(stub):
    stub.add_response("list_topics", {"Topics": [{"TopicArn": arn("other")}], "NextToken": "page2"}, {})
    stub.add_response("list_topics", {"Topics": [{"TopicArn": arn(CRITICAL)}]}, {"NextToken": "page2"})
    read(stub, CRITICAL)
    result = converge(stub, params([topic(CRITICAL)]))
    assert result["changed"] is False and result["topics"][0]["topic_arn"] == arn(CRITICAL)


def test_creates_missing_topic_with_attributes_and_tags_in_one_call_then_subscribes(stub):
    list_topics(stub, [INFO])
    stub.add_response("create_topic", {"TopicArn": arn(CRITICAL)},
                      {"Name": CRITICAL, "Attributes": {"DisplayName": f"prod {CRITICAL}", "KmsMasterKeyId": KEY},
                       "Tags": [{"Key": k, "Value": v} for k, v in TAGS.items()]})
    stub.add_response("subscribe", {"SubscriptionArn": "pending confirmation"},
                      {"TopicArn": arn(CRITICAL), "Protocol": "email", "Endpoint": ONCALL})
    stub.add_response("subscribe", {"SubscriptionArn": "pending confirmation"},
                      {"TopicArn": arn(CRITICAL), "Protocol": "email", "Endpoint": TEAM})
    read(stub, CRITICAL, subscriptions=[subscription(CRITICAL, subscription_arn="PendingConfirmation"),
                                        subscription(CRITICAL, TEAM, subscription_arn="PendingConfirmation")])
    read(stub, INFO)
    subscriptions = [dict(protocol="email", endpoint=ONCALL), dict(protocol="email", endpoint=TEAM)]
    result = converge(stub, params([topic(CRITICAL, subscriptions=subscriptions), topic(INFO)]))
    assert result["changed"] is True
    assert result["created"] == [CRITICAL] and result["updated"] == []
    assert result["topics"][0]["topic_arn"] == arn(CRITICAL)
    assert [s["subscription_arn"] for s in result["topics"][0]["subscriptions"]] == ["PendingConfirmation", "PendingConfirmation"]


def test_check_mode_plans_a_missing_topic_with_a_null_arn(stub):
    list_topics(stub, [])
    result = converge(stub, params([topic(CRITICAL, policy=json.dumps(default_policy(CRITICAL)))]), check_mode=True)
    assert result["changed"] is True and result["created"] == [CRITICAL]
    planned = result["topics"][0]
    assert planned["topic_arn"] is None
    assert planned["kms_master_key_id"] == KEY and planned["tags"] == TAGS and planned["policy"] == default_policy(CRITICAL)
    assert planned["subscriptions"] == [{"protocol": "email", "endpoint": ONCALL, "subscription_arn": None}]
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"][CRITICAL]["display_name"] == f"prod {CRITICAL}"


def test_created_topic_without_settings_is_created_bare(stub):
    list_topics(stub, [])
    stub.add_response("create_topic", {"TopicArn": arn(CRITICAL)}, {"Name": CRITICAL})
    read(stub, CRITICAL, attrs=attributes(CRITICAL, DisplayName="", KmsMasterKeyId=None), subscriptions=[], tags={})
    result = converge(stub, params([topic(CRITICAL, display_name=None, kms_master_key_id=None, subscriptions=None, tags=None)]))
    assert result["created"] == [CRITICAL]
    assert result["topics"][0]["kms_master_key_id"] == "" and result["topics"][0]["subscriptions"] == []


@pytest.mark.parametrize("check_mode", [False, True])
def test_other_key_is_the_only_write(stub, check_mode):
    list_topics(stub, [CRITICAL])
    read(stub, CRITICAL, attrs=attributes(CRITICAL, KmsMasterKeyId=OTHER_KEY))
    if not check_mode:
        set_attribute(stub, CRITICAL, "KmsMasterKeyId", KEY)
        read(stub, CRITICAL)
    result = converge(stub, params([topic(CRITICAL)]), check_mode)
    assert result["updated"] == [CRITICAL]
    assert result["diff"]["before"][CRITICAL]["kms_master_key_id"] == OTHER_KEY
    assert result["diff"]["after"][CRITICAL]["kms_master_key_id"] == KEY
    assert result["topics"][0]["kms_master_key_id"] == KEY


@pytest.mark.parametrize("check_mode", [False, True])
def test_empty_key_turns_encryption_off(stub, check_mode):
    list_topics(stub, [CRITICAL])
    read(stub, CRITICAL)
    if not check_mode:
        set_attribute(stub, CRITICAL, "KmsMasterKeyId", "")
        read(stub, CRITICAL, attrs=attributes(CRITICAL, KmsMasterKeyId=None))
    result = converge(stub, params([topic(CRITICAL, kms_master_key_id="")]), check_mode)
    assert result["updated"] == [CRITICAL]
    assert result["topics"][0]["kms_master_key_id"] == ""


def test_empty_key_on_an_unencrypted_topic_is_converged(stub):
    list_topics(stub, [CRITICAL])
    read(stub, CRITICAL, attrs=attributes(CRITICAL, KmsMasterKeyId=None))
    assert converge(stub, params([topic(CRITICAL, kms_master_key_id="")]))["changed"] is False


@pytest.mark.parametrize("check_mode", [False, True])
def test_display_name_change(stub, check_mode):
    list_topics(stub, [CRITICAL])
    read(stub, CRITICAL, attrs=attributes(CRITICAL, DisplayName="old"))
    if not check_mode:
        set_attribute(stub, CRITICAL, "DisplayName", f"prod {CRITICAL}")
        read(stub, CRITICAL)
    result = converge(stub, params([topic(CRITICAL)]), check_mode)
    assert result["diff"]["before"][CRITICAL]["display_name"] == "old"
    assert result["diff"]["after"][CRITICAL]["display_name"] == f"prod {CRITICAL}"


def test_policy_equal_in_meaning_makes_no_write(stub):
    # Other key and statement order, a single action as a string in a list, Version left to its default.
    statement = dict(default_policy(CRITICAL)["Statement"][0], Action=["SNS:Publish", "SNS:GetTopicAttributes"])
    wanted = {"Statement": [statement], "Id": "__default_policy_ID"}
    list_topics(stub, [CRITICAL])
    read(stub, CRITICAL)
    assert converge(stub, params([topic(CRITICAL, policy=json.dumps(wanted))]))["changed"] is False


@pytest.mark.parametrize("check_mode", [False, True])
def test_other_policy_is_set_as_json(stub, check_mode):
    wanted = {"Version": "2012-10-17", "Statement": [{"Sid": "events", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
                                                      "Action": "sns:Publish", "Resource": arn(CRITICAL)}]}
    list_topics(stub, [CRITICAL])
    read(stub, CRITICAL)
    if not check_mode:
        set_attribute(stub, CRITICAL, "Policy", json.dumps(wanted, sort_keys=True))
        read(stub, CRITICAL, attrs=attributes(CRITICAL, Policy=json.dumps(wanted)))
    result = converge(stub, params([topic(CRITICAL, policy=json.dumps(wanted))]), check_mode)
    assert result["updated"] == [CRITICAL]
    assert result["diff"]["before"][CRITICAL]["policy"] == default_policy(CRITICAL)
    assert result["diff"]["after"][CRITICAL]["policy"] == wanted
    assert result["topics"][0]["policy"] == wanted


DELIVERY = {"http": {"defaultHealthyRetryPolicy": {"minDelayTarget": 20, "maxDelayTarget": 20, "numRetries": 3, "numMaxDelayRetries": 0,
                                                   "numNoDelayRetries": 0, "numMinDelayRetries": 0, "backoffFunction": "linear"}}}


def test_delivery_policy_as_sns_stores_it_is_converged(stub):
    stored = {"http": dict(DELIVERY["http"], disableSubscriptionOverrides=False)}
    list_topics(stub, [CRITICAL])
    read(stub, CRITICAL, attrs=attributes(CRITICAL, DeliveryPolicy=json.dumps(stored)))
    result = converge(stub, params([topic(CRITICAL, delivery_policy=json.dumps(DELIVERY))]))
    assert result["changed"] is False and result["topics"][0]["delivery_policy"] == stored


def test_missing_delivery_policy_is_set(stub):
    list_topics(stub, [CRITICAL])
    read(stub, CRITICAL)
    set_attribute(stub, CRITICAL, "DeliveryPolicy", json.dumps(DELIVERY, sort_keys=True))
    read(stub, CRITICAL, attrs=attributes(CRITICAL, DeliveryPolicy=json.dumps(DELIVERY)))
    result = converge(stub, params([topic(CRITICAL, delivery_policy=json.dumps(DELIVERY))]))
    assert result["updated"] == [CRITICAL]


@pytest.mark.parametrize("check_mode", [False, True])
def test_subscriptions_are_purged_and_added_pending_ones_left(stub, check_mode):
    live = [subscription(CRITICAL, "old@example.com", index=1), subscription(CRITICAL, ONCALL, index=2),
            subscription(CRITICAL, "unconfirmed@example.com", subscription_arn="PendingConfirmation"),
            subscription(CRITICAL, TEAM, subscription_arn="PendingConfirmation")]
    wanted = [dict(protocol="email", endpoint=ONCALL), dict(protocol="email", endpoint=TEAM),
              dict(protocol="https", endpoint="https://hooks.example.com/sns")]
    list_topics(stub, [CRITICAL])
    read(stub, CRITICAL, subscriptions=live)
    if not check_mode:
        stub.add_response("unsubscribe", {}, {"SubscriptionArn": sub_arn(CRITICAL, 1)})
        stub.add_response("subscribe", {"SubscriptionArn": "pending confirmation"},
                          {"TopicArn": arn(CRITICAL), "Protocol": "https", "Endpoint": "https://hooks.example.com/sns"})
        read(stub, CRITICAL, subscriptions=live[1:])
    result = converge(stub, params([topic(CRITICAL, subscriptions=wanted)]), check_mode)
    assert result["updated"] == [CRITICAL]
    after = {(s["protocol"], s["endpoint"]): s["subscription_arn"] for s in result["diff"]["after"][CRITICAL]["subscriptions"]}
    assert after == {("email", ONCALL): sub_arn(CRITICAL, 2), ("email", TEAM): "PendingConfirmation",
                     ("email", "unconfirmed@example.com"): "PendingConfirmation", ("https", "https://hooks.example.com/sns"): None}


def test_without_purge_unlisted_subscriptions_stay(stub):
    list_topics(stub, [CRITICAL])
    read(stub, CRITICAL, subscriptions=[subscription(CRITICAL, "old@example.com"), subscription(CRITICAL, ONCALL, index=2)])
    result = converge(stub, params([topic(CRITICAL, purge_subscriptions=False)]))
    assert result["changed"] is False


def test_repeated_and_reformatted_subscriptions_are_one(stub):
    # SNS stores phone numbers in E.164 form; the list names one number twice, formatted two ways.
    wanted = [dict(protocol="sms", endpoint="+1 (555) 010-0100"), dict(protocol="sms", endpoint="+15550100100")]
    list_topics(stub, [CRITICAL])
    read(stub, CRITICAL, subscriptions=[subscription(CRITICAL, "+15550100100", protocol="sms")])
    assert converge(stub, params([topic(CRITICAL, subscriptions=wanted)]))["changed"] is False


def test_unset_options_are_not_touched(stub):
    list_topics(stub, [CRITICAL])
    read(stub, CRITICAL, attrs=attributes(CRITICAL, DisplayName="other", KmsMasterKeyId=OTHER_KEY),
         subscriptions=[subscription(CRITICAL, "someone@example.com")], tags={"Owner": "someone"})
    result = converge(stub, params([dict(name=CRITICAL, display_name=None, kms_master_key_id=None, policy=None, delivery_policy=None,
                                         subscriptions=None, purge_subscriptions=True, tags=None, purge_tags=True)]))
    assert result["changed"] is False
    assert result["topics"][0]["kms_master_key_id"] == OTHER_KEY and result["topics"][0]["tags"] == {"Owner": "someone"}


@pytest.mark.parametrize("check_mode", [False, True])
def test_tag_drift_is_purged_and_set(stub, check_mode):
    list_topics(stub, [CRITICAL])
    read(stub, CRITICAL, tags={"Environment": "dev", "Stale": "x", "aws:cloudformation:stack-name": "s"})
    if not check_mode:
        stub.add_response("untag_resource", {}, {"ResourceArn": arn(CRITICAL), "TagKeys": ["Stale"]})
        stub.add_response("tag_resource", {}, {"ResourceArn": arn(CRITICAL), "Tags": [{"Key": k, "Value": v} for k, v in TAGS.items()]})
        read(stub, CRITICAL, tags=dict(TAGS, **{"aws:cloudformation:stack-name": "s"}))
    result = converge(stub, params([topic(CRITICAL)]), check_mode)
    assert result["updated"] == [CRITICAL]
    assert result["diff"]["after"][CRITICAL]["tags"] == dict(TAGS, **{"aws:cloudformation:stack-name": "s"})


def test_without_purge_foreign_tags_stay_and_values_are_strings(stub):
    list_topics(stub, [CRITICAL])
    read(stub, CRITICAL, tags={"Owner": "someone"})
    stub.add_response("tag_resource", {}, {"ResourceArn": arn(CRITICAL), "Tags": [{"Key": "CostCentre", "Value": "42"}]})
    read(stub, CRITICAL, tags={"Owner": "someone", "CostCentre": "42"})
    result = converge(stub, params([topic(CRITICAL, tags={"CostCentre": 42}, purge_tags=False)]))
    assert result["diff"]["after"][CRITICAL]["tags"] == {"Owner": "someone", "CostCentre": "42"}


@pytest.mark.parametrize("check_mode", [False, True])
def test_absent_deletes_the_topics_that_exist(stub, check_mode):
    list_topics(stub, [CRITICAL])
    read(stub, CRITICAL)
    if not check_mode:
        stub.add_response("delete_topic", {}, {"TopicArn": arn(CRITICAL)})
    result = converge(stub, params(state="absent"), check_mode)
    assert result["changed"] is True and result["deleted"] == [CRITICAL]
    assert list(result["diff"]["before"]) == [CRITICAL] and result["diff"]["after"] == {}
    assert result["topics"] == []


def test_absent_without_diff_deletes_on_the_list_alone(stub):
    list_topics(stub, [CRITICAL, INFO])
    stub.add_response("delete_topic", {}, {"TopicArn": arn(CRITICAL)})
    stub.add_response("delete_topic", {}, {"TopicArn": arn(INFO)})
    result = converge(stub, params(state="absent"), diff=False)
    assert result["deleted"] == [CRITICAL, INFO] and "diff" not in result


def test_absent_on_missing_topics_is_converged(stub):
    list_topics(stub, [])
    result = converge(stub, params(state="absent"))
    assert result["changed"] is False and result["deleted"] == []


@pytest.mark.parametrize(("topics", "message"), [
    ([topic("alerts.fifo")], r"topics\[0\].name: 'alerts.fifo' is a FIFO topic name; this module manages standard topics only"),
    ([topic("bad name")], r"topics\[0\].name: 'bad name' is not a valid SNS topic name; expected 1-256 letters"),
    ([topic(CRITICAL), topic(CRITICAL)], r"topics\[1\].name: 'cloudplatform-prod-critical' is already topics\[0\].name"),
    ([topic(CRITICAL, policy="{not json")], r"topics\[0\].policy: '\{not json' is not valid JSON .*; expected a JSON object"),
    ([topic(CRITICAL, delivery_policy="[1]")], r"topics\[0\].delivery_policy: '\[1\]' is not a JSON object"),
    ([topic(CRITICAL, subscriptions=[dict(protocol="email", endpoint=" ")])],
     r"topics\[0\].subscriptions\[0\].endpoint: ' ' is empty; expected the email endpoint"),
])
def test_bad_input_fails_before_any_call(stub, topics, message):
    with pytest.raises(FailJson, match=message):
        converge(stub, params(topics))


def test_every_bad_value_is_named_at_once(stub):
    with pytest.raises(FailJson, match=r"topics\[0\].name: .*; topics\[1\].policy: "):
        converge(stub, params([topic("a.fifo"), topic(INFO, policy="nope")]))


def test_api_errors_are_raised_with_what_failed(stub):
    list_topics(stub, [CRITICAL])
    read(stub, CRITICAL, attrs=attributes(CRITICAL, KmsMasterKeyId=OTHER_KEY))
    stub.add_client_error("set_topic_attributes", "AuthorizationError", "denied", http_status_code=403)
    with pytest.raises(SNSError, match="Failed to set topic attribute"):
        converge(stub, params([topic(CRITICAL)]))


def test_list_error_is_raised_before_any_write(stub):
    stub.add_client_error("list_topics", "AuthorizationError", "denied", http_status_code=403)
    with pytest.raises(SNSError, match="Failed to list topics"):
        converge(stub, params())
