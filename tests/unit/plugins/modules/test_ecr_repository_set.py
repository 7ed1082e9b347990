"""cloudplatform.aws.ecr_repository_set against a botocore Stubber on the real ECR model.

Every request is checked against the ECR service model and the exact parameters; a call the test
did not queue fails the test, so "no write call" is asserted by the absence of queued writes.
"""

from __future__ import annotations

import json

import pytest
from _edge_fakes import FailJson, FakeModule, stubbed

from ansible_collections.cloudplatform.aws.plugins.module_utils import ecr as ecr_utils
from ansible_collections.cloudplatform.aws.plugins.module_utils.ecr import AnsibleEcrError
from ansible_collections.cloudplatform.aws.plugins.modules import ecr_repository_set as module

ACCOUNT = "123456789012"
KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/0f0e0d0c-0b0a-0908-0706-050403020100"
API, WORKER = "cp-prod/api", "cp-prod/worker"
LIFECYCLE = {"rules": [
    {"rulePriority": 1, "description": "untagged", "action": {"type": "expire"},
     "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 7}},
    {"rulePriority": 2, "description": "keep 10", "action": {"type": "expire"},
     "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 10}},
]}
POLICY = {"Version": "2012-10-17", "Statement": [{"Sid": "Pull", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                                                  "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]}]}


def arn(name):
    return f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/{name}"


def repo_spec(name=API, **values):
    """One item of the repositories option as Ansible hands it to the module (unset suboptions are None)."""
    spec = dict(name=name, image_tag_mutability="MUTABLE", scan_on_push=True,
                encryption_configuration={"encryption_type": "KMS", "kms_key": KEY},
                lifecycle_policy=json.dumps(LIFECYCLE), repository_policy=None, tags={"Environment": "prod", "Name": name}, purge_tags=True)
    spec.update(values)
    return spec


def bare(name):
    return dict(name=name, image_tag_mutability=None, scan_on_push=None, encryption_configuration=None, lifecycle_policy=None,
                repository_policy=None, tags=None, purge_tags=True)


def params(*repositories, **values):
    return dict(dict(repositories=list(repositories) or [repo_spec(API), repo_spec(WORKER)], state="present", force_absent=False), **values)


def live(name, mutability="MUTABLE", scan=True, encryption=None):
    """What DescribeRepositories answers for a repository."""
    return {"repositoryName": name, "repositoryArn": arn(name), "registryId": ACCOUNT,
            "repositoryUri": f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/{name}", "imageTagMutability": mutability,
            "imageScanningConfiguration": {"scanOnPush": scan},
            "encryptionConfiguration": encryption or {"encryptionType": "KMS", "kmsKey": KEY}}


def tag_list(tags):
    return {"tags": [{"Key": k, "Value": v} for k, v in tags.items()]}


def described_lifecycle():
    """ECR's echo of LIFECYCLE: same meaning, other key and rule order."""
    rules = [dict(reversed(list(rule.items()))) for rule in reversed(LIFECYCLE["rules"])]
    return json.dumps({"rules": rules}, indent=2)


def read(stub, repositories, tags=None, lifecycle=True, policy=None):
    """The reads of one run: one DescribeRepositories, then tags and the managed policies per repository."""
    stub.add_response("describe_repositories", {"repositories": repositories}, {"repositoryNames": [r["repositoryName"] for r in repositories]})
    read_details(stub, repositories, tags, lifecycle, policy)


def read_details(stub, repositories, tags=None, lifecycle=True, policy=None):
    for repository in repositories:
        name = repository["repositoryName"]
        stub.add_response("list_tags_for_resource", tag_list(tags or {"Environment": "prod", "Name": name}), {"resourceArn": arn(name)})
        if lifecycle is True:
            stub.add_response("get_lifecycle_policy", {"lifecyclePolicyText": described_lifecycle()}, {"repositoryName": name})
        elif lifecycle is not None:
            stub.add_client_error("get_lifecycle_policy", "LifecyclePolicyNotFoundException", "none", expected_params={"repositoryName": name})
        if policy is not None:
            stub.add_response("get_repository_policy", {"policyText": json.dumps(policy)}, {"repositoryName": name})


def converge(stub, client, *repositories, check_mode=False, **options):
    """Run the module on repositories (default: API and WORKER of repo_spec); every queued response must be used."""
    with stub:
        result = module.run(FakeModule(params(*repositories, **options), check_mode), client)
        stub.assert_no_pending_responses()
    return result


@pytest.mark.parametrize("check_mode", [False, True])
def test_converged_set_makes_no_write_call(check_mode):
    client, stub = stubbed("ecr")
    read(stub, [live(API), live(WORKER)])
    result = converge(stub, client, check_mode=check_mode)
    assert result["changed"] is False
    assert result["diff"] == {"before": {}, "after": {}}
    assert [r["repository_name"] for r in result["repositories"]] == [API, WORKER]
    first = result["repositories"][0]
    assert first["repository_uri"] == f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/{API}"
    assert first["image_scanning_configuration"] == {"scan_on_push": True}
    assert first["encryption_configuration"] == {"encryption_type": "KMS", "kms_key": KEY}
    assert first["tags"] == {"Environment": "prod", "Name": API}
    assert first["lifecycle_policy"]["rules"][0]["rulePriority"] == 2  # as ECR answered


def test_unset_settings_are_neither_read_nor_written():
    client, stub = stubbed("ecr")
    read(stub, [live(API, mutability="IMMUTABLE", scan=False, encryption={"encryptionType": "AES256"})], tags={"Other": "x"}, lifecycle=None)
    result = converge(stub, client, bare(API))
    assert result["changed"] is False
    assert result["repositories"][0]["lifecycle_policy"] is None and result["repositories"][0]["tags"] == {"Other": "x"}


@pytest.mark.parametrize("check_mode", [False, True])
def test_creates_missing_repository_with_settings_and_tags_in_one_call(check_mode):
    client, stub = stubbed("ecr")
    # One missing name fails the batch: the module asks name by name.
    stub.add_client_error("describe_repositories", "RepositoryNotFoundException", "missing", expected_params={"repositoryNames": [API, WORKER]})
    stub.add_response("describe_repositories", {"repositories": [live(API)]}, {"repositoryNames": [API]})
    stub.add_client_error("describe_repositories", "RepositoryNotFoundException", "missing", expected_params={"repositoryNames": [WORKER]})
    read_details(stub, [live(API)])
    if not check_mode:
        stub.add_response("create_repository", {"repository": live(WORKER)}, {
            "repositoryName": WORKER, "imageTagMutability": "MUTABLE", "imageScanningConfiguration": {"scanOnPush": True},
            "encryptionConfiguration": {"encryptionType": "KMS", "kmsKey": KEY},
            "tags": [{"Key": "Environment", "Value": "prod"}, {"Key": "Name", "Value": WORKER}]})
        stub.add_response("put_lifecycle_policy", {}, {"repositoryName": WORKER, "lifecyclePolicyText": json.dumps(LIFECYCLE, sort_keys=True)})
        read(stub, [live(WORKER)])
    result = converge(stub, client, check_mode=check_mode)
    assert result["changed"] is True and result["created"] == [WORKER] and result["updated"] == []
    assert list(result["diff"]["after"]) == [WORKER] and result["diff"]["before"] == {}
    assert result["diff"]["after"][WORKER]["lifecycle_policy"] == LIFECYCLE
    created = result["repositories"][1]
    assert created["repository_name"] == WORKER and created["tags"] == {"Environment": "prod", "Name": WORKER}
    if check_mode:
        assert created["repository_uri"] is None and created["repository_arn"] is None
        assert created["encryption_configuration"] == {"encryption_type": "KMS", "kms_key": KEY}
    else:
        assert created["repository_uri"] == f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/{WORKER}"


def test_creation_without_settings_leaves_the_defaults_to_ecr():
    client, stub = stubbed("ecr")
    stub.add_client_error("describe_repositories", "RepositoryNotFoundException", "missing", expected_params={"repositoryNames": [API]})
    stub.add_client_error("describe_repositories", "RepositoryNotFoundException", "missing", expected_params={"repositoryNames": [API]})
    stub.add_response("create_repository", {"repository": live(API)}, {"repositoryName": API})
    stub.add_response("describe_repositories", {"repositories": [live(API)]}, {"repositoryNames": [API]})
    stub.add_response("list_tags_for_resource", tag_list({}), {"resourceArn": arn(API)})
    result = converge(stub, client, bare(API))
    assert result["created"] == [API]


# One write call per aspect that differs, nothing else rewritten.
ASPECTS = {
    "mutability": (dict(image_tag_mutability="IMMUTABLE"), "put_image_tag_mutability",
                   {"repositoryName": API, "imageTagMutability": "IMMUTABLE"}, "image_tag_mutability", "IMMUTABLE"),
    "scan_on_push": (dict(scan_on_push=False), "put_image_scanning_configuration",
                     {"repositoryName": API, "imageScanningConfiguration": {"scanOnPush": False}}, "scan_on_push", False),
    "lifecycle": (dict(lifecycle_policy=json.dumps({"rules": LIFECYCLE["rules"][:1]})), "put_lifecycle_policy",
                  {"repositoryName": API, "lifecyclePolicyText": json.dumps({"rules": LIFECYCLE["rules"][:1]}, sort_keys=True)},
                  "lifecycle_policy", {"rules": LIFECYCLE["rules"][:1]}),
    "tags": (dict(tags={"Environment": "staging", "Name": API}), "tag_resource",
             {"resourceArn": arn(API), "tags": [{"Key": "Environment", "Value": "staging"}]}, "tags", {"Environment": "staging", "Name": API}),
}


@pytest.mark.parametrize("check_mode", [False, True])
@pytest.mark.parametrize("aspect", sorted(ASPECTS))
def test_each_aspect_is_written_alone(aspect, check_mode):
    change, operation, request, diff_key, after = ASPECTS[aspect]
    client, stub = stubbed("ecr")
    read(stub, [live(API)])
    if not check_mode:
        stub.add_response(operation, {}, request)
        read(stub, [live(API)])
    result = converge(stub, client, repo_spec(API, **change), check_mode=check_mode)
    assert result["changed"] is True and result["updated"] == [API] and result["created"] == []
    assert result["diff"]["after"][API][diff_key] == after
    assert result["diff"]["before"][API][diff_key] != after
    assert result["diff"]["before_header"] == f"repositories {API}"


@pytest.mark.parametrize("check_mode", [False, True])
def test_repository_policy_is_set_when_it_differs_and_compared_by_meaning(check_mode):
    client, stub = stubbed("ecr")
    reordered = json.loads(json.dumps(POLICY))
    reordered["Statement"][0]["Action"].reverse()
    read(stub, [live(API), live(WORKER)], policy=reordered)
    wanted = json.loads(json.dumps(POLICY))
    wanted["Statement"][0]["Action"].append("ecr:BatchCheckLayerAvailability")
    if not check_mode:
        stub.add_response("set_repository_policy", {}, {"repositoryName": WORKER, "policyText": json.dumps(wanted, sort_keys=True)})
        read(stub, [live(WORKER)], policy=wanted)
    result = converge(stub, client, repo_spec(API, repository_policy=json.dumps(POLICY)), repo_spec(WORKER, repository_policy=json.dumps(wanted)),
                      check_mode=check_mode)
    assert result["updated"] == [WORKER]
    assert result["repositories"][1]["repository_policy"] == wanted


@pytest.mark.parametrize("check_mode", [False, True])
def test_empty_policy_deletes_the_existing_one(check_mode):
    client, stub = stubbed("ecr")
    read(stub, [live(API)], policy=POLICY)
    if not check_mode:
        stub.add_response("delete_repository_policy", {}, {"repositoryName": API})
        stub.add_response("describe_repositories", {"repositories": [live(API)]}, {"repositoryNames": [API]})
        read_details(stub, [live(API)])
        stub.add_client_error("get_repository_policy", "RepositoryPolicyNotFoundException", "none", expected_params={"repositoryName": API})
    result = converge(stub, client, repo_spec(API, repository_policy="{}"), check_mode=check_mode)
    assert result["updated"] == [API]
    assert result["repositories"][0]["repository_policy"] is None
    assert result["diff"]["before"][API]["repository_policy"] == POLICY and result["diff"]["after"][API]["repository_policy"] is None


def test_missing_lifecycle_policy_is_put():
    client, stub = stubbed("ecr")
    read(stub, [live(API)], lifecycle=False)
    stub.add_response("put_lifecycle_policy", {}, {"repositoryName": API, "lifecyclePolicyText": json.dumps(LIFECYCLE, sort_keys=True)})
    read(stub, [live(API)])
    assert converge(stub, client, repo_spec(API))["updated"] == [API]


@pytest.mark.parametrize(("purge", "untag"), [(True, True), (False, False)])
def test_purge_tags(purge, untag):
    client, stub = stubbed("ecr")
    read(stub, [live(API)], tags={"Environment": "prod", "Name": API, "Stray": "x"})
    if untag:
        stub.add_response("untag_resource", {}, {"resourceArn": arn(API), "tagKeys": ["Stray"]})
        read(stub, [live(API)])
    result = converge(stub, client, repo_spec(API, purge_tags=purge))
    assert result["changed"] is untag


def test_encryption_that_differs_fails_before_any_write():
    client, stub = stubbed("ecr")
    stub.add_response("describe_repositories", {"repositories": [live(API), live(WORKER, encryption={"encryptionType": "AES256"})]},
                      {"repositoryNames": [API, WORKER]})
    with pytest.raises(FailJson) as failure:
        converge(stub, client, repo_spec(API, image_tag_mutability="IMMUTABLE"), repo_spec(WORKER))
    message = str(failure.value)
    assert f"repositories[1] ({WORKER}): encryption_configuration cannot be changed in place" in message
    assert f"encrypted with AES256, encryption_configuration asks for KMS ({KEY})" in message
    assert API not in message


def test_key_id_matches_the_key_arn_ecr_reports():
    client, stub = stubbed("ecr")
    read(stub, [live(API)])
    key_id = KEY.rsplit("/", 1)[1]
    result = converge(stub, client, repo_spec(API, encryption_configuration={"encryption_type": "KMS", "kms_key": key_id}))
    assert result["changed"] is False


@pytest.mark.parametrize(("repositories", "message"), [
    ([repo_spec("Api")], r"repositories\[0\]\.name: 'Api' is not a valid ECR repository name"),
    ([repo_spec(API), repo_spec(API)], r"repositories\[1\]\.name: 'cp-prod/api' is already repositories\[0\]\.name"),
    ([repo_spec(API, encryption_configuration={"encryption_type": "KMS", "kms_key": "alias/ecr"})], r"kms_key: 'alias/ecr' is an alias"),
    ([repo_spec(API, encryption_configuration={"encryption_type": "AES256", "kms_key": KEY})], r"with encryption_type AES256; expected encryption_type KMS"),
    ([repo_spec(API, lifecycle_policy="{rules")], r"repositories\[0\]\.lifecycle_policy: '\{rules' is not valid JSON"),
    ([repo_spec(API, repository_policy="[]")], r"repositories\[0\]\.repository_policy: '\[\]' is not a JSON object"),
    ([repo_spec(API, lifecycle_policy='{"rules": {}}')], r"lifecycle_policy: rules \{\} is not a list of rules"),
])
def test_bad_input_fails_before_any_call(repositories, message):
    client, stub = stubbed("ecr")
    with pytest.raises(FailJson, match=message):
        converge(stub, client, *repositories)


@pytest.mark.parametrize("check_mode", [False, True])
def test_absent_deletes_the_repositories_that_exist(check_mode):
    client, stub = stubbed("ecr")
    stub.add_client_error("describe_repositories", "RepositoryNotFoundException", "missing", expected_params={"repositoryNames": [API, WORKER]})
    stub.add_response("describe_repositories", {"repositories": [live(API)]}, {"repositoryNames": [API]})
    stub.add_client_error("describe_repositories", "RepositoryNotFoundException", "missing", expected_params={"repositoryNames": [WORKER]})
    stub.add_response("list_images", {}, {"repositoryName": API, "maxResults": 1})
    if not check_mode:
        stub.add_response("delete_repository", {"repository": live(API)}, {"repositoryName": API, "force": False})
    result = converge(stub, client, bare(API), bare(WORKER), state="absent", check_mode=check_mode)
    assert result["changed"] is True and result["deleted"] == [API] and result["repositories"] == []
    assert list(result["diff"]["before"]) == [API] and result["diff"]["after"] == {}


def test_absent_refuses_repositories_with_images_before_deleting_any():
    client, stub = stubbed("ecr")
    stub.add_response("describe_repositories", {"repositories": [live(API), live(WORKER)]}, {"repositoryNames": [API, WORKER]})
    stub.add_response("list_images", {}, {"repositoryName": API, "maxResults": 1})
    stub.add_response("list_images", {"imageIds": [{"imageTag": "latest", "imageDigest": "sha256:" + "0" * 64}]},
                      {"repositoryName": WORKER, "maxResults": 1})
    with pytest.raises(FailJson, match=f"repositories {WORKER} still hold images and force_absent is false"):
        converge(stub, client, bare(API), bare(WORKER), state="absent")


def test_force_absent_deletes_with_the_images_and_reads_no_image():
    client, stub = stubbed("ecr")
    stub.add_response("describe_repositories", {"repositories": [live(API)]}, {"repositoryNames": [API]})
    stub.add_response("delete_repository", {"repository": live(API)}, {"repositoryName": API, "force": True})
    result = converge(stub, client, bare(API), state="absent", force_absent=True)
    assert result["deleted"] == [API]


def test_absent_of_an_absent_set_changes_nothing():
    client, stub = stubbed("ecr")
    stub.add_client_error("describe_repositories", "RepositoryNotFoundException", "missing", expected_params={"repositoryNames": [API]})
    stub.add_client_error("describe_repositories", "RepositoryNotFoundException", "missing", expected_params={"repositoryNames": [API]})
    result = converge(stub, client, bare(API), state="absent")
    assert result["changed"] is False and result["deleted"] == []


def test_api_error_is_raised_with_what_failed():
    client, stub = stubbed("ecr")
    read(stub, [live(API)])
    stub.add_client_error("put_image_tag_mutability", "AccessDeniedException", "not allowed", http_status_code=400,
                          expected_params={"repositoryName": API, "imageTagMutability": "IMMUTABLE"})
    with pytest.raises(AnsibleEcrError, match="Failed to put image tag mutability"):
        converge(stub, client, repo_spec(API, image_tag_mutability="IMMUTABLE"))


def test_describe_asks_for_at_most_100_names_per_call():
    client, stub = stubbed("ecr")
    names = [f"cp-prod/svc{i:03d}" for i in range(150)]
    stub.add_response("describe_repositories", {"repositories": [live(n) for n in names[:100]]}, {"repositoryNames": names[:100]})
    stub.add_response("describe_repositories", {"repositories": [live(n) for n in names[100:]]}, {"repositoryNames": names[100:]})
    with stub:
        found = ecr_utils.find_repositories(client, names)
        stub.assert_no_pending_responses()
    assert sorted(found) == names
