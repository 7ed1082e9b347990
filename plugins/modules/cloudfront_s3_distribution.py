#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudfront_s3_distribution
short_description: Manage a CloudFront distribution that serves a private S3 bucket through an origin access control
version_added: 0.1.0
description:
  - One S3 origin reached through an origin access control (OAC), HTTPS only, a cache policy
    (the managed C(CachingOptimized) by default), optional single-page-application error routing
    (403 and 404 answered with O(spa_error_document) and status 200), aliases with an ACM
    certificate, and a WAF web ACL. C(community.aws.cloudfront_distribution) supports only the
    legacy origin access identities.
  - The distribution is found by its comment, which is O(name). The module owns the whole
    distribution configuration; settings it does not manage are reset to their defaults on update.
  - O(state=absent) disables the distribution, waits until the change is deployed and deletes it.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  name:
    description: Unique name of the distribution, stored as its comment and C(Name) tag.
    type: str
    required: true
  state:
    description: Whether the distribution should exist.
    type: str
    choices: [present, absent]
    default: present
  origin_domain_name:
    description: Regional domain name of the bucket (C(<bucket>.s3.<region>.amazonaws.com)). Required when O(state=present).
    type: str
  origin_access_control_id:
    description: Id of the origin access control that signs the requests to the bucket. Required when O(state=present).
    type: str
  aliases:
    description: Alternate domain names (CNAMEs). They need O(certificate_arn).
    type: list
    elements: str
    default: []
  certificate_arn:
    description: ARN of an ACM certificate in us-east-1 covering O(aliases). Unset uses the CloudFront default certificate.
    type: str
  web_acl_id:
    description: ARN of a WAFv2 web ACL with C(CLOUDFRONT) scope.
    type: str
  cache_policy_id:
    description: Cache policy of the default behaviour (C(658327ea-f89d-4fab-a63d-7e88639e58f6) is the managed C(CachingOptimized)).
    type: str
    default: 658327ea-f89d-4fab-a63d-7e88639e58f6
  default_root_object:
    description: Object returned for the root URL.
    type: str
    default: index.html
  spa_error_document:
    description: When set, 403 and 404 from the origin are answered with this page and status 200 (client-side routing).
    type: str
  price_class:
    description: Edge locations used.
    type: str
    choices: [PriceClass_100, PriceClass_200, PriceClass_All]
    default: PriceClass_100
  enabled:
    description: Whether the distribution serves requests.
    type: bool
    default: true
  wait:
    description: Wait until the distribution is deployed after a change (always done before a deletion).
    type: bool
    default: false
  wait_timeout:
    description: Seconds to wait for a deployment.
    type: int
    default: 1800
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
    description: Returns the managed settings before and after.
  platform:
    support: full
    platforms: aws
    description: Runs against the Amazon CloudFront API.
"""

EXAMPLES = r"""
- name: Serve the dashboard bucket as a single-page application
  cloudplatform.aws.cloudfront_s3_distribution:
    name: cloudplatform-prod-cf-dashboard
    origin_domain_name: cloudplatform-prod-dashboard-123456789012.s3.us-east-1.amazonaws.com
    origin_access_control_id: "{{ oac.origin_access_control.id }}"
    aliases: [app.example.com]
    certificate_arn: "{{ cert.certificate.certificate_arn }}"
    web_acl_id: "{{ web_acl.arn }}"
    spa_error_document: /index.html
"""

RETURN = r"""
distribution:
  description: The distribution (empty when absent, or in check mode before it exists).
  returned: always
  type: dict
  contains:
    id:
      description: The distribution id.
      type: str
      sample: E1A2B3C4D5E6F7
    arn:
      description: The distribution ARN (used as C(aws:SourceArn) in the bucket policy).
      type: str
    domain_name:
      description: The C(*.cloudfront.net) domain name (alias target; hosted zone C(Z2FDTNDATAQYW2)).
      type: str
    status:
      description: C(InProgress) or C(Deployed).
      type: str
    settings:
      description: The managed settings (origin, OAC id, aliases, certificate, web ACL, cache policy, error routing, ...).
      type: dict
    tags:
      description: The distribution tags as a dict.
      type: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list, boto3_tag_list_to_ansible_dict

