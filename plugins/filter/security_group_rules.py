# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: security_group_rules
short_description: Build the security groups and rules of the traffic matrix from the service list
version_added: 0.1.0
description:
  - Derives the ALB, application, RDS and Redis security groups and their ingress and egress rules
    (003 §5.3.1, decisions.md) from the effective service list, in the rule format of
    M(amazon.aws.ec2_security_group) and M(cloudplatform.aws.ec2_security_group_set).
  - With O(by_name=true) it returns the full rules with the groups of the plan referenced by name
    (C(group_name)), for M(cloudplatform.aws.ec2_security_group_set), which creates the groups and
    resolves the names in one call.
  - Otherwise, without O(group_ids) it returns the groups without rules (the first pass that creates
    every group, so groups that reference each other can be created); with O(group_ids) it returns
    the full rules with the referenced groups resolved to their ids.
options:
  _input:
    description: The effective service list (C(cloudplatform_services_effective)).
    type: list
    elements: dict
    required: true
  name_prefix:
    description: The resource name prefix ({project}-{env}).
    type: str
    required: true
  per_service:
    description: One application group per service instead of the shared one.
    type: bool
    default: false
  group_ids:
    description: Group ids by plan key (C(alb), C(app), C(rds), C(redis), C(app-<service>)).
    type: dict
    default: {}
  by_name:
    description: Reference the groups of the plan by name (C(group_name)) instead of by id; O(group_ids) is then not used.
    type: bool
    default: false
  endpoint_group_id:
    description: The security group of the interface endpoints; the app tier gets egress 443 to it.
    type: str
  internet_egress:
    description: Give the app tier egress 443 to 0.0.0.0/0 (a NAT gateway exists).
    type: bool
    default: true
  database_port:
    description: PostgreSQL port.
    type: int
    default: 5432
  redis_port:
    description: Redis port.
    type: int
    default: 6379
"""

EXAMPLES = r"""
- name: Show the security-group plan
  ansible.builtin.debug:
    msg: "{{ cloudplatform_services_effective | cloudplatform.aws.security_group_rules('cloudplatform-dev', group_ids=ids) }}"
"""

RETURN = r"""
_value:
  description: One item per group; key, name, description, service (or null), rules, rules_egress.
  type: list
  elements: dict
"""

from ansible.errors import AnsibleFilterError

HTTPS = 443
HTTP = 80


def _rule(port, description, group=None, cidr=None):
    """A rule to a CIDR, or to a group given as {"group_id": id} or {"group_name": name}."""
    rule = {"proto": "tcp", "from_port": port, "to_port": port, "rule_desc": description}
    if cidr:
        rule["cidr_ip"] = cidr
    else:
        rule.update(group)
    return rule


def _app_groups(services, name_prefix, per_service):
    """The app-tier groups: the shared one, plus one per service when per_service is on."""
    groups = [{"key": "app", "name": "%s-sg-app" % name_prefix, "service": None,
               "description": "%s application tier" % name_prefix}]
    if per_service:
        for service in services:
            groups.append({"key": "app-%s" % service["name"], "name": "%s-sg-app-%s" % (name_prefix, service["name"]),
                           "service": service["name"],
                           "description": "%s service %s" % (name_prefix, service["name"])})
    return groups


def _service_group_key(service, per_service):
    return "app-%s" % service["name"] if per_service else "app"


def _id(group_ids, key):
    """The reference to a group of the plan: {"group_id": id}, or {"group_name": name} with by_name."""
    if key not in group_ids:
        raise AnsibleFilterError("security_group_rules: group_ids has no id for group '%s' (have: %s)"
                                 % (key, ", ".join(sorted(group_ids)) or "none"))
    return group_ids[key]


def _alb_rules(services, per_service, ids):
    ingress = [_rule(HTTPS, "HTTPS from the internet", cidr="0.0.0.0/0"),
               _rule(HTTP, "HTTP from the internet (redirect to HTTPS only)", cidr="0.0.0.0/0")]
    egress = []
    for service in services:
        if service.get("port"):
            egress.append(_rule(service["port"], "To service %s" % service["name"],
                                group=_id(ids, _service_group_key(service, per_service))))
    return ingress, egress


def _app_ingress(group, services, per_service, ids):
    """Ingress from the ALB to the ports of the services running in this group only."""
    rules = []
    for service in services:
        if not service.get("port"):
            continue
        if per_service and group["service"] != service["name"]:
            continue
        rules.append(_rule(service["port"], "From the ALB to service %s" % service["name"], group=_id(ids, "alb")))
    return rules


def _app_egress(ids, options):
    rules = [_rule(options["database_port"], "To PostgreSQL", group=_id(ids, "rds")),
             _rule(options["redis_port"], "To Redis", group=_id(ids, "redis"))]
    if options.get("endpoint_group_id"):
        rules.append(_rule(HTTPS, "To the VPC interface endpoints", group={"group_id": options["endpoint_group_id"]}))
    if options.get("internet_egress", True):
        rules.append(_rule(HTTPS, "HTTPS to external APIs through the NAT gateway", cidr="0.0.0.0/0"))
    return rules


def _data_ingress(port, description, app_groups, ids):
    return [_rule(port, "%s from %s" % (description, group["name"]), group=_id(ids, group["key"]))
            for group in app_groups]


def security_group_rules(services, name_prefix, per_service=False, group_ids=None, endpoint_group_id=None,
                         internet_egress=True, database_port=5432, redis_port=6379, by_name=False):
    if not isinstance(services, list):
        raise AnsibleFilterError("cloudplatform_services_effective must be a list, got %s" % type(services).__name__)
    app_groups = _app_groups(services, name_prefix, per_service)
    groups = [{"key": "alb", "name": "%s-sg-alb" % name_prefix, "service": None,
               "description": "%s load balancer" % name_prefix}]
    groups += app_groups
    groups += [{"key": "rds", "name": "%s-sg-rds" % name_prefix, "service": None,
                "description": "%s PostgreSQL" % name_prefix},
               {"key": "redis", "name": "%s-sg-redis" % name_prefix, "service": None,
                "description": "%s Redis" % name_prefix}]
    if by_name:
        ids = {group["key"]: {"group_name": group["name"]} for group in groups}
    elif group_ids:
        ids = {key: {"group_id": group_id} for key, group_id in group_ids.items()}
    else:
        return groups
    options = {"database_port": database_port, "redis_port": redis_port,
               "endpoint_group_id": endpoint_group_id, "internet_egress": internet_egress}
    for group in groups:
        if group["key"] == "alb":
            group["rules"], group["rules_egress"] = _alb_rules(services, per_service, ids)
        elif group["key"] == "rds":
            group["rules"], group["rules_egress"] = _data_ingress(database_port, "PostgreSQL", app_groups, ids), []
        elif group["key"] == "redis":
            group["rules"], group["rules_egress"] = _data_ingress(redis_port, "Redis", app_groups, ids), []
        else:
            group["rules"] = _app_ingress(group, services, per_service, ids)
            group["rules_egress"] = _app_egress(ids, options)
    return groups


class FilterModule(object):
    def filters(self):
        return {"security_group_rules": security_group_rules}
