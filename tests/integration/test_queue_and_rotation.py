"""Queue-depth autoscaling and secret rotation (issue 7), against the emulator.

- The publisher (the Lambda handler, run directly: the emulator cannot invoke Lambdas) reads a
  real TLS Redis server with a password and makes CloudWatch return 1500 for QueueDepth.
- site.yml's queue_depth and secret_rotation roles converge on the prod-shaped local inventory
  against upstream resources this module creates itself (the facts other roles publish are
  passed in): the worker's scaling policies and alarms read back with the thresholds and bounds
  of the issue, the publisher Lambda, its role, SG and schedule exist, and a second converge makes
  no write call.
- playbooks/rotate_secrets.yml rotates the database password, the Redis AUTH token and the JWT
  secret: AWSCURRENT changes, the old value is AWSPREVIOUS, the RDS and ElastiCache calls that
  apply the new values are made; a second run with nothing due makes no write call.
"""

from __future__ import annotations

import datetime
import importlib.util
import json
import secrets as pysecrets
from pathlib import Path

import pytest
from redis_tls import start_redis

ROOT = Path(__file__).resolve().parents[2]
PUBLISHER = ROOT / "roles/queue_depth/files/queue_depth_publisher/index.py"
ENV = "local"
PREFIX = f"cloudplatform-{ENV}"
QUEUE = "logs:default:clean"


