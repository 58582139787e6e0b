"""The moto gaps closed by scripts/local_aws/verdict_patches.py, asserted
against AWS's documented behaviour (API reference links in that module)."""

from __future__ import annotations

import datetime as dt
import json
import time

import botocore.exceptions
import pytest

from cbor_util import cbor_call

ACCOUNT = "123456789012"
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:ops"


def _metric_alarm(cw, name):
    cw.put_metric_alarm(
        AlarmName=name, Namespace="AWS/ApplicationELB", MetricName="HTTPCode_ELB_5XX_Count",
        Statistic="Sum", Period=60, EvaluationPeriods=1, Threshold=5.0,
        ComparisonOperator="GreaterThanThreshold", AlarmActions=[TOPIC])


def _composite(cw, name, rule='ALARM("api-5xx") OR ALARM("api-latency")', **kwargs):
    args = dict(AlarmName=name, AlarmRule=rule, AlarmActions=[TOPIC],
                OKActions=[f"{TOPIC}-ok"], InsufficientDataActions=[f"{TOPIC}-nodata"],
                AlarmDescription="api is unhealthy",
                Tags=[{"Key": "response-pattern", "Value": "act-now"}])
    args.update(kwargs)
    cw.put_composite_alarm(**args)


def _err(excinfo):
    return excinfo.value.response["Error"]["Code"]


# ------------------------------------------------- CloudWatch composite alarms

def test_put_composite_alarm_and_describe_alarms_alarm_types(harness):
    cw = harness.client("cloudwatch")
    _metric_alarm(cw, "api-5xx")
    _metric_alarm(cw, "api-latency")
    _composite(cw, "api-health")
    _composite(cw, "api-quiet", rule='ALARM("api-5xx")', ActionsEnabled=False, Tags=[])
    # AlarmTypes omitted: "only metric alarms are returned, even if composite
    # alarms ... exist in the account"
    default = cw.describe_alarms()
    assert [a["AlarmName"] for a in default["MetricAlarms"]] == ["api-5xx", "api-latency"]
    assert default["CompositeAlarms"] == []
    only = cw.describe_alarms(AlarmTypes=["CompositeAlarm"])
    assert only["MetricAlarms"] == []
    health, quiet = only["CompositeAlarms"]
    assert health["AlarmName"] == "api-health"
    assert health["AlarmArn"] == f"arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:api-health"
    assert health["AlarmRule"] == 'ALARM("api-5xx") OR ALARM("api-latency")'
    assert health["ActionsEnabled"] is True  # the documented default
    assert health["AlarmActions"] == [TOPIC]
    assert health["OKActions"] == [f"{TOPIC}-ok"]
    assert health["InsufficientDataActions"] == [f"{TOPIC}-nodata"]
    assert health["AlarmDescription"] == "api is unhealthy"
    assert health["StateValue"] in ("OK", "ALARM", "INSUFFICIENT_DATA")
    assert health["StateTransitionedTimestamp"] == health["StateUpdatedTimestamp"]
    assert quiet["ActionsEnabled"] is False
    both = cw.describe_alarms(AlarmTypes=["MetricAlarm", "CompositeAlarm"])
    assert len(both["MetricAlarms"]) == 2 and len(both["CompositeAlarms"]) == 2
    named = cw.describe_alarms(AlarmNames=["api-health", "api-5xx"], AlarmTypes=["CompositeAlarm"])
    assert [a["AlarmName"] for a in named["CompositeAlarms"]] == ["api-health"]
    assert named["MetricAlarms"] == []


def test_composite_alarm_state_update_and_history(harness):
    cw = harness.client("cloudwatch")
    _metric_alarm(cw, "api-5xx")
    _composite(cw, "api-health", rule='ALARM("api-5xx")')
    cw.set_alarm_state(AlarmName="api-health", StateValue="ALARM", StateReason="child in ALARM")
    before = cw.describe_alarms(AlarmTypes=["CompositeAlarm"])["CompositeAlarms"][0]
    assert before["StateValue"] == "ALARM"
    # an update keeps the state ("its state is left unchanged") and replaces
    # the configuration
    _composite(cw, "api-health", rule='ALARM("api-5xx")', AlarmActions=[], ActionsEnabled=False)
    after = cw.describe_alarms(AlarmTypes=["CompositeAlarm"])["CompositeAlarms"][0]
    assert after["StateValue"] == "ALARM"
    assert after["StateTransitionedTimestamp"] == before["StateTransitionedTimestamp"]
    assert after["AlarmActions"] == [] and after["ActionsEnabled"] is False
    items = cw.describe_alarm_history(AlarmName="api-health", HistoryItemType="StateUpdate",
                                      AlarmTypes=["CompositeAlarm"])["AlarmHistoryItems"]
    assert [i["HistorySummary"] for i in items] == ["Alarm updated from OK to ALARM"]
    assert items[0]["AlarmType"] == "CompositeAlarm"
    cw.delete_alarms(AlarmNames=["api-health"])
    assert cw.describe_alarms(AlarmTypes=["CompositeAlarm"])["CompositeAlarms"] == []


