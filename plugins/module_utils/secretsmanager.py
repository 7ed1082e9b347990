# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Secrets Manager wrappers and value generation for secretsmanager_generated_secret.

Every boto3 call is retried with jittered backoff and surfaces errors as SecretsManagerError.
Secret values pass through these functions but are never logged, and botocore error messages do
not echo request parameters.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import secrets
import string

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


class SecretsManagerError(AnsibleAWSError):
    pass


class SecretsManagerErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = SecretsManagerError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFoundException")


@SecretsManagerErrorHandler.list_error_handler("describe secret", None)
@AWSRetry.jittered_backoff()
def describe_secret(client, secret_id):
    return client.describe_secret(SecretId=secret_id)


@SecretsManagerErrorHandler.common_error_handler("read the secret value")
@AWSRetry.jittered_backoff()
def get_secret_string(client, secret_id):
    return client.get_secret_value(SecretId=secret_id).get("SecretString")


@SecretsManagerErrorHandler.common_error_handler("create secret")
@AWSRetry.jittered_backoff()
def create_secret(client, **params):
    return client.create_secret(**params)


@SecretsManagerErrorHandler.common_error_handler("write the secret value")
@AWSRetry.jittered_backoff()
def put_secret_string(client, secret_id, secret_string, token):
    return client.put_secret_value(SecretId=secret_id, SecretString=secret_string, ClientRequestToken=token)


@SecretsManagerErrorHandler.common_error_handler("update secret")
@AWSRetry.jittered_backoff()
def update_secret(client, secret_id, **params):
    return client.update_secret(SecretId=secret_id, **params)


@SecretsManagerErrorHandler.common_error_handler("restore secret")
@AWSRetry.jittered_backoff()
def restore_secret(client, secret_id):
    return client.restore_secret(SecretId=secret_id)


@SecretsManagerErrorHandler.deletion_error_handler("delete secret")
@AWSRetry.jittered_backoff()
def delete_secret(client, secret_id, recovery_window_days):
    if recovery_window_days:
        client.delete_secret(SecretId=secret_id, RecoveryWindowInDays=recovery_window_days)
    else:
        client.delete_secret(SecretId=secret_id, ForceDeleteWithoutRecovery=True)
    return True


@SecretsManagerErrorHandler.common_error_handler("tag secret")
@AWSRetry.jittered_backoff()
def tag_secret(client, secret_id, tags):
    client.tag_resource(SecretId=secret_id, Tags=[{"Key": k, "Value": v} for k, v in tags.items()])


@SecretsManagerErrorHandler.common_error_handler("untag secret")
@AWSRetry.jittered_backoff()
def untag_secret(client, secret_id, keys):
    client.untag_resource(SecretId=secret_id, TagKeys=list(keys))


def character_set(spec):
    """The characters a generated value may contain: printable ASCII without space, minus exclusions."""
    classes = {
        "lowercase": "" if spec.get("exclude_lowercase") else string.ascii_lowercase,
        "uppercase": "" if spec.get("exclude_uppercase") else string.ascii_uppercase,
        "numbers": "" if spec.get("exclude_numbers") else string.digits,
        "punctuation": "" if spec.get("exclude_punctuation") else string.punctuation,
    }
    excluded = set(spec.get("exclude_characters") or "")
    return {name: "".join(c for c in chars if c not in excluded) for name, chars in classes.items()}


def generate_value(spec):
    """A random value from the operating system's CSPRNG, with one character of each class when required."""
    classes = [chars for chars in character_set(spec).values() if chars]
    if not classes:
        raise ValueError("every character class is excluded")
    alphabet = "".join(classes)
    length = spec.get("length") or 32
    require_each = spec.get("require_each_included_type", True)
    if require_each and length < len(classes):
        raise ValueError("length %d is shorter than the %d required character classes" % (length, len(classes)))
    rng = secrets.SystemRandom()
    while True:
        value = "".join(rng.choices(alphabet, k=length))
        if not require_each or all(any(c in chars for c in value) for chars in classes):
            return value
