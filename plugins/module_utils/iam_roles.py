# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""IAM role wrappers for iam_role_set.

amazon.aws module_utils/iam.py already wraps, with retries, GetRole, ListRolePolicies,
ListAttachedRolePolicies, DetachRolePolicy, ListInstanceProfilesForRole and
RemoveRoleFromInstanceProfile; the module uses those. Here are the calls it lacks, under the same
error handler (errors surface as AnsibleIAMError; NoSuchEntity means missing).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.iam import IAMErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


@IAMErrorHandler.common_error_handler("create role")
@AWSRetry.jittered_backoff()
def create_role(client, **params):
    return client.create_role(**params)["Role"]


# IAM is eventually consistent: right after CreateRole, GetRole can still answer NoSuchEntity.
@IAMErrorHandler.common_error_handler("get role")
@AWSRetry.jittered_backoff(catch_extra_error_codes=["NoSuchEntity"])
def get_created_role(client, name):
    return client.get_role(RoleName=name)["Role"]


@IAMErrorHandler.deletion_error_handler("delete role")
@AWSRetry.jittered_backoff()
def delete_role(client, name):
    client.delete_role(RoleName=name)
    return True


@IAMErrorHandler.common_error_handler("update role")
@AWSRetry.jittered_backoff()
def update_role(client, name, **params):
    client.update_role(RoleName=name, **params)
    return True


@IAMErrorHandler.common_error_handler("update assume role policy")
@AWSRetry.jittered_backoff()
def update_assume_role_policy(client, name, document):
    client.update_assume_role_policy(RoleName=name, PolicyDocument=document)
    return True


@IAMErrorHandler.common_error_handler("put permissions boundary")
@AWSRetry.jittered_backoff()
def put_role_permissions_boundary(client, name, arn):
    client.put_role_permissions_boundary(RoleName=name, PermissionsBoundary=arn)
    return True


@IAMErrorHandler.deletion_error_handler("delete permissions boundary")
@AWSRetry.jittered_backoff()
def delete_role_permissions_boundary(client, name):
    client.delete_role_permissions_boundary(RoleName=name)
    return True


@IAMErrorHandler.common_error_handler("put role policy")
@AWSRetry.jittered_backoff()
def put_role_policy(client, role_name, policy_name, document):
    client.put_role_policy(RoleName=role_name, PolicyName=policy_name, PolicyDocument=document)
    return True


@IAMErrorHandler.deletion_error_handler("delete role policy")
@AWSRetry.jittered_backoff()
def delete_role_policy(client, role_name, policy_name):
    client.delete_role_policy(RoleName=role_name, PolicyName=policy_name)
    return True


@IAMErrorHandler.common_error_handler("attach role policy")
@AWSRetry.jittered_backoff()
def attach_role_policy(client, role_name, arn):
    client.attach_role_policy(RoleName=role_name, PolicyArn=arn)
    return True


@IAMErrorHandler.common_error_handler("tag role")
@AWSRetry.jittered_backoff()
def tag_role(client, name, tags):
    client.tag_role(RoleName=name, Tags=tags)
    return True


@IAMErrorHandler.common_error_handler("untag role")
@AWSRetry.jittered_backoff()
def untag_role(client, name, keys):
    client.untag_role(RoleName=name, TagKeys=keys)
    return True


@IAMErrorHandler.list_error_handler("get role policy", None)
@AWSRetry.jittered_backoff()
def get_role_policy(client, role_name, policy_name):
    # botocore decodes the URL-encoded document into a dict.
    return client.get_role_policy(RoleName=role_name, PolicyName=policy_name)["PolicyDocument"]
