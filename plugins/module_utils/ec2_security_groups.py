# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Security-group calls amazon.aws module_utils/ec2.py does not wrap, and the rule model of
ec2_security_group_set: rules flattened to one per protocol, port range and source, compared with
what DescribeSecurityGroups answers, and turned back into IpPermissions."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re
from collections import namedtuple

from ansible_collections.amazon.aws.plugins.module_utils.ec2 import EC2SecurityGroupsErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

# The wrappers below raise the AnsibleEC2Error of amazon.aws's own security-group wrappers, which
# the module uses for every other call.


@EC2SecurityGroupsErrorHandler.common_error_handler("describe created security groups")
@AWSRetry.jittered_backoff(catch_extra_error_codes=["InvalidGroup.NotFound"])
def describe_created_security_groups(client, group_ids):
    """The groups just created, by id.

    A new group id is not visible to every EC2 endpoint at once (eventual consistency), so this
    read retries on InvalidGroup.NotFound where a plain describe would answer "no such group".
    """
    return client.describe_security_groups(GroupIds=group_ids)["SecurityGroups"]


@EC2SecurityGroupsErrorHandler.common_error_handler("tag security group")
@AWSRetry.jittered_backoff()
def create_tags(client, group_id, tags):
    client.create_tags(Resources=[group_id], Tags=ansible_dict_to_boto3_tag_list(tags))
    return True


@EC2SecurityGroupsErrorHandler.common_error_handler("untag security group")
@AWSRetry.jittered_backoff()
def delete_tags(client, group_id, keys):
    client.delete_tags(Resources=[group_id], Tags=[{"Key": key} for key in keys])
    return True


# The rule model.

# One rule: protocol, port range (None where the protocol has no ports) and one source. kind is
# cidr_ip, cidr_ipv6, ip_prefix or group_id; group_name only for a group check mode has not created.
Rule = namedtuple("Rule", ["proto", "from_port", "to_port", "kind", "value"])

# Names and numbers AWS treats as the same protocol; AWS answers with the names.
PROTOCOLS = {"tcp": "tcp", "6": "tcp", "udp": "udp", "17": "udp", "icmp": "icmp", "1": "icmp",
             "icmpv6": "icmpv6", "58": "icmpv6", "all": "-1", "-1": "-1"}
PORT_PROTOCOLS = ("tcp", "udp")
ICMP_PROTOCOLS = ("icmp", "icmpv6")
# Rule option, IpPermission list and key of its entries.
SOURCES = (("cidr_ip", "IpRanges", "CidrIp"), ("cidr_ipv6", "Ipv6Ranges", "CidrIpv6"),
           ("ip_prefix", "PrefixListIds", "PrefixListId"), ("group_id", "UserIdGroupPairs", "GroupId"),
           ("group_name", "UserIdGroupPairs", "GroupName"))
SOURCE_OPTIONS = tuple(option for option, _field, _key in SOURCES)
DEFAULT_EGRESS = {Rule("-1", None, None, "cidr_ip", "0.0.0.0/0"): None}
PORT_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")


def canonical_protocol(value):
    """The protocol as AWS answers it ('tcp', '-1', '50'), None when it is no protocol."""
    text = str(value).strip().lower()
    if text in PROTOCOLS:
        return PROTOCOLS[text]
    if text.isdigit() and int(text) <= 255:
        return str(int(text))
    return None


def _port(value, where, low=0):
    if value is None or not low <= value <= 65535:
        raise ValueError("%s: %r is not a port; expected %d-65535" % (where, value, low))
    return value


def _port_ranges(rule, where):
    """The (from, to) ranges of a tcp/udp rule: from ports, or from_port/to_port."""
    if rule.get("icmp_type") is not None or rule.get("icmp_code") is not None:
        raise ValueError("%s: icmp_type/icmp_code need proto icmp or icmpv6, not %s" % (where, rule["proto"]))
    if rule.get("ports"):
        if rule.get("from_port") is not None or rule.get("to_port") is not None:
            raise ValueError("%s: give ports or from_port/to_port, not both" % where)
        return [_parse_range(text, "%s.ports" % where) for text in rule["ports"]]
    if rule.get("from_port") is None:
        raise ValueError("%s: proto %s needs from_port (and to_port) or ports" % (where, rule["proto"]))
    low = _port(rule["from_port"], where + ".from_port")
    high = _port(rule["to_port"] if rule.get("to_port") is not None else low, where + ".to_port")
    if low > high:
        raise ValueError("%s: from_port %d is above to_port %d" % (where, low, high))
    return [(low, high)]


