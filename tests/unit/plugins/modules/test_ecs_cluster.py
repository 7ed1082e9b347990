"""Unit tests for cloudplatform.aws.ecs_cluster against the real ECS model (Stubber)."""

import pytest
from _edge_fakes import FakeModule, stubbed

from ansible_collections.cloudplatform.aws.plugins.module_utils.ecs_cluster import AnsibleEcsClusterError
from ansible_collections.cloudplatform.aws.plugins.modules import ecs_cluster as mod

NAME = "cp-prod-ecs-cluster"
ARN = "arn:aws:ecs:us-east-1:123456789012:cluster/" + NAME
DESCRIBE = {"clusters": [NAME], "include": ["SETTINGS", "TAGS"]}
STRATEGY = [{"capacity_provider": "FARGATE", "weight": 1, "base": 0}]


def params(**overrides):
    values = {"name": NAME, "state": "present", "container_insights": "enabled",
              "capacity_providers": ["FARGATE", "FARGATE_SPOT"], "default_capacity_provider_strategy": STRATEGY,
              "tags": {"Environment": "prod"}, "purge_tags": True}
    values.update(overrides)
    return values


def live(**overrides):
    cluster = {"clusterName": NAME, "clusterArn": ARN, "status": "ACTIVE",
               "settings": [{"name": "containerInsights", "value": "enabled"}],
               "capacityProviders": ["FARGATE_SPOT", "FARGATE"],
               "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1, "base": 0}],
               "tags": [{"key": "Environment", "value": "prod"}]}
    cluster.update(overrides)
    return cluster


@pytest.mark.parametrize("check_mode", [True, False])
def test_creates_when_missing(check_mode):
    client, stub = stubbed("ecs")
    stub.add_response("describe_clusters", {"clusters": [], "failures": [{"arn": ARN, "reason": "MISSING"}]}, DESCRIBE)
    if not check_mode:
        stub.add_response("create_cluster", {"cluster": live()}, {
            "clusterName": NAME, "capacityProviders": ["FARGATE", "FARGATE_SPOT"],
            "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1, "base": 0}],
            "settings": [{"name": "containerInsights", "value": "enabled"}],
            "tags": [{"key": "Environment", "value": "prod"}]})
        stub.add_response("describe_clusters", {"clusters": [live()]}, DESCRIBE)
    with stub:
        result = mod.run(FakeModule(params(), check_mode), client)
    stub.assert_no_pending_responses()
    assert result["changed"] is True and result["diff"]["before"] == {}
    assert result["diff"]["after"]["container_insights"] == "enabled"
    assert result["diff"]["after"]["capacity_providers"] == ["FARGATE", "FARGATE_SPOT"]


@pytest.mark.parametrize("check_mode", [True, False])
def test_no_write_when_equal(check_mode):
    client, stub = stubbed("ecs")
    stub.add_response("describe_clusters", {"clusters": [live()]}, DESCRIBE)
    with stub:
        result = mod.run(FakeModule(params(), check_mode), client)
    stub.assert_no_pending_responses()
    assert result["changed"] is False
    assert result["cluster"]["cluster_arn"] == ARN and result["cluster"]["tags"] == {"Environment": "prod"}


@pytest.mark.parametrize("check_mode", [True, False])
def test_fixes_drift_in_each_aspect(check_mode):
    drifted = live(settings=[{"name": "containerInsights", "value": "disabled"}], tags=[{"key": "Stray", "value": "x"}])
    drifted.pop("capacityProviders")  # a cluster created without providers does not report the key
    drifted["defaultCapacityProviderStrategy"] = []
    client, stub = stubbed("ecs")
    stub.add_response("describe_clusters", {"clusters": [drifted]}, DESCRIBE)
    if not check_mode:
        stub.add_response("update_cluster", {"cluster": live()},
                          {"cluster": NAME, "settings": [{"name": "containerInsights", "value": "enabled"}]})
        stub.add_response("put_cluster_capacity_providers", {"cluster": live()}, {
            "cluster": NAME, "capacityProviders": ["FARGATE", "FARGATE_SPOT"],
            "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1, "base": 0}]})
        stub.add_response("untag_resource", {}, {"resourceArn": ARN, "tagKeys": ["Stray"]})
        stub.add_response("tag_resource", {}, {"resourceArn": ARN, "tags": [{"key": "Environment", "value": "prod"}]})
        stub.add_response("describe_clusters", {"clusters": [live()]}, DESCRIBE)
    with stub:
        result = mod.run(FakeModule(params(), check_mode), client)
    stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["diff"]["before"]["container_insights"] == "disabled"
    assert result["diff"]["before"]["capacity_providers"] == []
    assert result["diff"]["after"]["container_insights"] == "enabled"
    assert result["diff"]["after"]["tags"] == {"Environment": "prod"}


def test_unset_options_are_not_managed():
    client, stub = stubbed("ecs")
    stub.add_response("describe_clusters", {"clusters": [live(settings=[])]}, DESCRIBE)
    with stub:
        result = mod.run(FakeModule(params(container_insights=None, capacity_providers=None,
                                           default_capacity_provider_strategy=None, tags=None)), client)
    assert result["changed"] is False


@pytest.mark.parametrize("check_mode", [True, False])
def test_absent_deletes_active_cluster(check_mode):
    client, stub = stubbed("ecs")
    stub.add_response("describe_clusters", {"clusters": [live()]}, DESCRIBE)
    if not check_mode:
        stub.add_response("delete_cluster", {"cluster": live(status="INACTIVE")}, {"cluster": NAME})
    with stub:
        result = mod.run(FakeModule(params(state="absent"), check_mode), client)
    stub.assert_no_pending_responses()
    assert result["changed"] is True and result["diff"]["after"] == {}


def test_inactive_cluster_counts_as_absent():
    client, stub = stubbed("ecs")
    stub.add_response("describe_clusters", {"clusters": [live(status="INACTIVE")]}, DESCRIBE)
    with stub:
        result = mod.run(FakeModule(params(state="absent")), client)
    assert result["changed"] is False


def test_api_error_is_raised_for_fail_json_aws():
    client, stub = stubbed("ecs")
    stub.add_response("describe_clusters", {"clusters": [live(settings=[])]}, DESCRIBE)
    stub.add_client_error("update_cluster", "InvalidParameterException", "bad setting")
    with stub, pytest.raises(AnsibleEcsClusterError) as caught:
        mod.run(FakeModule(params()), client)
    assert "update cluster settings" in str(caught.value)
