#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: elasticache_replication_group
short_description: Manage an ElastiCache (Redis OSS / Valkey) replication group
version_added: 0.1.0
description:
  - Creates, updates and deletes an ElastiCache replication group with cluster mode disabled
    (one shard, a primary and O(replicas_per_node_group) replicas).
  - Options left unset are not managed. Changes go to AWS with C(ApplyImmediately); steps AWS
    runs one at a time (replica count, node type, engine version, the other settings) are issued
    as separate calls and the module waits for the group to be available between them.
  - Changing the replica count uses C(IncreaseReplicaCount) / C(DecreaseReplicaCount). Replicas
    are added before automatic failover is turned on, and failover is turned off before the last
    replica is removed, as AWS requires.
  - The AUTH token cannot be read back. Without O(auth_token_update_strategy) it is only used when
    the group is created; with C(SET) or C(ROTATE) it is sent on every run (a one-shot operation
    for a rotation playbook); C(DELETE) removes it when AUTH is on.
  - At-rest encryption, its KMS key, the subnet group and the port cannot be changed on an
    existing group; the module fails when they differ instead of replacing the group.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  replication_group_id:
    description: The replication group identifier (lowercase, at most 40 characters).
    type: str
    required: true
  state:
    description: Whether the replication group should exist.
    type: str
    choices: [present, absent]
    default: present
  description:
    description: The replication group description. Defaults to O(replication_group_id) on creation.
    type: str
  engine:
    description: The cache engine.
    type: str
    choices: [redis, valkey]
  engine_version:
    description:
      - The engine version, for example C(7.1). A version given as C(major.minor) matches any patch
        level AWS reports.
    type: str
  node_type:
    description: The cache node type, for example C(cache.t3.medium).
    type: str
  num_node_groups:
    description: The number of shards. Cluster mode disabled only, so always 1.
    type: int
    choices: [1]
    default: 1
  replicas_per_node_group:
    description: The number of replicas of the primary (0-5).
    type: int
  port:
    description: The port the nodes accept connections on. Only used on creation.
    type: int
  multi_az_enabled:
    description: Multi-AZ. Needs at least one replica and O(automatic_failover_enabled=true).
    type: bool
  automatic_failover_enabled:
    description: Automatic failover to a replica. Needs at least one replica.
    type: bool
  transit_encryption_enabled:
    description: In-transit (TLS) encryption. Required for an AUTH token.
    type: bool
  transit_encryption_mode:
    description:
      - C(required) accepts TLS connections only; C(preferred) accepts both, for migrating clients
        of an existing group to TLS.
    type: str
    choices: [preferred, required]
  auth_token:
    description:
      - The AUTH token (16-128 printable characters). Never returned or logged.
    type: str
  auth_token_update_strategy:
    description:
      - How to apply O(auth_token) to an existing group. C(ROTATE) adds the new token next to the
        old one, C(SET) makes it the only token, C(DELETE) removes AUTH.
      - Unset means the token is only used on creation.
    type: str
    choices: [SET, ROTATE, DELETE]
  at_rest_encryption_enabled:
    description: At-rest encryption. Only set on creation.
    type: bool
  kms_key_id:
    description: The KMS key (ARN) for at-rest encryption. Only set on creation.
    type: str
  subnet_group:
    description: The cache subnet group. Only set on creation.
    type: str
  security_group_ids:
    description: The VPC security groups of the nodes.
    type: list
    elements: str
  parameter_group:
    description: The cache parameter group.
    type: str
  snapshot_retention_limit:
    description: Days to keep automatic snapshots; 0 turns them off.
    type: int
  snapshot_window:
    description: The daily snapshot window (UTC), for example C(02:00-03:00).
    type: str
  maintenance_window:
    description: The weekly maintenance window (UTC), for example C(sun:05:00-sun:06:00).
    type: str
  log_delivery_configurations:
    description:
      - Log delivery of the slow log and the engine log. When given, log types not listed are
        turned off.
    type: list
    elements: dict
    suboptions:
      log_type:
        description: The log.
        type: str
        required: true
        choices: [slow-log, engine-log]
      destination_type:
        description: Where the log goes.
        type: str
        choices: [cloudwatch-logs, kinesis-firehose]
        default: cloudwatch-logs
      destination:
        description: The CloudWatch Logs group name or the Firehose delivery stream name.
        type: str
        required: true
      log_format:
        description: The format of the log records.
        type: str
        choices: [text, json]
        default: json
  final_snapshot_identifier:
    description: With O(state=absent), the name of a snapshot taken before deletion.
    type: str
  wait:
    description:
      - Wait until the group is available (present) or gone (absent). Not done in check mode.
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait for each step.
    type: int
    default: 1800
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    description: Reports what would change, with the diff, without any write call.
  diff_mode:
    support: full
    description: Shows the managed settings before and after; the AUTH token only as C(auth_token_enabled).
  platform:
    support: full
    platforms: aws
    description: Runs on the controller against the ElastiCache API.
