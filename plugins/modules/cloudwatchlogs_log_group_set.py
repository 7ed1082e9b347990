#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudwatchlogs_log_group_set
short_description: Manage a list of CloudWatch Logs log groups (retention, KMS key, tags) in one call
version_added: 0.1.0
description:
  - Converges every log group of O(log_groups) in one module call; M(amazon.aws.cloudwatchlogs_log_group)
    takes one module call per log group, which is why this module exists.
  - Reads with one paginated C(DescribeLogGroups) over the longest common prefix of the names (one
    or two pages for a service list; the answer is then filtered by exact name) and one
    C(ListTagsForResource) per existing log group. A converged list costs those reads and no write.
  - For each log group it creates the group when missing (with its KMS key and tags), then sets the
    retention (C(PutRetentionPolicy)), the KMS key (C(AssociateKmsKey)/C(DisassociateKmsKey)) and
    the tags (C(TagResource)/C(UntagResource)) only where they differ. Settings left unset are not
    touched.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  state:
    type: str
    choices: [present, absent]
    default: present
    description: C(present) creates and converges the log groups; C(absent) deletes those that exist.
  log_groups:
    description: The log groups.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: "The log group name: 1-512 characters among C(a-z A-Z 0-9 . - _ / #). Names must be unique in the list."
        type: str
        required: true
      retention:
        description:
          - The number of days events are kept. Unset, the retention is not managed.
          - One of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192,
            2557, 2922, 3288, 3653 (the values CloudWatch Logs accepts).
        type: int
      kms_key_id:
        description:
          - The ARN of the KMS key that encrypts the log group's data (C(arn:aws:kms:<region>:<account>:key/<id>);
            an alias is not accepted by C(AssociateKmsKey)).
          - An empty string disassociates the key. Unset, the key is not managed.
        type: str
      tags:
        description: Tags to set on the log group; left unset, the log group keeps the tags it has.
        type: dict
      purge_tags:
        description: With O(log_groups[].tags) set, also remove the tags not listed there (except those starting with C(aws:)).
        default: true
        type: bool
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Deleting a log group deletes its events; there is no undo.
seealso:
  - module: amazon.aws.cloudwatchlogs_log_group
  - module: cloudplatform.aws.cloudwatchlogs_metric_filter_set
attributes:
  check_mode:
    description: Reports which log groups would be created, changed or deleted without any write call.
    support: full
  diff_mode:
    description: Shows, by log group name, the retention, KMS key and tags before and after of the log groups that change, are created or are deleted.
    support: full
  platform:
    description: Targets the log group calls of the CloudWatch Logs API.
    platforms: aws
    support: full
"""

EXAMPLES = r"""
- name: Converge the container log groups of the services
  cloudplatform.aws.cloudwatchlogs_log_group_set:
    log_groups:
      - name: /ecs/cloudplatform-prod/api
        retention: 30
        kms_key_id: arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0
        tags:
          Environment: prod
          Service: api
      # Tags only: the retention and key of this group are left as they are.
      - name: /ecs/cloudplatform-prod/worker
        tags: {Environment: prod, Service: worker}
        purge_tags: false

- name: Stop encrypting a log group with a customer key, leave its tags alone
  cloudplatform.aws.cloudwatchlogs_log_group_set:
    log_groups:
      - name: /ecs/cloudplatform-dev/api
        kms_key_id: ""

- name: Delete the log groups of removed services
  cloudplatform.aws.cloudwatchlogs_log_group_set:
    log_groups:
      - name: /ecs/cloudplatform-prod/billing
    state: absent
"""

RETURN = r"""
log_groups:
  description:
    - The log groups of O(log_groups) after the change, in the order given (predicted in check mode).
    - Empty for O(state=absent).
  returned: always
  type: list
  elements: dict
  contains:
    log_group_name:
      description: The log group name.
      type: str
      sample: /ecs/cloudplatform-prod/api
    arn:
      description: The ARN as C(DescribeLogGroups) returns it, ending in C(:*) (null in check mode before creation).
      type: str
      sample: arn:aws:logs:us-east-1:123456789012:log-group:/ecs/cloudplatform-prod/api:*
    log_group_arn:
      description: The ARN without the trailing C(:*), the form the tagging APIs and IAM policies take.
      type: str
      sample: arn:aws:logs:us-east-1:123456789012:log-group:/ecs/cloudplatform-prod/api
    retention_in_days:
      description: The retention in days; null when events never expire.
      type: int
      sample: 30
    kms_key_id:
      description: The ARN of the KMS key; null when the log group has none.
      type: str
    tags:
      description: The tags of the log group.
      type: dict
      sample: {"Environment": "prod"}
    creation_time:
      description: The creation time in milliseconds since the epoch (null in check mode before creation).
      type: int
