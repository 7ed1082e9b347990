"""Unit tests for cloudplatform.aws.elasticache_replication_group.

The emulator (moto 5.2.5) has no IncreaseReplicaCount/DecreaseReplicaCount and ignores most of
ModifyReplicationGroup, so the modify paths run here against a botocore Stubber on the real
ElastiCache service model: a request the model rejects fails the test.
"""

from __future__ import annotations

import json
from unittest import mock

import boto3
import pytest
from ansible.module_utils.testing import patch_module_args
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from ansible_collections.cloudplatform.aws.plugins.module_utils import elasticache as utils
from ansible_collections.cloudplatform.aws.plugins.modules import elasticache_replication_group as module

GROUP_ID = "cloudplatform-prod-redis"
ARN = f"arn:aws:elasticache:us-east-1:123456789012:replicationgroup:{GROUP_ID}"
KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
TOKEN = "a-very-secret-auth-token-0123456789"

PROD = dict(
    replication_group_id=GROUP_ID,
    description="Redis",
    engine="redis",
    engine_version="7.1",
    node_type="cache.t3.medium",
    replicas_per_node_group=1,
    multi_az_enabled=True,
    automatic_failover_enabled=True,
    transit_encryption_enabled=True,
    transit_encryption_mode="required",
    auth_token=TOKEN,
    at_rest_encryption_enabled=True,
    kms_key_id=KEY,
    subnet_group="cloudplatform-prod-redis",
    security_group_ids=["sg-0123456789abcdef0"],
    snapshot_retention_limit=7,
    snapshot_window="02:00-03:00",
    maintenance_window="sun:05:00-sun:06:00",
    tags={"Environment": "prod"},
    region="us-east-1",
)


def member(index, role):
    return {
        "CacheClusterId": f"{GROUP_ID}-00{index}",
        "CacheNodeId": "0001",
        "ReadEndpoint": {"Address": f"{GROUP_ID}-00{index}.abc.use1.cache.amazonaws.com", "Port": 6379},
        "PreferredAvailabilityZone": f"us-east-1{'abc'[index - 1]}",
        "CurrentRole": role,
    }


def group(replicas=1, node_type="cache.t3.medium", status="available", failover=None, auth=True):
    failover = failover or ("enabled" if replicas else "disabled")
    members = [member(1, "primary")] + [member(i + 2, "replica") for i in range(replicas)]
    return {
        "ReplicationGroupId": GROUP_ID,
        "Description": "Redis",
        "Status": status,
        "MemberClusters": [m["CacheClusterId"] for m in members],
        "NodeGroups": [{
            "NodeGroupId": "0001",
            "Status": "available",
            "PrimaryEndpoint": {"Address": f"master.{GROUP_ID}.abc.use1.cache.amazonaws.com", "Port": 6379},
            "ReaderEndpoint": {"Address": f"replica.{GROUP_ID}.abc.use1.cache.amazonaws.com", "Port": 6379},
            "NodeGroupMembers": members,
        }],
        "AutomaticFailover": failover,
        "MultiAZ": failover,
        "SnapshotRetentionLimit": 7,
        "SnapshotWindow": "02:00-03:00",
        "ClusterEnabled": False,
        "CacheNodeType": node_type,
        "AuthTokenEnabled": auth,
        "TransitEncryptionEnabled": True,
        "TransitEncryptionMode": "required",
        "AtRestEncryptionEnabled": True,
        "KmsKeyId": KEY,
        "ARN": ARN,
        "LogDeliveryConfigurations": [],
        "Engine": "redis",
    }


def cluster():
    return {
        "CacheClusterId": f"{GROUP_ID}-001",
        "CacheNodeType": "cache.t3.medium",
        "Engine": "redis",
        "EngineVersion": "7.1.0",
        "CacheClusterStatus": "available",
        "PreferredMaintenanceWindow": "sun:05:00-sun:06:00",
        "CacheParameterGroup": {"CacheParameterGroupName": "default.redis7", "ParameterApplyStatus": "in-sync"},
        "CacheSubnetGroupName": "cloudplatform-prod-redis",
        "SecurityGroups": [{"SecurityGroupId": "sg-0123456789abcdef0", "Status": "active"}],
        "ReplicationGroupId": GROUP_ID,
    }


