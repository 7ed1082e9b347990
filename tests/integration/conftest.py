"""Shared fixtures for the integration tests.

The tests run inside ``tools/emulator.py run`` (``make integration``): the emulator endpoint and
its call log come from the environment. ``run_playbook`` runs ansible-playbook from the repo root
and returns its output together with exactly the AWS calls it made, read from the call log, so a
test can assert "no write call" at the HTTP level.
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

from calls import read_calls, writes  # noqa: E402


def _endpoint() -> str:
    url = os.environ.get("CLOUDPLATFORM_AWS_ENDPOINT_URL")
    if not url:
        pytest.fail("integration tests run inside the emulator: use `make integration`")
    return url


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
