"""Each moto gap the harness closes, asserted against AWS's documented
behaviour (see the API reference links in scripts/local_aws/*patches.py)."""

from __future__ import annotations

import datetime as dt
import io
import json
import urllib.request

import botocore.exceptions
import cbor2
import pytest

from cbor_util import cbor_call

ACCOUNT = "123456789012"


def _alarm(cw, name, state_actions=True, topic="arn:aws:sns:us-east-1:123456789012:t"):
    cw.put_metric_alarm(
        AlarmName=name, Namespace="AWS/RDS", MetricName="CPUUtilization",
        Dimensions=[{"Name": "DBInstanceIdentifier", "Value": "db1"}], Statistic="Average",
        Period=60, EvaluationPeriods=1, Threshold=80.0, ComparisonOperator="GreaterThanThreshold",
        AlarmActions=[topic] if state_actions else [],
        Tags=[{"Key": "response-pattern", "Value": "act-now"}])


# ------------------------------------------------------------ CBOR front

def test_cbor_describe_alarms_like_rust_sdk(harness):
    cw = harness.client("cloudwatch")
    _alarm(cw, "cpu-high")
    # aws-sdk-cloudwatch sends a CBOR map with only the set members
    status, headers, body = cbor_call(harness.url, "DescribeAlarms",
                                      {"AlarmNames": ["cpu-high"], "MaxRecords": 50})
    assert status == 200
    assert headers["Content-Type"] == "application/cbor"
    assert headers["smithy-protocol"] == "rpc-v2-cbor"
    alarm = body["MetricAlarms"][0]
    assert alarm["AlarmName"] == "cpu-high"
    assert alarm["Threshold"] == 80.0 and isinstance(alarm["Threshold"], float)
    assert isinstance(alarm["Period"], int)
    assert alarm["Dimensions"] == [{"Name": "DBInstanceIdentifier", "Value": "db1"}]
    # timestamps are CBOR tag 1 (epoch seconds): cbor2 decodes them to datetimes
    assert isinstance(alarm["StateUpdatedTimestamp"], dt.datetime)


def test_cbor_raw_tag1_timestamps_and_empty_body(harness):
    cw = harness.client("cloudwatch")
    _alarm(cw, "a")
    status, _, _ = cbor_call(harness.url, "DescribeAlarms", b"")
    assert status == 200
    # inspect the raw encoding: timestamps must be tag 1 with a number
    import urllib.request as ur

    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    url = f"{harness.url}/service/GraniteServiceVersion20100801/operation/DescribeAlarms"
    payload = cbor2.dumps({})
    req = AWSRequest(method="POST", url=url, data=payload, headers={
        "Content-Type": "application/cbor", "smithy-protocol": "rpc-v2-cbor"})
    SigV4Auth(Credentials("testing", "testing"), "monitoring", "us-east-1").add_auth(req)
    with ur.urlopen(ur.Request(url, data=payload, headers=dict(req.headers.items()),
                               method="POST")) as resp:
        raw = resp.read()
    decoded = cbor2.loads(raw)
    assert decoded["MetricAlarms"][0]["AlarmName"] == "a"
    # tag 1 (0xc1) followed by a float64 (0xfb): epoch seconds, as Smithy wants
    # AlarmConfigurationUpdated, StateUpdated and StateTransitioned timestamps
    assert raw.count(b"\xc1\xfb") == 3


def test_cbor_put_metric_data_with_timestamp_input(harness):
    status, _, body = cbor_call(harness.url, "PutMetricData", {
        "Namespace": "App", "MetricData": [{
            "MetricName": "Latency", "Value": 12.5, "Unit": "Milliseconds",
            "Timestamp": cbor2.CBORTag(1, dt.datetime.now(dt.timezone.utc).timestamp())}]})
    assert status == 200 and body == {}
    status, _, body = cbor_call(harness.url, "ListMetrics", {"Namespace": "App"})
    assert status == 200
    assert [m["MetricName"] for m in body["Metrics"]] == ["Latency"]


