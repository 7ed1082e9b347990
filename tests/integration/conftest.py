"""Shared fixtures for the integration tests.

Each pytest process (each xdist worker under ``make integration``) starts its own emulator on a
free loopback port and stops it when the session ends; the server also dies with the process that
started it. The emulator is reset before each test module, so a module sees only what it creates
(names such as the dev target groups are account-wide on AWS, and two modules deploy them).
``run_playbook`` runs ansible-playbook from the repo root and returns its output together with
exactly the AWS calls it made, read from the call log, so a test can assert "no write call" at the
HTTP level.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import emulator  # noqa: E402
from calls import read_calls, writes  # noqa: E402

_SERVER = []


def pytest_configure(config):
    """Start this process's emulator and aim every client of the session at it."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    if not hasattr(config, "workerinput") and getattr(config.option, "numprocesses", None):
        return  # the xdist controller runs no test: each worker has its own emulator
    # One log per process: two pytest runs side by side (each with its own emulator) must not count
    # each other's calls.
    log = ROOT / ".cache" / "emulator" / f"integration-{worker}-{os.getpid()}.jsonl"
    server, url = emulator.start(str(log))
    _SERVER.append(server)
    os.environ.update(emulator.client_environment(url, str(log)))


def pytest_unconfigure(config):
    while _SERVER:
        emulator.stop(_SERVER.pop())


def _endpoint() -> str:
    return os.environ["CLOUDPLATFORM_AWS_ENDPOINT_URL"]


@pytest.fixture(scope="module", autouse=True)
def fresh_emulator():
    """Each module starts from an empty account (moto's reset API)."""
    request = urllib.request.Request(f"{_endpoint()}/moto-api/reset", method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=60):  # noqa: S310
        pass


@dataclass
class PlaybookRun:
    rc: int
    output: str
    calls: list = field(default_factory=list)

    @property
    def writes(self) -> list:
        return writes(self.calls)

    def write_summary(self) -> list[str]:
        return sorted({f"{c['service']}:{c['action']}" for c in self.writes})

    @property
    def changed(self) -> int:
        """changed= of the play recap (the inventories have the single host localhost)."""
        match = re.search(r"^localhost\s+:.*?changed=(\d+)", self.output, re.M)
        assert match, self.output[-3000:]
        return int(match.group(1))


@pytest.fixture(scope="session")
def endpoint() -> str:
    return _endpoint()


@pytest.fixture(scope="session")
def call_log() -> Path:
    return Path(os.environ["CLOUDPLATFORM_EMULATOR_LOG"])


def mark(name: str) -> None:
    with urllib.request.urlopen(f"{_endpoint()}/_cloudplatform/mark?name={name}", timeout=10):  # noqa: S310
        pass


def count_lines(path: Path) -> int:
    with path.open(encoding="utf-8") as handle:
        return sum(1 for _ in handle)


@pytest.fixture(scope="session")
def run_playbook(call_log):
    """Run a playbook from the repo root; return rc, output and the AWS calls it made."""

    def _run(playbook: str, inventory: str, extra_vars: dict | None = None, args: list[str] | None = None,
             env: dict | None = None, timeout: int = 1800) -> PlaybookRun:
        cmd = [str(Path(sys.executable).parent / "ansible-playbook"), playbook, "-i", inventory]
        if extra_vars:
            cmd += ["-e", json.dumps(extra_vars)]
        cmd += args or []
        start = count_lines(call_log)
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "ANSIBLE_FORCE_COLOR": "0", **(env or {})}, check=False)
        calls = read_calls(call_log)[start:]
        return PlaybookRun(proc.returncode, proc.stdout + proc.stderr, [c for c in calls if "mark" not in c])

    return _run


@pytest.fixture(scope="session")
def aws(endpoint):
    """boto3 clients on the emulator, for reading state back."""

    def _client(service: str, region: str = "us-east-1"):
        return boto3.client(service, region_name=region, endpoint_url=endpoint)

    return _client