from ansible_collections.cloudplatform.aws.plugins.module_utils.cloudfront_oac import (
    AnsibleCloudFrontError,
    create_distribution,
    delete_distribution,
    get_distribution,
    list_distributions,
    list_tags,
    tag_resource,
    untag_resource,
    update_distribution,
    wait_deployed,
)
from ansible_collections.cloudplatform.aws.plugins.module_utils.tag_sync import sync_tags

_ORIGIN_ID = "s3-origin"
_SPA_ERROR_CODES = (403, 404)


def _items(value):
    return list((value or {}).get("Items") or [])


def wanted_config(params, caller_reference):
    certificate = dict(CloudFrontDefaultCertificate=True)
    if params["certificate_arn"]:
        certificate = dict(ACMCertificateArn=params["certificate_arn"], SSLSupportMethod="sni-only", MinimumProtocolVersion="TLSv1.2_2021")
    errors = []
    if params["spa_error_document"]:
        errors = [
            dict(ErrorCode=code, ResponsePagePath=params["spa_error_document"], ResponseCode="200", ErrorCachingMinTTL=10)
            for code in _SPA_ERROR_CODES
        ]
    origin = dict(
        Id=_ORIGIN_ID,
        DomainName=params["origin_domain_name"],
        OriginPath="",
        S3OriginConfig=dict(OriginAccessIdentity=""),
        OriginAccessControlId=params["origin_access_control_id"],
    )
    return dict(
        CallerReference=caller_reference,
        Comment=params["name"],
        Enabled=params["enabled"],
        Aliases=dict(Quantity=len(params["aliases"]), Items=list(params["aliases"])),
        DefaultRootObject=params["default_root_object"],
        Origins=dict(Quantity=1, Items=[origin]),
        DefaultCacheBehavior=dict(
            TargetOriginId=_ORIGIN_ID,
            ViewerProtocolPolicy="redirect-to-https",
            AllowedMethods=dict(Quantity=2, Items=["GET", "HEAD"], CachedMethods=dict(Quantity=2, Items=["GET", "HEAD"])),
            Compress=True,
            CachePolicyId=params["cache_policy_id"],
        ),
        CustomErrorResponses=dict(Quantity=len(errors), Items=errors),
        ViewerCertificate=certificate,
        WebACLId=params["web_acl_id"] or "",
        PriceClass=params["price_class"],
        HttpVersion="http2and3",
        IsIPV6Enabled=True,
    )


def settings(config):
    """The parts of a distribution config this module manages, in a comparable shape."""
    if not config:
        return {}
    origins = _items(config.get("Origins"))
    origin = origins[0] if origins else {}
    behavior = config.get("DefaultCacheBehavior") or {}
    return dict(
        origin_domain_name=origin.get("DomainName"),
        origin_access_control_id=origin.get("OriginAccessControlId") or None,
        origin_count=len(origins),
        aliases=sorted(_items(config.get("Aliases"))),
        certificate_arn=(config.get("ViewerCertificate") or {}).get("ACMCertificateArn") or None,
        web_acl_id=config.get("WebACLId") or None,
        cache_policy_id=behavior.get("CachePolicyId"),
        viewer_protocol_policy=behavior.get("ViewerProtocolPolicy"),
        default_root_object=config.get("DefaultRootObject") or "",
        error_responses=sorted(
            (e["ErrorCode"], e.get("ResponsePagePath"), str(e.get("ResponseCode"))) for e in _items(config.get("CustomErrorResponses"))
        ),
        price_class=config.get("PriceClass"),
        enabled=config.get("Enabled"),
        http_version=config.get("HttpVersion"),
    )


def describe(distribution, tags):
    if not distribution:
        return {}
    return dict(
        id=distribution["Id"],
        arn=distribution["ARN"],
        domain_name=distribution["DomainName"],
        status=distribution.get("Status"),
        settings=settings(distribution["DistributionConfig"]),
        tags=boto3_tag_list_to_ansible_dict(tags),
    )


def find(client, name):
    for summary in list_distributions(client):
        if summary.get("Comment") == name:
            distribution, etag = get_distribution(client, summary["Id"])
            if distribution:
                return distribution, etag
    return None, None


