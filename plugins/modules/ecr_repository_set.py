#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: ecr_repository_set
short_description: Manage a list of ECR repositories in one call
version_added: 0.1.0
description:
  - Converges every repository of O(repositories) in one module call (image tag mutability, scan
    on push, encryption at creation, lifecycle policy, repository policy and tags). It replaces a
    loop of M(community.aws.ecs_ecr) plus a tagging task, which cost a module start per
    repository and per task.
  - Reads on a converged set, per 100 repositories one C(DescribeRepositories); then per repository
    one C(ListTagsForResource), one C(GetLifecyclePolicy) only when O(repositories[].lifecycle_policy)
    is set and one C(GetRepositoryPolicy) only when O(repositories[].repository_policy) is set.
    C(DescribeRepositories) fails the whole call when one name does not exist, so a batch that holds a
    repository still to be created is asked again one name at a time.
  - Writes only what differs, with the call of that setting (C(PutImageTagMutability),
    C(PutImageScanningConfiguration), C(PutLifecyclePolicy), C(SetRepositoryPolicy),
    C(TagResource)/C(UntagResource)); a converged set makes no write call. A new repository gets its
    settings and tags in C(CreateRepository), then its policies.
  - A setting left unset is not managed; the module neither reads nor changes it.
  - All input is checked, and the encryption of every existing repository is compared, before the
    first write call, so bad input or an encryption that cannot change leaves every repository untouched.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  repositories:
    description: The repositories, in the order of the result.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: The repository name, e.g. C(cloudplatform-prod/api). Names must be unique in the list.
        type: str
        required: true
      image_tag_mutability:
        description: Whether a pushed tag can be pushed again. Unset, an existing repository keeps its value and a new one is C(MUTABLE).
        type: str
        choices: [MUTABLE, IMMUTABLE]
      scan_on_push:
        description: Scan images on push (basic scanning). Unset, an existing repository keeps its value and a new one does not scan.
        type: bool
      encryption_configuration:
        description:
          - The encryption of a new repository. Unset, a new repository uses C(AES256).
          - ECR sets encryption only at creation. When an existing repository is encrypted otherwise,
            the module fails, naming the repository, its encryption and the requested one, instead of
            replacing the repository.
        type: dict
        suboptions:
          encryption_type:
            description: C(AES256) (an AWS-owned key) or C(KMS).
            type: str
            required: true
            choices: [AES256, KMS]
          kms_key:
            description:
              - With C(KMS), the key ARN or key ID; unset, ECR uses the AWS managed key C(aws/ecr).
              - Not an alias; ECR reports the key ARN, which an alias cannot be compared with.
            type: str
      lifecycle_policy:
        description:
          - The lifecycle policy, as a dict or a JSON string. Unset, the policy is not managed (nor read).
          - An empty dict C({}) means no lifecycle policy; an existing one is deleted.
          - Compared with the current policy by meaning, not text (key order, rule order, order of tag lists).
        type: json
      repository_policy:
        description:
          - The repository (resource-based) policy, as a dict or a JSON string. Unset, the policy is not managed (nor read).
          - An empty dict C({}) means no repository policy; an existing one is deleted.
          - Compared with the current policy by meaning, as M(community.aws.ecs_ecr) does.
        type: json
      tags:
        description: The tags. Unset, the tags are not changed.
        type: dict
        aliases: [resource_tags]
      purge_tags:
        description: Remove the tags that O(repositories[].tags) does not list. Ignored when O(repositories[].tags) is unset.
        type: bool
        default: true
  state:
    description: C(present) converges the repositories; C(absent) deletes those of them that exist.
    type: str
    choices: [present, absent]
    default: present
  force_absent:
    description:
      - With O(state=absent), delete repositories that still hold images, with their images.
      - When false, the module fails before deleting anything if a listed repository holds images, naming them.
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    description: Makes only read calls and reports what would be created, changed or deleted.
  diff_mode:
    support: full
    description: Shows, keyed by repository name, the managed settings, policies and tags before and after of the repositories that change.
  platform:
    support: full
    platforms: aws
    description: Runs against the Amazon ECR API.
