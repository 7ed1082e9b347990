"""Unit tests for cloudplatform.aws.budget.

The emulator (moto 5.2.5) has no DescribeSubscribersForNotification and no UpdateBudget, so the
subscriber comparison and the limit update run here against a botocore Stubber on the real
Budgets service model.
"""

from __future__ import annotations

import pytest
from _account_fakes import FakeModule, client
from botocore.stub import Stubber

from ansible_collections.cloudplatform.aws.plugins.module_utils.budgets import AnsibleBudgetsError
from ansible_collections.cloudplatform.aws.plugins.modules import budget as module

ACCOUNT = "123456789012"
NAME = "cloudplatform-account-monthly-100-usd"
TOPIC = "arn:aws:sns:us-east-1:123456789012:cloudplatform-account-warning"
OTHER = "arn:aws:sns:us-east-1:123456789012:other"


def notification(kind="ACTUAL"):
    return {"NotificationType": kind, "ComparisonOperator": "GREATER_THAN", "Threshold": 100.0, "ThresholdType": "PERCENTAGE"}


def wanted_notification(kind="ACTUAL", topic=TOPIC):
    return dict(notification_type=kind, comparison_operator="GREATER_THAN", threshold=100.0, threshold_type="PERCENTAGE",
                subscribers=[dict(subscription_type="SNS", address=topic)])


def params(**overrides):
    base = dict(name=NAME, state="present", limit_amount=100.0, limit_unit="USD", time_unit="MONTHLY", budget_type="COST",
                notifications=[wanted_notification("ACTUAL"), wanted_notification("FORECASTED")],
                purge_notifications=True, compare_subscribers=True)
    return dict(base, **overrides)


def budget(amount="100.0"):
    return {"Budget": {"BudgetName": NAME, "BudgetLimit": {"Amount": amount, "Unit": "USD"}, "TimeUnit": "MONTHLY", "BudgetType": "COST"}}


def read(stub, amount="100.0", notifications=("ACTUAL", "FORECASTED")):
    stub.add_response("describe_budget", budget(amount), {"AccountId": ACCOUNT, "BudgetName": NAME})
    stub.add_response("describe_notifications_for_budget", {"Notifications": [notification(k) for k in notifications]},
                      {"AccountId": ACCOUNT, "BudgetName": NAME})


def subscribers(stub, kind, topic=TOPIC):
    stub.add_response("describe_subscribers_for_notification", {"Subscribers": [{"SubscriptionType": "SNS", "Address": topic}]},
                      {"AccountId": ACCOUNT, "BudgetName": NAME, "Notification": notification(kind)})


@pytest.mark.parametrize("check_mode", [False, True])
def test_creates_the_budget_with_its_notifications(check_mode):
    budgets = client("budgets")
    with Stubber(budgets) as stub:
        stub.add_client_error("describe_budget", "NotFoundException", http_status_code=400)
        if not check_mode:
            stub.add_response("create_budget", {}, {
                "AccountId": ACCOUNT,
                "Budget": {"BudgetName": NAME, "BudgetLimit": {"Amount": "100.0", "Unit": "USD"}, "TimeUnit": "MONTHLY", "BudgetType": "COST"},
                "NotificationsWithSubscribers": [
                    {"Notification": notification(k), "Subscribers": [{"SubscriptionType": "SNS", "Address": TOPIC}]} for k in ("ACTUAL", "FORECASTED")
                ],
            })
            read(stub)
        result = module.run(FakeModule(params(), check_mode), budgets, ACCOUNT)
        stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["budget"]["limit_amount"] == 100.0
    assert [n["notification_type"] for n in result["budget"]["notifications"]] == ["ACTUAL", "FORECASTED"]


@pytest.mark.parametrize("check_mode", [False, True])
def test_converged_budget_makes_no_write(check_mode):
    budgets = client("budgets")
    with Stubber(budgets) as stub:
        read(stub)
        subscribers(stub, "ACTUAL")
        subscribers(stub, "FORECASTED")
        result = module.run(FakeModule(params(), check_mode), budgets, ACCOUNT)
        stub.assert_no_pending_responses()
    assert result["changed"] is False


@pytest.mark.parametrize("check_mode", [False, True])
def test_subscriber_drift_replaces_the_notification(check_mode):
    budgets = client("budgets")
    with Stubber(budgets) as stub:
        read(stub)
        subscribers(stub, "ACTUAL", topic=OTHER)
        subscribers(stub, "FORECASTED")
        if not check_mode:
            stub.add_response("delete_notification", {}, {"AccountId": ACCOUNT, "BudgetName": NAME, "Notification": notification("ACTUAL")})
            stub.add_response("create_notification", {}, {"AccountId": ACCOUNT, "BudgetName": NAME, "Notification": notification("ACTUAL"),
                                                          "Subscribers": [{"SubscriptionType": "SNS", "Address": TOPIC}]})
            read(stub)
        result = module.run(FakeModule(params(), check_mode), budgets, ACCOUNT)
        stub.assert_no_pending_responses()
    assert result["changed"] is True


def test_without_subscriber_comparison_no_subscriber_call():
    budgets = client("budgets")
    with Stubber(budgets) as stub:
        read(stub)
        result = module.run(FakeModule(params(compare_subscribers=False)), budgets, ACCOUNT)
        stub.assert_no_pending_responses()
    assert result["changed"] is False


@pytest.mark.parametrize("check_mode", [False, True])
def test_limit_change_updates_the_budget(check_mode):
    budgets = client("budgets")
    with Stubber(budgets) as stub:
        read(stub, amount="50.0")
        if not check_mode:
            stub.add_response("update_budget", {}, {"AccountId": ACCOUNT, "NewBudget": budget()["Budget"]})
            read(stub)
        result = module.run(FakeModule(params(compare_subscribers=False), check_mode), budgets, ACCOUNT)
        stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["diff"]["before"]["limit_amount"] == 50.0
    assert result["diff"]["after"]["limit_amount"] == 100.0


@pytest.mark.parametrize("check_mode", [False, True])
def test_unlisted_notification_is_purged(check_mode):
    budgets = client("budgets")
    with Stubber(budgets) as stub:
        read(stub)
        if not check_mode:
            stub.add_response("delete_notification", {}, {"AccountId": ACCOUNT, "BudgetName": NAME, "Notification": notification("FORECASTED")})
            read(stub, notifications=("ACTUAL",))
        result = module.run(FakeModule(params(notifications=[wanted_notification("ACTUAL")], compare_subscribers=False), check_mode),
                            budgets, ACCOUNT)
        stub.assert_no_pending_responses()
    assert result["changed"] is True


@pytest.mark.parametrize("check_mode", [False, True])
def test_absent_deletes(check_mode):
    budgets = client("budgets")
    with Stubber(budgets) as stub:
        read(stub)
        if not check_mode:
            stub.add_response("delete_budget", {}, {"AccountId": ACCOUNT, "BudgetName": NAME})
        result = module.run(FakeModule(params(state="absent"), check_mode), budgets, ACCOUNT)
        stub.assert_no_pending_responses()
    assert result["changed"] is True


def test_access_denied_is_raised():
    budgets = client("budgets")
    with Stubber(budgets) as stub:
        stub.add_client_error("describe_budget", "AccessDeniedException", http_status_code=400)
        with pytest.raises(AnsibleBudgetsError):
            module.run(FakeModule(params()), budgets, ACCOUNT)
