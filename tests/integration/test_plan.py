"""The plan an operator reviews before the first apply: `site.yml --check --diff` on an empty account.

Every layer runs in check mode against an account that has nothing of the environment yet; later
layers get marked placeholders for what earlier layers would create (docs/facts.md). The run must
succeed, make no write call, leave the account empty, and say what it would create.
"""

from __future__ import annotations

import re

INVENTORY = "inventories/local"


def test_check_mode_on_an_empty_account_plans_every_layer_and_writes_nothing(run_playbook, aws):
    run = run_playbook("site.yml", INVENTORY, args=["--check", "--diff"])
    assert run.rc == 0, run.output[-5000:]
    assert run.writes == [], run.write_summary()
    assert run.changed >= 30, run.output[-3000:]
    # The load balancer's subnets and security group are placeholders too: it is shown as a plan.
    text = " ".join(run.output.split())
    assert re.search(r"would create load balancer cloudplatform-local-alb \(internet-facing, 3 public subnets\) with an HTTPS "
                     r"listener \(\d+ path rules\)", text), run.output[-5000:]
    assert aws("ec2").describe_vpcs(Filters=[{"Name": "tag:Project", "Values": ["cloudplatform"]}])["Vpcs"] == []
    assert aws("elbv2").describe_load_balancers()["LoadBalancers"] == []
    assert aws("rds").describe_db_instances()["DBInstances"] == []
    assert aws("secretsmanager").list_secrets()["SecretList"] == []
