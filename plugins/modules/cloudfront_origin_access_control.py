#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudfront_origin_access_control
short_description: Manage a CloudFront origin access control (OAC)
version_added: 0.1.0
description:
  - An origin access control lets CloudFront sign its requests to a private origin (an S3 bucket
    whose policy allows only the distribution). C(community.aws.cloudfront_distribution) only
    knows the legacy origin access identities.
  - The origin access control is found by name; its settings are updated when they differ.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  name:
    description: Name of the origin access control (unique in the account).
    type: str
    required: true
  description:
    description: Its description.
    type: str
    default: ""
  origin_type:
    description: The kind of origin it signs for.
    type: str
    choices: [s3, mediastore, lambda, mediapackagev2]
    default: s3
  signing_behavior:
    description: When CloudFront signs origin requests (C(always) is the recommended setting).
    type: str
    choices: [always, never, no-override]
    default: always
  state:
    description: Whether it should exist. Deleting fails while a distribution uses it.
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
    description: Returns the origin access control before and after.
  platform:
    support: full
    platforms: aws
    description: Runs against the Amazon CloudFront API.
"""

EXAMPLES = r"""
- name: Create the origin access control of the dashboard bucket
  cloudplatform.aws.cloudfront_origin_access_control:
    name: cloudplatform-prod-oac-dashboard
    description: Dashboard bucket
"""

RETURN = r"""
origin_access_control:
  description: The origin access control (empty when absent, or in check mode before it exists).
  returned: always
  type: dict
  contains:
    id:
      description: Its id, used as C(OriginAccessControlId) of a distribution origin.
      type: str
      sample: E2QWRUHAPOMQZL
    name:
      description: Its name.
      type: str
    description:
      description: Its description.
      type: str
    origin_type:
      description: The origin type.
      type: str
    signing_behavior:
      description: The signing behaviour.
      type: str
    signing_protocol:
      description: Always C(sigv4).
      type: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudplatform.aws.plugins.module_utils.cloudfront_oac import (
    AnsibleCloudFrontError,
    create_origin_access_control,
    delete_origin_access_control,
    get_origin_access_control,
    list_origin_access_controls,
    update_origin_access_control,
)


def wanted_config(params):
    return dict(
        Name=params["name"],
        Description=params["description"],
        SigningProtocol="sigv4",
        SigningBehavior=params["signing_behavior"],
        OriginAccessControlOriginType=params["origin_type"],
    )


def describe(oac_id, config):
    if not config:
        return {}
    return dict(
        id=oac_id,
        name=config["Name"],
        description=config.get("Description") or "",
        origin_type=config["OriginAccessControlOriginType"],
        signing_behavior=config["SigningBehavior"],
        signing_protocol=config["SigningProtocol"],
    )


def find(client, name):
    for summary in list_origin_access_controls(client):
        if summary["Name"] == name:
            oac, etag = get_origin_access_control(client, summary["Id"])
            if oac:
                return summary["Id"], oac["OriginAccessControlConfig"], etag
    return None, None, None


def ensure_present(module, client, oac_id, config, etag):
    wanted = wanted_config(module.params)
    if oac_id and describe(oac_id, config) == describe(oac_id, wanted):
        return False, describe(oac_id, config)
    if module.check_mode:
        return True, describe(oac_id, wanted)
    if oac_id:
        result = update_origin_access_control(client, oac_id, etag, wanted)
    else:
        result = create_origin_access_control(client, wanted)
    return True, describe(result["Id"], result["OriginAccessControlConfig"])


def run(module, client):
    oac_id, config, etag = find(client, module.params["name"])
    before = describe(oac_id, config)
    if module.params["state"] == "absent":
        if oac_id and not module.check_mode:
            delete_origin_access_control(client, oac_id, etag)
        return dict(changed=bool(oac_id), origin_access_control={}, diff=dict(before=before, after={}))
    changed, after = ensure_present(module, client, oac_id, config, etag)
    return dict(changed=changed, origin_access_control=after, diff=dict(before=before, after=after))


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            description=dict(type="str", default=""),
            origin_type=dict(type="str", choices=["s3", "mediastore", "lambda", "mediapackagev2"], default="s3"),
            signing_behavior=dict(type="str", choices=["always", "never", "no-override"], default="always"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        supports_check_mode=True,
    )
    client = module.client("cloudfront")
    try:
        result = run(module, client)
    except AnsibleCloudFrontError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
