"""cloudplatform.aws.iam_role_set against a botocore Stubber on the real IAM model.

Every test lists the exact calls it allows (a Stubber refuses any other), so "no write call" and
"exactly these writes" are asserted by the stub itself. The integration test proves the converge
against the emulator.
"""

from __future__ import annotations

import datetime
import json

import pytest
from _monitoring_fakes import FailJson, FakeModule, client
from ansible_collections.amazon.aws.plugins.module_utils.iam import AnsibleIAMError
from botocore.stub import Stubber

from ansible_collections.cloudplatform.aws.plugins.modules import iam_role_set as module

ACCOUNT = "123456789012"
APP = "cloudplatform-prod-role-task-api"
RDS = "cloudplatform-prod-role-rds-monitoring"
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                                                 "Action": "sts:AssumeRole"}]}
TASK = {"Version": "2012-10-17", "Statement": [
    {"Sid": "Logs", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "arn:aws:logs:*:*:*"},
    {"Sid": "Key", "Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": ["arn:aws:kms:us-east-1:123456789012:key/k"]},
]}
GUARD = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "rds:DeleteDBInstance", "Resource": "*"}]}
MANAGED = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
OTHER = f"arn:aws:iam::{ACCOUNT}:policy/other"
BOUNDARY = f"arn:aws:iam::{ACCOUNT}:policy/boundary"
TAGS = {"Project": "cloudplatform", "Name": APP}


def spec(name=APP, **values):
    base = dict(name=name, path="/", description="task role of api", assume_role_policy_document=json.dumps(TRUST),
                inline_policies={"task": TASK}, purge_inline_policies=True, managed_policy_arns=[], purge_managed_policies=True,
                permissions_boundary=None, max_session_duration=None, tags=TAGS, purge_tags=True)
    base.update(values)
    return base


def params(*roles, state="present"):
    return dict(roles=list(roles) or [spec()], state=state)


def live(name=APP, path="/", trust=TRUST, description="task role of api", duration=3600, boundary=None, tags=None):
    """GetRole's answer (botocore decodes the URL-encoded trust policy)."""
    role = {"Path": path, "RoleName": name, "RoleId": "AROA" + name.upper()[-12:].replace("-", "X"), "Arn": f"arn:aws:iam::{ACCOUNT}:role{path}{name}",
            "CreateDate": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC), "AssumeRolePolicyDocument": json.dumps(trust),
            "MaxSessionDuration": duration, "Tags": [{"Key": k, "Value": v} for k, v in (TAGS if tags is None else tags).items()]}
    if description is not None:
        role["Description"] = description
    if boundary:
        role["PermissionsBoundary"] = {"PermissionsBoundaryType": "PermissionsBoundaryPolicy", "PermissionsBoundaryArn": boundary}
    return role


def read(stub, role, inline=None, managed=(), documents=None):
    """The reads of one role: GetRole, ListRolePolicies, GetRolePolicy per managed inline policy (documents), ListAttachedRolePolicies."""
    name = role["RoleName"]
    stub.add_response("get_role", {"Role": role}, {"RoleName": name})
    inline = {"task": TASK} if inline is None else inline
    stub.add_response("list_role_policies", {"PolicyNames": sorted(inline)}, {"RoleName": name})
    for policy in sorted(inline if documents is None else documents):
        stub.add_response("get_role_policy", {"RoleName": name, "PolicyName": policy, "PolicyDocument": json.dumps(inline[policy])},
                          {"RoleName": name, "PolicyName": policy})
    stub.add_response("list_attached_role_policies", {"AttachedPolicies": [{"PolicyName": a.rsplit("/", 1)[1], "PolicyArn": a} for a in managed]},
                      {"RoleName": name})


