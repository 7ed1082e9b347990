"""The stubbed CloudWatch Logs client of the Logs list module tests (each test file makes it a fixture)."""

from __future__ import annotations

from _monitoring_fakes import client
from botocore.stub import Stubber


def logs_stub():
    """A Stubber on a real CloudWatch Logs client; every response a test queues must be used."""
    with Stubber(client("logs")) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()
