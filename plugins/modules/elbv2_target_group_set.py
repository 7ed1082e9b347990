#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: elbv2_target_group_set
short_description: Manage a list of ELBv2 target groups (settings, health check, attributes, tags) in one call
version_added: 0.1.0
description:
  - Converges every target group of O(target_groups) in one module call. It creates the missing ones,
    then changes the health check (C(ModifyTargetGroup)), the attributes
    (C(ModifyTargetGroupAttributes)) and the tags (C(AddTags)/C(RemoveTags)) only where they differ.
    Options left unset are not touched. M(community.aws.elb_target_group) takes one module call per
    target group and has no check mode, which is why this module exists.
  - Reads on a converged list - one C(DescribeTargetGroups) for all names, one C(DescribeTags) per 20
    target groups, one C(DescribeTargetGroupAttributes) per target group - and makes no write call.
    C(DescribeTargetGroups) fails as a whole when one of the names does not exist; the module then
    asks once per name.
  - Targets are not managed (ECS registers its tasks).
  - The protocol, port, VPC, target type and protocol version of a target group are fixed at
    creation. When one of them differs from the request the module fails, naming the target group,
    the option and both values, before any write call; it never replaces a target group, because the
    listener rules that forward to it would break.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  target_groups:
    description: The target groups. Names must be unique in the list.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: The target group name, 1-32 letters, digits or hyphens, not starting or ending with a hyphen.
        type: str
        required: true
      protocol:
        description:
          - The protocol of the traffic to the targets. Fixed at creation.
          - Needed to create a target group whose O(target_groups[].target_type) is not V(lambda).
        type: str
        choices: [HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP, GENEVE]
      port:
        description:
          - The port the targets receive traffic on (1-65535). Fixed at creation.
          - Needed to create a target group whose O(target_groups[].target_type) is not V(lambda).
        type: int
      target_type:
        description: The type of the targets. Fixed at creation; unset, AWS creates an V(instance) target group.
        type: str
        choices: [instance, ip, lambda, alb]
      vpc_id:
        description:
          - The VPC of the targets. Fixed at creation.
          - Needed to create a target group whose O(target_groups[].target_type) is not V(lambda).
        type: str
      protocol_version:
        description: The protocol version of an HTTP or HTTPS target group. Fixed at creation.
        type: str
        choices: [HTTP1, HTTP2, GRPC]
      health_check_enabled:
        description: Whether health checks are enabled.
        type: bool
      health_check_protocol:
        description: The protocol of the health checks.
        type: str
        choices: [HTTP, HTTPS, TCP]
      health_check_port:
        description: The port of the health checks, a number or V(traffic-port) (the port of each target).
        type: str
      health_check_path:
        description: The path of HTTP and HTTPS health checks.
        type: str
      health_check_interval:
        description: Seconds between two health checks of a target (5-300).
        type: int
      health_check_timeout:
        description: Seconds without a response after which a health check fails (2-120).
        type: int
      healthy_threshold_count:
        description: Consecutive successful health checks before an unhealthy target is healthy (2-10).
        type: int
      unhealthy_threshold_count:
        description: Consecutive failed health checks before a target is unhealthy (2-10).
        type: int
      successful_response_codes:
        description:
          - The codes of a successful health check, for example V(200), V(200,202) or V(200-299)
            (gRPC codes when O(target_groups[].protocol_version=GRPC)).
          - Compared as a set of comma-separated items.
        type: str
      deregistration_delay_timeout:
        description: Seconds a deregistering target keeps serving in-flight requests (0-3600), attribute C(deregistration_delay.timeout_seconds).
        type: int
      stickiness_enabled:
        description: Whether sticky sessions are enabled, attribute C(stickiness.enabled).
        type: bool
      stickiness_type:
        description: The type of sticky sessions, attribute C(stickiness.type).
        type: str
        choices: [lb_cookie, app_cookie, source_ip, source_ip_dest_ip, source_ip_dest_ip_proto]
      stickiness_lb_cookie_duration:
        description: Seconds a load balancer cookie routes a client to the same target (1-604800), attribute C(stickiness.lb_cookie.duration_seconds).
        type: int
      load_balancing_algorithm_type:
        description: How an Application Load Balancer picks a target, attribute C(load_balancing.algorithm.type).
        type: str
        choices: [round_robin, least_outstanding_requests, weighted_random]
      tags:
        description: The tags of the target group. Unset, the tags are not managed.
        type: dict
      purge_tags:
        description: Remove the tags that are not in O(target_groups[].tags) (tags starting with C(aws:) stay).
        type: bool
        default: true
  state:
    description:
      - C(present) creates and converges the target groups.
      - C(absent) deletes those that exist (only O(target_groups[].name) is used); a target group a
        listener rule still forwards to cannot be deleted, and the module fails.
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
    description: Reports which target groups would be created, changed or deleted without any write call.
  diff_mode:
    support: full
    description: Shows, by target group name, the settings, attributes and tags before and after of the target groups that change, are created or are deleted.
  platform:
    support: full
    platforms: aws
    description: Targets the Elastic Load Balancing v2 API.
