"""cloudplatform.aws.iam_role_set against the emulator: create, idempotence, a change, check mode, absent.

The module runs through tests/integration/playbooks/iam_role_set.yml; every state asserted is read
back with boto3. The tests of this module run in order on the same two roles.
"""

from __future__ import annotations

import json
import re

import pytest

PLAYBOOK = "tests/integration/playbooks/iam_role_set.yml"
INVENTORY = "inventories/local"
APP = "iam-role-set-test-app"
BOUNDED = "iam-role-set-test-bounded"


@pytest.fixture(scope="module")
def managed_arn(aws):
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}
    return aws("iam").create_policy(PolicyName="iam-role-set-test", PolicyDocument=json.dumps(document))["Policy"]["Arn"]


@pytest.fixture(scope="module")
def converge(run_playbook, managed_arn):
    def _run(args=None, **extra):
        # JSON results: the module's return is printed on one line, unwrapped.
        result = run_playbook(PLAYBOOK, INVENTORY, {"iam_role_set_test_managed_arn": managed_arn, **extra}, args,
                              env={"ANSIBLE_CALLBACK_RESULT_FORMAT": "json"})
        assert result.rc == 0, result.output[-3000:]
        return result

    return _run


@pytest.fixture(scope="module")
def first(converge):
    return converge()


def returned_roles(run):
    message = json.loads(re.search(r'"msg": (".*")', run.output).group(1))
    return json.loads(message.removeprefix("ROLES="))


def read_role(iam, name):
    role = iam.get_role(RoleName=name)["Role"]
    return {
        "role": role,
        "tags": {t["Key"]: t["Value"] for t in role.get("Tags", [])},
        "inline": {p: iam.get_role_policy(RoleName=name, PolicyName=p)["PolicyDocument"]
                   for p in iam.list_role_policies(RoleName=name)["PolicyNames"]},
        "managed": [p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]],
    }


def test_first_run_creates_the_roles(first, aws, managed_arn):
    iam = aws("iam")
    app = read_role(iam, APP)
    assert app["role"]["Description"] == "iam_role_set integration test"
    assert app["role"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "ecs-tasks.amazonaws.com"}
    assert sorted(app["inline"]) == ["logs", "read"]
    assert app["inline"]["read"]["Statement"][0]["Action"] == ["s3:GetObject"]
    assert app["managed"] == [managed_arn]
    assert app["tags"] == {"Project": "cloudplatform", "Owner": "platform"}
    bounded = read_role(iam, BOUNDED)
    assert bounded["role"]["Path"] == "/service/"
    assert bounded["role"]["MaxSessionDuration"] == 7200
    assert bounded["role"]["PermissionsBoundary"]["PermissionsBoundaryArn"] == managed_arn
    assert bounded["inline"] == {} and bounded["managed"] == []
    assert [r["arn"] for r in returned_roles(first)] == [app["role"]["Arn"], bounded["role"]["Arn"]]


def test_second_run_changes_and_writes_nothing(first, converge):
    second = converge()
    assert second.changed == 0
    assert second.writes == [], second.write_summary()


def test_check_mode_reports_a_change_without_writing(first, converge, aws):
    check = converge(["--check", "--diff"], iam_role_set_test_owner="security")
    assert check.changed == 1
    assert check.writes == [], check.write_summary()
    assert read_role(aws("iam"), APP)["tags"]["Owner"] == "platform"
    app = returned_roles(check)[0]
    assert app["changed"] is True and app["tags"]["Owner"] == "security" and app["arn"].endswith(":role/" + APP)


def test_a_tag_and_a_policy_change_are_applied(first, converge, aws):
    changed = converge(iam_role_set_test_owner="security", iam_role_set_test_actions=["s3:GetObject", "s3:PutObject"])
    assert changed.changed == 1
    assert changed.write_summary() == ["iam:PutRolePolicy", "iam:TagRole"]
    app = read_role(aws("iam"), APP)
    assert app["tags"]["Owner"] == "security"
    assert app["inline"]["read"]["Statement"][0]["Action"] == ["s3:GetObject", "s3:PutObject"]


def test_absent_deletes_the_roles_and_their_memberships(first, converge, aws):
    iam = aws("iam")
    iam.create_instance_profile(InstanceProfileName="iam-role-set-test")
    iam.add_role_to_instance_profile(InstanceProfileName="iam-role-set-test", RoleName=APP)
    converge(iam_role_set_test_state="absent")
    names = {r["RoleName"] for r in iam.list_roles()["Roles"]}
    assert not {APP, BOUNDED} & names
    assert iam.get_instance_profile(InstanceProfileName="iam-role-set-test")["InstanceProfile"]["Roles"] == []