notes:
  - IAM actions, O(state=present) ecr:DescribeRepositories, ecr:ListTagsForResource, ecr:CreateRepository,
    ecr:TagResource, ecr:UntagResource, ecr:PutImageTagMutability, ecr:PutImageScanningConfiguration; with a
    lifecycle policy ecr:GetLifecyclePolicy, ecr:PutLifecyclePolicy, ecr:DeleteLifecyclePolicy; with a
    repository policy ecr:GetRepositoryPolicy, ecr:SetRepositoryPolicy, ecr:DeleteRepositoryPolicy; with a
    customer managed key kms:DescribeKey and kms:CreateGrant on it.
  - IAM actions, O(state=absent) ecr:DescribeRepositories, ecr:ListImages, ecr:DeleteRepository.
"""

EXAMPLES = r"""
- name: Converge the service image repositories
  cloudplatform.aws.ecr_repository_set:
    repositories:
      - name: cloudplatform-prod/api
        image_tag_mutability: MUTABLE
        scan_on_push: true
        encryption_configuration:
          encryption_type: KMS
          kms_key: arn:aws:kms:us-east-1:123456789012:key/0f0e0d0c-0b0a-0908-0706-050403020100
        lifecycle_policy:
          rules:
            - rulePriority: 1
              description: Keep the last 10 images
              selection: {tagStatus: any, countType: imageCountMoreThan, countNumber: 10}
              action: {type: expire}
        tags:
          Environment: prod
          Name: cloudplatform-prod/api
      - name: cloudplatform-prod/worker
        scan_on_push: true
        tags:
          Environment: prod
  register: ecr

- name: Delete the repositories and their images
  cloudplatform.aws.ecr_repository_set:
    repositories:
      - name: cloudplatform-prod/api
      - name: cloudplatform-prod/worker
    state: absent
    force_absent: true
"""

RETURN = r"""
repositories:
  description:
    - The repositories of O(repositories) after the change, in the order given, snake_cased as
      C(DescribeRepositories) returns them, with their policies and tags. Empty with O(state=absent).
    - In check mode, a repository that would be created has null C(repository_arn), C(repository_uri) and C(registry_id).
  returned: always
  type: list
  elements: dict
  contains:
    repository_name:
      description: The repository name.
      type: str
      sample: cloudplatform-prod/api
    repository_arn:
      description: The repository ARN.
      type: str
      sample: arn:aws:ecr:us-east-1:123456789012:repository/cloudplatform-prod/api
    repository_uri:
      description: The URI to push to and pull from.
      type: str
      sample: 123456789012.dkr.ecr.us-east-1.amazonaws.com/cloudplatform-prod/api
    registry_id:
      description: The account of the registry.
      type: str
      sample: "123456789012"
    image_tag_mutability:
      description: C(MUTABLE) or C(IMMUTABLE).
      type: str
    image_scanning_configuration:
      description: C(scan_on_push).
      type: dict
      sample: {"scan_on_push": true}
    encryption_configuration:
      description: C(encryption_type) and, with KMS, C(kms_key).
      type: dict
      sample: {"encryption_type": "KMS", "kms_key": "arn:aws:kms:us-east-1:123456789012:key/0f0e0d0c-0b0a-0908-0706-050403020100"}
    lifecycle_policy:
      description: The lifecycle policy as a dict; null when there is none or when O(repositories[].lifecycle_policy) is unset (not read).
      type: dict
    repository_policy:
      description: The repository policy as a dict; null when there is none or when O(repositories[].repository_policy) is unset (not read).
      type: dict
    tags:
      description: The tags.
      type: dict
      sample: {"Environment": "prod"}
created:
  description: Names of the repositories created (or, in check mode, that would be).
  returned: always
  type: list
  elements: str
updated:
  description: Names of the existing repositories with a setting, policy or tag changed.
  returned: always
  type: list
  elements: str
deleted:
  description: Names of the repositories deleted.
  returned: always
  type: list
  elements: str
