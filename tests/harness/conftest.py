"""Fixtures: one harness server (scripts/local-aws) per test session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import boto3
import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCAL_AWS = ROOT / "scripts" / "local-aws"

os.environ["AWS_ACCESS_KEY_ID"] = "testing"
os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
os.environ.pop("AWS_PROFILE", None)
os.environ.pop("AWS_ENDPOINT_URL", None)


class Harness:
    def __init__(self, url: str, proc: subprocess.Popen):
        self.url = url
        self.proc = proc

    def client(self, service: str, region: str = "us-east-1"):
        return boto3.client(service, endpoint_url=self.url, region_name=region,
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    def control(self, method: str, path: str, payload=None):
        data = json.dumps(payload).encode() if payload is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=180) as resp:
                return resp.status, json.loads(resp.read() or b"{}")
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read() or b"{}")

    def reset(self):
        status, _ = self.control("POST", "/moto-api/reset", {})
        assert status == 200


def start_harness(*args: str) -> Harness:
    proc = subprocess.Popen([str(LOCAL_AWS), *args], stdout=subprocess.PIPE,
                            stderr=sys.stderr, text=True)
    line = proc.stdout.readline().strip()
    if not line.startswith("ready http://127.0.0.1:"):
        proc.kill()
        raise RuntimeError(f"harness did not start: {line!r}")
    return Harness(line.split()[1], proc)


def stop_harness(h: Harness) -> int:
    h.proc.terminate()
    try:
        return h.proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        h.proc.kill()
        return h.proc.wait()


@pytest.fixture(scope="session")
def server():
    h = start_harness()
    yield h
    stop_harness(h)


@pytest.fixture
def harness(server):
    server.reset()
    yield server