def test_cbor_error_shape(harness):
    status, headers, body = cbor_call(harness.url, "SetAlarmState", {
        "AlarmName": "missing", "StateValue": "ALARM", "StateReason": "x"})
    assert status == 404
    assert headers["smithy-protocol"] == "rpc-v2-cbor"
    assert headers["Content-Type"] == "application/cbor"
    assert body["__type"] == "ResourceNotFound"
    assert "message" in body


def test_cbor_unknown_operation(harness):
    status, _, body = cbor_call(harness.url, "NoSuchOperation", {})
    assert status == 400 and body["__type"] == "UnknownOperationException"


# --------------------------------------------------- DescribeAlarmHistory

def test_describe_alarm_history_state_updates(harness):
    cw = harness.client("cloudwatch")
    _alarm(cw, "h")
    cw.set_alarm_state(AlarmName="h", StateValue="ALARM", StateReason="r1")
    cw.set_alarm_state(AlarmName="h", StateValue="OK", StateReason="r2")
    items = cw.describe_alarm_history(AlarmName="h", HistoryItemType="StateUpdate")[
        "AlarmHistoryItems"]
    assert [i["HistorySummary"] for i in items] == [
        "Alarm updated from ALARM to OK", "Alarm updated from OK to ALARM"]  # newest first
    assert all(i["AlarmType"] == "MetricAlarm" for i in items)
    data = json.loads(items[0]["HistoryData"])
    assert data["oldState"]["stateValue"] == "ALARM" and data["newState"]["stateValue"] == "OK"
    asc = cw.describe_alarm_history(AlarmName="h", HistoryItemType="StateUpdate",
                                    ScanBy="TimestampAscending")["AlarmHistoryItems"]
    assert asc[0]["HistorySummary"] == "Alarm updated from OK to ALARM"
    # creation is a ConfigurationUpdate item
    conf = cw.describe_alarm_history(AlarmName="h", HistoryItemType="ConfigurationUpdate")
    assert len(conf["AlarmHistoryItems"]) == 1


def test_put_metric_alarm_update_keeps_state(harness):
    cw = harness.client("cloudwatch")
    _alarm(cw, "keep")
    cw.set_alarm_state(AlarmName="keep", StateValue="ALARM", StateReason="r")
    _alarm(cw, "keep")
    assert cw.describe_alarms(AlarmNames=["keep"])["MetricAlarms"][0]["StateValue"] == "ALARM"


def test_alarm_history_backdate_paging_and_dates(harness):
    cw = harness.client("cloudwatch")
    _alarm(cw, "flappy")
    now = dt.datetime.now(dt.timezone.utc)
    changes = []
    state = "OK"
    for i in range(30):
        new = "ALARM" if state == "OK" else "OK"
        changes.append({"timestamp": (now - dt.timedelta(hours=5 * (30 - i))).isoformat(),
                        "old": state, "new": new})
        state = new
    status, body = harness.control("POST", "/_onwatch/cloudwatch/history",
                                   {"alarm_name": "flappy", "region": "us-east-1",
                                    "changes": changes})
    assert status == 200 and body["changes"] == 30
    alarm = cw.describe_alarms(AlarmNames=["flappy"])["MetricAlarms"][0]
    assert alarm["StateValue"] == state
    last = dt.datetime.fromisoformat(changes[-1]["timestamp"])
    assert abs((alarm["StateUpdatedTimestamp"] - last).total_seconds()) < 1
    pages = cw.get_paginator("describe_alarm_history").paginate(
        AlarmName="flappy", HistoryItemType="StateUpdate", PaginationConfig={"PageSize": 7})
    items = [i for p in pages for i in p["AlarmHistoryItems"]]
    assert len(items) == 30
    week = cw.describe_alarm_history(AlarmName="flappy", HistoryItemType="StateUpdate",
                                     StartDate=now - dt.timedelta(days=3), EndDate=now)
    assert 0 < len(week["AlarmHistoryItems"]) < 30


# ---------------------------------------------------------------- RDS PI

