#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: iam_role_set
short_description: Converge IAM roles (trust, inline and managed policies, tags) in one call
version_added: 0.1.0
description:
  - One module call for a whole list of IAM roles (O(roles)), each with its trust policy,
    description, maximum session duration, permissions boundary, tags, inline policies and
    managed-policy attachments.
    M(amazon.aws.iam_role) plus M(amazon.aws.iam_policy) take one module call per role and per
    inline policy, which is why this module exists.
  - Policy documents are compared semantically (key, statement and list order, a single value or
    a one-element list), so a converged set makes no write call.
  - On a converged set each role costs C(GetRole) (which carries the trust policy, description,
    maximum session duration, boundary and tags), C(ListRolePolicies), one C(GetRolePolicy) per
    inline policy named in O(roles[].inline_policies) and C(ListAttachedRolePolicies); nothing else.
    A role that changed is read again (C(GetRole), C(ListRolePolicies), C(ListAttachedRolePolicies)).
  - Settings a role entry leaves unset are not touched.
  - O(state=absent) deletes each listed role that exists, after deleting its inline policies,
    detaching its managed policies and removing it from its instance profiles (the profiles stay).
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  roles:
    description: The roles, converged in this order.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description:
          - The role name (1-64 letters, digits and C(+=,.@_-)). It cannot change.
        type: str
        required: true
      path:
        description:
          - The role path, C(/) or C(/a/b/). IAM cannot change the path of an existing role, so a
            different path fails (before any write call) and names the path the role has.
        type: str
        default: /
      description:
        description: The role description. Unset leaves the current one.
        type: str
      assume_role_policy_document:
        description:
          - The trust policy, as a dict or a JSON string.
          - Required with O(state=present).
        type: json
      inline_policies:
        description:
          - The inline policies of the role, policy name to policy document (a dict or a JSON string).
          - Unset leaves the inline policies alone.
        type: dict
      purge_inline_policies:
        description:
          - Delete the inline policies that O(roles[].inline_policies) does not list.
          - Only when O(roles[].inline_policies) is set.
        type: bool
        default: true
      managed_policy_arns:
        description:
          - ARNs of the managed policies attached to the role. Unset leaves the attachments alone.
        type: list
        elements: str
      purge_managed_policies:
        description: Detach the managed policies that O(roles[].managed_policy_arns), when set, does not list.
        type: bool
        default: true
      permissions_boundary:
        description:
          - ARN of the managed policy set as the permissions boundary; C("") removes the boundary.
            Unset leaves it alone.
        type: str
      max_session_duration:
        description: The maximum session duration in seconds, 3600 to 43200. Unset leaves the current one.
        type: int
      tags:
        description: The tags of the role. Unset leaves the tags alone.
        type: dict
      purge_tags:
        description: Remove the tags that O(roles[].tags) does not list (only when O(roles[].tags) is set).
        type: bool
        default: true
  state:
    description:
      - C(present) creates or updates the roles; C(absent) deletes those that exist.
    type: str
    choices: [present, absent]
    default: present
attributes:
  check_mode:
    support: full
    description: Reads only and reports, per role, what would change; C(arn) and C(role_id) are null for a role that would be created.
  diff_mode:
    support: full
    description: Shows, by role name, the roles (with the inline policy documents this call manages) before and after for the roles that change.
  platform:
    support: full
    platforms: aws
    description: Targets the IAM API.
notes:
  - The module does not wait for IAM to propagate a new role to other services; a consumer such as
    Lambda may refuse a role for a few seconds after its creation.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Converge the ECS roles of an environment
  cloudplatform.aws.iam_role_set:
    roles:
      - name: cloudplatform-prod-role-ecs-task-execution
        description: ECS task execution
        assume_role_policy_document:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {Service: ecs-tasks.amazonaws.com}
              Action: sts:AssumeRole
        inline_policies:
          task-execution: "{{ lookup('ansible.builtin.file', 'task-execution.json') }}"
        managed_policy_arns: []
        tags: {Project: cloudplatform, Environment: prod}
      - name: cloudplatform-prod-role-rds-monitoring
        assume_role_policy_document:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {Service: monitoring.rds.amazonaws.com}
              Action: sts:AssumeRole
        managed_policy_arns:
          - arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole
        max_session_duration: 3600
        tags: {Project: cloudplatform, Environment: prod}
  register: roles

- name: Delete two roles
  cloudplatform.aws.iam_role_set:
    roles:
      - name: cloudplatform-prod-role-ecs-task-execution
      - name: cloudplatform-prod-role-rds-monitoring
    state: absent