def _parse_range(text, where):
    match = PORT_RANGE.match(str(text))
    if not match:
        raise ValueError("%s: %r is not a port or range; expected e.g. 8080 or 1024-2048" % (where, text))
    low = _port(int(match.group(1)), where)
    high = _port(int(match.group(2) or low), where)
    if low > high:
        raise ValueError("%s: %r starts above its end" % (where, text))
    return low, high


def _icmp_range(rule, where):
    """(type, code) of an icmp/icmpv6 rule; -1 is all types or codes."""
    if rule.get("ports"):
        raise ValueError("%s: ports need proto tcp or udp, not %s; give icmp_type/icmp_code" % (where, rule["proto"]))
    given = (rule.get("icmp_type"), rule.get("icmp_code"))
    if any(value is not None for value in given):
        if rule.get("from_port") is not None or rule.get("to_port") is not None:
            raise ValueError("%s: give icmp_type/icmp_code or from_port/to_port, not both" % where)
    else:
        given = (rule.get("from_port"), rule.get("to_port"))
    icmp = tuple(-1 if value is None else value for value in given)
    for index, option in enumerate(("icmp_type", "icmp_code")):
        if not -1 <= icmp[index] <= 255:
            raise ValueError("%s.%s: %r is not an ICMP type or code; expected -1 (all) to 255" % (where, option, icmp[index]))
    return [icmp]


def rule_ranges(rule, proto, where):
    """The port ranges of one rule option; (None, None) for protocols without ports, which AWS ignores."""
    if proto in PORT_PROTOCOLS:
        return _port_ranges(rule, where)
    if proto in ICMP_PROTOCOLS:
        return _icmp_range(rule, where)
    return [(None, None)]


def _cidr(value, version, where):
    try:
        network = ipaddress.ip_network(str(value).strip(), strict=False)
    except ValueError:
        network = None
    if network is None or network.version != version:
        raise ValueError("%s: %r is not an IPv%d CIDR; expected e.g. %s" % (where, value, version, "10.0.0.0/16" if version == 4 else "2001:db8::/32"))
    return str(network)


def _prefixed(prefix, what):
    def check(value, where):
        if not str(value).startswith(prefix):
            raise ValueError("%s: %r is not %s; expected %s..." % (where, value, what, prefix))
        return value
    return check


def _group_name(names):
    def check(value, where):
        if value not in names:
            raise ValueError("%s: %r is not a group of security_groups; expected one of: %s" % (where, value, ", ".join(sorted(names))))
        return value
    return check


def source_checks(names):
    """How each source option is checked and made canonical."""
    return {"cidr_ip": lambda value, where: _cidr(value, 4, where), "cidr_ipv6": lambda value, where: _cidr(value, 6, where),
            "ip_prefix": _prefixed("pl-", "a prefix list id"), "group_id": _prefixed("sg-", "a security group id"),
            "group_name": _group_name(names)}


def rule_sources(rule, where, checks):
    given = [option for option in SOURCE_OPTIONS if rule.get(option)]
    if len(given) != 1:
        raise ValueError("%s: give exactly one of %s (got %s)" % (where, ", ".join(SOURCE_OPTIONS), ", ".join(given) or "none"))
    kind = given[0]
    return [(kind, checks[kind](value, "%s.%s" % (where, kind))) for value in rule[kind]]


def parse_rule(rule, where, checks):
    """One rule option as {Rule: description} (description None when rule_desc is unset)."""
    proto = canonical_protocol(rule.get("proto") or "tcp")
    if proto is None:
        raise ValueError("%s.proto: %r is not a protocol; expected tcp, udp, icmp, icmpv6, all (-1) or a number 0-255" % (where, rule["proto"]))
    rule = dict(rule, proto=proto)
    parsed = {}
    for low, high in rule_ranges(rule, proto, where):
        for kind, value in rule_sources(rule, where, checks):
            parsed[Rule(proto, low, high, kind, value)] = rule.get("rule_desc")
    return parsed


