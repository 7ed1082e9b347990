#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: ec2_vpc_flow_log
short_description: Manage a VPC flow log
version_added: 0.1.0
description:
  - Creates, updates or deletes the flow log that sends the traffic of one VPC, subnet or network
    interface to one destination (a CloudWatch Logs log group or an S3 bucket).
  - A flow log is identified by its resource and its destination. Looking it up before creating
    means a re-run, or a run after an interrupted one, never makes a second flow log.
  - AWS cannot modify a flow log except for its tags. When O(traffic_type),
    O(deliver_logs_permission_arn), O(log_format) or O(max_aggregation_interval) differ from the
    live flow log, the module deletes it and creates a new one (a new flow log id). The diff shows
    the old and the new values, and check mode reports the replacement without making it.
author:
  - Cloud Platform Team (@cloudplatform)
options:
  state:
    description: Whether the flow log should exist.
    type: str
    choices: [present, absent]
    default: present
  resource_id:
    description:
      - The id of the VPC (C(vpc-...)), subnet (C(subnet-...)) or network interface (C(eni-...)).
    type: str
    required: true
  resource_type:
    description:
      - The kind of O(resource_id). Derived from the id prefix when not set.
    type: str
    choices: [VPC, Subnet, NetworkInterface]
  destination_type:
    description: Where the records go.
    type: str
    choices: [cloud-watch-logs, s3]
    default: cloud-watch-logs
  log_group_name:
    description:
      - The CloudWatch Logs log group, for O(destination_type=cloud-watch-logs). Give this or
        O(log_destination).
    type: str
  log_destination:
    description:
      - The ARN of the destination, a log group ARN or an S3 bucket (or folder) ARN. Required for
        O(destination_type=s3).
    type: str
  deliver_logs_permission_arn:
    description:
      - The IAM role that the flow-logs service assumes to write to CloudWatch Logs. Required for
        O(destination_type=cloud-watch-logs) when O(state=present); not used with S3.
    type: str
    aliases: [iam_role_arn]
  traffic_type:
    description: Which traffic to record. Immutable (a change replaces the flow log).
    type: str
    choices: [ACCEPT, REJECT, ALL]
    default: ALL
  log_format:
    description:
      - The record format, for example C(${version} ${srcaddr} ${dstaddr} ${action}). AWS uses its
        default format when not set, and then the live value is not compared. Immutable.
    type: str
  max_aggregation_interval:
    description:
      - The longest time in seconds over which a flow is captured into one record. AWS uses 600 when
        not set, and then the live value is not compared. Immutable.
    type: int
    choices: [60, 600]
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    description: Reports the creation, replacement, tag change or deletion it would make, without making it.
  diff_mode:
    support: full
    description: Shows the flow log's resource, destination, immutable attributes and tags before and after.
  platform:
    support: full
    platforms: aws
    description: Runs against the Amazon EC2 API.
notes:
  - With O(state=absent) and no destination (neither O(log_group_name) nor O(log_destination)),
    every flow log of O(resource_id) is deleted.
"""

EXAMPLES = r"""
- name: Send every packet decision of a VPC to CloudWatch Logs every minute
  cloudplatform.aws.ec2_vpc_flow_log:
    resource_id: vpc-0123456789abcdef0
    log_group_name: /vpc/cloudplatform-prod/flow-logs
    deliver_logs_permission_arn: arn:aws:iam::123456789012:role/cloudplatform-prod-role-flow-logs
    traffic_type: ALL
    max_aggregation_interval: 60
    tags:
      Name: cloudplatform-prod-flow-log-vpc

- name: Record rejected traffic of a subnet to S3
  cloudplatform.aws.ec2_vpc_flow_log:
    resource_id: subnet-0123456789abcdef0
    destination_type: s3
    log_destination: arn:aws:s3:::example-flow-logs/subnets/
    traffic_type: REJECT

- name: Remove the VPC's flow log to CloudWatch Logs
  cloudplatform.aws.ec2_vpc_flow_log:
    resource_id: vpc-0123456789abcdef0
    log_group_name: /vpc/cloudplatform-prod/flow-logs
    state: absent
"""

RETURN = r"""
flow_log:
  description: The flow log as AWS describes it, snake_cased; empty when it does not exist (or in check mode before it is created).
  returned: always
  type: dict
  contains:
    flow_log_id:
      description: The flow log id.
      type: str
      sample: fl-0123456789abcdef0
    resource_id:
      description: The VPC, subnet or network interface.
      type: str
      sample: vpc-0123456789abcdef0
    flow_log_status:
      description: C(ACTIVE) once created.
      type: str
      sample: ACTIVE
    deliver_logs_status:
      description: C(SUCCESS) or C(FAILED) (for example when the role cannot write to the log group).
      type: str
      sample: SUCCESS
    log_destination_type:
      description: C(cloud-watch-logs) or C(s3).
      type: str
    log_group_name:
      description: The log group (CloudWatch Logs destination).
      type: str
    log_destination:
      description: The destination ARN.
      type: str
    traffic_type:
      description: C(ACCEPT), C(REJECT) or C(ALL).
      type: str
    log_format:
      description: The record format.
      type: str
    max_aggregation_interval:
      description: Seconds.
      type: int
    deliver_logs_permission_arn:
      description: The delivery role.
      type: str
    tags:
      description: The tags, as a dict.
      type: dict