def test_composite_alarm_tags_and_tagging_api(harness):
    cw = harness.client("cloudwatch")
    _metric_alarm(cw, "api-5xx")
    _composite(cw, "api-health", rule='ALARM("api-5xx")')
    arn = f"arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:api-health"
    assert cw.list_tags_for_resource(ResourceARN=arn)["Tags"] == [
        {"Key": "response-pattern", "Value": "act-now"}]
    # tags given when updating an existing alarm are ignored (TagResource changes them)
    _composite(cw, "api-health", rule='ALARM("api-5xx")',
               Tags=[{"Key": "response-pattern", "Value": "next-day"}])
    assert cw.list_tags_for_resource(ResourceARN=arn)["Tags"] == [
        {"Key": "response-pattern", "Value": "act-now"}]
    cw.tag_resource(ResourceARN=arn, Tags=[{"Key": "team", "Value": "api"}])
    tg = harness.client("resourcegroupstaggingapi")
    found = {m["ResourceARN"]: {t["Key"]: t["Value"] for t in m["Tags"]}
             for m in tg.get_resources(ResourceTypeFilters=["cloudwatch:alarm"])[
                 "ResourceTagMappingList"]}
    assert found == {arn: {"response-pattern": "act-now", "team": "api"}}


def test_composite_alarms_over_cbor_like_the_rust_sdk(harness):
    cw = harness.client("cloudwatch")
    _metric_alarm(cw, "api-5xx")
    status, _, body = cbor_call(harness.url, "PutCompositeAlarm", {
        "AlarmName": "api-health", "AlarmRule": 'ALARM("api-5xx")', "ActionsEnabled": True,
        "AlarmActions": [TOPIC], "Tags": [{"Key": "response-pattern", "Value": "act-now"}]})
    assert status == 200, body
    status, _, body = cbor_call(harness.url, "DescribeAlarms",
                                {"AlarmTypes": ["MetricAlarm", "CompositeAlarm"], "MaxRecords": 50})
    assert status == 200
    assert [a["AlarmName"] for a in body["MetricAlarms"]] == ["api-5xx"]
    (alarm,) = body["CompositeAlarms"]
    assert alarm["AlarmRule"] == 'ALARM("api-5xx")'
    assert alarm["AlarmActions"] == [TOPIC] and alarm["ActionsEnabled"] is True
    assert alarm["StateValue"] == "OK"
    assert isinstance(alarm["StateTransitionedTimestamp"], dt.datetime)
    assert isinstance(alarm["StateUpdatedTimestamp"], dt.datetime)
    status, _, body = cbor_call(harness.url, "DescribeAlarms", {})
    assert status == 200 and body.get("CompositeAlarms", []) == []


def test_describe_alarms_pages_metric_and_composite_alarms_together(harness):
    cw = harness.client("cloudwatch")
    for i in range(3):
        _metric_alarm(cw, f"m-{i}")
        _composite(cw, f"c-{i}", rule=f'ALARM("m-{i}")', Tags=[])
    pages = list(cw.get_paginator("describe_alarms").paginate(
        AlarmTypes=["MetricAlarm", "CompositeAlarm"], PaginationConfig={"PageSize": 2}))
    assert [len(p["MetricAlarms"]) + len(p["CompositeAlarms"]) for p in pages] == [2, 2, 2]
    assert sorted(a["AlarmName"] for p in pages for a in p["CompositeAlarms"]) == ["c-0", "c-1", "c-2"]
    only = list(cw.get_paginator("describe_alarms").paginate(
        AlarmTypes=["CompositeAlarm"], PaginationConfig={"PageSize": 2}))
    assert [len(p["CompositeAlarms"]) for p in only] == [2, 1]
    assert all(p["MetricAlarms"] == [] for p in only)