notes:
  - Enabling in-transit encryption on an existing group goes through C(preferred) first; set
    O(transit_encryption_mode=preferred), move the clients to TLS, then set C(required).
"""

EXAMPLES = r"""
- name: Create a Redis replication group with one replica, TLS, AUTH and at-rest encryption
  cloudplatform.aws.elasticache_replication_group:
    replication_group_id: cloudplatform-prod-redis
    description: Redis for cloudplatform prod
    engine: redis
    engine_version: "7.1"
    node_type: cache.t3.medium
    replicas_per_node_group: 1
    multi_az_enabled: true
    automatic_failover_enabled: true
    transit_encryption_enabled: true
    transit_encryption_mode: required
    auth_token: "{{ redis_token }}"
    at_rest_encryption_enabled: true
    kms_key_id: "{{ kms_key_arn }}"
    subnet_group: cloudplatform-prod-redis
    security_group_ids: ["{{ redis_sg_id }}"]
    snapshot_retention_limit: 7
    snapshot_window: "02:00-03:00"
    maintenance_window: "sun:05:00-sun:06:00"
    tags:
      Environment: prod
  no_log: true

- name: Rotate the AUTH token without downtime (then redeploy the clients and SET it)
  cloudplatform.aws.elasticache_replication_group:
    replication_group_id: cloudplatform-prod-redis
    auth_token: "{{ new_token }}"
    auth_token_update_strategy: ROTATE
  no_log: true

- name: Delete the replication group, keeping a final snapshot
  cloudplatform.aws.elasticache_replication_group:
    replication_group_id: cloudplatform-prod-redis
    final_snapshot_identifier: cloudplatform-prod-redis-final
    state: absent
"""

RETURN = r"""
replication_group:
  description: The replication group as AWS describes it, snake_cased, with its tags and cluster settings.
  returned: when the group exists (or would, in check mode)
  type: dict
  contains:
    replication_group_id:
      description: The identifier.
      type: str
      sample: cloudplatform-prod-redis
    arn:
      description: The ARN.
      type: str
      sample: arn:aws:elasticache:us-east-1:123456789012:replicationgroup:cloudplatform-prod-redis
    status:
      description: The status.
      type: str
      sample: available
    primary_endpoint:
      description: The primary endpoint address.
      type: str
      sample: master.cloudplatform-prod-redis.abc123.use1.cache.amazonaws.com
    reader_endpoint:
      description: The reader endpoint address.
      type: str
      sample: replica.cloudplatform-prod-redis.abc123.use1.cache.amazonaws.com
    port:
      description: The port.
      type: int
      sample: 6379
    replica_count:
      description: The number of replicas.
      type: int
      sample: 1
    node_groups:
      description: The shard with its members and endpoints.
      type: list
      elements: dict
    auth_token_enabled:
      description: Whether AUTH is on.
      type: bool
      sample: true
    tags:
      description: The tags.
      type: dict
      sample: {"Environment": "prod"}
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list, compare_aws_tags

from ansible_collections.cloudplatform.aws.plugins.module_utils.elasticache import (
    AnsibleElastiCacheError,
    add_tags,
    create_replication_group,
    decrease_replica_count,
    delete_replication_group,
    describe_cache_cluster,
    describe_replication_group,
    increase_replica_count,
    list_tags,
    modify_replication_group,
    remove_tags,
    wait_for_replication_group,
)