replaced:
  description: True when an immutable attribute differed and the flow log was (or, in check mode, would be) deleted and created again.
  returned: always
  type: bool
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict, boto3_tag_specifications, compare_aws_tags

from ansible_collections.cloudplatform.aws.plugins.module_utils.ec2_flow_logs import (
    FlowLogError,
    create_flow_logs,
    create_tags,
    delete_flow_log,
    delete_tags,
    describe_flow_logs,
)

RESOURCE_PREFIXES = {"vpc-": "VPC", "subnet-": "Subnet", "eni-": "NetworkInterface"}
# Option -> DescribeFlowLogs key of the attributes AWS cannot change on a live flow log.
IMMUTABLE = {
    "traffic_type": "TrafficType",
    "deliver_logs_permission_arn": "DeliverLogsPermissionArn",
    "log_format": "LogFormat",
    "max_aggregation_interval": "MaxAggregationInterval",
}


def resource_type(module):
    if module.params["resource_type"]:
        return module.params["resource_type"]
    for prefix, kind in RESOURCE_PREFIXES.items():
        if module.params["resource_id"].startswith(prefix):
            return kind
    module.fail_json(
        msg="resource_id: %r has no known prefix; expected vpc-..., subnet-... or eni-..., or set resource_type"
        % module.params["resource_id"])


def _log_group_of(flow_log):
    if flow_log.get("LogGroupName"):
        return flow_log["LogGroupName"]
    destination = flow_log.get("LogDestination") or ""
    # arn:aws:logs:region:account:log-group:NAME[:*]
    if ":log-group:" in destination:
        return destination.split(":log-group:", 1)[1].rsplit(":*", 1)[0]
    return None


def same_destination(params, flow_log):
    if params["destination_type"] != flow_log.get("LogDestinationType", "cloud-watch-logs"):
        return False
    if params["destination_type"] == "s3":
        return (flow_log.get("LogDestination") or "").rstrip("/") == params["log_destination"].rstrip("/")
    wanted = params["log_group_name"] or _log_group_of({"LogDestination": params["log_destination"]})
    return _log_group_of(flow_log) == wanted


def find_flow_logs(client, module):
    params = module.params
    live = describe_flow_logs(client, Filters=[{"Name": "resource-id", "Values": [params["resource_id"]]}])
    if not params["log_group_name"] and not params["log_destination"]:
        return live
    return [fl for fl in live if same_destination(params, fl)]


def immutable_differences(params, flow_log):
    """Options the user set whose live value differs; the caller must replace the flow log."""
    ignored = {"deliver_logs_permission_arn"} if params["destination_type"] == "s3" else set()
    return sorted(
        option for option, key in IMMUTABLE.items()
        if option not in ignored and params.get(option) is not None and params[option] != flow_log.get(key)
    )


def comparable(flow_log):
    if not flow_log:
        return {}
    result = {option: flow_log.get(key) for option, key in IMMUTABLE.items()}
    result.update(
        resource_id=flow_log.get("ResourceId"),
        log_destination_type=flow_log.get("LogDestinationType"),
        log_group_name=_log_group_of(flow_log),
        tags=boto3_tag_list_to_ansible_dict(flow_log.get("Tags", [])),
    )
    return result


def desired(params, current):
    after = dict(current) if current else {"resource_id": params["resource_id"], "log_destination_type": params["destination_type"]}
    for option in IMMUTABLE:
        if params.get(option) is not None:
            after[option] = params[option]
    if params["destination_type"] == "cloud-watch-logs":
        after["log_group_name"] = params["log_group_name"] or _log_group_of({"LogDestination": params["log_destination"]})
    tags = params["tags"]
    if tags is not None:
        after["tags"] = dict(tags) if params["purge_tags"] else dict(after.get("tags") or {}, **tags)
    return after


