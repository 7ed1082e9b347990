# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Secrets Manager, RDS, ElastiCache and ECS wrappers for secret rotation.

Used by secretsmanager_rotation and secretsmanager_rotation_set (the rotation schedule of one
secret, or of a list of secrets in one call: both converge each secret with the functions of the
"Rotation schedule" section) and secretsmanager_rotate_value (an operator-driven rotation that
stages, applies, verifies and promotes a new value). Every boto3 call is retried with jittered
backoff; errors surface as AnsibleAWSError. Secret values pass through these functions but are never logged or returned
in an error message (botocore error messages do not echo request parameters).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
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


# Rotation schedule of one secret. `spec` holds the secret's options (secret_id, state,
# rotation_lambda_arn, automatically_after_days, schedule_expression, duration,
# rotate_immediately): the single module's params, or one element of the set module's list.


def rotation_options():
    """The argument spec of one secret's rotation: the single module's options, the set module's suboptions."""
    return dict(
        secret_id=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        rotation_lambda_arn=dict(type="str"),
        automatically_after_days=dict(type="int"),
        schedule_expression=dict(type="str"),
        duration=dict(type="str"),
        rotate_immediately=dict(type="bool", default=False),
    )


RULE_OPTIONS = (("automatically_after_days", "AutomaticallyAfterDays"), ("schedule_expression", "ScheduleExpression"), ("duration", "Duration"))


def rotation_option_errors(spec, where=None):
    """The problems of one secret's options; `where` (e.g. "secrets[2]") prefixes option names."""
    option = (where + ".") if where else ""
    errors = []
    if spec["state"] == "present" and spec["automatically_after_days"] is None and spec["schedule_expression"] is None:
        errors.append("%s: set automatically_after_days (1-1000) or schedule_expression (rate() or cron()) with state=present"
                      % (where or "secretsmanager_rotation"))
    days = spec["automatically_after_days"]
    if days is not None and not 1 <= days <= 1000:
        errors.append("%sautomatically_after_days: %s is out of range; expected 1-1000" % (option, days))
    return errors


def rotation_view(secret):
    secret = secret or {}
    view = {
        "RotationEnabled": bool(secret.get("RotationEnabled")),
        "RotationLambdaARN": secret.get("RotationLambdaARN"),
        "RotationRules": secret.get("RotationRules") or {},
    }
    if secret.get("NextRotationDate"):
        view["NextRotationDate"] = str(secret["NextRotationDate"])
    return view


def desired_rules(spec):
    return {api: spec[opt] for opt, api in RULE_OPTIONS if spec[opt] is not None}


def update_rotation(module, client, spec, secret):
    """Turn rotation on, or change its function or schedule; False when all match."""
    current = rotation_view(secret)
    rules = desired_rules(spec)
    matches = (
        current["RotationEnabled"]
        and current["RotationLambdaARN"] == spec["rotation_lambda_arn"]
        and all(current["RotationRules"].get(k) == v for k, v in rules.items())
    )
    if matches:
        return False
    if module.check_mode:
        return True
    rotate_secret(client, spec["secret_id"], RotationLambdaARN=spec["rotation_lambda_arn"], RotationRules=rules,
                  RotateImmediately=spec["rotate_immediately"])
    return True


def cancel_rotation(module, client, spec, secret):
    if not rotation_view(secret)["RotationEnabled"]:
        return False
    if module.check_mode:
        return True
    cancel_rotate_secret(client, spec["secret_id"])
    return True


def planned_view(spec, before):
    if spec["state"] == "absent":
        return dict(before, RotationEnabled=False)
    return dict(before, RotationEnabled=True, RotationLambdaARN=spec["rotation_lambda_arn"],
                RotationRules=dict(before["RotationRules"], **desired_rules(spec)))


def missing_secret(module, spec, where=None):
    """No secret: nothing to cancel; in check mode it may be created by an earlier task. Returns changed."""
    if spec["state"] == "absent":
        return False
    option = (where + ".") if where else ""
    if module.check_mode:
        module.warn("%ssecret_id: %s does not exist yet; its rotation would be configured once it is created" % (option, spec["secret_id"]))
        return True
    module.fail_json(msg="%ssecret_id: %s does not exist; expected the name or ARN of an existing secret" % (option, spec["secret_id"]))
    return False


def converge_rotation(module, client, spec, secret):
    """Converge the rotation of an existing secret: changed, the secret's ARN, and its snake_cased rotation before and after."""
    before = rotation_view(secret)
    if spec["state"] == "present":
        changed = update_rotation(module, client, spec, secret)
    else:
        changed = cancel_rotation(module, client, spec, secret)
    if changed and not module.check_mode:
        secret = describe_secret(client, spec["secret_id"])
    after = planned_view(spec, before) if changed and module.check_mode else rotation_view(secret)
    return changed, secret["ARN"], camel_dict_to_snake_dict(before), camel_dict_to_snake_dict(after)


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
