#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: ecs_taskdefinition_revision
short_description: Register an ECS task definition revision only when it differs from the latest one
version_added: 0.1.0
description:
  - Compares the wanted task definition with the latest C(ACTIVE) revision of its family (both
    normalised, so AWS-filled defaults, empty values and the order of environment variables and
    secrets do not count) and registers a new revision only when they differ.
  - Unlike M(community.aws.ecs_taskdefinition), task size, roles and network mode take part in the
    comparison, only the latest revision is considered (so a rollback to an older image registers a
    fresh revision that the service then uses), and only one revision is described per run.
  - Tags are reconciled on the latest revision with TagResource/UntagResource; a tag change alone
    does not register a revision.
  - I(state=absent) deregisters every C(ACTIVE) revision of the family.
author:
  - Cloudplatform Team (@cloudplatform)
options:
  family:
    description: Task definition family.
    type: str
    required: true
  state:
    description: C(present) makes the latest revision match; C(absent) deregisters every active revision.
    type: str
    choices: [present, absent]
    default: present
  container_definitions:
    description:
      - Container definitions in the ECS API shape (camelCase keys, as in RegisterTaskDefinition).
      - Required with I(state=present).
    type: list
    elements: dict
  cpu:
    description: Task CPU units (Fargate sizes, for example C(256), C(1024)).
    type: str
  memory:
    description: Task memory in MiB.
    type: str
  network_mode:
    description: Network mode.
    type: str
    choices: [awsvpc, bridge, host, none]
    default: awsvpc
  requires_compatibilities:
    description: Launch types the task definition must be valid for.
    type: list
    elements: str
    default: [FARGATE]
  execution_role_arn:
    description: Role ECS uses to pull the image, write logs and read the secrets.
    type: str
  task_role_arn:
    description: Role the containers run with.
    type: str
  cpu_architecture:
    description: CPU architecture of the runtime platform.
    type: str
    choices: [X86_64, ARM64]
    default: X86_64
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
    description: Shows the managed settings before and after.
  platform:
    support: full
    platforms: aws
    description: Runs against the AWS API (or an endpoint that speaks it).
notes:
  - C(purge_tags) defaults to C(true).
"""

EXAMPLES = r"""
- name: Register the api task definition when it changed
  cloudplatform.aws.ecs_taskdefinition_revision:
    family: cloudplatform-dev-api
    cpu: "256"
    memory: "512"
    execution_role_arn: arn:aws:iam::123456789012:role/cloudplatform-dev-role-task-execution
    task_role_arn: arn:aws:iam::123456789012:role/cloudplatform-dev-role-api
    container_definitions:
      - name: api
        image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.4.2
        essential: true
        readonlyRootFilesystem: true
        portMappings:
          - containerPort: 8000
    tags:
      Environment: dev

- name: Deregister every revision of the family
  cloudplatform.aws.ecs_taskdefinition_revision:
    family: cloudplatform-dev-api
    state: absent
"""

RETURN = r"""
task_definition:
  description: The latest revision after the run (snake_cased), with tags as a dict. Empty after I(state=absent).
  returned: always
  type: dict
  contains:
    task_definition_arn:
      description: ARN of the revision.
      type: str
      sample: arn:aws:ecs:us-east-1:123456789012:task-definition/cloudplatform-dev-api:4
    revision:
      description: Revision number.
      type: int
      sample: 4
    tags:
      description: Tags of the revision.
      type: dict
differences:
  description: Top-level fields that differed from the latest revision (why a revision was registered).
  returned: always
  type: list
  elements: str
  sample: [containerDefinitions]
deregistered:
  description: ARNs deregistered with I(state=absent).
  returned: always
  type: list
  elements: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudplatform.aws.plugins.module_utils.ecs_service import (
    AnsibleECSError,
    converge_task_definition,
    deregister_family,
    describe_task_definition,
    list_task_definition_arns,
    task_definition_options,
)


def latest_revision(client, family):
    arns = list_task_definition_arns(client, family)
    return describe_task_definition(client, arns[0]) if arns else None


def ensure_present(module, client):
    latest = latest_revision(client, module.params["family"])
    return dict(converge_task_definition(module, client, module.params, latest), deregistered=[])


def ensure_absent(module, client):
    arns = deregister_family(module, client, module.params["family"])
    return {
        "changed": bool(arns),
        "differences": [],
        "deregistered": arns,
        "task_definition": {},
        "diff": {"before": {"active_revisions": arns}, "after": {"active_revisions": []}},
    }


def main():
    argument_spec = dict(task_definition_options(), state=dict(type="str", choices=["present", "absent"], default="present"))
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_if=[("state", "present", ["container_definitions"])],
        supports_check_mode=True,
    )
    client = module.client("ecs")
    try:
        if module.params["state"] == "present":
            result = ensure_present(module, client)
        else:
            result = ensure_absent(module, client)
    except AnsibleECSError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
