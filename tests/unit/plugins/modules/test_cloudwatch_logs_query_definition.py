"""cloudplatform.aws.cloudwatch_logs_query_definition against a botocore Stubber on the real Logs model.

The emulator (moto 5.2.5) does not implement query definitions (docs/emulator.md), so every path
of the module runs here: a request the real model rejects fails the test.
"""

from __future__ import annotations

import pytest
from _monitoring_fakes import FakeModule, client
from botocore.stub import ANY, Stubber

from ansible_collections.cloudplatform.aws.plugins.module_utils.cloudwatch import CloudWatchError
from ansible_collections.cloudplatform.aws.plugins.modules import cloudwatch_logs_query_definition as module

NAME = "cloudplatform-prod/error-analysis"
QUERY = "fields @timestamp, @message\n| filter @message like /ERROR/\n| stats count() as errors by bin(5m)"
GROUPS = ["/ecs/cloudplatform-prod/worker", "/ecs/cloudplatform-prod/api"]
ID = "4f3e5c1a-2b6d-4e8f-9a0b-1c2d3e4f5a6b"
DESCRIBE = {"queryDefinitionNamePrefix": NAME, "maxResults": 1000}


def params(**changes):
    return dict(dict(name=NAME, query_string=QUERY, log_group_names=GROUPS, state="present"), **changes)


def definition(query=QUERY, groups=None, name=NAME, id_=ID):
    return {"queryDefinitionId": id_, "name": name, "queryString": query,
            "logGroupNames": groups if groups is not None else list(reversed(GROUPS)), "lastModified": 1}


@pytest.mark.parametrize("check_mode", [False, True])
def test_creates_a_missing_definition(check_mode):
    logs = client("logs")
    with Stubber(logs) as stub:
        # A longer name sharing the prefix is not the one we manage.
        stub.add_response("describe_query_definitions", {"queryDefinitions": [definition(name=NAME + "-old", id_="other")]},
                          DESCRIBE)
        if not check_mode:
            stub.add_response("put_query_definition", {"queryDefinitionId": ID},
                              {"name": NAME, "queryString": QUERY, "logGroupNames": sorted(GROUPS), "clientToken": ANY})
        result = module.run(FakeModule(params(), check_mode), logs)
        stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"] == {"name": NAME, "query_string": QUERY, "log_group_names": sorted(GROUPS)}
    assert result["query_definition"]["query_definition_id"] == (None if check_mode else ID)


@pytest.mark.parametrize("check_mode", [False, True])
def test_converged_definition_makes_no_write(check_mode):
    logs = client("logs")
    with Stubber(logs) as stub:
        stub.add_response("describe_query_definitions", {"queryDefinitions": [definition()]}, DESCRIBE)
        result = module.run(FakeModule(params(), check_mode), logs)
        stub.assert_no_pending_responses()
    assert result["changed"] is False
    assert result["diff"]["before"] == result["diff"]["after"]


@pytest.mark.parametrize("check_mode", [False, True])
def test_changed_query_is_updated_in_place(check_mode):
    logs = client("logs")
    with Stubber(logs) as stub:
        stub.add_response("describe_query_definitions", {"queryDefinitions": [definition(query="fields @message")]}, DESCRIBE)
        if not check_mode:
            stub.add_response("put_query_definition", {"queryDefinitionId": ID},
                              {"name": NAME, "queryString": QUERY, "logGroupNames": sorted(GROUPS),
                               "queryDefinitionId": ID, "clientToken": ANY})
        result = module.run(FakeModule(params(), check_mode), logs)
        stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["diff"]["before"]["query_string"] == "fields @message"
    assert result["diff"]["after"]["query_string"] == QUERY


def test_pages_through_definitions_and_reports_duplicates():
    logs = client("logs")
    with Stubber(logs) as stub:
        stub.add_response("describe_query_definitions", {"queryDefinitions": [definition()], "nextToken": "page2"}, DESCRIBE)
        stub.add_response("describe_query_definitions", {"queryDefinitions": [definition(id_="dup")]},
                          dict(DESCRIBE, nextToken="page2"))
        result = module.run(FakeModule(params()), logs)
        stub.assert_no_pending_responses()
    assert result["changed"] is False
    assert result["duplicates"] == ["dup"]


@pytest.mark.parametrize("check_mode", [False, True])
def test_deletes_a_definition(check_mode):
    logs = client("logs")
    with Stubber(logs) as stub:
        stub.add_response("describe_query_definitions", {"queryDefinitions": [definition()]}, DESCRIBE)
        if not check_mode:
            stub.add_response("delete_query_definition", {"success": True}, {"queryDefinitionId": ID})
        result = module.run(FakeModule(params(state="absent", query_string=None), check_mode), logs)
        stub.assert_no_pending_responses()
    assert result["changed"] is True and result["query_definition"] == {}


def test_absent_definition_stays_absent():
    logs = client("logs")
    with Stubber(logs) as stub:
        stub.add_response("describe_query_definitions", {"queryDefinitions": []}, DESCRIBE)
        result = module.run(FakeModule(params(state="absent", query_string=None)), logs)
    assert result["changed"] is False


def test_api_errors_are_raised_with_what_failed():
    logs = client("logs")
    with Stubber(logs) as stub:
        stub.add_response("describe_query_definitions", {"queryDefinitions": []}, DESCRIBE)
        stub.add_client_error("put_query_definition", "InvalidParameterException", "bad query", http_status_code=400)
        with pytest.raises(CloudWatchError, match="Failed to put query definition"):
            module.run(FakeModule(params()), logs)