def reread(stub, role, inline_names=("task",), managed=()):
    name = role["RoleName"]
    stub.add_response("get_role", {"Role": role}, {"RoleName": name})
    stub.add_response("list_role_policies", {"PolicyNames": list(inline_names)}, {"RoleName": name})
    stub.add_response("list_attached_role_policies", {"AttachedPolicies": [{"PolicyName": a.rsplit("/", 1)[1], "PolicyArn": a} for a in managed]},
                      {"RoleName": name})


def missing(stub, name=APP):
    stub.add_client_error("get_role", "NoSuchEntity", "The role with name %s cannot be found." % name, 404, expected_params={"RoleName": name})


def converge(module_params, check_mode=False, stubbed=None):
    iam = client("iam")
    with Stubber(iam) as stub:
        stubbed(stub, check_mode)
        result = module.run(FakeModule(module_params, check_mode), iam)
        stub.assert_no_pending_responses()
    return result


# Create and converged


@pytest.mark.parametrize("check_mode", [False, True])
def test_creates_a_missing_role_with_everything_in_one_go(check_mode):
    wanted = spec(managed_policy_arns=[MANAGED], max_session_duration=7200, permissions_boundary=BOUNDARY)

    def calls(stub, check_mode):
        missing(stub)
        if check_mode:
            return
        stub.add_response("create_role", {"Role": live()}, {
            "RoleName": APP, "Path": "/", "AssumeRolePolicyDocument": json.dumps(TRUST), "Description": "task role of api",
            "MaxSessionDuration": 7200, "PermissionsBoundary": BOUNDARY,
            "Tags": [{"Key": "Name", "Value": APP}, {"Key": "Project", "Value": "cloudplatform"}]})
        stub.add_response("put_role_policy", {}, {"RoleName": APP, "PolicyName": "task", "PolicyDocument": json.dumps(TASK)})
        stub.add_response("attach_role_policy", {}, {"RoleName": APP, "PolicyArn": MANAGED})
        reread(stub, live(duration=7200, boundary=BOUNDARY), managed=[MANAGED])

    result = converge(params(wanted), check_mode, calls)
    assert result["changed"] is True
    role = result["roles"][0]
    assert role["changed"] is True
    assert role["arn"] == (None if check_mode else f"arn:aws:iam::{ACCOUNT}:role/{APP}")
    assert role["inline_policy_names"] == ["task"] and role["managed_policy_arns"] == [MANAGED]
    assert role["max_session_duration"] == 7200 and role["permissions_boundary"] == BOUNDARY
    assert role["tags"] == TAGS and role["assume_role_policy_document"] == TRUST
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"][APP]["inline_policies"] == {"task": TASK}


@pytest.mark.parametrize("check_mode", [False, True])
def test_converged_set_makes_only_the_four_reads_per_role(check_mode):
    # The same documents, reordered, as JSON strings and with one-element lists written as scalars.
    reordered = {"Statement": [dict(TASK["Statement"][1], Action="kms:Decrypt", Resource="arn:aws:kms:us-east-1:123456789012:key/k"),
                               TASK["Statement"][0]], "Version": "2012-10-17"}
    trust = {"Statement": [{"Action": ["sts:AssumeRole"], "Principal": {"Service": ["ecs-tasks.amazonaws.com"]}, "Effect": "Allow"}],
             "Version": "2012-10-17"}
    roles = [spec(assume_role_policy_document=json.dumps(trust), inline_policies={"task": json.dumps(reordered)}),
             spec(RDS, description=None, inline_policies=None, managed_policy_arns=[MANAGED], max_session_duration=3600, tags=None)]

    def calls(stub, check_mode):
        read(stub, live())
        read(stub, live(RDS, description=None, tags={"Stale": "x"}), inline={"hand-made": GUARD}, managed=[MANAGED], documents=[])

    result = converge(params(*roles), check_mode, calls)
    assert result["changed"] is False
    assert result["diff"] == {"before": {}, "after": {}}
    assert [(r["role_name"], r["changed"]) for r in result["roles"]] == [(APP, False), (RDS, False)]
    # Unset options are reported as they are, not touched: RDS keeps its hand-made policy and tags.
    assert result["roles"][1]["inline_policy_names"] == ["hand-made"] and result["roles"][1]["tags"] == {"Stale": "x"}


