"""The drift report callback records check-mode changes only, with their diffs."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PLAYBOOK = """
- hosts: localhost
  gather_facts: false
  diff: true
  tasks:
    - name: Would change in check mode
      ansible.builtin.copy: {{content: "new\\n", dest: "{d}/changed.txt"}}
      check_mode: true
    - name: Already right
      ansible.builtin.copy: {{content: "same\\n", dest: "{d}/same.txt"}}
      check_mode: true
    - name: Really changes outside check mode
      ansible.builtin.copy: {{content: "x\\n", dest: "{d}/real.txt"}}
"""


def run(tmp_path, extra_env=None):
    (tmp_path / "changed.txt").write_text("old\n")
    (tmp_path / "same.txt").write_text("same\n")
    (tmp_path / "play.yml").write_text(PLAYBOOK.format(d=tmp_path))
    env = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), **(extra_env or {})}
    env.pop("CLOUDPLATFORM_DRIFT_REPORT_DIR", None) if not extra_env else None
    subprocess.run([str(Path(sys.executable).parent / "ansible-playbook"), str(tmp_path / "play.yml")],
                   check=True, capture_output=True, env=env, cwd=ROOT)


def test_report_lists_only_check_mode_changes_with_before_and_after(tmp_path):
    run(tmp_path)
    report = json.loads((tmp_path / "drift-report" / "drift.json").read_text())
    assert report["drift_count"] == 1
    entry = report["drift"][0]
    assert entry["task"] == "Would change in check mode"
    assert entry["changes"] == [{"before": "old\n", "after": "new\n"}]
    markdown = (tmp_path / "drift-report" / "drift.md").read_text()
    assert "1 resource(s) differ" in markdown and '- "old\\n"' in markdown


def test_report_dir_can_be_moved(tmp_path):
    target = tmp_path / "elsewhere"
    run(tmp_path, {"CLOUDPLATFORM_DRIFT_REPORT_DIR": str(target)})
    assert json.loads((target / "drift.json").read_text())["drift_count"] == 1
    assert not (tmp_path / "drift-report").exists()


def test_modules_without_diff_report_the_arguments_that_differ_from_the_returned_state():
    from ansible_collections.cloudplatform.aws.plugins.callback.drift_report import _diffs

    result = {
        "changed": True,
        "instance": {"backup_retention_period": 3, "db_instance_class": "db.t3.micro", "tags": {"a": "b"}},
        "invocation": {"module_args": {"backup_retention_period": 7, "db_instance_class": "db.t3.micro",
                                       "master_user_password": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER", "tags": {"a": "b"}}},
    }
    assert _diffs(result) == [{"before": {"backup_retention_period": 3}, "after": {"backup_retention_period": 7}}]
    assert _diffs({"changed": True, "diff": {"before": "x", "after": "y"}}) == [{"before": "x", "after": "y"}]


def test_a_list_module_reports_one_entry_per_resource_that_differs():
    from ansible_collections.cloudplatform.aws.plugins.callback.drift_report import _per_resource

    result = {"changed": True, "diff": {
        "before": {"sg-alb": {"rules": [22, 443]}, "sg-app": {"rules": [8000]}, "sg-rds": {"rules": [5432]}},
        "after": {"sg-alb": {"rules": [443]}, "sg-app": {"rules": [8000]}, "sg-new": {"rules": []}},
        "before_header": "security groups sg-alb, sg-new", "after_header": "security groups sg-alb, sg-new"}}
    assert _per_resource("cloudplatform.aws.ec2_security_group_set", result) == [
        ("sg-alb", {"rules": [22, 443]}, {"rules": [443]}),
        ("sg-new", None, {"rules": []}),
        ("sg-rds", {"rules": [5432]}, None),
    ]
    assert _per_resource("amazon.aws.ec2_security_group", result) is None
    assert _per_resource("cloudplatform.aws.iam_role_set", {"diff": {"before": "x", "after": "y"}}) is None
