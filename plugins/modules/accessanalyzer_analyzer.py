#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: accessanalyzer_analyzer
short_description: Manage an IAM Access Analyzer analyzer
version_added: 0.1.0
description:
  - Creates, tags and deletes an external-access analyzer for the account (or the organization).
  - The analyzer is found by name with C(GetAnalyzer); its type cannot change after creation.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  name:
    description: Name of the analyzer.
    type: str
    required: true
  type:
    description: Zone of trust of the analyzer.
    type: str
    choices: [ACCOUNT, ORGANIZATION]
    default: ACCOUNT
  state:
    description: Whether the analyzer should exist.
    type: str
    choices: [present, absent]
    default: present
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
    description: Returns the analyzer before and after.
  platform:
    support: full
    platforms: aws
    description: Runs against the IAM Access Analyzer API.
"""

EXAMPLES = r"""
- name: Create the account analyzer
  cloudplatform.aws.accessanalyzer_analyzer:
    name: cloudplatform-account-analyzer
    tags:
      Project: cloudplatform
"""

RETURN = r"""
analyzer:
  description: The analyzer (empty when absent, or in check mode before it exists).
  returned: always
  type: dict
  contains:
    arn:
      description: The analyzer ARN.
      type: str
      sample: arn:aws:access-analyzer:us-east-1:123456789012:analyzer/cloudplatform-account-analyzer
    name:
      description: The analyzer name.
      type: str
    type:
      description: C(ACCOUNT) or C(ORGANIZATION).
      type: str
    status:
      description: C(ACTIVE), C(CREATING), C(DISABLED) or C(FAILED).
      type: str
    tags:
      description: The analyzer tags as a dict.
      type: dict
"""

import uuid

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudplatform.aws.plugins.module_utils.accessanalyzer import (
    AnsibleAccessAnalyzerError,
    create_analyzer,
    delete_analyzer,
    get_analyzer,
    tag_resource,
    untag_resource,
)
from ansible_collections.cloudplatform.aws.plugins.module_utils.tag_sync import sync_tags


def describe(analyzer):
    if not analyzer:
        return {}
    return dict(
        arn=analyzer.get("arn"),
        name=analyzer.get("name"),
        type=analyzer.get("type"),
        status=analyzer.get("status"),
        tags=analyzer.get("tags") or {},
    )


def update_tags(module, client, current):
    arn = current["arn"]
    return sync_tags(module, current["tags"], lambda keys: untag_resource(client, arn, keys), lambda tags: tag_resource(client, arn, tags))


def ensure_present(module, client, before):
    params = module.params
    if before and before["type"] != params["type"]:
        module.fail_json(
            msg=f"type: {params['type']} differs from the analyzer's {before['type']}; an analyzer's type cannot change. "
            "Delete it first (state: absent) or use another name."
        )
    if before:
        changed = update_tags(module, client, before)
        if changed and not module.check_mode:
            return True, describe(get_analyzer(client, params["name"]))
        return changed, before
    if module.check_mode:
        return True, dict(arn=None, name=params["name"], type=params["type"], status=None, tags=params["tags"] or {})
    create_analyzer(client, analyzerName=params["name"], type=params["type"], tags=params["tags"] or {}, clientToken=str(uuid.uuid4()))
    return True, describe(get_analyzer(client, params["name"]))


def run(module, client):
    before = describe(get_analyzer(client, module.params["name"]))
    if module.params["state"] == "absent":
        if before and not module.check_mode:
            delete_analyzer(client, module.params["name"])
        return dict(changed=bool(before), analyzer={}, diff=dict(before=before, after={}))
    changed, after = ensure_present(module, client, before)
    return dict(changed=changed, analyzer=after, diff=dict(before=before, after=after))


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            type=dict(type="str", choices=["ACCOUNT", "ORGANIZATION"], default="ACCOUNT"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    client = module.client("accessanalyzer")
    try:
        result = run(module, client)
    except AnsibleAccessAnalyzerError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
