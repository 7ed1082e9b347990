"""Read the environment's security groups back from EC2 and print their rules as a normalised matrix.

Read-only (DescribeSecurityGroups). Output: JSON {"groups": {name: {"ingress": [...], "egress": [...]}}, "open_to_internet": [names]},
each rule "tcp/<port> <source>" where the source is a CIDR or the name of the referenced group.
"""

import json
import os
import sys

import boto3


def rules(permissions, names):
    out = []
    for perm in permissions:
        port = "%s/%s" % (perm.get("IpProtocol"), perm.get("FromPort", "all"))
        if perm.get("FromPort") != perm.get("ToPort"):
            port += "-%s" % perm.get("ToPort")
        out += ["%s %s" % (port, r["CidrIp"]) for r in perm.get("IpRanges", [])]
        out += ["%s %s" % (port, r["CidrIpv6"]) for r in perm.get("Ipv6Ranges", [])]
        out += ["%s %s" % (port, names.get(p["GroupId"], p["GroupId"])) for p in perm.get("UserIdGroupPairs", [])]
    return sorted(out)


def main(prefix):
    ec2 = boto3.client("ec2", endpoint_url=os.environ["CLOUDPLATFORM_AWS_ENDPOINT_URL"], region_name=os.environ.get("AWS_REGION", "us-east-1"))
    groups = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": [prefix + "-sg-*"]}])["SecurityGroups"]
    names = {g["GroupId"]: g["GroupName"] for g in groups}
    matrix = {g["GroupName"]: {"ingress": rules(g["IpPermissions"], names), "egress": rules(g["IpPermissionsEgress"], names)}
              for g in groups}
    open_groups = sorted(name for name, rule in matrix.items() if any(r.endswith(" 0.0.0.0/0") or r.endswith(" ::/0")
                                                                     for r in rule["ingress"]))
    print(json.dumps({"groups": matrix, "open_to_internet": open_groups}, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1])
