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

# Each command prints the pid of the process that ran the module (the parent of its shell). A second
# play shows whether a warning of the strategy is given once per run.
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
    - name: A module argument marked no_log, sent to a port nothing listens on
      block:
        - name: Call the port
          ansible.builtin.uri:
            url: http://127.0.0.1:9/unreachable
            url_password: "{secret}"
            url_username: user
            timeout: 1
          register: call
      rescue:
        - name: Note the refused call
          ansible.builtin.debug:
            msg: the call failed, as it should
    - name: The module ran with that argument (it got as far as the connection)
      ansible.builtin.assert:
        that: call is failed and 'refused' in call.msg | lower
    - name: Show the pids
      ansible.builtin.debug:
        msg: "{{{{ first.stdout }}}} {{{{ second.stdout }}}}"

- hosts: localhost
  gather_facts: false
  tasks:
    - name: A second play
      ansible.builtin.command: "true"
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


def mitogen_debug_logs():
    return set(Path("/tmp").glob("mitogen.*.log"))


def test_modules_share_one_interpreter_and_no_log_values_stay_out_of_the_debug_log(tmp_path):
    logs_before = mitogen_debug_logs()
    output, pids = run(tmp_path, {"MITOGEN_LOG_LEVEL": "debug", "MITOGEN_ROUTER_DEBUG": "1"}, "-vvvv")
    assert len(pids) == 2 and pids[0] == pids[1], output[-3000:]
    assert output.count("MITOGEN_LOG_LEVEL=debug, MITOGEN_ROUTER_DEBUG=1 not used") == 1
    assert SECRET not in output
    new_logs = mitogen_debug_logs() - logs_before
    assert not [log for log in new_logs if SECRET in log.read_text(errors="replace")]


def test_without_mitogen_it_is_the_builtin_linear_strategy(tmp_path):
    # A package that refuses to import stands in for a controller without Mitogen.
    hidden = tmp_path / "hide"
    (hidden / "ansible_mitogen").mkdir(parents=True)
    (hidden / "ansible_mitogen" / "__init__.py").write_text("raise ImportError('hidden for the test')\n")
    output, pids = run(tmp_path, {"PYTHONPATH": str(hidden)})
    assert output.count("the mitogen package is not installed on the controller") == 1
    assert len(pids) == 2 and pids[0] != pids[1], output[-3000:]


@pytest.mark.parametrize("environ,overridden", [
    ({}, []),
    ({"MITOGEN_LOG_LEVEL": "debug"}, ["MITOGEN_LOG_LEVEL=debug"]),
    ({"MITOGEN_LOG_LEVEL": "INFO"}, ["MITOGEN_LOG_LEVEL=INFO"]),
    ({"MITOGEN_LOG_LEVEL": "warning"}, []),
    ({"MITOGEN_LOG_LEVEL": "error"}, []),
    ({"MITOGEN_ROUTER_DEBUG": "1"}, ["MITOGEN_ROUTER_DEBUG=1"]),
])
def test_mitogen_debug_settings_are_overridden(environ, overridden):
    assert mitogen_linear.quiet_mitogen_logs(environ) == overridden
    assert environ["MITOGEN_LOG_LEVEL"] == "WARNING" and "MITOGEN_ROUTER_DEBUG" not in environ