def test_put_composite_alarm_cannot_replace_a_metric_alarm(harness):
    cw = harness.client("cloudwatch")
    _metric_alarm(cw, "api-5xx")
    with pytest.raises(botocore.exceptions.ClientError):
        _composite(cw, "api-5xx", rule='ALARM("x")')


# ------------------------------------------------------ GuardDuty filters

def test_guardduty_list_and_get_filters(harness):
    gd = harness.client("guardduty")
    det = gd.create_detector(Enable=True)["DetectorId"]
    gd.create_filter(DetectorId=det, Name="suppress-low", Action="ARCHIVE", Rank=1,
                     Description="archive low severity",
                     FindingCriteria={"Criterion": {"severity": {"Lt": 4}}},
                     Tags={"owner": "secops"})
    gd.create_filter(DetectorId=det, Name="watch-high", Rank=2,
                     FindingCriteria={"Criterion": {"severity": {"Gte": 7}}})
    for i in range(3):
        gd.create_filter(DetectorId=det, Name=f"f-{i}", Action="ARCHIVE",
                         FindingCriteria={"Criterion": {"type": {"Eq": [f"T{i}"]}}})
    assert gd.list_filters(DetectorId=det)["FilterNames"] == [
        "suppress-low", "watch-high", "f-0", "f-1", "f-2"]
    first = gd.list_filters(DetectorId=det, MaxResults=2)
    assert first["FilterNames"] == ["suppress-low", "watch-high"] and first["NextToken"]
    names = [n for p in gd.get_paginator("list_filters").paginate(
        DetectorId=det, PaginationConfig={"PageSize": 2}) for n in p["FilterNames"]]
    assert names == ["suppress-low", "watch-high", "f-0", "f-1", "f-2"]
    low = gd.get_filter(DetectorId=det, FilterName="suppress-low")
    assert low["Action"] == "ARCHIVE" and low["Rank"] == 1
    assert low["FindingCriteria"] == {"Criterion": {"severity": {"Lt": 4}}}
    assert low["Tags"] == {"owner": "secops"}
    high = gd.get_filter(DetectorId=det, FilterName="watch-high")
    assert high["Action"] == "NOOP"  # "Default: NOOP"
    assert high["FindingCriteria"] == {"Criterion": {"severity": {"Gte": 7}}}
    other = gd.create_detector(Enable=True)["DetectorId"]
    assert gd.list_filters(DetectorId=other)["FilterNames"] == []
    with pytest.raises(botocore.exceptions.ClientError) as err:
        gd.list_filters(DetectorId=det, MaxResults=51)  # botocore itself rejects 0
    assert _err(err) == "BadRequestException"
    with pytest.raises(botocore.exceptions.ClientError) as err:
        gd.list_filters(DetectorId="0" * 32)
    assert _err(err) == "BadRequestException"
    with pytest.raises(botocore.exceptions.ClientError) as err:
        gd.create_filter(DetectorId=det, Name="f-0",
                         FindingCriteria={"Criterion": {"severity": {"Lt": 2}}})
    assert _err(err) == "BadRequestException"


# ----------------------------------------------------------- CloudTrail

def _trail(harness, bucket="trail-bucket", name="org-trail"):
    harness.client("s3").create_bucket(Bucket=bucket)
    ct = harness.client("cloudtrail")
    ct.create_trail(Name=name, S3BucketName=bucket, IsMultiRegionTrail=True)
    return ct


