"""cloudplatform.aws.cloudwatchlogs_log_group_set against a botocore Stubber on the real CloudWatch Logs model.

The integration test proves the converge against the emulator; these pin the exact calls: the
one prefix read, one tag read per group, a write only for the aspect that differs, none in check
mode. AssociateKmsKey and DisassociateKmsKey are not implemented by the emulator (moto 5.2.5):
only these tests cover them.
"""

from __future__ import annotations

import pytest
from _logs_fakes import logs_stub
from _monitoring_fakes import FailJson, FakeModule

from ansible_collections.cloudplatform.aws.plugins.module_utils.cloudwatch import CloudWatchError
from ansible_collections.cloudplatform.aws.plugins.modules import cloudwatchlogs_log_group_set as module

API = "/ecs/cloudplatform-prod/api"
WORKER = "/ecs/cloudplatform-prod/worker"
KEY = "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
OTHER_KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
TAGS = {"Environment": "prod", "Project": "cloudplatform"}


def arn(name):
    return f"arn:aws:logs:us-east-1:123456789012:log-group:{name}"


def group(name, **values):
    return dict(dict(name=name, retention=30, kms_key_id=KEY, tags=TAGS, purge_tags=True), **values)


def params(groups=None, state="present"):
    return dict(log_groups=groups if groups is not None else [group(API), group(WORKER)], state=state)


def live(name, **changes):
    """What DescribeLogGroups answers for a converged group."""
    described = {"logGroupName": name, "arn": arn(name) + ":*", "logGroupArn": arn(name), "creationTime": 1700000000000,
                 "retentionInDays": 30, "kmsKeyId": KEY, "metricFilterCount": 0, "storedBytes": 0}
    described.update(changes)
    return {k: v for k, v in described.items() if v is not None}


def read(stub, groups, prefix="/ecs/cloudplatform-prod/", tags=None):
    stub.add_response("describe_log_groups", {"logGroups": groups}, {"logGroupNamePrefix": prefix})
    for described in groups:
        if described["logGroupName"] in (API, WORKER):
            stub.add_response("list_tags_for_resource", {"tags": TAGS if tags is None else tags}, {"resourceArn": arn(described["logGroupName"])})


stub = pytest.fixture(logs_stub)


def converge(stub, values, check_mode=False):
    return module.run(FakeModule(values, check_mode), stub.client)


@pytest.mark.parametrize("check_mode", [False, True])
def test_converged_list_makes_one_prefix_read_and_one_tag_read_per_group(stub, check_mode):
    # A group that only shares the prefix is filtered out, and its tags are not read.
    read(stub, [live(API), live("/ecs/cloudplatform-prod/api-old"), live(WORKER)])
    result = converge(stub, params(), check_mode)
    assert result["changed"] is False
    assert result["diff"] == {"before": {}, "after": {}}
    assert [g["log_group_name"] for g in result["log_groups"]] == [API, WORKER]
    assert result["log_groups"][0] == {"log_group_name": API, "arn": arn(API) + ":*", "log_group_arn": arn(API), "retention_in_days": 30,
                                       "kms_key_id": KEY, "tags": TAGS, "creation_time": 1700000000000}


def test_single_group_reads_with_its_own_name_as_prefix(stub):
    read(stub, [live(WORKER)], prefix=WORKER)
    result = converge(stub, params([group(WORKER)]))
    assert result["changed"] is False


@pytest.mark.parametrize("check_mode", [False, True])
def test_creates_missing_group_with_key_tags_and_retention(stub, check_mode):
    read(stub, [live(API)])
    if not check_mode:
        stub.add_response("create_log_group", {}, {"logGroupName": WORKER, "kmsKeyId": KEY, "tags": TAGS})
        stub.add_response("put_retention_policy", {}, {"logGroupName": WORKER, "retentionInDays": 30})
        read(stub, [live(API), live(WORKER)])
    result = converge(stub, params(), check_mode)
    assert result["changed"] is True
    assert result["created"] == [WORKER] and result["updated"] == []
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"] == {WORKER: {"retention_in_days": 30, "kms_key_id": KEY, "tags": TAGS}}
    created = result["log_groups"][1]
    assert created["log_group_name"] == WORKER and created["retention_in_days"] == 30
    assert (created["arn"] is None) is check_mode


