# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Secrets Manager wrappers, value generation and the convergence of one generated secret.

Shared by secretsmanager_generated_secret (one secret) and secretsmanager_generated_secret_set (a
list of secrets in one call): both converge each secret with ensure_present / ensure_absent below,
which take the secret's options as a dict (the module's params, or one element of its list).

Every boto3 call is retried with jittered backoff and surfaces errors as SecretsManagerError.
Secret values pass through these functions but are never logged or returned, and botocore error
messages do not echo request parameters.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import secrets
import string
import uuid

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list, boto3_tag_list_to_ansible_dict

from ansible_collections.cloudplatform.aws.plugins.module_utils.tag_sync import sync_tags


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


GENERATE_DEFAULTS = dict(length=32, exclude_characters="", exclude_punctuation=False, exclude_numbers=False,
                         exclude_uppercase=False, exclude_lowercase=False, require_each_included_type=True)


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


def usable_classes(spec):
    """The non-empty character classes of the rules; ValueError when the rules cannot be met."""
    classes = [chars for chars in character_set(spec).values() if chars]
    if not classes:
        raise ValueError("every character class is excluded")
    length = spec.get("length") or 32
    if spec.get("require_each_included_type", True) and length < len(classes):
        raise ValueError("length %d is shorter than the %d required character classes" % (length, len(classes)))
    return classes


def generate_value(spec):
    """A random value from the operating system's CSPRNG, with one character of each class when required."""
    classes = usable_classes(spec)
    alphabet = "".join(classes)
    length = spec.get("length") or 32
    require_each = spec.get("require_each_included_type", True)
    rng = secrets.SystemRandom()
    while True:
        value = "".join(rng.choices(alphabet, k=length))
        if not require_each or all(any(c in chars for c in value) for chars in classes):
            return value


def secret_options():
    """The argument spec of one secret: the single module's options, the set module's suboptions."""
    return dict(
        # Static values can be secrets (a webhook URL): Ansible masks them wherever they occur in the output.
        values=dict(type="dict", default={}, no_log=True),
        # Stored like values but not secret (a username, the engine, a port, a host): not masked, so a
        # project name or a port number does not mask every ARN, tag and name of the result that contains it.
        plain_values=dict(type="dict", default={}, no_log=False),
        # A key reference and generation rules are not secrets; no_log=False silences Ansible's guess from the names.
        kms_key_id=dict(type="str", no_log=False),
        generate=dict(type="dict", default={}, no_log=False),
        name=dict(type="str", required=True),
        description=dict(type="str"),
        recovery_window_days=dict(type="int", default=30),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )


# Checks of one secret's options. `label` prefixes option names in messages: "" for the single
# module, "secrets[2]." for an element of the set module's list.


def normalise_generate(module, generate, defaults=None, label=""):
    """The generation rules of each generated key with the defaults filled in; fails on rules that cannot be met."""
    defaults = defaults or GENERATE_DEFAULTS
    rules = {}
    for key, spec in (generate or {}).items():
        spec = spec or {}
        if not isinstance(spec, dict):
            module.fail_json(msg="%sgenerate.%s must be a dict of generation rules, got %r" % (label, key, spec))
        unknown = sorted(set(spec) - set(defaults))
        if unknown:
            module.fail_json(msg="%sgenerate.%s has unknown rules %s; accepted: %s" % (label, key, ", ".join(unknown), ", ".join(sorted(defaults))))
        rules[key] = dict(defaults, **spec)
        try:
            usable_classes(rules[key])
        except ValueError as e:
            module.fail_json(msg="%sgenerate.%s: %s; allow more characters or a greater length" % (label, key, e))
    return rules


def validate_secret(module, spec, label=""):
    sources = (("generate", spec["generate"]), ("values", spec["values"]), ("plain_values", spec["plain_values"]))
    for index, (first, first_keys) in enumerate(sources):
        for second, second_keys in sources[index + 1:]:
            overlap = sorted(set(first_keys) & set(second_keys))
            if overlap:
                module.fail_json(msg="%s%s and %s%s both name the keys %s; a key is either generated once, or set from values "
                                     "or plain_values" % (label, first, label, second, ", ".join(overlap)))
    window = spec["recovery_window_days"]
    if window != 0 and not 7 <= window <= 30:
        module.fail_json(msg="%srecovery_window_days: %s is not accepted; use 7-30, or 0 to delete without recovery" % (label, window))


# Convergence of one secret. `spec` holds the options of the secret (name, description, kms_key_id,
# generate, values, tags, purge_tags, recovery_window_days); each function returns the result the
# single module exits with. Values are written, never returned: results carry key names only.


def current_version(secret):
    for version_id, stages in (secret.get("VersionIdsToStages") or {}).items():
        if "AWSCURRENT" in stages:
            return version_id
    return None


def secret_view(secret, keys):
    if secret is None:
        return {}
    return {
        "arn": secret.get("ARN"),
        "name": secret.get("Name"),
        "description": secret.get("Description"),
        "kms_key_id": secret.get("KmsKeyId"),
        "version_id": current_version(secret),
        "keys": sorted(keys),
        "tags": boto3_tag_list_to_ansible_dict(secret.get("Tags") or []),
    }


def key_id_of(key):
    """The comparable part of a key reference: the id of a key ARN, the alias of an alias ARN."""
    if not key:
        return key
    if key.startswith("arn:"):
        return key.split(":", 5)[5].replace("key/", "", 1)
    return key


