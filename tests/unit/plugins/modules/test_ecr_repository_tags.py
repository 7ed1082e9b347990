"""Unit tests for cloudplatform.aws.ecr_repository_tags against the real ECR model (Stubber)."""

import pytest
from _edge_fakes import FailJson, FakeModule, stubbed

from ansible_collections.cloudplatform.aws.plugins.module_utils.ecr_tags import AnsibleEcrTagsError
from ansible_collections.cloudplatform.aws.plugins.modules import ecr_repository_tags as mod

NAME = "cp-prod/api"
ARN = "arn:aws:ecr:us-east-1:123456789012:repository/" + NAME
REPO = {"repositories": [{"repositoryName": NAME, "repositoryArn": ARN, "registryId": "123456789012"}]}


def params(**overrides):
    values = {"name": NAME, "tags": {"Environment": "prod", "Name": NAME}, "purge_tags": True}
    values.update(overrides)
    return values


def tag_list(**tags):
    return {"tags": [{"Key": k, "Value": v} for k, v in tags.items()]}


@pytest.mark.parametrize("check_mode", [True, False])
def test_sets_missing_and_purges_stray_tags(check_mode):
    client, stub = stubbed("ecr")
    stub.add_response("describe_repositories", REPO, {"repositoryNames": [NAME]})
    stub.add_response("list_tags_for_resource", tag_list(Stray="x", Environment="prod"), {"resourceArn": ARN})
    if not check_mode:
        stub.add_response("untag_resource", {}, {"resourceArn": ARN, "tagKeys": ["Stray"]})
        stub.add_response("tag_resource", {}, {"resourceArn": ARN, "tags": [{"Key": "Name", "Value": NAME}]})
        stub.add_response("list_tags_for_resource", tag_list(Environment="prod", Name=NAME), {"resourceArn": ARN})
    with stub:
        result = mod.run(FakeModule(params(), check_mode), client)
    stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["diff"]["before"]["tags"] == {"Stray": "x", "Environment": "prod"}
    assert result["tags"] == {"Environment": "prod", "Name": NAME}


@pytest.mark.parametrize("check_mode", [True, False])
def test_no_write_when_equal(check_mode):
    client, stub = stubbed("ecr")
    stub.add_response("describe_repositories", REPO, {"repositoryNames": [NAME]})
    stub.add_response("list_tags_for_resource", tag_list(Environment="prod", Name=NAME), {"resourceArn": ARN})
    with stub:
        result = mod.run(FakeModule(params(), check_mode), client)
    stub.assert_no_pending_responses()
    assert result["changed"] is False


def test_missing_repository_fails_naming_it():
    client, stub = stubbed("ecr")
    stub.add_client_error("describe_repositories", "RepositoryNotFoundException", "none")
    with stub, pytest.raises(FailJson, match="cp-prod/api"):
        mod.run(FakeModule(params()), client)


def test_tag_error_is_raised_for_fail_json_aws():
    client, stub = stubbed("ecr")
    stub.add_response("describe_repositories", REPO, {"repositoryNames": [NAME]})
    stub.add_response("list_tags_for_resource", tag_list(), {"resourceArn": ARN})
    stub.add_client_error("tag_resource", "TooManyTagsException", "too many")
    with stub, pytest.raises(AnsibleEcrTagsError, match="tag repository"):
        mod.run(FakeModule(params()), client)