def wanted_tags(params):
    return dict(params["tags"] or {}, Name=params["name"])


def update_settings(module, client, distribution, etag):
    config = distribution["DistributionConfig"]
    wanted = wanted_config(module.params, config["CallerReference"])
    if settings(config) == settings(wanted):
        return False
    if not module.check_mode:
        update_distribution(client, distribution["Id"], etag, wanted)
    return True


def update_tags(module, client, arn, current):
    return sync_tags(
        module,
        current,
        lambda keys: untag_resource(client, arn, keys),
        lambda tags: tag_resource(client, arn, ansible_dict_to_boto3_tag_list(tags)),
        wanted=wanted_tags(module.params),
    )


def ensure_present(module, client, distribution, etag, before):
    if not distribution:
        if module.check_mode:
            planned = dict(id=None, arn=None, domain_name=None, status=None, settings=settings(wanted_config(module.params, "")))
            return True, dict(planned, tags=wanted_tags(module.params))
        created = create_distribution(
            client, wanted_config(module.params, module.params["name"]), ansible_dict_to_boto3_tag_list(wanted_tags(module.params))
        )
        distribution_id = created["Id"]
        changed = True
    else:
        distribution_id = distribution["Id"]
        changed = update_settings(module, client, distribution, etag)
        changed |= update_tags(module, client, distribution["ARN"], before["tags"])
    if not changed:
        return False, before
    if module.check_mode:
        return True, dict(before, settings=settings(wanted_config(module.params, "")), tags=wanted_tags(module.params))
    if module.params["wait"]:
        wait_deployed(client, distribution_id, module.params["wait_timeout"])
    distribution, etag = get_distribution(client, distribution_id)
    return True, describe(distribution, list_tags(client, distribution["ARN"]))


def ensure_absent(module, client, distribution, etag):
    if not distribution or module.check_mode:
        return bool(distribution)
    config = distribution["DistributionConfig"]
    if config["Enabled"]:
        config["Enabled"] = False
        etag = update_distribution_etag(client, distribution["Id"], etag, config)
    wait_deployed(client, distribution["Id"], module.params["wait_timeout"])
    distribution, etag = get_distribution(client, distribution["Id"])
    delete_distribution(client, distribution["Id"], etag)
    return True


def update_distribution_etag(client, distribution_id, etag, config):
    update_distribution(client, distribution_id, etag, config)
    return get_distribution(client, distribution_id)[1]


def run(module, client):
    if module.params["aliases"] and not module.params["certificate_arn"]:
        module.fail_json(msg=f"aliases: {module.params['aliases']} need certificate_arn (an ACM certificate in us-east-1 covering them).")
    distribution, etag = find(client, module.params["name"])
    before = describe(distribution, list_tags(client, distribution["ARN"]) if distribution else [])
    if module.params["state"] == "absent":
        changed = ensure_absent(module, client, distribution, etag)
        return dict(changed=changed, distribution={}, diff=dict(before=before, after={}))
    changed, after = ensure_present(module, client, distribution, etag, before)
    return dict(changed=changed, distribution=after, diff=dict(before=before, after=after))


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            origin_domain_name=dict(type="str"),
            origin_access_control_id=dict(type="str"),
            aliases=dict(type="list", elements="str", default=[]),
            certificate_arn=dict(type="str"),
            web_acl_id=dict(type="str"),
            cache_policy_id=dict(type="str", default="658327ea-f89d-4fab-a63d-7e88639e58f6"),
            default_root_object=dict(type="str", default="index.html"),
            spa_error_document=dict(type="str"),
            price_class=dict(type="str", choices=["PriceClass_100", "PriceClass_200", "PriceClass_All"], default="PriceClass_100"),
            enabled=dict(type="bool", default=True),
            wait=dict(type="bool", default=False),
            wait_timeout=dict(type="int", default=1800),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        required_if=[("state", "present", ["origin_domain_name", "origin_access_control_id"])],
        supports_check_mode=True,
    )
    client = module.client("cloudfront")
    try:
        result = run(module, client)
    except AnsibleCloudFrontError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
