"""Each seed scenario seeds without error and comes out as README.md says."""

from __future__ import annotations

import time

import pytest

from checklist import ITEMS, evaluate

DEMO_PASS = {
    "cloudtrail-multi-region", "ecr-scan-on-push", "rds-storage-headroom",
    "ecs-container-insights", "synthetics-canary", "alb-alarms", "ecs-logging",
    "error-tracking", "alarm-flapping", "budget-notification",
}


def _seed(harness, scenario, regions=None):
    body = {"scenario": scenario}
    if regions:
        body["regions"] = regions
    status, out = harness.control("POST", "/_onwatch/seed", body)
    assert status == 200, out
    assert out["seeded"] == scenario and out["resources"] > 0
    return out


def test_healthy_all_pass(harness):
    _seed(harness, "healthy")
    res = evaluate(harness.client, ["us-east-1", "eu-west-1"])
    assert [i for i in ITEMS if not res[i]] == []


def test_healthy_other_regions(harness):
    _seed(harness, "healthy", ["eu-central-1", "ap-southeast-2"])
    res = evaluate(harness.client, ["eu-central-1", "ap-southeast-2"])
    assert [i for i in ITEMS if not res[i]] == []


def test_neglected_all_fail(harness):
    _seed(harness, "neglected")
    res = evaluate(harness.client, ["us-east-1", "eu-west-1"])
    assert [i for i in ITEMS if res[i]] == []


def test_demo_mix(harness):
    _seed(harness, "demo")
    res = evaluate(harness.client, ["us-east-1", "eu-west-1", "us-west-2"])
    assert {i for i in ITEMS if res[i]} == DEMO_PASS


def test_large_seeds_quickly(harness):
    start = time.monotonic()
    out = _seed(harness, "large")
    elapsed = time.monotonic() - start
    assert 900 <= out["resources"] <= 1300
    assert elapsed < 120
    cw = harness.client("cloudwatch", "sa-east-1")
    assert len(cw.describe_alarms(MaxRecords=100)["MetricAlarms"]) == 30
    status, calls = harness.control("GET", "/_onwatch/calls")
    assert calls["total"] == 1  # seeding traffic is not counted
