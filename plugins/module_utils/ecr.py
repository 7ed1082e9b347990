# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Thin, retried wrappers around the ECR repository, policy and tagging calls (one boto3 call each)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

# DescribeRepositories takes at most 100 names per call.
DESCRIBE_BATCH = 100


class AnsibleEcrError(AnsibleAWSError):
    pass


class EcrErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleEcrError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("RepositoryNotFoundException")


class EcrPolicyErrorHandler(EcrErrorHandler):
    """A missing policy (or its repository) is an answer, not an error."""

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["RepositoryNotFoundException", "LifecyclePolicyNotFoundException", "RepositoryPolicyNotFoundException"])


# Repositories


@EcrErrorHandler.list_error_handler("describe repositories")
@AWSRetry.jittered_backoff()
def describe_repositories(client, names):
    """The repositories called names (at most 100), or None when any of them does not exist."""
    paginator = client.get_paginator("describe_repositories")
    return paginator.paginate(repositoryNames=list(names)).build_full_result().get("repositories", [])


@EcrErrorHandler.list_error_handler("describe repository")
@AWSRetry.jittered_backoff()
def describe_repository(client, name):
    """The repository called name, or None."""
    repositories = client.describe_repositories(repositoryNames=[name]).get("repositories", [])
    return repositories[0] if repositories else None


def find_repositories(client, names):
    """{name: repository} of the names that exist: one call per 100 names when all exist.

    DescribeRepositories fails the whole call when one name is missing, so a batch with a missing
    name is asked again name by name to learn which exist.
    """
    found = {}
    names = list(names)
    for start in range(0, len(names), DESCRIBE_BATCH):
        batch = names[start:start + DESCRIBE_BATCH]
        repositories = describe_repositories(client, batch)
        if repositories is None:
            repositories = [r for r in (describe_repository(client, name) for name in batch) if r]
        found.update((r["repositoryName"], r) for r in repositories)
    return found


@EcrErrorHandler.common_error_handler("create repository")
@AWSRetry.jittered_backoff()
def create_repository(client, **params):
    return client.create_repository(**params)["repository"]


@EcrErrorHandler.deletion_error_handler("delete repository")
@AWSRetry.jittered_backoff()
def delete_repository(client, name, force):
    client.delete_repository(repositoryName=name, force=force)
    return True


@EcrErrorHandler.common_error_handler("list images")
@AWSRetry.jittered_backoff()
def repository_has_images(client, name):
    # Only whether there is any image matters: one page of one image, not the whole list.
    response = client.list_images(repositoryName=name, maxResults=1)
    return bool(response.get("imageIds") or response.get("nextToken"))


@EcrErrorHandler.common_error_handler("put image tag mutability")
@AWSRetry.jittered_backoff()
def put_image_tag_mutability(client, name, mutability):
    client.put_image_tag_mutability(repositoryName=name, imageTagMutability=mutability)


@EcrErrorHandler.common_error_handler("put image scanning configuration")
@AWSRetry.jittered_backoff()
def put_image_scanning_configuration(client, name, scan_on_push):
    client.put_image_scanning_configuration(repositoryName=name, imageScanningConfiguration={"scanOnPush": scan_on_push})


# Lifecycle and repository policies: kind -> (get, put, delete operation, field of the policy text).
POLICY_CALLS = {
    "lifecycle_policy": ("get_lifecycle_policy", "put_lifecycle_policy", "delete_lifecycle_policy", "lifecyclePolicyText"),
    "repository_policy": ("get_repository_policy", "set_repository_policy", "delete_repository_policy", "policyText"),
}


@EcrPolicyErrorHandler.list_error_handler("get the policy")
@AWSRetry.jittered_backoff()
def get_policy(client, name, kind):
    """The lifecycle or repository policy (kind) of the repository, parsed, or None when it has none."""
    get, _put, _delete, field = POLICY_CALLS[kind]
    return json.loads(getattr(client, get)(repositoryName=name)[field])


@EcrErrorHandler.common_error_handler("put the policy")
@AWSRetry.jittered_backoff()
def put_policy(client, name, kind, policy):
    _get, put, _delete, field = POLICY_CALLS[kind]
    getattr(client, put)(**{"repositoryName": name, field: json.dumps(policy, sort_keys=True)})


@EcrPolicyErrorHandler.deletion_error_handler("delete the policy")
@AWSRetry.jittered_backoff()
def delete_policy(client, name, kind):
    _get, _put, delete, _field = POLICY_CALLS[kind]
    getattr(client, delete)(repositoryName=name)
    return True


# Tags


@EcrErrorHandler.common_error_handler("list repository tags")
@AWSRetry.jittered_backoff()
def list_repository_tags(client, arn):
    return {t["Key"]: t["Value"] for t in client.list_tags_for_resource(resourceArn=arn).get("tags", [])}


@EcrErrorHandler.common_error_handler("tag repository")
@AWSRetry.jittered_backoff()
def tag_repository(client, arn, tags):
    client.tag_resource(resourceArn=arn, tags=[dict(Key=k, Value=v) for k, v in tags.items()])


@EcrErrorHandler.common_error_handler("untag repository")
@AWSRetry.jittered_backoff()
def untag_repository(client, arn, keys):
    client.untag_resource(resourceArn=arn, tagKeys=list(keys))
