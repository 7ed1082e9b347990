"""cloudplatform.aws.ecs_fargate_service_set against a botocore Stubber on the real ECS model.

A Stubber fails on any call it was not told to expect, so every test states the exact calls (and
their parameters) a run makes; "no write call" means the stub held only the reads. The comparison
rules themselves are covered by test_ecs_fargate_service.py (shared module_utils code); these cover
the set: batched reads, one converge per family, the revision handed to the service, check mode,
purge, absent, the diff and bad input.
"""

from __future__ import annotations

import copy

import pytest
from _monitoring_fakes import FailJson, FakeModule, client
from botocore.stub import Stubber

from ansible_collections.cloudplatform.aws.plugins.module_utils.ecs_service import AnsibleECSError, wanted_definition
from ansible_collections.cloudplatform.aws.plugins.modules import ecs_fargate_service_set as module

CLUSTER = "cloudplatform-prod-ecs-cluster"
ACCOUNT = "123456789012"
TAGS = {"Project": "cloudplatform", "Environment": "prod"}
TG_ARN = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:targetgroup/api/0123"


def td_arn(family, revision):
    return f"arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/{family}:{revision}"


def tag_list(tags):
    return [{"key": k, "value": v} for k, v in tags.items()]


def definition(short, **changes):
    """The task_definition options of one service, as the argument spec fills them in."""
    container = {"name": short, "image": f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/{short}:1.0", "essential": True,
                 "readonlyRootFilesystem": True, "environment": [{"name": "B", "value": "2"}, {"name": "A", "value": "1"}]}
    base = dict(family=f"cloudplatform-prod-{short}", container_definitions=[container], cpu="256", memory="512",
                network_mode="awsvpc", requires_compatibilities=["FARGATE"], execution_role_arn="arn:exec",
                task_role_arn=f"arn:task-{short}", cpu_architecture="X86_64", tags=TAGS, purge_tags=True)
    return dict(base, **changes)


def item(short, **changes):
    """One services[] entry, as the argument spec fills it in."""
    base = dict(name=f"cloudplatform-prod-{short}", desired_count=2, preserve_desired_count=True,
                capacity_provider_strategy=[{"capacity_provider": "FARGATE", "weight": 1, "base": 0}],
                subnets=["subnet-b", "subnet-a"], security_groups=["sg-1"], assign_public_ip=False, load_balancers=[],
                minimum_healthy_percent=50, maximum_percent=200, circuit_breaker=True,
                health_check_grace_period_seconds=None, propagate_tags="SERVICE", enable_execute_command=False,
                tags=TAGS, purge_tags=True, task_definition=definition(short))
    return dict(base, **changes)


API = item("api", load_balancers=[{"target_group_arn": TG_ARN, "container_name": "api", "container_port": 8000}],
           health_check_grace_period_seconds=60)
WORKER = item("worker", capacity_provider_strategy=[{"capacity_provider": "FARGATE_SPOT", "weight": 1, "base": 0}])


def params(items, **changes):
    return dict(dict(cluster=CLUSTER, services=items, state="present", wait=True, wait_timeout=600), **changes)


def described(entry, revision=3, **changes):
    """The latest revision as DescribeTaskDefinition answers: defaults filled in, lists reordered."""
    live = copy.deepcopy(wanted_definition(entry["task_definition"]))
    for container in live["containerDefinitions"]:
        container.update(cpu=0, mountPoints=[], volumesFrom=[], environment=list(reversed(container["environment"])))
    live.update(taskDefinitionArn=td_arn(entry["task_definition"]["family"], revision), revision=revision, status="ACTIVE",
                volumes=[], placementConstraints=[], compatibilities=["EC2", "FARGATE"])
    live.update(changes)
    return live


