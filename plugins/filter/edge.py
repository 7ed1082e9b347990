# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: alb_plan
short_description: Derive the ALB target groups and listener rules from the service list
version_added: 0.1.0
description:
  - One target group per service with a port, named C({prefix}-tg-{service}); names longer than
    the 32 characters ELB allows are cut and end in a hash of the full name, so they stay unique
    and stable.
  - One listener rule per path pattern, in service-list order. The priority of the rule for the
    j-th path (from 1) of the i-th service with a port (from 1) is C(i * 100 + j), so it never
    changes when another service adds or drops paths, and the order of the service list decides
    which of two overlapping patterns wins.
options:
  _input:
    description: The effective service list (C(cloudplatform_services_effective)).
    type: list
    elements: dict
    required: true
  prefix:
    description: The name prefix (C(cloudplatform_name_prefix)).
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Show the target groups and listener rules
  ansible.builtin.debug:
    msg: "{{ cloudplatform_services_effective | cloudplatform.aws.alb_plan(cloudplatform_name_prefix) }}"
"""

RETURN = r"""
_value:
  description:
    - C(target_groups) (service, name, port, health_check_path), C(rules) (priority, path, service, target_group)
      and C(listener_rules), the same rules in the shape of the ELBv2 API.
  type: dict
"""

import hashlib

from ansible.errors import AnsibleFilterError

NAME_LIMIT = 32
PATHS_PER_SERVICE = 99


def target_group_name(prefix, service):
    name = "%s-tg-%s" % (prefix, service)
    if len(name) <= NAME_LIMIT:
        return name
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return "%s-%s" % (name[: NAME_LIMIT - 9].rstrip("-"), digest)


def alb_plan(services, prefix):
    if not isinstance(services, list):
        raise AnsibleFilterError("alb_plan: cloudplatform_services_effective must be a list, got %s" % type(services).__name__)
    target_groups = []
    rules = []
    for index, service in enumerate([s for s in services if s.get("port")], start=1):
        name = target_group_name(prefix, service["name"])
        target_groups.append(
            dict(service=service["name"], name=name, port=service["port"], health_check_path=service.get("health_check_path") or "/health")
        )
        paths = service.get("paths") or []
        if len(paths) > PATHS_PER_SERVICE:
            raise AnsibleFilterError(
                "cloudplatform_services: service %s has %d paths; at most %d are accepted" % (service["name"], len(paths), PATHS_PER_SERVICE)
            )
        for position, path in enumerate(paths, start=1):
            rules.append(dict(priority=index * 100 + position, path=path, service=service["name"], target_group=name))
    return dict(target_groups=target_groups, rules=rules, listener_rules=[listener_rule(rule) for rule in rules])


def listener_rule(rule):
    """The rule in the shape of the ELBv2 API (amazon.aws.elb_application_lb listeners[].Rules)."""
    return dict(
        Priority=rule["priority"],
        Conditions=[dict(Field="path-pattern", Values=[rule["path"]])],
        Actions=[dict(Type="forward", TargetGroupName=rule["target_group"])],
    )


def waf_managed_rule(group, metric_prefix):
    """A WAFv2 rule (community.aws.wafv2_web_acl rules shape) running an AWS managed rule group with its own actions."""
    return dict(
        name=group["name"],
        priority=group["priority"],
        override_action=dict(none={}),
        statement=dict(managed_rule_group_statement=dict(vendor_name="AWS", name=group["name"])),
        visibility_config=dict(
            sampled_requests_enabled=True,
            cloud_watch_metrics_enabled=True,
            metric_name="%s%s" % (metric_prefix, group["name"]),
        ),
    )


class FilterModule(object):
    def filters(self):
        return {"alb_plan": alb_plan, "waf_managed_rule": waf_managed_rule}
