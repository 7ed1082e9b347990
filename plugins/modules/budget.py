#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: budget
short_description: Manage an AWS Budgets cost budget and its notifications
version_added: 0.1.0
description:
  - Creates or updates a budget of the account (limit, time unit, type) and its notifications,
    each with its subscribers (SNS topics or e-mail addresses).
  - A notification is identified by its type, operator, threshold and threshold type. A
    notification whose subscribers differ is replaced.
author:
  - cloudplatform.aws contributors (@cloudplatform)
options:
  name:
    description: Name of the budget (unique in the account).
    type: str
    required: true
  state:
    description: Whether the budget should exist.
    type: str
    choices: [present, absent]
    default: present
  limit_amount:
    description: The budgeted amount. Required when O(state=present).
    type: float
  limit_unit:
    description: Currency of O(limit_amount).
    type: str
    default: USD
  time_unit:
    description: The period the budget covers.
    type: str
    choices: [DAILY, MONTHLY, QUARTERLY, ANNUALLY]
    default: MONTHLY
  budget_type:
    description: What the budget tracks.
    type: str
    choices: [COST, USAGE]
    default: COST
  notifications:
    description: The notifications of the budget.
    type: list
    elements: dict
    default: []
    suboptions:
      notification_type:
        description: Actual or forecasted spend.
        type: str
        choices: [ACTUAL, FORECASTED]
        default: ACTUAL
      comparison_operator:
        description: How the spend compares to the threshold.
        type: str
        choices: [GREATER_THAN, LESS_THAN, EQUAL_TO]
        default: GREATER_THAN
      threshold:
        description: The threshold.
        type: float
        required: true
      threshold_type:
        description: Whether O(notifications[].threshold) is a percentage of the limit or an amount.
        type: str
        choices: [PERCENTAGE, ABSOLUTE_VALUE]
        default: PERCENTAGE
      subscribers:
        description: Who is told, as C({subscription_type, address}) (C(SNS) topic ARN or C(EMAIL) address).
        type: list
        elements: dict
        required: true
  purge_notifications:
    description: Delete notifications of the budget that are not in O(notifications).
    type: bool
    default: true
  compare_subscribers:
    description:
      - Read the subscribers of each existing notification (C(DescribeSubscribersForNotification))
        and replace a notification whose subscribers differ.
      - C(false) only sets subscribers when a notification is created.
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    description: Reports what would change and makes no write call.
  diff_mode:
    support: full
    description: Returns the budget and its notifications before and after.
  platform:
    support: full
    platforms: aws
    description: Runs against the AWS Budgets API.
"""

EXAMPLES = r"""
- name: Warn when the monthly cost passes 100 USD or is forecast to
  cloudplatform.aws.budget:
    name: cloudplatform-budget-100
    limit_amount: 100
    notifications:
      - notification_type: ACTUAL
        threshold: 100
        subscribers:
          - subscription_type: SNS
            address: arn:aws:sns:us-east-1:123456789012:cloudplatform-account-warning
      - notification_type: FORECASTED
        threshold: 100
        subscribers:
          - subscription_type: SNS
            address: arn:aws:sns:us-east-1:123456789012:cloudplatform-account-warning
"""

RETURN = r"""
budget:
  description: The budget (empty when absent).
  returned: always
  type: dict
  contains:
    name:
      description: The budget name.
      type: str
    limit_amount:
      description: The budgeted amount.
      type: float
    limit_unit:
      description: The currency.
      type: str
    time_unit:
      description: The period.
      type: str
    budget_type:
      description: The budget type.
      type: str
    notifications:
      description: The notifications (C(notification_type), C(comparison_operator), C(threshold), C(threshold_type)).
      type: list
      elements: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.iam import get_aws_account_id
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudplatform.aws.plugins.module_utils.budgets import (
    AnsibleBudgetsError,
    create_budget,
    create_notification,
    delete_budget,
    delete_notification,
    describe_budget,
    describe_notifications,
    describe_subscribers,
    update_budget,
)


def notification_key(n):
    return (n["NotificationType"], n["ComparisonOperator"], float(n["Threshold"]), n.get("ThresholdType", "PERCENTAGE"))


def notification_dict(n):
    kind, operator, threshold, threshold_type = notification_key(n)
    return dict(notification_type=kind, comparison_operator=operator, threshold=threshold, threshold_type=threshold_type)


def api_notification(n):
    return dict(
        NotificationType=n["notification_type"],
        ComparisonOperator=n["comparison_operator"],
        Threshold=float(n["threshold"]),
        ThresholdType=n["threshold_type"],
    )


def api_subscribers(n):
    return [dict(SubscriptionType=s["subscription_type"], Address=s["address"]) for s in n["subscribers"]]


def subscriber_set(subscribers):
    return sorted((s["SubscriptionType"], s["Address"]) for s in subscribers)


def wanted_budget(params):
    return dict(
        BudgetName=params["name"],
        BudgetLimit=dict(Amount=str(float(params["limit_amount"])), Unit=params["limit_unit"]),
        TimeUnit=params["time_unit"],
        BudgetType=params["budget_type"],
    )


