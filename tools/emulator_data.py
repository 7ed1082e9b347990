"""RDS and ElastiCache fidelity fixes for the emulator (moto 5.2.5), applied by ``emulator.py serve``.

Where moto answers differently from AWS in a way that would break a correct client:

- DescribeDBParameterGroups with an unknown name returns an empty list; AWS answers
  DBParameterGroupNotFound (amazon.aws rds_instance_param_group indexes the first group).
- DescribeDBParameters returns only the parameters set by the user, without DataType or
  IsModifiable; AWS returns the family's whole catalogue. The emulator serves the engine-default
  entries of the PostgreSQL parameters the collection manages, so a client can validate and
  compare them as it does on AWS.
- A gp3 instance created without Iops/StorageThroughput describes without them; AWS reports the
  gp3 baseline (3000 IOPS / 125 MiB/s below 400 GiB, 12000 / 500 from 400 GiB for PostgreSQL),
  which amazon.aws rds_instance reads on every update.
- Performance Insights settings are dropped by CreateDBInstance and never described; AWS stores
  and describes PerformanceInsightsEnabled/KMSKeyId/RetentionPeriod.
- After other calls to the same server, CreateDBInstance can come out without MonitoringInterval /
  MonitoringRoleArn (the instance then describes without enhanced monitoring and every converge
  would modify it); AWS always stores them.
- DeleteReplicationGroup leaves the group in "deleting" for ever; on AWS it disappears, which is
  what the replication_group_deleted waiter waits for.
- DeleteCacheSubnetGroup is not implemented.
- A cluster-mode-disabled replication group describes without its ReaderEndpoint, which AWS
  returns for every such group.

docs/emulator.md lists these gaps and what the emulator still lacks.
"""

from __future__ import annotations

# Engine-default entries (AWS DescribeDBParameters shape) of the PostgreSQL parameters the rds
# role sets; AWS serves them (and several hundred more) for every postgres family.
POSTGRES_DEFAULTS = {
    "rds.force_ssl": {"DataType": "boolean", "AllowedValues": "0,1", "ParameterValue": "1", "ApplyType": "dynamic"},
    "ssl_min_protocol_version": {"DataType": "string", "AllowedValues": "TLSv1,TLSv1.1,TLSv1.2,TLSv1.3",
                                 "ApplyType": "dynamic"},
    "log_min_duration_statement": {"DataType": "integer", "AllowedValues": "-1-2147483647", "ApplyType": "dynamic"},
}


def _engine_defaults(family: str | None) -> dict[str, dict]:
    if not (family or "").startswith("postgres"):
        return {}
    return {
        name: dict(entry, ParameterName=name, Source="engine-default", IsModifiable=True, ApplyMethod="pending-reboot")
        for name, entry in POSTGRES_DEFAULTS.items()
    }


def _rds() -> None:
    from moto.core.responses import ActionResult
    from moto.rds.exceptions import DBParameterGroupNotFoundError
    from moto.rds.models import RDSBackend
    from moto.rds.responses import RDSResponse

    original_describe = RDSBackend.describe_db_parameter_groups

    def describe_db_parameter_groups(self, kwargs):
        groups = original_describe(self, kwargs)
        name = kwargs.get("db_parameter_group_name")
        if name and not groups:
            raise DBParameterGroupNotFoundError(name)
        return groups

    def describe_db_parameters(self):
        name = self.params.get("DBParameterGroupName")
        group = self.backend.describe_db_parameter_groups({"db_parameter_group_name": name})[0]
        parameters = _engine_defaults(group.family)
        for key, value in group.parameters.items():
            parameters[key] = dict(parameters.get(key, {"ParameterName": key}), **value, Source="user")
        return ActionResult({"Parameters": list(parameters.values())})

    RDSBackend.describe_db_parameter_groups = describe_db_parameter_groups
    _gp3_baseline()
    RDSResponse.describe_db_parameters = describe_db_parameters


def _gp3_baseline() -> None:
    from moto.rds.models import DBInstance

    original_init = DBInstance.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        if self.storage_type == "gp3":
            large = int(self.allocated_storage or 0) >= 400
            self.iops = self.iops or (12000 if large else 3000)
            self._storage_throughput = self._storage_throughput or (500 if large else 125)
        # ModifyDBInstance sets these attribute names from its request (moto's update()).
        # moto 5.2.5 server sometimes builds the instance without the enhanced-monitoring settings of
        # the request (seen after other services' calls in the same server); AWS always stores them.
        if "monitoring_interval" not in self.__dict__:
            self.monitoring_interval = int(kwargs.get("monitoring_interval") or 0)
            self.monitoring_role_arn = kwargs.get("monitoring_role_arn")
        self.enable_performance_insights = bool(kwargs.get("enable_performance_insights"))
        self.performance_insights_kms_key_id = kwargs.get("performance_insights_kms_key_id")
        self.performance_insights_retention_period = kwargs.get("performance_insights_retention_period")
        if self.enable_performance_insights:
            self.performance_insights_retention_period = self.performance_insights_retention_period or 7

    DBInstance.__init__ = __init__
    DBInstance.performance_insights_enabled = property(lambda self: self.enable_performance_insights)


def _elasticache() -> None:
    from moto.core.responses import EmptyResult
    from moto.elasticache.exceptions import CacheSubnetGroupNotFound, ElastiCacheException
    from moto.elasticache.models import ElastiCacheBackend, ReplicationGroup
    from moto.elasticache.responses import ElastiCacheResponse

    class CacheSubnetGroupInUse(ElastiCacheException):
        code = "CacheSubnetGroupInUse"

    original_init = ReplicationGroup.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        for node_group in self.node_groups:
            if "reader_endpoint_address" in node_group:
                node_group["reader_endpoint"] = {"address": node_group["reader_endpoint_address"], "port": self.port}

    ReplicationGroup.__init__ = __init__
    original_delete = ElastiCacheBackend.delete_replication_group

    def delete_replication_group(self, replication_group_id, retain_primary_cluster):
        group = original_delete(self, replication_group_id, retain_primary_cluster)
        self.replication_groups.pop(replication_group_id, None)
        return group

    def delete_cache_subnet_group(self, name):
        if name not in self.cache_subnet_groups:
            raise CacheSubnetGroupNotFound(name)
        if any(g.cache_subnet_group_name == name for g in self.replication_groups.values()):
            raise CacheSubnetGroupInUse(f"Cache subnet group {name} is currently in use by a cache cluster.")
        del self.cache_subnet_groups[name]

    def delete_cache_subnet_group_response(self):
        self.elasticache_backend.delete_cache_subnet_group(self._get_param("CacheSubnetGroupName"))
        return EmptyResult()

    ElastiCacheBackend.delete_replication_group = delete_replication_group
    ElastiCacheBackend.delete_cache_subnet_group = delete_cache_subnet_group
    ElastiCacheResponse.delete_cache_subnet_group = delete_cache_subnet_group_response


def apply() -> None:
    _rds()
    _elasticache()