def load_publisher():
    spec = importlib.util.spec_from_file_location("queue_depth_publisher", PUBLISHER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    server = start_redis(tmp_path_factory.mktemp("redis"), pysecrets.token_urlsafe(24))
    yield server
    server.stop()


def test_publisher_reports_1500_items_of_a_real_tls_redis(redis_server, aws, monkeypatch):
    publisher = load_publisher()
    with publisher.RedisConnection(redis_server.host, redis_server.port, True, str(redis_server.ca_file)) as conn:
        conn.command("AUTH", redis_server.password)
        conn.command("DEL", QUEUE)
        for start in range(0, 1500, 500):
            conn.command("RPUSH", QUEUE, *[f"log-{i}" for i in range(start, start + 500)])
        assert conn.command("LLEN", QUEUE) == 1500
        with pytest.raises(publisher.RedisError):
            conn.command("XPENDING", QUEUE, "nogroup")

    secret = aws("secretsmanager").create_secret(Name="/pubtest/redis/auth-token",
                                                 SecretString=json.dumps({"token": redis_server.password}))
    ecs = aws("ecs")
    ecs.create_cluster(clusterName="pubtest")
    ecs.register_task_definition(family="pubtest-worker", containerDefinitions=[{"name": "w", "image": "w", "memory": 128}])
    ecs.create_service(cluster="pubtest", serviceName="pubtest-worker", taskDefinition="pubtest-worker", desiredCount=2)

    for key, value in {
        "QUEUES": json.dumps([{"service": "worker", "ecs_service": "pubtest-worker", "queue": QUEUE, "type": "list"}]),
        "ENVIRONMENT": "pubtest", "ECS_CLUSTER": "pubtest", "REDIS_HOST": redis_server.host,
        "REDIS_PORT": str(redis_server.port), "REDIS_TLS": "true", "REDIS_CA_FILE": str(redis_server.ca_file),
        "REDIS_SECRET_ID": secret["ARN"], "REDIS_SECRET_KEY": "token", "METRIC_NAMESPACE": "Cloudplatform/Queues",
    }.items():
        monkeypatch.setenv(key, value)
    result = publisher.handler({}, None)
    assert result[QUEUE]["depth"] == 1500

    now = datetime.datetime.now(datetime.UTC)
    dimensions = [{"Name": "Environment", "Value": "pubtest"}, {"Name": "Service", "Value": "worker"}, {"Name": "Queue", "Value": QUEUE}]
    answer = aws("cloudwatch").get_metric_data(
        MetricDataQueries=[
            {"Id": name.lower(), "MetricStat": {"Metric": {"Namespace": "Cloudplatform/Queues", "MetricName": name, "Dimensions": dimensions},
                                                "Period": 60, "Stat": "Maximum"}}
            for name in ("QueueDepth", "BacklogPerTask")
        ],
        StartTime=now - datetime.timedelta(minutes=10), EndTime=now + datetime.timedelta(minutes=1),
    )
    values = {r["Id"]: r["Values"] for r in answer["MetricDataResults"]}
    assert values["queuedepth"] == [1500.0]
    # Two running tasks (the emulator reports MOTO_ECS_SERVICE_RUNNING for every service).
    running = ecs.describe_services(cluster="pubtest", services=["pubtest-worker"])["services"][0]["runningCount"]
    assert values["backlogpertask"] == [1500.0 / running]


# --- The roles, converged against upstream resources created here -------------------------------

TEST_ENV = "qdtest"
TEST_PREFIX = f"cloudplatform-{TEST_ENV}"
SERVICES = ("ingest", "api", "worker")


def create_upstream(aws) -> dict:
    """What kms, vpc, security_groups, secrets, rds, elasticache and ecs_* publish, made directly."""
    ec2 = aws("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.77.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.77.{11 + i}.0/24", AvailabilityZone=f"us-east-1{az}")["Subnet"]["SubnetId"]
               for i, az in enumerate("abc")]
    redis_sg = ec2.create_security_group(GroupName=f"{TEST_PREFIX}-sg-redis", Description="redis", VpcId=vpc)["GroupId"]
    key_arn = aws("kms").create_key(Description="qdtest")["KeyMetadata"]["Arn"]
    sm = aws("secretsmanager")
    values = {
        "database_credentials": {"username": "platform", "password": "initial-db-password-0001", "host": "db", "port": 5432},
        "redis_auth_token": {"token": "initial-redis-token-00000001"},
        "jwt_secret": {"secret": "initial-jwt-secret-000000001"},
    }
    paths = {"database_credentials": "database/credentials", "redis_auth_token": "redis/auth-token", "jwt_secret": "app/jwt-secret"}
    secret_arns = {name: sm.create_secret(Name=f"/{TEST_ENV}/{paths[name]}", KmsKeyId=key_arn, SecretString=json.dumps(value))["ARN"]
                   for name, value in values.items()}
    aws("rds").create_db_instance(DBInstanceIdentifier=f"{TEST_PREFIX}-rds-postgres", Engine="postgres", DBInstanceClass="db.t3.micro",
                                  MasterUsername="platform", MasterUserPassword=values["database_credentials"]["password"], AllocatedStorage=20)
    group = aws("elasticache").create_replication_group(
        ReplicationGroupId=f"{TEST_PREFIX}-redis", ReplicationGroupDescription="qdtest", Engine="redis", CacheNodeType="cache.t3.micro",
        NumCacheClusters=1, TransitEncryptionEnabled=True, AuthToken=values["redis_auth_token"]["token"])["ReplicationGroup"]
    ecs = aws("ecs")
    cluster = ecs.create_cluster(clusterName=f"{TEST_PREFIX}-ecs-cluster")["cluster"]
    ecs.register_task_definition(family=f"{TEST_PREFIX}-app", containerDefinitions=[{"name": "app", "image": "app", "memory": 128}])
    services = {}
    for name in SERVICES:
        svc = ecs.create_service(cluster=cluster["clusterName"], serviceName=f"{TEST_PREFIX}-{name}", taskDefinition=f"{TEST_PREFIX}-app",
                                 desiredCount=2)["service"]
        services[name] = {"name": svc["serviceName"], "arn": svc["serviceArn"]}
    return {
        "cloudplatform_environment": TEST_ENV,
        "kms_key_arn": key_arn,
        "vpc_id": vpc,
        "vpc_subnet_ids": {"public": [], "app": subnets, "data": []},
        "security_groups_ids": {"redis": redis_sg},
        "secrets_arns": secret_arns,
        "rds_database": {"identifier": f"{TEST_PREFIX}-rds-postgres"},
        "elasticache_redis": {"id": group["ReplicationGroupId"], "primary_endpoint": "redis.qdtest.internal", "port": 6379},
        "ecs_cluster_resource": {"name": cluster["clusterName"], "arn": cluster["clusterArn"]},
        "ecs_service_resources": services,
    }


@pytest.fixture(scope="module")
def converged(aws, run_playbook):
    facts = create_upstream(aws)
    first = run_playbook("site.yml", "inventories/local", facts, ["--tags", "queue_depth,secret_rotation"])
    assert first.rc == 0, first.output[-4000:]
    second = run_playbook("site.yml", "inventories/local", facts, ["--tags", "queue_depth,secret_rotation"])
    return facts, first, second


def alarm_by_name(aws, name):
    alarms = aws("cloudwatch").describe_alarms(AlarmNames=[name])["MetricAlarms"]
    assert len(alarms) == 1, name
    return alarms[0]