"""

import json
import re

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ansible_collections.cloudplatform.aws.plugins.module_utils.ecr import (
    AnsibleEcrError,
    create_repository,
    delete_policy,
    delete_repository,
    find_repositories,
    get_policy,
    list_repository_tags,
    put_image_scanning_configuration,
    put_image_tag_mutability,
    put_policy,
    repository_has_images,
    tag_repository,
    untag_repository,
)
from ansible_collections.cloudplatform.aws.plugins.module_utils.tag_sync import sync_tags

# CreateRepository's rule for repository names (2 to 256 characters).
NAME_PATTERN = re.compile(r"(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*")


def _canonical_rule(rule):
    selection = rule.get("selection")
    if not isinstance(selection, dict):
        return rule
    return dict(rule, selection={k: sorted(v) if isinstance(v, list) else v for k, v in selection.items()})


def _lifecycle_key(policy):
    # ECR answers with the rules ordered by priority and may reorder a tag list, whose order carries
    # no meaning: sort both sides the same way (priorities are unique, so the order is canonical).
    rules = [_canonical_rule(rule) for rule in policy.get("rules", [])]
    return dict(policy, rules=sorted(rules, key=lambda rule: str(rule.get("rulePriority"))))


# How each policy the module manages compares with ECR's answer.
POLICIES = {
    "lifecycle_policy": lambda current, wanted: _lifecycle_key(current) == _lifecycle_key(wanted),
    "repository_policy": lambda current, wanted: not compare_policies(current, wanted),
}


# Input checks: every message names the option, the value and what is accepted.


def check_name(label, name, seen):
    errors = []
    if not (2 <= len(name) <= 256 and NAME_PATTERN.fullmatch(name)):
        errors.append("%s.name: %r is not a valid ECR repository name; expected 2-256 characters, lowercase letters and digits "
                      "joined by . _ - in path parts separated by / (e.g. cloudplatform-prod/api)" % (label, name))
    if name in seen:
        errors.append("%s.name: %r is already repositories[%d].name; expected unique names" % (label, name, seen[name]))
    return errors


def check_encryption(label, encryption):
    key = (encryption or {}).get("kms_key")
    if not key:
        return []
    if encryption["encryption_type"] != "KMS":
        return ["%s.encryption_configuration.kms_key: %r is set with encryption_type %s; expected encryption_type KMS with a key"
                % (label, key, encryption["encryption_type"])]
    if "alias/" in key:
        return ["%s.encryption_configuration.kms_key: %r is an alias; expected the key ARN or key ID (ECR reports the key ARN, "
                "which an alias cannot be compared with)" % (label, key)]
    return []


def parse_policy(label, option, value):
    """(policy, errors): None when unset (not managed), {} for no policy, else the policy as a dict."""
    if value is None:
        return None, []
    text = value.strip()
    try:
        policy = json.loads(text) if text else {}
    except ValueError as e:
        return None, ["%s.%s: %r is not valid JSON (%s); expected a JSON object, or {} for no policy" % (label, option, value, e)]
    if not isinstance(policy, dict):
        return None, ["%s.%s: %r is not a JSON object; expected a JSON object, or {} for no policy" % (label, option, value)]
    rules = policy.get("rules", []) if option == "lifecycle_policy" else []
    if not isinstance(rules, list) or not all(isinstance(rule, dict) for rule in rules):
        return None, ["%s.%s: rules %r is not a list of rules; expected {\"rules\": [{\"rulePriority\": 1, ...}]}" % (label, option, rules)]
    return policy, []


def desired_repositories(module):
    """The repositories option checked, policies parsed; fails naming every bad value before any API call."""
    errors, seen, desired = [], {}, []
    for index, repository in enumerate(module.params["repositories"]):
        label = "repositories[%d]" % index
        spec = dict(repository, label="%s (%s)" % (label, repository["name"]))
        errors += check_name(label, repository["name"], seen)
        errors += check_encryption(label, repository["encryption_configuration"])
        for option in POLICIES:
            spec[option], policy_errors = parse_policy(label, option, repository[option])
            errors += policy_errors
        seen.setdefault(repository["name"], index)
        desired.append(spec)
    if errors:
        module.fail_json(msg="; ".join(errors))
    return desired


# Encryption: compared, never changed.


def encryption_params(encryption):
    if not encryption:
        return None
    params = {"encryptionType": encryption["encryption_type"]}
    if encryption["kms_key"]:
        params["kmsKey"] = encryption["kms_key"]
    return params


def show_encryption(encryption):
    return "%s (%s)" % (encryption["encryptionType"], encryption["kmsKey"]) if encryption.get("kmsKey") else encryption["encryptionType"]


def encryption_mismatch(spec, repository):
    """The message for a repository whose encryption differs from the requested one, else None."""
    wanted = encryption_params(spec["encryption_configuration"])
    if not wanted:
        return None
    current = repository.get("encryptionConfiguration") or {"encryptionType": "AES256"}
    key, wanted_key = current.get("kmsKey") or "", wanted.get("kmsKey")
    same_key = not wanted_key or key == wanted_key or key.endswith(":key/" + wanted_key)
    if current["encryptionType"] == wanted["encryptionType"] and same_key:
        return None
    return ("%s: encryption_configuration cannot be changed in place: the repository is encrypted with %s, "
            "encryption_configuration asks for %s; ECR sets encryption only at creation, so request the current "
            "encryption or delete and recreate the repository (its images are lost)"
            % (spec["label"], show_encryption(current), show_encryption(wanted)))


# Updates of an existing repository: False when unset or equal, True (without a call in check mode) otherwise.


def update_tag_mutability(module, client, spec, repository, details):
    wanted = spec["image_tag_mutability"]
    if wanted is None or repository.get("imageTagMutability") == wanted:
        return False
    if not module.check_mode:
        put_image_tag_mutability(client, spec["name"], wanted)
    return True


def update_scan_on_push(module, client, spec, repository, details):
    wanted = spec["scan_on_push"]
    if wanted is None or repository.get("imageScanningConfiguration", {}).get("scanOnPush", False) == wanted:
        return False
    if not module.check_mode:
        put_image_scanning_configuration(client, spec["name"], wanted)
    return True


def same_policy(option, current, wanted):
    if not (current and wanted):
        return not current and not wanted
    return POLICIES[option](current, wanted)


def update_policy(module, client, spec, details, option):
    wanted = spec[option]
    if wanted is None or same_policy(option, details[option], wanted):
        return False
    if not module.check_mode:
        if wanted:
            put_policy(client, spec["name"], option, wanted)
        else:
            delete_policy(client, spec["name"], option)
    return True


def update_lifecycle_policy(module, client, spec, repository, details):
    return update_policy(module, client, spec, details, "lifecycle_policy")


def update_repository_policy(module, client, spec, repository, details):
    return update_policy(module, client, spec, details, "repository_policy")


def update_tags(module, client, spec, repository, details):
    if spec["tags"] is None:
        return False
    arn = repository["repositoryArn"]
    return sync_tags(module, details["tags"], lambda keys: untag_repository(client, arn, keys), lambda tags: tag_repository(client, arn, tags),
                     wanted=spec["tags"], purge=spec["purge_tags"])


UPDATES = (update_tag_mutability, update_scan_on_push, update_lifecycle_policy, update_repository_policy, update_tags)


# Creation.


def planned_repository(spec):
    """The repository check mode would create: AWS assigns its ARN, URI and registry."""
    return dict(repositoryName=spec["name"], repositoryArn=None, repositoryUri=None, registryId=None,
                imageTagMutability=spec["image_tag_mutability"] or "MUTABLE",
                imageScanningConfiguration={"scanOnPush": bool(spec["scan_on_push"])},
                encryptionConfiguration=encryption_params(spec["encryption_configuration"]) or {"encryptionType": "AES256"})


def create_params(spec):
    params = dict(repositoryName=spec["name"])
    if spec["image_tag_mutability"]:
        params["imageTagMutability"] = spec["image_tag_mutability"]
    if spec["scan_on_push"] is not None:
        params["imageScanningConfiguration"] = {"scanOnPush": spec["scan_on_push"]}
    if spec["encryption_configuration"]:
        params["encryptionConfiguration"] = encryption_params(spec["encryption_configuration"])
    if spec["tags"]:
        params["tags"] = ansible_dict_to_boto3_tag_list(spec["tags"])
    return params


def create(module, client, spec):
    """Create the repository with its settings and tags in one call, then put its policies."""
    if module.check_mode:
        return planned_repository(spec)
    repository = create_repository(client, **create_params(spec))
    for option in POLICIES:
        if spec[option]:
            put_policy(client, spec["name"], option, spec[option])
    return repository


# Reads and views.


def read_details(client, spec, repository):
    """The per-repository reads: tags always, each policy only when the task manages it."""
    details = {"tags": list_repository_tags(client, repository["repositoryArn"])}
    for option in POLICIES:
        if spec[option] is not None:
            details[option] = get_policy(client, spec["name"], option)
    return details


def expected(spec, repository, details):
    """The repository and its details once converged (what check mode reports)."""
    repository = dict(repository)
    if spec["image_tag_mutability"]:
        repository["imageTagMutability"] = spec["image_tag_mutability"]
    if spec["scan_on_push"] is not None:
        repository["imageScanningConfiguration"] = {"scanOnPush": spec["scan_on_push"]}
    details = dict(details)
    for option in POLICIES:
        if spec[option] is not None:
            details[option] = spec[option] or None
    if spec["tags"] is not None:
        details["tags"] = dict({} if spec["purge_tags"] else details.get("tags", {}), **spec["tags"])
    return repository, details


def diff_view(repository, details):
    view = dict(image_tag_mutability=repository.get("imageTagMutability"),
                scan_on_push=repository.get("imageScanningConfiguration", {}).get("scanOnPush"),
                encryption_configuration=camel_dict_to_snake_dict(repository.get("encryptionConfiguration") or {}))
    view.update(details)
    return view


def result_item(repository, details):
    item = camel_dict_to_snake_dict(repository)
    item.update(lifecycle_policy=details.get("lifecycle_policy"), repository_policy=details.get("repository_policy"),
                tags=details.get("tags", {}))
    return item


class RepositorySet:
    """Converges the listed repositories and records what changed for the result and the diff."""

    def __init__(self, module, client, desired):
        self.module = module
        self.client = client
        self.desired = desired
        self.current = find_repositories(client, [spec["name"] for spec in desired])
        self.result = dict(created=[], updated=[], deleted=[])
        self.before = {}
        self.after = {}

    def converge_repository(self, spec, details):
        name = spec["name"]
        repository = self.current.get(name)
        if repository is None:
            after = expected(spec, create(self.module, self.client, spec), {"tags": {}})
            self.result["created"].append(name)
            self.after[name] = diff_view(*after)
            return after
        changed = False
        for update in UPDATES:
            changed |= update(self.module, self.client, spec, repository, details)
        if not changed:
            return repository, details
        after = expected(spec, repository, details)
        self.result["updated"].append(name)
        self.before[name] = diff_view(repository, details)
        self.after[name] = diff_view(*after)
        return after

    def present(self):
        existing = [spec for spec in self.desired if spec["name"] in self.current]
        # Every read and the encryption check come before the first write: a repository whose
        # encryption cannot change stops the run with every repository untouched.
        errors = [m for m in (encryption_mismatch(spec, self.current[spec["name"]]) for spec in existing) if m]
        if errors:
            self.module.fail_json(msg="; ".join(errors))
        details = {spec["name"]: read_details(self.client, spec, self.current[spec["name"]]) for spec in existing}
        final = [self.converge_repository(spec, details.get(spec["name"])) for spec in self.desired]
        changed = self.result["created"] + self.result["updated"]
        if changed and not self.module.check_mode:
            reread = find_repositories(self.client, changed)
            for index, spec in enumerate(self.desired):
                if spec["name"] in reread:
                    final[index] = (reread[spec["name"]], read_details(self.client, spec, reread[spec["name"]]))
        return [result_item(*state) for state in final]

    def diff(self):
        diff = dict(before=self.before, after=self.after)
        touched = sorted(set(self.before) | set(self.after))
        if touched:
            # The unified diff shows only the lines near a change: the headers name the repositories.
            diff["before_header"] = diff["after_header"] = "repositories " + ", ".join(touched)
        return diff

    def absent(self):
        existing = [spec["name"] for spec in self.desired if spec["name"] in self.current]
        force = self.module.params["force_absent"]
        if not force:
            holding = [name for name in existing if repository_has_images(self.client, name)]
            if holding:
                self.module.fail_json(msg="repositories %s still hold images and force_absent is false; set force_absent: true "
                                          "to delete them with their images, or delete the images first" % ", ".join(holding))
        for name in existing:
            if not self.module.check_mode:
                delete_repository(self.client, name, force)
            self.result["deleted"].append(name)
            self.before[name] = diff_view(self.current[name], {})
        return []


def run(module, client):
    desired = desired_repositories(module)
    repository_set = RepositorySet(module, client, desired)
    if module.params["state"] == "absent":
        repositories = repository_set.absent()
    else:
        repositories = repository_set.present()
    return dict(changed=any(repository_set.result.values()), repositories=repositories, diff=repository_set.diff(), **repository_set.result)


def main():
    repository_spec = dict(
        name=dict(type="str", required=True),
        image_tag_mutability=dict(type="str", choices=["MUTABLE", "IMMUTABLE"]),
        scan_on_push=dict(type="bool"),
        encryption_configuration=dict(type="dict", options=dict(
            encryption_type=dict(type="str", required=True, choices=["AES256", "KMS"]),
            kms_key=dict(type="str", no_log=False),
        )),
        lifecycle_policy=dict(type="json"),
        repository_policy=dict(type="json"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(
        argument_spec=dict(
            repositories=dict(type="list", elements="dict", required=True, options=repository_spec),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            force_absent=dict(type="bool", default=False),
        ),
        supports_check_mode=True,
    )
    client = module.client("ecr")
    try:
        result = run(module, client)
    except AnsibleEcrError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
