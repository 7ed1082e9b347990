"""Read-only: print the rotation settings of the local environment's secrets as JSON (never a value)."""

from __future__ import annotations

import json
import os
import sys

import boto3

PREFIX = "cloudplatform-local"
SECRETS = {"database_credentials": "/local/database/credentials", "redis_auth_token": "/local/redis/auth-token", "jwt_secret": "/local/app/jwt-secret"}


def main() -> int:
    kwargs = {"region_name": "us-east-1", "endpoint_url": os.environ["CLOUDPLATFORM_AWS_ENDPOINT_URL"]}
    sm, awslambda = boto3.client("secretsmanager", **kwargs), boto3.client("lambda", **kwargs)
    function = awslambda.get_function(FunctionName=f"{PREFIX}-lambda-secret-rotator")["Configuration"]
    state = {"rotator": ":".join(function["FunctionArn"].split(":")[:7]), "rotator_vpc": function.get("VpcConfig", {}).get("SubnetIds", [])}
    for name, secret_id in SECRETS.items():
        described = sm.describe_secret(SecretId=secret_id)
        state[name] = {"enabled": bool(described.get("RotationEnabled")), "lambda": described.get("RotationLambdaARN"),
                       "days": (described.get("RotationRules") or {}).get("AutomaticallyAfterDays")}
    permission = json.loads(awslambda.get_policy(FunctionName=function["FunctionName"])["Policy"])["Statement"]
    state["invokers"] = [s["Principal"]["Service"] for s in permission]
    json.dump(state, sys.stdout, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
