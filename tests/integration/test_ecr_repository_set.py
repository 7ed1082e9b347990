"""cloudplatform.aws.ecr_repository_set against the emulator: create, no-op, check mode, change, delete.

State is read back with boto3, never from the module's output; "no write call" is read from the
emulator's call log.
"""

from __future__ import annotations

import json
import re

import pytest

PLAYBOOK = "tests/integration/playbooks/ecr_repository_set.yml"
API, WORKER = "ecrtest-dev/api", "ecrtest-dev/worker"
LIFECYCLE = {"rules": [
    {"rulePriority": 1, "description": "Keep 20 release images", "action": {"type": "expire"},
     "selection": {"tagStatus": "tagged", "tagPrefixList": ["v", "release"], "countType": "imageCountMoreThan", "countNumber": 20}},
    {"rulePriority": 5, "description": "Keep 50 images", "action": {"type": "expire"},
     "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 50}},
]}
POLICY = {"Version": "2012-10-17", "Statement": [{"Sid": "Pull", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                                                  "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]}]}


@pytest.fixture(scope="module")
def key(aws):
    return aws("kms").create_key(Description="ecr_repository_set test")["KeyMetadata"]["Arn"]


def repositories(key, api_tags=None, mutability="MUTABLE"):
    return [
        {"name": API, "image_tag_mutability": mutability, "scan_on_push": True,
         "encryption_configuration": {"encryption_type": "KMS", "kms_key": key},
         "lifecycle_policy": LIFECYCLE, "repository_policy": POLICY, "tags": api_tags or {"Environment": "dev", "Name": API}},
        {"name": WORKER, "scan_on_push": False, "tags": {"Environment": "dev"}},
    ]


def converge(run_playbook, key, *args, **options):
    state = options.pop("state", "present")
    run = run_playbook(PLAYBOOK, "inventories/local", {"ecr_test_repositories": repositories(key, **options), "ecr_test_state": state},
                       list(args))
    assert run.rc == 0, run.output[-4000:]
    return run


def tags(ecr, name):
    arn = ecr.describe_repositories(repositoryNames=[name])["repositories"][0]["repositoryArn"]
    return {t["Key"]: t["Value"] for t in ecr.list_tags_for_resource(resourceArn=arn)["tags"]}


@pytest.fixture(scope="module")
def created(run_playbook, key):
    return converge(run_playbook, key)


def test_first_run_creates_the_repositories(aws, key, created):
    ecr = aws("ecr")
    found = {r["repositoryName"]: r for r in ecr.describe_repositories(repositoryNames=[API, WORKER])["repositories"]}
    assert found[API]["imageScanningConfiguration"] == {"scanOnPush": True}
    assert found[API]["encryptionConfiguration"] == {"encryptionType": "KMS", "kmsKey": key}
    assert found[WORKER]["encryptionConfiguration"] == {"encryptionType": "AES256"}
    assert found[WORKER]["imageScanningConfiguration"] == {"scanOnPush": False}
    assert json.loads(ecr.get_lifecycle_policy(repositoryName=API)["lifecyclePolicyText"]) == LIFECYCLE
    assert json.loads(ecr.get_repository_policy(repositoryName=API)["policyText"]) == POLICY
    assert tags(ecr, API) == {"Environment": "dev", "Name": API} and tags(ecr, WORKER) == {"Environment": "dev"}
    assert created.write_summary() == ["ecr:CreateRepository", "ecr:PutLifecyclePolicy", "ecr:SetRepositoryPolicy"]


def test_second_run_makes_no_write_call(run_playbook, key, created):
    second = converge(run_playbook, key)
    assert second.changed == 0
    assert second.writes == [], second.write_summary()
    reads = sorted(c["action"] for c in second.calls if c["service"] == "ecr")
    assert reads == ["DescribeRepositories", "GetLifecyclePolicy", "GetRepositoryPolicy", "ListTagsForResource", "ListTagsForResource"]


def test_check_mode_reports_the_change_and_writes_nothing(run_playbook, aws, key, created):
    check = converge(run_playbook, key, "--check", "--diff", api_tags={"Environment": "staging", "Name": API}, mutability="IMMUTABLE")
    assert check.changed == 1
    assert check.writes == [], check.write_summary()
    assert f"before: repositories {API}" in check.output
    assert re.search(r"(?m)^-\s+Environment: dev", check.output) and re.search(r"(?m)^\+\s+Environment: staging", check.output)
    assert re.search(r"(?m)^\+\s+image_tag_mutability: IMMUTABLE", check.output), check.output[-4000:]
    assert tags(aws("ecr"), API)["Environment"] == "dev"


def test_a_change_is_applied_with_only_its_calls(run_playbook, aws, key, created):
    change = converge(run_playbook, key, api_tags={"Environment": "staging", "Name": API}, mutability="IMMUTABLE")
    assert change.changed == 1
    assert change.write_summary() == ["ecr:PutImageTagMutability", "ecr:TagResource"]
    ecr = aws("ecr")
    assert ecr.describe_repositories(repositoryNames=[API])["repositories"][0]["imageTagMutability"] == "IMMUTABLE"
    assert tags(ecr, API) == {"Environment": "staging", "Name": API}


def test_absent_deletes_the_repositories(run_playbook, aws, key, created):
    gone = converge(run_playbook, key, state="absent")
    assert gone.write_summary() == ["ecr:DeleteRepository"]
    assert aws("ecr").describe_repositories()["repositories"] == []