def test_worker_scales_on_its_queue_with_the_issue_thresholds(converged, aws):
    facts, _first, _second = converged
    resource = f"service/{facts['ecs_cluster_resource']['name']}/{TEST_PREFIX}-worker"
    aas = aws("application-autoscaling")
    targets = aas.describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=[resource])["ScalableTargets"]
    assert [(t["MinCapacity"], t["MaxCapacity"]) for t in targets] == [(2, 20)]
    policies = {p["PolicyName"]: p for p in aas.describe_scaling_policies(ServiceNamespace="ecs", ResourceId=resource)["ScalingPolicies"]}
    out_policy, in_policy = policies[f"{TEST_PREFIX}-worker-queue-out"], policies[f"{TEST_PREFIX}-worker-queue-in"]
    assert out_policy["StepScalingPolicyConfiguration"]["StepAdjustments"][0]["ScalingAdjustment"] > 0
    assert in_policy["StepScalingPolicyConfiguration"]["StepAdjustments"][0]["ScalingAdjustment"] < 0

    out_alarm = alarm_by_name(aws, f"{TEST_PREFIX}-worker-queue-out")
    in_alarm = alarm_by_name(aws, f"{TEST_PREFIX}-worker-queue-in")
    assert (out_alarm["Threshold"], out_alarm["ComparisonOperator"]) == (1000.0, "GreaterThanThreshold")
    assert (in_alarm["Threshold"], in_alarm["ComparisonOperator"]) == (100.0, "LessThanThreshold")
    assert out_alarm["AlarmActions"] == [out_policy["PolicyARN"]]
    assert in_alarm["AlarmActions"] == [in_policy["PolicyARN"]]
    for alarm in (out_alarm, in_alarm):
        assert (alarm["Namespace"], alarm["MetricName"]) == ("Cloudplatform/Queues", "QueueDepth")
        assert {d["Name"]: d["Value"] for d in alarm["Dimensions"]} == {"Environment": TEST_ENV, "Service": "worker", "Queue": QUEUE}
        assert alarm["TreatMissingData"] == "notBreaching"
    # Only the worker has a queue: the APIs keep their CPU/memory scaling only.
    api = aas.describe_scaling_policies(ServiceNamespace="ecs", ResourceId=resource.replace("-worker", "-api"))["ScalingPolicies"]
    assert not [p for p in api if "queue" in p["PolicyName"]]


def test_publisher_function_role_group_and_schedule(converged, aws):
    facts, _first, _second = converged
    function = aws("lambda").get_function(FunctionName=f"{TEST_PREFIX}-lambda-queue-depth")["Configuration"]
    assert function["Runtime"].startswith("python3.")
    assert sorted(function["VpcConfig"]["SubnetIds"]) == sorted(facts["vpc_subnet_ids"]["app"])
    env = function["Environment"]["Variables"]
    assert json.loads(env["QUEUES"]) == [{"service": "worker", "ecs_service": f"{TEST_PREFIX}-worker", "queue": QUEUE, "type": "list", "group": ""}]
    assert env["REDIS_SECRET_ID"] == facts["secrets_arns"]["redis_auth_token"]

    ec2 = aws("ec2")
    group = ec2.describe_security_groups(GroupIds=function["VpcConfig"]["SecurityGroupIds"])["SecurityGroups"][0]
    assert group["IpPermissions"] == []
    egress = {(r["FromPort"], tuple(g["GroupId"] for g in r.get("UserIdGroupPairs", [])), tuple(c["CidrIp"] for c in r.get("IpRanges", [])))
              for r in group["IpPermissionsEgress"]}
    assert egress == {(6379, (facts["security_groups_ids"]["redis"],), ()), (443, (), ("0.0.0.0/0",))}

    iam = aws("iam")
    role_name = function["Role"].rsplit("/", 1)[-1]
    policy = iam.get_role_policy(RoleName=role_name, PolicyName="queue-depth-publisher")["PolicyDocument"]
    statements = {s["Sid"]: s for s in policy["Statement"]}
    assert statements["PublishQueueMetrics"]["Condition"] == {"StringEquals": {"cloudwatch:namespace": "Cloudplatform/Queues"}}
    assert statements["ReadRedisAuthToken"]["Resource"] == facts["secrets_arns"]["redis_auth_token"]
    assert statements["CountRunningConsumers"]["Resource"] == [facts["ecs_service_resources"]["worker"]["arn"]]
    assert statements["DecryptTheTokenThroughSecretsManager"]["Resource"] == facts["kms_key_arn"]

    events = aws("events")
    rule = events.describe_rule(Name=f"{TEST_PREFIX}-rule-queue-depth")
    assert rule["ScheduleExpression"] == "rate(1 minute)"
    unqualified = ":".join(function["FunctionArn"].split(":")[:7])
    assert [t["Arn"] for t in events.list_targets_by_rule(Rule=rule["Name"])["Targets"]] == [unqualified]
    permission = json.loads(aws("lambda").get_policy(FunctionName=function["FunctionName"])["Policy"])["Statement"]
    assert [(s["Principal"], s["Condition"]["ArnLike"]["AWS:SourceArn"]) for s in permission] == [({"Service": "events.amazonaws.com"}, rule["Arn"])]