class Stubbed:
    """A real ElastiCache client with a Stubber; every call must be expected, in order."""

    def __init__(self):
        self.client = boto3.client("elasticache", region_name="us-east-1", aws_access_key_id="x",
                                   aws_secret_access_key="x")
        self.stubber = Stubber(self.client)

    def describe(self, response_group):
        self.stubber.add_response("describe_replication_groups", {"ReplicationGroups": [response_group]},
                                  {"ReplicationGroupId": GROUP_ID})

    def read(self, response_group):
        self.describe(response_group)
        self.stubber.add_response("describe_cache_clusters", {"CacheClusters": [cluster()]},
                                  {"CacheClusterId": f"{GROUP_ID}-001"})

    def tags(self, tags=None):
        tag_list = [{"Key": k, "Value": v} for k, v in (tags or {"Environment": "prod"}).items()]
        self.stubber.add_response("list_tags_for_resource", {"TagList": tag_list}, {"ResourceName": ARN})

    def result(self, response_group):
        self.describe(response_group)
        self.tags()


def run(stubbed, check_mode=False, **overrides):
    args = dict(PROD, **overrides)
    if check_mode:
        args["_ansible_check_mode"] = True
    with patch_module_args(args), \
            mock.patch.object(module.AnsibleAWSModule, "client", return_value=stubbed.client), \
            mock.patch.object(module.AnsibleAWSModule, "exit_json", side_effect=SystemExit) as exit_json, \
            mock.patch.object(module.AnsibleAWSModule, "fail_json", side_effect=SystemExit) as fail_json, \
            stubbed.stubber:
        with pytest.raises(SystemExit):
            module.main()
        if fail_json.called:
            return dict(failed=True, **fail_json.call_args.kwargs)
        stubbed.stubber.assert_no_pending_responses()
    return exit_json.call_args.kwargs if exit_json.called else {}


@pytest.mark.parametrize("check_mode", [False, True])
def test_create(check_mode):
    stubbed = Stubbed()
    stubbed.stubber.add_client_error("describe_replication_groups", "ReplicationGroupNotFoundFault", http_status_code=404)
    if not check_mode:
        expected = {
            "ReplicationGroupId": GROUP_ID, "ReplicationGroupDescription": "Redis", "Engine": "redis",
            "EngineVersion": "7.1", "CacheNodeType": "cache.t3.medium", "NumNodeGroups": 1,
            "ReplicasPerNodeGroup": 1, "MultiAZEnabled": True, "AutomaticFailoverEnabled": True,
            "TransitEncryptionEnabled": True, "TransitEncryptionMode": "required", "AuthToken": TOKEN,
            "AtRestEncryptionEnabled": True, "KmsKeyId": KEY, "CacheSubnetGroupName": "cloudplatform-prod-redis",
            "SecurityGroupIds": ["sg-0123456789abcdef0"], "SnapshotRetentionLimit": 7,
            "SnapshotWindow": "02:00-03:00", "PreferredMaintenanceWindow": "sun:05:00-sun:06:00",
            "Tags": [{"Key": "Environment", "Value": "prod"}],
        }
        stubbed.stubber.add_response("create_replication_group", {"ReplicationGroup": group(status="creating")}, expected)
        stubbed.describe(group())  # waiter
        stubbed.result(group())
    result = run(stubbed, check_mode=check_mode)
    assert result["changed"] is True
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["node_type"] == "cache.t3.medium"
    assert result["diff"]["after"]["auth_token_enabled"] is True
    assert TOKEN not in json.dumps(result)
    if not check_mode:
        assert result["replication_group"]["primary_endpoint"].startswith("master.")
        assert result["replication_group"]["tags"] == {"Environment": "prod"}


@pytest.mark.parametrize("check_mode", [False, True])
def test_converged_group_makes_no_write(check_mode):
    stubbed = Stubbed()
    stubbed.read(group())
    stubbed.tags()
    stubbed.result(group())
    result = run(stubbed, check_mode=check_mode)
    assert result["changed"] is False
    assert result["diff"]["before"] == result["diff"]["after"]


@pytest.mark.parametrize("check_mode", [False, True])
def test_node_type_change_issues_modify(check_mode):
    stubbed = Stubbed()
    stubbed.read(group(node_type="cache.t3.small"))
    if not check_mode:
        stubbed.stubber.add_response(
            "modify_replication_group", {"ReplicationGroup": group(status="modifying")},
            {"ReplicationGroupId": GROUP_ID, "ApplyImmediately": True, "CacheNodeType": "cache.t3.medium"},
        )
        stubbed.describe(group())  # waiter
    stubbed.tags()
    stubbed.result(group(node_type="cache.t3.small" if check_mode else "cache.t3.medium"))
    result = run(stubbed, check_mode=check_mode)
    assert result["changed"] is True
    assert result["diff"]["before"]["node_type"] == "cache.t3.small"
    assert result["diff"]["after"]["node_type"] == "cache.t3.medium"


