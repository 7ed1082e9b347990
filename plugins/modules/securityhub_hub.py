#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: securityhub_hub
short_description: Enable AWS Security Hub in an account and region and subscribe it to standards
version_added: 0.1.0
description:
  - Enables Security Hub (without the default standards, so the subscribed standards are exactly
    the ones asked for) and subscribes it to the standards in O(standards).
  - Tags are applied when the hub is enabled; later tag changes are not compared.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  state:
    description: Whether Security Hub should be enabled. C(absent) disables it.
    type: str
    choices: [present, absent]
    default: present
  standards:
    description:
      - ARNs of the standards the hub subscribes to, for example
        C(arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0).
      - Unset leaves the subscriptions alone (no standards call is made).
    type: list
    elements: str
  purge_standards:
    description: Unsubscribe from enabled standards that are not in O(standards).
    type: bool
    default: false
  tags:
    description: Tags applied when the hub is enabled.
    type: dict
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    description: Reports what would change and makes no write call.
  diff_mode:
    support: full
    description: Returns the hub and its standards before and after.
  platform:
    support: full
    platforms: aws
    description: Runs against the AWS Security Hub API.
"""

EXAMPLES = r"""
- name: Enable Security Hub with the FSBP and CIS standards
  cloudplatform.aws.securityhub_hub:
    standards:
      - arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0
      - arn:aws:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/3.0.0
"""

RETURN = r"""
hub:
  description: The hub (empty when disabled).
  returned: always
  type: dict
  contains:
    hub_arn:
      description: The hub ARN.
      type: str
      sample: arn:aws:securityhub:us-east-1:123456789012:hub/default
    standards:
      description: ARNs of the subscribed standards (only when O(standards) is set).
      type: list
      elements: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudplatform.aws.plugins.module_utils.securityhub import (
    AnsibleSecurityHubError,
    batch_disable_standards,
    batch_enable_standards,
    describe_hub,
    disable_security_hub,
    enable_security_hub,
    get_enabled_standards,
)

_GONE = ("DELETING", "FAILED")


def enabled_standards(client, hub):
    """{standards ARN: subscription ARN} of the live subscriptions."""
    if not hub:
        return {}
    return {
        s["StandardsArn"]: s["StandardsSubscriptionArn"]
        for s in get_enabled_standards(client)
        if s.get("StandardsStatus") not in _GONE
    }


def update_standards(module, client, current):
    wanted = module.params["standards"]
    if wanted is None:
        return False
    to_enable = [arn for arn in wanted if arn not in current]
    to_disable = [sub for arn, sub in current.items() if arn not in wanted] if module.params["purge_standards"] else []
    if not (to_enable or to_disable):
        return False
    if module.check_mode:
        return True
    if to_enable:
        batch_enable_standards(client, to_enable)
    if to_disable:
        batch_disable_standards(client, to_disable)
    return True


def describe(module, hub, standards):
    if not hub:
        return {}
    result = dict(hub_arn=hub.get("HubArn"))
    if module.params["standards"] is not None:
        result["standards"] = sorted(standards)
    return result


def ensure_present(module, client, hub):
    changed = False
    if not hub:
        changed = True
        if module.check_mode:
            return True, dict(hub_arn=None, standards=sorted(module.params["standards"] or []))
        params = dict(EnableDefaultStandards=False)
        if module.params["tags"]:
            params["Tags"] = module.params["tags"]
        enable_security_hub(client, **params)
        hub = describe_hub(client)
    current = enabled_standards(client, hub) if module.params["standards"] is not None else {}
    changed |= update_standards(module, client, current)
    if changed and not module.check_mode:
        current = enabled_standards(client, hub) if module.params["standards"] is not None else {}
    elif changed:
        current = {arn: None for arn in module.params["standards"]}
    return changed, describe(module, hub, current)


def run(module, client):
    hub = describe_hub(client)
    before_standards = enabled_standards(client, hub) if module.params["standards"] is not None else {}
    before = describe(module, hub, before_standards)
    if module.params["state"] == "absent":
        if hub and not module.check_mode:
            disable_security_hub(client)
        return dict(changed=bool(hub), hub={}, diff=dict(before=before, after={}))
    changed, after = ensure_present(module, client, hub)
    return dict(changed=changed, hub=after, diff=dict(before=before, after=after))


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            state=dict(type="str", choices=["present", "absent"], default="present"),
            standards=dict(type="list", elements="str"),
            purge_standards=dict(type="bool", default=False),
            tags=dict(type="dict"),
        ),
        supports_check_mode=True,
    )
    client = module.client("securityhub")
    try:
        result = run(module, client)
    except AnsibleSecurityHubError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