# One update aspect at a time: exactly that write, nothing in check mode


def write_test(current, writes, after_role=None, inline=None, managed=(), documents=None, after_inline=("task",), after_managed=None):
    def calls(stub, check_mode):
        read(stub, current, inline=inline, managed=managed, documents=documents)
        if check_mode:
            return
        for operation, expected in writes:
            stub.add_response(operation, {}, expected)
        reread(stub, after_role or live(), after_inline, managed if after_managed is None else after_managed)

    return calls


@pytest.mark.parametrize("check_mode", [False, True])
def test_trust_policy_drift_is_fixed(check_mode):
    drifted = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}
    calls = write_test(live(trust=drifted), [("update_assume_role_policy", {"RoleName": APP, "PolicyDocument": json.dumps(TRUST)})])
    result = converge(params(), check_mode, calls)
    assert result["changed"] is True
    assert result["diff"]["before"][APP]["assume_role_policy_document"] == drifted
    assert result["diff"]["after"][APP]["assume_role_policy_document"] == TRUST
    assert result["diff"]["before_header"] == result["diff"]["after_header"] == f"roles {APP}"


@pytest.mark.parametrize("check_mode", [False, True])
def test_description_change_keeps_the_session_duration(check_mode):
    # UpdateRole resets MaxSessionDuration when the call leaves it out: both are sent.
    calls = write_test(live(duration=7200),
                       [("update_role", {"RoleName": APP, "Description": "new", "MaxSessionDuration": 7200})], live(description="new", duration=7200))
    result = converge(params(spec(description="new")), check_mode, calls)
    assert result["roles"][0]["description"] == "new" and result["roles"][0]["max_session_duration"] == 7200


@pytest.mark.parametrize("check_mode", [False, True])
def test_session_duration_change_keeps_the_description(check_mode):
    calls = write_test(live(), [("update_role", {"RoleName": APP, "Description": "task role of api", "MaxSessionDuration": 43200})],
                       live(duration=43200))
    result = converge(params(spec(max_session_duration=43200)), check_mode, calls)
    assert result["changed"] is True and result["roles"][0]["max_session_duration"] == 43200


@pytest.mark.parametrize("check_mode", [False, True])
@pytest.mark.parametrize("have, wanted, operation, expected", [
    (None, BOUNDARY, "put_role_permissions_boundary", {"RoleName": APP, "PermissionsBoundary": BOUNDARY}),
    (OTHER, BOUNDARY, "put_role_permissions_boundary", {"RoleName": APP, "PermissionsBoundary": BOUNDARY}),
    (BOUNDARY, "", "delete_role_permissions_boundary", {"RoleName": APP}),
])
def test_permissions_boundary_is_set_replaced_or_removed(check_mode, have, wanted, operation, expected):
    calls = write_test(live(boundary=have), [(operation, expected)], live(boundary=wanted or None))
    result = converge(params(spec(permissions_boundary=wanted)), check_mode, calls)
    assert result["changed"] is True and result["roles"][0]["permissions_boundary"] == (wanted or None)


@pytest.mark.parametrize("check_mode", [False, True])
def test_tag_drift_is_fixed_with_untag_then_tag(check_mode):
    calls = write_test(live(tags={"Project": "old", "Stale": "x"}), [
        ("untag_role", {"RoleName": APP, "TagKeys": ["Stale"]}),
        ("tag_role", {"RoleName": APP, "Tags": [{"Key": "Name", "Value": APP}, {"Key": "Project", "Value": "cloudplatform"}]}),
    ])
    result = converge(params(), check_mode, calls)
    assert result["roles"][0]["tags"] == TAGS
    assert result["diff"]["before"][APP]["tags"] == {"Project": "old", "Stale": "x"}