@pytest.mark.parametrize("check_mode", [False, True])
def test_adding_a_replica_increases_then_enables_failover(check_mode):
    stubbed = Stubbed()
    stubbed.read(group(replicas=0))
    if not check_mode:
        stubbed.stubber.add_response(
            "increase_replica_count", {"ReplicationGroup": group(replicas=0, status="modifying")},
            {"ReplicationGroupId": GROUP_ID, "NewReplicaCount": 1, "ApplyImmediately": True},
        )
        stubbed.describe(group(replicas=1, failover="disabled"))  # waiter
        stubbed.stubber.add_response(
            "modify_replication_group", {"ReplicationGroup": group(status="modifying")},
            {"ReplicationGroupId": GROUP_ID, "ApplyImmediately": True, "AutomaticFailoverEnabled": True,
             "MultiAZEnabled": True},
        )
        stubbed.describe(group())  # waiter
    stubbed.tags()
    stubbed.result(group(replicas=0) if check_mode else group())
    result = run(stubbed, check_mode=check_mode)
    assert result["changed"] is True
    assert result["diff"]["before"]["replicas_per_node_group"] == 0
    assert result["diff"]["after"]["replicas_per_node_group"] == 1
    assert result["diff"]["after"]["multi_az_enabled"] is True


@pytest.mark.parametrize("check_mode", [False, True])
def test_removing_the_last_replica_disables_failover_first(check_mode):
    stubbed = Stubbed()
    stubbed.read(group(replicas=1))
    if not check_mode:
        stubbed.stubber.add_response(
            "modify_replication_group", {"ReplicationGroup": group(status="modifying")},
            {"ReplicationGroupId": GROUP_ID, "ApplyImmediately": True, "AutomaticFailoverEnabled": False,
             "MultiAZEnabled": False},
        )
        stubbed.describe(group(failover="disabled"))  # waiter
        stubbed.stubber.add_response(
            "decrease_replica_count", {"ReplicationGroup": group(status="modifying", failover="disabled")},
            {"ReplicationGroupId": GROUP_ID, "NewReplicaCount": 0, "ApplyImmediately": True},
        )
        stubbed.describe(group(replicas=0))  # waiter
    stubbed.tags()
    stubbed.result(group(replicas=0))
    result = run(stubbed, check_mode=check_mode, replicas_per_node_group=0, multi_az_enabled=False,
                 automatic_failover_enabled=False)
    assert result["changed"] is True
    assert result["diff"]["after"]["replicas_per_node_group"] == 0


@pytest.mark.parametrize("check_mode", [False, True])
def test_settings_go_in_one_modify_call(check_mode):
    stubbed = Stubbed()
    stubbed.read(group())
    if not check_mode:
        stubbed.stubber.add_response(
            "modify_replication_group", {"ReplicationGroup": group(status="modifying")},
            {"ReplicationGroupId": GROUP_ID, "ApplyImmediately": True, "SnapshotRetentionLimit": 1,
             "PreferredMaintenanceWindow": "mon:05:00-mon:06:00", "SecurityGroupIds": ["sg-1", "sg-2"],
             "LogDeliveryConfigurations": [{
                 "LogType": "slow-log", "DestinationType": "cloudwatch-logs",
                 "DestinationDetails": {"CloudWatchLogsDetails": {"LogGroup": "/redis/slow"}},
                 "LogFormat": "json", "Enabled": True}]},
        )
        stubbed.describe(group())  # waiter
    stubbed.tags()
    stubbed.result(group())
    result = run(stubbed, check_mode=check_mode, snapshot_retention_limit=1, maintenance_window="mon:05:00-mon:06:00",
                 security_group_ids=["sg-2", "sg-1"],
                 log_delivery_configurations=[{"log_type": "slow-log", "destination": "/redis/slow"}])
    assert result["changed"] is True
    assert result["diff"]["after"]["snapshot_retention_limit"] == 1
    assert result["diff"]["after"]["security_group_ids"] == ["sg-1", "sg-2"]


@pytest.mark.parametrize("strategy", ["ROTATE", "SET"])
def test_auth_token_rotation(strategy):
    stubbed = Stubbed()
    stubbed.read(group())
    stubbed.stubber.add_response(
        "modify_replication_group", {"ReplicationGroup": group(status="modifying")},
        {"ReplicationGroupId": GROUP_ID, "ApplyImmediately": True, "AuthToken": TOKEN,
         "AuthTokenUpdateStrategy": strategy},
    )
    stubbed.describe(group())  # waiter
    stubbed.tags()
    stubbed.result(group())
    result = run(stubbed, auth_token_update_strategy=strategy)
    assert result["changed"] is True
    assert TOKEN not in json.dumps(result)


