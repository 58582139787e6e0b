"""Raw Smithy RPC v2 CBOR requests, signed like the Rust SDK signs them."""

from __future__ import annotations

import urllib.error
import urllib.request

import cbor2
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def cbor_call(url: str, operation: str, body: dict | bytes, region: str = "us-east-1",
              service_shape: str = "GraniteServiceVersion20100801"):
    """POST /service/<shape>/operation/<op> with a CBOR body; returns
    (status, headers, decoded body)."""
    payload = body if isinstance(body, bytes) else cbor2.dumps(body)
    full = f"{url}/service/{service_shape}/operation/{operation}"
    req = AWSRequest(method="POST", url=full, data=payload, headers={
        "Content-Type": "application/cbor",
        "Accept": "application/cbor",
        "smithy-protocol": "rpc-v2-cbor",
    })
    SigV4Auth(Credentials("testing", "testing"), "monitoring", region).add_auth(req)
    http = urllib.request.Request(full, data=payload, method="POST",
                                  headers=dict(req.headers.items()))
    try:
        with urllib.request.urlopen(http, timeout=30) as resp:
            return resp.status, dict(resp.headers.items()), cbor2.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers.items()), cbor2.loads(err.read())