def test_rds_performance_insights_and_storage(harness):
    rds = harness.client("rds")
    rds.create_db_instance(DBInstanceIdentifier="pi-on", Engine="postgres",
                           DBInstanceClass="db.m6g.large", AllocatedStorage=100,
                           MaxAllocatedStorage=300, MasterUsername="u",
                           MasterUserPassword="password123", EnablePerformanceInsights=True,
                           PerformanceInsightsRetentionPeriod=31)
    rds.create_db_instance(DBInstanceIdentifier="pi-off", Engine="postgres",
                           DBInstanceClass="db.m6g.large", AllocatedStorage=50,
                           MasterUsername="u", MasterUserPassword="password123")
    dbs = {d["DBInstanceIdentifier"]: d for d in rds.describe_db_instances()["DBInstances"]}
    assert dbs["pi-on"]["PerformanceInsightsEnabled"] is True
    assert dbs["pi-on"]["PerformanceInsightsRetentionPeriod"] == 31
    assert dbs["pi-on"]["MaxAllocatedStorage"] == 300
    assert dbs["pi-off"]["PerformanceInsightsEnabled"] is False
    assert "MaxAllocatedStorage" not in dbs["pi-off"]
    rds.modify_db_instance(DBInstanceIdentifier="pi-off", EnablePerformanceInsights=True,
                           ApplyImmediately=True)
    db = rds.describe_db_instances(DBInstanceIdentifier="pi-off")["DBInstances"][0]
    assert db["PerformanceInsightsEnabled"] is True
    assert db["PerformanceInsightsRetentionPeriod"] == 7  # AWS default


# ------------------------------------------------------------------- ECS

def test_ecs_update_cluster_settings(harness):
    ecs = harness.client("ecs")
    ecs.create_cluster(clusterName="c1")
    got = ecs.describe_clusters(clusters=["c1"], include=["SETTINGS"])["clusters"][0]
    assert got["settings"] == [{"name": "containerInsights", "value": "disabled"}]
    out = ecs.update_cluster_settings(cluster="c1", settings=[
        {"name": "containerInsights", "value": "enhanced"}])
    assert out["cluster"]["settings"] == [{"name": "containerInsights", "value": "enhanced"}]
    got = ecs.describe_clusters(clusters=["c1"], include=["SETTINGS"])["clusters"][0]
    assert got["settings"] == [{"name": "containerInsights", "value": "enhanced"}]
    ecs.create_cluster(clusterName="c2", settings=[{"name": "containerInsights", "value": "enabled"}])
    got = ecs.describe_clusters(clusters=["c2"], include=["SETTINGS"])["clusters"][0]
    assert got["settings"] == [{"name": "containerInsights", "value": "enabled"}]
    with pytest.raises(botocore.exceptions.ClientError):
        ecs.update_cluster_settings(cluster="c1", settings=[
            {"name": "containerInsights", "value": "sometimes"}])


# --------------------------------------------------------------- Budgets

def test_budgets_describe_subscribers_for_notification(harness):
    b = harness.client("budgets")
    note = {"NotificationType": "ACTUAL", "ComparisonOperator": "GREATER_THAN",
            "Threshold": 80.0, "ThresholdType": "PERCENTAGE"}
    b.create_budget(AccountId=ACCOUNT, Budget={
        "BudgetName": "b1", "BudgetLimit": {"Amount": "100", "Unit": "USD"},
        "TimeUnit": "MONTHLY", "BudgetType": "COST"},
        NotificationsWithSubscribers=[{"Notification": note, "Subscribers": [
            {"SubscriptionType": "EMAIL", "Address": "a@example.com"}]}])
    b.create_subscriber(AccountId=ACCOUNT, BudgetName="b1", Notification=note,
                        Subscriber={"SubscriptionType": "SNS",
                                    "Address": "arn:aws:sns:us-east-1:123456789012:budget"})
    subs = b.describe_subscribers_for_notification(AccountId=ACCOUNT, BudgetName="b1",
                                                   Notification=note)["Subscribers"]
    assert {s["SubscriptionType"] for s in subs} == {"EMAIL", "SNS"}
    with pytest.raises(botocore.exceptions.ClientError) as err:
        b.describe_subscribers_for_notification(AccountId=ACCOUNT, BudgetName="nope",
                                                Notification=note)
    assert err.value.response["Error"]["Code"] == "NotFoundException"


