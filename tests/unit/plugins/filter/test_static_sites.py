"""Unit tests for the static_site_plan filter."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.cloudplatform.aws.plugins.filter.static_sites import static_site_plan

SITES = [{"name": "dashboard", "hosts": ["app"], "spa": True}, {"name": "landing", "hosts": ["www", ""], "spa": False}]


def test_names_and_aliases_follow_the_dns_layout():
    plan = static_site_plan(SITES, "cloudplatform-prod", "123456789012", "example.com")
    assert plan == [
        {"name": "dashboard", "bucket": "cloudplatform-prod-dashboard-123456789012", "distribution": "cloudplatform-prod-cf-dashboard",
         "aliases": ["app.example.com"], "spa": True},
        {"name": "landing", "bucket": "cloudplatform-prod-landing-123456789012", "distribution": "cloudplatform-prod-cf-landing",
         "aliases": ["www.example.com", "example.com"], "spa": False},
    ]


def test_without_domain_no_aliases():
    assert [p["aliases"] for p in static_site_plan(SITES, "p", "1")] == [[], []]


def test_site_without_name_is_rejected():
    with pytest.raises(AnsibleFilterError, match="static_sites_sites"):
        static_site_plan([{"hosts": ["app"]}], "p", "1", "example.com")
