# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Secrets Manager, RDS, ElastiCache and ECS wrappers for secret rotation.

Used by secretsmanager_rotation (the rotation schedule of a secret) and
secretsmanager_rotate_value (an operator-driven rotation that stages, applies, verifies and
promotes a new value). Every boto3 call is retried with jittered backoff; errors surface as
AnsibleAWSError. Secret values pass through these functions but are never logged or returned
in an error message (botocore error messages do not echo request parameters).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


class SecretRotationError(AnsibleAWSError):
    pass


class RotationErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = SecretRotationError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["ResourceNotFoundException", "DBInstanceNotFound", "ReplicationGroupNotFoundFault"])


# Secrets Manager


@RotationErrorHandler.list_error_handler("describe secret", None)
@AWSRetry.jittered_backoff()
def describe_secret(client, secret_id):
    return client.describe_secret(SecretId=secret_id)


@RotationErrorHandler.common_error_handler("configure secret rotation")
@AWSRetry.jittered_backoff()
def rotate_secret(client, secret_id, **params):
    return client.rotate_secret(SecretId=secret_id, **params)


@RotationErrorHandler.common_error_handler("cancel secret rotation")
@AWSRetry.jittered_backoff()
def cancel_rotate_secret(client, secret_id):
    return client.cancel_rotate_secret(SecretId=secret_id)


@RotationErrorHandler.common_error_handler("list secret versions")
@AWSRetry.jittered_backoff()
def list_secret_versions(client, secret_id):
    # botocore has no paginator for this call; follow NextToken by hand.
    versions, params = [], dict(SecretId=secret_id)
    while True:
        page = client.list_secret_version_ids(**params)
        versions += page.get("Versions", [])
        if not page.get("NextToken"):
            return versions
        params["NextToken"] = page["NextToken"]


@RotationErrorHandler.common_error_handler("get secret value")
@AWSRetry.jittered_backoff()
def get_secret_value(client, secret_id, version_id=None, stage=None):
    params = dict(SecretId=secret_id)
    if version_id:
        params["VersionId"] = version_id
    if stage:
        params["VersionStage"] = stage
    return client.get_secret_value(**params)


@RotationErrorHandler.common_error_handler("stage a new secret version")
@AWSRetry.jittered_backoff()
def put_secret_value(client, secret_id, token, value, stages):
    # The client request token makes a retried call land on the same version.
    return client.put_secret_value(SecretId=secret_id, ClientRequestToken=token, SecretString=value, VersionStages=stages)


@RotationErrorHandler.common_error_handler("move a secret staging label")
@AWSRetry.jittered_backoff()
def update_secret_version_stage(client, secret_id, stage, move_to=None, remove_from=None):
    params = dict(SecretId=secret_id, VersionStage=stage)
    if move_to:
        params["MoveToVersionId"] = move_to
    if remove_from:
        params["RemoveFromVersionId"] = remove_from
    return client.update_secret_version_stage(**params)


# RDS


@RotationErrorHandler.list_error_handler("describe db instance", None)
@AWSRetry.jittered_backoff()
def describe_db_instance(client, identifier):
    instances = client.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"]
    return instances[0] if instances else None


@RotationErrorHandler.common_error_handler("set the db master password")
@AWSRetry.jittered_backoff()
def set_db_master_password(client, identifier, password):
    return client.modify_db_instance(DBInstanceIdentifier=identifier, MasterUserPassword=password, ApplyImmediately=True)


# ElastiCache


@RotationErrorHandler.list_error_handler("describe replication group", None)
@AWSRetry.jittered_backoff()
def describe_replication_group(client, group_id):
    groups = client.describe_replication_groups(ReplicationGroupId=group_id)["ReplicationGroups"]
    return groups[0] if groups else None


@RotationErrorHandler.common_error_handler("update the replication group auth token")
@AWSRetry.jittered_backoff()
def update_auth_token(client, group_id, token, strategy):
    return client.modify_replication_group(
        ReplicationGroupId=group_id, AuthToken=token, AuthTokenUpdateStrategy=strategy, ApplyImmediately=True
    )


# ECS


@RotationErrorHandler.common_error_handler("describe ecs services")
@AWSRetry.jittered_backoff()
def describe_services(client, cluster, services):
    found = []
    for start in range(0, len(services), 10):
        found += client.describe_services(cluster=cluster, services=services[start:start + 10])["services"]
    return found


@RotationErrorHandler.common_error_handler("force a new ecs deployment")
@AWSRetry.jittered_backoff()
def force_new_deployment(client, cluster, service):
    return client.update_service(cluster=cluster, service=service, forceNewDeployment=True)["service"]