# ------------------------------------------------------------ Synthetics

def _raw_signed(url, method, path, service, region="us-east-1", body=b""):
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    req = AWSRequest(method=method, url=url + path, data=body,
                     headers={"Content-Type": "application/json"})
    SigV4Auth(Credentials("testing", "testing"), service, region).add_auth(req)
    r = urllib.request.Request(url + path, data=body or None, method=method,
                               headers=dict(req.headers.items()))
    with urllib.request.urlopen(r) as resp:
        return resp.status, dict(resp.headers.items()), resp.read()


def test_synthetics_epoch_timestamps_and_start(harness):
    syn = harness.client("synthetics")
    syn.create_canary(Name="home", Code={"Handler": "index.handler", "S3Bucket": "b", "S3Key": "k"},
                      ArtifactS3Location="s3://b/a", ExecutionRoleArn=f"arn:aws:iam::{ACCOUNT}:role/r",
                      Schedule={"Expression": "rate(5 minutes)"},
                      RuntimeVersion="syn-nodejs-puppeteer-9.1")
    syn.start_canary(Name="home")
    canary = syn.get_canary(Name="home")["Canary"]
    assert canary["Status"]["State"] == "RUNNING"
    assert isinstance(canary["Timeline"]["Created"], dt.datetime)
    # restJson1: timestamps on the wire are epoch-seconds numbers
    _, _, raw = _raw_signed(harness.url, "POST", "/canaries", "synthetics", body=b"{}")
    wire = json.loads(raw)["Canaries"][0]["Timeline"]["Created"]
    assert isinstance(wire, (int, float))
    assert syn.get_canary_runs(Name="home")["CanaryRuns"] == []
    assert syn.describe_canaries_last_run()["CanariesLastRun"] == []
    syn.stop_canary(Name="home")
    assert syn.get_canary(Name="home")["Canary"]["Status"]["State"] == "STOPPED"


def _canary_zip(path, text="exports.handler = async () => {};"):
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(path, text)
    return buf.getvalue()


def test_synthetics_runtimes_create_checks_get_missing_and_delete(harness):
    syn = harness.client("synthetics")
    versions = syn.describe_runtime_versions()["RuntimeVersions"]
    names = [v["VersionName"] for v in versions]
    assert "syn-nodejs-puppeteer-10.0" in names
    assert any("DeprecationDate" in v for v in versions)
    base = dict(ArtifactS3Location="s3://b/a", ExecutionRoleArn=f"arn:aws:iam::{ACCOUNT}:role/r",
                Schedule={"Expression": "rate(5 minutes)"},
                RuntimeVersion="syn-nodejs-puppeteer-10.0")
    good = {"Handler": "beat.handler", "ZipFile": _canary_zip("nodejs/node_modules/beat.js")}

    def refused(**kw):
        with pytest.raises(botocore.exceptions.ClientError) as err:
            syn.create_canary(**{**base, "Name": "beat", "Code": good, **kw})
        return err.value.response["Error"]["Code"]
    assert refused(Name="Beat!") == "ValidationException"
    assert refused(RuntimeVersion="syn-nodejs-puppeteer-6.2") == "ValidationException"  # deprecated
    assert refused(RuntimeVersion="syn-nodejs-puppeteer-0.1") == "ValidationException"
    assert refused(Code={"Handler": "beat.handler",
                         "ZipFile": _canary_zip("beat.js")}) == "ValidationException"
    assert refused(Code={"Handler": "beat.handler", "ZipFile": b"not a zip"}) == "ValidationException"
    syn.create_canary(Name="beat", Code=good, **base)
    with pytest.raises(botocore.exceptions.ClientError) as err:
        syn.get_canary(Name="nope")
    assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"
    syn.start_canary(Name="beat")
    with pytest.raises(botocore.exceptions.ClientError) as err:
        syn.delete_canary(Name="beat", DeleteLambda=True)
    assert err.value.response["Error"]["Code"] == "ConflictException"
    syn.stop_canary(Name="beat")
    syn.delete_canary(Name="beat", DeleteLambda=True)
    with pytest.raises(botocore.exceptions.ClientError) as err:
        syn.get_canary(Name="beat")
    assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_guardduty_create_sample_findings(harness):
    gd = harness.client("guardduty")
    det = gd.create_detector(Enable=True)["DetectorId"]
    gd.create_sample_findings(DetectorId=det, FindingTypes=["Backdoor:EC2/C&CActivity.B!DNS"])
    _, body = harness.control("GET", "/_onwatch/guardduty/samples")
    samples = body["samples"]
    assert samples == [{"region": "us-east-1", "detector_id": det,
                        "finding_types": ["Backdoor:EC2/C&CActivity.B!DNS"]}]
    with pytest.raises(botocore.exceptions.ClientError) as err:
        gd.create_sample_findings(DetectorId="0" * 32, FindingTypes=["x"])
    assert err.value.response["Error"]["Code"] == "BadRequestException"


