#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: ecs_cluster
short_description: Manage an ECS cluster with its settings, capacity providers and tags
version_added: 0.1.0
description:
  - Creates, updates or deletes an Amazon ECS cluster.
  - Unlike C(community.aws.ecs_cluster) it manages the cluster settings (Container Insights) and the
    tags, and compares each aspect with the live cluster so an unchanged cluster gets no write call.
  - An option left unset is not managed, the live value stays as it is.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  name:
    description: The cluster name.
    type: str
    required: true
  state:
    description: Whether the cluster should exist.
    type: str
    choices: [present, absent]
    default: present
  container_insights:
    description:
      - The C(containerInsights) cluster setting.
      - C(enhanced) is Container Insights with enhanced observability.
    type: str
    choices: [enabled, disabled, enhanced]
  capacity_providers:
    description:
      - The capacity providers associated with the cluster (for Fargate C(FARGATE) and C(FARGATE_SPOT)).
      - Set together with O(default_capacity_provider_strategy); the API replaces both at once.
    type: list
    elements: str
  default_capacity_provider_strategy:
    description: The default capacity provider strategy for services and tasks that name none.
    type: list
    elements: dict
    suboptions:
      capacity_provider:
        description: A capacity provider of O(capacity_providers).
        type: str
        required: true
      weight:
        description: Relative share of tasks placed on this provider.
        type: int
        default: 0
      base:
        description: Tasks placed on this provider before the weights apply.
        type: int
        default: 0
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    description: Reports what would change and makes no write call.
  diff_mode:
    support: full
    description: Returns the cluster before and after (settings, capacity providers, strategy, tags).
  platform:
    support: full
    platforms: aws
    description: Runs against the Amazon ECS API.
"""

EXAMPLES = r"""
- name: Create a Fargate cluster with Container Insights
  cloudplatform.aws.ecs_cluster:
    name: cloudplatform-prod-ecs-cluster
    container_insights: enabled
    capacity_providers: [FARGATE, FARGATE_SPOT]
    default_capacity_provider_strategy:
      - capacity_provider: FARGATE
        weight: 1
        base: 1
    tags:
      Environment: prod

- name: Delete the cluster
  cloudplatform.aws.ecs_cluster:
    name: cloudplatform-prod-ecs-cluster
    state: absent
"""

RETURN = r"""
cluster:
  description: The cluster as read back after the changes (empty when absent).
  returned: always
  type: dict
  contains:
    cluster_name:
      description: The cluster name.
      type: str
      sample: cloudplatform-prod-ecs-cluster
    cluster_arn:
      description: The cluster ARN.
      type: str
      sample: arn:aws:ecs:us-east-1:123456789012:cluster/cloudplatform-prod-ecs-cluster
    status:
      description: The cluster status.
      type: str
      sample: ACTIVE
    settings:
      description: The cluster settings.
      type: list
      elements: dict
      sample: [{"name": "containerInsights", "value": "enabled"}]
    capacity_providers:
      description: The capacity providers of the cluster.
      type: list
      elements: str
      sample: [FARGATE, FARGATE_SPOT]
    default_capacity_provider_strategy:
      description: The default capacity provider strategy.
      type: list
      elements: dict
      sample: [{"capacity_provider": "FARGATE", "weight": 1, "base": 1}]
    tags:
      description: The cluster tags as a dict.
      type: dict
      sample: {"Environment": "prod"}
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags
from ansible_collections.amazon.aws.plugins.module_utils.transformation import scrub_none_parameters

from ansible_collections.cloudplatform.aws.plugins.module_utils.ecs_cluster import (
    AnsibleEcsClusterError,
    create_cluster,
    delete_cluster,
    describe_cluster,
    put_cluster_capacity_providers,
    tag_cluster,
    untag_cluster,
    update_cluster_settings,
)


def cluster_tags(cluster):
    return {t["key"]: t["value"] for t in (cluster or {}).get("tags", [])}


def insights_value(cluster):
    for setting in (cluster or {}).get("settings", []):
        if setting.get("name") == "containerInsights":
            return setting.get("value")
    return None


def wanted_strategy(params):
    strategy = params["default_capacity_provider_strategy"]
    if strategy is None:
        return None
    return [dict(capacityProvider=s["capacity_provider"], weight=s["weight"], base=s["base"]) for s in strategy]


def normalise_strategy(strategy):
    """Order-insensitive form of a strategy; the API echoes base and weight as 0 when unset."""
    return sorted((s["capacityProvider"], s.get("weight", 0), s.get("base", 0)) for s in strategy or [])


