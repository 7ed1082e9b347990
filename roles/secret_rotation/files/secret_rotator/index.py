"""Secrets Manager rotation function for the platform's JSON secrets (Lambda handler).

Implements the four rotation steps Secrets Manager calls (createSecret, setSecret, testSecret,
finishSecret) for secrets whose value is a JSON object with one key to rotate:

- apply_to "rds": the key is the master password of an RDS instance. setSecret sets it with
  ModifyDBInstance (no database connection is needed, so the function runs outside the VPC);
  testSecret waits until the instance is available with no password change pending.
- apply_to "none": a value only the applications read (a JWT signing key). The previous value
  stays readable as AWSPREVIOUS, which is the applications' grace period.

Configuration: the environment variable SECRETS, a JSON object keyed by secret ARN:
{"arn:...": {"key": "password", "apply_to": "rds", "db_instance_identifier": "..."}}.
Uses only the standard library and boto3. Never logs a secret value.
"""

import json
import logging
import os
import secrets
import string

import boto3

LOG = logging.getLogger()
LOG.setLevel(logging.INFO)

VALUE_LENGTH = 40


def secret_settings(arn):
    config = json.loads(os.environ["SECRETS"])
    if arn not in config:
        raise ValueError("secret %s is not configured for this rotation function" % arn)
    return config[arn]


def version_stages(client, arn, token):
    metadata = client.describe_secret(SecretId=arn)
    if not metadata.get("RotationEnabled"):
        raise ValueError("rotation is not enabled for %s" % arn)
    versions = metadata.get("VersionIdsToStages") or {}
    if token not in versions:
        raise ValueError("version %s of %s has no stage" % (token, arn))
    return versions[token]


def read_json(client, arn, **version):
    return json.loads(client.get_secret_value(SecretId=arn, **version)["SecretString"])


def create_secret(client, arn, token, settings):
    try:
        client.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
        return
    except client.exceptions.ResourceNotFoundException:
        pass
    value = read_json(client, arn, VersionStage="AWSCURRENT")
    # Letters and digits only: accepted by RDS passwords and every JWT library.
    value[settings["key"]] = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(VALUE_LENGTH))
    client.put_secret_value(SecretId=arn, ClientRequestToken=token, SecretString=json.dumps(value), VersionStages=["AWSPENDING"])


def set_secret(client, arn, token, settings, session):
    if settings.get("apply_to") != "rds":
        return
    pending = read_json(client, arn, VersionId=token, VersionStage="AWSPENDING")
    session.client("rds").modify_db_instance(
        DBInstanceIdentifier=settings["db_instance_identifier"], MasterUserPassword=pending[settings["key"]], ApplyImmediately=True
    )


def test_secret(client, arn, token, settings, session):
    try:
        pending = read_json(client, arn, VersionId=token, VersionStage="AWSPENDING")
    except client.exceptions.ResourceNotFoundException:
        # Secrets Manager tests a new configuration before any value is staged.
        return
    if settings["key"] not in pending:
        raise ValueError("the pending value of %s has no key %s" % (arn, settings["key"]))
    if settings.get("apply_to") == "rds":
        instance = session.client("rds").describe_db_instances(DBInstanceIdentifier=settings["db_instance_identifier"])["DBInstances"][0]
        pending_changes = instance.get("PendingModifiedValues") or {}
        if instance["DBInstanceStatus"] != "available" or "MasterUserPassword" in pending_changes:
            # Secrets Manager retries the step; the password is not applied yet.
            raise RuntimeError("%s is still applying the new master password" % settings["db_instance_identifier"])


def finish_secret(client, arn, token):
    metadata = client.describe_secret(SecretId=arn)
    current = next((vid for vid, stages in metadata["VersionIdsToStages"].items() if "AWSCURRENT" in stages), None)
    if current == token:
        return
    client.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT", MoveToVersionId=token, RemoveFromVersionId=current)


def handler(event, context):
    arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
    session = boto3.session.Session()
    client = session.client("secretsmanager")
    settings = secret_settings(arn)
    stages = version_stages(client, arn, token)
    if "AWSCURRENT" in stages:
        LOG.info("%s: version %s is already current", arn, token)
        return
    if "AWSPENDING" not in stages and step != "createSecret":
        raise ValueError("version %s of %s is not pending" % (token, arn))
    LOG.info("%s: %s for version %s", arn, step, token)
    if step == "createSecret":
        create_secret(client, arn, token, settings)
    elif step == "setSecret":
        set_secret(client, arn, token, settings, session)
    elif step == "testSecret":
        test_secret(client, arn, token, settings, session)
    elif step == "finishSecret":
        finish_secret(client, arn, token)
    else:
        raise ValueError("unknown rotation step %s" % step)
