# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Thin, retried wrappers around the ECS cluster API calls (one boto3 call each)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


class AnsibleEcsClusterError(AnsibleAWSError):
    pass


class EcsClusterErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleEcsClusterError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ClusterNotFoundException")


@EcsClusterErrorHandler.list_error_handler("describe cluster")
@AWSRetry.jittered_backoff()
def describe_cluster(client, name):
    """The ACTIVE cluster called name, or None (deleted clusters linger as INACTIVE)."""
    result = client.describe_clusters(clusters=[name], include=["SETTINGS", "TAGS"])
    for cluster in result.get("clusters", []):
        if cluster.get("clusterName") == name and cluster.get("status") != "INACTIVE":
            return cluster
    return None


@EcsClusterErrorHandler.common_error_handler("create cluster")
@AWSRetry.jittered_backoff()
def create_cluster(client, **params):
    return client.create_cluster(**params)["cluster"]


@EcsClusterErrorHandler.common_error_handler("update cluster settings")
@AWSRetry.jittered_backoff()
def update_cluster_settings(client, name, settings):
    # UpdateCluster takes the settings too and is the call every ECS endpoint implements.
    return client.update_cluster(cluster=name, settings=settings)["cluster"]


@EcsClusterErrorHandler.common_error_handler("put cluster capacity providers")
@AWSRetry.jittered_backoff()
def put_cluster_capacity_providers(client, name, providers, strategy):
    return client.put_cluster_capacity_providers(
        cluster=name, capacityProviders=providers, defaultCapacityProviderStrategy=strategy
    )["cluster"]


@EcsClusterErrorHandler.common_error_handler("tag cluster")
@AWSRetry.jittered_backoff()
def tag_cluster(client, arn, tags):
    client.tag_resource(resourceArn=arn, tags=[{"key": k, "value": v} for k, v in tags.items()])


@EcsClusterErrorHandler.common_error_handler("untag cluster")
@AWSRetry.jittered_backoff()
def untag_cluster(client, arn, keys):
    client.untag_resource(resourceArn=arn, tagKeys=list(keys))


@EcsClusterErrorHandler.deletion_error_handler("delete cluster")
@AWSRetry.jittered_backoff()
def delete_cluster(client, name):
    client.delete_cluster(cluster=name)
    return True
