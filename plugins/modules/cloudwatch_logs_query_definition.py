#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudwatch_logs_query_definition
short_description: Manage a saved CloudWatch Logs Insights query
version_added: 0.1.0
description:
  - Creates, updates or deletes a CloudWatch Logs Insights query definition (a saved query).
  - Query definitions have no unique name in AWS; the module finds the definition by its exact
    name and updates it in place (C(PutQueryDefinition) with its id), so re-runs never create a
    second copy. When several definitions share the name, the first is managed and the others are
    reported in RV(duplicates).
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  name:
    description: The query name; it may contain C(/) to file it in a folder of the console.
    type: str
    required: true
  query_string:
    description: The Logs Insights query. Required when O(state=present).
    type: str
  log_group_names:
    description: The log groups the query runs against by default.
    type: list
    elements: str
    default: []
  state:
    description: Whether the query definition should exist.
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
    description: Reports what would change without calling C(PutQueryDefinition) or C(DeleteQueryDefinition).
  diff_mode:
    support: full
    description: Shows the query string and log groups before and after.
  platform:
    support: full
    platforms: aws
    description: Targets the CloudWatch Logs API.
"""

EXAMPLES = r"""
- name: Save the error analysis query
  cloudplatform.aws.cloudwatch_logs_query_definition:
    name: cloudplatform-prod/error-analysis
    query_string: |
      fields @timestamp, @message
      | filter @message like /ERROR/
      | stats count() as errors by bin(5m)
    log_group_names:
      - /ecs/cloudplatform-prod/api

- name: Remove the saved query
  cloudplatform.aws.cloudwatch_logs_query_definition:
    name: cloudplatform-prod/error-analysis
    state: absent
"""

RETURN = r"""
query_definition:
  description: The query definition after the change (empty when O(state=absent)).
  returned: always
  type: dict
  contains:
    query_definition_id:
      description: The id of the query definition (absent in check mode before it is created).
      type: str
      sample: 4f3e5c1a-2b6d-4e8f-9a0b-1c2d3e4f5a6b
    name:
      description: The query name.
      type: str
      sample: cloudplatform-prod/error-analysis
    query_string:
      description: The query.
      type: str
    log_group_names:
      description: The log groups of the query, sorted.
      type: list
      elements: str
duplicates:
  description: Ids of other query definitions with the same name, left untouched.
  returned: always
  type: list
  elements: str
  sample: []
"""

import uuid

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudplatform.aws.plugins.module_utils.cloudwatch import (
    CloudWatchError,
    delete_query_definition,
    describe_query_definitions,
    put_query_definition,
)


def to_result(definition):
    return {
        "query_definition_id": definition.get("queryDefinitionId"),
        "name": definition.get("name"),
        "query_string": definition.get("queryString", ""),
        "log_group_names": sorted(definition.get("logGroupNames") or []),
    }


def find_definitions(client, name):
    """Definitions with exactly this name (the API filters by prefix only)."""
    return [to_result(d) for d in describe_query_definitions(client, name) if d.get("name") == name]


def desired_state(module, current):
    return {
        "query_definition_id": (current or {}).get("query_definition_id"),
        "name": module.params["name"],
        "query_string": module.params["query_string"],
        "log_group_names": sorted(module.params["log_group_names"]),
    }


def update_definition(module, client, current, desired):
    if current and all(current[key] == desired[key] for key in ("query_string", "log_group_names")):
        return False
    if module.check_mode:
        return True
    params = dict(
        name=desired["name"],
        queryString=desired["query_string"],
        logGroupNames=desired["log_group_names"],
    )
    if current:
        params["queryDefinitionId"] = current["query_definition_id"]
    # One idempotency token for every retry of this call, so a create retried after a lost
    # answer is not doubled.
    params["clientToken"] = str(uuid.uuid4())
    desired["query_definition_id"] = put_query_definition(client, **params)
    return True


def ensure_present(module, client, current):
    desired = desired_state(module, current)
    changed = update_definition(module, client, current, desired)
    return changed, (desired if changed else current)


def ensure_absent(module, client, current):
    if not current:
        return False, None
    if not module.check_mode:
        delete_query_definition(client, current["query_definition_id"])
    return True, None


def diff_view(definition):
    if not definition:
        return {}
    return {key: definition[key] for key in ("name", "query_string", "log_group_names")}


def run(module, client):
    found = find_definitions(client, module.params["name"])
    current = found[0] if found else None
    handler = ensure_present if module.params["state"] == "present" else ensure_absent
    changed, after = handler(module, client, current)
    result = dict(
        changed=changed,
        query_definition=after or {},
        duplicates=[d["query_definition_id"] for d in found[1:]],
    )
    if module._diff:
        result["diff"] = dict(before=diff_view(current), after=diff_view(after))
    return result


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        query_string=dict(type="str"),
        log_group_names=dict(type="list", elements="str", default=[]),
        state=dict(type="str", default="present", choices=["present", "absent"]),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_if=[("state", "present", ["query_string"])],
        supports_check_mode=True,
    )
    client = module.client("logs")
    try:
        result = run(module, client)
    except CloudWatchError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