def test_created_group_without_settings_is_created_bare(stub):
    read(stub, [], prefix=API)
    stub.add_response("create_log_group", {}, {"logGroupName": API})
    read(stub, [live(API, retentionInDays=None, kmsKeyId=None)], prefix=API, tags={})
    result = converge(stub, params([group(API, retention=None, kms_key_id=None, tags=None)]))
    assert result["created"] == [API]
    assert result["log_groups"][0]["retention_in_days"] is None and result["log_groups"][0]["tags"] == {}


@pytest.mark.parametrize("check_mode", [False, True])
def test_changed_retention_is_the_only_write(stub, check_mode):
    read(stub, [live(API, retentionInDays=7), live(WORKER)])
    if not check_mode:
        stub.add_response("put_retention_policy", {}, {"logGroupName": API, "retentionInDays": 30})
        read(stub, [live(API), live(WORKER)])
    result = converge(stub, params(), check_mode)
    assert result["updated"] == [API]
    assert result["diff"]["before"][API]["retention_in_days"] == 7
    assert result["diff"]["after"][API]["retention_in_days"] == 30
    assert result["log_groups"][0]["retention_in_days"] == 30


@pytest.mark.parametrize("check_mode", [False, True])
def test_other_key_is_associated(stub, check_mode):
    read(stub, [live(API, kmsKeyId=OTHER_KEY), live(WORKER)])
    if not check_mode:
        stub.add_response("associate_kms_key", {}, {"logGroupName": API, "kmsKeyId": KEY})
        read(stub, [live(API), live(WORKER)])
    result = converge(stub, params(), check_mode)
    assert result["updated"] == [API]
    assert result["diff"]["before"][API]["kms_key_id"] == OTHER_KEY and result["diff"]["after"][API]["kms_key_id"] == KEY


@pytest.mark.parametrize("check_mode", [False, True])
def test_empty_key_disassociates(stub, check_mode):
    read(stub, [live(API)], prefix=API)
    if not check_mode:
        stub.add_response("disassociate_kms_key", {}, {"logGroupName": API})
        read(stub, [live(API, kmsKeyId=None)], prefix=API)
    result = converge(stub, params([group(API, kms_key_id="")]), check_mode)
    assert result["updated"] == [API]
    assert result["diff"]["after"][API]["kms_key_id"] is None
    assert result["log_groups"][0]["kms_key_id"] is None


def test_empty_key_on_a_group_without_key_is_converged(stub):
    read(stub, [live(API, kmsKeyId=None)], prefix=API)
    result = converge(stub, params([group(API, kms_key_id="")]))
    assert result["changed"] is False


def test_unset_settings_are_not_touched(stub):
    read(stub, [live(API, retentionInDays=7, kmsKeyId=OTHER_KEY)], prefix=API, tags={"Owner": "someone"})
    result = converge(stub, params([group(API, retention=None, kms_key_id=None, tags=None)]))
    assert result["changed"] is False
    assert result["log_groups"][0]["retention_in_days"] == 7 and result["log_groups"][0]["tags"] == {"Owner": "someone"}


@pytest.mark.parametrize("check_mode", [False, True])
def test_tag_drift_is_purged_and_set(stub, check_mode):
    read(stub, [live(API)], prefix=API, tags={"Environment": "dev", "Stale": "x", "aws:cloudformation:stack-name": "s"})
    if not check_mode:
        stub.add_response("untag_resource", {}, {"resourceArn": arn(API), "tagKeys": ["Stale"]})
        stub.add_response("tag_resource", {}, {"resourceArn": arn(API), "tags": TAGS})
        read(stub, [live(API)], prefix=API, tags=dict(TAGS, **{"aws:cloudformation:stack-name": "s"}))
    result = converge(stub, params([group(API)]), check_mode)
    assert result["updated"] == [API]
    assert result["diff"]["after"][API]["tags"] == dict(TAGS, **{"aws:cloudformation:stack-name": "s"})