# Settings ModifyReplicationGroup changes together: (option, ModifyReplicationGroup parameter).
BATCHED_SETTINGS = [
    ("description", "ReplicationGroupDescription"),
    ("automatic_failover_enabled", "AutomaticFailoverEnabled"),
    ("multi_az_enabled", "MultiAZEnabled"),
    ("snapshot_retention_limit", "SnapshotRetentionLimit"),
    ("snapshot_window", "SnapshotWindow"),
    ("maintenance_window", "PreferredMaintenanceWindow"),
    ("parameter_group", "CacheParameterGroupName"),
    ("transit_encryption_enabled", "TransitEncryptionEnabled"),
    ("transit_encryption_mode", "TransitEncryptionMode"),
]

# Settings AWS fixes at creation: a difference is an error, never a replacement.
CREATE_ONLY_SETTINGS = ["at_rest_encryption_enabled", "kms_key_id", "subnet_group", "port"]

# Creation parameters that map one to one: (option, CreateReplicationGroup parameter).
CREATE_PARAMETERS = [
    ("engine", "Engine"),
    ("engine_version", "EngineVersion"),
    ("node_type", "CacheNodeType"),
    ("num_node_groups", "NumNodeGroups"),
    ("replicas_per_node_group", "ReplicasPerNodeGroup"),
    ("port", "Port"),
    ("multi_az_enabled", "MultiAZEnabled"),
    ("automatic_failover_enabled", "AutomaticFailoverEnabled"),
    ("transit_encryption_enabled", "TransitEncryptionEnabled"),
    ("transit_encryption_mode", "TransitEncryptionMode"),
    ("auth_token", "AuthToken"),
    ("at_rest_encryption_enabled", "AtRestEncryptionEnabled"),
    ("kms_key_id", "KmsKeyId"),
    ("subnet_group", "CacheSubnetGroupName"),
    ("security_group_ids", "SecurityGroupIds"),
    ("parameter_group", "CacheParameterGroupName"),
    ("snapshot_retention_limit", "SnapshotRetentionLimit"),
    ("snapshot_window", "SnapshotWindow"),
    ("maintenance_window", "PreferredMaintenanceWindow"),
]

_ENABLED = ("enabled", "enabling")


def _primary_member(group):
    for node_group in group.get("NodeGroups") or []:
        for member in node_group.get("NodeGroupMembers") or []:
            if member.get("CurrentRole") == "primary":
                return member.get("CacheClusterId")
    members = group.get("MemberClusters") or []
    return members[0] if members else None


def _node_group(group):
    return (group.get("NodeGroups") or [{}])[0]


def _log_view(configurations):
    """Active log deliveries as {log_type: {destination_type, destination, log_format}}."""
    view = {}
    for entry in configurations or []:
        if entry.get("Status") in ("disabling", "error"):
            continue
        details = entry.get("DestinationDetails") or {}
        destination = (details.get("CloudWatchLogsDetails") or {}).get("LogGroup") or (
            details.get("KinesisFirehoseDetails") or {}
        ).get("DeliveryStream")
        view[entry["LogType"]] = dict(
            destination_type=entry.get("DestinationType"), destination=destination, log_format=entry.get("LogFormat")
        )
    return view


def _cluster_view(cluster):
    """Settings AWS reports per member cluster; None when the cluster cannot be read."""
    if cluster is None:
        return dict(engine_version=None, subnet_group=None, security_group_ids=None, parameter_group=None, maintenance_window=None)
    return dict(
        engine_version=cluster.get("EngineVersion"),
        subnet_group=cluster.get("CacheSubnetGroupName"),
        security_group_ids=sorted(sg["SecurityGroupId"] for sg in cluster.get("SecurityGroups") or []),
        parameter_group=(cluster.get("CacheParameterGroup") or {}).get("CacheParameterGroupName"),
        maintenance_window=(cluster.get("PreferredMaintenanceWindow") or "").lower() or None,
    )


def current_view(group, cluster):
    """The managed settings of an existing group, keyed by module option."""
    node_group = _node_group(group)
    view = dict(
        description=group.get("Description"),
        engine=group.get("Engine"),
        node_type=group.get("CacheNodeType"),
        num_node_groups=len(group.get("NodeGroups") or []),
        replicas_per_node_group=max(len(node_group.get("NodeGroupMembers") or []) - 1, 0),
        port=(node_group.get("PrimaryEndpoint") or {}).get("Port"),
        multi_az_enabled=group.get("MultiAZ") in _ENABLED,
        automatic_failover_enabled=group.get("AutomaticFailover") in _ENABLED,
        transit_encryption_enabled=bool(group.get("TransitEncryptionEnabled")),
        transit_encryption_mode=group.get("TransitEncryptionMode"),
        auth_token_enabled=bool(group.get("AuthTokenEnabled")),
        at_rest_encryption_enabled=bool(group.get("AtRestEncryptionEnabled")),
        kms_key_id=group.get("KmsKeyId"),
        snapshot_retention_limit=group.get("SnapshotRetentionLimit"),
        snapshot_window=group.get("SnapshotWindow"),
        log_delivery_configurations=_log_view(group.get("LogDeliveryConfigurations")),
    )
    view.update(_cluster_view(cluster))
    return view


