# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Cross-field checks of a platform configuration that typed argument specs cannot express.

Every check returns a list of messages; each names the inventory variable, the bad value and what
would be accepted. Nothing here talks to AWS.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

from ansible.module_utils.parsing.convert_bool import boolean

TIERS = ("public", "app", "data")
SERVICE_NAME = re.compile(r"^[a-z][a-z0-9-]{0,19}$")
PATH_PATTERN = re.compile(r"^/[A-Za-z0-9_\-.$/~\"'@:+*?&]*$")
CAPACITY_PROVIDERS = ("FARGATE", "FARGATE_SPOT")
# Valid Fargate task sizes: cpu units -> allowed memory (MiB).
FARGATE_SIZES = {
    256: (512, 1024, 2048),
    512: tuple(range(1024, 4097, 1024)),
    1024: tuple(range(2048, 8193, 1024)),
    2048: tuple(range(4096, 16385, 1024)),
    4096: tuple(range(8192, 30721, 1024)),
}


def _network(value, name):
    try:
        return ipaddress.ip_network(value, strict=True), None
    except (TypeError, ValueError) as exc:
        return None, "%s: %r is not a valid IPv4 CIDR block (%s); expected e.g. 10.0.1.0/24" % (name, value, exc)


def _check_tiers(subnet_cidrs):
    missing = [t for t in TIERS if t not in subnet_cidrs]
    extra = sorted(set(subnet_cidrs) - set(TIERS))
    if missing or extra:
        return ["vpc_subnet_cidrs: tiers %s; expected exactly the tiers %s" % (sorted(subnet_cidrs), ", ".join(TIERS))]
    return []


def _check_subnet(name, cidr, vpc, seen):
    net, err = _network(cidr, name)
    if err:
        return [err]
    errors = []
    if not net.subnet_of(vpc):
        errors.append("%s: %s lies outside vpc_cidr %s; expected a subnet inside the VPC block" % (name, cidr, vpc))
    for other_name, other in seen:
        if net.overlaps(other):
            errors.append("%s: %s overlaps %s (%s); subnets must not overlap" % (name, cidr, other_name, other))
    seen.append((name, net))
    return errors


def check_network(vpc_cidr, subnet_cidrs, availability_zones):
    vpc, err = _network(vpc_cidr, "vpc_cidr")
    if err:
        return [err]
    errors = []
    if not 16 <= vpc.prefixlen <= 28:
        errors.append("vpc_cidr: %s has prefix /%d; AWS accepts /16 to /28" % (vpc_cidr, vpc.prefixlen))
    subnet_cidrs = subnet_cidrs or {}
    errors += _check_tiers(subnet_cidrs)
    seen = []
    for tier in TIERS:
        cidrs = subnet_cidrs.get(tier) or []
        if len(cidrs) != len(availability_zones):
            errors.append(
                "vpc_subnet_cidrs.%s: %d subnet(s) %s for %d availability zone(s) %s; expected one subnet per AZ per tier"
                % (tier, len(cidrs), cidrs, len(availability_zones), availability_zones))
        for index, cidr in enumerate(cidrs):
            errors += _check_subnet("vpc_subnet_cidrs.%s[%d]" % (tier, index), cidr, vpc, seen)
    if len(set(availability_zones)) != len(availability_zones):
        errors.append("cloudplatform_availability_zones: %s repeats a zone; expected distinct zones" % availability_zones)
    return errors


def _check_port(name, value):
    if value is None:
        return []
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
        return ["%s: %r is not a valid port; expected an integer 1-65535 (or null for no inbound traffic)" % (name, value)]
    return []


def _check_size(name, service):
    cpu, memory = service.get("cpu"), service.get("memory")
    if cpu not in FARGATE_SIZES:
        return ["%s.cpu: %r is not a Fargate CPU size; expected one of %s" % (name, cpu, sorted(FARGATE_SIZES))]
    if memory not in FARGATE_SIZES[cpu]:
        return ["%s.memory: %r MiB is not valid with cpu %d; expected one of %s"
                % (name, memory, cpu, list(FARGATE_SIZES[cpu]))]
    return []


