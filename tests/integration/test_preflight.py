"""Broken inventories fail in the preflight validation, naming the variable, with no AWS call."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SERVICES = yaml.safe_load((ROOT / "group_vars/all/services.yml").read_text())["cloudplatform_services"]


def broken_inventory(tmp_path: Path, env: str, override: dict) -> str:
    inv = tmp_path / env
    shutil.copytree(ROOT / "inventories" / env, inv)
    (inv / "group_vars" / env / "zz_broken.yml").write_text(yaml.safe_dump(override))
    return str(inv)


def with_service_change(index: int, **change) -> list:
    services = json.loads(json.dumps(SERVICES))
    services[index].update(change)
    return services


CASES = {
    "subnet outside the VPC": (
        "prod", {"vpc_subnet_cidrs": {"public": ["10.2.1.0/24", "10.2.2.0/24", "10.2.3.0/24"],
                                      "app": ["10.9.11.0/24", "10.2.12.0/24", "10.2.13.0/24"],
                                      "data": ["10.2.21.0/24", "10.2.22.0/24", "10.2.23.0/24"]}},
        ["vpc_subnet_cidrs.app[0]", "10.9.11.0/24", "outside vpc_cidr 10.2.0.0/16"]),
    "two overlapping subnets": (
        "prod", {"vpc_subnet_cidrs": {"public": ["10.2.1.0/24", "10.2.2.0/24", "10.2.3.0/24"],
                                      "app": ["10.2.11.0/24", "10.2.11.128/25", "10.2.13.0/24"],
                                      "data": ["10.2.21.0/24", "10.2.22.0/24", "10.2.23.0/24"]}},
        ["vpc_subnet_cidrs.app[1]", "10.2.11.128/25", "overlaps vpc_subnet_cidrs.app[0]"]),
    "port 70000": (
        "prod", {"cloudplatform_services": with_service_change(1, port=70000)},
        ["cloudplatform_services[1] (api).port", "70000", "1-65535"]),
    "two services with the same name": (
        "prod", {"cloudplatform_services": with_service_change(1, name="ingest", paths=["/v2/*"])},
        ["cloudplatform_services[1].name", "'ingest'", "must be unique"]),
    "prod database without Multi-AZ": (
        "prod", {"rds_multi_az": False},
        ["rds_multi_az", "False", "expected true"]),
    "one subnet missing in a tier": (
        "dev", {"vpc_subnet_cidrs": {"public": ["10.0.1.0/24", "10.0.2.0/24"],
                                     "app": ["10.0.11.0/24", "10.0.12.0/24", "10.0.13.0/24"],
                                     "data": ["10.0.21.0/24", "10.0.22.0/24", "10.0.23.0/24"]}},
        ["vpc_subnet_cidrs.public", "one subnet per AZ per tier"]),
    "wrong type caught by an argument spec": (
        "dev", {"cloudplatform_az_count": "three"},
        ["cloudplatform_az_count"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_broken_inventory_fails_before_any_aws_call(case, tmp_path, run_playbook, endpoint):
    env, override, expected = CASES[case]
    result = run_playbook("site.yml", broken_inventory(tmp_path, env, override),
                          extra_vars={"cloudplatform_aws_endpoint_url": endpoint})
    assert result.rc != 0, result.output
    assert "preflight" in result.output
    for fragment in expected:
        assert fragment in result.output, f"{fragment!r} missing from:\n{result.output[-3000:]}"
    assert result.calls == [], f"AWS calls made before validation failed: {result.calls}"


def test_local_inventory_refuses_to_run_without_the_emulator(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("CLOUDPLATFORM_AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL")}
    proc = subprocess.run([str(Path(sys.executable).parent / "ansible-playbook"), "site.yml", "-i", "inventories/local"],
                          cwd=ROOT, capture_output=True, text=True, env=env, check=False, timeout=300)
    assert proc.returncode != 0
    assert "cloudplatform_aws_endpoint_url is unset" in proc.stdout + proc.stderr


@pytest.mark.parametrize(("env", "expected"), [("prod", 90), ("dev", 30), ("local", 90)])
def test_environment_value_beats_the_shared_default(env, expected):
    """group_vars/all (beside site.yml) says 30; inventories/prod says 90 and must win."""
    shared = yaml.safe_load((ROOT / "group_vars/all/main.yml").read_text())
    assert shared["cloudplatform_log_retention_days"] == 30
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "ansible"), "localhost", "-i", f"inventories/{env}", "--playbook-dir", ".",
         "-m", "ansible.builtin.debug", "-a", "var=cloudplatform_log_retention_days"],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=120,
        env={**os.environ, "ANSIBLE_CALLBACK_RESULT_FORMAT": "json"})
    assert f'"cloudplatform_log_retention_days": {expected}' in proc.stdout, proc.stdout
