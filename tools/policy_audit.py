"""Audit every IAM and KMS policy of an environment, read back from AWS (read-only).

    policy_audit.py PREFIX [--kms-alias alias/PREFIX]

Reads every IAM role whose name starts with PREFIX (trust policy, inline policies, attached
customer-managed policies) and the key policy of the environment key, and checks the acceptance
rules of issue 4:

- no "Action": "*" (nor "<service>:*" outside a key policy's account-root statement);
- no Allow on "Resource": "*" except for actions AWS grants on "*" only;
- no iam:PassRole on "*".

In a KMS key policy "Resource": "*" means the key itself, so it is not a finding there. AWS managed
policies (arn:aws:iam::aws:policy/...) are listed but not audited: AWS owns them. Prints a JSON
report; exits 1 when there is a finding.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.parse

import boto3

# Actions without resource-level permissions: AWS only accepts "*" for them.
STAR_ONLY_ACTIONS = {
    "ecr:GetAuthorizationToken",
    "ecs:RegisterTaskDefinition",
    "ecs:DescribeTaskDefinition",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "cloudwatch:PutMetricData",
    "logs:DescribeLogGroups",
    "sts:GetCallerIdentity",
}


def as_list(value):
    return value if isinstance(value, list) else [value]


def decode(document):
    if isinstance(document, str):
        return json.loads(urllib.parse.unquote(document))
    return document


def statement_findings(where, statement, key_policy=False):
    findings = []
    actions = as_list(statement.get("Action", []))
    resources = as_list(statement.get("Resource", []))
    allow = statement.get("Effect") == "Allow"
    if "*" in actions:
        findings.append(f'{where}: "Action": "*"')
    root_admin = key_policy and str(statement.get("Principal", {}).get("AWS", "")).endswith(":root")
    wildcard_service = [a for a in actions if a.endswith(":*")]
    if allow and wildcard_service and not root_admin:
        findings.append(f"{where}: service-wide actions {wildcard_service}")
    if allow and "*" in resources and not key_policy:
        broad = sorted(set(actions) - STAR_ONLY_ACTIONS)
        if broad:
            findings.append(f'{where}: "Resource": "*" for {broad}')
    if allow and "iam:PassRole" in actions and any(r == "*" or r.endswith("/*") for r in resources):
        findings.append(f"{where}: iam:PassRole on {resources}")
    return findings


def document_findings(where, document, key_policy=False):
    findings = []
    for index, statement in enumerate(as_list(decode(document).get("Statement", []))):
        findings += statement_findings(f"{where}#{statement.get('Sid', index)}", statement, key_policy)
    return findings


def role_documents(iam, role_name):
    """(label, document) for every policy a role carries, AWS managed ones excluded."""
    documents = []
    for name in iam.list_role_policies(RoleName=role_name)["PolicyNames"]:
        documents.append((f"{role_name}/inline/{name}", iam.get_role_policy(RoleName=role_name, PolicyName=name)["PolicyDocument"]))
    for attached in iam.list_attached_role_policies(RoleName=role_name)["AttachedPolicies"]:
        arn = attached["PolicyArn"]
        if arn.split(":")[4] == "aws":
            continue
        version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
        documents.append((f"{role_name}/managed/{arn}", iam.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"]["Document"]))
    return documents


def audit(prefix, kms_alias, endpoint=None, region="us-east-1"):
    iam = boto3.client("iam", endpoint_url=endpoint, region_name=region)
    kms = boto3.client("kms", endpoint_url=endpoint, region_name=region)
    report = {"roles": [], "policies": 0, "findings": []}
    roles = [r for page in iam.get_paginator("list_roles").paginate() for r in page["Roles"] if r["RoleName"].startswith(prefix)]
    for role in roles:
        report["roles"].append(role["RoleName"])
        report["findings"] += document_findings(f"{role['RoleName']}/trust", role["AssumeRolePolicyDocument"])
        for label, document in role_documents(iam, role["RoleName"]):
            report["policies"] += 1
            report["findings"] += document_findings(label, document)
    key_id = kms.describe_key(KeyId=kms_alias)["KeyMetadata"]["KeyId"]
    report["findings"] += document_findings(f"kms/{kms_alias}", kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"],
                                            key_policy=True)
    report["policies"] += 1
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefix")
    parser.add_argument("--kms-alias")
    args = parser.parse_args(argv)
    report = audit(args.prefix, args.kms_alias or f"alias/{args.prefix}", os.environ.get("CLOUDPLATFORM_AWS_ENDPOINT_URL"),
                   os.environ.get("AWS_REGION", "us-east-1"))
    print(json.dumps(report, indent=2, sort_keys=True))
    return 1 if report["findings"] else 0


if __name__ == "__main__":
    sys.exit(main())
