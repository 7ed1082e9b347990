"""The mitogen_linear strategy: one reused interpreter when Mitogen is installed, the builtin linear
strategy without it, and Mitogen's argument-logging debug level never switched on."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "plugins" / "strategy"))

import mitogen_linear  # noqa: E402

SECRET = "s3cr3t-7b1f0c-no-log-value"

# Each command prints the pid of the process that ran the module (the parent of its shell).
PLAYBOOK = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: First module
      ansible.builtin.command: sh -c 'echo "module-pid=$PPID"'
      register: first
    - name: Second module
      ansible.builtin.command: sh -c 'echo "module-pid=$PPID"'
      register: second
    - name: A module argument marked no_log
      ansible.builtin.uri:
        url: http://127.0.0.1:9/unreachable
        url_password: "{secret}"
        url_username: user
        timeout: 1
      ignore_errors: true
    - name: Show the pids
      ansible.builtin.debug:
        msg: "{{{{ first.stdout }}}} {{{{ second.stdout }}}}"
"""


def run(tmp_path, extra_env=None, verbosity="-v"):
    (tmp_path / "play.yml").write_text(PLAYBOOK.format(secret=SECRET))
    env = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_CALLBACKS_ENABLED": "ansible.posix.profile_tasks",
           "ANSIBLE_PYTHON_INTERPRETER": sys.executable, **(extra_env or {})}
    proc = subprocess.run([str(Path(sys.executable).parent / "ansible-playbook"), str(tmp_path / "play.yml"), verbosity,
                           "-i", "localhost,", "-c", "local"],
                          capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-3000:]
    shown = re.search(r"msg: module-pid=(\d+) module-pid=(\d+)", output)
    assert shown, output[-3000:]
    return output, shown.groups()


def test_modules_share_one_interpreter_and_no_log_values_stay_out_of_the_debug_log(tmp_path):
    output, pids = run(tmp_path, {"MITOGEN_LOG_LEVEL": "debug"}, "-vvvv")
    assert len(pids) == 2 and pids[0] == pids[1], output[-3000:]
    assert "MITOGEN_LOG_LEVEL=debug is not used" in output
    assert SECRET not in output


def test_without_mitogen_it_is_the_builtin_linear_strategy(tmp_path):
    # A package that refuses to import stands in for a controller without Mitogen.
    hidden = tmp_path / "hide"
    (hidden / "ansible_mitogen").mkdir(parents=True)
    (hidden / "ansible_mitogen" / "__init__.py").write_text("raise ImportError('hidden for the test')\n")
    output, pids = run(tmp_path, {"PYTHONPATH": str(hidden)})
    assert "the mitogen package is not installed on the controller" in output
    assert len(pids) == 2 and pids[0] != pids[1], output[-3000:]


@pytest.mark.parametrize("asked,reported", [(None, None), ("debug", "debug"), ("INFO", "INFO"), ("warning", None),
                                            ("error", None)])
def test_mitogen_log_level_is_pinned_to_warning(asked, reported):
    environ = {} if asked is None else {"MITOGEN_LOG_LEVEL": asked}
    assert mitogen_linear.quiet_mitogen_logs(environ) == reported
    assert environ["MITOGEN_LOG_LEVEL"] == "WARNING"
