#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: acm_certificate_request
short_description: Request a public ACM certificate with DNS validation and wait until it is issued
version_added: 0.1.0
description:
  - Requests an Amazon-issued certificate for O(domain_name) (and O(subject_alternative_names))
    with DNS validation, or finds the one requested before. C(community.aws.acm_certificate)
    only imports certificates.
  - A certificate is found by its C(Name) tag (O(name)), its domain name and its alternative
    names, so a re-run, also after an interrupted run, reuses it instead of requesting another.
    A certificate's names cannot change, so other names request a new certificate.
  - Returns the DNS records ACM wants for validation (RV(certificate.domain_validation_options));
    create them (for example with C(amazon.aws.route53)) so ACM can issue and renew the certificate.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  name:
    description: Value of the C(Name) tag that identifies the certificate.
    type: str
    required: true
  domain_name:
    description: The fully qualified domain name the certificate is for (a leading C(*.) makes it a wildcard).
    type: str
    required: true
  subject_alternative_names:
    description: Further names the certificate covers.
    type: list
    elements: str
    default: []
  state:
    description: Whether the certificate should exist. C(absent) deletes every certificate that matches.
    type: str
    choices: [present, absent]
    default: present
  wait:
    description: Wait until the certificate is issued (its DNS validation records must exist for that).
    type: bool
    default: false
  wait_timeout:
    description: Seconds to wait for the certificate to be issued.
    type: int
    default: 900
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
    description: Returns the certificate ARN, status and tags before and after.
  platform:
    support: full
    platforms: aws
    description: Runs against the AWS Certificate Manager API.
"""

EXAMPLES = r"""
- name: Request the ALB certificate
  cloudplatform.aws.acm_certificate_request:
    name: cloudplatform-prod-cert-alb
    domain_name: api.example.com
    tags:
      Environment: prod
  register: cert

- name: Create the DNS validation records
  amazon.aws.route53:
    zone: example.com
    record: "{{ item.resource_record.name }}"
    type: CNAME
    value: "{{ item.resource_record.value }}"
    ttl: 300
    overwrite: true
  loop: "{{ cert.certificate.domain_validation_options }}"

- name: Wait until ACM has issued it
  cloudplatform.aws.acm_certificate_request:
    name: cloudplatform-prod-cert-alb
    domain_name: api.example.com
    wait: true
"""

RETURN = r"""
certificate:
  description: The certificate (empty when absent, or in check mode before it exists).
  returned: always
  type: dict
  contains:
    certificate_arn:
      description: The certificate ARN.
      type: str
      sample: arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0
    domain_name:
      description: The domain name.
      type: str
      sample: api.example.com
    status:
      description: C(PENDING_VALIDATION), C(ISSUED), ...
      type: str
      sample: ISSUED
    domain_validation_options:
      description: Per name, the DNS record (C(resource_record) with C(name), C(type), C(value)) ACM validates.
      type: list
      elements: dict
    tags:
      description: The certificate tags as a dict.
      type: dict
      sample: {"Name": "cloudplatform-prod-cert-alb"}
