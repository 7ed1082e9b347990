"""site.yml, drift.yml and teardown.yml run the same roles: same order, reversed for teardown."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def roles(playbook, phases=False):
    """(role, tags) of each entry; with phases, also the entry's *_phase parameter (None when unset)."""
    play = yaml.safe_load((ROOT / playbook).read_text())[0]
    return [(r["role"], r.get("tags"), *([next((v for k, v in r.items() if k.endswith("_phase")), None)] if phases else []))
            for r in play["roles"]]


def test_every_role_runs_in_site_yml_with_its_own_tag():
    site = roles("site.yml")
    assert site[0] == ("cloudplatform.aws.preflight", ["always"])
    for name, tags in site[1:]:
        assert tags == [name.rsplit(".", 1)[-1]], f"{name} should be tagged with its own name, got {tags}"
    on_disk = sorted(p.name for p in (ROOT / "roles").iterdir() if (p / "tasks").is_dir())
    in_site = sorted(name.rsplit(".", 1)[-1] for name, _ in site)
    assert set(on_disk) - set(in_site) <= {"account_baseline"}, "roles missing from site.yml"


def test_drift_runs_the_site_roles_in_check_mode():
    plays = yaml.safe_load((ROOT / "playbooks/drift.yml").read_text())
    assert plays[0]["check_mode"] is True and plays[0]["diff"] is True
    assert roles("playbooks/drift.yml", phases=True) == roles("site.yml", phases=True)


def test_site_starts_the_data_stores_early_and_waits_for_them_before_the_services():
    site = [(name.rsplit(".", 1)[-1], phase) for name, _tags, phase in roles("site.yml", phases=True)]
    order = {entry: index for index, entry in enumerate(site)}
    assert order[("rds", "start")] < order[("elasticache", "start")] < order[("alb", None)] < order[("rds", "ready")]
    assert order[("elasticache", "start")] < order[("elasticache", "ready")] < order[("ecs_service", None)]
    assert order[("rds", "ready")] < order[("ecs_service", None)]


def test_teardown_runs_the_site_roles_in_reverse():
    # The ready phase of a data store only waits and publishes: a teardown has nothing to do there.
    site = [(name, tags) for name, tags, phase in roles("site.yml", phases=True) if phase != "ready"]
    assert roles("playbooks/teardown.yml") == [site[0], *reversed(site[1:])]
    play = yaml.safe_load((ROOT / "playbooks/teardown.yml").read_text())[0]
    assert play["vars"]["cloudplatform_state"] == "absent"
