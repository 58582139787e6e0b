"""Each seed scenario seeds without error (what each one passes and fails is
asserted by the Rust tests, through the product's own collection and
evaluation: tests/suite/live.rs)."""

from __future__ import annotations

import json
import re
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


def test_scaled_seeds_n_of_each_kind_per_region(harness):
    out = harness.control("POST", "/_onwatch/seed", {
        "scenario": "scaled", "n": 7, "regions": ["us-east-1", "eu-west-1"]})[1]
    assert out["seeded"] == "scaled"
    for region in ("us-east-1", "eu-west-1"):
        cw = harness.client("cloudwatch", region)
        alarms = cw.describe_alarms(MaxRecords=100)["MetricAlarms"]
        assert len(alarms) == 7
        assert {a["AlarmActions"][0] for a in alarms} == {
            f"arn:aws:sns:{region}:123456789012:scaled-alerts"}
        assert len({a["Namespace"] for a in alarms}) == 3  # ECS, Lambda, SQS
        tagged = harness.client("resourcegroupstaggingapi", region).get_resources(
            ResourceTypeFilters=["cloudwatch:alarm"], ResourcesPerPage=100)
        assert len(tagged["ResourceTagMappingList"]) == 7
        groups = harness.client("logs", region).describe_log_groups(
            logGroupNamePrefix="/scaled/")["logGroups"]
        assert len(groups) == 7 and {g["retentionInDays"] for g in groups} == {30}
        assert len(harness.client("ecr", region).describe_repositories()["repositories"]) == 7
        ecs = harness.client("ecs", region)
        arns = ecs.list_services(cluster="scaled", maxResults=100)["serviceArns"]
        assert len(arns) == 7
        services = ecs.describe_services(cluster="scaled", services=arns)["services"]
        assert len({s["taskDefinition"] for s in services}) == 2
        sns = harness.client("sns", region)
        subs = sns.list_subscriptions_by_topic(
            TopicArn=f"arn:aws:sns:{region}:123456789012:scaled-alerts")["Subscriptions"]
        assert [s["Protocol"] for s in subs] == ["lambda"]
        assert subs[0]["SubscriptionArn"] != "PendingConfirmation"
    # us-east-1 only by default
    harness.reset()
    harness.control("POST", "/_onwatch/seed", {"scenario": "scaled", "n": 2})
    assert harness.client("cloudwatch", "eu-west-1").describe_alarms()["MetricAlarms"] == []
    for bad in ({"scenario": "scaled", "n": 0}, {"scenario": "scaled", "n": "5"},
                {"scenario": "large", "n": 5}):
        status, out = harness.control("POST", "/_onwatch/seed", bad)
        assert status == 400 and "n (1..1000)" in out["error"], out


def test_fixbench_is_neglected_plus_n_log_groups_without_retention(harness):
    out = harness.control("POST", "/_onwatch/seed", {"scenario": "fixbench", "n": 25})[1]
    assert out["seeded"] == "fixbench"
    logs = harness.client("logs", "us-east-1")
    bench = logs.describe_log_groups(logGroupNamePrefix="/bench/")["logGroups"]
    assert [g["logGroupName"] for g in bench] == [f"/bench/svc-{i:05d}" for i in range(25)]
    assert all("retentionInDays" not in g for g in bench)
    # the neglected account around them, in us-east-1 only
    assert logs.describe_log_groups(logGroupNamePrefix="/ecs/legacy-api")["logGroups"]
    assert harness.client("logs", "eu-west-1").describe_log_groups()["logGroups"] == []
    for bad in ({"scenario": "fixbench", "n": 0}, {"scenario": "fixbench", "n": 20_001}):
        status, out = harness.control("POST", "/_onwatch/seed", bad)
        assert status == 400 and "n (1..20000) for fixbench" in out["error"], out


