# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: static_site_plan
short_description: Work out the bucket, distribution and alias names of the static sites
version_added: 0.1.0
description:
  - For each site C({name, hosts, spa}) returns its bucket (C(<prefix>-<name>-<account>), bucket
    names being global), its distribution name (C(<prefix>-cf-<name>)) and its aliases
    (C(<host>.<domain>), an empty host being the domain itself).
  - Without a domain the sites get no aliases.
options:
  _input:
    description: The sites (C(static_sites_sites)).
    type: list
    elements: dict
    required: true
  prefix:
    description: The name prefix (C(cloudplatform_name_prefix)).
    type: str
    required: true
  account:
    description: The AWS account id.
    type: str
    required: true
  domain:
    description: The environment's domain; empty for no aliases.
    type: str
    default: ""
"""

EXAMPLES = r"""
- name: Show the sites' names
  ansible.builtin.debug:
    msg: "{{ static_sites_sites | cloudplatform.aws.static_site_plan('cloudplatform-prod', '123456789012', 'example.com') }}"
"""

RETURN = r"""
_value:
  description: Per site C(name), C(bucket), C(distribution), C(aliases) and C(spa).
  type: list
  elements: dict
"""

from ansible.errors import AnsibleFilterError


def _alias(host, domain):
    return f"{host}.{domain}" if host else domain


def static_site_plan(sites, prefix, account, domain=""):
    plan = []
    for site in sites:
        name = site.get("name")
        if not name:
            raise AnsibleFilterError(f"static_sites_sites: {site!r} has no name; each site needs name, hosts and spa.")
        aliases = [_alias(host, domain) for host in site.get("hosts", [])] if domain else []
        plan.append(
            dict(
                name=name,
                bucket=f"{prefix}-{name}-{account}",
                distribution=f"{prefix}-cf-{name}",
                aliases=aliases,
                spa=bool(site.get("spa", False)),
            )
        )
    return plan


class FilterModule(object):
    def filters(self):
        return {"static_site_plan": static_site_plan}
