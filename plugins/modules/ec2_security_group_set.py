#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: ec2_security_group_set
short_description: Converge a list of security groups of one VPC, rules that reference each other included
version_added: 0.1.0
description:
  - Converges every group of O(security_groups) in one call. Groups may reference each other by
    name (O(security_groups[].rules[].group_name)); the missing groups are created first, so every
    name has an id before any rule is applied, and check mode plans with the names of the groups it
    would create.
  - Reads all the groups with one C(DescribeSecurityGroups) call (filtered by C(vpc-id) and the
    group names, 200 names a call); the tags come with it. On a converged set that one call is the
    only request, whatever the number of groups. A run that creates groups reads them back once
    more (C(DescribeSecurityGroups) by id) before applying their rules, and a run that changes
    anything reads the set once more at the end.
  - Rules are compared one per protocol, port range and source (CIDR, IPv6 CIDR, prefix list or
    group) with their descriptions; C(AuthorizeSecurityGroup*), C(UpdateSecurityGroupRuleDescriptions*)
    and C(RevokeSecurityGroup*) are called only for the differences, one call per group and
    direction. Tags are changed with C(CreateTags) and C(DeleteTags). A converged set makes no write call.
  - M(amazon.aws.ec2_security_group) takes one module run per group, and a second pass once the ids of
    groups that reference each other exist, which is why this module exists.
  - With O(state=absent) the listed groups are deleted; the rules by which they reference each other
    are revoked first, since AWS refuses to delete a group another group's rule names.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  vpc_id:
    description:
      - The VPC of the groups; only groups of this VPC are read, created or deleted.
    type: str
    required: true
  security_groups:
    description: The groups.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: The group name, unique in the VPC (AWS refuses names starting with C(sg-)).
        type: str
        required: true
      description:
        description:
          - The group description. Required to create the group.
          - AWS cannot change the description of a group; when it differs from the existing group's,
            the module fails, naming the group, the current and the wanted description, before any write call.
          - Unset, the description of an existing group is not compared.
        type: str
      tags:
        description:
          - The tags of the group, set at creation and compared afterwards.
          - Unset, the tags of an existing group are left alone.
        type: dict
      purge_tags:
        description: Remove the tags that are not in O(security_groups[].tags).
        type: bool
        default: true
      rules:
        description:
          - The inbound rules. Unset, the inbound rules are left alone; V([]) with
            O(security_groups[].purge_rules=true) removes them all.
          - Each item gives exactly one kind of source, with one or more values; the item stands for
            one rule per port range and source value.
        type: list
        elements: dict
        suboptions: &rule_options
          proto:
            description:
              - The protocol, V(tcp), V(udp), V(icmp), V(icmpv6), V(all) (or V(-1)) or a protocol number.
              - For V(all) and numbers other than 1, 6, 17 and 58 AWS opens every port; ports given are ignored.
            type: str
            default: tcp
          from_port:
            description:
              - The first port (tcp, udp) or the ICMP type (icmp, icmpv6; V(-1) for all).
              - Mutually exclusive with O(security_groups[].rules[].ports).
            type: int
          to_port:
            description:
              - The last port (tcp, udp; defaults to O(security_groups[].rules[].from_port)) or the ICMP code
                (icmp, icmpv6; V(-1) for all).
            type: int
          ports:
            description:
              - Ports or ranges for tcp and udp, for example V(8080) or V(1024-2048); one rule each.
            type: list
            elements: str
          icmp_type:
            description: The ICMP type for icmp and icmpv6 (V(-1) for all), instead of O(security_groups[].rules[].from_port).
            type: int
          icmp_code:
            description: The ICMP code for icmp and icmpv6 (V(-1) for all), instead of O(security_groups[].rules[].to_port).
            type: int
          cidr_ip:
            description: IPv4 CIDRs; a host address is taken as its network (C(10.0.0.5/24) is C(10.0.0.0/24)).
            type: list
            elements: str
          cidr_ipv6:
            description: IPv6 CIDRs.
            type: list
            elements: str
          ip_prefix:
            description: Managed prefix list ids (C(pl-...)).
            type: list
            elements: str
            aliases: [prefix_list_id]
          group_id:
            description: Security group ids (C(sg-...)) of the same account.
            type: list
            elements: str
          group_name:
            description:
              - Names of groups of O(security_groups) (the group itself included); they are resolved to
                their ids, after creation where needed.
            type: list
            elements: str
          rule_desc:
            description:
              - The rule description. Unset, the description of an existing rule is left alone; V("")
                removes it.
            type: str
      rules_egress:
        description:
          - The outbound rules, in the format of O(security_groups[].rules). Unset, the outbound rules
            are left alone (a new group keeps AWS's default rule, all traffic to C(0.0.0.0/0)); given,
            the default rule of a new group is revoked like any other unlisted rule when
            O(security_groups[].purge_rules_egress=true).
        type: list
        elements: dict
        aliases: [egress_rules]
        suboptions: *rule_options
      purge_rules:
        description: Revoke the inbound rules that are not in O(security_groups[].rules) (when it is set).
        type: bool
        default: true
      purge_rules_egress:
        description: Revoke the outbound rules that are not in O(security_groups[].rules_egress) (when it is set).
        type: bool
        default: true
  state:
    description:
      - C(present) creates and converges the groups.
      - C(absent) deletes the listed groups that exist (only O(security_groups[].name) is used), after
        revoking the rules by which they reference each other.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Rules are compared without their order; two items that make the same rule with different descriptions are refused.
  - Only the rules, tags and descriptions of the listed groups are read or written; other groups of the VPC are not touched.
attributes:
  check_mode:
    support: full
    description:
      - Reports the groups it would create (with C(group_id) null), the rules it would authorize,
        re-describe or revoke and the tags it would change, without any write call. Rules that
        reference a group it would create name that group (C(group_name)).
  diff_mode:
    support: full
    description: Shows, by group name, the description, tags, rules and egress rules before and after of the groups that change.
  platform:
    support: full
    platforms: aws
    description: Targets the EC2 API.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Converge the groups of a load balancer and its targets
  cloudplatform.aws.ec2_security_group_set:
    vpc_id: vpc-0123456789abcdef0
    security_groups:
      - name: cloudplatform-prod-sg-alb
        description: cloudplatform-prod load balancer
        tags:
          Name: cloudplatform-prod-sg-alb
          Environment: prod
        rules:
          - proto: tcp
            ports: [80, 443]
            cidr_ip: 0.0.0.0/0
            rule_desc: HTTP(S) from the internet
        rules_egress:
          - proto: tcp
            from_port: 8000
            to_port: 8000
            group_name: cloudplatform-prod-sg-app
            rule_desc: To the application
      - name: cloudplatform-prod-sg-app
        description: cloudplatform-prod application tier
        rules:
          - group_name: cloudplatform-prod-sg-alb
            from_port: 8000
            rule_desc: From the load balancer
        tags: {Name: cloudplatform-prod-sg-app, Environment: prod}
        rules_egress:
          - proto: tcp
            from_port: 443
            to_port: 443
            cidr_ip: 0.0.0.0/0
            rule_desc: HTTPS to external APIs
          - proto: tcp
            from_port: 443
            to_port: 443
            ip_prefix: pl-63a5400a
            rule_desc: HTTPS to S3 through the gateway endpoint
  register: groups

- name: Delete the groups
  cloudplatform.aws.ec2_security_group_set:
    state: absent
    vpc_id: vpc-0123456789abcdef0
    security_groups:
      - name: cloudplatform-prod-sg-alb
      - name: cloudplatform-prod-sg-app
"""

RETURN = r"""
security_groups:
  description:
    - The listed groups after the change, in the order of O(security_groups), snake_cased as
      C(DescribeSecurityGroups) returns them, with C(tags) as a dict. Empty with O(state=absent).
    - In check mode, the groups as they would be; a group that would be created has C(group_id) null.
  returned: always
  type: list
  elements: dict
  contains:
    group_name:
      description: The group name.
      type: str
    group_id:
      description: The group id (null in check mode for a group that would be created).
      type: str
    description:
      description: The group description.
      type: str
    vpc_id:
      description: The VPC.
      type: str
    ip_permissions:
      description: The inbound rules (C(ip_protocol), C(from_port), C(to_port), C(ip_ranges), C(ipv6_ranges), C(prefix_list_ids), C(user_id_group_pairs)).
      type: list
      elements: dict
    ip_permissions_egress:
      description: The outbound rules, in the format of RV(security_groups[].ip_permissions).
      type: list
      elements: dict
    tags:
      description: The group's tags.
      type: dict
      sample: {"Name": "cloudplatform-prod-sg-alb", "Environment": "prod"}
created:
  description: Names of the groups created.
  returned: always
  type: list
  elements: str
  sample: [cloudplatform-prod-sg-alb]
updated:
  description: Names of the existing groups whose rules, rule descriptions or tags changed.
  returned: always
  type: list
  elements: str
  sample: [cloudplatform-prod-sg-app]
deleted:
  description: Names of the groups deleted.
  returned: always
  type: list
  elements: str
  sample: []
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.ec2 import (
    AnsibleEC2Error,
    authorize_security_group_egress,
    authorize_security_group_ingress,
    create_security_group,
    delete_security_group,
    describe_security_groups,
    revoke_security_group_egress,
    revoke_security_group_ingress,
    update_security_group_rule_descriptions_egress,
    update_security_group_rule_descriptions_ingress,
)
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import (
    ansible_dict_to_boto3_tag_list,
    boto3_tag_list_to_ansible_dict,
    boto3_tag_specifications,
)

from ansible_collections.cloudplatform.aws.plugins.module_utils.ec2_security_groups import (
    DEFAULT_EGRESS,
    create_tags,
    delete_tags,
    describe_created_security_groups,
    expected_rules,
    live_rules,
    parse_rules,
    resolve,
    rule_changes,
    rules_view,
    to_permissions,
)
from ansible_collections.cloudplatform.aws.plugins.module_utils.tag_sync import sync_tags

# Filter values per DescribeSecurityGroups call.
MAX_NAMES = 200
# Direction: the rules option, its purge option, the DescribeSecurityGroups field and the calls
# (authorize, re-describe, revoke).
DIRECTIONS = (
    ("rules", "purge_rules", "IpPermissions",
     (authorize_security_group_ingress, update_security_group_rule_descriptions_ingress, revoke_security_group_ingress)),
    ("rules_egress", "purge_rules_egress", "IpPermissionsEgress",
     (authorize_security_group_egress, update_security_group_rule_descriptions_egress, revoke_security_group_egress)),
)


# Input.


def check_name(label, name, seen):
    if not name or len(name) > 255 or name.lower().startswith("sg-"):
        return ["%s.name: %r is not a security group name; expected 1-255 characters, not starting with sg-" % (label, name)]
    if name in seen:
        return ["%s.name: %r is listed twice (first as security_groups[%d])" % (label, name, seen[name])]
    return []


def group_specs(module):
    """The security_groups option checked, rules parsed; fails naming every bad value before any API call."""
    groups = module.params["security_groups"]
    names = {group["name"] for group in groups}
    errors, seen, specs = [], {}, []
    for index, group in enumerate(groups):
        label = "security_groups[%d]" % index
        errors += check_name(label, group["name"], seen)
        seen.setdefault(group["name"], index)
        spec = dict(group, label="%s (%s)" % (label, group["name"]))
        for option, _purge, _field, _calls in DIRECTIONS:
            try:
                spec[option] = parse_rules(group[option], "%s.%s" % (label, option), names)
            except ValueError as e:
                errors.append(str(e))
        specs.append(spec)
    if errors:
        module.fail_json(msg="; ".join(errors))
    return specs


def description_errors(specs, current):
    """The groups whose description is missing for creation or differs from the existing one."""
    errors = []
    for spec in specs:
        group, wanted = current.get(spec["name"]), spec["description"]
        if group is None and not wanted:
            errors.append("%s.description: required to create the group" % spec["label"])
        elif group is not None and wanted is not None and wanted != group.get("Description"):
            errors.append("%s: the description cannot change in place (AWS has no call for it): current %r, wanted %r; "
                          "request the current description, or delete and recreate the group" % (spec["label"], group.get("Description"), wanted))
    return errors


# Reads and views.


def read_groups(client, vpc_id, names):
    """The groups of the VPC with these names, by name: one DescribeSecurityGroups per 200 names."""
    names = list(names)
    groups = {}
    for start in range(0, len(names), MAX_NAMES):
        filters = [{"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "group-name", "Values": names[start:start + MAX_NAMES]}]
        for group in describe_security_groups(client, Filters=filters):
            groups[group["GroupName"]] = group
    return groups


def group_tags(group):
    return boto3_tag_list_to_ansible_dict(group.get("Tags") or [])


def expected_tags(spec, current):
    if spec["tags"] is None:
        return current
    return dict({} if spec["purge_tags"] else current, **spec["tags"])


def diff_view(description, tags, ingress, egress, names):
    return dict(description=description, tags=tags, rules=rules_view(ingress, names), rules_egress=rules_view(egress, names))


def result_item(group):
    item = camel_dict_to_snake_dict({key: value for key, value in group.items() if key != "Tags"})
    item["tags"] = group_tags(group)
    return item


def planned_group(spec, vpc_id):
    """A group check mode would create: AWS gives it an id and its default egress rule."""
    return dict(GroupName=spec["name"], GroupId=None, Description=spec["description"], VpcId=vpc_id, IpPermissions=[],
                IpPermissionsEgress=to_permissions(DEFAULT_EGRESS), Tags=ansible_dict_to_boto3_tag_list(spec["tags"] or {}))


# Updates: False when nothing differs, True (without a call in check mode) otherwise.


def update_rules(module, client, group_id, changes, calls):
    """Authorize, re-describe and revoke the rule differences of one direction, one call each."""
    if not any(changes):
        return False
    if module.check_mode:
        return True
    add, describe, remove = changes
    authorize, update_descriptions, revoke = calls
    # New rules first, so a rule whose port or source changes never leaves a gap.
    if add:
        authorize(client, GroupId=group_id, IpPermissions=to_permissions(add))
    if describe:
        update_descriptions(client, GroupId=group_id, IpPermissions=to_permissions(describe))
    if remove:
        revoke(client, GroupId=group_id, IpPermissions=to_permissions(remove))
    return True


def update_tags(module, client, spec, group):
    if spec["tags"] is None:
        return False
    group_id = group["GroupId"]
    return sync_tags(module, group_tags(group), lambda keys: delete_tags(client, group_id, keys), lambda tags: create_tags(client, group_id, tags),
                     wanted=spec["tags"], purge=spec["purge_tags"])


class SecurityGroupSet:
    """Converges the listed groups and records what changed for the result and the diff."""

    def __init__(self, module, client, specs):
        self.module = module
        self.client = client
        self.specs = specs
        self.vpc_id = module.params["vpc_id"]
        self.live = read_groups(client, self.vpc_id, [spec["name"] for spec in specs])
        self.result = dict(created=[], updated=[], deleted=[])
        self.before = {}
        self.after = {}
        self.planned = {}

    def names(self):
        return {group["GroupId"]: name for name, group in self.live.items() if group.get("GroupId")}

    def create_missing(self):
        """Create the missing groups with their tags, so every name has an id before any rule is applied."""
        missing = [spec for spec in self.specs if spec["name"] not in self.live]
        if not missing:
            return
        self.result["created"] = [spec["name"] for spec in missing]
        if self.module.check_mode:
            self.live.update((spec["name"], planned_group(spec, self.vpc_id)) for spec in missing)
            return
        ids = []
        for spec in missing:
            params = dict(GroupName=spec["name"], Description=spec["description"], VpcId=self.vpc_id)
            if spec["tags"]:
                params["TagSpecifications"] = boto3_tag_specifications(spec["tags"], types="security-group")
            ids.append(create_security_group(self.client, **params)["GroupId"])
        # Read back rather than assumed: the default egress rule AWS adds is revoked like any other.
        self.live.update((group["GroupName"], group) for group in describe_created_security_groups(self.client, ids))

    def converge_group(self, spec, ids):
        name = spec["name"]
        group = self.live[name]
        changed, rules = False, []
        for option, purge, field, calls in DIRECTIONS:
            live = live_rules(group.get(field))
            changes = rule_changes(live, resolve(spec[option], ids), spec[purge])
            changed |= update_rules(self.module, self.client, group["GroupId"], changes, calls)
            rules.append((live, expected_rules(live, changes)))
        changed |= update_tags(self.module, self.client, spec, group)
        created = name in self.result["created"]
        if not (changed or created):
            return
        tags = group_tags(group)
        after_tags = expected_tags(spec, tags)
        if not created:
            self.result["updated"].append(name)
            self.before[name] = diff_view(group["Description"], tags, rules[0][0], rules[1][0], self.names())
        self.after[name] = diff_view(group["Description"], after_tags, rules[0][1], rules[1][1], self.names())
        self.planned[name] = dict(group, IpPermissions=to_permissions(rules[0][1]), IpPermissionsEgress=to_permissions(rules[1][1]),
                                  Tags=ansible_dict_to_boto3_tag_list(after_tags))

    def present(self):
        # Every check comes before the first write: a description that cannot change stops the run
        # with every group untouched.
        errors = description_errors(self.specs, self.live)
        if errors:
            self.module.fail_json(msg="; ".join(errors))
        self.create_missing()
        ids = {name: group["GroupId"] for name, group in self.live.items()}
        for spec in self.specs:
            self.converge_group(spec, ids)
        if self.module.check_mode:
            final = dict(self.live, **self.planned)
        elif self.planned:
            final = read_groups(self.client, self.vpc_id, [spec["name"] for spec in self.specs])
        else:
            final = self.live
        return [result_item(final[spec["name"]]) for spec in self.specs]

    def revoke_references(self, group, listed):
        """Revoke the rules of a group that name another listed group (they would block its deletion)."""
        for _option, _purge, field, calls in DIRECTIONS:
            references = {rule: description for rule, description in live_rules(group.get(field)).items()
                          if rule.kind == "group_id" and rule.value in listed and rule.value != group["GroupId"]}
            update_rules(self.module, self.client, group["GroupId"], ({}, {}, references), calls)

    def absent(self):
        existing = [self.live[spec["name"]] for spec in self.specs if spec["name"] in self.live]
        listed = {group["GroupId"] for group in existing}
        names = self.names()
        for group in existing:
            self.before[group["GroupName"]] = diff_view(group["Description"], group_tags(group), live_rules(group.get("IpPermissions")),
                                                        live_rules(group.get("IpPermissionsEgress")), names)
            self.revoke_references(group, listed)
        for group in existing:
            if not self.module.check_mode:
                delete_security_group(self.client, group["GroupId"])
            self.result["deleted"].append(group["GroupName"])
        return []

    def diff(self):
        diff = dict(before=self.before, after=self.after)
        if self.before or self.after:
            # The unified diff shows only the lines near a change: the headers name the groups.
            diff.update(dict.fromkeys(("before_header", "after_header"), "security groups " + ", ".join(sorted(set(self.before) | set(self.after)))))
        return diff


def run(module, client):
    specs = group_specs(module)
    try:
        group_set = SecurityGroupSet(module, client, specs)
        groups = group_set.absent() if module.params["state"] == "absent" else group_set.present()
    except AnsibleEC2Error as e:
        # Every call (amazon.aws's security-group wrappers and ours) raises this one error type.
        module.fail_json_aws_error(e)
    return dict(changed=any(group_set.result.values()), security_groups=groups, diff=group_set.diff(), **group_set.result)


def rule_spec():
    return dict(
        proto=dict(type="str", default="tcp"),
        from_port=dict(type="int"),
        to_port=dict(type="int"),
        ports=dict(type="list", elements="str"),
        icmp_type=dict(type="int"),
        icmp_code=dict(type="int"),
        cidr_ip=dict(type="list", elements="str"),
        cidr_ipv6=dict(type="list", elements="str"),
        ip_prefix=dict(type="list", elements="str", aliases=["prefix_list_id"]),
        group_id=dict(type="list", elements="str"),
        group_name=dict(type="list", elements="str"),
        rule_desc=dict(type="str"),
    )


def argument_spec():
    group_spec = dict(
        name=dict(type="str", required=True),
        description=dict(type="str"),
        tags=dict(type="dict"),
        purge_tags=dict(type="bool", default=True),
        rules=dict(type="list", elements="dict", options=rule_spec()),
        rules_egress=dict(type="list", elements="dict", options=rule_spec(), aliases=["egress_rules"]),
        purge_rules=dict(type="bool", default=True),
        purge_rules_egress=dict(type="bool", default=True),
    )
    return dict(
        vpc_id=dict(type="str", required=True),
        security_groups=dict(type="list", elements="dict", required=True, options=group_spec),
        state=dict(type="str", default="present", choices=["present", "absent"]),
    )


def main():
    module = AnsibleAWSModule(argument_spec=argument_spec(), supports_check_mode=True)
    module.exit_json(**run(module, module.client("ec2")))


if __name__ == "__main__":
    main()
