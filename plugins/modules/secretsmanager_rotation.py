#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: secretsmanager_rotation
short_description: Manage the rotation schedule of a Secrets Manager secret
version_added: 0.1.0
description:
  - Turns automatic rotation of an existing secret on with a rotation Lambda function and a
    schedule (a number of days or a schedule expression, with an optional window), or off.
  - Compares the current rotation settings first and calls C(RotateSecret) only when they differ,
    so a converged secret is never rotated by a re-run.
  - Never reads or returns the secret value.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  secret_id:
    description: Name or ARN of the secret.
    type: str
    required: true
  state:
    description: C(present) turns rotation on with these settings; C(absent) cancels rotation.
    type: str
    choices: [present, absent]
    default: present
  rotation_lambda_arn:
    description: ARN of the rotation Lambda function. Required with O(state=present).
    type: str
  automatically_after_days:
    description: Rotate this many days after the last rotation (1-1000).
    type: int
  schedule_expression:
    description: A C(rate()) or C(cron()) schedule expression, instead of O(automatically_after_days).
    type: str
  duration:
    description: Length of the rotation window, for example C(3h), with O(schedule_expression).
    type: str
  rotate_immediately:
    description:
      - Rotate as soon as the settings change. When false, Secrets Manager only tests the
        function (its C(testSecret) step) and the first rotation follows the schedule.
      - Has no effect when the settings already match.
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    description: Reports whether the rotation settings would change without changing them.
  diff_mode:
    support: full
    description: Shows the rotation settings before and after.
  platform:
    support: full
    platforms: aws
    description: Calls Secrets Manager.
notes:
  - Secrets Manager requires the Lambda function to allow C(secretsmanager.amazonaws.com) to invoke it.
"""

EXAMPLES = r"""
- name: Rotate the prod database credentials every 30 days
  cloudplatform.aws.secretsmanager_rotation:
    secret_id: /prod/database/credentials
    rotation_lambda_arn: arn:aws:lambda:us-east-1:123456789012:function:cloudplatform-prod-lambda-secret-rotator
    automatically_after_days: 30

- name: Rotate on the first Sunday of each month within a 4-hour window
  cloudplatform.aws.secretsmanager_rotation:
    secret_id: /prod/app/jwt-secret
    rotation_lambda_arn: arn:aws:lambda:us-east-1:123456789012:function:cloudplatform-prod-lambda-secret-rotator
    schedule_expression: cron(0 4 ? * SUN#1 *)
    duration: 4h

- name: Stop rotating a secret
  cloudplatform.aws.secretsmanager_rotation:
    secret_id: /dev/app/jwt-secret
    state: absent
"""

RETURN = r"""
rotation:
  description: The rotation settings after the call.
  returned: always
  type: dict
  sample:
    rotation_enabled: true
    rotation_lambda_arn: arn:aws:lambda:us-east-1:123456789012:function:rotator
    rotation_rules: {automatically_after_days: 30}
    next_rotation_date: "2026-12-22T00:00:00+00:00"
secret_arn:
  description: ARN of the secret.
  returned: when the secret exists
  type: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudplatform.aws.plugins.module_utils import secret_rotation as sr

# The comparison and the calls live in module_utils/secret_rotation.py, shared with
# secretsmanager_rotation_set; this module converges the one secret of its params.


def update_rotation(module, client, secret):
    """Turn rotation on, or change its function or schedule; False when all match."""
    return sr.update_rotation(module, client, module.params, secret)


def cancel_rotation(module, client, secret):
    return sr.cancel_rotation(module, client, module.params, secret)


def missing(module):
    """No secret: nothing to cancel; in check mode it may be created by an earlier task."""
    changed = sr.missing_secret(module, module.params)
    module.exit_json(changed=changed, secret_arn=None, rotation={}, diff=dict(before={}, after={}))


def main():
    module = AnsibleAWSModule(
        argument_spec=sr.rotation_options(),
        supports_check_mode=True,
        required_if=[("state", "present", ["rotation_lambda_arn"])],
        mutually_exclusive=[("automatically_after_days", "schedule_expression")],
    )
    for error in sr.rotation_option_errors(module.params):
        module.fail_json(msg=error)

    client = module.client("secretsmanager")
    try:
        secret = sr.describe_secret(client, module.params["secret_id"])
        if secret is None:
            missing(module)
        changed, arn, before, after = sr.converge_rotation(module, client, module.params, secret)
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=changed, secret_arn=arn, rotation=after, diff=dict(before=before, after=after))


if __name__ == "__main__":
    main()
