# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""ElastiCache API wrappers: every boto3 call of the elasticache modules goes through here."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list, boto3_tag_list_to_ansible_dict

# AWS answers "modifying"/"snapshotting" groups with this code; the retry rides it out.
_BUSY_CODES = ["InvalidReplicationGroupState"]


class AnsibleElastiCacheError(AnsibleAWSError):
    pass


class ReplicationGroupErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleElastiCacheError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ReplicationGroupNotFoundFault")


class CacheClusterErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleElastiCacheError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("CacheClusterNotFound")


@ReplicationGroupErrorHandler.list_error_handler("describe replication group")
@AWSRetry.jittered_backoff()
def describe_replication_group(client, replication_group_id):
    paginator = client.get_paginator("describe_replication_groups")
    groups = paginator.paginate(ReplicationGroupId=replication_group_id).build_full_result()["ReplicationGroups"]
    return groups[0] if groups else None


@CacheClusterErrorHandler.list_error_handler("describe cache cluster")
@AWSRetry.jittered_backoff()
def describe_cache_cluster(client, cache_cluster_id):
    clusters = client.describe_cache_clusters(CacheClusterId=cache_cluster_id)["CacheClusters"]
    return clusters[0] if clusters else None


@ReplicationGroupErrorHandler.common_error_handler("create replication group")
@AWSRetry.jittered_backoff()
def create_replication_group(client, **params):
    return client.create_replication_group(**params)["ReplicationGroup"]


@ReplicationGroupErrorHandler.common_error_handler("modify replication group")
@AWSRetry.jittered_backoff(catch_extra_error_codes=_BUSY_CODES)
def modify_replication_group(client, replication_group_id, **params):
    return client.modify_replication_group(ReplicationGroupId=replication_group_id, **params)["ReplicationGroup"]


@ReplicationGroupErrorHandler.common_error_handler("increase the replica count")
@AWSRetry.jittered_backoff(catch_extra_error_codes=_BUSY_CODES)
def increase_replica_count(client, replication_group_id, new_replica_count):
    return client.increase_replica_count(
        ReplicationGroupId=replication_group_id, NewReplicaCount=new_replica_count, ApplyImmediately=True
    )["ReplicationGroup"]


@ReplicationGroupErrorHandler.common_error_handler("decrease the replica count")
@AWSRetry.jittered_backoff(catch_extra_error_codes=_BUSY_CODES)
def decrease_replica_count(client, replication_group_id, new_replica_count):
    return client.decrease_replica_count(
        ReplicationGroupId=replication_group_id, NewReplicaCount=new_replica_count, ApplyImmediately=True
    )["ReplicationGroup"]


@ReplicationGroupErrorHandler.deletion_error_handler("delete replication group")
@AWSRetry.jittered_backoff(catch_extra_error_codes=_BUSY_CODES)
def delete_replication_group(client, replication_group_id, final_snapshot_identifier=None):
    params = dict(ReplicationGroupId=replication_group_id)
    if final_snapshot_identifier:
        params["FinalSnapshotIdentifier"] = final_snapshot_identifier
    client.delete_replication_group(**params)
    return True


@ReplicationGroupErrorHandler.list_error_handler("list tags of the replication group", default_value={})
@AWSRetry.jittered_backoff()
def list_tags(client, arn):
    return boto3_tag_list_to_ansible_dict(client.list_tags_for_resource(ResourceName=arn).get("TagList", []))


@ReplicationGroupErrorHandler.common_error_handler("tag the replication group")
@AWSRetry.jittered_backoff()
def add_tags(client, arn, tags):
    client.add_tags_to_resource(ResourceName=arn, Tags=ansible_dict_to_boto3_tag_list(tags))
    return True


@ReplicationGroupErrorHandler.common_error_handler("untag the replication group")
@AWSRetry.jittered_backoff()
def remove_tags(client, arn, tag_keys):
    client.remove_tags_from_resource(ResourceName=arn, TagKeys=list(tag_keys))
    return True


@ReplicationGroupErrorHandler.common_error_handler("wait for the replication group")
def wait_for_replication_group(client, replication_group_id, waiter_name, timeout, delay=15):
    """Wait with a botocore waiter (replication_group_available / replication_group_deleted)."""
    waiter = client.get_waiter(waiter_name)
    waiter.wait(
        ReplicationGroupId=replication_group_id,
        WaiterConfig=dict(Delay=delay, MaxAttempts=max(1, timeout // delay)),
    )
    return True