"""

RETURN = r"""
roles:
  description:
    - The roles in the order of O(roles), as they are after the call (in check mode, as they would be).
    - With O(state=absent) each item has only C(role_name) and C(changed).
  returned: always
  type: list
  elements: dict
  contains:
    role_name:
      description: The role name.
      type: str
      sample: cloudplatform-prod-role-ecs-task-execution
    changed:
      description: Whether this role changed (or would change in check mode).
      type: bool
    arn:
      description: The role ARN; null in check mode for a role that would be created.
      type: str
      sample: arn:aws:iam::123456789012:role/cloudplatform-prod-role-ecs-task-execution
    role_id:
      description: The role's unique id; null in check mode for a role that would be created.
      type: str
    path:
      description: The role path.
      type: str
      sample: /
    description:
      description: The role description (null when it has none).
      type: str
    assume_role_policy_document:
      description: The trust policy.
      type: dict
    inline_policy_names:
      description: Names of the role's inline policies, sorted.
      type: list
      elements: str
    managed_policy_arns:
      description: ARNs of the managed policies attached to the role, sorted.
      type: list
      elements: str
    permissions_boundary:
      description: ARN of the permissions boundary (null when there is none).
      type: str
    max_session_duration:
      description: The maximum session duration in seconds.
      type: int
      sample: 3600
    tags:
      description: The role's tags.
      type: dict