def test_direct_creation_reads_back_as_api_creation(harness):
    """xlarge creates its bulk through moto's backends in-process; the same
    resource created through the API must read back the same (the harness
    patches that hook creation included)."""
    from local_aws import seeds

    s = seeds.Seeder(harness.url)
    api, direct = "us-east-1", "eu-west-1"
    topic = {r: f"arn:aws:sns:{r}:123456789012:t-alerts" for r in (api, direct)}
    s.topic(api, "t-alerts", "sqs")
    s.alarm(api, "a1", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "db"},
            topic[api], "act-now")
    s.log_groups(api, ["/g"], retention=30)
    s.ecr(api, ["repo"], scan_on_push=True)
    # the seeder runs inside the server process; here, ask the server to run it
    status, _ = harness.control("POST", "/_onwatch/seed", {
        "scenario": "direct-probe", "regions": [direct]})
    assert status == 200, _

    def read(region):
        cw = harness.client("cloudwatch", region)
        alarm = cw.describe_alarms()["MetricAlarms"][0]
        history = cw.describe_alarm_history(AlarmName="a1")["AlarmHistoryItems"]
        tags = harness.client("resourcegroupstaggingapi", region).get_resources(
            ResourceTypeFilters=["cloudwatch:alarm"])["ResourceTagMappingList"]
        sns = harness.client("sns", region)
        subs = sns.list_subscriptions()["Subscriptions"]
        attrs = sns.get_topic_attributes(TopicArn=topic[region])["Attributes"]
        group = harness.client("logs", region).describe_log_groups()["logGroups"][0]
        repo = harness.client("ecr", region).describe_repositories()["repositories"][0]
        out = {"alarm": alarm, "history": [(h["HistoryItemType"], h["HistorySummary"])
                                           for h in history],
               "tags": [t["Tags"] for t in tags], "subs": subs,
               "confirmed": (attrs["SubscriptionsConfirmed"], attrs["SubscriptionsPending"]),
               "group": group, "repo": repo}
        text = json.dumps(out, default=str, sort_keys=True).replace(region, "REGION")
        for key in ("StateUpdatedTimestamp", "StateTransitionedTimestamp",
                    "AlarmConfigurationUpdatedTimestamp", "creationTime", "createdAt",
                    "registryId", "repositoryUri", "SubscriptionArn", "logGroupArn", "arn"):
            text = re.sub(rf'"{key}": ("[^"]*"|\d+)', f'"{key}": "*"', text)
        return json.loads(text), alarm

    (a, alarm_a), (d, alarm_d) = read(api), read(direct)
    assert a == d
    assert alarm_d["StateTransitionedTimestamp"] == alarm_d["StateUpdatedTimestamp"]


def test_xlarge_seeds_in_minutes(harness):
    start = time.monotonic()
    out = _seed(harness, "xlarge")
    elapsed = time.monotonic() - start
    assert out["resources"] >= 10_000
    assert elapsed < 180, elapsed
    region = "ap-northeast-3"
    cw = harness.client("cloudwatch", region)
    alarms = [a for p in cw.get_paginator("describe_alarms").paginate(MaxRecords=100)
              for a in p["MetricAlarms"]]
    assert len(alarms) == 300 and all(a["AlarmActions"] for a in alarms)
    tagged = [m for p in harness.client("resourcegroupstaggingapi", region).get_paginator(
        "get_resources").paginate(ResourceTypeFilters=["cloudwatch:alarm"], ResourcesPerPage=100)
        for m in p["ResourceTagMappingList"]]
    assert {m["ResourceARN"] for m in tagged} == {a["AlarmArn"] for a in alarms}
    arn = alarms[42]["AlarmArn"]
    assert [m["Tags"] for m in tagged if m["ResourceARN"] == arn] == [
        cw.list_tags_for_resource(ResourceARN=arn)["Tags"]]
    logs = harness.client("logs", region)
    assert sum(len(p["logGroups"]) for p in logs.get_paginator("describe_log_groups").paginate()) == 150
    assert len(harness.client("rds", region).describe_db_instances()["DBInstances"]) == 20
    assert len(harness.client("elbv2", region).describe_load_balancers()["LoadBalancers"]) == 10
    sns = harness.client("sns", region)
    assert len(sns.list_topics()["Topics"]) == 30
    _, calls = harness.control("GET", "/_onwatch/calls")
    assert "sns" in calls["calls"] and "rds" in calls["calls"]  # only these reads are counted