def test_trail_status_no_such_bucket(harness):
    ct = _trail(harness)
    s3 = harness.client("s3")
    # not logging: no delivery attempts, no error
    s3.delete_bucket(Bucket="trail-bucket")
    assert "LatestDeliveryError" not in ct.get_trail_status(Name="org-trail")
    s3.create_bucket(Bucket="trail-bucket")
    ct.start_logging(Name="org-trail")
    ok = ct.get_trail_status(Name="org-trail")
    assert ok["IsLogging"] is True and "LatestDeliveryError" not in ok
    delivered = ok["LatestDeliveryTime"]
    s3.delete_bucket(Bucket="trail-bucket")
    time.sleep(1.1)
    bad = ct.get_trail_status(Name="org-trail")
    assert bad["LatestDeliveryError"] == "NoSuchBucket"
    assert bad["LatestDeliveryTime"] == delivered  # the last successful delivery
    # the multi-region trail read from another region by ARN: same error
    arn = ct.describe_trails()["trailList"][0]["TrailARN"]
    eu = harness.client("cloudtrail", "eu-west-1").get_trail_status(Name=arn)
    assert eu["LatestDeliveryError"] == "NoSuchBucket"
    # the latest error stays reported once logging stops
    ct.stop_logging(Name="org-trail")
    assert ct.get_trail_status(Name="org-trail")["LatestDeliveryError"] == "NoSuchBucket"
    # a new bucket and a successful delivery clear it
    s3.create_bucket(Bucket="trail-bucket-2")
    ct.update_trail(Name="org-trail", S3BucketName="trail-bucket-2")
    ct.start_logging(Name="org-trail")
    fixed = ct.get_trail_status(Name="org-trail")
    assert "LatestDeliveryError" not in fixed
    assert fixed["LatestDeliveryTime"] > delivered


def test_trail_status_access_denied_by_bucket_policy(harness):
    ct = _trail(harness)
    ct.start_logging(Name="org-trail")
    s3 = harness.client("s3")
    grant = {"Version": "2012-10-17", "Statement": [{
        "Sid": "AWSCloudTrailWrite", "Effect": "Allow",
        "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject",
        "Resource": f"arn:aws:s3:::trail-bucket/AWSLogs/{ACCOUNT}/*"}]}
    s3.put_bucket_policy(Bucket="trail-bucket", Policy=json.dumps(grant))
    assert "LatestDeliveryError" not in ct.get_trail_status(Name="org-trail")
    other = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
        "Action": "s3:GetObject", "Resource": "arn:aws:s3:::trail-bucket/*"}]}
    s3.put_bucket_policy(Bucket="trail-bucket", Policy=json.dumps(other))
    assert ct.get_trail_status(Name="org-trail")["LatestDeliveryError"] == "AccessDenied"
    deny = {"Version": "2012-10-17", "Statement": [grant["Statement"][0], {
        "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": "arn:aws:s3:::trail-bucket/*"}]}
    s3.put_bucket_policy(Bucket="trail-bucket", Policy=json.dumps(deny))
    assert ct.get_trail_status(Name="org-trail")["LatestDeliveryError"] == "AccessDenied"
    s3.delete_bucket_policy(Bucket="trail-bucket")
    assert "LatestDeliveryError" not in ct.get_trail_status(Name="org-trail")


def test_trail_delivery_evaluates_policy_conditions(harness):
    ct = _trail(harness)
    ct.start_logging(Name="org-trail")
    arn = ct.describe_trails()["trailList"][0]["TrailARN"]
    s3 = harness.client("s3")

    def policy(*statements):
        s3.put_bucket_policy(Bucket="trail-bucket", Policy=json.dumps(
            {"Version": "2012-10-17", "Statement": list(statements)}))
        return ct.get_trail_status(Name="org-trail").get("LatestDeliveryError")

    def write(condition):
        return {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "s3:PutObject", "Resource": "arn:aws:s3:::trail-bucket/*",
                "Condition": condition}
    tls_only = {"Effect": "Deny", "Principal": "*", "Action": "s3:*",
                "Resource": "arn:aws:s3:::trail-bucket/*",
                "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
    # CloudTrail delivers over TLS: a deny of non-TLS access does not stop it
    scoped = write({"StringEquals": {"aws:SourceArn": arn,
                                     "s3:x-amz-acl": "bucket-owner-full-control"}})
    assert policy(scoped, tls_only) is None
    # an allow scoped to another trail, or on a key CloudTrail does not send, allows nothing
    assert policy(write({"StringEquals": {"aws:SourceArn": arn + "-other"}})) == "AccessDenied"
    assert policy(write({"StringEquals": {"aws:PrincipalOrgID": "o-123"}})) == "AccessDenied"
    assert policy(write({"ArnLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:" + ACCOUNT + ":trail/*"}})) is None
    # an unconditioned deny still denies
    assert policy(scoped, {**tls_only, "Condition": {}}) == "AccessDenied"


