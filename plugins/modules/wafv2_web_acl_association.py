#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: wafv2_web_acl_association
short_description: Associate a regional WAFv2 web ACL with a resource (ALB, API Gateway stage, ...)
version_added: 0.1.0
description:
  - Makes O(web_acl_arn) the web ACL of O(resource_arn), or removes the resource's web ACL.
  - Reads the current association with C(GetWebACLForResource), one call for one resource, so an
    association already in place costs no write call. C(community.aws.wafv2_resources) instead
    lists every resource of the web ACL (C(ListResourcesForWebACL)).
  - A resource has at most one web ACL. When it is associated with another web ACL, that
    association is removed first.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  resource_arn:
    description: ARN of the protected resource, for example an Application Load Balancer.
    type: str
    required: true
  web_acl_arn:
    description:
      - ARN of the REGIONAL web ACL to associate.
      - Required when O(state=present). With O(state=absent) the association is removed only when
        it is this web ACL; without it, any web ACL of the resource is removed.
    type: str
  state:
    description: Whether the resource should be associated with O(web_acl_arn).
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
    description: Reports what would change and makes no write call.
  diff_mode:
    support: full
    description: Returns the web ACL ARN of the resource before and after.
  platform:
    support: full
    platforms: aws
    description: Runs against the AWS WAFv2 API.
"""

EXAMPLES = r"""
- name: Protect the ALB with the web ACL
  cloudplatform.aws.wafv2_web_acl_association:
    resource_arn: "{{ alb_resource.arn }}"
    web_acl_arn: "{{ waf_acl.arn }}"

- name: Remove the web ACL from the ALB
  cloudplatform.aws.wafv2_web_acl_association:
    resource_arn: "{{ alb_resource.arn }}"
    state: absent
"""

RETURN = r"""
web_acl:
  description: The web ACL associated with the resource after the change (empty when none).
  returned: always
  type: dict
  contains:
    arn:
      description: The web ACL ARN.
      type: str
      sample: arn:aws:wafv2:us-east-1:123456789012:regional/webacl/cloudplatform-prod-waf/1a2b3c
    name:
      description: The web ACL name.
      type: str
      sample: cloudplatform-prod-waf
    id:
      description: The web ACL id.
      type: str
      sample: 1a2b3c4d-5678-90ab-cdef-111122223333
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudplatform.aws.plugins.module_utils.wafv2 import (
    AnsibleWafv2Error,
    associate_web_acl,
    disassociate_web_acl,
    get_web_acl_for_resource,
)


def acl_view(web_acl):
    if not web_acl:
        return {}
    return dict(arn=web_acl.get("ARN"), name=web_acl.get("Name"), id=web_acl.get("Id"))


def ensure_present(module, client, current):
    wanted = module.params["web_acl_arn"]
    if current.get("arn") == wanted:
        return False
    if not module.check_mode:
        if current:
            disassociate_web_acl(client, module.params["resource_arn"])
        associate_web_acl(client, wanted, module.params["resource_arn"])
    return True


def ensure_absent(module, client, current):
    wanted = module.params["web_acl_arn"]
    if not current or (wanted and current.get("arn") != wanted):
        return False
    if not module.check_mode:
        disassociate_web_acl(client, module.params["resource_arn"])
    return True


def run(module, client):
    resource_arn = module.params["resource_arn"]
    before = acl_view(get_web_acl_for_resource(client, resource_arn))
    if module.params["state"] == "present":
        changed = ensure_present(module, client, before)
        planned = dict(arn=module.params["web_acl_arn"])
    else:
        changed = ensure_absent(module, client, before)
        planned = {}
    if not changed:
        after = before
    elif module.check_mode:
        after = planned
    else:
        after = acl_view(get_web_acl_for_resource(client, resource_arn))
    diff = dict(before=dict(web_acl_arn=before.get("arn")), after=dict(web_acl_arn=after.get("arn")))
    return dict(changed=changed, web_acl=after, diff=diff)


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            resource_arn=dict(type="str", required=True),
            web_acl_arn=dict(type="str"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        required_if=[("state", "present", ["web_acl_arn"])],
        supports_check_mode=True,
    )
    client = module.client("wafv2")
    try:
        result = run(module, client)
    except AnsibleWafv2Error as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