def parse_rules(rules, where, names):
    """A rules list as {Rule: description}; ValueError naming the option and value on bad input.

    Returns None for an unset list (the direction is left alone).
    """
    if rules is None:
        return None
    checks = source_checks(names)
    parsed = {}
    for index, rule in enumerate(rules):
        label = "%s[%d]" % (where, index)
        for key, description in parse_rule(rule, label, checks).items():
            if key in parsed and parsed[key] != description:
                raise ValueError("%s: the same rule is listed twice with the descriptions %r and %r" % (label, parsed[key], description))
            parsed[key] = description
    return parsed


def _live_ports(permission, proto):
    if proto in PORT_PROTOCOLS or proto in ICMP_PROTOCOLS:
        return permission.get("FromPort"), permission.get("ToPort")
    return None, None


def live_rules(permissions):
    """IpPermissions (or IpPermissionsEgress) as {Rule: description}, '' where a rule has none."""
    rules = {}
    for permission in permissions or []:
        proto = canonical_protocol(permission["IpProtocol"]) or permission["IpProtocol"]
        low, high = _live_ports(permission, proto)
        for kind, field, key in SOURCES[:4]:
            for entry in permission.get(field) or []:
                value = entry[key]
                if kind in ("cidr_ip", "cidr_ipv6"):
                    value = str(ipaddress.ip_network(value, strict=False))
                rules[Rule(proto, low, high, kind, value)] = entry.get("Description") or ""
    return rules


def resolve(rules, ids):
    """Group names replaced by ids; a name without an id (not created in check mode) stays a name."""
    if rules is None:
        return None
    resolved = {}
    for rule, description in rules.items():
        if rule.kind == "group_name" and ids.get(rule.value):
            rule = rule._replace(kind="group_id", value=ids[rule.value])
        resolved[rule] = description
    return resolved


def rule_changes(live, wanted, purge):
    """(to authorize, to re-describe, to revoke) of one direction, each {Rule: description}."""
    if wanted is None:
        return {}, {}, {}
    add = {rule: description for rule, description in wanted.items() if rule not in live}
    describe = {rule: description for rule, description in wanted.items()
                if rule in live and description is not None and description != live[rule]}
    remove = {rule: description for rule, description in live.items() if rule not in wanted} if purge else {}
    return add, describe, remove


def expected_rules(live, changes):
    """The rules of one direction once the changes are made."""
    add, describe, remove = changes
    rules = {rule: description for rule, description in live.items() if rule not in remove}
    for rule, description in list(add.items()) + list(describe.items()):
        rules[rule] = description or ""
    return rules


def _source_entry(rule, description):
    key = next(key for kind, _field, key in SOURCES if kind == rule.kind)
    entry = {key: rule.value}
    if description:
        entry["Description"] = description
    return entry


def to_permissions(rules):
    """{Rule: description} as IpPermissions, one per protocol and port range, in a stable order.

    A revoke sends the rules as DescribeSecurityGroups answered them, descriptions included: AWS
    does not need the description to find the rule, and matches it when given.
    """
    permissions = {}
    for rule in sorted(rules, key=sort_key):
        ports = (rule.proto, rule.from_port, rule.to_port)
        if ports not in permissions:
            permission = {"IpProtocol": rule.proto}
            if rule.from_port is not None:
                permission.update(FromPort=rule.from_port, ToPort=rule.to_port)
            permissions[ports] = permission
        field = next(field for kind, field, _key in SOURCES if kind == rule.kind)
        permissions[ports].setdefault(field, []).append(_source_entry(rule, rules[rule]))
    return list(permissions.values())


def sort_key(rule):
    return (rule.kind, str(rule.value), rule.proto, -2 if rule.from_port is None else rule.from_port,
            -2 if rule.to_port is None else rule.to_port)


def rule_view(rule, description, names):
    """One rule in the option shape of the module, for diffs."""
    view = {"proto": "all" if rule.proto == "-1" else rule.proto}
    if rule.from_port is not None:
        view.update(from_port=rule.from_port, to_port=rule.to_port)
    view[rule.kind] = rule.value
    if rule.kind == "group_id" and rule.value in names:
        view["group_name"] = names[rule.value]
    if description:
        view["rule_desc"] = description
    return view


def rules_view(rules, names):
    return [rule_view(rule, rules[rule], names) for rule in sorted(rules, key=sort_key)]
