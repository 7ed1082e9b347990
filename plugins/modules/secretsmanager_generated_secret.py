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
        the stored value. Must not name a key of O(generate) or O(plain_values).
      - Marked C(no_log), so Ansible hides each of these values wherever it occurs in the result. Put
        what is not secret in O(plain_values).
    type: dict
    default: {}
  plain_values:
    description:
      - Static keys of the JSON value that are not secret themselves (a username, the engine, a
        port, a host), compared and written like O(values) but not hidden in the output, so a value
        such as a port number or a project name does not hide every ARN, name and tag containing it.
      - Must not name a key of O(generate) or O(values).
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
    plain_values:
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

try:
    import botocore  # noqa: F401  # pylint: disable=unused-import
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudplatform.aws.plugins.module_utils import secretsmanager as sm

# The convergence of a secret lives in module_utils/secretsmanager.py, shared with
# secretsmanager_generated_secret_set; this module converges the one secret of its params.
GENERATE_DEFAULTS = sm.GENERATE_DEFAULTS


def ensure_present(module, client, secret):
    module.exit_json(**sm.ensure_present(module, client, module.params, secret))


def ensure_absent(module, client, secret):
    module.exit_json(**sm.ensure_absent(module, client, module.params, secret))


def normalise_generate(module, defaults):
    return sm.normalise_generate(module, module.params["generate"], defaults)


def validate(module):
    sm.validate_secret(module, module.params)


def main():
    argument_spec = sm.secret_options()
    argument_spec.update(state=dict(type="str", choices=["present", "absent"], default="present"))
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
