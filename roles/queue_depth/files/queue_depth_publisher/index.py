"""Publish the depth of Redis queues to CloudWatch (Lambda handler).

Runs every minute from an EventBridge rule. For each configured queue it reads the depth from
Redis over TLS (LLEN for lists; XLEN and the XPENDING count for streams), the running task count
of the service that consumes it (ecs:DescribeServices), and publishes QueueDepth and
BacklogPerTask with the dimensions Environment, Service and Queue.

Only the standard library and boto3 (both in the Lambda Python runtime) are used: the few Redis
commands needed are spoken over an ssl-wrapped socket, so the package carries no dependency.
The AUTH token is read from Secrets Manager at each cold start and never logged.

Configuration (environment variables):
  QUEUES            JSON list of {"service", "ecs_service", "queue", "type" (list|stream), "group"}
  ENVIRONMENT       value of the Environment dimension
  ECS_CLUSTER       cluster of the consuming services
  REDIS_HOST, REDIS_PORT
  REDIS_TLS         "true" (default) or "false"
  REDIS_CA_FILE     optional CA bundle; the system store is used otherwise
  REDIS_SECRET_ID   secret that holds the AUTH token; REDIS_SECRET_KEY its JSON key (token)
  METRIC_NAMESPACE  CloudWatch namespace (Cloudplatform/Queues)
"""

import json
import logging
import os
import socket
import ssl
from datetime import UTC, datetime

import boto3

LOG = logging.getLogger()
LOG.setLevel(logging.INFO)

_TOKEN_CACHE = {}


class RedisError(Exception):
    """An error reply from Redis or a broken connection."""


class RedisConnection:
    """The smallest RESP2 client that can AUTH and read queue lengths."""

    def __init__(self, host, port, use_tls=True, ca_file=None, timeout=5.0):
        raw = socket.create_connection((host, port), timeout=timeout)
        if use_tls:
            context = ssl.create_default_context(cafile=ca_file)
            context.minimum_version = ssl.TLSVersion.TLSv1_2
            raw = context.wrap_socket(raw, server_hostname=host)
        self._sock = raw
        self._reader = raw.makefile("rb")

    def close(self):
        try:
            self._reader.close()
        finally:
            self._sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def command(self, *args):
        payload = [b"*%d\r\n" % len(args)]
        for arg in args:
            data = arg if isinstance(arg, bytes) else str(arg).encode("utf-8")
            payload.append(b"$%d\r\n%s\r\n" % (len(data), data))
        self._sock.sendall(b"".join(payload))
        return self._read_reply()

    def _readline(self):
        line = self._reader.readline()
        if not line.endswith(b"\r\n"):
            raise RedisError("connection closed by the server")
        return line[:-2]

    def _read_reply(self):
        line = self._readline()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode("utf-8")
        if kind == b"-":
            # The server's message never contains the token; keep only its first word (the code).
            raise RedisError(rest.decode("utf-8", "replace").split(" ", 1)[0])
        if kind == b":":
            return int(rest)
        if kind == b"$":
            return self._read_bulk(int(rest))
        if kind == b"*":
            count = int(rest)
            return None if count < 0 else [self._read_reply() for _ in range(count)]
        raise RedisError("unexpected reply type %r" % kind)

    def _read_bulk(self, length):
        if length < 0:
            return None
        data = self._reader.read(length + 2)
        return data[:-2]


def queue_depth(conn, queue):
    """Depth of one queue, plus the pending count for a stream with a consumer group."""
    if queue.get("type", "list") == "stream":
        depth = conn.command("XLEN", queue["queue"])
        pending = None
        if queue.get("group"):
            summary = conn.command("XPENDING", queue["queue"], queue["group"])
            pending = int(summary[0]) if summary else 0
        return depth, pending
    return conn.command("LLEN", queue["queue"]), None


def auth_token(secrets_client, secret_id, key):
    if secret_id not in _TOKEN_CACHE:
        value = secrets_client.get_secret_value(SecretId=secret_id)["SecretString"]
        _TOKEN_CACHE[secret_id] = json.loads(value)[key]
    return _TOKEN_CACHE[secret_id]


def running_counts(ecs_client, cluster, service_names):
    counts = {}
    names = sorted(set(service_names))
    for start in range(0, len(names), 10):
        answer = ecs_client.describe_services(cluster=cluster, services=names[start:start + 10])
        for service in answer["services"]:
            counts[service["serviceName"]] = service.get("runningCount", 0)
    return counts


def build_metrics(environment, queue, depth, pending, running, now):
    dimensions = [
        {"Name": "Environment", "Value": environment},
        {"Name": "Service", "Value": queue["service"]},
        {"Name": "Queue", "Value": queue["queue"]},
    ]
    # With no task running the whole backlog waits for the first one.
    backlog = float(depth) / max(running, 1)
    metrics = [
        {"MetricName": "QueueDepth", "Dimensions": dimensions, "Value": float(depth), "Unit": "Count", "Timestamp": now},
        {"MetricName": "BacklogPerTask", "Dimensions": dimensions, "Value": backlog, "Unit": "Count", "Timestamp": now},
    ]
    if pending is not None:
        metrics.append({"MetricName": "PendingCount", "Dimensions": dimensions, "Value": float(pending), "Unit": "Count", "Timestamp": now})
    return metrics


def settings(env):
    return {
        "queues": json.loads(env["QUEUES"]),
        "environment": env["ENVIRONMENT"],
        "cluster": env["ECS_CLUSTER"],
        "host": env["REDIS_HOST"],
        "port": int(env.get("REDIS_PORT", "6379")),
        "tls": env.get("REDIS_TLS", "true").lower() == "true",
        "ca_file": env.get("REDIS_CA_FILE") or None,
        "secret_id": env["REDIS_SECRET_ID"],
        "secret_key": env.get("REDIS_SECRET_KEY", "token"),
        "namespace": env.get("METRIC_NAMESPACE", "Cloudplatform/Queues"),
    }


def publish(config, session=None):
    session = session or boto3.session.Session()
    token = auth_token(session.client("secretsmanager"), config["secret_id"], config["secret_key"])
    depths = {}
    with RedisConnection(config["host"], config["port"], config["tls"], config["ca_file"]) as conn:
        conn.command("AUTH", token)
        for queue in config["queues"]:
            depths[queue["queue"]] = queue_depth(conn, queue)
    counts = running_counts(session.client("ecs"), config["cluster"], [q["ecs_service"] for q in config["queues"]])
    now = datetime.now(UTC)
    metrics = []
    for queue in config["queues"]:
        depth, pending = depths[queue["queue"]]
        metrics += build_metrics(config["environment"], queue, depth, pending, counts.get(queue["ecs_service"], 0), now)
    cloudwatch = session.client("cloudwatch")
    for start in range(0, len(metrics), 20):
        cloudwatch.put_metric_data(Namespace=config["namespace"], MetricData=metrics[start:start + 20])
    result = {q["queue"]: {"depth": depths[q["queue"]][0], "running": counts.get(q["ecs_service"], 0)} for q in config["queues"]}
    LOG.info("published %s", json.dumps(result, sort_keys=True))
    return result


def handler(event, context):
    return publish(settings(os.environ))