# ------------------------------------------------------------------- SNS

def test_sns_pending_confirmation(harness):
    sns = harness.client("sns")
    sqs = harness.client("sqs")
    topic = sns.create_topic(Name="alerts")["TopicArn"]
    sqs.create_queue(QueueName="q")
    r = sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="ops@example.com")
    assert r["SubscriptionArn"] == "pending confirmation"
    sqs_arn = sns.subscribe(TopicArn=topic, Protocol="sqs",
                            Endpoint="arn:aws:sqs:us-east-1:123456789012:q")["SubscriptionArn"]
    assert sqs_arn.startswith(topic + ":")
    https_arn = sns.subscribe(TopicArn=topic, Protocol="https", Endpoint="https://example.com/hook",
                              ReturnSubscriptionArn=True)["SubscriptionArn"]
    subs = {s["Protocol"]: s["SubscriptionArn"]
            for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]}
    assert subs == {"email": "PendingConfirmation", "https": "PendingConfirmation", "sqs": sqs_arn}
    attrs = sns.get_subscription_attributes(SubscriptionArn=https_arn)["Attributes"]
    assert attrs["PendingConfirmation"] == "true"
    assert sns.get_subscription_attributes(SubscriptionArn=sqs_arn)["Attributes"][
        "PendingConfirmation"] == "false"
    tattrs = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
    assert tattrs["SubscriptionsPending"] == "2" and tattrs["SubscriptionsConfirmed"] == "1"
    status, body = harness.control("POST", "/_onwatch/sns/confirm", {"subscription_arn": https_arn})
    assert status == 200 and body["confirmed"] == [https_arn]
    status, body = harness.control("POST", "/_onwatch/sns/confirm", {"topic_arn": topic})
    assert status == 200 and len(body["confirmed"]) == 1
    listed = [s["SubscriptionArn"] for s in sns.list_subscriptions()["Subscriptions"]]
    assert "PendingConfirmation" not in listed


# ------------------------------------------------------------- CE / EC2

def test_cost_anomaly_monitor_and_subscription(harness):
    ce = harness.client("ce")
    arn = ce.create_anomaly_monitor(AnomalyMonitor={
        "MonitorName": "m", "MonitorType": "DIMENSIONAL", "MonitorDimension": "SERVICE"})["MonitorArn"]
    ce.create_anomaly_subscription(AnomalySubscription={
        "SubscriptionName": "s", "MonitorArnList": [arn], "Frequency": "DAILY",
        "Subscribers": [{"Address": "a@example.com", "Type": "EMAIL"}]})
    assert [m["MonitorArn"] for m in ce.get_anomaly_monitors()["AnomalyMonitors"]] == [arn]
    subs = ce.get_anomaly_subscriptions()["AnomalySubscriptions"]
    assert subs[0]["MonitorArnList"] == [arn] and subs[0]["Subscribers"][0]["Type"] == "EMAIL"