def create(client, module):
    params = module.params
    request = {
        "ResourceIds": [params["resource_id"]],
        "ResourceType": resource_type(module),
        "TrafficType": params["traffic_type"],
        "LogDestinationType": params["destination_type"],
    }
    optional = {
        "LogGroupName": params["log_group_name"],
        "LogDestination": params["log_destination"],
        "DeliverLogsPermissionArn": params["deliver_logs_permission_arn"] if params["destination_type"] == "cloud-watch-logs" else None,
        "LogFormat": params["log_format"],
        "MaxAggregationInterval": params["max_aggregation_interval"],
    }
    request.update({key: value for key, value in optional.items() if value is not None})
    if params["tags"]:
        request["TagSpecifications"] = boto3_tag_specifications(params["tags"], ["vpc-flow-log"])
    result = create_flow_logs(client, **request)
    if result.get("Unsuccessful"):
        error = result["Unsuccessful"][0].get("Error", {})
        module.fail_json(msg="Failed to create the flow log for %s: %s (%s)" % (params["resource_id"], error.get("Message"), error.get("Code")))
    return result["FlowLogIds"][0]


def delete(client, module, flow_log_id):
    unsuccessful = delete_flow_log(client, flow_log_id) or []
    errors = [u.get("Error", {}) for u in unsuccessful if u.get("Error", {}).get("Code") != "InvalidFlowLogId.NotFound"]
    if errors:
        module.fail_json(msg="Failed to delete flow log %s: %s (%s)" % (flow_log_id, errors[0].get("Message"), errors[0].get("Code")))


def update_tags(client, module, flow_log):
    if module.params["tags"] is None:
        return False
    current = boto3_tag_list_to_ansible_dict(flow_log.get("Tags", []))
    to_set, to_unset = compare_aws_tags(current, module.params["tags"], module.params["purge_tags"])
    if not to_set and not to_unset:
        return False
    if module.check_mode:
        return True
    if to_unset:
        delete_tags(client, flow_log["FlowLogId"], to_unset)
    if to_set:
        create_tags(client, flow_log["FlowLogId"], to_set)
    return True


def read_back(client, flow_log_id):
    found = describe_flow_logs(client, FlowLogIds=[flow_log_id])
    return found[0] if found else {}


def ensure_present(client, module):
    params = module.params
    candidates = find_flow_logs(client, module)
    matching = [fl for fl in candidates if not immutable_differences(params, fl)]
    current = matching[0] if matching else (candidates[0] if candidates else None)
    before = comparable(current)
    after = desired(params, before)
    replaced = bool(current) and not matching
    changed = False

    if current and not replaced:
        changed |= update_tags(client, module, current)
        flow_log_id = current["FlowLogId"]
    else:
        changed = True
        if module.check_mode:
            return dict(changed=True, replaced=replaced, flow_log={}, diff=dict(before=before, after=after))
        if replaced:
            delete(client, module, current["FlowLogId"])
        flow_log_id = create(client, module)

    flow_log = read_back(client, flow_log_id) if changed and not module.check_mode else current
    if not module.check_mode:
        after = comparable(flow_log)
    return dict(changed=changed, replaced=replaced, flow_log=to_result(flow_log), diff=dict(before=before, after=after))


def ensure_absent(client, module):
    existing = find_flow_logs(client, module)
    before = comparable(existing[0]) if existing else {}
    if existing and not module.check_mode:
        for flow_log in existing:
            delete(client, module, flow_log["FlowLogId"])
    return dict(changed=bool(existing), replaced=False, flow_log={}, diff=dict(before=before, after={}))


def to_result(flow_log):
    if not flow_log:
        return {}
    result = camel_dict_to_snake_dict(flow_log, ignore_list=["Tags"])
    result["tags"] = boto3_tag_list_to_ansible_dict(flow_log.get("Tags", []))
    return result


def main():
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        resource_id=dict(type="str", required=True),
        resource_type=dict(type="str", choices=["VPC", "Subnet", "NetworkInterface"]),
        destination_type=dict(type="str", choices=["cloud-watch-logs", "s3"], default="cloud-watch-logs"),
        log_group_name=dict(type="str"),
        log_destination=dict(type="str"),
        deliver_logs_permission_arn=dict(type="str", aliases=["iam_role_arn"]),
        traffic_type=dict(type="str", choices=["ACCEPT", "REJECT", "ALL"], default="ALL"),
        log_format=dict(type="str"),
        max_aggregation_interval=dict(type="int", choices=[60, 600]),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        mutually_exclusive=[["log_group_name", "log_destination"]],
        required_if=[
            ["destination_type", "s3", ["log_destination"]],
        ],
    )
    if module.params["state"] == "present" and module.params["destination_type"] == "cloud-watch-logs":
        if not (module.params["log_group_name"] or module.params["log_destination"]):
            module.fail_json(msg="destination_type: cloud-watch-logs needs log_group_name or log_destination (a log group ARN)")
        if not module.params["deliver_logs_permission_arn"]:
            module.fail_json(msg="deliver_logs_permission_arn: unset; a CloudWatch Logs destination needs the ARN of a delivery role")

    client = module.client("ec2")
    try:
        if module.params["state"] == "present":
            result = ensure_present(client, module)
        else:
            result = ensure_absent(client, module)
    except FlowLogError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
