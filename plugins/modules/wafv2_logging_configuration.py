#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: wafv2_logging_configuration
short_description: Manage the logging configuration of a WAFv2 web ACL
version_added: 0.1.0
description:
  - Sends the web ACL's request logs to CloudWatch Logs, S3 or Kinesis Data Firehose, with
    redacted fields and a logging filter.
  - Compares the wanted configuration with C(GetLoggingConfiguration) and writes only when they differ.
  - A CloudWatch Logs destination must be a log group whose name starts with C(aws-waf-logs-),
    given by its ARN without the trailing C(:*). AWS adds the log group resource policy for the
    log delivery service when the caller may call C(logs:PutResourcePolicy).
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  web_acl_arn:
    description: ARN of the web ACL.
    type: str
    required: true
  state:
    description: Whether the web ACL should log.
    type: str
    choices: [present, absent]
    default: present
  log_destination_configs:
    description:
      - ARNs of the log destinations (one destination per web ACL).
      - Required when O(state=present).
    type: list
    elements: str
  redacted_fields:
    description:
      - "Request parts left out of the logs, in the API's C(FieldToMatch) shape with snake_case keys,
        for example C({single_header: {name: authorization}}), C({query_string: {}}), C({uri_path: {}})."
    type: list
    elements: dict
    default: []
  logging_filter:
    description:
      - Which requests are logged, in the API's C(LoggingFilter) shape with snake_case keys
        (C(default_behavior), C(filters) with C(behavior), C(requirement) and C(conditions)).
      - Unset or empty logs every request.
    type: dict
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
    description: Returns the logging configuration before and after.
  platform:
    support: full
    platforms: aws
    description: Runs against the AWS WAFv2 API.
"""

EXAMPLES = r"""
- name: Log blocked requests of the web ACL to CloudWatch Logs, without the Authorization header
  cloudplatform.aws.wafv2_logging_configuration:
    web_acl_arn: "{{ waf_acl.arn }}"
    log_destination_configs:
      - arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-cloudplatform-prod
    redacted_fields:
      - single_header:
          name: authorization
    logging_filter:
      default_behavior: DROP
      filters:
        - behavior: KEEP
          requirement: MEETS_ANY
          conditions:
            - action_condition:
                action: BLOCK

- name: Stop logging
  cloudplatform.aws.wafv2_logging_configuration:
    web_acl_arn: "{{ waf_acl.arn }}"
    state: absent
"""

RETURN = r"""
logging_configuration:
  description: The logging configuration after the change (empty when absent).
  returned: always
  type: dict
  contains:
    resource_arn:
      description: The web ACL ARN.
      type: str
      sample: arn:aws:wafv2:us-east-1:123456789012:regional/webacl/cloudplatform-prod-waf/1a2b3c
    log_destination_configs:
      description: The log destinations.
      type: list
      elements: str
      sample: ["arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-cloudplatform-prod"]
    redacted_fields:
      description: The redacted request parts.
      type: list
      elements: dict
      sample: [{"single_header": {"name": "authorization"}}]
    logging_filter:
      description: The logging filter, when one is set.
      type: dict
      sample: {"default_behavior": "KEEP", "filters": []}
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict, snake_dict_to_camel_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudplatform.aws.plugins.module_utils.wafv2 import (
    AnsibleWafv2Error,
    delete_logging_configuration,
    get_logging_configuration,
    put_logging_configuration,
)


def to_api(value):
    return snake_dict_to_camel_dict(value, capitalize_first=True)


def wanted_configuration(params):
    configuration = dict(
        ResourceArn=params["web_acl_arn"],
        LogDestinationConfigs=list(params["log_destination_configs"]),
    )
    if params["redacted_fields"]:
        configuration["RedactedFields"] = [to_api(field) for field in params["redacted_fields"]]
    if params["logging_filter"]:
        configuration["LoggingFilter"] = to_api(params["logging_filter"])
    return configuration


def comparable(configuration):
    """The parts this module manages; empty lists and unset filters are the same thing to WAF."""
    if not configuration:
        return {}
    return dict(
        resource_arn=configuration.get("ResourceArn"),
        log_destination_configs=sorted(configuration.get("LogDestinationConfigs") or []),
        redacted_fields=[camel_dict_to_snake_dict(f) for f in configuration.get("RedactedFields") or []],
        logging_filter=camel_dict_to_snake_dict(configuration.get("LoggingFilter") or {}),
    )


def update_configuration(module, client, current):
    wanted = wanted_configuration(module.params)
    if comparable(current) == comparable(wanted):
        return False, comparable(current)
    if module.check_mode:
        return True, comparable(wanted)
    return True, comparable(put_logging_configuration(client, wanted))


def remove_configuration(module, client, current):
    if not current:
        return False, {}
    if not module.check_mode:
        delete_logging_configuration(client, module.params["web_acl_arn"])
    return True, {}


def run(module, client):
    current = get_logging_configuration(client, module.params["web_acl_arn"])
    if module.params["state"] == "present":
        changed, after = update_configuration(module, client, current)
    else:
        changed, after = remove_configuration(module, client, current)
    return dict(changed=changed, logging_configuration=after, diff=dict(before=comparable(current), after=after))


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            web_acl_arn=dict(type="str", required=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            log_destination_configs=dict(type="list", elements="str"),
            redacted_fields=dict(type="list", elements="dict", default=[]),
            logging_filter=dict(type="dict"),
        ),
        required_if=[("state", "present", ["log_destination_configs"])],
        supports_check_mode=True,
    )
    client = module.client("wafv2")
    try:
        result = run(module, client)
    except AnsibleWafv2Error as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
