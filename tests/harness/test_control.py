"""Control endpoints: faults, call counting, reset, process behaviour."""

from __future__ import annotations

import json
import signal
import urllib.request
import xml.etree.ElementTree as ET

import botocore.exceptions
import cbor2
import pytest

from cbor_util import cbor_call
from conftest import start_harness, stop_harness


def test_ready_line_and_sigterm():
    h = start_harness("--port", "0")
    status, body = h.control("GET", "/_onwatch/health")
    assert status == 200 and body["ok"] is True
    h.proc.send_signal(signal.SIGINT)
    assert h.proc.wait(timeout=15) == 0
    assert h.proc.stdout.read() == ""  # nothing but the ready line on stdout


def test_fault_awsjson_guardduty_restjson_and_clear(harness):
    gd = harness.client("guardduty")
    status, _ = harness.control("POST", "/_onwatch/fault", {
        "service": "guardduty", "region": "us-east-1", "operation": "ListDetectors",
        "status": 403, "code": "AccessDeniedException", "message": "not allowed"})
    assert status == 200
    with pytest.raises(botocore.exceptions.ClientError) as err:
        gd.list_detectors()
    assert err.value.response["Error"]["Code"] == "AccessDeniedException"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    # another region is unaffected
    harness.client("guardduty", "eu-west-1").list_detectors()
    harness.control("DELETE", "/_onwatch/fault")
    gd.list_detectors()


def test_fault_json_throttling(harness):
    logs = harness.client("logs", "eu-west-1")
    harness.control("POST", "/_onwatch/fault", {
        "service": "logs", "region": "*", "status": 400, "code": "ThrottlingException",
        "message": "Rate exceeded"})
    cfg = botocore.config.Config(retries={"max_attempts": 1})
    logs = harness.client("logs", "eu-west-1")
    logs.meta.config.retries = {"max_attempts": 0}
    with pytest.raises(botocore.exceptions.ClientError) as err:
        logs.describe_log_groups()
    assert err.value.response["Error"]["Code"] == "ThrottlingException"
    del cfg


def test_fault_query_and_ec2_xml(harness):
    harness.control("POST", "/_onwatch/fault", {
        "service": "sns", "region": "ap-east-1", "status": 403,
        "code": "UnrecognizedClientException",
        "message": "The security token included in the request is invalid"})
    harness.control("POST", "/_onwatch/fault", {
        "service": "ec2", "operation": "DescribeRegions", "status": 403,
        "code": "UnauthorizedOperation", "message": "You are not authorized"})
    with pytest.raises(botocore.exceptions.ClientError) as err:
        harness.client("sns", "ap-east-1").list_topics()
    assert err.value.response["Error"]["Code"] == "UnrecognizedClientException"
    assert err.value.response["Error"]["Type"] == "Sender"
    with pytest.raises(botocore.exceptions.ClientError) as err:
        harness.client("ec2").describe_regions()
    assert err.value.response["Error"]["Code"] == "UnauthorizedOperation"
    harness.client("sns", "us-east-1").list_topics()


def test_fault_cbor(harness):
    harness.control("POST", "/_onwatch/fault", {
        "service": "monitoring", "operation": "DescribeAlarms", "status": 403,
        "code": "AccessDenied", "message": "nope"})
    status, headers, body = cbor_call(harness.url, "DescribeAlarms", {})
    assert status == 403
    assert headers["smithy-protocol"] == "rpc-v2-cbor"
    assert body == {"__type": "AccessDenied", "message": "nope"}
    # boto3 (awsJson / query) gets it in its protocol too
    with pytest.raises(botocore.exceptions.ClientError) as err:
        harness.client("cloudwatch").describe_alarms()
    assert err.value.response["Error"]["Code"] == "AccessDenied"


def test_calls_and_duplicates_and_reset(harness):
    cw = harness.client("cloudwatch")
    cw.describe_alarms()
    cw.describe_alarms()
    cw.describe_alarms(StateValue="ALARM")
    harness.client("sns", "eu-west-1").list_topics()
    cbor_call(harness.url, "DescribeAlarms", {"MaxRecords": 10})
    status, body = harness.control("GET", "/_onwatch/calls")
    assert status == 200
    assert body["calls"]["monitoring"]["DescribeAlarms"] == 4
    assert body["calls"]["sns"]["ListTopics"] == 1
    assert body["total"] == 5
    dups = [d for d in body["duplicates"] if d["operation"] == "DescribeAlarms"]
    assert len(dups) == 1 and dups[0]["count"] == 2
    harness.control("POST", "/_onwatch/fault", {"service": "sns"})
    harness.reset()
    status, body = harness.control("GET", "/_onwatch/calls")
    assert body["total"] == 0
    status, body = harness.control("GET", "/_onwatch/fault")
    assert body["faults"] == []


def test_reset_clears_pending_and_history(harness):
    sns = harness.client("sns")
    topic = sns.create_topic(Name="t")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="a@example.com")
    harness.reset()
    assert sns.list_subscriptions()["Subscriptions"] == []
    status, _ = harness.control("POST", "/_onwatch/sns/confirm", {"topic_arn": topic})
    assert status == 404


def test_unknown_control_endpoint(harness):
    status, body = harness.control("GET", "/_onwatch/nope")
    assert status == 404
    status, body = harness.control("POST", "/_onwatch/seed", {"scenario": "bogus"})
    assert status == 400
