import time

import emulator_provisioning as provisioning
import pytest


def test_parse_reads_seconds_per_kind():
    assert provisioning.parse("rds=60, nat=2.5,") == {"rds": 60.0, "nat": 2.5}
    assert provisioning.parse("") == {}


def test_parse_names_the_unknown_kind():
    with pytest.raises(ValueError, match=r"unknown kind .ec2.*alb, elasticache, nat, rds"):
        provisioning.parse("ec2=5")


class Resource:
    def __init__(self):
        self.status = "available"


def test_a_resource_describes_as_provisioning_until_its_time_is_up(monkeypatch):
    monkeypatch.setattr(provisioning, "DELAYS", {"thing": 0.3})
    monkeypatch.setattr(Resource, "__init__", Resource.__init__)
    provisioning.provisioning(Resource, "thing", "status", "creating")
    try:
        resource = Resource()
        assert resource.status == "creating"
        resource.status = "modifying"  # states other than available show as they are
        assert resource.status == "modifying"
        resource.status = "available"
        time.sleep(0.35)
        assert resource.status == "available"
        provisioning.DELAYS["thing"] = 0.0
        assert Resource().status == "available"
    finally:
        del Resource.status