def test_trail_event_selectors(harness):
    ct = _trail(harness)
    default = {"ReadWriteType": "All", "IncludeManagementEvents": True, "DataResources": [],
               "ExcludeManagementEventSources": []}
    # "trails created without specific event selectors are configured to log
    # all read and write management events, and no data events"
    got = ct.get_event_selectors(TrailName="org-trail")
    assert got["EventSelectors"] == [default]
    assert got.get("AdvancedEventSelectors", []) == []
    # ReadWriteType and IncludeManagementEvents default to All and true
    data = [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::payments/"]}]
    out = ct.put_event_selectors(TrailName="org-trail", EventSelectors=[{"DataResources": data}])
    assert out["EventSelectors"] == [dict(default, DataResources=data)]
    ct.put_event_selectors(TrailName="org-trail", EventSelectors=[
        {"ReadWriteType": "WriteOnly", "IncludeManagementEvents": False}])
    assert ct.get_event_selectors(TrailName="org-trail")["EventSelectors"] == [
        dict(default, ReadWriteType="WriteOnly", IncludeManagementEvents=False)]
    advanced = [{"Name": "management", "FieldSelectors": [
        {"Field": "eventCategory", "Equals": ["Management"]}]}]
    ct.put_event_selectors(TrailName="org-trail", AdvancedEventSelectors=advanced)
    got = ct.get_event_selectors(TrailName="org-trail")
    assert got.get("EventSelectors", []) == [] and got["AdvancedEventSelectors"] == advanced
    # either basic or advanced selectors, never both
    ct.put_event_selectors(TrailName="org-trail", EventSelectors=[default])
    got = ct.get_event_selectors(TrailName="org-trail")
    assert got["EventSelectors"] == [default] and got.get("AdvancedEventSelectors", []) == []


# ------------------------------------------------- CloudWatch Logs classes

def test_log_group_class(harness):
    logs = harness.client("logs")
    logs.create_log_group(logGroupName="/app/standard")
    logs.create_log_group(logGroupName="/app/ia", logGroupClass="INFREQUENT_ACCESS")
    logs.create_log_group(logGroupName="/app/essentials", logGroupClass="ESSENTIALS")
    logs.create_log_group(logGroupName="/aws/vendedlogs/lambda", logGroupClass="DELIVERY")
    groups = {g["logGroupName"]: g for g in logs.describe_log_groups()["logGroups"]}
    assert {n: g["logGroupClass"] for n, g in groups.items()} == {
        "/app/standard": "STANDARD", "/app/ia": "INFREQUENT_ACCESS",
        "/app/essentials": "ESSENTIALS", "/aws/vendedlogs/lambda": "DELIVERY"}
    # Delivery: "kept in CloudWatch Logs for only one day"
    assert groups["/aws/vendedlogs/lambda"]["retentionInDays"] == 1
    assert "retentionInDays" not in groups["/app/standard"]  # never expires
    for call in (lambda: logs.put_retention_policy(logGroupName="/aws/vendedlogs/lambda",
                                                   retentionInDays=30),
                 lambda: logs.delete_retention_policy(logGroupName="/aws/vendedlogs/lambda")):
        with pytest.raises(botocore.exceptions.ClientError) as err:
            call()
        assert _err(err) == "InvalidParameterException"
    logs.put_retention_policy(logGroupName="/app/ia", retentionInDays=30)
    assert logs.describe_log_groups(logGroupNamePrefix="/app/ia")["logGroups"][0][
        "retentionInDays"] == 30
    # the class filter; INFREQUENT_ACCESS and ESSENTIALS select each other
    def names(cls, **kw):
        return [g["logGroupName"] for p in logs.get_paginator("describe_log_groups").paginate(
            logGroupClass=cls, **kw) for g in p["logGroups"]]
    assert names("DELIVERY") == ["/aws/vendedlogs/lambda"]
    assert names("STANDARD") == ["/app/standard"]
    assert names("INFREQUENT_ACCESS") == names("ESSENTIALS") == ["/app/essentials", "/app/ia"]
    assert names("INFREQUENT_ACCESS", PaginationConfig={"PageSize": 1}) == [
        "/app/essentials", "/app/ia"]
    with pytest.raises(botocore.exceptions.ClientError) as err:
        logs.create_log_group(logGroupName="/bad", logGroupClass="GLACIER")
    assert _err(err) == "InvalidParameterException"


# --------------------------------------------------------- AWS Config

ROLE = f"arn:aws:iam::{ACCOUNT}:role/config"


def test_config_recorder_recording_group_and_mode(harness):
    cfg = harness.client("config")
    cfg.put_configuration_recorder(ConfigurationRecorder={
        "name": "default", "roleARN": ROLE,
        "recordingGroup": {"allSupported": False, "includeGlobalResourceTypes": False,
                           "resourceTypes": ["AWS::EC2::Instance", "AWS::RDS::DBInstance"],
                           "recordingStrategy": {"useOnly": "INCLUSION_BY_RESOURCE_TYPES"}},
        "recordingMode": {"recordingFrequency": "DAILY", "recordingModeOverrides": [{
            "description": "instances as they change", "resourceTypes": ["AWS::EC2::Instance"],
            "recordingFrequency": "CONTINUOUS"}]}})
    (rec,) = cfg.describe_configuration_recorders()["ConfigurationRecorders"]
    assert rec["recordingGroup"]["allSupported"] is False
    assert rec["recordingGroup"]["resourceTypes"] == ["AWS::EC2::Instance", "AWS::RDS::DBInstance"]
    assert rec["recordingGroup"]["recordingStrategy"] == {"useOnly": "INCLUSION_BY_RESOURCE_TYPES"}
    assert rec["recordingMode"] == {"recordingFrequency": "DAILY", "recordingModeOverrides": [{
        "description": "instances as they change", "resourceTypes": ["AWS::EC2::Instance"],
        "recordingFrequency": "CONTINUOUS"}]}
    # Put replaces the recorder: exclusions, and recording mode back to continuous
    cfg.put_configuration_recorder(ConfigurationRecorder={
        "name": "default", "roleARN": ROLE,
        "recordingGroup": {"allSupported": False, "includeGlobalResourceTypes": False,
                           "exclusionByResourceTypes": {"resourceTypes": ["AWS::EC2::NetworkInterface"]},
                           "recordingStrategy": {"useOnly": "EXCLUSION_BY_RESOURCE_TYPES"}}})
    (rec,) = cfg.describe_configuration_recorders(
        ConfigurationRecorderNames=["default"])["ConfigurationRecorders"]
    assert rec["recordingGroup"]["exclusionByResourceTypes"] == {
        "resourceTypes": ["AWS::EC2::NetworkInterface"]}
    assert rec["recordingGroup"]["recordingStrategy"] == {"useOnly": "EXCLUSION_BY_RESOURCE_TYPES"}
    assert rec["recordingMode"] == {"recordingFrequency": "CONTINUOUS", "recordingModeOverrides": []}
    with pytest.raises(botocore.exceptions.ClientError):
        cfg.put_configuration_recorder(ConfigurationRecorder={
            "name": "default", "roleARN": ROLE, "recordingMode": {"recordingFrequency": "HOURLY"}})


# ------------------------------------------------------------------- SNS
# Checked and fine in moto 5.2.5: asserted so a moto upgrade cannot regress it.

def test_sns_default_topic_policy_and_kms_key(harness):
    sns = harness.client("sns")
    plain = sns.create_topic(Name="plain")["TopicArn"]
    attrs = sns.get_topic_attributes(TopicArn=plain)["Attributes"]
    assert "KmsMasterKeyId" not in attrs
    policy = json.loads(attrs["Policy"])
    assert policy["Id"] == "__default_policy_ID"
    (st,) = policy["Statement"]
    assert st["Sid"] == "__default_statement_ID" and st["Effect"] == "Allow"
    assert st["Principal"] == {"AWS": "*"} and st["Resource"] == plain
    assert st["Condition"] == {"StringEquals": {"AWS:SourceOwner": ACCOUNT}}
    assert set(st["Action"]) == {
        "SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission",
        "SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe",
        "SNS:ListSubscriptionsByTopic", "SNS:Publish"}
    enc = sns.create_topic(Name="enc", Attributes={"KmsMasterKeyId": "alias/aws/sns"})["TopicArn"]
    assert sns.get_topic_attributes(TopicArn=enc)["Attributes"]["KmsMasterKeyId"] == "alias/aws/sns"
    key = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    sns.set_topic_attributes(TopicArn=plain, AttributeName="KmsMasterKeyId", AttributeValue=key)
    assert sns.get_topic_attributes(TopicArn=plain)["Attributes"]["KmsMasterKeyId"] == key
