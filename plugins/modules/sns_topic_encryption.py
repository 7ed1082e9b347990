#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sns_topic_encryption
short_description: Manage the server-side encryption key of an SNS topic
version_added: 0.1.0
description:
  - Sets or removes the KMS key (C(KmsMasterKeyId)) an SNS topic encrypts messages with.
  - M(community.aws.sns_topic) creates topics and their subscriptions but has no encryption
    option; this module closes that gap for an existing topic.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  topic_arn:
    description: The ARN of the topic.
    type: str
    required: true
  kms_master_key_id:
    description:
      - The key id, key ARN, alias name or alias ARN to encrypt with. Required when O(state=present).
      - Compared as given with what the topic stores, so use the form the topic was configured with (an ARN is safest).
    type: str
  state:
    description: C(present) encrypts the topic with O(kms_master_key_id); C(absent) turns encryption off.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    description: Reports what would change without calling C(SetTopicAttributes).
  diff_mode:
    support: full
    description: Shows the key before and after.
  platform:
    support: full
    platforms: aws
    description: Targets the SNS API.
notes:
  - Publishers such as CloudWatch alarms need C(kms:GenerateDataKey*) and C(kms:Decrypt) on the key
    through its key policy (principal C(cloudwatch.amazonaws.com)).
"""

EXAMPLES = r"""
- name: Encrypt the critical topic with the environment key
  cloudplatform.aws.sns_topic_encryption:
    topic_arn: arn:aws:sns:us-east-1:123456789012:cloudplatform-prod-critical
    kms_master_key_id: arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789
"""

RETURN = r"""
topic_arn:
  description: The topic ARN.
  returned: always
  type: str
kms_master_key_id:
  description: The key the topic encrypts with after the change (empty when unencrypted).
  returned: always
  type: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudplatform.aws.plugins.module_utils.sns import SNSError, get_topic_attributes, set_topic_attribute


def update_key(module, client, current, desired):
    if current == desired:
        return False
    if module.check_mode:
        return True
    set_topic_attribute(client, module.params["topic_arn"], "KmsMasterKeyId", desired)
    return True


def run(module, client):
    topic_arn = module.params["topic_arn"]
    desired = module.params["kms_master_key_id"] if module.params["state"] == "present" else ""
    attributes = get_topic_attributes(client, topic_arn)
    if attributes is None:
        module.fail_json(msg="topic_arn %r: no such SNS topic; create it first (community.aws.sns_topic)" % topic_arn)
    current = attributes.get("KmsMasterKeyId", "")
    changed = update_key(module, client, current, desired)
    after = desired
    if changed and not module.check_mode:
        after = get_topic_attributes(client, topic_arn).get("KmsMasterKeyId", "")
    result = dict(changed=changed, topic_arn=topic_arn, kms_master_key_id=after)
    if module._diff:
        result["diff"] = dict(before={"kms_master_key_id": current}, after={"kms_master_key_id": after})
    return result


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            topic_arn=dict(type="str", required=True),
            kms_master_key_id=dict(type="str"),
            state=dict(type="str", default="present", choices=["present", "absent"]),
        ),
        required_if=[("state", "present", ["kms_master_key_id"])],
        supports_check_mode=True,
    )
    client = module.client("sns")
    try:
        result = run(module, client)
    except SNSError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