def desired_value(spec, current):
    """The JSON object to store and the names of the keys that change; existing generated keys are never touched."""
    values = dict(spec["plain_values"], **spec["values"])
    generated = {key: generate_value(rules) for key, rules in spec["generate"].items() if key not in current}
    changed_keys = sorted(k for k, v in values.items() if current.get(k) != v) + sorted(generated)
    desired = dict(current)
    desired.update(values)
    desired.update(generated)
    return desired, changed_keys


def read_value(module, client, secret):
    raw = get_secret_string(client, secret["ARN"])
    try:
        value = json.loads(raw) if raw else {}
    except ValueError:
        value = None
    if not isinstance(value, dict):
        module.fail_json(msg="Secret %s holds a value that is not a JSON object; this module manages JSON secrets only. "
                             "Fix or delete the value (it is not shown here)." % secret["Name"])
    return value


def update_value(module, client, spec, secret, result):
    # The only read of the value: without values or generate there is nothing to compare.
    if not spec["values"] and not spec["plain_values"] and not spec["generate"]:
        return False
    current = read_value(module, client, secret)
    desired, changed_keys = desired_value(spec, current)
    result["keys_before"] = sorted(current)
    result["keys"] = sorted(desired)
    if not changed_keys:
        return False
    result["changed_keys"] = changed_keys
    if module.check_mode:
        return True
    put_secret_string(client, secret["ARN"], json.dumps(desired, sort_keys=True), str(uuid.uuid4()))
    return True


def update_description(module, client, spec, secret):
    description = spec["description"]
    if description is None or description == secret.get("Description", ""):
        return False
    if not module.check_mode:
        update_secret(client, secret["ARN"], Description=description)
    return True


def update_kms_key(module, client, spec, secret):
    kms_key_id = spec["kms_key_id"]
    if kms_key_id is None or key_id_of(kms_key_id) == key_id_of(secret.get("KmsKeyId")):
        return False
    if not module.check_mode:
        update_secret(client, secret["ARN"], KmsKeyId=kms_key_id)
    return True


def update_tags(module, client, spec, secret):
    if spec["tags"] is None:
        return False
    return sync_tags(module, boto3_tag_list_to_ansible_dict(secret.get("Tags") or []), lambda keys: untag_secret(client, secret["ARN"], keys),
                     lambda tags: tag_secret(client, secret["ARN"], tags), wanted=spec["tags"], purge=spec["purge_tags"])


def create(module, client, spec):
    desired, _changed = desired_value(spec, {})
    planned = {"arn": None, "name": spec["name"], "description": spec["description"], "kms_key_id": spec["kms_key_id"],
               "version_id": None, "keys": sorted(desired), "tags": spec["tags"] or {}}
    if module.check_mode:
        return dict(changed=True, secret=planned, diff=dict(before={}, after=planned))
    optional = dict(Description=spec["description"], KmsKeyId=spec["kms_key_id"] or None,
                    Tags=ansible_dict_to_boto3_tag_list(spec["tags"]) if spec["tags"] else None)
    create_secret(client, Name=spec["name"], SecretString=json.dumps(desired, sort_keys=True), ClientRequestToken=str(uuid.uuid4()),
                  **{key: value for key, value in optional.items() if value is not None})
    after = secret_view(describe_secret(client, spec["name"]), desired)
    return dict(changed=True, secret=after, diff=dict(before={}, after=after))


def planned_after(spec, after, value_result):
    planned = dict(after)
    for option in ("description", "kms_key_id"):
        if spec[option] is not None:
            planned[option] = spec[option]
    if spec["tags"] is not None:
        tags = {} if spec["purge_tags"] else dict(after["tags"])
        tags.update(spec["tags"])
        planned["tags"] = tags
    planned["keys"] = value_result.get("keys", after["keys"])
    return planned


def update(module, client, spec, secret, restored=False):
    """Converge an existing secret; `secret` is its DescribeSecret answer."""
    value_result = {}
    before = secret_view(secret, [])
    changed = restored
    changed |= update_description(module, client, spec, secret)
    changed |= update_kms_key(module, client, spec, secret)
    changed |= update_tags(module, client, spec, secret)
    changed |= update_value(module, client, spec, secret, value_result)
    if changed and not module.check_mode:
        secret = describe_secret(client, secret["ARN"])
    after = secret_view(secret, value_result.get("keys", []))
    if module.check_mode and changed:
        after = planned_after(spec, after, value_result)
    before["keys"] = value_result.get("keys_before", [])
    changed_keys = value_result.get("changed_keys", [])
    return dict(changed=changed, secret=after, changed_keys=changed_keys, diff=dict(before=before, after=dict(after, changed_keys=changed_keys)))


def ensure_present(module, client, spec, secret):
    """Create, restore (a secret scheduled for deletion) or update the secret."""
    if secret is None:
        return create(module, client, spec)
    if not secret.get("DeletedDate"):
        return update(module, client, spec, secret)
    if module.check_mode:
        return dict(changed=True, secret=secret_view(secret, []), msg="The secret would be restored")
    restore_secret(client, secret["ARN"])
    return update(module, client, spec, describe_secret(client, secret["ARN"]), restored=True)


def ensure_absent(module, client, spec, secret):
    if secret is None or secret.get("DeletedDate"):
        return dict(changed=False)
    before = secret_view(secret, [])
    if not module.check_mode:
        delete_secret(client, secret["ARN"], spec["recovery_window_days"])
    return dict(changed=True, diff=dict(before=before, after={}))
