"""Check the environment's secrets read back from Secrets Manager; print only facts about them, never values.

    040_secrets_check.py PREFIX KMS_ALIAS

Prints JSON {name: {exists, kms_key_matches, json_object, keys, checks: {rule: bool}}}.
"""

import json
import os
import string
import sys

import boto3

ALNUM = set(string.ascii_letters + string.digits)
RULES = {
    "database/credentials": {
        "keys": {"username", "password", "engine", "port", "dbname"},
        "checks": {"password_length_32": lambda v: len(v["password"]) == 32,
                   "password_rds_charset": lambda v: not set(v["password"]) & set('/@" ') and v["password"].isprintable(),
                   "engine_postgres": lambda v: v["engine"] == "postgres"}},
    "redis/auth-token": {
        "keys": {"token"},
        "checks": {"token_length_16_128": lambda v: 16 <= len(v["token"]) <= 128,
                   "token_elasticache_charset": lambda v: set(v["token"]) <= ALNUM}},
    "app/jwt-secret": {"keys": {"secret"}, "checks": {"secret_length_64": lambda v: len(v["secret"]) == 64}},
    "app/external-api-keys": {"keys": set(), "checks": {}},
    "monitoring/slack-webhook": {"keys": set(), "checks": {}},
}


def main(prefix, kms_alias):
    endpoint = os.environ.get("CLOUDPLATFORM_AWS_ENDPOINT_URL")
    sm = boto3.client("secretsmanager", endpoint_url=endpoint, region_name=os.environ.get("AWS_REGION", "us-east-1"))
    kms = boto3.client("kms", endpoint_url=endpoint, region_name=os.environ.get("AWS_REGION", "us-east-1"))
    key_arn = kms.describe_key(KeyId=kms_alias)["KeyMetadata"]["Arn"]
    report = {}
    for path, rule in RULES.items():
        name = "%s/%s" % (prefix, path)
        described = sm.describe_secret(SecretId=name)
        value = json.loads(sm.get_secret_value(SecretId=name)["SecretString"])
        report[name] = {
            "kms_key_matches": described.get("KmsKeyId") in (key_arn, key_arn.split("/")[-1]),
            "json_object": isinstance(value, dict),
            "has_keys": rule["keys"] <= set(value),
            "tags": {t["Key"]: t["Value"] for t in described.get("Tags", [])},
            "checks": {check: bool(test(value)) for check, test in rule["checks"].items()},
        }
    print(json.dumps(report, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
