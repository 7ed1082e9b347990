"""Read the data tier of an environment back from AWS and print it as JSON (read-only).

    060_data_tier_state.py PREFIX

Output: {"kms_key_arn", "rds": {instance, parameters, security_groups} | null,
"redis": {group, tags, security_groups} | null} where PREFIX is {project}-{env}. Calls only
Describe*/List* APIs.
"""

import json
import os
import sys

import boto3
from botocore.exceptions import ClientError


def client(service):
    return boto3.client(service, endpoint_url=os.environ["CLOUDPLATFORM_AWS_ENDPOINT_URL"],
                        region_name=os.environ.get("AWS_REGION", "us-east-1"))


def sg_names(ids):
    if not ids:
        return []
    groups = client("ec2").describe_security_groups(GroupIds=ids)["SecurityGroups"]
    return sorted(g["GroupName"] for g in groups)


def rds_state(prefix):
    rds = client("rds")
    try:
        instance = rds.describe_db_instances(DBInstanceIdentifier=prefix + "-rds-postgres")["DBInstances"][0]
    except ClientError:
        return None
    parameters = {}
    for group in instance.get("DBParameterGroups", []):
        pages = rds.get_paginator("describe_db_parameters").paginate(DBParameterGroupName=group["DBParameterGroupName"])
        for page in pages:
            parameters.update({p["ParameterName"]: p.get("ParameterValue") for p in page["Parameters"]})
    return {
        "instance": instance,
        "parameters": parameters,
        "security_groups": sg_names([g["VpcSecurityGroupId"] for g in instance.get("VpcSecurityGroups", [])]),
    }


def redis_state(prefix):
    elasticache = client("elasticache")
    try:
        group = elasticache.describe_replication_groups(ReplicationGroupId=prefix + "-redis")["ReplicationGroups"][0]
    except ClientError:
        return None
    tags = elasticache.list_tags_for_resource(ResourceName=group["ARN"])["TagList"]
    return {"group": group, "tags": {t["Key"]: t["Value"] for t in tags}}


def main(prefix):
    kms = client("kms")
    try:
        key_arn = kms.describe_key(KeyId="alias/" + prefix)["KeyMetadata"]["Arn"]
    except ClientError:
        key_arn = None
    print(json.dumps({"kms_key_arn": key_arn, "rds": rds_state(prefix), "redis": redis_state(prefix)}, default=str))


if __name__ == "__main__":
    main(sys.argv[1])