def desired_logs(params):
    if params.get("log_delivery_configurations") is None:
        return None
    return {
        entry["log_type"]: dict(
            destination_type=entry["destination_type"], destination=entry["destination"], log_format=entry["log_format"]
        )
        for entry in params["log_delivery_configurations"]
    }


def _log_request(log_type, wanted):
    if wanted is None:
        return dict(LogType=log_type, Enabled=False)
    if wanted["destination_type"] == "cloudwatch-logs":
        details = dict(CloudWatchLogsDetails=dict(LogGroup=wanted["destination"]))
    else:
        details = dict(KinesisFirehoseDetails=dict(DeliveryStream=wanted["destination"]))
    return dict(
        LogType=log_type,
        DestinationType=wanted["destination_type"],
        DestinationDetails=details,
        LogFormat=wanted["log_format"],
        Enabled=True,
    )


def _same(option, current, wanted):
    if option == "engine_version":
        return current == wanted or str(current).startswith(str(wanted) + ".")
    if option == "maintenance_window":
        return current == str(wanted).lower()
    return current == wanted


class ReplicationGroupManager:
    """Compares the wanted settings with the group and applies the differences in AWS's order."""

    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.params = module.params
        self.group_id = module.params["replication_group_id"]
        self.group = None
        self.before = {}
        self.after = {}
        self.pending = {}

    def read(self):
        self.group = describe_replication_group(self.client, self.group_id)
        if self.group is None or self.group.get("Status") in ("deleting", "deleted"):
            return None
        member = _primary_member(self.group)
        cluster = describe_cache_cluster(self.client, member) if member else None
        return current_view(self.group, cluster)

    def _differs(self, option):
        """True when the option is set and differs from a value AWS reported.

        Settings AWS did not report (None) are left alone: the module never changes what it
        cannot read back.
        """
        wanted = self.params.get(option)
        current = self.before.get(option)
        if wanted is None or current is None:
            return False
        return not _same(option, current, wanted)

    def _note(self, option, value):
        self.after[option] = value

    # Steps that AWS runs one at a time -------------------------------------------------------

    def _step(self, label, func, *args):
        self.module.debug(f"elasticache_replication_group: {label}")
        if self.module.check_mode:
            return True
        func(self.client, self.group_id, *args)
        self._wait_available()
        return True

    def _wait_available(self):
        wait_for_replication_group(self.client, self.group_id, "replication_group_available", self.params["wait_timeout"])

    def update_replica_count(self):
        if not self._differs("replicas_per_node_group"):
            return False
        wanted = self.params["replicas_per_node_group"]
        self._note("replicas_per_node_group", wanted)
        func = increase_replica_count if wanted > self.before["replicas_per_node_group"] else decrease_replica_count
        return self._step("replica count", func, wanted)

    def update_node_type(self):
        if not self._differs("node_type"):
            return False
        self._note("node_type", self.params["node_type"])
        return self._step("node type", self._modify, dict(CacheNodeType=self.params["node_type"]))

    def update_engine_version(self):
        if not self._differs("engine_version"):
            return False
        self._note("engine_version", self.params["engine_version"])
        return self._step("engine version", self._modify, dict(EngineVersion=self.params["engine_version"]))

    @staticmethod
    def _modify(client, group_id, changes):
        modify_replication_group(client, group_id, ApplyImmediately=True, **changes)

    # Settings applied together in one ModifyReplicationGroup call -----------------------------

    def update_setting(self, option, parameter):
        if not self._differs(option):
            return False
        self._note(option, self.params[option])
        self.pending[parameter] = self.params[option]
        return True

    def update_security_groups(self):
        wanted = self.params.get("security_group_ids")
        current = self.before.get("security_group_ids")
        if wanted is None or current is None or sorted(wanted) == current:
            return False
        self._note("security_group_ids", sorted(wanted))
        self.pending["SecurityGroupIds"] = sorted(wanted)
        return True

    def update_log_delivery(self):
        wanted = desired_logs(self.params)
        current = self.before.get("log_delivery_configurations") or {}
        if wanted is None or wanted == current:
            return False
        self._note("log_delivery_configurations", wanted)
        self.pending["LogDeliveryConfigurations"] = [
            _log_request(log_type, wanted.get(log_type))
            for log_type in sorted(set(wanted) | set(current))
            if wanted.get(log_type) != current.get(log_type)
        ]
        return True

    def update_auth_token(self):
        strategy = self.params.get("auth_token_update_strategy")
        if strategy is None:
            return False
        if strategy == "DELETE":
            if not self.before["auth_token_enabled"]:
                return False
            self._note("auth_token_enabled", False)
        else:
            self._note("auth_token_enabled", True)
            self.pending["AuthToken"] = self.params["auth_token"]
        self.pending["AuthTokenUpdateStrategy"] = strategy
        return True

    def flush_settings(self):
        if not self.pending:
            return False
        return self._step("settings", self._modify, self.pending)

    def update_settings(self):
        changed = False
        for option, parameter in BATCHED_SETTINGS:
            changed |= self.update_setting(option, parameter)
        changed |= self.update_security_groups()
        changed |= self.update_log_delivery()
        changed |= self.update_auth_token()
        return self.flush_settings() or changed

    # Tags ----------------------------------------------------------------------------------------

    def update_tags(self, arn):
        if self.params.get("tags") is None:
            return False
        current = list_tags(self.client, arn)
        to_add, to_remove = compare_aws_tags(current, self.params["tags"], purge_tags=self.params["purge_tags"])
        if not to_add and not to_remove:
            return False
        self.before["tags"] = current
        self.after["tags"] = {k: v for k, v in current.items() if k not in to_remove}
        self.after["tags"].update(to_add)
        if self.module.check_mode:
            return True
        if to_remove:
            remove_tags(self.client, arn, to_remove)
        if to_add:
            add_tags(self.client, arn, to_add)
        return True

    # Whole resource --------------------------------------------------------------------------

    def check_create_only(self):
        for option in CREATE_ONLY_SETTINGS:
            if self._differs(option):
                self.module.fail_json(
                    msg=(
                        f"{option}: {self.params[option]!r} differs from the existing group's "
                        f"{self.before[option]!r}; AWS fixes it at creation. Keep {self.before[option]!r} "
                        "or delete and recreate the group."
                    )
                )

    def update(self):
        self.check_create_only()
        self.after = dict(self.before)
        changed = False
        growing = self._differs("replicas_per_node_group") and (
            self.params["replicas_per_node_group"] > self.before["replicas_per_node_group"]
        )
        # New replicas must exist before failover/Multi-AZ can be turned on, and failover must be
        # off before the last replica goes.
        if growing:
            changed |= self.update_replica_count()
        changed |= self.update_node_type()
        changed |= self.update_engine_version()
        changed |= self.update_settings()
        if not growing:
            changed |= self.update_replica_count()
        changed |= self.update_tags(self.group["ARN"])
        return changed

    def create(self):
        request = dict(
            ReplicationGroupId=self.group_id,
            ReplicationGroupDescription=self.params.get("description") or self.group_id,
        )
        for option, parameter in CREATE_PARAMETERS:
            if self.params.get(option) is not None:
                request[parameter] = self.params[option]
        if self.params.get("log_delivery_configurations"):
            request["LogDeliveryConfigurations"] = [
                _log_request(log_type, wanted) for log_type, wanted in sorted(desired_logs(self.params).items())
            ]
        if self.params.get("tags"):
            request["Tags"] = ansible_dict_to_boto3_tag_list(self.params["tags"])
        self.after = {option: self.params.get(option) for option, _parameter in CREATE_PARAMETERS if option != "auth_token"}
        self.after.update(auth_token_enabled=bool(self.params.get("auth_token")), tags=self.params.get("tags") or {})
        if self.module.check_mode:
            return True
        create_replication_group(self.client, **request)
        if self.params["wait"]:
            self._wait_available()
        return True

    def delete(self):
        if self.module.check_mode:
            return True
        delete_replication_group(self.client, self.group_id, self.params.get("final_snapshot_identifier"))
        if self.params["wait"]:
            wait_for_replication_group(self.client, self.group_id, "replication_group_deleted", self.params["wait_timeout"])
        return True