def test_describe_regions_default_enabled(harness):
    ec2 = harness.client("ec2")
    enabled = [r["RegionName"] for r in ec2.describe_regions()["Regions"]]
    assert len(enabled) == 17 and "us-east-1" in enabled and "af-south-1" not in enabled
    everything = {r["RegionName"]: r["OptInStatus"]
                  for r in ec2.describe_regions(AllRegions=True)["Regions"]}
    assert everything["af-south-1"] == "not-opted-in"
    assert everything["eu-west-1"] == "opt-in-not-required"
    assert not any(r.startswith(("us-gov-", "cn-")) for r in everything)


def test_cbor_indefinite_length_map_like_aws_smithy_cbor(harness):
    """aws-smithy-cbor (Rust) writes structures as indefinite-length maps
    (0xbf ... 0xff) and lists as definite arrays."""
    cw = harness.client("cloudwatch")
    _alarm(cw, "cpu-high")
    _alarm(cw, "other")

    def text(s):
        b = s.encode()
        return bytes([0x60 + len(b)]) + b

    body = (b"\xbf" + text("AlarmNames") + b"\x81" + text("cpu-high")
            + text("MaxRecords") + b"\x18\x32" + text("StateValue") + text("OK") + b"\xff")
    assert cbor2.loads(body) == {"AlarmNames": ["cpu-high"], "MaxRecords": 50, "StateValue": "OK"}
    status, _, out = cbor_call(harness.url, "DescribeAlarms", body)
    assert status == 200
    assert [a["AlarmName"] for a in out["MetricAlarms"]] == ["cpu-high"]


# ------------------------------------------------------------------ paging

def test_describe_alarms_pages(harness):
    cw = harness.client("cloudwatch")
    for i in range(120):
        _alarm(cw, f"a-{i:03d}")
    first = cw.describe_alarms()
    assert len(first["MetricAlarms"]) == 50 and first["NextToken"]
    names = [a["AlarmName"] for p in cw.get_paginator("describe_alarms").paginate()
             for a in p["MetricAlarms"]]
    assert names == [f"a-{i:03d}" for i in range(120)]
    status, _, body = cbor_call(harness.url, "DescribeAlarms", {"MaxRecords": 100})
    assert status == 200 and len(body["MetricAlarms"]) == 100 and body["NextToken"]
    status, _, body = cbor_call(harness.url, "DescribeAlarms", {"NextToken": body["NextToken"]})
    assert len(body["MetricAlarms"]) == 20 and "NextToken" not in body
    with pytest.raises(botocore.exceptions.ClientError):
        cw.describe_alarms(MaxRecords=101)


def test_describe_repositories_pages(harness):
    ecr = harness.client("ecr")
    for i in range(105):
        ecr.create_repository(repositoryName=f"r-{i:03d}")
    first = ecr.describe_repositories()
    assert len(first["repositories"]) == 100 and first["nextToken"]
    second = ecr.describe_repositories(nextToken=first["nextToken"])
    assert [r["repositoryName"] for r in second["repositories"]] == [
        f"r-{i:03d}" for i in range(100, 105)]
    assert "nextToken" not in second
    named = ecr.describe_repositories(repositoryNames=["r-001"])
    assert [r["repositoryName"] for r in named["repositories"]] == ["r-001"]


# ------------------------------------------------- StateTransitionedTimestamp

