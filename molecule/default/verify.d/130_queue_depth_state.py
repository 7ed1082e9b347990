"""Read-only: print the queue-depth publisher and the worker's queue scaling of the local environment as JSON."""

from __future__ import annotations

import json
import os
import sys

import boto3

PREFIX = "cloudplatform-local"
CLUSTER = f"{PREFIX}-ecs-cluster"


def main() -> int:
    kwargs = {"region_name": "us-east-1", "endpoint_url": os.environ["CLOUDPLATFORM_AWS_ENDPOINT_URL"]}
    aas, cloudwatch = boto3.client("application-autoscaling", **kwargs), boto3.client("cloudwatch", **kwargs)
    awslambda, events, ec2 = boto3.client("lambda", **kwargs), boto3.client("events", **kwargs), boto3.client("ec2", **kwargs)
    resource = f"service/{CLUSTER}/{PREFIX}-worker"
    function = awslambda.get_function(FunctionName=f"{PREFIX}-lambda-queue-depth")["Configuration"]
    group_ids = function.get("VpcConfig", {}).get("SecurityGroupIds", [])
    rule = events.describe_rule(Name=f"{PREFIX}-rule-queue-depth")
    state = {
        "targets": aas.describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=[resource])["ScalableTargets"],
        "policies": {p["PolicyName"]: p for p in aas.describe_scaling_policies(ServiceNamespace="ecs", ResourceId=resource)["ScalingPolicies"]},
        "alarms": {a["AlarmName"]: a for a in cloudwatch.describe_alarms(AlarmNames=[f"{PREFIX}-worker-queue-out", f"{PREFIX}-worker-queue-in"])["MetricAlarms"]},
        "function": {"runtime": function["Runtime"], "subnets": function.get("VpcConfig", {}).get("SubnetIds", []),
                     "environment": function.get("Environment", {}).get("Variables", {}), "arn": ":".join(function["FunctionArn"].split(":")[:7])},
        "security_groups": ec2.describe_security_groups(GroupIds=group_ids)["SecurityGroups"] if group_ids else [],
        "rule": {"schedule": rule.get("ScheduleExpression"), "targets": [t["Arn"] for t in events.list_targets_by_rule(Rule=rule["Name"])["Targets"]]},
        "app_subnets": [s["SubnetId"] for s in ec2.describe_subnets(Filters=[{"Name": "tag:Name", "Values": [f"{PREFIX}-subnet-app-*"]}])["Subnets"]],
    }
    json.dump(state, sys.stdout, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