@pytest.mark.parametrize("check_mode", [False, True])
def test_tags_not_purged_are_kept(check_mode):
    calls = write_test(live(tags={"Stale": "x"}),
                       [("tag_role", {"RoleName": APP, "Tags": [{"Key": "Name", "Value": APP}, {"Key": "Project", "Value": "cloudplatform"}]})],
                       live(tags=dict(TAGS, Stale="x")))
    result = converge(params(spec(purge_tags=False)), check_mode, calls)
    assert result["roles"][0]["tags"] == dict(TAGS, Stale="x")


@pytest.mark.parametrize("check_mode", [False, True])
def test_changed_inline_policy_is_put_and_unlisted_one_deleted(check_mode):
    old = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    wanted = spec(inline_policies={"task": TASK, "guardrails": GUARD})
    # "old" is not in inline_policies: its document is never read.
    calls = write_test(live(), [
        ("put_role_policy", {"RoleName": APP, "PolicyName": "guardrails", "PolicyDocument": json.dumps(GUARD)}),
        ("put_role_policy", {"RoleName": APP, "PolicyName": "task", "PolicyDocument": json.dumps(TASK)}),
        ("delete_role_policy", {"RoleName": APP, "PolicyName": "old"}),
    ], inline={"task": old, "old": old}, documents=["task"], after_inline=("guardrails", "task"))
    result = converge(params(wanted), check_mode, calls)
    assert result["roles"][0]["inline_policy_names"] == ["guardrails", "task"]
    assert result["diff"]["before"][APP]["inline_policy_names"] == ["old", "task"]
    assert result["diff"]["after"][APP]["inline_policies"] == {"task": TASK, "guardrails": GUARD}


@pytest.mark.parametrize("check_mode", [False, True])
def test_inline_policies_not_purged_are_kept(check_mode):
    wanted = spec(inline_policies={"task": TASK, "guardrails": GUARD}, purge_inline_policies=False)
    calls = write_test(live(), [
        ("put_role_policy", {"RoleName": APP, "PolicyName": "guardrails", "PolicyDocument": json.dumps(GUARD)}),
    ], inline={"task": TASK, "hand-made": GUARD}, documents=["task"], after_inline=("guardrails", "hand-made", "task"))
    result = converge(params(wanted), check_mode, calls)
    assert result["changed"] is True
    assert result["roles"][0]["inline_policy_names"] == ["guardrails", "hand-made", "task"]


@pytest.mark.parametrize("check_mode", [False, True])
@pytest.mark.parametrize("purge", [True, False])
def test_managed_policies_are_attached_and_purged(check_mode, purge):
    writes = [("attach_role_policy", {"RoleName": APP, "PolicyArn": MANAGED})]
    if purge:
        writes.insert(0, ("detach_role_policy", {"RoleName": APP, "PolicyArn": OTHER}))
    after = [MANAGED] if purge else [MANAGED, OTHER]
    calls = write_test(live(), writes, managed=[OTHER], after_managed=after)
    result = converge(params(spec(managed_policy_arns=[MANAGED], purge_managed_policies=purge)), check_mode, calls)
    assert result["roles"][0]["managed_policy_arns"] == sorted(after)


# Absent


@pytest.mark.parametrize("check_mode", [False, True])
def test_absent_deletes_policies_attachments_memberships_then_the_role(check_mode):
    def calls(stub, check_mode):
        read(stub, live(), inline={"task": TASK, "other": GUARD}, managed=[MANAGED], documents=[])
        missing(stub, RDS)
        if check_mode:
            return
        stub.add_response("delete_role_policy", {}, {"RoleName": APP, "PolicyName": "other"})
        stub.add_response("delete_role_policy", {}, {"RoleName": APP, "PolicyName": "task"})
        stub.add_response("detach_role_policy", {}, {"RoleName": APP, "PolicyArn": MANAGED})
        stub.add_response("list_instance_profiles_for_role", {"InstanceProfiles": [{
            "Path": "/", "InstanceProfileName": "ip", "InstanceProfileId": "AIPAEXAMPLE0000000001", "Arn": f"arn:aws:iam::{ACCOUNT}:instance-profile/ip",
            "CreateDate": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC), "Roles": []}]}, {"RoleName": APP})
        stub.add_response("remove_role_from_instance_profile", {}, {"InstanceProfileName": "ip", "RoleName": APP})
        stub.add_response("delete_role", {}, {"RoleName": APP})

    result = converge(params(spec(assume_role_policy_document=None), spec(RDS), state="absent"), check_mode, calls)
    assert result["changed"] is True
    assert result["roles"] == [{"role_name": APP, "changed": True}, {"role_name": RDS, "changed": False}]
    assert list(result["diff"]["before"]) == [APP] and result["diff"]["after"] == {}


