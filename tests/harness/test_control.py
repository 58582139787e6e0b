"""Control endpoints: faults, call counting, reset, process behaviour."""

from __future__ import annotations

import json
import signal
import time
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


def test_fault_with_times_answers_that_many_requests_then_lets_them_through(harness):
    gd = harness.client("guardduty")
    harness.control("POST", "/_onwatch/fault", {
        "service": "guardduty", "operation": "ListDetectors", "times": 2,
        "status": 400, "code": "BadRequestException", "message": "not yet"})
    for _ in range(2):
        with pytest.raises(botocore.exceptions.ClientError) as err:
            gd.list_detectors()
        assert err.value.response["Error"]["Code"] == "BadRequestException"
    assert gd.list_detectors()["DetectorIds"] == []
    assert gd.list_detectors()["DetectorIds"] == []
    harness.control("DELETE", "/_onwatch/fault")


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


FAKE_PYTHON = """#!/usr/bin/env bash
# Stands in for python3 and the venv's python: `-m venv DIR` makes DIR with
# this script as bin/python; `-m pip install` logs start/end around a pause.
if [[ "$1 $2" == "-m venv" ]]; then
  mkdir -p "$3/bin" && cp "$0" "$3/bin/python" && exit 0
fi
if [[ "$1 $2" == "-m pip" ]]; then
  echo "start $$" >> "$LOG"; sleep 1; echo "end $$" >> "$LOG"; exit 0
fi
exit 1
"""


def test_parallel_setup_is_serialised(tmp_path):
    """Two servers started at once on a fresh clone create the venv once,
    one after the other (scripts/local-aws takes a lock around the setup)."""
    import os
    import subprocess

    from conftest import LOCAL_AWS

    fake = tmp_path / "python3"
    fake.write_text(FAKE_PYTHON)
    fake.chmod(0o755)
    log = tmp_path / "pip.log"
    env = dict(os.environ, PYTHON=str(fake), LOCAL_AWS_VENV=str(tmp_path / "venv"),
               LOG=str(log))
    procs = [subprocess.Popen([str(LOCAL_AWS), "--setup-only"], env=env) for _ in range(3)]
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0]
    # One install of requirements.txt: the others waited, then found it done.
    events = log.read_text().splitlines()
    assert len(events) == 2, events
    assert events[0].startswith("start ") and events[1] == "end " + events[0].split()[1]


def test_one_resource_read_from_two_regions_is_a_duplicate(harness):
    ct = harness.client("cloudtrail")
    harness.client("s3").create_bucket(Bucket="trail-bucket")
    arn = ct.create_trail(Name="org-trail", S3BucketName="trail-bucket",
                          IsMultiRegionTrail=True)["TrailARN"]
    harness.control("DELETE", "/_onwatch/calls")
    ct.get_trail_status(Name=arn)
    harness.client("cloudtrail", "eu-west-1").get_trail_status(Name=arn)
    _, body = harness.control("GET", "/_onwatch/calls")
    assert body["regions"]["us-east-1"]["cloudtrail"]["GetTrailStatus"] == 1
    assert body["regions"]["eu-west-1"]["cloudtrail"]["GetTrailStatus"] == 1
    dups = body["duplicates"]
    assert [(d["operation"], d["region"]) for d in dups] == [
        ("GetTrailStatus", "eu-west-1,us-east-1")], dups


def boto3_client(harness, service, region="us-east-1", **config):
    import boto3
    from botocore.config import Config

    return boto3.client(service, endpoint_url=harness.url, region_name=region,
                        aws_access_key_id="testing", aws_secret_access_key="testing",
                        config=Config(**config))


def test_a_retried_call_is_counted_per_attempt_not_as_a_duplicate(harness):
    harness.control("POST", "/_onwatch/fault", {
        "service": "logs", "status": 400, "code": "ThrottlingException", "message": "slow"})
    logs = boto3_client(harness, "logs", retries={"mode": "standard", "total_max_attempts": 3})
    with pytest.raises(botocore.exceptions.ClientError):
        logs.describe_log_groups()
    _, body = harness.control("GET", "/_onwatch/calls")
    assert body["calls"]["logs"]["DescribeLogGroups"] == 3  # every attempt
    assert body["invocations"] == 1
    assert body["duplicates"] == []


def test_paged_fault_fires_only_on_requests_with_a_page_token(harness):
    logs = harness.client("logs")
    for i in range(55):
        logs.create_log_group(logGroupName=f"/g/{i:02d}")
    harness.control("POST", "/_onwatch/fault", {
        "service": "logs", "paged": True, "status": 400,
        "code": "InvalidParameterException", "message": "bad token"})
    first = logs.describe_log_groups()
    assert len(first["logGroups"]) == 50 and first["nextToken"]
    with pytest.raises(botocore.exceptions.ClientError) as err:
        logs.describe_log_groups(nextToken=first["nextToken"])
    assert err.value.response["Error"]["Code"] == "InvalidParameterException"
    # CBOR (CloudWatch) and query (SNS) requests carry the token in their own way.
    harness.control("POST", "/_onwatch/fault", {
        "service": "monitoring", "paged": True, "status": 400,
        "code": "InvalidNextToken", "message": "bad token"})
    harness.control("POST", "/_onwatch/fault", {
        "service": "sns", "paged": True, "status": 400,
        "code": "InvalidParameter", "message": "bad token"})
    assert cbor_call(harness.url, "DescribeAlarms", {})[0] == 200
    assert cbor_call(harness.url, "DescribeAlarms", {"NextToken": "50"})[0] == 400
    sns = harness.client("sns")
    sns.list_topics()
    with pytest.raises(botocore.exceptions.ClientError):
        sns.list_topics(NextToken="100")