def live_service(entry, revision=3, **changes):
    """The service as DescribeServices answers once it runs this entry with that revision."""
    service = {
        "serviceArn": f"arn:aws:ecs:us-east-1:{ACCOUNT}:service/{CLUSTER}/{entry['name']}",
        "serviceName": entry["name"], "status": "ACTIVE", "desiredCount": 5,
        "taskDefinition": td_arn(entry["task_definition"]["family"], revision),
        "capacityProviderStrategy": [{"capacityProvider": s["capacity_provider"], "weight": s["weight"], "base": s["base"]}
                                     for s in entry["capacity_provider_strategy"]],
        "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-a", "subnet-b"], "securityGroups": ["sg-1"],
                                                         "assignPublicIp": "DISABLED"}},
        "loadBalancers": [{"targetGroupArn": lb["target_group_arn"], "containerName": lb["container_name"],
                           "containerPort": lb["container_port"]} for lb in entry["load_balancers"]],
        "deploymentConfiguration": {"minimumHealthyPercent": 50, "maximumPercent": 200,
                                    "deploymentCircuitBreaker": {"enable": True, "rollback": True}},
        "propagateTags": "SERVICE", "enableExecuteCommand": False, "tags": tag_list(TAGS),
    }
    if entry["health_check_grace_period_seconds"] is not None:
        service["healthCheckGracePeriodSeconds"] = entry["health_check_grace_period_seconds"]
    service.update(changes)
    return service


def expect_services(stub, names, services):
    found = {s["serviceName"] for s in services}
    failures = [{"arn": name, "reason": "MISSING"} for name in names if name not in found]
    stub.add_response("describe_services", {"services": services, "failures": failures},
                      {"cluster": CLUSTER, "services": names, "include": ["TAGS"]})


def expect_family(stub, entry, revision=3, tags=TAGS, **changes):
    stub.add_response("describe_task_definition", {"taskDefinition": described(entry, revision, **changes), "tags": tag_list(tags)},
                      {"taskDefinition": entry["task_definition"]["family"], "include": ["TAGS"]})


def expect_no_family(stub, entry):
    stub.add_client_error("describe_task_definition", "ClientException", "Unable to describe task definition.",
                          expected_params={"taskDefinition": entry["task_definition"]["family"], "include": ["TAGS"]})


def run(items, check_mode=False, **changes):
    """A Stubber on a real ECS client (stub.client), and the call of the module's run() on it."""
    stub = Stubber(client("ecs"))
    return stub, lambda: module.run(FakeModule(params(items, **changes), check_mode), stub.client)


def names(*entries):
    return [e["name"] for e in entries]


@pytest.mark.parametrize("check_mode", [False, True])
def test_converged_set_reads_once_per_ten_services_and_once_per_family(check_mode):
    stub, call = run([API, WORKER], check_mode)
    with stub:
        expect_services(stub, names(API, WORKER), [live_service(WORKER), live_service(API)])
        expect_family(stub, API)
        expect_family(stub, WORKER)
        result = call()
        stub.assert_no_pending_responses()
    assert result["changed"] is False
    assert result["diff"] == {"before": {}, "after": {}}
    assert [s["name"] for s in result["services"]] == names(API, WORKER)
    first = result["services"][0]
    assert first["changed"] is False and first["updated"] == [] and first["differences"] == []
    assert first["service"]["service_arn"].endswith("/cloudplatform-prod-api")
    assert first["service"]["task_definition"] == td_arn("cloudplatform-prod-api", 3)
    assert first["service"]["tags"] == TAGS
    assert first["task_definition"]["task_definition_arn"] == td_arn("cloudplatform-prod-api", 3)
    assert first["task_definition"]["revision"] == 3 and first["task_definition"]["tags"] == TAGS


def test_more_than_ten_services_are_described_ten_at_a_time():
    entries = [item(f"svc{n:02d}") for n in range(12)]
    stub, call = run(entries)
    with stub:
        expect_services(stub, names(*entries[:10]), [live_service(e) for e in entries[:10]])
        expect_services(stub, names(*entries[10:]), [live_service(e) for e in entries[10:]])
        for entry in entries:
            expect_family(stub, entry)
        result = call()
        stub.assert_no_pending_responses()
    assert result["changed"] is False and len(result["services"]) == 12