# Bad input and errors


@pytest.mark.parametrize("role, message", [
    (spec(name="bad name"), "roles[0].name: 'bad name' is not a valid role name"),
    (spec(name="x" * 65), "is not a valid role name (Length of role name may not exceed 64)"),
    (spec(path="service"), "roles[0].path: 'service' is not a valid role path"),
    (spec(assume_role_policy_document=None), "roles[0].assume_role_policy_document: missing; required with state=present"),
    (spec(assume_role_policy_document="{not json"), "roles[0].assume_role_policy_document: '{not json' is not valid JSON"),
    (spec(assume_role_policy_document="[1]"), "roles[0].assume_role_policy_document: '[1]' is not a policy document"),
    (spec(inline_policies={"bad name": TASK}), "roles[0].inline_policies: 'bad name' is not a valid policy name"),
    (spec(inline_policies={"task": "nope"}), "roles[0].inline_policies.task: 'nope' is not valid JSON"),
    (spec(managed_policy_arns=["AmazonRDSEnhancedMonitoringRole"]),
     "roles[0].managed_policy_arns: 'AmazonRDSEnhancedMonitoringRole' is not a managed policy ARN"),
    (spec(managed_policy_arns=[f"arn:aws:iam::{ACCOUNT}:role/x"]), "is not a managed policy ARN"),
    (spec(permissions_boundary="boundary"), "roles[0].permissions_boundary: 'boundary' is not a managed policy ARN"),
    (spec(max_session_duration=60), "roles[0].max_session_duration: 60 is out of range; expected 3600 to 43200 seconds"),
])
def test_bad_input_fails_before_any_call(role, message):
    iam = client("iam")
    with Stubber(iam), pytest.raises(FailJson) as failure:
        module.run(FakeModule(params(role)), iam)
    assert message in str(failure.value)


def test_a_role_listed_twice_fails():
    iam = client("iam")
    with Stubber(iam), pytest.raises(FailJson) as failure:
        module.run(FakeModule(params(spec(), spec(description="again"))), iam)
    assert "roles[1].name: 'cloudplatform-prod-role-task-api' is already roles[0]" in str(failure.value)


def test_path_change_fails_before_any_write():
    def calls(stub, check_mode):
        read(stub, live(path="/service/"))

    with pytest.raises(FailJson) as failure:
        converge(params(spec()), False, calls)
    assert "roles[0].path: '/' differs from the path '/service/' of the existing role" in str(failure.value)
    assert "IAM cannot change a role's path" in str(failure.value)


def test_a_refused_write_fails_naming_the_role():
    iam = client("iam")
    with Stubber(iam) as stub:
        read(stub, live(), inline={})
        stub.add_client_error("put_role_policy", "MalformedPolicyDocument", "Policy document should not specify a principal.", 400,
                              expected_params={"RoleName": APP, "PolicyName": "task", "PolicyDocument": json.dumps(TASK)})
        with pytest.raises(AnsibleIAMError) as failure:
            module.run(FakeModule(params()), iam)
    assert failure.value.message == f"role {APP}: Failed to put role policy"
    assert failure.value.exception.response["Error"]["Code"] == "MalformedPolicyDocument"