"""

EXAMPLES = r"""
- name: Converge the target groups of two Fargate services
  cloudplatform.aws.elbv2_target_group_set:
    target_groups:
      - name: cloudplatform-prod-tg-api
        protocol: HTTP
        port: 8000
        target_type: ip
        vpc_id: vpc-0123456789abcdef0
        health_check_protocol: HTTP
        health_check_port: traffic-port
        health_check_path: /health
        health_check_interval: 30
        health_check_timeout: 5
        healthy_threshold_count: 2
        unhealthy_threshold_count: 3
        successful_response_codes: "200"
        deregistration_delay_timeout: 30
        tags:
          Environment: prod
          Service: api
      - name: cloudplatform-prod-tg-ingest
        protocol: HTTP
        port: 8080
        target_type: ip
        vpc_id: vpc-0123456789abcdef0
        health_check_path: /ready
        load_balancing_algorithm_type: least_outstanding_requests
        tags:
          Environment: prod
          Service: ingest
  register: target_groups

- name: Delete target groups no listener rule forwards to any more
  cloudplatform.aws.elbv2_target_group_set:
    target_groups:
      - name: cloudplatform-prod-tg-legacy
    state: absent
"""

RETURN = r"""
target_groups:
  description:
    - The target groups after the change, in the order of O(target_groups), snake_cased as
      C(DescribeTargetGroups) returns them, with their attributes and tags as dicts.
    - In check mode, what they would be; empty with O(state=absent).
  returned: always
  type: list
  elements: dict
  contains:
    target_group_arn:
      description: The target group ARN; null in check mode for a target group that would be created.
      type: str
      sample: arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/cloudplatform-prod-tg-api/73e2d6bc24d8a067
    target_group_name:
      description: The target group name.
      type: str
      sample: cloudplatform-prod-tg-api
    protocol:
      description: The protocol of the traffic to the targets.
      type: str
      sample: HTTP
    port:
      description: The port of the targets.
      type: int
      sample: 8000
    vpc_id:
      description: The VPC of the targets.
      type: str
      sample: vpc-0123456789abcdef0
    target_type:
      description: The type of the targets.
      type: str
      sample: ip
    health_check_protocol:
      description: The protocol of the health checks.
      type: str
      sample: HTTP
    health_check_port:
      description: The port of the health checks.
      type: str
      sample: traffic-port
    health_check_path:
      description: The path of the health checks.
      type: str
      sample: /health
    health_check_enabled:
      description: Whether health checks are enabled.
      type: bool
      sample: true
    health_check_interval_seconds:
      description: Seconds between health checks.
      type: int
      sample: 30
    health_check_timeout_seconds:
      description: Seconds before a health check fails.
      type: int
      sample: 5
    healthy_threshold_count:
      description: Successes before a target is healthy.
      type: int
      sample: 2
    unhealthy_threshold_count:
      description: Failures before a target is unhealthy.
      type: int
      sample: 3
    matcher:
      description: The codes of a successful health check.
      type: dict
      sample: {"http_code": "200"}
    load_balancer_arns:
      description: The load balancers that route to the target group.
      type: list
      elements: str
      sample: []
    attributes:
      description: The target group attributes by key, as the API reports them.
      type: dict
      sample: {"deregistration_delay.timeout_seconds": "30", "stickiness.enabled": "false"}
    tags:
      description: The tags of the target group.
      type: dict
      sample: {"Environment": "prod", "Service": "api"}
created:
  description: Names of the target groups created (or that would be created in check mode).
  returned: always
  type: list
  elements: str
  sample: [cloudplatform-prod-tg-api]
updated:
  description: Names of the existing target groups whose health check, attributes or tags changed.
  returned: always
  type: list
  elements: str
  sample: []
deleted:
  description: Names of the target groups deleted.
  returned: always
  type: list
  elements: str
  sample: []
