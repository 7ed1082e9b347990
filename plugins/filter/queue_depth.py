# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: queue_depth_targets
short_description: The queues the queue-depth publisher measures
version_added: 0.1.0
description:
  - From the effective services, the ones with C(scaling.queue), as the publisher's C(QUEUES)
    setting, with the ECS service name of each (from C(ecs_service_resources) when the
    ecs_service role published it, else C(<name_prefix>-<service>)).
options:
  _input:
    description: C(cloudplatform_services_effective).
    type: list
    elements: dict
    required: true
  ecs_services:
    description: C(ecs_service_resources) (may be empty).
    type: dict
    default: {}
  name_prefix:
    description: C(cloudplatform_name_prefix).
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Show what the publisher measures
  ansible.builtin.debug:
    msg: "{{ cloudplatform_services_effective | cloudplatform.aws.queue_depth_targets(ecs_service_resources, cloudplatform_name_prefix) }}"
"""

RETURN = r"""
_value:
  description: One entry per queue with service, ecs_service, queue, type (list or stream) and group.
  type: list
  elements: dict
"""

from ansible.errors import AnsibleFilterError


def queue_depth_targets(services, ecs_services=None, name_prefix=""):
    targets = []
    for service in services or []:
        queue = (service.get("scaling") or {}).get("queue")
        if not queue:
            continue
        if not queue.get("name"):
            raise AnsibleFilterError("cloudplatform_services (%s).scaling.queue.name is missing; expected the Redis key of the queue" % service["name"])
        kind = queue.get("type", "list")
        if kind not in ("list", "stream"):
            raise AnsibleFilterError("cloudplatform_services (%s).scaling.queue.type: %r; expected list or stream" % (service["name"], kind))
        published = (ecs_services or {}).get(service["name"]) or {}
        targets.append({
            "service": service["name"],
            "ecs_service": published.get("name") or "%s-%s" % (name_prefix, service["name"]),
            "queue": queue["name"],
            "type": kind,
            "group": queue.get("group") or "",
        })
    return targets


class FilterModule(object):
    def filters(self):
        return {"queue_depth_targets": queue_depth_targets}