def describe_result(manager):
    """The group as the module returns it: snake_cased, with tags and endpoints."""
    group = describe_replication_group(manager.client, manager.group_id)
    if group is None:
        return {}
    node_group = _node_group(group)
    result = camel_dict_to_snake_dict(group)
    result["tags"] = list_tags(manager.client, group["ARN"])
    result["primary_endpoint"] = (node_group.get("PrimaryEndpoint") or {}).get("Address")
    result["reader_endpoint"] = (node_group.get("ReaderEndpoint") or {}).get("Address")
    result["port"] = (node_group.get("PrimaryEndpoint") or {}).get("Port")
    result["replica_count"] = max(len(node_group.get("NodeGroupMembers") or []) - 1, 0)
    return result


def validate(module):
    params = module.params
    replicas = params.get("replicas_per_node_group")
    if replicas is not None and not 0 <= replicas <= 5:
        module.fail_json(msg=f"replicas_per_node_group: {replicas} is out of range; expected 0 to 5")
    for option in ("multi_az_enabled", "automatic_failover_enabled"):
        if replicas == 0 and params.get(option):
            module.fail_json(
                msg=f"{option}: true needs at least one replica but replicas_per_node_group is 0; set it to false or add a replica"
            )
    if params.get("auth_token_update_strategy") in ("SET", "ROTATE") and not params.get("auth_token"):
        module.fail_json(
            msg=f"auth_token_update_strategy: {params['auth_token_update_strategy']} needs auth_token; give the new token"
        )


