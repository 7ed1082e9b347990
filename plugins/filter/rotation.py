# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: secret_consumers
short_description: The ECS services that read a secret
version_added: 0.1.0
description:
  - From the effective services, the ECS service names of those whose C(secrets) list (or the
    default list when theirs is empty) names the secret. They are redeployed after a rotation.
options:
  _input:
    description: C(cloudplatform_services_effective).
    type: list
    elements: dict
    required: true
  secret:
    description: Secret name, a key of C(secrets_arns).
    type: str
    required: true
  default_secrets:
    description: Secrets a service reads when its own list is empty.
    type: list
    elements: str
    required: true
  ecs_services:
    description: C(ecs_service_resources) (may be empty).
    type: dict
    required: true
  name_prefix:
    description: C(cloudplatform_name_prefix), for services the ecs_service role has not published.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Show who reads the Redis token
  ansible.builtin.debug:
    msg: "{{ cloudplatform_services_effective | cloudplatform.aws.secret_consumers('redis_auth_token', ['redis_auth_token'], {}, 'cp-dev') }}"
"""

RETURN = r"""
_value:
  description: ECS service names.
  type: list
  elements: str
"""


def secret_consumers(services, secret, default_secrets, ecs_services, name_prefix):
    names = []
    for service in services or []:
        reads = service.get("secrets") or default_secrets or []
        if secret in reads:
            published = (ecs_services or {}).get(service["name"]) or {}
            names.append(published.get("name") or "%s-%s" % (name_prefix, service["name"]))
    return names


def rotation_report(results):
    """One line per secret: the steps run, never a value."""
    lines = []
    for result in results or []:
        steps = result.get("steps") or []
        lines.append("%s: %s" % (result.get("item"), ", ".join(steps) if steps else "not due"))
    return lines


class FilterModule(object):
    def filters(self):
        return {"secret_consumers": secret_consumers, "rotation_report": rotation_report}
