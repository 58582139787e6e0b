"""Each seed scenario seeds without error (what each one passes and fails is
asserted by the Rust tests, through the product's own collection and
evaluation: tests/suite/live.rs)."""

from __future__ import annotations

import time


def _seed(harness, scenario, regions=None):
    body = {"scenario": scenario}
    if regions:
        body["regions"] = regions
    status, out = harness.control("POST", "/_onwatch/seed", body)
    assert status == 200, out
    assert out["seeded"] == scenario and out["resources"] > 0
    return out


def test_healthy_neglected_and_demo_seed(harness):
    for scenario in ("healthy", "neglected", "demo"):
        harness.reset()
        _seed(harness, scenario)


def test_healthy_other_regions(harness):
    _seed(harness, "healthy", ["eu-central-1", "ap-southeast-2"])
    gd = harness.client("guardduty", "ap-southeast-2")
    assert len(gd.list_detectors()["DetectorIds"]) == 1


def test_paged_seed_is_past_every_page_size(harness):
    _seed(harness, "paged")
    cw = harness.client("cloudwatch")
    assert cw.describe_alarms().get("NextToken")
    assert harness.client("logs").describe_log_groups().get("nextToken")
    assert harness.client("sns").list_topics().get("NextToken")
    assert harness.client("sns").list_subscriptions().get("NextToken")
    assert harness.client("ecr").describe_repositories().get("nextToken")
    assert harness.client("events").list_rules().get("NextToken")
    history = cw.describe_alarm_history(AlarmName="paged-alarm-000",
                                        HistoryItemType="StateUpdate")
    assert history.get("NextToken")


def test_large_seeds_quickly(harness):
    start = time.monotonic()
    out = _seed(harness, "large")
    elapsed = time.monotonic() - start
    assert 900 <= out["resources"] <= 1400
    assert elapsed < 180
    cw = harness.client("cloudwatch", "sa-east-1")
    assert len(cw.describe_alarms(MaxRecords=100)["MetricAlarms"]) == 30
    assert len(harness.client("ecs", "sa-east-1").list_services(cluster="svc")["serviceArns"]) == 2
    status, calls = harness.control("GET", "/_onwatch/calls")
    assert calls["total"] == 2  # seeding traffic is not counted: only these two