def test_missing_service_and_family_are_registered_then_created_with_that_revision():
    stub, call = run([API])
    sent = {}
    stub.client.meta.events.register("provide-client-params.ecs.CreateService", lambda params, **_: sent.update(params))
    registered = described(API, revision=1)
    with stub:
        expect_services(stub, names(API), [])
        expect_no_family(stub, API)
        stub.add_response("register_task_definition", {"taskDefinition": registered, "tags": tag_list(TAGS)},
                          dict(wanted_definition(API["task_definition"]), tags=tag_list(TAGS)))
        stub.add_response("create_service", {"service": live_service(API, 1)}, expected_params=None)
        expect_services(stub, names(API), [live_service(API, 1)])
        result = call()
        stub.assert_no_pending_responses()
    assert sent["taskDefinition"] == td_arn("cloudplatform-prod-api", 1)
    assert sent["serviceName"] == API["name"] and sent["cluster"] == CLUSTER and sent["desiredCount"] == 2
    assert sent["healthCheckGracePeriodSeconds"] == 60 and sent["tags"] == tag_list(TAGS)
    assert sent["networkConfiguration"]["awsvpcConfiguration"]["subnets"] == ["subnet-a", "subnet-b"]
    entry = result["services"][0]
    assert result["changed"] is True and entry["changed"] is True and entry["differences"] == ["family"]
    assert entry["task_definition"]["revision"] == 1
    assert entry["service"]["task_definition"] == td_arn("cloudplatform-prod-api", 1)
    assert result["diff"]["before"][API["name"]] == {"service": {}, "task_definition": {}}
    assert result["diff"]["after"][API["name"]]["service"]["service_name"] == API["name"]


def test_check_mode_create_references_the_revision_registered_on_apply():
    stub, call = run([API], check_mode=True)
    with stub:
        expect_services(stub, names(API), [])
        expect_no_family(stub, API)
        result = call()
        stub.assert_no_pending_responses()
    entry = result["services"][0]
    assert result["changed"] is True and entry["changed"] is True
    assert entry["task_definition"]["task_definition_arn"] is None and entry["task_definition"]["revision"] is None
    assert entry["task_definition"]["family"] == "cloudplatform-prod-api" and entry["task_definition"]["tags"] == TAGS
    assert entry["service"]["task_definition"] == "cloudplatform-prod-api (revision registered on apply)"
    assert entry["service"]["service_name"] == API["name"] and "service_arn" not in entry["service"]
    assert entry["service"]["tags"] == TAGS


@pytest.mark.parametrize("check_mode", [False, True])
def test_new_image_registers_one_revision_and_updates_only_that_service(check_mode):
    new_image = definition("api", container_definitions=[dict(API["task_definition"]["container_definitions"][0], image="api:2.0")])
    edited = dict(API, task_definition=new_image)
    stub, call = run([edited, WORKER], check_mode)
    with stub:
        expect_services(stub, names(API, WORKER), [live_service(API), live_service(WORKER)])
        expect_family(stub, API)
        if not check_mode:
            stub.add_response("register_task_definition", {"taskDefinition": described(edited, 4), "tags": tag_list(TAGS)},
                              dict(wanted_definition(new_image), tags=tag_list(TAGS)))
            stub.add_response("update_service", {"service": live_service(API, 4)},
                              {"cluster": CLUSTER, "service": API["name"], "taskDefinition": td_arn("cloudplatform-prod-api", 4)})
        expect_family(stub, WORKER)
        if not check_mode:
            expect_services(stub, names(API), [live_service(API, 4)])
        result = call()
        stub.assert_no_pending_responses()
    api, worker = result["services"]
    assert api["changed"] is True and api["updated"] == ["taskDefinition"] and api["differences"] == ["containerDefinitions"]
    assert worker["changed"] is False
    assert list(result["diff"]["after"]) == [API["name"]]
    assert result["diff"]["before_header"] == f"services {API['name']}"
    if check_mode:
        assert api["task_definition"]["task_definition_arn"] is None
        assert api["service"]["task_definition"] == "cloudplatform-prod-api (revision registered on apply)"
    else:
        assert api["service"]["task_definition"] == td_arn("cloudplatform-prod-api", 4)
    assert result["diff"]["before"][API["name"]]["task_definition"]["revision"] == 3


@pytest.mark.parametrize(("changes", "drift", "field"), [
    ({}, {"healthCheckGracePeriodSeconds": 5}, "healthCheckGracePeriodSeconds"),
    ({}, {"enableExecuteCommand": True}, "enableExecuteCommand"),
    ({}, {"loadBalancers": []}, "loadBalancers"),
    ({}, {"deploymentConfiguration": {"minimumHealthyPercent": 100, "maximumPercent": 200}}, "deploymentConfiguration"),
    ({"preserve_desired_count": False}, {}, "desiredCount"),
])
@pytest.mark.parametrize("check_mode", [False, True])
def test_each_service_drift_is_one_update_service_call(changes, drift, field, check_mode):
    entry = dict(API, **changes)
    wanted = module.planned_service(dict(entry, cluster=CLUSTER, task_definition=td_arn("cloudplatform-prod-api", 3)), None)
    stub, call = run([entry], check_mode)
    with stub:
        expect_services(stub, names(API), [live_service(API, **drift)])
        expect_family(stub, API)
        if not check_mode:
            stub.add_response("update_service", {"service": live_service(API)},
                              {"cluster": CLUSTER, "service": API["name"], field: wanted[field]})
            expect_services(stub, names(API), [live_service(API)])
        result = call()
        stub.assert_no_pending_responses()
    assert result["changed"] is True and result["services"][0]["updated"] == [field]