"""

import json
import re

from ansible_collections.amazon.aws.plugins.module_utils.arn import validate_aws_arn
from ansible_collections.amazon.aws.plugins.module_utils.iam import (
    AnsibleIAMError,
    detach_iam_role_policy,
    get_iam_role,
    list_iam_instance_profiles,
    list_iam_role_attached_policies,
    list_iam_role_policies,
    remove_role_from_iam_instance_profile,
    validate_iam_identifiers,
)
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.tagging import (
    ansible_dict_to_boto3_tag_list,
    boto3_tag_list_to_ansible_dict,
    compare_aws_tags,
)

from ansible_collections.cloudplatform.aws.plugins.module_utils.iam_roles import (
    attach_role_policy,
    create_role,
    delete_role,
    delete_role_permissions_boundary,
    delete_role_policy,
    get_created_role,
    get_role_policy,
    put_role_permissions_boundary,
    put_role_policy,
    tag_role,
    untag_role,
    update_assume_role_policy,
    update_role,
)

POLICY_NAME = re.compile(r"^[\w+=,.@-]{1,128}$")
SESSION_RANGE = (3600, 43200)
DEFAULT_SESSION = 3600


# Input checks: every message names the option, the bad value and what is accepted.


def short(value):
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def load_policy(value, option):
    """A policy document given as a dict or a JSON string -> (dict, None) or (None, error)."""
    document = value
    if isinstance(value, str):
        try:
            document = json.loads(value)
        except ValueError as e:
            return None, "%s: %s is not valid JSON (%s); expected a policy document as a dict or a JSON string" % (option, short(value), e)
    if not isinstance(document, dict):
        return None, "%s: %s is not a policy document; expected a dict or a JSON object string" % (option, short(value))
    return document, None


def check_identity(where, role):
    errors = []
    problem = validate_iam_identifiers("role", name=role["name"])
    if problem:
        errors.append("%s.name: %r is not a valid role name (%s); expected 1-64 letters, digits or +=,.@_-" % (where, role["name"], problem))
    problem = validate_iam_identifiers("role", path=role["path"])
    if problem:
        errors.append("%s.path: %r is not a valid role path (%s); expected / or /segment/.../" % (where, role["path"], problem))
    return errors


def check_trust(where, role, state):
    """Parses the trust policy into role['trust']."""
    role["trust"] = None
    if role["assume_role_policy_document"] is None:
        if state == "present":
            return ["%s.assume_role_policy_document: missing; required with state=present (the trust policy, a dict or a JSON string)" % where]
        return []
    role["trust"], error = load_policy(role["assume_role_policy_document"], where + ".assume_role_policy_document")
    return [error] if error else []


def check_inline_policies(where, role):
    """Parses the inline policy documents into role['inline'] (None when they are not managed)."""
    role["inline"] = None
    if role["inline_policies"] is None:
        return []
    errors = []
    role["inline"] = {}
    for name, value in role["inline_policies"].items():
        if not POLICY_NAME.match(name):
            errors.append("%s.inline_policies: %r is not a valid policy name; expected 1-128 letters, digits or +=,.@_-" % (where, name))
        role["inline"][name], error = load_policy(value, "%s.inline_policies.%s" % (where, name))
        if error:
            errors.append(error)
    return errors


def is_policy_arn(value):
    return validate_aws_arn(value, service="iam") and value.split(":", 5)[5].startswith("policy/")


def check_references(where, role):
    errors = []
    for arn in role["managed_policy_arns"] or []:
        if not is_policy_arn(arn):
            errors.append("%s.managed_policy_arns: %r is not a managed policy ARN; expected arn:<partition>:iam::<account or aws>:policy/<path><name>"
                          % (where, arn))
    boundary = role["permissions_boundary"]
    if boundary and not is_policy_arn(boundary):
        errors.append("%s.permissions_boundary: %r is not a managed policy ARN; expected arn:<partition>:iam::<account or aws>:policy/<name>, "
                      "or \"\" to remove the boundary" % (where, boundary))
    duration = role["max_session_duration"]
    if duration is not None and not SESSION_RANGE[0] <= duration <= SESSION_RANGE[1]:
        errors.append("%s.max_session_duration: %r is out of range; expected %d to %d seconds" % (where, duration, *SESSION_RANGE))
    return errors


def check_roles(module):
    """Validates every role before any call; returns the roles with their documents parsed."""
    state = module.params["state"]
    roles = [dict(role) for role in module.params["roles"]]
    errors = []
    seen = {}
    for index, role in enumerate(roles):
        where = "roles[%d]" % index
        if role["name"] in seen:
            errors.append("%s.name: %r is already roles[%d]; expected each role once" % (where, role["name"], seen[role["name"]]))
        seen.setdefault(role["name"], index)
        errors += check_identity(where, role)
        errors += check_trust(where, role, state)
        errors += check_inline_policies(where, role)
        errors += check_references(where, role)
    if errors:
        module.fail_json(msg="; ".join(errors), errors=errors)
    return roles


def check_paths(module, roles, current):
    errors = ["roles[%d].path: %r differs from the path %r of the existing role %s; IAM cannot change a role's path: "
              "set path to %r, or delete the role (state=absent) and create it again"
              % (index, role["path"], current[role["name"]]["role"]["Path"], role["name"], current[role["name"]]["role"]["Path"])
              for index, role in enumerate(roles)
              if current[role["name"]] and current[role["name"]]["role"]["Path"] != role["path"]]
    if errors:
        module.fail_json(msg="; ".join(errors), errors=errors)


# Reading


def read_role(client, name, documents_to_read=(), get_role=get_iam_role):
    """The role, its inline policy names, the documents of the named inline policies and its attachments; None when missing."""
    role = get_role(client, name)
    if role is None:
        return None
    inline_names = sorted(list_iam_role_policies(client, name))
    documents = {policy: get_role_policy(client, name, policy) for policy in sorted(documents_to_read) if policy in inline_names}
    managed = sorted(p["PolicyArn"] for p in list_iam_role_attached_policies(client, name))
    return dict(role=role, inline_names=inline_names, documents=documents, managed=managed)


def role_view(state):
    """What the module returns for a role: snake_cased, tags as a dict."""
    role = state["role"]
    return {
        "role_name": role["RoleName"],
        "arn": role.get("Arn"),
        "role_id": role.get("RoleId"),
        "path": role.get("Path"),
        "description": role.get("Description"),
        "assume_role_policy_document": role.get("AssumeRolePolicyDocument"),
        "inline_policy_names": state["inline_names"],
        "managed_policy_arns": state["managed"],
        "permissions_boundary": (role.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn"),
        "max_session_duration": role.get("MaxSessionDuration"),
        "tags": boto3_tag_list_to_ansible_dict(role.get("Tags") or []),
    }


def diff_view(state):
    return dict(role_view(state), inline_policies=state["documents"])


def wanted_names(current, wanted, purge):
    if wanted is None:
        return sorted(current)
    return sorted(set(wanted) | (set() if purge else set(current)))


def wanted_tags(current, wanted, purge):
    if wanted is None:
        return current
    return dict(wanted) if purge else dict(current, **wanted)


def role_settings(spec, role):
    """The GetRole fields of `role` once `spec` is applied."""
    role = dict(role, AssumeRolePolicyDocument=spec["trust"])
    if spec["description"] is not None:
        role["Description"] = spec["description"]
    if spec["max_session_duration"] is not None:
        role["MaxSessionDuration"] = spec["max_session_duration"]
    if spec["permissions_boundary"]:
        role["PermissionsBoundary"] = {"PermissionsBoundaryType": "PermissionsBoundaryPolicy", "PermissionsBoundaryArn": spec["permissions_boundary"]}
    elif spec["permissions_boundary"] == "":
        role.pop("PermissionsBoundary", None)
    tags = wanted_tags(boto3_tag_list_to_ansible_dict(role.get("Tags") or []), spec["tags"], spec["purge_tags"])
    role["Tags"] = ansible_dict_to_boto3_tag_list(tags)
    return role


def expected_state(spec, current):
    """The role as it is once converged (what check mode reports)."""
    current = current or dict(role={"RoleName": spec["name"], "Path": spec["path"], "MaxSessionDuration": DEFAULT_SESSION},
                              inline_names=[], documents={}, managed=[])
    return dict(
        role=role_settings(spec, current["role"]),
        inline_names=wanted_names(current["inline_names"], spec["inline"], spec["purge_inline_policies"]),
        documents=dict(current["documents"], **(spec["inline"] or {})),
        managed=wanted_names(current["managed"], spec["managed_policy_arns"], spec["purge_managed_policies"]),
    )


def tag_list(tags):
    """Tags in key order, so the calls are the same from run to run."""
    return ansible_dict_to_boto3_tag_list(dict(sorted(tags.items())))


# Updates: each compares, returns True without a call in check mode, then writes.


def update_trust(module, client, spec, current):
    if not compare_policies(current["role"].get("AssumeRolePolicyDocument"), spec["trust"]):
        return False
    if module.check_mode:
        return True
    return update_assume_role_policy(client, spec["name"], json.dumps(spec["trust"]))


def update_settings(module, client, spec, current):
    role = current["role"]
    description = spec["description"] if spec["description"] is not None else role.get("Description")
    duration = spec["max_session_duration"] or role.get("MaxSessionDuration")
    if (description or "") == (role.get("Description") or "") and duration == role.get("MaxSessionDuration"):
        return False
    if module.check_mode:
        return True
    # UpdateRole resets MaxSessionDuration to one hour when the call leaves it out: send both.
    params = {"MaxSessionDuration": duration}
    if description is not None:
        params["Description"] = description
    return update_role(client, spec["name"], **params)


def update_boundary(module, client, spec, current):
    wanted = spec["permissions_boundary"]
    have = (current["role"].get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn", "")
    if wanted is None or wanted == have:
        return False
    if module.check_mode:
        return True
    if wanted:
        put_role_permissions_boundary(client, spec["name"], wanted)
    else:
        delete_role_permissions_boundary(client, spec["name"])
    return True


def update_tags(module, client, spec, current):
    if spec["tags"] is None:
        return False
    have = boto3_tag_list_to_ansible_dict(current["role"].get("Tags") or [])
    to_set, to_remove = compare_aws_tags(have, spec["tags"], spec["purge_tags"])
    if not (to_set or to_remove):
        return False
    if module.check_mode:
        return True
    if to_remove:
        untag_role(client, spec["name"], sorted(to_remove))
    if to_set:
        tag_role(client, spec["name"], tag_list(to_set))
    return True


def update_inline_policies(module, client, spec, current):
    wanted = spec["inline"]
    if wanted is None:
        return False
    to_put = [name for name in sorted(wanted)
              if name not in current["inline_names"] or compare_policies(current["documents"].get(name), wanted[name])]
    to_delete = sorted(set(current["inline_names"]) - set(wanted)) if spec["purge_inline_policies"] else []
    if not (to_put or to_delete):
        return False
    if module.check_mode:
        return True
    for name in to_put:
        put_role_policy(client, spec["name"], name, json.dumps(wanted[name]))
    for name in to_delete:
        delete_role_policy(client, spec["name"], name)
    return True


def update_managed_policies(module, client, spec, current):
    wanted = spec["managed_policy_arns"]
    if wanted is None:
        return False
    to_attach = sorted(set(wanted) - set(current["managed"]))
    to_detach = sorted(set(current["managed"]) - set(wanted)) if spec["purge_managed_policies"] else []
    if not (to_attach or to_detach):
        return False
    if module.check_mode:
        return True
    for arn in to_detach:
        detach_iam_role_policy(client, arn, spec["name"])
    for arn in to_attach:
        attach_role_policy(client, spec["name"], arn)
    return True


def create(module, client, spec):
    if module.check_mode:
        return True
    params = {"RoleName": spec["name"], "Path": spec["path"], "AssumeRolePolicyDocument": json.dumps(spec["trust"])}
    if spec["description"] is not None:
        params["Description"] = spec["description"]
    if spec["max_session_duration"] is not None:
        params["MaxSessionDuration"] = spec["max_session_duration"]
    if spec["permissions_boundary"]:
        params["PermissionsBoundary"] = spec["permissions_boundary"]
    if spec["tags"]:
        params["Tags"] = tag_list(spec["tags"])
    create_role(client, **params)
    return True


EMPTY = dict(inline_names=[], documents={}, managed=[])


def converge_present(module, client, spec, current):
    if current is None:
        changed = create(module, client, spec)
        current = EMPTY
    else:
        changed = update_tags(module, client, spec, current)
        changed |= update_trust(module, client, spec, current)
        changed |= update_settings(module, client, spec, current)
        changed |= update_boundary(module, client, spec, current)
    changed |= update_inline_policies(module, client, spec, current)
    changed |= update_managed_policies(module, client, spec, current)
    return changed


def converge_absent(module, client, name, current):
    if current is None:
        return False
    if module.check_mode:
        return True
    for policy in current["inline_names"]:
        delete_role_policy(client, name, policy)
    for arn in current["managed"]:
        detach_iam_role_policy(client, arn, name)
    for profile in list_iam_instance_profiles(client, role=name):
        remove_role_from_iam_instance_profile(client, profile["InstanceProfileName"], name)
    delete_role(client, name)
    return True


def final_state(module, client, spec, current, changed):
    """The role after the call: read again when it changed, else what was read (or, in check mode, what would be)."""
    if not changed:
        return current
    if module.check_mode:
        return expected_state(spec, current)
    # Just created: GetRole can answer NoSuchEntity for a moment, so that read retries.
    state = read_role(client, spec["name"], get_role=get_iam_role if current else get_created_role)
    state["documents"] = expected_state(spec, current)["documents"]
    return state


def converge_role(module, client, spec, current, result):
    name = spec["name"]
    if module.params["state"] == "absent":
        changed = converge_absent(module, client, name, current)
        result["roles"].append({"role_name": name, "changed": changed})
    else:
        changed = converge_present(module, client, spec, current)
        state = final_state(module, client, spec, current, changed)
        result["roles"].append(dict(role_view(state), changed=changed))
        if changed:
            result["diff"]["after"][name] = diff_view(expected_state(spec, current))
    if changed and current:
        result["diff"]["before"][name] = diff_view(current)
    return changed


def run(module, client):
    roles = check_roles(module)
    present = module.params["state"] == "present"
    current = {role["name"]: read_role(client, role["name"], (role["inline"] or {}) if present else ()) for role in roles}
    if present:
        check_paths(module, roles, current)
    result = dict(changed=False, roles=[], diff=dict(before={}, after={}))
    for role in roles:
        try:
            result["changed"] |= converge_role(module, client, role, current[role["name"]], result)
        except AnsibleIAMError as e:
            raise AnsibleIAMError(message="role %s: %s" % (role["name"], e.message), exception=e.exception) from e
    touched = sorted(set(result["diff"]["before"]) | set(result["diff"]["after"]))
    if touched:
        # The unified diff shows only the lines near a change: name the roles in the headers.
        result["diff"]["before_header"] = result["diff"]["after_header"] = "roles " + ", ".join(touched)
    if not module._diff:
        del result["diff"]
    return result


def main():
    role_spec = dict(
        name=dict(type="str", required=True),
        path=dict(type="str", default="/"),
        description=dict(type="str"),
        assume_role_policy_document=dict(type="json"),
        inline_policies=dict(type="dict"),
        purge_inline_policies=dict(type="bool", default=True),
        managed_policy_arns=dict(type="list", elements="str"),
        purge_managed_policies=dict(type="bool", default=True),
        permissions_boundary=dict(type="str"),
        max_session_duration=dict(type="int"),
        tags=dict(type="dict"),
        purge_tags=dict(type="bool", default=True),
    )
    argument_spec = dict(
        roles=dict(type="list", elements="dict", required=True, options=role_spec),
        state=dict(type="str", default="present", choices=["present", "absent"]),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    iam = module.client("iam")
    try:
        module.exit_json(**run(module, iam))
    except AnsibleIAMError as e:
        module.fail_json_aws_error(e)


if __name__ == "__main__":
    main()
