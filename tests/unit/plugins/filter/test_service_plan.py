import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.cloudplatform.aws.plugins.filter.platform import service_plan

SERVICES = [
    {"name": "ingest", "port": 8080, "capacity_provider": "FARGATE", "min_count": 2, "max_count": 10,
     "scaling": {"cpu_target": 70}},
    {"name": "worker", "capacity_provider": "FARGATE_SPOT", "min_count": 2, "max_count": 20},
]


def test_layers_definition_env_then_override():
    plan = service_plan(
        SERVICES,
        {"cpu": 256, "memory": 512, "capacity_provider": "FARGATE_SPOT", "min_count": 1, "max_count": 2},
        {"worker": {"cpu": 512, "memory": 1024, "scaling": {"memory_target": 80}}},
    )
    ingest, worker = plan
    assert ingest["capacity_provider"] == "FARGATE_SPOT"
    assert (ingest["cpu"], ingest["memory"]) == (256, 512)
    assert (ingest["min_count"], ingest["desired_count"], ingest["max_count"]) == (1, 1, 2)
    assert ingest["scaling"] == {"cpu_target": 70}
    assert (worker["cpu"], worker["memory"]) == (512, 1024)
    assert worker["scaling"] == {"memory_target": 80}
    assert worker["port"] is None and worker["paths"] == []
    assert worker["image_repository"] == "worker"
    assert worker["health_check_path"] == "/health"


def test_input_is_not_modified():
    before = [dict(s) for s in SERVICES]
    service_plan(SERVICES, {"cpu": 256}, {"ingest": {"scaling": {"memory_target": 80}}})
    assert SERVICES == before


def test_override_for_an_unknown_service_is_an_error():
    with pytest.raises(AnsibleFilterError, match="cloudplatform_service_overrides names services that do not exist: nope"):
        service_plan(SERVICES, {}, {"nope": {"cpu": 256}})


def test_entry_without_a_name_is_an_error():
    with pytest.raises(AnsibleFilterError, match=r"cloudplatform_services\[1\] must be a dict with a name"):
        service_plan([{"name": "a"}, {"port": 1}])