@pytest.mark.parametrize("check_mode", [False, True])
def test_strategy_change_forces_a_new_deployment(check_mode):
    stub, call = run([WORKER], check_mode)
    with stub:
        expect_services(stub, names(WORKER), [live_service(WORKER, capacityProviderStrategy=[{"capacityProvider": "FARGATE", "weight": 1, "base": 0}])])
        expect_family(stub, WORKER)
        if not check_mode:
            stub.add_response("update_service", {"service": live_service(WORKER)}, {
                "cluster": CLUSTER, "service": WORKER["name"], "forceNewDeployment": True,
                "capacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1, "base": 0}]})
            expect_services(stub, names(WORKER), [live_service(WORKER)])
        result = call()
        stub.assert_no_pending_responses()
    assert result["services"][0]["updated"] == ["capacityProviderStrategy"]


def test_check_mode_plan_keeps_a_preserved_desired_count():
    stub, call = run([API], check_mode=True)
    with stub:
        expect_services(stub, names(API), [live_service(API, enableExecuteCommand=True, desiredCount=7)])
        expect_family(stub, API)
        result = call()
    service = result["services"][0]["service"]
    assert service["desired_count"] == 7 and service["enable_execute_command"] is False
    assert result["diff"]["before"][API["name"]]["service"]["enable_execute_command"] is True


@pytest.mark.parametrize("check_mode", [False, True])
def test_tag_drift_on_the_revision_retags_it_without_registering(check_mode):
    arn = td_arn("cloudplatform-prod-worker", 3)
    stub, call = run([WORKER], check_mode)
    with stub:
        expect_services(stub, names(WORKER), [live_service(WORKER)])
        expect_family(stub, WORKER, tags={"Project": "cloudplatform", "Stale": "x"})
        if not check_mode:
            stub.add_response("untag_resource", {}, {"resourceArn": arn, "tagKeys": ["Stale"]})
            stub.add_response("tag_resource", {}, {"resourceArn": arn, "tags": [{"key": "Environment", "value": "prod"}]})
            stub.add_response("describe_task_definition", {"taskDefinition": described(WORKER), "tags": tag_list(TAGS)},
                              {"taskDefinition": arn, "include": ["TAGS"]})
        result = call()
        stub.assert_no_pending_responses()
    entry = result["services"][0]
    assert entry["changed"] is True and entry["differences"] == [] and entry["updated"] == []
    assert entry["task_definition"]["tags"] == TAGS and entry["task_definition"]["revision"] == 3
    assert result["diff"]["before"][WORKER["name"]]["task_definition"]["tags"] == {"Project": "cloudplatform", "Stale": "x"}


@pytest.mark.parametrize(("purge", "writes"), [(True, True), (False, False)])
def test_purge_tags_decides_whether_a_foreign_service_tag_goes(purge, writes):
    entry = dict(WORKER, purge_tags=purge)
    arn = live_service(WORKER)["serviceArn"]
    stub, call = run([entry])
    with stub:
        expect_services(stub, names(WORKER), [live_service(WORKER, tags=tag_list(dict(TAGS, Foreign="x")))])
        expect_family(stub, WORKER)
        if writes:
            stub.add_response("untag_resource", {}, {"resourceArn": arn, "tagKeys": ["Foreign"]})
            expect_services(stub, names(WORKER), [live_service(WORKER)])
        result = call()
        stub.assert_no_pending_responses()
    assert result["changed"] is writes


def test_services_sharing_a_family_converge_it_once():
    twin = dict(WORKER, name="cloudplatform-prod-worker-2")
    stub, call = run([WORKER, twin])
    with stub:
        expect_services(stub, names(WORKER, twin), [live_service(WORKER), live_service(twin)])
        expect_family(stub, WORKER)
        result = call()
        stub.assert_no_pending_responses()
    assert result["changed"] is False
    assert {s["task_definition"]["task_definition_arn"] for s in result["services"]} == {td_arn("cloudplatform-prod-worker", 3)}


@pytest.mark.parametrize("check_mode", [False, True])
def test_absent_deletes_waits_and_deregisters(check_mode):
    stub, call = run([API, WORKER], check_mode, state="absent")
    arns = [td_arn("cloudplatform-prod-api", n) for n in (2, 1)]
    with stub:
        expect_services(stub, names(API, WORKER), [live_service(API), live_service(WORKER, status="INACTIVE")])
        if not check_mode:
            stub.add_response("update_service", {"service": live_service(API, desiredCount=0)},
                              {"cluster": CLUSTER, "service": API["name"], "desiredCount": 0})
            stub.add_response("delete_service", {"service": live_service(API, status="DRAINING")},
                              {"cluster": CLUSTER, "service": API["name"]})
            stub.add_response("describe_services", {"services": [live_service(API, status="INACTIVE")], "failures": []},
                              {"cluster": CLUSTER, "services": names(API)})  # the waiter, one service per wait
            expect_services(stub, names(API), [live_service(API, status="INACTIVE")])  # the read-back
        stub.add_response("list_task_definitions", {"taskDefinitionArns": arns},
                          {"familyPrefix": "cloudplatform-prod-api", "status": "ACTIVE", "sort": "DESC"})
        if not check_mode:
            for arn in arns:
                stub.add_response("deregister_task_definition", {"taskDefinition": described(API)}, {"taskDefinition": arn})
        stub.add_response("list_task_definitions", {"taskDefinitionArns": []},
                          {"familyPrefix": "cloudplatform-prod-worker", "status": "ACTIVE", "sort": "DESC"})
        result = call()
        stub.assert_no_pending_responses()
    api, worker = result["services"]
    assert api["changed"] is True and api["deregistered"] == arns and api["task_definition"] == {}
    assert worker["changed"] is False and worker["deregistered"] == []
    assert api["service"] == ({} if check_mode else module.snake_service(live_service(API, status="INACTIVE")))
    assert result["diff"]["after"] == {API["name"]: {"service": {}, "task_definition": {"active_revisions": []}}}
    assert result["diff"]["before"][API["name"]]["task_definition"] == {"active_revisions": arns}


@pytest.mark.parametrize(("entries", "message"), [
    ([dict(API, name="bad name")], r"services\[0\]\.name: 'bad name' is not a valid name; use 1 to 255 letters"),
    ([API, dict(WORKER, name=API["name"])], r"services\[1\]\.name: 'cloudplatform-prod-api' is already services\[0\]\.name"),
    ([API, dict(WORKER, task_definition=dict(WORKER["task_definition"], family="cloudplatform-prod-api"))],
     r"services\[1\]\.task_definition\.family: 'cloudplatform-prod-api' is also the family of services\[0\] with a different definition"),
    ([dict(API, task_definition=definition("api", family=""))], r"services\[0\]\.task_definition\.family: '' is not a valid name"),
    ([dict(API, task_definition=definition("api", container_definitions=None))],
     r"services\[0\]\.task_definition\.container_definitions: None; state=present needs a non-empty list"),
    ([dict(API, task_definition=definition("api", container_definitions=[{"name": "api"}]))],
     r"services\[0\]\.task_definition\.container_definitions\[0\]: .* has no name or no image"),
])
def test_bad_input_fails_before_any_call(entries, message):
    stub, call = run(entries)
    with stub, pytest.raises(FailJson, match=message):
        call()


def test_a_service_to_create_without_subnets_fails_after_the_reads_before_any_write():
    entry = dict(API, subnets=None)
    stub, call = run([WORKER, entry])
    with stub:
        expect_services(stub, names(WORKER, API), [live_service(WORKER)])
        with pytest.raises(FailJson, match=r"services\[1\]\.subnets: None; service cloudplatform-prod-api does not exist"):
            call()
        stub.assert_no_pending_responses()


def test_api_errors_name_what_failed():
    stub, call = run([API])
    with stub:
        expect_services(stub, names(API), [])
        expect_no_family(stub, API)
        stub.add_client_error("register_task_definition", "ClientException", "Invalid memory", http_status_code=400)
        with pytest.raises(AnsibleECSError, match="Failed to register task definition"):
            call()
