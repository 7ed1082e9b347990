# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Thin, retried wrappers around the AWS Budgets calls (one boto3 call each)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


class AnsibleBudgetsError(AnsibleAWSError):
    pass


class BudgetsErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleBudgetsError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("NotFoundException")


@BudgetsErrorHandler.list_error_handler("describe budget")
@AWSRetry.jittered_backoff()
def describe_budget(client, account_id, name):
    return client.describe_budget(AccountId=account_id, BudgetName=name)["Budget"]


@BudgetsErrorHandler.common_error_handler("create budget")
@AWSRetry.jittered_backoff()
def create_budget(client, account_id, budget, notifications):
    client.create_budget(AccountId=account_id, Budget=budget, NotificationsWithSubscribers=notifications)


@BudgetsErrorHandler.common_error_handler("update budget")
@AWSRetry.jittered_backoff()
def update_budget(client, account_id, budget):
    client.update_budget(AccountId=account_id, NewBudget=budget)


@BudgetsErrorHandler.deletion_error_handler("delete budget")
@AWSRetry.jittered_backoff()
def delete_budget(client, account_id, name):
    client.delete_budget(AccountId=account_id, BudgetName=name)
    return True


@BudgetsErrorHandler.list_error_handler("describe notifications", [])
@AWSRetry.jittered_backoff()
def describe_notifications(client, account_id, name):
    paginator = client.get_paginator("describe_notifications_for_budget")
    return paginator.paginate(AccountId=account_id, BudgetName=name).build_full_result()["Notifications"]


@BudgetsErrorHandler.list_error_handler("describe subscribers", [])
@AWSRetry.jittered_backoff()
def describe_subscribers(client, account_id, name, notification):
    paginator = client.get_paginator("describe_subscribers_for_notification")
    pages = paginator.paginate(AccountId=account_id, BudgetName=name, Notification=notification)
    return pages.build_full_result()["Subscribers"]


@BudgetsErrorHandler.common_error_handler("create notification")
@AWSRetry.jittered_backoff()
def create_notification(client, account_id, name, notification, subscribers):
    client.create_notification(AccountId=account_id, BudgetName=name, Notification=notification, Subscribers=subscribers)


@BudgetsErrorHandler.deletion_error_handler("delete notification")
@AWSRetry.jittered_backoff()
def delete_notification(client, account_id, name, notification):
    client.delete_notification(AccountId=account_id, BudgetName=name, Notification=notification)
    return True
