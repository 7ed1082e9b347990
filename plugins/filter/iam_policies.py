# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: iam_policies
short_description: Build the least-privilege IAM policy documents of an environment
version_added: 0.1.0
description:
  - Derives, from the effective service list and the ARNs other roles published, the inline
    policies of the ECS task execution role, of one task role per service, of the GitHub Actions
    deploy role (003 §5.2.1) and the explicit denies of the prod guardrails (003 §5.2.2).
  - Every Allow names exact resources; only actions AWS grants on C(*) alone
    (ecr:GetAuthorizationToken, ecs:RegisterTaskDefinition, ecs:DescribeTaskDefinition,
    cloudwatch:PutMetricData with a namespace condition) use C(*).
options:
  _input:
    description: The effective service list (C(cloudplatform_services_effective)).
    type: list
    elements: dict
    required: true
  context:
    description:
      - C(partition), C(region), C(account), C(kms_key_arn), C(secret_arns) (name to ARN),
        C(default_secrets), C(ecr_repository_prefix), C(log_group_prefix), C(cluster_name),
        C(service_name_prefix), C(metric_namespace), C(service_buckets) (service to list of
        object ARNs, e.g. arn:aws:s3:::bucket/prefix/*), C(service_functions) (service to
        list of Lambda function ARNs it may invoke), C(task_role_arns) (service to ARN),
        C(task_execution_role_arn).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Show the task execution policy
  ansible.builtin.debug:
    msg: "{{ (cloudplatform_services_effective | cloudplatform.aws.iam_policies(ctx)).task_execution }}"
"""

RETURN = r"""
_value:
  description: C(task_execution), C(services) (service to document), C(deploy) and C(guardrails) policy documents.
  type: dict
"""

from ansible.errors import AnsibleFilterError

VERSION = "2012-10-17"
ECR_PULL = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
ECR_PUSH = ["ecr:CompleteLayerUpload", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"]
LOG_WRITE = ["logs:CreateLogStream", "logs:PutLogEvents"]


def _statement(sid, actions, resources, condition=None, effect="Allow"):
    statement = {"Sid": sid, "Effect": effect, "Action": sorted(actions), "Resource": resources}
    if condition:
        statement["Condition"] = condition
    return statement


def _arn(ctx, service, resource, region=True, account=True):
    return "arn:%s:%s:%s:%s:%s" % (ctx["partition"], service, ctx["region"] if region else "",
                                   ctx["account"] if account else "", resource)


def _repository_arn(ctx, service):
    return _arn(ctx, "ecr", "repository/%s/%s" % (ctx["ecr_repository_prefix"], service["image_repository"]))


def _log_streams_arn(ctx, service):
    return _arn(ctx, "logs", "log-group:%s/%s:log-stream:*" % (ctx["log_group_prefix"], service["name"]))


def _service_secrets(ctx, service):
    names = service.get("secrets") or ctx.get("default_secrets") or []
    arns = []
    for name in names:
        if name not in (ctx.get("secret_arns") or {}):
            raise AnsibleFilterError("service %s reads secret '%s', which secrets_arns does not have (have: %s)"
                                     % (service["name"], name, ", ".join(sorted(ctx.get("secret_arns") or {}))))
        arns.append(ctx["secret_arns"][name])
    return sorted(set(arns))


def task_execution_policy(services, ctx):
    secrets = sorted({arn for service in services for arn in _service_secrets(ctx, service)})
    statements = [
        _statement("EcrAuthorizationTokenHasNoResourceScope", ["ecr:GetAuthorizationToken"], "*"),
        _statement("PullServiceImages", ECR_PULL, sorted({_repository_arn(ctx, s) for s in services})),
        _statement("WriteServiceLogs", LOG_WRITE, sorted(_log_streams_arn(ctx, s) for s in services)),
    ]
    if secrets:
        statements.append(_statement("ReadServiceSecrets", ["secretsmanager:GetSecretValue"], secrets))
    statements.append(_statement("DecryptWithEnvironmentKey", ["kms:Decrypt"], [ctx["kms_key_arn"]]))
    return {"Version": VERSION, "Statement": statements}


def task_policy(service, ctx):
    statements = []
    secrets = _service_secrets(ctx, service)
    if secrets:
        statements.append(_statement("ReadOwnSecrets", ["secretsmanager:GetSecretValue"], secrets))
    statements += [
        _statement("UseEnvironmentKey", ["kms:Decrypt", "kms:GenerateDataKey"], [ctx["kms_key_arn"]]),
        _statement("WriteOwnLogs", LOG_WRITE, [_log_streams_arn(ctx, service)]),
        _statement("PutMetricDataHasNoResourceScope", ["cloudwatch:PutMetricData"], "*",
                   {"StringEquals": {"cloudwatch:namespace": ctx["metric_namespace"]}}),
    ]
    functions = (ctx.get("service_functions") or {}).get(service["name"]) or []
    if functions:
        statements.append(_statement("InvokeOwnFunctions", ["lambda:InvokeFunction"], sorted(functions)))
    buckets = (ctx.get("service_buckets") or {}).get(service["name"]) or []
    if buckets:
        statements.append(_statement("ReadWriteOwnObjects", ["s3:GetObject", "s3:PutObject"], sorted(buckets)))
    return {"Version": VERSION, "Statement": statements}


def deploy_policy(services, ctx):
    cluster = ctx["cluster_name"]
    pass_roles = sorted([ctx["task_execution_role_arn"], *(ctx.get("task_role_arns") or {}).values()])
    return {"Version": VERSION, "Statement": [
        _statement("EcrAuthorizationTokenHasNoResourceScope", ["ecr:GetAuthorizationToken"], "*"),
        _statement("PushAndPullServiceImages", ECR_PULL + ECR_PUSH, sorted({_repository_arn(ctx, s) for s in services})),
        _statement("UpdateServicesNeverDelete", ["ecs:DescribeServices", "ecs:UpdateService"],
                   sorted(_arn(ctx, "ecs", "service/%s/%s-%s" % (cluster, ctx["service_name_prefix"], s["name"])) for s in services)),
        _statement("TaskDefinitionsHaveNoResourceScope", ["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"], "*"),
        _statement("PassOnlyTheTaskRolesToEcs", ["iam:PassRole"], pass_roles,
                   {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}),
    ]}


def guardrails_policy():
    """003 §5.2.2: explicit denies that no Allow can override (also recommended as an SCP)."""
    return {"Version": VERSION, "Statement": [
        _statement("NeverDeleteProductionDatabases",
                   ["rds:DeleteDBCluster", "rds:DeleteDBInstance", "rds:DeleteDBClusterSnapshot", "rds:DeleteDBSnapshot"],
                   "*", effect="Deny"),
        _statement("NeverOpenSecurityGroups",
                   ["ec2:AuthorizeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupIngress",
                    "ec2:ModifySecurityGroupRules"], "*", effect="Deny"),
        _statement("NeverDisableCloudTrailOrGuardDuty",
                   ["cloudtrail:DeleteTrail", "cloudtrail:PutEventSelectors", "cloudtrail:StopLogging", "cloudtrail:UpdateTrail",
                    "guardduty:DeleteDetector", "guardduty:DisassociateFromMasterAccount", "guardduty:StopMonitoringMembers",
                    "guardduty:UpdateDetector"], "*", effect="Deny"),
        _statement("NeverMakeBucketsPublic",
                   ["s3:DeleteAccountPublicAccessBlock", "s3:DeleteBucketPolicy", "s3:PutAccountPublicAccessBlock",
                    "s3:PutBucketAcl", "s3:PutBucketPolicy", "s3:PutBucketPublicAccessBlock", "s3:PutObjectAcl"],
                   "*", effect="Deny"),
    ]}


REQUIRED = ("partition", "region", "account", "kms_key_arn", "ecr_repository_prefix", "log_group_prefix",
            "cluster_name", "service_name_prefix", "metric_namespace", "task_execution_role_arn")


def iam_policies(services, context):
    missing = [key for key in REQUIRED if not (context or {}).get(key)]
    if missing:
        raise AnsibleFilterError("iam_policies: context lacks %s" % ", ".join(missing))
    return {
        "task_execution": task_execution_policy(services, context),
        "services": {s["name"]: task_policy(s, context) for s in services},
        "deploy": deploy_policy(services, context),
        "guardrails": guardrails_policy(),
    }


class FilterModule(object):
    def filters(self):
        return {"iam_policies": iam_policies}
