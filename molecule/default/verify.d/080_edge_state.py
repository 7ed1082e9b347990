"""Read the edge of an environment back from AWS: ECR, the ECS cluster, the ALB or the WAF.

Read-only (Describe*/Get*/List* calls only). Usage: 080_edge_state.py PREFIX ecr|ecs_cluster|alb|waf.
Prints one JSON document with the normalised state of that part, for the molecule verify tasks.
"""

import json
import os
import sys

import boto3


def client(service):
    return boto3.client(service, endpoint_url=os.environ["CLOUDPLATFORM_AWS_ENDPOINT_URL"],
                        region_name=os.environ.get("AWS_REGION", "us-east-1"))


def ecr(prefix):
    api = client("ecr")
    repos = api.describe_repositories()["repositories"]
    out = {}
    for repo in repos:
        if not repo["repositoryName"].startswith(prefix + "/"):
            continue
        policy = json.loads(api.get_lifecycle_policy(repositoryName=repo["repositoryName"])["lifecyclePolicyText"])
        out[repo["repositoryName"]] = {
            "scan_on_push": repo["imageScanningConfiguration"]["scanOnPush"],
            "encryption": repo["encryptionConfiguration"]["encryptionType"],
            "kms_key": repo["encryptionConfiguration"].get("kmsKey", ""),
            "mutability": repo["imageTagMutability"],
            "rules": sorted((r["selection"]["tagStatus"], r["selection"]["countType"], r["selection"]["countNumber"],
                             r["action"]["type"]) for r in policy["rules"]),
            "uri": repo["repositoryUri"],
            "tags": {t["Key"]: t["Value"] for t in api.list_tags_for_resource(resourceArn=repo["repositoryArn"])["tags"]},
        }
    return out


def ecs_cluster(prefix):
    found = client("ecs").describe_clusters(clusters=[prefix + "-ecs-cluster"], include=["SETTINGS", "TAGS"])["clusters"]
    if not found:
        return {}
    cluster = found[0]
    return {
        "status": cluster["status"],
        "settings": {s["name"]: s["value"] for s in cluster.get("settings", [])},
        "capacity_providers": sorted(cluster.get("capacityProviders", [])),
        "default_strategy": [s["capacityProvider"] for s in cluster.get("defaultCapacityProviderStrategy", [])],
        "tags": {t["key"]: t["value"] for t in cluster.get("tags", [])},
    }


def listener_view(api, listener, tg_names):
    rules = api.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"]
    routes = {}
    for rule in rules:
        if rule["IsDefault"]:
            continue
        for condition in rule["Conditions"]:
            for path in condition.get("PathPatternConfig", {}).get("Values") or condition.get("Values", []):
                routes[path] = [tg_names.get(a.get("TargetGroupArn")) for a in rule["Actions"]]
    return {
        "protocol": listener["Protocol"],
        "ssl_policy": listener.get("SslPolicy"),
        "certificates": [c["CertificateArn"] for c in listener.get("Certificates", [])],
        "default_actions": [{k: a.get(k) for k in ("Type", "RedirectConfig", "FixedResponseConfig") if a.get(k)}
                            for a in listener["DefaultActions"]],
        "routes": routes,
        "priorities": sorted(int(r["Priority"]) for r in rules if not r["IsDefault"]),
    }


def target_groups(api, prefix):
    out = {}
    for group in api.describe_target_groups()["TargetGroups"]:
        if not group["TargetGroupName"].startswith(prefix + "-tg-"):
            continue
        attributes = {a["Key"]: a["Value"] for a in api.describe_target_group_attributes(
            TargetGroupArn=group["TargetGroupArn"])["Attributes"]}
        out[group["TargetGroupName"]] = {
            "type": group["TargetType"], "port": group["Port"], "protocol": group["Protocol"],
            "path": group["HealthCheckPath"], "matcher": group["Matcher"]["HttpCode"],
            "healthy": group["HealthyThresholdCount"], "unhealthy": group["UnhealthyThresholdCount"],
            "deregistration_delay": attributes.get("deregistration_delay.timeout_seconds"),
        }
    return out


