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
