#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: ecr_repository_tags
short_description: Manage the tags of an existing ECR repository
version_added: 0.1.0
description:
  - Sets the tags of an ECR repository created by C(community.aws.ecs_ecr), which has no tags option.
  - Compares with C(ListTagsForResource) and writes only when the tags differ.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  name:
    description: The repository name.
    type: str
    required: true
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
    description: Returns the tags before and after.
  platform:
    support: full
    platforms: aws
    description: Runs against the Amazon ECR API.
"""

EXAMPLES = r"""
- name: Tag the repository
  cloudplatform.aws.ecr_repository_tags:
    name: cloudplatform-prod/api
    tags:
      Environment: prod
    purge_tags: true
"""

RETURN = r"""
repository_arn:
  description: The repository ARN.
  returned: always
  type: str
  sample: arn:aws:ecr:us-east-1:123456789012:repository/cloudplatform-prod/api
tags:
  description: The repository tags after the change.
  returned: always
  type: dict
  sample: {"Environment": "prod"}
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudplatform.aws.plugins.module_utils.ecr_tags import (
    AnsibleEcrTagsError,
    describe_repository,
    list_repository_tags,
    tag_repository,
    untag_repository,
)
from ansible_collections.cloudplatform.aws.plugins.module_utils.tag_sync import sync_tags


def run(module, client):
    repository = describe_repository(client, module.params["name"])
    if repository is None:
        module.fail_json(msg="name: repository %s does not exist; expected the name of an existing ECR repository" % module.params["name"])
    arn = repository["repositoryArn"]
    before = list_repository_tags(client, arn)
    changed = sync_tags(module, before, lambda keys: untag_repository(client, arn, keys), lambda tags: tag_repository(client, arn, tags))
    if not changed:
        after = before
    elif module.check_mode:
        after = dict({} if module.params["purge_tags"] else before, **module.params["tags"])
    else:
        after = list_repository_tags(client, arn)
    return dict(changed=changed, repository_arn=arn, tags=after, diff=dict(before=dict(tags=before), after=dict(tags=after)))


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    client = module.client("ecr")
    try:
        result = run(module, client)
    except AnsibleEcrTagsError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
