#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudwatch_dashboard
short_description: Manage a CloudWatch dashboard
version_added: 0.1.0
description:
  - Creates, updates or deletes a CloudWatch dashboard.
  - The body is given as a dictionary and compared with the live body after both are parsed, so
    key order and whitespace never cause an update; C(PutDashboard) is only called when the
    parsed bodies differ.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  name:
    description: The dashboard name.
    type: str
    required: true
    aliases: [dashboard_name]
  body:
    description:
      - The dashboard body (the C(widgets) list and optional C(start), C(periodOverride), ...) as a dictionary.
      - Required when O(state=present).
    type: dict
  state:
    description: Whether the dashboard should exist.
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
    description: Reports what would change without calling C(PutDashboard) or C(DeleteDashboards).
  diff_mode:
    support: full
    description: Shows the parsed dashboard body before and after.
  platform:
    support: full
    platforms: aws
    description: Targets the CloudWatch API.
notes:
  - Warnings that C(PutDashboard) returns (for example an unknown metric) are passed on as module warnings.
"""

EXAMPLES = r"""
- name: Create a dashboard with one metric widget
  cloudplatform.aws.cloudwatch_dashboard:
    name: cloudplatform-prod-overview
    body:
      widgets:
        - type: metric
          x: 0
          y: 0
          width: 12
          height: 6
          properties:
            title: ALB requests
            region: us-east-1
            metrics:
              - [AWS/ApplicationELB, RequestCount, LoadBalancer, app/cloudplatform-prod-alb/0123456789abcdef]

- name: Delete the dashboard
  cloudplatform.aws.cloudwatch_dashboard:
    name: cloudplatform-prod-overview
    state: absent
"""

RETURN = r"""
dashboard:
  description: The dashboard as read back after the change (empty when O(state=absent)).
  returned: always
  type: dict
  contains:
    dashboard_name:
      description: The dashboard name.
      type: str
      sample: cloudplatform-prod-overview
    dashboard_arn:
      description: The dashboard ARN.
      type: str
      sample: arn:aws:cloudwatch::123456789012:dashboard/cloudplatform-prod-overview
    body:
      description: The parsed dashboard body.
      type: dict
      sample: {"widgets": []}
"""

import json

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudplatform.aws.plugins.module_utils.cloudwatch import CloudWatchError, delete_dashboard, get_dashboard, put_dashboard


def normalise_body(body):
    """A JSON round trip, so the desired body compares like the stored one (numbers, tuples, keys)."""
    return json.loads(json.dumps(body, sort_keys=True))


def read_dashboard(client, name):
    response = get_dashboard(client, name)
    if not response:
        return None
    return {
        "dashboard_name": response.get("DashboardName", name),
        "dashboard_arn": response.get("DashboardArn"),
        "body": json.loads(response.get("DashboardBody") or "{}"),
    }


def update_body(module, client, current, body):
    if body is None:
        return False
    desired = normalise_body(body)
    if current and current["body"] == desired:
        return False
    if module.check_mode:
        return True
    messages = put_dashboard(client, module.params["name"], json.dumps(desired, sort_keys=True))
    for message in messages:
        module.warn("PutDashboard: %s %s" % (message.get("DataPath", ""), message.get("Message", "")))
    return True


def ensure_present(module, client, current):
    changed = update_body(module, client, current, module.params["body"])
    after = current
    if changed:
        after = dict(current or {"dashboard_name": module.params["name"], "dashboard_arn": None})
        after["body"] = normalise_body(module.params["body"])
        if not module.check_mode:
            after = read_dashboard(client, module.params["name"])
    return changed, after


def ensure_absent(module, client, current):
    if not current:
        return False, None
    if not module.check_mode:
        delete_dashboard(client, module.params["name"])
    return True, None


def run(module, client):
    current = read_dashboard(client, module.params["name"])
    handler = ensure_present if module.params["state"] == "present" else ensure_absent
    changed, after = handler(module, client, current)
    result = dict(changed=changed, dashboard=after or {})
    if module._diff:
        result["diff"] = dict(before=(current or {}).get("body", {}), after=(after or {}).get("body", {}))
    return result


def main():
    argument_spec = dict(
        name=dict(type="str", required=True, aliases=["dashboard_name"]),
        body=dict(type="dict"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_if=[("state", "present", ["body"])],
        supports_check_mode=True,
    )
    client = module.client("cloudwatch")
    try:
        result = run(module, client)
    except CloudWatchError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
