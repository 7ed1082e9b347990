#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: tagged_resources_info
short_description: List the resources that carry a set of tags, counted by type
version_added: 0.1.0
description:
  - Lists the resources of the region that carry all the given tags through the Resource Groups
    Tagging API, with counts per resource type (C(ec2:vpc), C(rds:db), C(ecs:service), ...).
  - Used for the deploy summary and to prove that a teardown left nothing behind.
  - The Tagging API covers most regional services; global IAM resources and a few services are
    not listed by it, so callers that need them check with the service's own API.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  tags:
    description: Tags every listed resource must carry (key to value).
    type: dict
    required: true
  resource_types:
    description: Restrict the listing to these resource types (for example C(ec2:vpc), C(rds:db)).
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    description: The module only reads.
  diff_mode:
    support: none
    description: The module only reads.
  platform:
    support: full
    platforms: aws
    description: Runs against the AWS Resource Groups Tagging API.
"""

EXAMPLES = r"""
- name: List what the prod environment owns
  cloudplatform.aws.tagged_resources_info:
    tags:
      Project: cloudplatform
      Environment: prod
  register: prod_resources

- name: Show the counts per type
  ansible.builtin.debug:
    var: prod_resources.counts
"""

RETURN = r"""
resources:
  description: The tagged resources.
  returned: always
  type: list
  elements: dict
  contains:
    arn:
      description: The resource ARN.
      type: str
    type:
      description: The resource type, C(service:type).
      type: str
    tags:
      description: The resource's tags.
      type: dict
counts:
  description: Number of resources per type.
  returned: always
  type: dict
  sample: {"ec2:vpc": 1, "ec2:subnet": 9}
arns_by_type:
  description: The ARNs of the resources, grouped by type.
  returned: always
  type: dict
  sample: {"rds:db": ["arn:aws:rds:us-east-1:123456789012:db:cloudplatform-prod-rds-postgres"]}
total:
  description: Number of resources listed.
  returned: always
  type: int
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.cloudplatform.aws.plugins.module_utils.tagging import (
    AnsibleTaggingError,
    get_resources,
    resource_type,
)


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            tags=dict(type="dict", required=True),
            resource_types=dict(type="list", elements="str", default=[]),
        ),
        supports_check_mode=True,
    )
    client = module.client("resourcegroupstaggingapi")
    filters = [{"Key": k, "Values": [str(v)]} for k, v in sorted(module.params["tags"].items())]
    try:
        mappings = get_resources(client, filters, module.params["resource_types"])
    except AnsibleTaggingError as e:
        module.fail_json_aws_error(e)
    resources = []
    arns_by_type = {}
    for mapping in mappings:
        kind = resource_type(mapping["ResourceARN"])
        arns_by_type.setdefault(kind, []).append(mapping["ResourceARN"])
        resources.append(dict(arn=mapping["ResourceARN"], type=kind, tags=boto3_tag_list_to_ansible_dict(mapping.get("Tags", []))))
    module.exit_json(
        changed=False,
        resources=resources,
        arns_by_type=dict(sorted(arns_by_type.items())),
        counts={kind: len(arns) for kind, arns in sorted(arns_by_type.items())},
        total=len(resources),
    )


if __name__ == "__main__":
    main()
