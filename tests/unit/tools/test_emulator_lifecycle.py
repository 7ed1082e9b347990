"""No emulator process outlives its runner: on success, on failure, on Ctrl-C, even on SIGKILL."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
EMULATOR = [sys.executable, str(ROOT / "tools" / "emulator.py"), "run"]


def servers_of(log: Path) -> list[int]:
    """PIDs of emulator servers writing to this test's own log file."""
    out = subprocess.run(["ps", "-ww", "-eo", "pid=,args="], capture_output=True, text=True, check=True).stdout
    return [int(line.split()[0]) for line in out.splitlines() if "emulator.py serve" in line and str(log) in line]


def wait_gone(log: Path, timeout: float = 15) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and servers_of(log):
        time.sleep(0.2)
    return servers_of(log)


@pytest.fixture
def start(tmp_path):
    """Start a runner; whatever the test does, no runner or server survives it."""
    started = []

    def _start(*command: str) -> tuple[subprocess.Popen, Path]:
        log = tmp_path / "calls.jsonl"
        proc = subprocess.Popen([*EMULATOR, "--log", str(log), "--", *command], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        started.append((proc, log))
        return proc, log

    yield _start
    for proc, log in started:
        if proc.poll() is None:
            proc.kill()
        for pid in servers_of(log):
            os.kill(pid, signal.SIGKILL)


def wait_running(proc: subprocess.Popen, log: Path) -> None:
    """Wait for the runner's "emulator: moto on ..." line: the server answers and the command runs."""
    for line in proc.stdout:
        if line.startswith("emulator: moto on"):
            assert servers_of(log), "the runner reported a server that is not running"
            return
    pytest.fail(f"the emulator did not start (runner exited with {proc.wait()})")


@pytest.mark.parametrize(("command", "code"), [(("true",), 0), (("false",), 1)])
def test_stopped_when_the_command_ends(start, command, code):
    proc, log = start(*command)
    assert proc.wait(timeout=90) == code
    assert wait_gone(log) == []


def test_the_command_gets_the_endpoint_and_reaches_the_emulator(start):
    script = ("import boto3, os; assert os.environ['CLOUDPLATFORM_AWS_ENDPOINT_URL'].startswith('http://127.0.0.1:'); "
              "boto3.client('sts', region_name='us-east-1').get_caller_identity()")
    proc, log = start(sys.executable, "-c", script)
    assert proc.wait(timeout=90) == 0, proc.stdout.read()
    assert '"action": "GetCallerIdentity"' in log.read_text()
    assert wait_gone(log) == []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_stopped_when_interrupted(start, signum):
    proc, log = start("sleep", "120")
    wait_running(proc, log)
    proc.send_signal(signum)
    assert proc.wait(timeout=30) == 128 + signum
    assert wait_gone(log) == []


def test_stopped_even_when_the_runner_is_killed(start):
    proc, log = start("sleep", "120")
    wait_running(proc, log)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert wait_gone(log) == []


def test_a_server_started_in_process_dies_with_its_process(tmp_path):
    """The integration tests' path (each pytest-xdist worker calls emulator.start()): killing the
    worker, however abruptly, takes its emulator with it."""
    log = tmp_path / "worker.jsonl"
    script = ("import sys, time; sys.path.insert(0, 'tools'); import emulator; "
              f"server, url = emulator.start({str(log)!r}); print(url, flush=True); time.sleep(120)")
    worker = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert worker.stdout.readline().startswith("http://127.0.0.1:")
        assert servers_of(log)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        assert wait_gone(log) == []
    finally:
        if worker.poll() is None:
            worker.kill()
        for pid in servers_of(log):
            os.kill(pid, signal.SIGKILL)