def describe(budget, notifications):
    if not budget:
        return {}
    return dict(
        name=budget["BudgetName"],
        limit_amount=float(budget["BudgetLimit"]["Amount"]),
        limit_unit=budget["BudgetLimit"]["Unit"],
        time_unit=budget["TimeUnit"],
        budget_type=budget["BudgetType"],
        notifications=sorted(
            [notification_dict(n) for n in notifications],
            key=lambda n: (n["notification_type"], n["threshold"]),
        ),
    )


def update_limit(module, client, account_id, current):
    wanted = wanted_budget(module.params)
    same = (
        float(current["BudgetLimit"]["Amount"]) == float(module.params["limit_amount"])
        and current["BudgetLimit"]["Unit"] == wanted["BudgetLimit"]["Unit"]
        and current["TimeUnit"] == wanted["TimeUnit"]
        and current["BudgetType"] == wanted["BudgetType"]
    )
    if same:
        return False
    if not module.check_mode:
        update_budget(client, account_id, wanted)
    return True


def stale_notifications(module, client, account_id, current):
    """Existing notifications to delete: unwanted ones, and (when compared) those whose subscribers differ."""
    wanted = {notification_key(api_notification(n)): n for n in module.params["notifications"]}
    stale = []
    for existing in current:
        key = notification_key(existing)
        if key not in wanted:
            if module.params["purge_notifications"]:
                stale.append(existing)
            continue
        if module.params["compare_subscribers"]:
            live = describe_subscribers(client, account_id, module.params["name"], existing)
            if subscriber_set(live) != subscriber_set(api_subscribers(wanted[key])):
                stale.append(existing)
    return stale


def update_notifications(module, client, account_id, current):
    stale = stale_notifications(module, client, account_id, current)
    stale_keys = {notification_key(n) for n in stale}
    kept = {notification_key(n) for n in current} - stale_keys
    missing = [n for n in module.params["notifications"] if notification_key(api_notification(n)) not in kept]
    if not (stale or missing):
        return False
    if module.check_mode:
        return True
    for notification in stale:
        delete_notification(client, account_id, module.params["name"], notification)
    for n in missing:
        create_notification(client, account_id, module.params["name"], api_notification(n), api_subscribers(n))
    return True


def ensure_present(module, client, account_id, budget, notifications):
    if not budget:
        if not module.check_mode:
            create_budget(
                client,
                account_id,
                wanted_budget(module.params),
                [dict(Notification=api_notification(n), Subscribers=api_subscribers(n)) for n in module.params["notifications"]],
            )
        return True
    changed = update_limit(module, client, account_id, budget)
    changed |= update_notifications(module, client, account_id, notifications)
    return changed


def planned(module):
    budget = wanted_budget(module.params)
    return describe(budget, [api_notification(n) for n in module.params["notifications"]])


def run(module, client, account_id):
    name = module.params["name"]
    budget = describe_budget(client, account_id, name)
    notifications = describe_notifications(client, account_id, name) if budget else []
    before = describe(budget, notifications)
    if module.params["state"] == "absent":
        if budget and not module.check_mode:
            delete_budget(client, account_id, name)
        return dict(changed=bool(budget), budget={}, diff=dict(before=before, after={}))
    changed = ensure_present(module, client, account_id, budget, notifications)
    if not changed:
        after = before
    elif module.check_mode:
        after = planned(module)
    else:
        after = describe(describe_budget(client, account_id, name), describe_notifications(client, account_id, name))
    return dict(changed=changed, budget=after, diff=dict(before=before, after=after))


def main():
    notification_spec = dict(
        notification_type=dict(type="str", choices=["ACTUAL", "FORECASTED"], default="ACTUAL"),
        comparison_operator=dict(type="str", choices=["GREATER_THAN", "LESS_THAN", "EQUAL_TO"], default="GREATER_THAN"),
        threshold=dict(type="float", required=True),
        threshold_type=dict(type="str", choices=["PERCENTAGE", "ABSOLUTE_VALUE"], default="PERCENTAGE"),
        subscribers=dict(type="list", elements="dict", required=True),
    )
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            limit_amount=dict(type="float"),
            limit_unit=dict(type="str", default="USD"),
            time_unit=dict(type="str", choices=["DAILY", "MONTHLY", "QUARTERLY", "ANNUALLY"], default="MONTHLY"),
            budget_type=dict(type="str", choices=["COST", "USAGE"], default="COST"),
            notifications=dict(type="list", elements="dict", default=[], options=notification_spec),
            purge_notifications=dict(type="bool", default=True),
            compare_subscribers=dict(type="bool", default=True),
        ),
        required_if=[("state", "present", ["limit_amount"])],
        supports_check_mode=True,
    )
    client = module.client("budgets")
    try:
        result = run(module, client, get_aws_account_id(module))
    except AnsibleBudgetsError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
