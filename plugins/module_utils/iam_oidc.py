# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""IAM OpenID Connect provider wrappers for iam_openid_connect_provider.

Every boto3 call is retried with jittered backoff; errors surface as IAMOIDCError.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


class IAMOIDCError(AnsibleAWSError):
    pass


class IAMOIDCErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = IAMOIDCError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("NoSuchEntity")


@IAMOIDCErrorHandler.list_error_handler("list OpenID Connect providers", [])
@AWSRetry.jittered_backoff()
def list_providers(client):
    # ListOpenIDConnectProviders is not paginated: it returns every provider of the account.
    return [p["Arn"] for p in client.list_open_id_connect_providers().get("OpenIDConnectProviderList", [])]


@IAMOIDCErrorHandler.list_error_handler("get OpenID Connect provider", None)
@AWSRetry.jittered_backoff()
def get_provider(client, arn):
    return client.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)


@IAMOIDCErrorHandler.common_error_handler("create OpenID Connect provider")
@AWSRetry.jittered_backoff()
def create_provider(client, **params):
    return client.create_open_id_connect_provider(**params)["OpenIDConnectProviderArn"]


@IAMOIDCErrorHandler.deletion_error_handler("delete OpenID Connect provider")
@AWSRetry.jittered_backoff()
def delete_provider(client, arn):
    client.delete_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    return True


@IAMOIDCErrorHandler.common_error_handler("update OpenID Connect provider thumbprints")
@AWSRetry.jittered_backoff()
def update_thumbprints(client, arn, thumbprints):
    client.update_open_id_connect_provider_thumbprint(OpenIDConnectProviderArn=arn, ThumbprintList=thumbprints)


@IAMOIDCErrorHandler.common_error_handler("add OpenID Connect provider client id")
@AWSRetry.jittered_backoff()
def add_client_id(client, arn, client_id):
    client.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID=client_id)


@IAMOIDCErrorHandler.common_error_handler("remove OpenID Connect provider client id")
@AWSRetry.jittered_backoff()
def remove_client_id(client, arn, client_id):
    client.remove_client_id_from_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID=client_id)


@IAMOIDCErrorHandler.common_error_handler("tag OpenID Connect provider")
@AWSRetry.jittered_backoff()
def tag_provider(client, arn, tags):
    client.tag_open_id_connect_provider(OpenIDConnectProviderArn=arn, Tags=[{"Key": k, "Value": v} for k, v in tags.items()])


@IAMOIDCErrorHandler.common_error_handler("untag OpenID Connect provider")
@AWSRetry.jittered_backoff()
def untag_provider(client, arn, keys):
    client.untag_open_id_connect_provider(OpenIDConnectProviderArn=arn, TagKeys=list(keys))
