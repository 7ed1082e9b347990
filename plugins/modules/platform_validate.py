#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: platform_validate
short_description: Check the cross-field rules of a platform configuration before any AWS call
version_added: 0.1.0
description:
  - Checks what typed role argument specs cannot, before anything is written to AWS
    (C(site.yml) runs it first, in the C(preflight) role).
  - CIDR blocks parse; subnets lie inside the VPC and do not overlap; one subnet per AZ per tier;
    ports in 1-65535; service names unique and valid in AWS names; ALB path patterns unique;
    Fargate task sizes valid; scaling bounds consistent; and, where prod guardrails are on,
    Multi-AZ database, deletion protection, per-AZ NAT, TLS-only Redis and WAF.
  - Every error names the inventory variable, the bad value and what is accepted; all errors are
    reported at once.
  - Makes no AWS call.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  environment:
    description: The environment name (C(cloudplatform_environment)).
    type: str
    required: true
  vpc_cidr:
    description: The VPC CIDR block (C(vpc_cidr)).
    type: str
    required: true
  vpc_subnet_cidrs:
    description: Subnet CIDRs per tier (C(public), C(app), C(data)), one per AZ, in AZ order (C(vpc_subnet_cidrs)).
    type: dict
    required: true
  availability_zones:
    description: The AZs of the environment (C(cloudplatform_availability_zones)).
    type: list
    elements: str
    required: true
  services:
    description: The effective service list (C(cloudplatform_services_effective)).
    type: list
    elements: dict
    required: true
  alb_certificate:
    description:
      - The certificate source of the HTTPS listener, C(arn) (C(alb_certificate_arn)) and C(domain)
        (C(alb_certificate_domain)); exactly one must be set. Omit when the stack has no ALB.
    type: dict
  prod_guardrails:
    description: Enforce the prod guardrails (C(cloudplatform_prod_guardrails)).
    type: bool
    default: false
  guardrail_settings:
    description:
      - The values the guardrails check, by inventory variable name
        (C(rds_multi_az), C(rds_deletion_protection), C(vpc_nat_gateway_mode),
        C(elasticache_transit_encryption), C(waf_enabled)).
    type: dict
    default: {}
attributes:
  check_mode:
    support: full
    description: The module only reads its arguments.
  diff_mode:
    support: none
    description: Nothing changes, so there is nothing to diff.
  platform:
    support: full
    platforms: all
    description: Runs wherever the play runs; no AWS call.
"""

EXAMPLES = r"""
- name: Validate the platform configuration
  cloudplatform.aws.platform_validate:
    environment: "{{ cloudplatform_environment }}"
    vpc_cidr: "{{ vpc_cidr }}"
    vpc_subnet_cidrs: "{{ vpc_subnet_cidrs }}"
    availability_zones: "{{ cloudplatform_availability_zones }}"
    services: "{{ cloudplatform_services_effective }}"
    prod_guardrails: "{{ cloudplatform_prod_guardrails }}"
    guardrail_settings:
      rds_multi_az: "{{ rds_multi_az }}"
      rds_deletion_protection: "{{ rds_deletion_protection }}"
      vpc_nat_gateway_mode: "{{ vpc_nat_gateway_mode }}"
      elasticache_transit_encryption: "{{ elasticache_transit_encryption }}"
      waf_enabled: "{{ waf_enabled }}"
"""

RETURN = r"""
errors:
  description: Every rule the configuration breaks; empty when it is valid.
  returned: always
  type: list
  elements: str
  sample: ["vpc_subnet_cidrs.app[0]: 10.9.11.0/24 lies outside vpc_cidr 10.2.0.0/16; expected a subnet inside the VPC block"]
checked:
  description: The number of services and subnets checked.
  returned: always
  type: dict
  sample: {"services": 3, "subnets": 9}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.cloudplatform.aws.plugins.module_utils.validation import (
    check_certificate,
    check_guardrails,
    check_network,
    check_services,
)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            environment=dict(type="str", required=True),
            vpc_cidr=dict(type="str", required=True),
            vpc_subnet_cidrs=dict(type="dict", required=True),
            availability_zones=dict(type="list", elements="str", required=True),
            services=dict(type="list", elements="dict", required=True),
            alb_certificate=dict(type="dict"),
            prod_guardrails=dict(type="bool", default=False),
            guardrail_settings=dict(type="dict", default={}),
        ),
        supports_check_mode=True,
    )
    params = module.params
    errors = check_network(params["vpc_cidr"], params["vpc_subnet_cidrs"], params["availability_zones"])
    errors += check_services(params["services"])
    if params["alb_certificate"] is not None:
        errors += check_certificate(params["alb_certificate"].get("arn"), params["alb_certificate"].get("domain"))
    if params["prod_guardrails"]:
        errors += check_guardrails(params["environment"], params["guardrail_settings"])
    checked = dict(
        services=len(params["services"]),
        subnets=sum(len(v or []) for v in params["vpc_subnet_cidrs"].values()),
    )
    if errors:
        module.fail_json(
            msg="The %s configuration is invalid (%d error(s)); nothing was changed in AWS:\n- %s"
            % (params["environment"], len(errors), "\n- ".join(errors)),
            errors=errors,
            checked=checked,
        )
    module.exit_json(changed=False, errors=[], checked=checked)


if __name__ == "__main__":
    main()