def present_view(cluster):
    """The managed aspects of a cluster, for diff output (moto omits an empty provider list)."""
    if not cluster:
        return {}
    return dict(
        cluster_name=cluster["clusterName"],
        container_insights=insights_value(cluster),
        capacity_providers=sorted(cluster.get("capacityProviders", [])),
        default_capacity_provider_strategy=[
            dict(capacity_provider=p, weight=w, base=b) for p, w, b in normalise_strategy(cluster.get("defaultCapacityProviderStrategy"))
        ],
        tags=cluster_tags(cluster),
    )


def update_settings(module, client, cluster):
    wanted = module.params["container_insights"]
    if wanted is None or insights_value(cluster) == wanted:
        return False
    if not module.check_mode:
        update_cluster_settings(client, cluster["clusterName"], [dict(name="containerInsights", value=wanted)])
    return True


def update_capacity_providers(module, client, cluster):
    providers = module.params["capacity_providers"]
    strategy = wanted_strategy(module.params)
    if providers is None and strategy is None:
        return False
    current_providers = cluster.get("capacityProviders", [])
    current_strategy = cluster.get("defaultCapacityProviderStrategy", [])
    providers = current_providers if providers is None else providers
    strategy = current_strategy if strategy is None else strategy
    if sorted(providers) == sorted(current_providers) and normalise_strategy(strategy) == normalise_strategy(current_strategy):
        return False
    if not module.check_mode:
        put_cluster_capacity_providers(client, cluster["clusterName"], providers, strategy)
    return True


def update_tags(module, client, cluster):
    if module.params["tags"] is None:
        return False
    to_set, to_remove = compare_aws_tags(cluster_tags(cluster), module.params["tags"], module.params["purge_tags"])
    if not to_set and not to_remove:
        return False
    if not module.check_mode:
        if to_remove:
            untag_cluster(client, cluster["clusterArn"], to_remove)
        if to_set:
            tag_cluster(client, cluster["clusterArn"], to_set)
    return True


def create(module, client):
    params = module.params
    request = dict(
        clusterName=params["name"],
        capacityProviders=params["capacity_providers"],
        defaultCapacityProviderStrategy=wanted_strategy(params),
    )
    if params["container_insights"] is not None:
        request["settings"] = [dict(name="containerInsights", value=params["container_insights"])]
    if params["tags"]:
        request["tags"] = [{"key": k, "value": v} for k, v in params["tags"].items()]
    if module.check_mode:
        return None
    return create_cluster(client, **scrub_none_parameters(request, descend_into_lists=False))


def ensure_present(module, client, existing):
    if existing is None:
        create(module, client)
        return True
    changed = False
    changed |= update_settings(module, client, existing)
    changed |= update_capacity_providers(module, client, existing)
    changed |= update_tags(module, client, existing)
    return changed


def planned_view(module, before):
    """What the cluster will look like, for check-mode diffs and results."""
    params = module.params
    after = dict(before) if before else dict(cluster_name=params["name"], container_insights=None,
                                             capacity_providers=[], default_capacity_provider_strategy=[], tags={})
    if params["container_insights"] is not None:
        after["container_insights"] = params["container_insights"]
    if params["capacity_providers"] is not None:
        after["capacity_providers"] = sorted(params["capacity_providers"])
    if params["default_capacity_provider_strategy"] is not None:
        after["default_capacity_provider_strategy"] = [
            dict(capacity_provider=p, weight=w, base=b) for p, w, b in normalise_strategy(wanted_strategy(params))
        ]
    if params["tags"] is not None:
        tags = {} if params["purge_tags"] else dict(after["tags"])
        tags.update(params["tags"])
        after["tags"] = tags
    return after


def snake_cluster(cluster):
    if not cluster:
        return {}
    result = camel_dict_to_snake_dict({k: v for k, v in cluster.items() if k != "tags"})
    result.setdefault("capacity_providers", [])
    result["tags"] = cluster_tags(cluster)
    return result


def run(module, client):
    name = module.params["name"]
    existing = describe_cluster(client, name)
    before = present_view(existing)
    if module.params["state"] == "absent":
        changed = existing is not None
        if changed and not module.check_mode:
            delete_cluster(client, name)
        return dict(changed=changed, cluster={}, diff=dict(before=before, after={}))
    changed = ensure_present(module, client, existing)
    if module.check_mode:
        return dict(changed=changed, cluster=snake_cluster(existing), diff=dict(before=before, after=planned_view(module, before)))
    current = describe_cluster(client, name) if changed else existing
    return dict(changed=changed, cluster=snake_cluster(current), diff=dict(before=before, after=present_view(current)))


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        container_insights=dict(type="str", choices=["enabled", "disabled", "enhanced"]),
        capacity_providers=dict(type="list", elements="str"),
        default_capacity_provider_strategy=dict(
            type="list",
            elements="dict",
            options=dict(
                capacity_provider=dict(type="str", required=True),
                weight=dict(type="int", default=0),
                base=dict(type="int", default=0),
            ),
        ),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("ecs")
    try:
        result = run(module, client)
    except AnsibleEcsClusterError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
