"""cloudplatform.aws.sns_topic_set against the emulator, read back with boto3.

Five runs: create, converged (no write call), a key, subscription and tag change, check mode,
absent. Pending confirmations are not produced by the emulator (moto 5.2.5 confirms every
subscription at once) and are covered by the Stubber unit tests.
"""

from __future__ import annotations

import pytest

PLAYBOOK = "tests/integration/playbooks/sns_topic_set.yml"
INVENTORY = "inventories/local"
CRITICAL = "sns-it-critical"
INFO = "sns-it-info"
TAGS = {"Project": "cloudplatform", "Environment": "it"}


@pytest.fixture(scope="module")
def key(aws) -> str:
    return aws("kms").create_key(Description="sns topic set test key")["KeyMetadata"]["Arn"]


def topics(key: str, critical_key: str | None = None, critical_mail: str = "oncall@example.com", critical_tags: dict | None = None) -> list[dict]:
    return [
        {"name": CRITICAL, "display_name": "it critical", "kms_master_key_id": key if critical_key is None else critical_key,
         "subscriptions": [{"protocol": "email", "endpoint": critical_mail},
                           {"protocol": "https", "endpoint": "https://hooks.example.com/sns"}],
         "tags": critical_tags or TAGS},
        {"name": INFO, "display_name": "it info", "kms_master_key_id": key,
         "subscriptions": [{"protocol": "email", "endpoint": "team@example.com"}], "tags": TAGS},
    ]


def live(aws) -> dict:
    sns = aws("sns")
    found = {}
    for arn in (t["TopicArn"] for t in sns.list_topics()["Topics"]):
        name = arn.rsplit(":", 1)[1]
        found[name] = {
            "arn": arn,
            "attributes": sns.get_topic_attributes(TopicArn=arn)["Attributes"],
            "subscriptions": sorted((s["Protocol"], s["Endpoint"]) for s in sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]),
            "tags": {t["Key"]: t["Value"] for t in sns.list_tags_for_resource(ResourceArn=arn)["Tags"]},
        }
    return found


@pytest.fixture(scope="module")
def converge(run_playbook):
    def _run(topic_list: list[dict], args: list[str] | None = None, state: str = "present"):
        result = run_playbook(PLAYBOOK, INVENTORY, extra_vars={"test_topics": topic_list, "test_state": state}, args=args)
        assert result.rc == 0, result.output[-4000:]
        return result

    return _run


@pytest.fixture(scope="module")
def first(converge, key):
    return converge(topics(key))


def test_first_run_creates_the_topics(first, aws, key):
    found = live(aws)
    assert sorted(found) == [CRITICAL, INFO]
    critical = found[CRITICAL]
    assert critical["attributes"]["KmsMasterKeyId"] == key and critical["attributes"]["DisplayName"] == "it critical"
    assert critical["subscriptions"] == [("email", "oncall@example.com"), ("https", "https://hooks.example.com/sns")]
    assert critical["tags"] == TAGS
    assert found[INFO]["subscriptions"] == [("email", "team@example.com")]
    assert first.changed == 1
    assert first.write_summary() == ["sns:CreateTopic", "sns:Subscribe"]
    assert "without_arn=[]" in first.output


def test_second_run_makes_no_write(first, converge, key):
    result = converge(topics(key))
    assert result.changed == 0
    assert result.writes == []
    reads = sorted(c["action"] for c in result.calls)
    assert reads == ["GetTopicAttributes"] * 2 + ["ListSubscriptionsByTopic"] * 2 + ["ListTagsForResource"] * 2 + ["ListTopics"]


def test_key_subscription_and_tag_change_is_applied(first, converge, aws, key):
    wanted_tags = {"Project": "cloudplatform", "Owner": "platform-team"}
    result = converge(topics(key, critical_key="", critical_mail="pager@example.com", critical_tags=wanted_tags))
    assert result.changed == 1
    assert result.write_summary() == ["sns:SetTopicAttributes", "sns:Subscribe", "sns:TagResource", "sns:Unsubscribe", "sns:UntagResource"]
    found = live(aws)
    assert "KmsMasterKeyId" not in found[CRITICAL]["attributes"]
    assert found[CRITICAL]["subscriptions"] == [("email", "pager@example.com"), ("https", "https://hooks.example.com/sns")]
    assert found[CRITICAL]["tags"] == wanted_tags
    assert found[INFO]["attributes"]["KmsMasterKeyId"] == key and found[INFO]["tags"] == TAGS


def test_check_mode_reports_without_writing(first, converge, aws, key):
    before = live(aws)
    new = {"name": "sns-it-warning", "kms_master_key_id": key, "subscriptions": [{"protocol": "email", "endpoint": "team@example.com"}]}
    result = converge([*topics(key), new], args=["--check", "--diff"])
    assert result.changed == 1
    assert result.writes == []
    assert "sns-it-warning" in result.output
    # The topic that would be created has no ARN yet.
    assert "without_arn=['sns-it-warning']" in result.output
    assert live(aws) == before


def test_absent_deletes_the_topics(first, converge, aws, key):
    result = converge([{"name": CRITICAL}, {"name": INFO}, {"name": "sns-it-never-created"}], state="absent")
    assert result.changed == 1
    assert result.write_summary() == ["sns:DeleteTopic"]
    assert len(result.writes) == 2
    assert live(aws) == {}
