"""List what an environment left behind after a teardown (read-only); exit 1 when anything is left.

    teardown_leftovers.py PROJECT ENVIRONMENT

Asks the Resource Groups Tagging API for every resource tagged Project=PROJECT and
Environment=ENVIRONMENT, then each service's own describe calls for the resources of the
environment by tag or by the {project}-{environment} name prefix (some resource types are not in
the tagging API, and a resource that lost its tags must not hide). Prints a JSON object of
leftovers by kind. Calls only Describe*/List*/Get* APIs.
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


def leftovers(project: str, env: str) -> dict:
    prefix = f"{project}-{env}"
    tag_filters = [{"Name": "tag:Project", "Values": [project]}, {"Name": "tag:Environment", "Values": [env]}]
    found = {
        "tagged": [m["ResourceARN"] for m in pages(
            "resourcegroupstaggingapi", "get_resources", "ResourceTagMappingList",
            TagFilters=[{"Key": "Project", "Values": [project]}, {"Key": "Environment", "Values": [env]}])],
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
        "ecs_clusters": [a for a in pages("ecs", "list_clusters", "clusterArns") if f"/{prefix}" in a
                         and client("ecs").describe_clusters(clusters=[a])["clusters"][0]["status"] != "INACTIVE"],
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
                             if r["repositoryName"].startswith(f"{prefix}/") or r["repositoryName"].startswith(prefix)],
        "lambda_functions": [f["FunctionName"] for f in pages("lambda", "list_functions", "Functions")
                             if f["FunctionName"].startswith(prefix)],
        "sns_topics": [t["TopicArn"] for t in pages("sns", "list_topics", "Topics") if f":{prefix}" in t["TopicArn"]],
        "alarms": [a["AlarmName"] for a in pages("cloudwatch", "describe_alarms", "MetricAlarms", AlarmNamePrefix=prefix)],
        "kms_aliases": [a["AliasName"] for a in pages("kms", "list_aliases", "Aliases")
                        if a["AliasName"] == f"alias/{prefix}"],
    }
    return {kind: items for kind, items in found.items() if items}


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    left = leftovers(argv[1], argv[2])
    print(json.dumps(left, indent=2, sort_keys=True))
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
