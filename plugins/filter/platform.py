# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: service_plan
short_description: Build the effective service list of an environment
version_added: 0.1.0
description:
  - Layers the shared service definitions, the environment-wide settings and the per-service
    overrides (in that order, later wins) and fills the documented defaults, so every role reads
    the same fully specified list.
options:
  _input:
    description: The shared service definitions (C(cloudplatform_services)).
    type: list
    elements: dict
    required: true
  env_settings:
    description: Settings applied over every service of the environment (C(cloudplatform_services_env)).
    type: dict
    default: {}
  overrides:
    description: Per-service overrides by service name (C(cloudplatform_service_overrides)).
    type: dict
    default: {}
"""

EXAMPLES = r"""
- name: Show the effective services
  ansible.builtin.debug:
    msg: "{{ cloudplatform_services | cloudplatform.aws.service_plan(cloudplatform_services_env, cloudplatform_service_overrides) }}"
"""

RETURN = r"""
_value:
  description: The services with every field set (name, port, paths, health_check_path, capacity_provider,
    cpu, memory, min_count, max_count, desired_count, scaling, image_repository, image_tag, environment, secrets).
  type: list
  elements: dict
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

SERVICE_DEFAULTS = {
    "port": None,
    "paths": [],
    "health_check_path": "/health",
    "capacity_provider": "FARGATE",
    "cpu": 256,
    "memory": 512,
    "min_count": 1,
    "max_count": 10,
    "desired_count": None,
    "scaling": {},
    "image_repository": None,
    "image_tag": "latest",
    "environment": {},
    "secrets": [],
    "user": None,
}


def _plain(value):
    """A copy made of plain dicts and lists.

    copy.deepcopy() of the lazy containers ansible-core hands to filters re-templates every
    element on each copy (it was half the wall time of a no-op converge); walking the structure
    once is enough, since the leaves are immutable scalars.
    """
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def _merge(base, extra):
    """Recursive dict merge: dicts merge key by key, anything else is replaced."""
    result = _plain(base)
    for key, value in (extra or {}).items():
        if isinstance(value, Mapping) and isinstance(result.get(key), dict):
            result[key] = _merge(result[key], value)
        else:
            result[key] = _plain(value)
    return result


def service_plan(services, env_settings=None, overrides=None):
    if not isinstance(services, list):
        raise AnsibleFilterError("cloudplatform_services must be a list of dicts, got %s" % type(services).__name__)
    overrides = overrides or {}
    if not isinstance(overrides, dict):
        raise AnsibleFilterError("cloudplatform_service_overrides must be a dict keyed by service name")
    known = set()
    plan = []
    for index, service in enumerate(services):
        if not isinstance(service, dict) or "name" not in service:
            raise AnsibleFilterError("cloudplatform_services[%d] must be a dict with a name, got %r" % (index, service))
        known.add(service["name"])
        merged = _merge(SERVICE_DEFAULTS, service)
        merged = _merge(merged, env_settings or {})
        merged = _merge(merged, overrides.get(service["name"], {}))
        if merged["desired_count"] is None:
            merged["desired_count"] = merged["min_count"]
        if not merged["image_repository"]:
            merged["image_repository"] = merged["name"]
        plan.append(merged)
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise AnsibleFilterError(
            "cloudplatform_service_overrides names services that do not exist: %s; known services: %s"
            % (", ".join(unknown), ", ".join(sorted(known)))
        )
    return plan


class FilterModule(object):
    def filters(self):
        return {"service_plan": service_plan}
