#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: secretsmanager_rotation_set
version_added: 0.1.0
short_description: Manage the rotation schedules of a list of Secrets Manager secrets
description:
  - Converges the rotation of every secret of O(secrets) in one call, each exactly as
    M(cloudplatform.aws.secretsmanager_rotation) converges one secret (the two modules share their
    code). Rotation is turned on with a rotation Lambda function and a schedule (a number of days or
    a schedule expression, with an optional window), or off.
  - Compares the current rotation settings first and calls C(RotateSecret) only when they differ,
    so a converged secret is never rotated by a re-run.
  - "Reads per secret on a converged set: one C(DescribeSecret) (which carries the rotation
    settings). Secrets are described one by one because C(ListSecrets), which could read them in
    one call, is eventually consistent on AWS."
  - Every option is checked and every secret is described before the first write, so bad input or
    a missing secret fails before anything changes.
  - Never reads or returns the secret values.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  secrets:
    description: The secrets and their rotation settings, converged in this order.
    required: true
    type: list
    elements: dict
    suboptions:
      secret_id:
        description: The secret, by name or ARN.
        type: str
        required: true
      state:
        description: With V(present) the secret rotates with the settings below; V(absent) turns its rotation off.
        type: str
        choices: [present, absent]
        default: present
      rotation_lambda_arn:
        description: The rotation Lambda function's ARN; needed when O(secrets[].state=present).
        type: str
      automatically_after_days:
        description: Days between two rotations (1-1000). Give this or O(secrets[].schedule_expression).
        type: int
      schedule_expression:
        description: When to rotate, as a C(rate()) or C(cron()) expression.
        type: str
      duration:
        description: How long the rotation window lasts, for example C(3h).
        type: str
      rotate_immediately:
        description:
          - Whether Secrets Manager rotates at once when the settings change. With V(false) it only
            runs the function's C(testSecret) step and rotates on the schedule.
          - Ignored for a secret whose settings already match.
        type: bool
        default: false
notes:
  - The rotation function must let C(secretsmanager.amazonaws.com) invoke it.
extends_documentation_fragment:
  - amazon.aws.region.modules
  - amazon.aws.common.modules
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    description:
      - Reports whether the rotation settings would change without changing them. A secret that
        does not exist yet (an earlier task would create it) is reported as a change with a warning.
  diff_mode:
    support: full
    description: By secret id, the rotation settings before and after of the secrets that change.
  platform:
    support: full
    platforms: aws
    description: Calls Secrets Manager.
"""

EXAMPLES = r"""
- name: Rotate the database credentials every 30 days and the JWT secret every 90, not the Redis token
  cloudplatform.aws.secretsmanager_rotation_set:
    secrets:
      - secret_id: /prod/database/credentials
        rotation_lambda_arn: arn:aws:lambda:us-east-1:123456789012:function:cloudplatform-prod-lambda-secret-rotator
        automatically_after_days: 30
      - secret_id: /prod/app/jwt-secret
        rotation_lambda_arn: arn:aws:lambda:us-east-1:123456789012:function:cloudplatform-prod-lambda-secret-rotator
        schedule_expression: cron(0 4 ? * SUN#1 *)
        duration: 4h
      - secret_id: /prod/redis/auth-token
        state: absent
"""

RETURN = r"""
secrets:
  description: The secrets in the order of O(secrets).
  returned: always
  type: list
  elements: dict
  contains:
    secret_id:
      description: The O(secrets[].secret_id) given.
      type: str
    secret_arn:
      description: ARN of the secret (null when it does not exist).
      type: str
    changed:
      description: Whether the rotation of this secret changed (or would, in check mode).
      type: bool
    rotation:
      description: The rotation settings after the call (empty when the secret does not exist).
      type: dict
      sample: {rotation_enabled: true, rotation_lambda_arn: "arn:aws:lambda:eu-west-1:123456789012:function:cloudplatform-prod-lambda-secret-rotator",
               rotation_rules: {schedule_expression: "cron(0 4 ? * SUN#1 *)", duration: 4h}, next_rotation_date: "2026-12-06 04:00:00+00:00"}
"""

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudplatform.aws.plugins.module_utils import secret_rotation as sr


def check_options(module):
    """Every problem of every secret's options, in one message, before any AWS call."""
    errors = []
    for index, spec in enumerate(module.params["secrets"]):
        where = "secrets[%d]" % index
        if not spec["secret_id"]:
            errors.append("%s.secret_id: %r is empty; expected the name or ARN of a secret" % (where, spec["secret_id"]))
        if spec["state"] == "present" and not spec["rotation_lambda_arn"]:
            errors.append("%s.rotation_lambda_arn: %r; required with state=present (the ARN of the rotation function)" % (where, spec["rotation_lambda_arn"]))
        if spec["automatically_after_days"] is not None and spec["schedule_expression"] is not None:
            errors.append("%s: automatically_after_days (%s) and schedule_expression (%s) are mutually exclusive; set one"
                          % (where, spec["automatically_after_days"], spec["schedule_expression"]))
        errors += sr.rotation_option_errors(spec, where)
    if errors:
        module.fail_json(msg="; ".join(errors))


def read_secrets(module, client):
    """DescribeSecret of each secret, before any write: a duplicate, or a missing secret outside check mode, fails here."""
    found, seen = [], {}
    for index, spec in enumerate(module.params["secrets"]):
        secret = sr.describe_secret(client, spec["secret_id"])
        if secret is not None and secret["ARN"] in seen:
            # Two entries for one secret would undo each other on every run.
            module.fail_json(msg="secrets[%d].secret_id: %s is the secret of secrets[%d]; list each secret once"
                                 % (index, spec["secret_id"], seen[secret["ARN"]]))
        if secret is not None:
            seen[secret["ARN"]] = index
        found.append(secret)
    return [(secret, secret is None and sr.missing_secret(module, module.params["secrets"][index], "secrets[%d]" % index))
            for index, secret in enumerate(found)]


def run(module, client):
    check_options(module)
    results, before, after = [], {}, {}
    found = read_secrets(module, client)
    for index, spec in enumerate(module.params["secrets"]):
        secret, missing_changed = found[index]
        if secret is None:
            results.append(dict(secret_id=spec["secret_id"], secret_arn=None, changed=missing_changed, rotation={}))
            continue
        changed, arn, rotation_before, rotation_after = sr.converge_rotation(module, client, spec, secret)
        results.append(dict(secret_id=spec["secret_id"], secret_arn=arn, changed=changed, rotation=rotation_after))
        if changed:
            before[spec["secret_id"]] = rotation_before
            after[spec["secret_id"]] = rotation_after
    result = dict(changed=any(r["changed"] for r in results), secrets=results, diff=dict(before=before, after=after))
    if before:
        # The unified diff shows only lines near a change: name the secrets in the headers.
        result["diff"]["before_header"] = result["diff"]["after_header"] = "secrets " + ", ".join(sorted(before))
    return result


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(secrets=dict(type="list", elements="dict", required=True, no_log=False, options=sr.rotation_options())),
        supports_check_mode=True,
    )
    client = module.client("secretsmanager")
    try:
        module.exit_json(**run(module, client))
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)


if __name__ == "__main__":
    main()