def _check_counts(name, service):
    errors = []
    counts = {k: service.get(k) for k in ("min_count", "max_count", "desired_count")}
    for key, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            errors.append("%s.%s: %r; expected a non-negative integer" % (name, key, value))
    if errors:
        return errors
    if counts["min_count"] > counts["max_count"]:
        errors.append("%s: min_count %d is above max_count %d; expected min_count <= max_count"
                      % (name, counts["min_count"], counts["max_count"]))
    elif not counts["min_count"] <= counts["desired_count"] <= counts["max_count"]:
        errors.append("%s.desired_count: %d is outside min_count..max_count (%d..%d)"
                      % (name, counts["desired_count"], counts["min_count"], counts["max_count"]))
    return errors


def _check_service(index, service):
    name = "cloudplatform_services[%d] (%s)" % (index, service.get("name"))
    errors = []
    if not SERVICE_NAME.match(str(service.get("name", ""))):
        errors.append("cloudplatform_services[%d].name: %r is not a valid service name; expected 1-20 lowercase letters, "
                      "digits or hyphens starting with a letter (it becomes part of AWS resource names)"
                      % (index, service.get("name")))
    errors += _check_port(name + ".port", service.get("port"))
    if service.get("capacity_provider") not in CAPACITY_PROVIDERS:
        errors.append("%s.capacity_provider: %r; expected one of %s"
                      % (name, service.get("capacity_provider"), ", ".join(CAPACITY_PROVIDERS)))
    errors += _check_size(name, service)
    errors += _check_counts(name, service)
    paths = service.get("paths") or []
    if paths and service.get("port") is None:
        errors.append("%s.paths: %s given but port is null; a service without a port cannot receive ALB traffic"
                      % (name, paths))
    for path in paths:
        if not PATH_PATTERN.match(str(path)) or len(str(path)) > 128:
            errors.append("%s.paths: %r is not a valid ALB path pattern; expected '/' followed by up to 127 "
                          "characters A-Z a-z 0-9 _ - . $ / ~ \" ' @ : + * ?" % (name, path))
    return errors


def check_services(services):
    errors = []
    names = {}
    paths = {}
    for index, service in enumerate(services or []):
        errors += _check_service(index, service)
        svc = service.get("name")
        if svc in names:
            errors.append("cloudplatform_services[%d].name: %r is already used by cloudplatform_services[%d]; "
                          "service names must be unique" % (index, svc, names[svc]))
        names.setdefault(svc, index)
        for path in service.get("paths") or []:
            if path in paths:
                errors.append("cloudplatform_services[%d].paths: %r is already routed to %r; path patterns must be unique"
                              % (index, path, paths[path]))
            paths.setdefault(path, svc)
    if not services:
        errors.append("cloudplatform_services: the list is empty; expected at least one service")
    return errors


GUARDRAILS = (
    ("rds_multi_az", True, "true (prod runs a Multi-AZ database)"),
    ("rds_deletion_protection", True, "true (prod databases are protected from deletion)"),
    ("vpc_nat_gateway_mode", "per_az", "per_az (one NAT gateway per AZ in prod)"),
    ("elasticache_transit_encryption", True, "true (prod Redis accepts TLS only)"),
    ("waf_enabled", True, "true (prod ALB has a WAF attached)"),
)


def check_guardrails(environment, settings):
    errors = []
    for variable, required, accepted in GUARDRAILS:
        value = settings.get(variable)
        effective = value
        if isinstance(required, bool) and value is not None:
            try:
                effective = boolean(value, strict=True)
            except TypeError:
                effective = value
        if effective != required:
            errors.append("%s: %r is not allowed for environment %s with cloudplatform_prod_guardrails on; expected %s"
                          % (variable, value, environment, accepted))
    return errors


CERTIFICATE_ARN = re.compile(r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]+$")
DOMAIN_NAME = re.compile(r"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def check_certificate(arn, domain):
    """The HTTPS listener needs exactly one certificate source."""
    if bool(arn) == bool(domain):
        return ["alb_certificate_arn: %r and alb_certificate_domain: %r; expected exactly one of them (an ACM certificate ARN, "
                "or a domain name the alb role requests a DNS-validated certificate for)" % (arn or "", domain or "")]
    if arn and not CERTIFICATE_ARN.match(arn):
        return ["alb_certificate_arn: %r is not an ACM certificate ARN; expected arn:aws:acm:<region>:<account>:certificate/<id>" % arn]
    if domain and not DOMAIN_NAME.match(domain):
        return ["alb_certificate_domain: %r is not a domain name; expected e.g. api.example.com" % domain]
    return []
