#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: secretsmanager_generated_secret_set
version_added: 0.1.0
short_description: A list of Secrets Manager secrets with JSON values whose random keys are generated once
description:
  - Converges every secret of O(secrets) in one call, each exactly as
    M(cloudplatform.aws.secretsmanager_generated_secret) converges one secret (the two modules share
    their code). Keys listed in O(secrets[].generate) get a strong random value (the operating
    system's CSPRNG) when the secret is created, or when the key is missing from an existing secret,
    and are never changed afterwards; keys in O(secrets[].values) are merged into the JSON object
    and updated only when they differ; keys the module does not manage are preserved.
  - Secret values never appear in the module's output or diff; only the key names do.
  - A secret scheduled for deletion is restored by O(state=present).
  - "Reads per secret on a converged set: one C(DescribeSecret), plus one C(GetSecretValue) when the
    secret has O(secrets[].values) or O(secrets[].generate), because the stored value is the only
    place that says whether a generated key exists and whether a static value differs. Secrets are
    described one by one: C(ListSecrets) could read them in one call, but AWS documents it as
    eventually consistent (a secret created or changed minutes ago may be missing or stale), which
    would make a re-run create a secret twice or miss drift."
  - Every option is checked for every secret before the first AWS call.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  state:
    description: V(present) creates or updates every secret of the list, V(absent) deletes them.
    type: str
    choices: [present, absent]
    default: present
  secrets:
    description:
      - The secrets, converged in this order.
      - Names must be unique.
    required: true
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - The secret's name, for example V(/prod/database/credentials), or the ARN of an
            existing secret.
        type: str
        required: true
      description:
        description: The secret's description; not changed when omitted.
        type: str
      kms_key_id:
        description:
          - The KMS key (ARN, id or alias) that encrypts the secret; not changed when omitted. A secret
            created without it is encrypted with the AWS managed key C(aws/secretsmanager).
        type: str
      generate:
        description:
          - The keys whose value is generated once, at random, each with its rules, as in
            O(cloudplatform.aws.secretsmanager_generated_secret#module:generate). Rules are
            C(length) (default 32), C(exclude_characters), C(exclude_punctuation),
            C(exclude_numbers), C(exclude_uppercase), C(exclude_lowercase) (default false) and
            C(require_each_included_type) (default true).
          - Generated values are printable ASCII characters other than space.
        type: dict
        default: {}
      values:
        description:
          - The keys set to a given value (a string, number or boolean), written only when the stored
            value differs. A key cannot be both here and in O(secrets[].generate).
          - Marked C(no_log). Ansible hides each of these values wherever it occurs in the result, so
            the module refuses a secret name that contains one (its name and ARN would come back
            hidden). Put what is not secret in O(secrets[].plain_values).
        type: dict
        default: {}
      plain_values:
        description:
          - Keys set to a given value that is not secret itself (a username, the engine, a port, a
            host), compared and written like O(secrets[].values) but not hidden in the output.
          - A key cannot be in two of O(secrets[].generate), O(secrets[].values) and O(secrets[].plain_values).
        type: dict
        default: {}
      recovery_window_days:
        description:
          - For O(state=absent), how many days (7-30) the deleted secret stays recoverable; V(0)
            deletes it immediately with no recovery.
        type: int
        default: 30
      tags:
        description: The secret's tags; not changed when omitted.
        type: dict
        aliases: [resource_tags]
      purge_tags:
        description: Whether tags of the secret missing from O(secrets[].tags) are removed.
        type: bool
        default: true
notes:
  - A new O(secrets[].kms_key_id) applies to the versions written afterwards; Secrets Manager keeps
    the existing versions under the key they were written with.
extends_documentation_fragment:
  - amazon.aws.boto3
  - amazon.aws.common.modules
  - amazon.aws.region.modules
attributes:
  check_mode:
    support: full
    description: Reports what would change and makes no write call; secrets that would be created have a null C(arn).
  diff_mode:
    support: full
    description:
      - By secret name, the description, key, tags and the names of the keys that change of the
        secrets that change, are created or deleted; never values.
  platform:
    support: full
    platforms: aws
    description: Runs against the AWS Secrets Manager API (or an endpoint that speaks it).
"""

EXAMPLES = r"""
- name: Create the secrets of an environment in one call
  cloudplatform.aws.secretsmanager_generated_secret_set:
    secrets:
      - name: /staging/database/credentials
        description: Staging PostgreSQL master user
        kms_key_id: alias/cloudplatform-staging
        generate:
          password: {length: 40, exclude_characters: "/@\"' "}
        plain_values: {username: platform_admin, engine: postgres}
        tags: {Environment: staging}
      - name: /staging/app/jwt-secret
        kms_key_id: alias/cloudplatform-staging
        generate:
          secret: {length: 64, exclude_punctuation: true}
        tags: {Environment: staging}
      - name: /staging/monitoring/slack-webhook
        kms_key_id: alias/cloudplatform-staging
        values:
          url: "{{ slack_webhook_url }}"
  register: created

- name: Delete two secrets with a 7-day recovery window
  cloudplatform.aws.secretsmanager_generated_secret_set:
    state: absent
    secrets:
      - name: /dev/app/jwt-secret
        recovery_window_days: 7
      - name: /dev/monitoring/slack-webhook
        recovery_window_days: 7
"""

RETURN = r"""
secrets:
  description:
    - One entry per element of O(secrets), in the same order, never with a value.
    - With O(state=absent) an entry holds C(name), C(arn) and C(changed) only.
  returned: always
  type: list
  elements: dict
  contains:
    arn:
      description: The secret's ARN; null for a secret that does not exist or, in check mode, would be created.
      type: str
      sample: arn:aws:secretsmanager:us-east-1:123456789012:secret:/prod/database/credentials-AbCdEf
    name:
      description: The secret's name.
      type: str
      sample: /prod/database/credentials
    description:
      description: The secret's description.
      type: str
    kms_key_id:
      description: The key that encrypts the secret, as DescribeSecret reports it.
      type: str
    version_id:
      description: The version id that carries the AWSCURRENT label.
      type: str
    keys:
      description: The key names of the JSON object (empty when the value was not read).
      type: list
      elements: str
      sample: [password, username]
    tags:
      description: The secret's tags, as a dict.
      type: dict
    changed:
      description: Whether this secret changed (or would, in check mode).
      type: bool
    changed_keys:
      description: The key names written (every key of a new secret).
      type: list
      elements: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudplatform.aws.plugins.module_utils import secretsmanager as sm

# Names Secrets Manager accepts (1-512 of these characters), or the ARN of a secret.
NAME_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+=.@-")


def leaves(value):
    """The scalars of a values dict as Ansible's no_log masking sees them (strings and numbers, not booleans)."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return [leaf for item in value for leaf in leaves(item)]
    if value is None or isinstance(value, bool) or value == "":
        return []
    return [str(value)]


def masked(module, text):
    """Whether Ansible would mask part of `text` in the result: it contains a value of secrets[].values (no_log)."""
    return any(leaf in text for spec in module.params["secrets"] for leaf in leaves(spec["values"]))


def check_name(module, index, name, seen):
    label = "secrets[%d].name" % index
    if not name.startswith("arn:") and (not 1 <= len(name) <= 512 or not set(name) <= NAME_CHARACTERS):
        module.fail_json(msg="%s: %r is not a valid secret name; expected 1-512 letters, digits and /_+=.@- or the ARN of a secret" % (label, name))
    if name in seen:
        module.fail_json(msg="%s: %r is already used by secrets[%d]; names must be unique" % (label, name, seen[name]))
    if masked(module, name):
        module.fail_json(msg="%s contains a value given in secrets[].values (a no_log option): Ansible would mask the returned name and ARN. "
                             "Use names that contain no static value." % label)
    seen[name] = index


def validate(module):
    """Check every secret's options before the first AWS call."""
    seen = {}
    for index, spec in enumerate(module.params["secrets"]):
        label = "secrets[%d]." % index
        check_name(module, index, spec["name"], seen)
        sm.validate_secret(module, spec, label)
        spec["generate"] = sm.normalise_generate(module, spec["generate"], label=label)


def element(spec, state, secret, outcome):
    """What the single module returns for one secret, as one element of the result list."""
    if state == "absent":
        return dict(name=spec["name"], arn=(secret or {}).get("ARN"), changed=outcome["changed"])
    view = outcome["secret"]
    changed_keys = outcome.get("changed_keys", view["keys"] if secret is None else [])
    return dict(view, changed=outcome["changed"], changed_keys=changed_keys)


def diff_of(outcome):
    if "diff" in outcome:
        return outcome["diff"]
    # A restore in check mode, which the single module reports without a diff.
    return dict(before=dict(outcome["secret"], scheduled_for_deletion=True), after=outcome["secret"])


def run(module, client):
    validate(module)
    state = module.params["state"]
    converge = sm.ensure_present if state == "present" else sm.ensure_absent
    results, before, after = [], {}, {}
    for spec in module.params["secrets"]:
        secret = sm.describe_secret(client, spec["name"])
        outcome = converge(module, client, spec, secret)
        results.append(element(spec, state, secret, outcome))
        if outcome["changed"]:
            # A created secret shows only after, a deleted one only before (as cloudwatch_alarm_set does).
            diff = diff_of(outcome)
            before.update({spec["name"]: diff["before"]} if diff["before"] else {})
            after.update({spec["name"]: diff["after"]} if diff["after"] else {})
    result = dict(changed=any(r["changed"] for r in results), secrets=results, diff=dict(before=before, after=after))
    if before or after:
        # The unified diff shows only lines near a change: name the secrets in the headers.
        result["diff"]["before_header"] = result["diff"]["after_header"] = "secrets " + ", ".join(sorted(set(before) | set(after)))
    return result


def check_arns(module, result):
    """An ARN that contains a no_log value (say a number that occurs in the account id) would be returned masked."""
    for index, secret in enumerate(result["secrets"]):
        if secret.get("arn") and masked(module, secret["arn"]):
            module.fail_json(msg="secrets[%d]: the ARN contains a value given in secrets[].values (a no_log option), so Ansible would return it "
                                 "masked. The secrets were converged (changed=%s); remove that static value from values." % (index, result["changed"]))


def main():
    argument_spec = dict(
        secrets=dict(type="list", elements="dict", required=True, no_log=False, options=sm.secret_options()),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("secretsmanager")
    try:
        result = run(module, client)
    except sm.SecretsManagerError as e:
        module.fail_json_aws_error(e)
    check_arns(module, result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