def ensure(manager):
    module = manager.module
    manager.before = manager.read() or {}
    if module.params["state"] == "absent":
        changed = bool(manager.before) and manager.delete()
        return changed, {}
    if not manager.before:
        changed = manager.create()
    else:
        changed = manager.update()
    if module.check_mode and not manager.before:
        placeholder = dict(manager.after, replication_group_id=manager.group_id, status="creating")
        return changed, placeholder
    return changed, describe_result(manager)


def main():
    log_spec = dict(
        log_type=dict(type="str", required=True, choices=["slow-log", "engine-log"]),
        destination_type=dict(type="str", default="cloudwatch-logs", choices=["cloudwatch-logs", "kinesis-firehose"]),
        destination=dict(type="str", required=True),
        log_format=dict(type="str", default="json", choices=["text", "json"]),
    )
    argument_spec = dict(
        replication_group_id=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        description=dict(type="str"),
        engine=dict(type="str", choices=["redis", "valkey"]),
        engine_version=dict(type="str"),
        node_type=dict(type="str"),
        num_node_groups=dict(type="int", default=1, choices=[1]),
        replicas_per_node_group=dict(type="int"),
        port=dict(type="int"),
        multi_az_enabled=dict(type="bool"),
        automatic_failover_enabled=dict(type="bool"),
        transit_encryption_enabled=dict(type="bool"),
        transit_encryption_mode=dict(type="str", choices=["preferred", "required"]),
        auth_token=dict(type="str", no_log=True),
        auth_token_update_strategy=dict(type="str", choices=["SET", "ROTATE", "DELETE"]),
        at_rest_encryption_enabled=dict(type="bool"),
        kms_key_id=dict(type="str"),
        subnet_group=dict(type="str"),
        security_group_ids=dict(type="list", elements="str"),
        parameter_group=dict(type="str"),
        snapshot_retention_limit=dict(type="int"),
        snapshot_window=dict(type="str"),
        maintenance_window=dict(type="str"),
        log_delivery_configurations=dict(type="list", elements="dict", options=log_spec),
        final_snapshot_identifier=dict(type="str"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=1800),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)
    manager = ReplicationGroupManager(module, module.client("elasticache"))
    try:
        changed, group = ensure(manager)
    except AnsibleElastiCacheError as e:
        module.fail_json_aws_error(e)
    module.exit_json(
        changed=changed,
        replication_group=group,
        diff=dict(before=manager.before, after=manager.after if changed else manager.before),
    )


if __name__ == "__main__":
    main()
