"""List what an environment left behind after a teardown (read-only); exit 1 when anything is left.

    teardown_leftovers.py PROJECT ENVIRONMENT

Asks the Resource Groups Tagging API for every resource tagged Project=PROJECT and
Environment=ENVIRONMENT, then each service's own describe calls for the resources of the
environment by tag or by the {project}-{environment} name prefix (some resource types are not in
the tagging API, and a resource that lost its tags must not hide). Prints a JSON object of
leftovers by kind. Calls only Describe*/List*/Get* APIs.

Each tagged resource is classified by reading it back:
- "gone": deleted, though the API still returns it for a while (a NAT gateway in state deleted, an
  INACTIVE ECS cluster, service or task definition revision);
- "in_recovery_window": the KMS key (pending deletion) with its alias, and the secrets (scheduled
  for deletion): AWS deletes them when the window ends (decisions: 30 days) and until then they
  cannot be used; a converge within the window restores them;
- "retained": the final snapshot of the database, kept on purpose (rds_final_snapshot, on wherever
  deletion protection is on);
- anything else is a leftover, and so is any resource the per-service describes find.
"""

from __future__ import annotations

import json
import os
import sys

import boto3


def client(service: str):
    return boto3.client(service, endpoint_url=os.environ.get("CLOUDPLATFORM_AWS_ENDPOINT_URL") or None,
                        region_name=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1")


def pages(service: str, operation: str, key: str, **kwargs) -> list:
    paginator = client(service).get_paginator(operation)
    return [item for page in paginator.paginate(**kwargs) for item in page.get(key, [])]


def status(arn: str) -> str:
    """gone, in_recovery_window, retained or live (see the module docstring)."""
    service, resource = arn.split(":")[2], arn.split(":", 5)[5]
    if service == "kms" and resource.startswith("key/"):
        state = client("kms").describe_key(KeyId=arn)["KeyMetadata"]["KeyState"]
        return "in_recovery_window" if state == "PendingDeletion" else "live"
    if service == "secretsmanager":
        return "in_recovery_window" if "DeletedDate" in client("secretsmanager").describe_secret(SecretId=arn) else "live"
    if service == "ec2" and resource.startswith("natgateway/"):
        gateways = client("ec2").describe_nat_gateways(NatGatewayIds=[resource.split("/", 1)[1]])["NatGateways"]
        return "gone" if all(n["State"] in ("deleted", "deleting") for n in gateways) else "live"
    if service == "rds" and resource.startswith("snapshot:") and "-final-" in resource:
        return "retained"
    if service == "ecs":
        ecs = client("ecs")
        if resource.startswith("cluster/"):
            found = ecs.describe_clusters(clusters=[arn])["clusters"]
        elif resource.startswith("service/"):
            found = ecs.describe_services(cluster=resource.split("/")[1], services=[arn])["services"]
        elif resource.startswith("task-definition/"):
            found = [ecs.describe_task_definition(taskDefinition=arn)["taskDefinition"]]
        else:
            return "live"
        return "gone" if all(item["status"] in ("INACTIVE", "DELETE_IN_PROGRESS") for item in found) else "live"
    return "live"


def tagged(project: str, env: str) -> list[str]:
    return [m["ResourceARN"] for m in pages(
        "resourcegroupstaggingapi", "get_resources", "ResourceTagMappingList",
        TagFilters=[{"Key": "Project", "Values": [project]}, {"Key": "Environment", "Values": [env]}])]


def report(project: str, env: str) -> dict:
    """{"leftovers": {kind: [...]}} plus the tagged ARNs that are not live, by status."""
    result = {}
    for arn in tagged(project, env):
        result.setdefault(status(arn), []).append(arn)
    live = result.pop("live", [])
    return {**result, "leftovers": leftovers(project, env, live)}


def leftovers(project: str, env: str, live_tagged: list[str]) -> dict:
    prefix = f"{project}-{env}"
    tag_filters = [{"Name": "tag:Project", "Values": [project]}, {"Name": "tag:Environment", "Values": [env]}]
    ecs_clusters = [a for a in pages("ecs", "list_clusters", "clusterArns") if f"/{prefix}" in a]
    found = {
        "tagged": live_tagged,
        "vpcs": [v["VpcId"] for v in pages("ec2", "describe_vpcs", "Vpcs", Filters=tag_filters)],
        "subnets": [s["SubnetId"] for s in pages("ec2", "describe_subnets", "Subnets", Filters=tag_filters)],
        "nat_gateways": [n["NatGatewayId"] for n in pages("ec2", "describe_nat_gateways", "NatGateways", Filter=tag_filters)
                         if n["State"] not in ("deleted", "deleting")],
        "elastic_ips": [a["AllocationId"] for a in client("ec2").describe_addresses(Filters=tag_filters)["Addresses"]],
        "security_groups": [g["GroupId"] for g in pages("ec2", "describe_security_groups", "SecurityGroups", Filters=tag_filters)],
        "db_instances": [i["DBInstanceIdentifier"] for i in pages("rds", "describe_db_instances", "DBInstances")
                         if i["DBInstanceIdentifier"].startswith(prefix)],
        "replication_groups": [g["ReplicationGroupId"] for g in pages("elasticache", "describe_replication_groups", "ReplicationGroups")
                               if g["ReplicationGroupId"].startswith(prefix)],
        "ecs_clusters": [c["clusterArn"] for c in (client("ecs").describe_clusters(clusters=ecs_clusters)["clusters"]
                                                   if ecs_clusters else []) if c["status"] != "INACTIVE"],
        "load_balancers": [lb["LoadBalancerName"] for lb in pages("elbv2", "describe_load_balancers", "LoadBalancers")
                           if lb["LoadBalancerName"].startswith(prefix)],
        "target_groups": [tg["TargetGroupName"] for tg in pages("elbv2", "describe_target_groups", "TargetGroups")
                          if tg["TargetGroupName"].startswith(prefix)],
        "iam_roles": [r["RoleName"] for r in pages("iam", "list_roles", "Roles") if r["RoleName"].startswith(prefix)],
        "secrets": [s["Name"] for s in pages("secretsmanager", "list_secrets", "SecretList")
                    if s["Name"].startswith(f"/{env}/")],
        "log_groups": [g["logGroupName"] for g in pages("logs", "describe_log_groups", "logGroups")
                       if prefix in g["logGroupName"]],
        "ecr_repositories": [r["repositoryName"] for r in pages("ecr", "describe_repositories", "repositories")
                             if r["repositoryName"].startswith(prefix)],
        "lambda_functions": [f["FunctionName"] for f in pages("lambda", "list_functions", "Functions")
                             if f["FunctionName"].startswith(prefix)],
        "sns_topics": [t["TopicArn"] for t in pages("sns", "list_topics", "Topics") if f":{prefix}" in t["TopicArn"]],
        "alarms": [a["AlarmName"] for a in pages("cloudwatch", "describe_alarms", "MetricAlarms", AlarmNamePrefix=prefix)],
        "kms_aliases": [a["AliasName"] for a in pages("kms", "list_aliases", "Aliases")
                        if a["AliasName"] == f"alias/{prefix}" and a.get("TargetKeyId")
                        and client("kms").describe_key(KeyId=a["TargetKeyId"])["KeyMetadata"]["KeyState"] != "PendingDeletion"],
    }
    return {kind: items for kind, items in found.items() if items}


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    found = report(argv[1], argv[2])
    print(json.dumps(found, indent=2, sort_keys=True))
    return 1 if found["leftovers"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
