#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: config_configuration_recorder
short_description: Manage an AWS Config configuration recorder and whether it records
version_added: 0.1.0
description:
  - Creates or updates the recorder (role, recording group) and starts or stops it. Only the
    settings the module manages are compared, so a converged recorder causes no write.
  - C(community.aws.config_recorder) compares the whole recorder, including fields AWS adds,
    rewrites it on every run, and never starts it.
  - Starting a recorder needs a delivery channel (C(community.aws.config_delivery_channel)).
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  name:
    description: Name of the recorder (AWS allows one per account and region).
    type: str
    required: true
  state:
    description: Whether the recorder should exist. C(absent) stops and deletes it.
    type: str
    choices: [present, absent]
    default: present
  role_arn:
    description: Role AWS Config assumes to read the resources. Required when O(state=present).
    type: str
  all_supported:
    description: Record every supported resource type of the region.
    type: bool
    default: true
  include_global_resource_types:
    description: Also record global resources (IAM). Needs O(all_supported=true).
    type: bool
    default: true
  resource_types:
    description: Resource types to record when O(all_supported=false).
    type: list
    elements: str
    default: []
  recording:
    description:
      - Whether the recorder records. Unset leaves it as it is (a new recorder does not record).
      - Create the recorder, then the delivery channel, then set C(recording=true).
    type: bool
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
    description: Returns the recorder and its recording status before and after.
  platform:
    support: full
    platforms: aws
    description: Runs against the AWS Config API.
"""

EXAMPLES = r"""
- name: Record every supported resource, global ones included
  cloudplatform.aws.config_configuration_recorder:
    name: default
    role_arn: arn:aws:iam::123456789012:role/cloudplatform-account-config

- name: Start it once its delivery channel exists
  cloudplatform.aws.config_configuration_recorder:
    name: default
    role_arn: arn:aws:iam::123456789012:role/cloudplatform-account-config
    recording: true
"""

RETURN = r"""
recorder:
  description: The recorder (empty when absent).
  returned: always
  type: dict
  contains:
    name:
      description: The recorder name.
      type: str
    role_arn:
      description: The role.
      type: str
    all_supported:
      description: Whether every supported type is recorded.
      type: bool
    include_global_resource_types:
      description: Whether global resources are recorded.
      type: bool
    resource_types:
      description: The recorded types when not all are.
      type: list
      elements: str
    recording:
      description: Whether it records.
      type: bool
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudplatform.aws.plugins.module_utils.config_recorder import (
    AnsibleConfigRecorderError,
    delete_recorder,
    describe_recorder,
    describe_recorder_status,
    put_recorder,
    start_recorder,
    stop_recorder,
)


def describe(recorder, status):
    if not recorder:
        return {}
    group = recorder.get("recordingGroup") or {}
    return dict(
        name=recorder["name"],
        role_arn=recorder.get("roleARN"),
        all_supported=bool(group.get("allSupported")),
        include_global_resource_types=bool(group.get("includeGlobalResourceTypes")),
        resource_types=sorted(group.get("resourceTypes") or []),
        recording=bool((status or {}).get("recording")),
    )


def wanted_recorder(params):
    group = dict(allSupported=params["all_supported"], includeGlobalResourceTypes=params["include_global_resource_types"])
    if not params["all_supported"]:
        group["resourceTypes"] = sorted(params["resource_types"])
    return dict(name=params["name"], roleARN=params["role_arn"], recordingGroup=group)


def update_recorder(module, client, before):
    wanted = wanted_recorder(module.params)
    settings = describe(wanted, None)
    current = dict(before, recording=False) if before else None
    if current == settings:
        return False
    if not module.check_mode:
        put_recorder(client, wanted)
    return True


def update_recording(module, client, recording):
    if module.params["recording"] is None or recording == module.params["recording"]:
        return False
    if not module.check_mode:
        if module.params["recording"]:
            start_recorder(client, module.params["name"])
        else:
            stop_recorder(client, module.params["name"])
    return True


def run(module, client):
    name = module.params["name"]
    recorder = describe_recorder(client, name)
    before = describe(recorder, describe_recorder_status(client, name) if recorder else None)
    if module.params["state"] == "absent":
        if recorder and not module.check_mode:
            if before["recording"]:
                stop_recorder(client, name)
            delete_recorder(client, name)
        return dict(changed=bool(recorder), recorder={}, diff=dict(before=before, after={}))
    changed = update_recorder(module, client, before)
    changed |= update_recording(module, client, before.get("recording", False))
    if not changed:
        after = before
    elif module.check_mode:
        recording = before.get("recording", False) if module.params["recording"] is None else module.params["recording"]
        after = describe(wanted_recorder(module.params), dict(recording=recording))
    else:
        after = describe(describe_recorder(client, name), describe_recorder_status(client, name))
    return dict(changed=changed, recorder=after, diff=dict(before=before, after=after))


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            role_arn=dict(type="str"),
            all_supported=dict(type="bool", default=True),
            include_global_resource_types=dict(type="bool", default=True),
            resource_types=dict(type="list", elements="str", default=[]),
            recording=dict(type="bool"),
        ),
        required_if=[("state", "present", ["role_arn"])],
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
