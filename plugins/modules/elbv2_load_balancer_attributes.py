#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: elbv2_load_balancer_attributes
short_description: Set attributes of an Application, Network or Gateway Load Balancer
version_added: 0.1.0
description:
  - Sets the load balancer attributes given in O(attributes) (access logs, deletion protection,
    header handling, idle timeout, ...) and leaves every other attribute as it is.
  - Compares with C(DescribeLoadBalancerAttributes) and writes only the attributes that differ.
    An attribute the load balancer does not report counts as different, so it is written.
  - C(amazon.aws.elb_application_lb) reads every attribute it manages by key and fails when a
    load balancer does not report one; this module does not depend on that.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  name:
    description: The load balancer name.
    type: str
    required: true
  attributes:
    description:
      - Attribute keys and values as the ELBv2 API names them, for example
        C(access_logs.s3.enabled), C(deletion_protection.enabled),
        C(routing.http.drop_invalid_header_fields.enabled), C(idle_timeout.timeout_seconds).
      - Values are compared as the API reports them, lower-case strings (V(true), V(60)); booleans
        and numbers are converted.
    type: dict
    required: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    description: Reports what would change and makes no write call.
  diff_mode:
    support: full
    description: Returns the managed attributes before and after.
  platform:
    support: full
    platforms: aws
    description: Runs against the Elastic Load Balancing v2 API.
"""

EXAMPLES = r"""
- name: Turn on access logs and drop invalid header fields
  cloudplatform.aws.elbv2_load_balancer_attributes:
    name: cloudplatform-prod-alb
    attributes:
      access_logs.s3.enabled: true
      access_logs.s3.bucket: cloudplatform-prod-alb-logs-123456789012
      access_logs.s3.prefix: alb
      routing.http.drop_invalid_header_fields.enabled: true
      deletion_protection.enabled: true
"""

RETURN = r"""
load_balancer_arn:
  description: The load balancer ARN.
  returned: always
  type: str
  sample: arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/cloudplatform-prod-alb/50dc6c495c0c9188
attributes:
  description: Every attribute of the load balancer after the change, by key.
  returned: always
  type: dict
  sample: {"deletion_protection.enabled": "true", "idle_timeout.timeout_seconds": "60"}
"""


from ansible_collections.cloudplatform.aws.plugins.module_utils.elbv2_attributes import (
    api_value,
    describe_load_balancer,
    describe_load_balancer_attributes,
    modify_load_balancer_attributes,
    pending_attributes,
    run_elbv2_module,
)


def run(module, client):
    balancer = describe_load_balancer(client, module.params["name"])
    if balancer is None:
        module.fail_json(
            msg="name: load balancer %s does not exist; expected the name of an existing load balancer" % module.params["name"]
        )
    arn = balancer["LoadBalancerArn"]
    current = describe_load_balancer_attributes(client, arn)
    wanted = {key: api_value(value) for key, value in module.params["attributes"].items()}
    pending = pending_attributes(current, wanted)
    after = dict(current, **pending)
    if pending and not module.check_mode:
        modify_load_balancer_attributes(client, arn, pending)
        after = describe_load_balancer_attributes(client, arn)
    diff = dict(before={k: current.get(k) for k in wanted}, after={k: after.get(k) for k in wanted})
    return dict(changed=bool(pending), load_balancer_arn=arn, attributes=after, diff=diff)


def main():
    run_elbv2_module(
        dict(
            name=dict(type="str", required=True),
            attributes=dict(type="dict", required=True),
        ),
        run,
    )


if __name__ == "__main__":
    main()
