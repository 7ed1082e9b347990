"""Network layer on the emulator: the dev shape (one NAT gateway), a second converge that writes
nothing, and a converge interrupted right after its first CreateNatGateway call that, converged
again, leaves exactly the planned NAT gateways and Elastic IPs. State is read back with boto3."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TAGS = ["--tags", "kms,vpc"]


def recap_changed(output: str) -> int:
    match = re.search(r"^localhost\s+:.*?changed=(\d+)", output, re.M)
    assert match, output[-3000:]
    return int(match.group(1))


def vpc_state(aws, name_prefix: str) -> dict:
    ec2 = aws("ec2")
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [f"{name_prefix}-vpc"]}])["Vpcs"]
    assert len(vpcs) == 1, vpcs
    vpc_id = vpcs[0]["VpcId"]
    subnets = {s["SubnetId"]: s for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]}
    nats = ec2.describe_nat_gateways(Filters=[{"Name": "vpc-id", "Values": [vpc_id]},
                                              {"Name": "state", "Values": ["pending", "available"]}])["NatGateways"]
    eips = ec2.describe_addresses(Filters=[{"Name": "tag:Name", "Values": [f"{name_prefix}-eip-nat-*"]}])["Addresses"]
    return {"vpc_id": vpc_id, "subnets": subnets, "nats": nats, "eips": eips}


def subnet_name(subnet: dict) -> str:
    return {t["Key"]: t["Value"] for t in subnet.get("Tags", [])}.get("Name", "")


@pytest.fixture(scope="module")
def dev_converged(run_playbook):
    run = run_playbook("site.yml", "inventories/dev", args=TAGS)
    assert run.rc == 0, run.output[-5000:]
    return run


def test_dev_has_exactly_one_nat_gateway_in_public_subnet_a(dev_converged, aws):
    state = vpc_state(aws, "cloudplatform-dev")
    assert len(state["nats"]) == 1
    nat = state["nats"][0]
    assert subnet_name(state["subnets"][nat["SubnetId"]]) == "cloudplatform-dev-subnet-public-a"
    assert len(state["eips"]) == 1
    assert nat["NatGatewayAddresses"][0]["AllocationId"] == state["eips"][0]["AllocationId"]
    assert len(state["subnets"]) == 9
    tables = aws("ec2").describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [state["vpc_id"]]},
                                                       {"Name": "tag:Name", "Values": ["cloudplatform-dev-rt-app*"]}])["RouteTables"]
    assert len(tables) == 1
    assert {r.get("NatGatewayId") for r in tables[0]["Routes"] if r.get("DestinationCidrBlock") == "0.0.0.0/0"} == {nat["NatGatewayId"]}


def test_second_converge_changes_nothing_and_writes_nothing(dev_converged, run_playbook):
    run = run_playbook("site.yml", "inventories/dev", args=TAGS)
    assert run.rc == 0, run.output[-5000:]
    assert recap_changed(run.output) == 0, run.output[-5000:]
    assert run.writes == [], run.write_summary()


def test_check_diff_on_converged_dev_reports_no_change(dev_converged, run_playbook):
    run = run_playbook("site.yml", "inventories/dev", args=[*TAGS, "--check", "--diff"])
    assert run.rc == 0, run.output[-5000:]
    assert recap_changed(run.output) == 0, run.output[-5000:]
    assert run.writes == [], run.write_summary()


def wait_for_call(log: Path, start: int, action: str, proc: subprocess.Popen, timeout: float = 900) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the converge ended before it called %s" % action
        with log.open(encoding="utf-8") as handle:
            lines = handle.readlines()[start:]
        if any(json.loads(line).get("action") == action for line in lines if line.strip()):
            return
        time.sleep(0.2)
    pytest.fail(f"no {action} call within {timeout} s")


def test_interrupted_converge_leaves_exactly_the_planned_nat_gateways_and_eips(call_log, run_playbook, aws):
    # staging: a fresh environment in the same emulator, one NAT gateway planned.
    with call_log.open(encoding="utf-8") as handle:
        start = sum(1 for _ in handle)
    cmd = [str(Path(sys.executable).parent / "ansible-playbook"), "site.yml", "-i", "inventories/staging", *TAGS]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "ANSIBLE_FORCE_COLOR": "0"})
    try:
        wait_for_call(call_log, start, "CreateNatGateway", proc)
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.terminate()
            proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    output = proc.stdout.read()
    assert proc.returncode != 0, "the converge was not interrupted:\n" + output[-3000:]
    assert "Publish the network facts" not in output

    run = run_playbook("site.yml", "inventories/staging", args=TAGS)
    assert run.rc == 0, run.output[-5000:]
    state = vpc_state(aws, "cloudplatform-staging")
    assert len(state["nats"]) == 1, state["nats"]
    assert len(state["eips"]) == 1, state["eips"]
    all_eips = aws("ec2").describe_addresses()["Addresses"]
    nat_allocations = {a["AllocationId"] for n in state["nats"] for a in n["NatGatewayAddresses"]}
    assert nat_allocations == {state["eips"][0]["AllocationId"]}
    # No untagged Elastic IP was left behind by the interrupted run either.
    assert all({t["Key"] for t in a.get("Tags", [])} >= {"Name"} for a in all_eips), all_eips


def test_check_mode_on_a_fresh_environment_plans_without_writing(run_playbook):
    # prod has never been converged in this emulator: check mode must plan, publish placeholder
    # facts and write nothing.
    run = run_playbook("site.yml", "inventories/prod", args=[*TAGS, "--check"])
    assert run.rc == 0, run.output[-5000:]
    assert run.writes == [], run.write_summary()
    assert "Publish placeholder network facts" in run.output
    assert recap_changed(run.output) > 0
