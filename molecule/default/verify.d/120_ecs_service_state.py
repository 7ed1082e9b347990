"""Read-only: print the ECS services, task definitions and scaling of the local environment as JSON."""

from __future__ import annotations

import json
import os
import sys

import boto3

PREFIX = "cloudplatform-local"
CLUSTER = f"{PREFIX}-ecs-cluster"
SERVICES = ("ingest", "api", "worker")


def main() -> int:
    kwargs = {"region_name": "us-east-1", "endpoint_url": os.environ["CLOUDPLATFORM_AWS_ENDPOINT_URL"]}
    ecs = boto3.client("ecs", **kwargs)
    aas = boto3.client("application-autoscaling", **kwargs)
    found = ecs.describe_services(cluster=CLUSTER, services=[f"{PREFIX}-{s}" for s in SERVICES])["services"]
    state = {}
    for service in found:
        name = service["serviceName"][len(PREFIX) + 1:]
        task = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]
        resource = f"service/{CLUSTER}/{service['serviceName']}"
        targets = aas.describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=[resource])["ScalableTargets"]
        policies = aas.describe_scaling_policies(ServiceNamespace="ecs", ResourceId=resource)["ScalingPolicies"]
        state[name] = {
            "status": service["status"],
            "desired_count": service["desiredCount"],
            "capacity_providers": [s["capacityProvider"] for s in service.get("capacityProviderStrategy", [])],
            "load_balancers": len(service.get("loadBalancers", [])),
            "grace": service.get("healthCheckGracePeriodSeconds"),
            "deployment": service.get("deploymentConfiguration", {}),
            "exec": service.get("enableExecuteCommand", False),
            "public_ip": service["networkConfiguration"]["awsvpcConfiguration"].get("assignPublicIp"),
            "cpu": task["cpu"],
            "memory": task["memory"],
            "read_only_root": task["containerDefinitions"][0].get("readonlyRootFilesystem", False),
            "log_group": task["containerDefinitions"][0]["logConfiguration"]["options"]["awslogs-group"],
            "min": targets[0]["MinCapacity"] if targets else None,
            "max": targets[0]["MaxCapacity"] if targets else None,
            "target_tracking": sorted(
                [p["TargetTrackingScalingPolicyConfiguration"]["PredefinedMetricSpecification"]["PredefinedMetricType"],
                 p["TargetTrackingScalingPolicyConfiguration"]["TargetValue"]]
                for p in policies if p["PolicyType"] == "TargetTrackingScaling"),
        }
    json.dump(state, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