"""

import hashlib
import time

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict, compare_aws_tags

from ansible_collections.cloudplatform.aws.plugins.module_utils.acm import (
    AnsibleAcmError,
    add_certificate_tags,
    delete_certificate,
    describe_certificate,
    list_certificate_tags,
    list_certificates,
    remove_certificate_tags,
    request_certificate,
    wait_for_issued,
)

LIVE_STATUSES = ["PENDING_VALIDATION", "ISSUED"]


def covered_names(params):
    return sorted(set([params["domain_name"]] + params["subject_alternative_names"]))


def find_certificates(module, client):
    """Every live certificate with this Name tag and exactly these names, issued ones first."""
    found = []
    for summary in list_certificates(client, LIVE_STATUSES):
        if summary.get("DomainName") != module.params["domain_name"]:
            continue
        tags = boto3_tag_list_to_ansible_dict(list_certificate_tags(client, summary["CertificateArn"]))
        if tags.get("Name") != module.params["name"]:
            continue
        detail = describe_certificate(client, summary["CertificateArn"])
        if detail and sorted(set(detail.get("SubjectAlternativeNames") or [detail["DomainName"]])) == covered_names(module.params):
            detail["Tags"] = tags
            found.append(detail)
    return sorted(found, key=lambda c: c.get("Status") != "ISSUED")


def wanted_tags(params):
    tags = dict(params["tags"] or {})
    tags["Name"] = params["name"]
    return tags


def client_token(params):
    """Same request within the hour (a retried call) gets the same certificate."""
    seed = "|".join([params["name"], *covered_names(params), time.strftime("%Y%m%d%H", time.gmtime())])
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:32]


def request(module, client):
    params = module.params
    request_params = dict(
        DomainName=params["domain_name"],
        ValidationMethod="DNS",
        IdempotencyToken=client_token(params),
        Tags=[dict(Key=k, Value=v) for k, v in wanted_tags(params).items()],
    )
    if params["subject_alternative_names"]:
        request_params["SubjectAlternativeNames"] = covered_names(params)
    return request_certificate(client, **request_params)


def update_tags(module, client, certificate):
    if module.params["tags"] is None:
        return False
    to_set, to_remove = compare_aws_tags(certificate["Tags"], wanted_tags(module.params), module.params["purge_tags"])
    if not to_set and not to_remove:
        return False
    if not module.check_mode:
        if to_remove:
            remove_certificate_tags(client, certificate["CertificateArn"], to_remove)
        if to_set:
            add_certificate_tags(client, certificate["CertificateArn"], to_set)
    return True


def view(certificate):
    if not certificate:
        return {}
    return dict(certificate_arn=certificate["CertificateArn"], status=certificate.get("Status"), tags=certificate.get("Tags", {}))


def result_certificate(certificate):
    if not certificate:
        return {}
    result = camel_dict_to_snake_dict({k: v for k, v in certificate.items() if k != "Tags"})
    result["tags"] = certificate.get("Tags", {})
    return result


def read_back(client, arn):
    certificate = describe_certificate(client, arn)
    if certificate:
        certificate["Tags"] = boto3_tag_list_to_ansible_dict(list_certificate_tags(client, arn))
    return certificate


def ensure_present(module, client, existing):
    if existing:
        changed = update_tags(module, client, existing)
        arn = existing["CertificateArn"]
    elif module.check_mode:
        return True, None
    else:
        changed = True
        arn = request(module, client)
    if module.check_mode:
        return changed, existing
    if module.params["wait"]:
        wait_for_issued(client, arn, module.params["wait_timeout"])
    return changed, read_back(client, arn) if changed or module.params["wait"] else existing


def ensure_absent(module, client, certificates):
    if certificates and not module.check_mode:
        for certificate in certificates:
            delete_certificate(client, certificate["CertificateArn"])
    return bool(certificates)


def run(module, client):
    certificates = find_certificates(module, client)
    existing = certificates[0] if certificates else None
    if module.params["state"] == "absent":
        changed = ensure_absent(module, client, certificates)
        return dict(changed=changed, certificate={}, diff=dict(before=view(existing), after={}))
    changed, current = ensure_present(module, client, existing)
    after = view(current)
    if module.check_mode and changed:
        after = dict(after or dict(certificate_arn=None, status="PENDING_VALIDATION"), tags=wanted_tags(module.params))
    return dict(changed=changed, certificate=result_certificate(current), diff=dict(before=view(existing), after=after))


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            domain_name=dict(type="str", required=True),
            subject_alternative_names=dict(type="list", elements="str", default=[]),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            wait=dict(type="bool", default=False),
            wait_timeout=dict(type="int", default=900),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    client = module.client("acm")
    try:
        result = run(module, client)
    except AnsibleAcmError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