def test_auth_delete_only_when_enabled():
    stubbed = Stubbed()
    stubbed.read(group(auth=False))
    stubbed.tags()
    stubbed.result(group(auth=False))
    result = run(stubbed, auth_token=None, auth_token_update_strategy="DELETE")
    assert result["changed"] is False


@pytest.mark.parametrize("check_mode", [False, True])
def test_tags_are_purged_and_added(check_mode):
    stubbed = Stubbed()
    stubbed.read(group())
    stubbed.tags({"Environment": "dev", "Stale": "yes"})
    if not check_mode:
        stubbed.stubber.add_response("remove_tags_from_resource", {"TagList": []},
                                     {"ResourceName": ARN, "TagKeys": ["Stale"]})
        stubbed.stubber.add_response("add_tags_to_resource", {"TagList": []},
                                     {"ResourceName": ARN, "Tags": [{"Key": "Environment", "Value": "prod"}]})
    stubbed.result(group())
    result = run(stubbed, check_mode=check_mode)
    assert result["changed"] is True
    assert result["diff"]["after"]["tags"] == {"Environment": "prod"}


def test_create_only_setting_differs_fails_with_the_option_name():
    stubbed = Stubbed()
    stubbed.read(group())
    result = run(stubbed, kms_key_id="arn:aws:kms:us-east-1:123456789012:key/other")
    assert result["failed"] is True
    assert result["msg"].startswith("kms_key_id: 'arn:aws:kms:us-east-1:123456789012:key/other' differs")


@pytest.mark.parametrize("check_mode", [False, True])
def test_delete(check_mode):
    stubbed = Stubbed()
    stubbed.read(group())
    if not check_mode:
        stubbed.stubber.add_response("delete_replication_group", {"ReplicationGroup": group(status="deleting")},
                                     {"ReplicationGroupId": GROUP_ID, "FinalSnapshotIdentifier": "final"})
        stubbed.stubber.add_client_error("describe_replication_groups", "ReplicationGroupNotFoundFault",
                                         http_status_code=404, expected_params={"ReplicationGroupId": GROUP_ID})
    result = run(stubbed, check_mode=check_mode, state="absent", final_snapshot_identifier="final")
    assert result["changed"] is True
    assert result["diff"]["after"] == {}


def test_delete_of_a_missing_group_is_a_no_op():
    stubbed = Stubbed()
    stubbed.stubber.add_client_error("describe_replication_groups", "ReplicationGroupNotFoundFault", http_status_code=404)
    result = run(stubbed, state="absent")
    assert result["changed"] is False


def test_unreadable_member_cluster_leaves_cluster_settings_alone():
    stubbed = Stubbed()
    stubbed.describe(group())
    stubbed.stubber.add_client_error("describe_cache_clusters", "CacheClusterNotFound", http_status_code=404)
    stubbed.tags()
    stubbed.result(group())
    result = run(stubbed, security_group_ids=["sg-other"], maintenance_window="mon:01:00-mon:02:00")
    assert result["changed"] is False


@pytest.mark.parametrize("args, message", [
    (dict(replicas_per_node_group=0), "multi_az_enabled: true needs at least one replica"),
    (dict(replicas_per_node_group=6), "replicas_per_node_group: 6 is out of range"),
    (dict(auth_token=None, auth_token_update_strategy="SET"), "auth_token_update_strategy: SET needs auth_token"),
])
def test_bad_input_fails_before_any_call(args, message):
    stubbed = Stubbed()
    result = run(stubbed, **args)
    assert result["failed"] is True
    assert result["msg"].startswith(message)


def test_api_error_is_reported():
    stubbed = Stubbed()
    stubbed.read(group(node_type="cache.t3.small"))
    stubbed.stubber.add_client_error("modify_replication_group", "InvalidParameterCombination",
                                     "Cannot modify", http_status_code=400)
    with mock.patch.object(module.AnsibleAWSModule, "fail_json_aws_error", side_effect=SystemExit) as fail:
        run(stubbed)
    error = fail.call_args.args[0]
    assert isinstance(error, utils.AnsibleElastiCacheError)
    assert isinstance(error.exception, ClientError)
    assert error.message == "Failed to modify replication group"


def test_wait_uses_the_timeout():
    client = mock.Mock()
    utils.wait_for_replication_group(client, GROUP_ID, "replication_group_available", 120)
    client.get_waiter.return_value.wait.assert_called_once_with(
        ReplicationGroupId=GROUP_ID, WaiterConfig={"Delay": 15, "MaxAttempts": 8})