def test_state_transitioned_timestamp_moves_only_with_the_state_value(harness):
    cw = harness.client("cloudwatch")
    _alarm(cw, "stuck")
    created = cw.describe_alarms(AlarmNames=["stuck"])["MetricAlarms"][0]
    assert created["StateTransitionedTimestamp"] == created["StateUpdatedTimestamp"]
    now = dt.datetime.now(dt.timezone.utc)
    nine_days = now - dt.timedelta(days=9)
    an_hour = now - dt.timedelta(hours=1)
    status, _ = harness.control("POST", "/_onwatch/cloudwatch/history", {
        "alarm_name": "stuck", "region": "us-east-1", "updated_at": an_hour.isoformat(),
        "changes": [{"timestamp": nine_days.isoformat(), "old": "OK", "new": "ALARM"}]})
    assert status == 200
    alarm = cw.describe_alarms(AlarmNames=["stuck"])["MetricAlarms"][0]
    assert alarm["StateValue"] == "ALARM"
    assert abs((alarm["StateTransitionedTimestamp"] - nine_days).total_seconds()) < 1
    assert abs((alarm["StateUpdatedTimestamp"] - an_hour).total_seconds()) < 1
    # The same over CBOR, as the Rust SDK reads it.
    _, _, body = cbor_call(harness.url, "DescribeAlarms", {"AlarmNames": ["stuck"]})
    got = body["MetricAlarms"][0]["StateTransitionedTimestamp"]
    assert abs((got - nine_days).total_seconds()) < 1
    # A SetAlarmState to the same value updates, does not transition.
    cw.set_alarm_state(AlarmName="stuck", StateValue="ALARM", StateReason="still bad")
    again = cw.describe_alarms(AlarmNames=["stuck"])["MetricAlarms"][0]
    assert again["StateTransitionedTimestamp"] == alarm["StateTransitionedTimestamp"]
    cw.set_alarm_state(AlarmName="stuck", StateValue="OK", StateReason="fixed")
    ok = cw.describe_alarms(AlarmNames=["stuck"])["MetricAlarms"][0]
    assert ok["StateTransitionedTimestamp"] > alarm["StateTransitionedTimestamp"]


# ------------------------------------------- Resource Groups Tagging API

def _tagged_alarms(cw, prefix, n, tags=1):
    for i in range(n):
        cw.put_metric_alarm(
            AlarmName=f"{prefix}-{i:03d}", Namespace="AWS/Lambda", MetricName="Errors",
            Dimensions=[{"Name": "FunctionName", "Value": f"fn-{i}"}], Statistic="Sum",
            Period=300, EvaluationPeriods=1, Threshold=1.0,
            ComparisonOperator="GreaterThanThreshold",
            Tags=[{"Key": "response-pattern" if t == 0 else f"k{t}", "Value": f"v{i % 4}"}
                  for t in range(tags)])


def _pages(tg, **kwargs):
    pages, token = [], ""
    while True:
        page = tg.get_resources(ResourceTypeFilters=["cloudwatch:alarm"], **kwargs,
                                **({"PaginationToken": token} if token else {}))
        pages.append(page["ResourceTagMappingList"])
        token = page.get("PaginationToken")
        if not token:
            return pages