# ------------------------------------------------------------- latency

def _timed(fn):
    start = time.monotonic()
    fn()
    return time.monotonic() - start


def test_latency_delays_aws_answers_not_control_endpoints(harness):
    logs = harness.client("logs")
    logs.describe_log_groups()  # connection and client warm
    status, body = harness.control("POST", "/_onwatch/latency", {"ms": 300})
    assert (status, body) == (200, {"ms": 300, "start_ms": 0})
    assert harness.control("GET", "/_onwatch/latency")[1]["ms"] == 300
    assert _timed(logs.describe_log_groups) >= 0.3
    # an injected fault is an answer too: it takes the round trip as well
    harness.control("POST", "/_onwatch/fault", {"service": "sns", "code": "AccessDenied",
                                                  "status": 403})
    sns = harness.client("sns")
    sns.meta.config.retries = {"max_attempts": 0}
    with pytest.raises(botocore.exceptions.ClientError):
        assert _timed(sns.list_topics) >= 0.3
    # control endpoints and moto's own API are never delayed
    for method, path in (("GET", "/_onwatch/health"), ("GET", "/_onwatch/calls"),
                         ("GET", "/_onwatch/fault"), ("GET", "/_onwatch/latency")):
        assert _timed(lambda: harness.control(method, path)) < 0.2, path
    assert _timed(lambda: urllib.request.urlopen(harness.url + "/moto-api/data.json").read()) < 0.2
    assert harness.control("POST", "/_onwatch/latency", {"ms": -1})[0] == 400
    assert harness.control("POST", "/_onwatch/latency", {"ms": "5"})[0] == 400
    # a reset goes back to the command line's latency (none here)
    harness.reset()
    assert harness.control("GET", "/_onwatch/latency")[1] == {"ms": 0, "start_ms": 0}
    assert _timed(logs.describe_log_groups) < 0.2


def test_latency_overlaps_across_concurrent_requests(harness):
    from concurrent.futures import ThreadPoolExecutor

    clients = [harness.client("logs"), harness.client("ecr", "eu-west-1")]
    clients[0].describe_log_groups()
    clients[1].describe_repositories()
    harness.control("POST", "/_onwatch/latency", {"ms": 200})
    harness.control("DELETE", "/_onwatch/calls")
    with ThreadPoolExecutor(2) as pool:
        elapsed = _timed(lambda: list(pool.map(
            lambda f: f(), [clients[0].describe_log_groups, clients[1].describe_repositories])))
    # two 200 ms round trips at once: about 200 ms, not 400
    assert 0.2 <= elapsed < 0.35, elapsed
    _, calls = harness.control("GET", "/_onwatch/calls")
    spans = [(e["start"], e["end"]) for e in calls["requests_log"]]
    assert len(spans) == 2
    assert max(s for s, _ in spans) < min(e for _, e in spans)  # they overlapped


def test_command_line_latency_survives_reset_and_does_not_slow_seeding():
    h = start_harness("--latency-ms", "150", "--seed", "scaled", "--n", "3")
    try:
        assert h.control("GET", "/_onwatch/latency")[1] == {"ms": 150, "start_ms": 150}
        # seeding over loopback is not delayed: 3 of each kind still seed fast
        elapsed = _timed(lambda: h.control("POST", "/_onwatch/seed",
                                           {"scenario": "scaled", "n": 3,
                                            "regions": ["eu-west-1"]}))
        assert elapsed < 10, elapsed
        cw = h.client("cloudwatch", "eu-west-1")
        assert _timed(cw.describe_alarms) >= 0.15
        h.control("POST", "/_onwatch/latency", {"ms": 0})
        h.reset()
        assert h.control("GET", "/_onwatch/latency")[1]["ms"] == 150
    finally:
        assert stop_harness(h) == 0


# ------------------------------------------------- request log and CPU

def test_calls_report_server_cpu_and_requests_log(harness):
    logs = harness.client("logs")
    for i in range(30):
        logs.create_log_group(logGroupName=f"/cpu/{i}")
    harness.control("DELETE", "/_onwatch/calls")
    _, body = harness.control("GET", "/_onwatch/calls")
    assert body["requests_log"] == [] and body["server_cpu_seconds"] < 0.5
    before = time.monotonic()
    for _ in range(20):
        logs.describe_log_groups()
    harness.client("sns", "eu-west-1").list_topics()
    after = time.monotonic()
    _, body = harness.control("GET", "/_onwatch/calls")
    log = body["requests_log"]
    assert len(log) == body["total"] == 21
    assert log[-1]["service"] == "sns" and log[-1]["region"] == "eu-west-1"
    assert log[-1]["operation"] == "ListTopics" and log[-1]["status"] == 200
    assert {e["operation"] for e in log[:-1]} == {"DescribeLogGroups"}
    # monotonic seconds, in the server's clock (the same host clock here);
    # end is when the answer was ready, so a request sent after reading the
    # previous answer starts after its end
    for e in log:
        assert before <= e["start"] <= e["end"] <= after
    assert all(a["end"] <= b["start"] for a, b in zip(log, log[1:]))
    # 21 requests cost the server some CPU, and not more than the wall time
    assert 0 < body["server_cpu_seconds"] <= (after - before) * 2 + 0.1
    harness.reset()
    _, body = harness.control("GET", "/_onwatch/calls")
    assert body["requests_log"] == [] and body["total"] == 0
