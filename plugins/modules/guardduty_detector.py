#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: guardduty_detector
short_description: Manage the GuardDuty detector of an account and region
version_added: 0.1.0
description:
  - GuardDuty has at most one detector per account and region. The module finds it with
    C(ListDetectors), creates it when missing and updates its status, finding publishing
    frequency and tags when they differ.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  state:
    description: Whether the detector should exist. C(absent) deletes it (and its findings).
    type: str
    choices: [present, absent]
    default: present
  enable:
    description: Whether the detector analyses data (C(false) suspends it).
    type: bool
    default: true
  finding_publishing_frequency:
    description:
      - How often updated findings are exported to EventBridge and Security Hub.
      - Unset leaves the current value (AWS defaults to C(SIX_HOURS)).
    type: str
    choices: [FIFTEEN_MINUTES, ONE_HOUR, SIX_HOURS]
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
    description: Returns the detector before and after.
  platform:
    support: full
    platforms: aws
    description: Runs against the Amazon GuardDuty API.
"""

EXAMPLES = r"""
- name: Enable GuardDuty with findings published every 15 minutes
  cloudplatform.aws.guardduty_detector:
    finding_publishing_frequency: FIFTEEN_MINUTES
    tags:
      Project: cloudplatform
"""

RETURN = r"""
detector:
  description: The detector (empty when absent, or in check mode before it exists).
  returned: always
  type: dict
  contains:
    detector_id:
      description: The detector id.
      type: str
      sample: 12abc34d567e8fa901bc2d34e56789f0
    status:
      description: C(ENABLED) or C(DISABLED).
      type: str
      sample: ENABLED
    finding_publishing_frequency:
      description: The finding publishing frequency.
      type: str
      sample: FIFTEEN_MINUTES
    tags:
      description: The detector tags as a dict.
      type: dict
      sample: {"Project": "cloudplatform"}
"""

import uuid

from ansible_collections.amazon.aws.plugins.module_utils.iam import get_aws_account_id
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudplatform.aws.plugins.module_utils.guardduty import (
    AnsibleGuardDutyError,
    create_detector,
    delete_detector,
    get_detector,
    list_detectors,
    tag_resource,
    untag_resource,
    update_detector,
)
from ansible_collections.cloudplatform.aws.plugins.module_utils.tag_sync import sync_tags


def describe(detector_id, detector):
    if not detector:
        return {}
    return dict(
        detector_id=detector_id,
        status=detector.get("Status"),
        finding_publishing_frequency=detector.get("FindingPublishingFrequency"),
        tags=detector.get("Tags") or {},
    )


def find_detector(client):
    for detector_id in list_detectors(client):
        return detector_id, get_detector(client, detector_id)
    return None, None


def update_settings(module, client, detector_id, current):
    params = {}
    if current["status"] != ("ENABLED" if module.params["enable"] else "DISABLED"):
        params["Enable"] = module.params["enable"]
    frequency = module.params["finding_publishing_frequency"]
    if frequency and frequency != current["finding_publishing_frequency"]:
        params["FindingPublishingFrequency"] = frequency
    if not params:
        return False
    if not module.check_mode:
        params.setdefault("Enable", module.params["enable"])
        update_detector(client, detector_id, **params)
    return True


def update_tags(module, client, detector_id, current):
    def arn():
        return f"arn:{module.partition}:guardduty:{module.region}:{get_aws_account_id(module)}:detector/{detector_id}"

    return sync_tags(module, current["tags"], lambda keys: untag_resource(client, arn(), keys), lambda tags: tag_resource(client, arn(), tags))


def planned(module):
    return dict(
        detector_id=None,
        status="ENABLED" if module.params["enable"] else "DISABLED",
        finding_publishing_frequency=module.params["finding_publishing_frequency"],
        tags=module.params["tags"] or {},
    )


def ensure_present(module, client, detector_id, before):
    if not detector_id:
        if module.check_mode:
            return True, planned(module)
        params = dict(Enable=module.params["enable"], ClientToken=str(uuid.uuid4()))
        if module.params["finding_publishing_frequency"]:
            params["FindingPublishingFrequency"] = module.params["finding_publishing_frequency"]
        if module.params["tags"]:
            params["Tags"] = module.params["tags"]
        detector_id = create_detector(client, **params)
        return True, describe(detector_id, get_detector(client, detector_id))
    changed = update_settings(module, client, detector_id, before)
    changed |= update_tags(module, client, detector_id, before)
    if changed and not module.check_mode:
        return True, describe(detector_id, get_detector(client, detector_id))
    return changed, before


def run(module, client):
    detector_id, detector = find_detector(client)
    before = describe(detector_id, detector)
    if module.params["state"] == "absent":
        if detector_id and not module.check_mode:
            delete_detector(client, detector_id)
        return dict(changed=bool(detector_id), detector={}, diff=dict(before=before, after={}))
    changed, after = ensure_present(module, client, detector_id, before)
    return dict(changed=changed, detector=after, diff=dict(before=before, after=after))


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            state=dict(type="str", choices=["present", "absent"], default="present"),
            enable=dict(type="bool", default=True),
            finding_publishing_frequency=dict(type="str", choices=["FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"]),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    client = module.client("guardduty")
    try:
        result = run(module, client)
    except AnsibleGuardDutyError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
