"""Operations: deploy and drift through ansible-runner the way AWX runs them, a whole-stack
converge that rides out throttling, drift detection of out-of-band changes, and a teardown that
leaves nothing tagged with the environment.

One converge of the `dev` inventory (aimed at the emulator by the environment the test suite runs
in) serves every test of this module; the tests run in order. That converge runs with 20% of the
AWS requests answered with throttling errors or 503s, as a large account sees them.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path

import ansible_runner
import pytest

ROOT = Path(__file__).resolve().parents[2]
ENV = "dev"
FAULT_RATE = 0.2
# What the emulator cannot serve for a real inventory (docs/emulator.md): CloudWatch Logs query
# definitions. The module is covered by Stubber tests; the local inventory turns it off the same way.
EMULATOR_GAPS = {"monitoring_query_definitions_enabled": False}
TAGS = {"Project": "cloudplatform", "Environment": ENV}


def awx_run(tmp_path: Path, playbook: str, report_dir: Path, extravars: dict | None = None):
    """Run a playbook as AWX does: private data dir, project directory, inventory, extra vars."""
    # One private data dir per run: ansible-runner keeps the env/ files of an earlier run in the
    # same dir, which would send a second drift report to the first report's directory.
    private = tmp_path / f"runner-{playbook.replace('/', '-')}-{report_dir.name}"
    private.mkdir()
    return ansible_runner.run(
        private_data_dir=str(private),
        project_dir=str(ROOT),
        playbook=playbook,
        inventory=str(ROOT / "inventories" / ENV),
        extravars={**EMULATOR_GAPS, **(extravars or {})},
        envvars={"CLOUDPLATFORM_DRIFT_REPORT_DIR": str(report_dir), "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg")},
        quiet=True,
    )


def stdout(run) -> str:
    return run.stdout.read() if hasattr(run.stdout, "read") else str(run.stdout)


def set_fault_rate(endpoint: str, rate: float) -> None:
    with urllib.request.urlopen(f"{endpoint}/_cloudplatform/faults?rate={rate}", timeout=10):  # noqa: S310
        pass


@pytest.fixture(scope="module")
def deployed(tmp_path_factory, endpoint, call_log):
    from calls import read_calls

    tmp = tmp_path_factory.mktemp("ops")
    before = len(read_calls(call_log))
    set_fault_rate(endpoint, FAULT_RATE)
    try:
        run = awx_run(tmp, "site.yml", tmp / "drift")
    finally:
        set_fault_rate(endpoint, 0)
    calls = read_calls(call_log)[before:]
    assert run.status == "successful", stdout(run)[-5000:]
    faults = sum(1 for c in calls if c.get("fault"))
    assert faults >= 0.1 * len(calls), f"only {faults} of {len(calls)} requests were faulted"
    return tmp


def test_the_throttled_converge_made_no_duplicates(deployed, aws):
    ec2 = aws("ec2")
    filters = [{"Name": "tag:Environment", "Values": [ENV]}]
    assert len(ec2.describe_vpcs(Filters=filters)["Vpcs"]) == 1
    assert len(ec2.describe_subnets(Filters=filters)["Subnets"]) == 9
    live_nats = [n for n in ec2.describe_nat_gateways(Filters=filters)["NatGateways"] if n["State"] != "deleted"]
    assert len(live_nats) == 1
    assert len(ec2.describe_addresses(Filters=filters)["Addresses"]) == 1


def read_report(path: Path) -> dict:
    return json.loads((path / "drift.json").read_text())


def test_drift_on_an_untouched_stack_lists_nothing(deployed, call_log):
    from calls import read_calls, writes

    before = len(read_calls(call_log))
    report_dir = deployed / "drift-clean"
    run = awx_run(deployed, "playbooks/drift.yml", report_dir)
    assert run.status == "successful" and run.rc == 0, stdout(run)[-5000:]
    report = read_report(report_dir)
    assert report["drift_count"] == 0, json.dumps(report, indent=2)
    assert writes(read_calls(call_log)[before:]) == []


def test_out_of_band_changes_are_reported_and_fail_the_run(deployed, aws, call_log):
    from calls import read_calls, writes

    ec2, rds = aws("ec2"), aws("rds")
    group = ec2.describe_security_groups(Filters=[{"Name": "tag:Environment", "Values": [ENV]},
                                                  {"Name": "group-name", "Values": [f"cloudplatform-{ENV}-sg-alb"]}])
    group_id = group["SecurityGroups"][0]["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=group_id, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    instance = f"cloudplatform-{ENV}-rds-postgres"
    rds.modify_db_instance(DBInstanceIdentifier=instance, BackupRetentionPeriod=3, ApplyImmediately=True)

    before = len(read_calls(call_log))
    report_dir = deployed / "drift-changed"
    run = awx_run(deployed, "playbooks/drift.yml", report_dir)
    assert run.status == "failed" and run.rc != 0, stdout(run)[-5000:]
    assert writes(read_calls(call_log)[before:]) == [], "the drift run must not write"
    report = read_report(report_dir)
    resources = sorted({entry["resource"] for entry in report["drift"]})
    assert len(resources) == 2, json.dumps(report, indent=2)
    text = json.dumps(report)
    assert group_id in text or f"cloudplatform-{ENV}-sg-alb" in text
    assert instance in text
    rds_entry = next(e for e in report["drift"] if instance in json.dumps(e))
    changes = json.dumps(rds_entry["changes"])
    assert "3" in changes and "7" in changes, rds_entry
    assert (report_dir / "drift.md").read_text().count("## ") == 2


def test_teardown_leaves_nothing_tagged_with_the_environment(deployed, aws):
    """Nothing tagged with the environment (tagging API) or named after it (each service's describes).

    The KMS key and the secrets wait out their recovery window (30 days, decisions.md) before AWS
    deletes them, and a final database snapshot is kept where rds_final_snapshot is on: those are
    checked to be in that state instead (molecule/default/teardown_leftovers.py).
    """
    sys.path.insert(0, str(ROOT / "molecule" / "default"))
    import teardown_leftovers

    before = teardown_leftovers.tagged("cloudplatform", ENV)
    assert before, "the deployed environment has tagged resources"
    run = awx_run(deployed, "playbooks/teardown.yml", deployed / "drift-teardown")
    assert run.status == "successful", stdout(run)[-5000:]
    found = teardown_leftovers.report("cloudplatform", ENV)
    assert found["leftovers"] == {}, found
    assert {arn.split(":")[2] for arn in found.get("in_recovery_window", [])} == {"kms", "secretsmanager"}, found
    ec2 = aws("ec2")
    assert [n for n in ec2.describe_nat_gateways()["NatGateways"] if n["State"] not in ("deleted", "deleting")] == []


def test_teardown_run_again_on_the_torn_down_environment_succeeds(deployed):
    """An interrupted or repeated teardown is run again: every layer finds its resources gone."""
    sys.path.insert(0, str(ROOT / "molecule" / "default"))
    import teardown_leftovers

    run = awx_run(deployed, "playbooks/teardown.yml", deployed / "drift-teardown-again")
    assert run.status == "successful", stdout(run)[-5000:]
    assert teardown_leftovers.report("cloudplatform", ENV)["leftovers"] == {}


def test_prod_teardown_without_confirmation_fails_before_any_call(run_playbook, endpoint):
    result = run_playbook("playbooks/teardown.yml", "inventories/prod", extra_vars={"cloudplatform_aws_endpoint_url": endpoint})
    assert result.rc != 0
    assert "teardown_confirm" in result.output
    assert result.calls == []