created:
  description: Names of the log groups created.
  returned: always
  type: list
  elements: str
updated:
  description: Names of the existing log groups whose retention, key or tags changed.
  returned: always
  type: list
  elements: str
deleted:
  description: Names of the log groups deleted.
  returned: always
  type: list
  elements: str
"""

import re

from ansible.module_utils.common.text.converters import to_text

from ansible_collections.cloudplatform.aws.plugins.module_utils.cloudwatch_logs import (
    associate_kms_key,
    create_log_group,
    delete_log_group,
    describe_log_groups,
    disassociate_kms_key,
    list_tags_for_resource,
    put_retention_policy,
    run_logs_module,
    tag_resource,
    untag_resource,
)
from ansible_collections.cloudplatform.aws.plugins.module_utils.list_changes import ListChanges, fail_on_errors
from ansible_collections.cloudplatform.aws.plugins.module_utils.tag_sync import sync_tags

RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)
LOG_GROUP_NAME = re.compile(r"^[.\-_/#A-Za-z0-9]{1,512}$")
KMS_KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$")


def group_errors(index, group, seen):
    where = "log_groups[%d]" % index
    name = group["name"]
    errors = []
    if not LOG_GROUP_NAME.match(name):
        errors.append("%s.name: %r is not a valid log group name; expected 1-512 characters a-z A-Z 0-9 . - _ / #" % (where, name))
    if name in seen:
        errors.append("%s.name: %r is already log_groups[%d]; expected unique names" % (where, name, seen[name]))
    seen.setdefault(name, index)
    if group["retention"] is not None and group["retention"] not in RETENTION_DAYS:
        errors.append("%s.retention: %r is not a retention CloudWatch Logs accepts; expected one of %s"
                      % (where, group["retention"], ", ".join(str(d) for d in RETENTION_DAYS)))
    if group["kms_key_id"] and not KMS_KEY_ARN.match(group["kms_key_id"]):
        errors.append("%s.kms_key_id: %r is not a KMS key ARN; expected arn:aws:kms:<region>:<account>:key/<key id>, "
                      "or '' to disassociate the key" % (where, group["kms_key_id"]))
    return errors


def input_errors(groups):
    seen = {}
    return [error for index, group in enumerate(groups) for error in group_errors(index, group, seen)]


def run(module, client):
    """Validate the list, then converge it (main() and the unit tests call this)."""
    fail_on_errors(module, input_errors(module.params["log_groups"]))
    return LogGroupSet(module, client).converged("log_groups")


def tag_arn(described):
    """ListTagsForResource and the tagging calls take the log group ARN without the trailing ':*'."""
    return described.get("logGroupArn") or re.sub(r":\*$", "", described["arn"])


def common_prefix(names):
    """The longest string every name starts with (DescribeLogGroups matches prefixes character by character)."""
    first, last = min(names), max(names)
    size = 0
    while size < len(first) and first[size] == last[size]:
        size += 1
    return first[:size]


def read_groups(client, names):
    """The described log groups of ``names`` by name, and their tags; absent groups are left out."""
    if not names:
        return {}, {}
    wanted = set(names)
    found = {g["logGroupName"]: g for g in describe_log_groups(client, common_prefix(names)) if g["logGroupName"] in wanted}
    tags = {name: list_tags_for_resource(client, tag_arn(g)) for name, g in found.items()}
    return found, tags


def string_tags(tags):
    return None if tags is None else {to_text(k): to_text(v) for k, v in tags.items()}


def tags_after(current, wanted, purge):
    if wanted is None:
        return current
    kept = {k: v for k, v in current.items() if not purge or k.startswith("aws:")}
    return dict(kept, **wanted)


def settings_view(described, tags):
    return dict(retention_in_days=described.get("retentionInDays"), kms_key_id=described.get("kmsKeyId"), tags=tags)


def result_view(name, described, tags):
    arn = described.get("arn")
    return dict(settings_view(described, tags), log_group_name=name, arn=arn, log_group_arn=tag_arn(described) if arn else None,
                creation_time=described.get("creationTime"))


def create_group(module, client, group):
    if module.check_mode:
        return True
    create_log_group(client, group["name"], kms_key_id=group["kms_key_id"], tags=string_tags(group["tags"]))
    if group["retention"] is not None:
        put_retention_policy(client, group["name"], group["retention"])
    return True


def update_retention(module, client, group, current):
    if group["retention"] is None or current.get("retentionInDays") == group["retention"]:
        return False
    if module.check_mode:
        return True
    put_retention_policy(client, group["name"], group["retention"])
    return True


def update_kms_key(module, client, group, current):
    if group["kms_key_id"] is None or current.get("kmsKeyId", "") == group["kms_key_id"]:
        return False
    if module.check_mode:
        return True
    if group["kms_key_id"]:
        associate_kms_key(client, group["name"], group["kms_key_id"])
    else:
        disassociate_kms_key(client, group["name"])
    return True


def update_tags(module, client, group, current, current_tags):
    if group["tags"] is None:
        return False
    arn = tag_arn(current)
    return sync_tags(module, current_tags, lambda keys: untag_resource(client, arn, keys),
                     lambda tags: tag_resource(client, arn, tags), wanted=string_tags(group["tags"]), purge=group["purge_tags"])


def expected(group, current, current_tags):
    """The described log group as it is after converging ``group`` (for the diff and check mode)."""
    described = dict(current)
    if group["retention"] is not None:
        described["retentionInDays"] = group["retention"]
    if group["kms_key_id"] is not None:
        described["kmsKeyId"] = group["kms_key_id"] or None
    return described, tags_after(current_tags, string_tags(group["tags"]), group["purge_tags"])


class LogGroupSet(ListChanges):
    """Converges the listed log groups and records what changed for the result and the diff."""

    def __init__(self, module, client):
        super(LogGroupSet, self).__init__(module, client)
        self.names = [group["name"] for group in module.params["log_groups"]]
        self.current, self.current_tags = read_groups(client, self.names)

    def converge_group(self, group):
        name = group["name"]
        current = self.current.get(name)
        tags = self.current_tags.get(name, {})
        if current is None:
            changed = create_group(self.module, self.client, group)
        else:
            changed = update_retention(self.module, self.client, group, current)
            changed |= update_kms_key(self.module, self.client, group, current)
            changed |= update_tags(self.module, self.client, group, current, tags)
        if changed:
            self.record("updated" if current else "created", name, before=settings_view(current, tags) if current else None,
                        after=settings_view(*expected(group, current or {}, tags)))

    def delete_group(self, name):
        if name not in self.current:
            return
        if not self.module.check_mode:
            delete_log_group(self.client, name)
        self.record("deleted", name, before=settings_view(self.current[name], self.current_tags.get(name, {})))

    def converge(self):
        for group in self.module.params["log_groups"]:
            if self.module.params["state"] == "present":
                self.converge_group(group)
            else:
                self.delete_group(group["name"])

    def final(self):
        if self.module.params["state"] == "absent":
            return []
        if any(self.changes.values()) and not self.module.check_mode:
            described, tags = read_groups(self.client, self.names)
            return [result_view(name, described.get(name, {}), tags.get(name, {})) for name in self.names]
        final = []
        for group in self.module.params["log_groups"]:
            name = group["name"]
            current, current_tags = self.current.get(name, {}), self.current_tags.get(name, {})
            final.append(result_view(name, *expected(group, current, current_tags)))
        return final


def main():
    group_spec = dict(
        name=dict(type="str", required=True),
        tags=dict(type="dict"),
        purge_tags=dict(type="bool", default=True),
        retention=dict(type="int"),
        kms_key_id=dict(type="str"),
    )
    argument_spec = dict(
        state=dict(type="str", default="present", choices=["present", "absent"]),
        log_groups=dict(type="list", elements="dict", required=True, options=group_spec),
    )
    run_logs_module(argument_spec, run)


if __name__ == "__main__":
    main()