def test_get_resources_pages_cloudwatch_alarms_at_resources_per_page(harness):
    cw = harness.client("cloudwatch")
    _tagged_alarms(cw, "tagged", 230)
    cw.put_metric_alarm(AlarmName="untagged", Namespace="AWS/SQS", MetricName="Age",
                        Statistic="Maximum", Period=300, EvaluationPeriods=1, Threshold=1.0,
                        ComparisonOperator="GreaterThanThreshold")
    harness.client("logs").create_log_group(logGroupName="/other", tags={"a": "b"})
    tg = harness.client("resourcegroupstaggingapi")
    # moto 5.2.5 gave 99, 100, 31: a TagsPerPage of 100 counted even when not asked for
    pages = _pages(tg, ResourcesPerPage=100)
    assert [len(p) for p in pages] == [100, 100, 30]
    found = {m["ResourceARN"]: m["Tags"] for p in pages for m in p}
    # untagged alarms and other resource types are absent; ARNs and tags
    # agree with DescribeAlarms and ListTagsForResource
    arns = {a["AlarmName"]: a["AlarmArn"]
            for p in cw.get_paginator("describe_alarms").paginate() for a in p["MetricAlarms"]}
    assert set(found) == {arn for name, arn in arns.items() if name != "untagged"}
    for name in ("tagged-000", "tagged-101", "tagged-229"):
        assert found[arns[name]] == cw.list_tags_for_resource(ResourceARN=arns[name])["Tags"]
    # a token can be sent again (a retried page request): same page
    first = tg.get_resources(ResourceTypeFilters=["cloudwatch:alarm"], ResourcesPerPage=100)
    token = first["PaginationToken"]
    again = [tg.get_resources(ResourceTypeFilters=["cloudwatch:alarm"], ResourcesPerPage=100,
                              PaginationToken=token)["ResourceTagMappingList"] for _ in range(2)]
    assert again[0] == again[1] == pages[1]
    # the other region has none of them
    eu = harness.client("resourcegroupstaggingapi", "eu-west-1").get_resources(
        ResourceTypeFilters=["cloudwatch:alarm"], ResourcesPerPage=100)
    assert eu["ResourceTagMappingList"] == [] and not eu.get("PaginationToken")
    for bad in ({"ResourcesPerPage": 0}, {"ResourcesPerPage": 101}, {"TagsPerPage": 99}):
        with pytest.raises(botocore.exceptions.ClientError) as err:
            tg.get_resources(**bad)
        assert err.value.response["Error"]["Code"] == "InvalidParameterException"


def test_get_resources_tags_per_page_as_the_reference_example(harness):
    # "if you specify a TagsPerPage of 100 and the account has 22 resources
    # with 10 tags each ... the output will consist of three pages": 10, 10, 2.
    _tagged_alarms(harness.client("cloudwatch"), "ten-tags", 22, tags=10)
    tg = harness.client("resourcegroupstaggingapi")
    assert [len(p) for p in _pages(tg, TagsPerPage=100)] == [10, 10, 2]
    assert [len(p) for p in _pages(tg)] == [22]  # the default page holds 50


def test_get_resources_is_counted_faulted_and_not_a_duplicate_across_regions(harness):
    for region in ("us-east-1", "eu-west-1"):
        _tagged_alarms(harness.client("cloudwatch", region), "a", 120)
    harness.control("DELETE", "/_onwatch/calls")
    for region in ("us-east-1", "eu-west-1"):
        tg = harness.client("resourcegroupstaggingapi", region)
        assert [len(p) for p in _pages(tg, ResourcesPerPage=100)] == [100, 20]
    _, calls = harness.control("GET", "/_onwatch/calls")
    assert calls["calls"] == {"tagging": {"GetResources": 4}}
    assert calls["regions"]["eu-west-1"] == {"tagging": {"GetResources": 2}}
    # the same page request (same filter, same token) in two regions reads
    # two regions' alarms: not a duplicate
    assert calls["duplicates"] == []
    tg = harness.client("resourcegroupstaggingapi", "eu-west-1")
    tg.meta.config.retries = {"max_attempts": 0}
    harness.control("POST", "/_onwatch/fault", {
        "service": "tagging", "operation": "GetResources", "paged": True, "status": 400,
        "code": "AccessDeniedException", "message": "no"})
    first = tg.get_resources(ResourceTypeFilters=["cloudwatch:alarm"], ResourcesPerPage=100)
    with pytest.raises(botocore.exceptions.ClientError) as err:
        tg.get_resources(ResourceTypeFilters=["cloudwatch:alarm"], ResourcesPerPage=100,
                         PaginationToken=first["PaginationToken"])
    assert err.value.response["Error"]["Code"] == "AccessDeniedException"
    harness.control("DELETE", "/_onwatch/fault")
    harness.control("POST", "/_onwatch/fault", {
        "service": "tagging", "operation": "GetResources", "status": 400,
        "code": "AccessDeniedException", "message": "no"})
    with pytest.raises(botocore.exceptions.ClientError) as err:
        tg.get_resources(ResourceTypeFilters=["cloudwatch:alarm"], ResourcesPerPage=100)
    assert err.value.response["Error"]["Code"] == "AccessDeniedException"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
