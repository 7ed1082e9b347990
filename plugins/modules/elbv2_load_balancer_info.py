#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: elbv2_load_balancer_info
short_description: Look up one Application, Network or Gateway Load Balancer by name, with its listeners
version_added: 0.1.0
description:
  - Reads the load balancer called O(name) and, with O(include_listeners), its listeners.
  - A load balancer that does not exist is a normal answer, not an error; RV(exists) is V(false) and
    RV(load_balancers) is empty. C(amazon.aws.elb_application_lb_info) 10.x fails with a Python error
    when a load balancer named in its C(names) option does not exist, so a role that looks up a load
    balancer that may be gone (check mode before the first converge, a teardown run again) uses this
    module instead.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  name:
    description: The load balancer name.
    type: str
    required: true
  include_listeners:
    description: Also read the listeners of the load balancer (one paginated C(DescribeListeners)).
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    description: Only reads, in check mode as in a normal run.
  diff_mode:
    support: none
    description: Reads only; there is nothing to compare.
  platform:
    support: full
    platforms: aws
    description: Runs against the Elastic Load Balancing v2 API.
"""

EXAMPLES = r"""
- name: Look the load balancer up
  cloudplatform.aws.elbv2_load_balancer_info:
    name: cloudplatform-prod-alb
  register: alb

- name: Lift deletion protection when it is there
  cloudplatform.aws.elbv2_load_balancer_attributes:
    name: cloudplatform-prod-alb
    attributes:
      deletion_protection.enabled: false
  when: alb.exists
"""

RETURN = r"""
exists:
  description: Whether a load balancer called O(name) exists.
  returned: always
  type: bool
  sample: true
load_balancers:
  description:
    - The load balancer (a list of one, empty when it does not exist), with the keys of
      C(DescribeLoadBalancers) in snake case.
  returned: always
  type: list
  elements: dict
  contains:
    load_balancer_arn:
      description: The load balancer ARN.
      type: str
      sample: arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/cloudplatform-prod-alb/50dc6c495c0c9188
    load_balancer_name:
      description: The name.
      type: str
      sample: cloudplatform-prod-alb
    dns_name:
      description: The DNS name.
      type: str
      sample: cloudplatform-prod-alb-1234567890.us-east-1.elb.amazonaws.com
    state:
      description: The state, for example V(active) in its C(code) key.
      type: dict
    security_groups:
      description: The security group ids.
      type: list
      elements: str
    listeners:
      description:
        - The listeners with the keys of C(DescribeListeners) in snake case (C(listener_arn), C(port),
          C(protocol), C(default_actions), ...), by port.
        - Returned when O(include_listeners=true).
      type: list
      elements: dict
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.cloudplatform.aws.plugins.module_utils.elbv2_attributes import (
    describe_listeners,
    describe_load_balancer,
    run_elbv2_module,
)


def run(module, client):
    balancer = describe_load_balancer(client, module.params["name"])
    if balancer is None:
        return dict(changed=False, exists=False, load_balancers=[])
    if module.params["include_listeners"]:
        listeners = sorted(describe_listeners(client, balancer["LoadBalancerArn"]), key=lambda listener: listener.get("Port", 0))
        balancer = dict(balancer, Listeners=listeners)
    return dict(changed=False, exists=True, load_balancers=[camel_dict_to_snake_dict(balancer)])


def main():
    run_elbv2_module(
        dict(
            name=dict(type="str", required=True),
            include_listeners=dict(type="bool", default=True),
        ),
        run,
    )


if __name__ == "__main__":
    main()