def log_bucket(name):
    s3 = client("s3")
    encryption = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"]
    policy = json.loads(s3.get_bucket_policy(Bucket=name)["Policy"])
    lifecycle = s3.get_bucket_lifecycle_configuration(Bucket=name)["Rules"]
    return {
        "sse": [r["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] for r in encryption],
        "public_access_block": s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"],
        "denies_insecure_transport": any(
            s["Effect"] == "Deny" and s.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport") == "false"
            for s in policy["Statement"]),
        "log_delivery_principals": [s["Principal"] for s in policy["Statement"] if s["Effect"] == "Allow"],
        "expiration_days": [r.get("Expiration", {}).get("Days") for r in lifecycle if r["Status"] == "Enabled"],
    }


def alb(prefix):
    api = client("elbv2")
    balancer = api.describe_load_balancers(Names=[prefix + "-alb"])["LoadBalancers"][0]
    attributes = {a["Key"]: a["Value"] for a in api.describe_load_balancer_attributes(
        LoadBalancerArn=balancer["LoadBalancerArn"])["Attributes"]}
    groups = target_groups(api, prefix)
    tg_names = {g["TargetGroupArn"]: g["TargetGroupName"] for g in api.describe_target_groups()["TargetGroups"]}
    listeners = api.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]
    ec2 = client("ec2")
    subnets = ec2.describe_subnets(SubnetIds=[z["SubnetId"] for z in balancer["AvailabilityZones"]])["Subnets"]
    sgs = ec2.describe_security_groups(GroupIds=balancer["SecurityGroups"])["SecurityGroups"]
    certificates = {}
    for listener in listeners:
        for cert in listener.get("Certificates", []):
            certificates[cert["CertificateArn"]] = client("acm").describe_certificate(
                CertificateArn=cert["CertificateArn"])["Certificate"]["Status"]
    return {
        "scheme": balancer["Scheme"], "type": balancer["Type"],
        "subnet_cidrs": sorted(s["CidrBlock"] for s in subnets),
        "security_groups": sorted(g["GroupName"] for g in sgs),
        "attributes": attributes,
        "listeners": {str(lst["Port"]): listener_view(api, lst, tg_names) for lst in listeners},
        "target_groups": groups,
        "certificate_status": certificates,
        "log_bucket": log_bucket(attributes["access_logs.s3.bucket"]) if attributes.get("access_logs.s3.bucket") else {},
    }


def waf(prefix):
    balancer = client("elbv2").describe_load_balancers(Names=[prefix + "-alb"])["LoadBalancers"][0]
    wafv2 = client("wafv2")
    acl = wafv2.get_web_acl_for_resource(ResourceArn=balancer["LoadBalancerArn"]).get("WebACL")
    if not acl:
        return {}
    logging = wafv2.get_logging_configuration(ResourceArn=acl["ARN"])["LoggingConfiguration"]
    groups = client("logs").describe_log_groups(logGroupNamePrefix="aws-waf-logs-" + prefix)["logGroups"]
    rules = {}
    for rule in acl["Rules"]:
        statement = rule["Statement"]
        rules[rule["Name"]] = {
            "priority": rule["Priority"],
            "managed": statement.get("ManagedRuleGroupStatement", {}).get("Name"),
            "rate_limit": statement.get("RateBasedStatement", {}).get("Limit"),
            "aggregate": statement.get("RateBasedStatement", {}).get("AggregateKeyType"),
            "metrics": rule["VisibilityConfig"]["CloudWatchMetricsEnabled"],
        }
    return {
        "name": acl["Name"], "default_action": list(acl["DefaultAction"]), "rules": rules,
        "metrics": acl["VisibilityConfig"]["CloudWatchMetricsEnabled"],
        "log_destinations": logging["LogDestinationConfigs"],
        "redacted": logging.get("RedactedFields", []),
        "log_groups": {g["logGroupName"]: {"arn": g["arn"], "retention": g.get("retentionInDays")} for g in groups},
    }


if __name__ == "__main__":
    print(json.dumps({"ecr": ecr, "ecs_cluster": ecs_cluster, "alb": alb, "waf": waf}[sys.argv[2]](sys.argv[1]), default=str))