def test_rotation_schedules_of_the_prod_shape(converged, aws):
    facts, _first, _second = converged
    sm = aws("secretsmanager")
    arns = facts["secrets_arns"]
    database, jwt, redis = (sm.describe_secret(SecretId=arns[name]) for name in ("database_credentials", "jwt_secret", "redis_auth_token"))
    rotator = aws("lambda").get_function(FunctionName=f"{TEST_PREFIX}-lambda-secret-rotator")["Configuration"]["FunctionArn"]
    rotator = ":".join(rotator.split(":")[:7])
    assert (database["RotationEnabled"], database["RotationLambdaARN"], database["RotationRules"]["AutomaticallyAfterDays"]) == (True, rotator, 30)
    assert (jwt["RotationEnabled"], jwt["RotationLambdaARN"], jwt["RotationRules"]["AutomaticallyAfterDays"]) == (True, rotator, 90)
    assert not redis.get("RotationEnabled")


def test_second_converge_makes_no_write_call(converged):
    _facts, _first, second = converged
    assert second.rc == 0, second.output[-4000:]
    assert "changed=0" in second.output
    assert second.write_summary() == []


# --- playbooks/rotate_secrets.yml ------------------------------------------------------------------

def versions_by_stage(sm, arn) -> dict:
    stages = {}
    for version in sm.list_secret_version_ids(SecretId=arn)["Versions"]:
        for stage in version.get("VersionStages", []):
            stages[stage] = version["VersionId"]
    return stages


@pytest.fixture(scope="module")
def rotated(converged, aws, run_playbook):
    facts = converged[0]
    sm = aws("secretsmanager")
    before = {name: sm.get_secret_value(SecretId=arn) for name, arn in facts["secrets_arns"].items()}
    first = run_playbook("playbooks/rotate_secrets.yml", "inventories/local", {**facts, "secret_rotation_force": True})
    assert first.rc == 0, first.output[-4000:]
    second = run_playbook("playbooks/rotate_secrets.yml", "inventories/local", facts)
    return facts, before, first, second


@pytest.mark.parametrize(("name", "key"), [("database_credentials", "password"), ("redis_auth_token", "token"), ("jwt_secret", "secret")])
def test_rotation_promotes_a_new_value_and_keeps_the_old_as_previous(rotated, aws, name, key):
    facts, before, _first, _second = rotated
    sm = aws("secretsmanager")
    arn = facts["secrets_arns"][name]
    current = sm.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")
    previous = sm.get_secret_value(SecretId=arn, VersionStage="AWSPREVIOUS")
    old, new = json.loads(before[name]["SecretString"]), json.loads(current["SecretString"])
    assert new[key] != old[key]
    assert len(new[key]) == 40
    assert {k: v for k, v in new.items() if k != key} == {k: v for k, v in old.items() if k != key}
    assert previous["VersionId"] == before[name]["VersionId"]
    assert json.loads(previous["SecretString"]) == old
    # Nothing half-done is left: no pending value, no helper label.
    assert set(versions_by_stage(sm, arn)) == {"AWSCURRENT", "AWSPREVIOUS"}


def test_rotation_applies_the_values_and_redeploys_the_consumers(rotated):
    _facts, _before, first, _second = rotated
    writes = [(c["service"], c["action"]) for c in first.writes]
    # The database password is set on the instance once; the Redis token is added (ROTATE) and,
    # after the consumers run with it, made the only one (SET). The emulator accepts both calls
    # without checking the token (docs/emulator.md); the Stubber tests check their parameters.
    assert writes.count(("rds", "ModifyDBInstance")) == 1
    assert writes.count(("elasticache", "ModifyReplicationGroup")) == 2
    # Every service reads the three secrets (the ecs_service default): three redeployments each.
    assert writes.count(("ecs", "UpdateService")) == 3 * len(SERVICES)
    for value in ("initial-db-password-0001", "initial-redis-token-00000001", "initial-jwt-secret-000000001"):
        assert value not in first.output


def test_second_rotation_run_with_nothing_due_makes_no_write_call(rotated):
    _facts, _before, _first, second = rotated
    assert second.rc == 0, second.output[-4000:]
    assert second.write_summary() == []
    assert "not due" in second.output
