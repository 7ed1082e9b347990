#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: secretsmanager_generated_secret
version_added: 0.1.0
short_description: A Secrets Manager secret with a JSON value whose random keys are generated once
description:
  - Creates a Secrets Manager secret whose value is a JSON object. Keys listed in O(generate) get a
    strong random value (the operating system's CSPRNG) when the secret is created, or when the key
    is missing from an existing secret, and are never changed afterwards, so a second run makes no
    write call and never rotates a credential by accident.
  - Keys in O(values) are merged into the JSON object and updated only when they differ; keys the
    module does not manage (set by an operator or a rotation function) are preserved.
  - The secret value never appears in the module's output or diff; only the key names do.
  - A secret scheduled for deletion is restored by O(state=present).
author:
  - Cloudplatform Team (@cloudplatform)
options:
  name:
    description: Name of the secret, for example V(/prod/database/credentials).
    type: str
    required: true
  description:
    description: Description of the secret. Left as it is when not set.
    type: str
  kms_key_id:
    description:
      - ARN, id or alias of the KMS key that encrypts the secret. Left as it is when not set (a new
        secret then uses the AWS managed key C(aws/secretsmanager)).
    type: str
  generate:
    description:
      - Keys of the JSON value generated at random once, each mapped to its generation rules, a
        dict with C(length) (int, default 32), C(exclude_characters) (str), C(exclude_punctuation),
        C(exclude_numbers), C(exclude_uppercase), C(exclude_lowercase) (bool, default false) and
        C(require_each_included_type) (bool, default true, at least one character of every class
        not excluded).
      - Values use printable ASCII without the space.
    type: dict
    default: {}
  values:
    description:
      - Static keys of the JSON value (strings, numbers, booleans). Updated when they differ from
        the stored value. Must not name a key of O(generate).
    type: dict
    default: {}
  recovery_window_days:
    description:
      - With O(state=absent), days the deleted secret can still be restored (7-30). V(0) deletes
        it at once without recovery.
    type: int
    default: 30
  state:
    description: Whether the secret exists.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Changing O(kms_key_id) of an existing secret re-encrypts new versions only; Secrets Manager
    keeps existing versions under the old key.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    description: Reports what would change and makes no write call.
  diff_mode:
    support: full
    description: Shows the description, key, tags and the names of the keys that change, never values.
  platform:
    support: full
    platforms: aws
    description: Runs against the AWS Secrets Manager API (or an endpoint that speaks it).
"""

EXAMPLES = r"""
- name: Create the database credentials once, with a generated password
  cloudplatform.aws.secretsmanager_generated_secret:
    name: /prod/database/credentials
    description: Master credentials of the prod database
    kms_key_id: "{{ kms_key_arn }}"
    generate:
      password:
        length: 32
        exclude_characters: '/@" '
    values:
      username: dbadmin
      engine: postgres
      port: 5432
      dbname: app
    tags:
      Environment: prod

- name: Add the endpoint of the database once it exists (the password is kept)
  cloudplatform.aws.secretsmanager_generated_secret:
    name: /prod/database/credentials
    values:
      host: "{{ rds_address }}"
      port: 5432

- name: Delete a secret with a 7-day recovery window
  cloudplatform.aws.secretsmanager_generated_secret:
    name: /dev/app/jwt-secret
    recovery_window_days: 7
    state: absent
"""

RETURN = r"""
secret:
  description: The secret, without its value.
  returned: when the secret exists (or would be created in check mode)
  type: dict
  contains:
    arn:
      description: ARN of the secret (null in check mode before creation).
      type: str
      sample: arn:aws:secretsmanager:us-east-1:123456789012:secret:/prod/database/credentials-AbCdEf
    name:
      description: Name of the secret.
      type: str
    description:
      description: Description of the secret.
      type: str
    kms_key_id:
      description: The KMS key of the secret as Secrets Manager reports it.
      type: str
    version_id:
      description: Version id of the AWSCURRENT value.
      type: str
    keys:
      description: Names of the keys of the JSON value.
      type: list
      elements: str
    tags:
      description: Tags of the secret.
      type: dict
"""

import json
import uuid

try:
    import botocore  # noqa: F401  # pylint: disable=unused-import
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list, boto3_tag_list_to_ansible_dict, compare_aws_tags

from ansible_collections.cloudplatform.aws.plugins.module_utils import secretsmanager as sm


def current_version(secret):
    for version_id, stages in (secret.get("VersionIdsToStages") or {}).items():
        if "AWSCURRENT" in stages:
            return version_id
    return None


def describe(secret, keys):
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


def generate_missing(module, current, generate):
    """Values for the generated keys the secret does not hold yet; existing ones are never touched."""
    added = {}
    for key, spec in generate.items():
        if key in current:
            continue
        try:
            added[key] = sm.generate_value(spec)
        except ValueError as e:
            module.fail_json(msg="generate.%s: %s; allow more characters or a greater length" % (key, e))
    return added


def desired_value(module, current):
    """The JSON object to store and the names of the keys that change."""
    values = module.params["values"]
    generated = generate_missing(module, current, module.params["generate"])
    changed_keys = sorted(k for k, v in values.items() if current.get(k) != v) + sorted(generated)
    desired = dict(current)
    desired.update(values)
    desired.update(generated)
    return desired, changed_keys


def read_value(module, client, secret):
    raw = sm.get_secret_string(client, secret["ARN"])
    try:
        value = json.loads(raw) if raw else {}
    except ValueError:
        value = None
    if not isinstance(value, dict):
        module.fail_json(msg="Secret %s holds a value that is not a JSON object; this module manages JSON secrets only. "
                             "Fix or delete the value (it is not shown here)." % secret["Name"])
    return value


def update_value(module, client, secret, result):
    if not module.params["values"] and not module.params["generate"]:
        return False
    current = read_value(module, client, secret)
    desired, changed_keys = desired_value(module, current)
    result["keys_before"] = sorted(current)
    result["keys"] = sorted(desired)
    if not changed_keys:
        return False
    result["changed_keys"] = changed_keys
    if module.check_mode:
        return True
    sm.put_secret_string(client, secret["ARN"], json.dumps(desired, sort_keys=True), str(uuid.uuid4()))
    return True


def update_description(module, client, secret):
    description = module.params["description"]
    if description is None or description == secret.get("Description", ""):
        return False
    if not module.check_mode:
        sm.update_secret(client, secret["ARN"], Description=description)
    return True


def update_kms_key(module, client, secret):
    kms_key_id = module.params["kms_key_id"]
    if kms_key_id is None or key_id_of(kms_key_id) == key_id_of(secret.get("KmsKeyId")):
        return False
    if not module.check_mode:
        sm.update_secret(client, secret["ARN"], KmsKeyId=kms_key_id)
    return True


def update_tags(module, client, secret):
    if module.params["tags"] is None:
        return False
    current = boto3_tag_list_to_ansible_dict(secret.get("Tags") or [])
    to_set, to_remove = compare_aws_tags(current, module.params["tags"], module.params["purge_tags"])
    if not to_set and not to_remove:
        return False
    if module.check_mode:
        return True
    if to_remove:
        sm.untag_secret(client, secret["ARN"], to_remove)
    if to_set:
        sm.tag_secret(client, secret["ARN"], to_set)
    return True


def create(module, client):
    desired, _changed = desired_value(module, {})
    planned = {"arn": None, "name": module.params["name"], "description": module.params["description"],
               "kms_key_id": module.params["kms_key_id"], "version_id": None, "keys": sorted(desired),
               "tags": module.params["tags"] or {}}
    if module.check_mode:
        module.exit_json(changed=True, secret=planned, diff=dict(before={}, after=planned))
    params = dict(Name=module.params["name"], SecretString=json.dumps(desired, sort_keys=True),
                  ClientRequestToken=str(uuid.uuid4()))
    if module.params["description"] is not None:
        params["Description"] = module.params["description"]
    if module.params["kms_key_id"]:
        params["KmsKeyId"] = module.params["kms_key_id"]
    if module.params["tags"]:
        params["Tags"] = ansible_dict_to_boto3_tag_list(module.params["tags"])
    sm.create_secret(client, **params)
    secret = sm.describe_secret(client, module.params["name"])
    after = describe(secret, desired)
    module.exit_json(changed=True, secret=after, diff=dict(before={}, after=after))


def ensure_present(module, client, secret):
    if secret is None:
        create(module, client)
    changed = False
    if secret.get("DeletedDate"):
        if module.check_mode:
            module.exit_json(changed=True, secret=describe(secret, []), msg="The secret would be restored")
        sm.restore_secret(client, secret["ARN"])
        secret = sm.describe_secret(client, secret["ARN"])
        changed = True
    value_result = {}
    before = describe(secret, [])
    changed |= update_description(module, client, secret)
    changed |= update_kms_key(module, client, secret)
    changed |= update_tags(module, client, secret)
    changed |= update_value(module, client, secret, value_result)
    if changed and not module.check_mode:
        secret = sm.describe_secret(client, secret["ARN"])
    after = describe(secret, value_result.get("keys", []))
    if module.check_mode and changed:
        after = planned_after(module, after, value_result)
    before["keys"] = value_result.get("keys_before", [])
    module.exit_json(changed=changed, secret=after, changed_keys=value_result.get("changed_keys", []),
                     diff=dict(before=before, after=dict(after, changed_keys=value_result.get("changed_keys", []))))


def planned_after(module, after, value_result):
    planned = dict(after)
    for option in ("description", "kms_key_id"):
        if module.params[option] is not None:
            planned[option] = module.params[option]
    if module.params["tags"] is not None:
        tags = {} if module.params["purge_tags"] else dict(after["tags"])
        tags.update(module.params["tags"])
        planned["tags"] = tags
    planned["keys"] = value_result.get("keys", after["keys"])
    return planned


def ensure_absent(module, client, secret):
    if secret is None or secret.get("DeletedDate"):
        module.exit_json(changed=False)
    before = describe(secret, [])
    if not module.check_mode:
        sm.delete_secret(client, secret["ARN"], module.params["recovery_window_days"])
    module.exit_json(changed=True, diff=dict(before=before, after={}))


GENERATE_DEFAULTS = dict(length=32, exclude_characters="", exclude_punctuation=False, exclude_numbers=False,
                         exclude_uppercase=False, exclude_lowercase=False, require_each_included_type=True)


def normalise_generate(module, defaults):
    rules = {}
    for key, spec in module.params["generate"].items():
        spec = spec or {}
        if not isinstance(spec, dict):
            module.fail_json(msg="generate.%s must be a dict of generation rules, got %r" % (key, spec))
        unknown = sorted(set(spec) - set(defaults))
        if unknown:
            module.fail_json(msg="generate.%s has unknown rules %s; accepted: %s" % (key, ", ".join(unknown), ", ".join(sorted(defaults))))
        rules[key] = dict(defaults, **spec)
    return rules


def validate(module):
    overlap = sorted(set(module.params["generate"]) & set(module.params["values"]))
    if overlap:
        module.fail_json(msg="generate and values both name the keys %s; a key is either generated once or set "
                             "from values" % ", ".join(overlap))
    window = module.params["recovery_window_days"]
    if window != 0 and not 7 <= window <= 30:
        module.fail_json(msg="recovery_window_days: %s is not accepted; use 7-30, or 0 to delete without recovery" % window)


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        description=dict(type="str"),
        kms_key_id=dict(type="str", no_log=False),
        generate=dict(type="dict", default={}, no_log=False),
        values=dict(type="dict", default={}, no_log=True),
        recovery_window_days=dict(type="int", default=30),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)
    module.params["generate"] = normalise_generate(module, GENERATE_DEFAULTS)
    client = module.client("secretsmanager")
    try:
        secret = sm.describe_secret(client, module.params["name"])
        if module.params["state"] == "present":
            ensure_present(module, client, secret)
        ensure_absent(module, client, secret)
    except sm.SecretsManagerError as e:
        module.fail_json_aws_error(e)


if __name__ == "__main__":
    main()
