#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: config_managed_rule
short_description: Manage an AWS Config rule backed by an AWS managed rule
version_added: 0.1.0
description:
  - Creates, updates and deletes a Config rule whose source is an AWS managed rule
    (C(Owner=AWS)), comparing only the settings it manages, so a converged rule causes no write.
    C(community.aws.config_rule) compares the whole rule, including fields AWS adds, and rewrites it on every run.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  name:
    description: Name of the rule.
    type: str
    required: true
  identifier:
    description: Identifier of the AWS managed rule, for example C(CLOUD_TRAIL_ENABLED). Required when O(state=present).
    type: str
  description:
    description: Description of the rule.
    type: str
    default: ""
  input_parameters:
    description: Parameters of the managed rule.
    type: dict
    default: {}
  resource_types:
    description: Resource types the rule evaluates (its scope). Empty evaluates what the managed rule defines.
    type: list
    elements: str
    default: []
  maximum_execution_frequency:
    description: For periodic managed rules, how often they run.
    type: str
    choices: [One_Hour, Three_Hours, Six_Hours, Twelve_Hours, TwentyFour_Hours]
  state:
    description: Whether the rule should exist.
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
    description: Returns the managed settings before and after.
  platform:
    support: full
    platforms: aws
    description: Runs against the AWS Config API.
"""

EXAMPLES = r"""
- name: Check that CloudTrail is enabled
  cloudplatform.aws.config_managed_rule:
    name: cloudtrail-enabled
    identifier: CLOUD_TRAIL_ENABLED
    maximum_execution_frequency: TwentyFour_Hours
"""

RETURN = r"""
rule:
  description: The rule (empty when absent, or in check mode before it exists).
  returned: always
  type: dict
  contains:
    name:
      description: The rule name.
      type: str
    arn:
      description: The rule ARN.
      type: str
    identifier:
      description: The managed rule identifier.
      type: str
    description:
      description: The description.
      type: str
    input_parameters:
      description: The parameters.
      type: dict
    resource_types:
      description: The scope.
      type: list
      elements: str
    maximum_execution_frequency:
      description: The frequency of a periodic rule.
      type: str
    tags:
      description: The rule tags as a dict.
      type: dict
"""

import json

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list, boto3_tag_list_to_ansible_dict

from ansible_collections.cloudplatform.aws.plugins.module_utils.config_recorder import (
    AnsibleConfigRecorderError,
    delete_config_rule,
    describe_config_rule,
    list_tags,
    put_config_rule,
    tag_resource,
    untag_resource,
)
from ansible_collections.cloudplatform.aws.plugins.module_utils.tag_sync import sync_tags


def settings(rule):
    if not rule:
        return {}
    return dict(
        name=rule["ConfigRuleName"],
        identifier=rule["Source"].get("SourceIdentifier"),
        description=rule.get("Description") or "",
        input_parameters=json.loads(rule.get("InputParameters") or "{}"),
        resource_types=sorted((rule.get("Scope") or {}).get("ComplianceResourceTypes") or []),
        maximum_execution_frequency=rule.get("MaximumExecutionFrequency"),
    )


def wanted_rule(params):
    rule = dict(
        ConfigRuleName=params["name"],
        Description=params["description"],
        Source=dict(Owner="AWS", SourceIdentifier=params["identifier"]),
    )
    if params["input_parameters"]:
        rule["InputParameters"] = json.dumps(params["input_parameters"], sort_keys=True)
    if params["resource_types"]:
        rule["Scope"] = dict(ComplianceResourceTypes=sorted(params["resource_types"]))
    if params["maximum_execution_frequency"]:
        rule["MaximumExecutionFrequency"] = params["maximum_execution_frequency"]
    return rule


def describe(rule, tags):
    if not rule:
        return {}
    return dict(settings(rule), arn=rule.get("ConfigRuleArn"), tags=tags)


def update_tags(module, client, arn, current):
    return sync_tags(
        module, current, lambda keys: untag_resource(client, arn, keys), lambda tags: tag_resource(client, arn, ansible_dict_to_boto3_tag_list(tags))
    )


def ensure_present(module, client, rule, before):
    wanted = wanted_rule(module.params)
    if not rule:
        if module.check_mode:
            return True, dict(settings(dict(wanted)), arn=None, tags=module.params["tags"] or {})
        put_config_rule(client, wanted, ansible_dict_to_boto3_tag_list(module.params["tags"] or {}))
        changed = True
    else:
        changed = settings(rule) != settings(wanted)
        if changed and not module.check_mode:
            put_config_rule(client, dict(wanted, ConfigRuleArn=rule["ConfigRuleArn"]))
        changed |= update_tags(module, client, rule["ConfigRuleArn"], before["tags"])
    if not changed:
        return False, before
    if module.check_mode:
        return True, dict(before, **settings(wanted))
    rule = describe_config_rule(client, module.params["name"])
    return True, describe(rule, boto3_tag_list_to_ansible_dict(list_tags(client, rule["ConfigRuleArn"])))


def run(module, client):
    rule = describe_config_rule(client, module.params["name"])
    before = describe(rule, boto3_tag_list_to_ansible_dict(list_tags(client, rule["ConfigRuleArn"])) if rule else {})
    if module.params["state"] == "absent":
        if rule and not module.check_mode:
            delete_config_rule(client, module.params["name"])
        return dict(changed=bool(rule), rule={}, diff=dict(before=before, after={}))
    changed, after = ensure_present(module, client, rule, before)
    return dict(changed=changed, rule=after, diff=dict(before=before, after=after))


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            identifier=dict(type="str"),
            description=dict(type="str", default=""),
            input_parameters=dict(type="dict", default={}),
            resource_types=dict(type="list", elements="str", default=[]),
            maximum_execution_frequency=dict(type="str", choices=["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"]),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        required_if=[("state", "present", ["identifier"])],
        supports_check_mode=True,
    )
    client = module.client("config")
    try:
        result = run(module, client)
    except AnsibleConfigRecorderError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