"""

import re

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible.module_utils.common.text.converters import to_text
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list, compare_aws_tags

from ansible_collections.cloudplatform.aws.plugins.module_utils.elbv2_attributes import api_value, pending_attributes
from ansible_collections.cloudplatform.aws.plugins.module_utils.elbv2_target_groups import (
    AnsibleElbv2TargetGroupError,
    add_tags,
    create_target_group,
    delete_target_group,
    describe_tags,
    describe_target_group_attributes,
    describe_target_groups_by_arn,
    describe_target_groups_by_name,
    modify_target_group,
    modify_target_group_attributes,
    remove_tags,
)
from ansible_collections.cloudplatform.aws.plugins.module_utils.tag_sync import sync_tags

NAME = re.compile(r"^(?!-)[A-Za-z0-9-]{1,32}(?<!-)$")
# Option -> DescribeTargetGroups key of the settings fixed at creation.
FIXED = (("protocol", "Protocol"), ("port", "Port"), ("vpc_id", "VpcId"), ("target_type", "TargetType"),
         ("protocol_version", "ProtocolVersion"))
# Option -> key shared by DescribeTargetGroups, CreateTargetGroup and ModifyTargetGroup.
HEALTH_CHECK = (
    ("health_check_enabled", "HealthCheckEnabled"), ("health_check_protocol", "HealthCheckProtocol"),
    ("health_check_port", "HealthCheckPort"), ("health_check_path", "HealthCheckPath"),
    ("health_check_interval", "HealthCheckIntervalSeconds"), ("health_check_timeout", "HealthCheckTimeoutSeconds"),
    ("healthy_threshold_count", "HealthyThresholdCount"), ("unhealthy_threshold_count", "UnhealthyThresholdCount"),
)
# Option -> target group attribute key.
ATTRIBUTES = (
    ("deregistration_delay_timeout", "deregistration_delay.timeout_seconds"), ("stickiness_enabled", "stickiness.enabled"),
    ("stickiness_type", "stickiness.type"), ("stickiness_lb_cookie_duration", "stickiness.lb_cookie.duration_seconds"),
    ("load_balancing_algorithm_type", "load_balancing.algorithm.type"),
)
RANGES = (
    ("port", 1, 65535), ("health_check_interval", 5, 300), ("health_check_timeout", 2, 120),
    ("healthy_threshold_count", 2, 10), ("unhealthy_threshold_count", 2, 10), ("deregistration_delay_timeout", 0, 3600),
    ("stickiness_lb_cookie_duration", 1, 604800),
)
NEEDED_TO_CREATE = ("protocol", "port", "vpc_id")


def label(index, group):
    return "target_groups[%d] (%s)" % (index, group["name"])


def check_group(index, group):
    errors = []
    if not NAME.match(group["name"]):
        errors.append("target_groups[%d].name: %r is not a valid target group name; expected 1-32 letters, digits or "
                      "hyphens, not starting or ending with a hyphen" % (index, group["name"]))
    for option, low, high in RANGES:
        if group[option] is not None and not low <= group[option] <= high:
            errors.append("%s.%s: %d is out of range; expected %d-%d" % (label(index, group), option, group[option], low, high))
    if group["target_type"] == "lambda":
        errors += ["%s.%s: %r is not allowed with target_type lambda; expected it unset" % (label(index, group), option, group[option])
                   for option in NEEDED_TO_CREATE if group[option] is not None]
    return errors


def check_input(module):
    """Fail on every malformed entry at once, before any AWS call."""
    errors = []
    seen = {}
    for index, group in enumerate(module.params["target_groups"]):
        errors += check_group(index, group)
        if group["name"] in seen:
            errors.append("target_groups[%d].name: %r is already target_groups[%d]; expected unique names" % (index, group["name"], seen[group["name"]]))
        seen.setdefault(group["name"], index)
    if errors:
        module.fail_json(msg="; ".join(errors))


def fixed_setting_error(index, group, current):
    for option, key in FIXED:
        if group[option] is not None and current.get(key) != group[option]:
            return ("%s.%s: current %r, wanted %r; %s is fixed at creation and the module does not replace a target group "
                    "(the listener rules that forward to it would break): keep %r, or use a new target group name and move the "
                    "rules to it" % (label(index, group), option, current.get(key), group[option], option, current.get(key)))
    return None


def creation_error(index, group):
    missing = [option for option in NEEDED_TO_CREATE if group[option] is None]
    if group["target_type"] == "lambda" or not missing:
        return None
    return "%s: the target group does not exist and %s unset; creating a target group of target_type %s needs protocol, port and vpc_id" % (
        label(index, group), " and ".join(missing) + (" is" if len(missing) == 1 else " are"), group["target_type"] or "instance")


def check_against_current(module, current):
    """Fail before any write when a request cannot be applied to what exists."""
    for index, group in enumerate(module.params["target_groups"]):
        found = current.get(group["name"])
        error = fixed_setting_error(index, group, found) if found else creation_error(index, group)
        if error:
            module.fail_json(msg=error)


def text_tags(tags):
    return None if tags is None else {to_text(k): to_text(v) for k, v in tags.items()}


def tags_after(current, wanted, purge):
    if wanted is None:
        return current
    to_set, to_remove = compare_aws_tags(current, wanted, purge)
    return {k: v for k, v in dict(current, **to_set).items() if k not in to_remove}


def wanted_matcher(group, current=None):
    if group["successful_response_codes"] is None:
        return None
    version = group["protocol_version"] or (current or {}).get("ProtocolVersion")
    codes = ",".join(code.strip() for code in group["successful_response_codes"].split(","))
    return {"GrpcCode" if version == "GRPC" else "HttpCode": codes}


def same_codes(current, wanted):
    def codes(matcher):
        return {key: sorted(code.strip() for code in value.split(",")) for key, value in (matcher or {}).items() if value}

    return codes(current) == codes(wanted)


def health_check_changes(current, group):
    changes = {key: group[option] for option, key in HEALTH_CHECK if group[option] is not None and current.get(key) != group[option]}
    matcher = wanted_matcher(group, current)
    if matcher and not same_codes(current.get("Matcher"), matcher):
        changes["Matcher"] = matcher
    return changes


def wanted_attributes(group):
    return {key: api_value(group[option]) for option, key in ATTRIBUTES if group[option] is not None}


def create_params(group):
    params = {key: group[option] for option, key in FIXED + HEALTH_CHECK if group[option] is not None}
    params["Name"] = group["name"]
    matcher = wanted_matcher(group)
    if matcher:
        params["Matcher"] = matcher
    if group["tags"]:
        params["Tags"] = ansible_dict_to_boto3_tag_list(text_tags(group["tags"]))
    return params


def update_health_check(module, client, current, group):
    changes = health_check_changes(current, group)
    if not changes:
        return False
    if module.check_mode:
        return True
    modify_target_group(client, current["TargetGroupArn"], **changes)
    return True


def update_attributes(module, client, arn, current, group):
    pending = pending_attributes(current, wanted_attributes(group))
    if not pending:
        return False
    if module.check_mode:
        return True
    modify_target_group_attributes(client, arn, pending)
    return True


def update_tags(module, client, arn, current, group):
    if group["tags"] is None:
        return False
    return sync_tags(module, current, lambda keys: remove_tags(client, arn, keys), lambda tags: add_tags(client, arn, tags),
                     wanted=text_tags(group["tags"]), purge=group["purge_tags"])


def expected(group, current, attributes, tags):
    """The described target group, its attributes and tags once ``group`` is converged (check mode)."""
    if current is None:
        described = {k: v for k, v in create_params(group).items() if k not in ("Name", "Tags")}
        described.update(TargetGroupArn=None, TargetGroupName=group["name"], LoadBalancerArns=[])
        return described, wanted_attributes(group), text_tags(group["tags"]) or {}
    described = dict(current, **health_check_changes(current, group))
    return described, dict(attributes, **wanted_attributes(group)), tags_after(tags, text_tags(group["tags"]), group["purge_tags"])


def view(described, attributes, tags):
    item = camel_dict_to_snake_dict(described)
    item["attributes"] = attributes
    item["tags"] = tags
    return item


def find_target_groups(client, names):
    """Existing target groups by name: one call for all names, one per name when some do not exist yet."""
    if not names:
        return {}
    found = describe_target_groups_by_name(client, names)
    if found is None and len(names) > 1:
        found = [group for name in names for group in describe_target_groups_by_name(client, [name]) or []]
    return {group["TargetGroupName"]: group for group in found or []}


def read_details(client, groups):
    """Attributes and tags of the described target groups, by name."""
    arns = [group["TargetGroupArn"] for group in groups.values()]
    tags = describe_tags(client, arns) if arns else {}
    attributes = {name: describe_target_group_attributes(client, group["TargetGroupArn"]) for name, group in groups.items()}
    return attributes, {name: tags.get(group["TargetGroupArn"], {}) for name, group in groups.items()}


class TargetGroupSet:
    """Converges the listed target groups and records what changed for the result and the diff."""

    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.current = find_target_groups(client, [group["name"] for group in module.params["target_groups"]])
        self.attributes, self.tags = read_details(client, self.current)
        self.result = dict(created=[], updated=[], deleted=[])
        self.written = {}
        self.before = {}
        self.after = {}

    def state_of(self, name):
        return self.current.get(name), self.attributes.get(name, {}), self.tags.get(name, {})

    def create(self, group):
        self.result["created"].append(group["name"])
        if self.module.check_mode:
            return
        created = create_target_group(self.client, **create_params(group))
        attributes = wanted_attributes(group)
        if attributes:
            modify_target_group_attributes(self.client, created["TargetGroupArn"], attributes)
        self.written[group["name"]] = created["TargetGroupArn"]

    def converge(self, group):
        current, attributes, tags = self.state_of(group["name"])
        if current is None:
            self.create(group)
            return
        arn = current["TargetGroupArn"]
        changed = update_health_check(self.module, self.client, current, group)
        changed |= update_attributes(self.module, self.client, arn, attributes, group)
        changed |= update_tags(self.module, self.client, arn, tags, group)
        if changed:
            self.result["updated"].append(group["name"])
            self.before[group["name"]] = view(current, attributes, tags)
            self.written[group["name"]] = arn

    def delete(self, group):
        current, attributes, tags = self.state_of(group["name"])
        if current is None:
            return
        self.result["deleted"].append(group["name"])
        self.before[group["name"]] = view(current, attributes, tags)
        if not self.module.check_mode:
            delete_target_group(self.client, current["TargetGroupArn"])

    def reread(self):
        """Read back what was written (not in check mode, where nothing was)."""
        if not self.written or self.module.check_mode:
            return
        fresh = {group["TargetGroupName"]: group for group in describe_target_groups_by_arn(self.client, list(self.written.values()))}
        attributes, tags = read_details(self.client, fresh)
        self.current.update(fresh)
        self.attributes.update(attributes)
        self.tags.update(tags)

    def final(self, group):
        if self.module.check_mode:
            return view(*expected(group, *self.state_of(group["name"])))
        return view(*self.state_of(group["name"]))

    def run(self):
        groups = self.module.params["target_groups"]
        if self.module.params["state"] == "absent":
            for group in groups:
                self.delete(group)
            return []
        for group in groups:
            self.converge(group)
        self.reread()
        final = [self.final(group) for group in groups]
        for item in final:
            if item["target_group_name"] in self.result["created"] + self.result["updated"]:
                self.after[item["target_group_name"]] = item
        return final


def keyed_diff(before, after):
    diff = dict(before=before, after=after)
    names = sorted(set(before) | set(after))
    if names:
        # The unified diff shows only lines near a change: name the target groups in the headers.
        diff.update(dict.fromkeys(("before_header", "after_header"), "target groups " + ", ".join(names)))
    return diff


def run(module, client):
    check_input(module)
    target_group_set = TargetGroupSet(module, client)
    if module.params["state"] == "present":
        check_against_current(module, target_group_set.current)
    final = target_group_set.run()
    return dict(changed=any(target_group_set.result.values()), target_groups=final,
                diff=keyed_diff(target_group_set.before, target_group_set.after), **target_group_set.result)


def main():
    target_group_spec = dict(
        name=dict(type="str", required=True),
        protocol=dict(type="str", choices=["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE"]),
        port=dict(type="int"),
        target_type=dict(type="str", choices=["instance", "ip", "lambda", "alb"]),
        vpc_id=dict(type="str"),
        protocol_version=dict(type="str", choices=["HTTP1", "HTTP2", "GRPC"]),
        health_check_enabled=dict(type="bool"),
        health_check_protocol=dict(type="str", choices=["HTTP", "HTTPS", "TCP"]),
        health_check_port=dict(type="str"),
        health_check_path=dict(type="str"),
        health_check_interval=dict(type="int"),
        health_check_timeout=dict(type="int"),
        healthy_threshold_count=dict(type="int"),
        unhealthy_threshold_count=dict(type="int"),
        successful_response_codes=dict(type="str"),
        deregistration_delay_timeout=dict(type="int"),
        stickiness_enabled=dict(type="bool"),
        stickiness_type=dict(type="str", choices=["lb_cookie", "app_cookie", "source_ip", "source_ip_dest_ip", "source_ip_dest_ip_proto"]),
        stickiness_lb_cookie_duration=dict(type="int"),
        load_balancing_algorithm_type=dict(type="str", choices=["round_robin", "least_outstanding_requests", "weighted_random"]),
        tags=dict(type="dict"),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(
        argument_spec=dict(
            target_groups=dict(type="list", elements="dict", required=True, options=target_group_spec),
            state=dict(type="str", default="present", choices=["present", "absent"]),
        ),
        supports_check_mode=True,
    )
    client = module.client("elbv2")
    try:
        result = run(module, client)
    except AnsibleElbv2TargetGroupError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