@pytest.mark.parametrize("check_mode", [False, True])
def test_without_purge_foreign_tags_stay(stub, check_mode):
    read(stub, [live(API)], prefix=API, tags={"Owner": "someone"})
    if not check_mode:
        stub.add_response("tag_resource", {}, {"resourceArn": arn(API), "tags": TAGS})
        read(stub, [live(API)], prefix=API, tags=dict(TAGS, Owner="someone"))
    result = converge(stub, params([group(API, purge_tags=False)]), check_mode)
    assert result["diff"]["after"][API]["tags"] == dict(TAGS, Owner="someone")
    assert result["log_groups"][0]["tags"] == dict(TAGS, Owner="someone")


def test_tag_values_are_sent_as_strings(stub):
    read(stub, [live(API)], prefix=API, tags={})
    stub.add_response("tag_resource", {}, {"resourceArn": arn(API), "tags": {"CostCentre": "42"}})
    read(stub, [live(API)], prefix=API, tags={"CostCentre": "42"})
    result = converge(stub, params([group(API, tags={"CostCentre": 42})]))
    assert result["changed"] is True


@pytest.mark.parametrize("check_mode", [False, True])
def test_absent_deletes_the_groups_that_exist(stub, check_mode):
    read(stub, [live(API)])
    if not check_mode:
        stub.add_response("delete_log_group", {}, {"logGroupName": API})
    result = converge(stub, params(state="absent"), check_mode)
    assert result["changed"] is True and result["deleted"] == [API]
    assert list(result["diff"]["before"]) == [API] and result["diff"]["after"] == {}
    assert result["log_groups"] == []


def test_absent_on_missing_groups_is_converged(stub):
    read(stub, [])
    result = converge(stub, params(state="absent"))
    assert result["changed"] is False and result["deleted"] == []


def test_empty_list_makes_no_call(stub):
    result = converge(stub, params([]))
    assert result["changed"] is False and result["log_groups"] == []


@pytest.mark.parametrize(("groups", "message"), [
    ([group(API, retention=2)], r"log_groups\[0\].retention: 2 is not a retention CloudWatch Logs accepts; expected one of 1, 3, 5, .*3653"),
    ([group(API), group(API)], r"log_groups\[1\].name: '/ecs/cloudplatform-prod/api' is already log_groups\[0\]"),
    ([group("/ecs/bad name")], r"log_groups\[0\].name: '/ecs/bad name' is not a valid log group name"),
    ([group(API, kms_key_id="alias/logs")], r"log_groups\[0\].kms_key_id: 'alias/logs' is not a KMS key ARN"),
])
def test_bad_input_fails_before_any_call(stub, groups, message):
    with pytest.raises(FailJson, match=message):
        converge(stub, params(groups))


def test_api_errors_are_raised_with_what_failed(stub):
    read(stub, [live(API, retentionInDays=7)], prefix=API)
    stub.add_client_error("put_retention_policy", "InvalidParameterException", "bad retention", http_status_code=400)
    with pytest.raises(CloudWatchError, match="Failed to put retention policy"):
        converge(stub, params([group(API)]))


def test_arn_without_log_group_arn_field_is_stripped_for_tags(stub):
    stub.add_response("describe_log_groups", {"logGroups": [live(API, logGroupArn=None)]}, {"logGroupNamePrefix": API})
    stub.add_response("list_tags_for_resource", {"tags": TAGS}, {"resourceArn": arn(API)})
    result = converge(stub, params([group(API)]))
    assert result["log_groups"][0]["log_group_arn"] == arn(API)
