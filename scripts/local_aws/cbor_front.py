"""Smithy RPC v2 CBOR front for services moto only serves over awsJson.

Spec: https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2.html
  * request:  POST /service/{ServiceName}/operation/{OperationName},
              Content-Type: application/cbor, smithy-protocol: rpc-v2-cbor
  * response: same headers, CBOR map body; timestamps are tag 1 (epoch
              seconds), blobs are byte strings; errors are a CBOR map with
              "__type" and "message" and a non-2xx status.

aws-sdk-cloudwatch (Rust) >= 1.100 and botocore >= 1.40 speak this protocol
to CloudWatch ("monitoring"); moto 5.2.5 answers it with 404. We translate the
request to awsJson1_0 (X-Amz-Target: GraniteServiceVersion20100801.<Op>),
which moto's CloudWatch supports, and the JSON answer back to CBOR, walking
the botocore service model shapes generically (no per-operation code).
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import re

import cbor2

from .protocol import service_model

PATH_RE = re.compile(r"^/service/([^/]+)/operation/([^/]+)$")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def _to_epoch(value):
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return (value - EPOCH).total_seconds()
    if isinstance(value, cbor2.CBORTag):
        return float(value.value)
    if isinstance(value, str):
        return _parse_iso(value)
    return value


def _parse_iso(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        pass
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return (value - EPOCH).total_seconds()


def cbor_to_json(shape, value):
    """Decoded CBOR value -> JSON-able value for awsJson, following `shape`."""
    if value is None or shape is None:
        return value
    t = shape.type_name
    if t == "structure":
        if not isinstance(value, dict):
            return value
        out = {}
        for k, v in value.items():
            if v is None:
                continue
            out[k] = cbor_to_json(shape.members.get(k), v)
        return out
    if t == "list":
        return [cbor_to_json(shape.member, v) for v in value]
    if t == "map":
        return {k: cbor_to_json(shape.value, v) for k, v in value.items()}
    if t == "timestamp":
        return _to_epoch(value)
    if t == "blob":
        if isinstance(value, (bytes, bytearray)):
            return base64.b64encode(bytes(value)).decode()
        return value
    return value


def json_to_cbor(shape, value):
    """awsJson value -> Python value that cbor2 encodes as Smithy expects."""
    if value is None or shape is None:
        return value
    t = shape.type_name
    if t == "structure":
        if not isinstance(value, dict):
            return value
        out = {}
        for k, v in value.items():
            if v is None:
                continue
            out[k] = json_to_cbor(shape.members.get(k), v)
        return out
    if t == "list":
        return [json_to_cbor(shape.member, v) for v in value]
    if t == "map":
        return {k: json_to_cbor(shape.value, v) for k, v in value.items()}
    if t == "timestamp":
        return cbor2.CBORTag(1, float(_to_epoch(value)))
    if t == "blob":
        if isinstance(value, str):
            return base64.b64decode(value)
        return value
    if t in ("double", "float"):
        return float(value)
    if t in ("integer", "long", "short", "byte"):
        return int(value)
    if t == "boolean":
        if isinstance(value, str):
            return value.lower() == "true"
        return bool(value)
    return value


class CborFront:
    """WSGI middleware: rpcv2Cbor <-> awsJson1_0 for the given services."""

    def __init__(self, app, model_names=("cloudwatch",)):
        self.app = app
        self.models = {}
        for name in model_names:
            model = service_model(name)
            self.models[model.metadata["targetPrefix"]] = model
            # Smithy service shape name, e.g. GraniteServiceVersion20100801
            self.models[model.metadata.get("targetPrefix")] = model

    def __call__(self, environ, start_response):
        m = PATH_RE.match(environ.get("PATH_INFO", ""))
        if (
            not m
            or (environ.get("HTTP_SMITHY_PROTOCOL") or "").lower() != "rpc-v2-cbor"
            or m.group(1) not in self.models
        ):
            return self.app(environ, start_response)
        model = self.models[m.group(1)]
        op_name = m.group(2)
        try:
            op = model.operation_model(op_name)
        except Exception:
            return self._error(start_response, 400, "UnknownOperationException",
                               f"Unknown operation {op_name}")
        raw = environ["wsgi.input"].read()
        try:
            decoded = cbor2.loads(raw) if raw else {}
        except Exception as exc:
            return self._error(start_response, 400, "SerializationException", str(exc))
        if not isinstance(decoded, dict):
            decoded = {}
        body = json.dumps(cbor_to_json(op.input_shape, decoded) if op.input_shape else {})
        body_bytes = body.encode()

        inner = dict(environ)
        inner["PATH_INFO"] = "/"
        inner["RAW_URI"] = "/"
        inner["REQUEST_URI"] = "/"
        inner["QUERY_STRING"] = ""
        inner["CONTENT_TYPE"] = "application/x-amz-json-1.0"
        inner["HTTP_X_AMZ_TARGET"] = f"{m.group(1)}.{op_name}"
        inner.pop("HTTP_SMITHY_PROTOCOL", None)
        inner.pop("HTTP_ACCEPT", None)
        inner["CONTENT_LENGTH"] = str(len(body_bytes))
        inner["wsgi.input"] = io.BytesIO(body_bytes)

        captured = {}

        def _sr(status, headers, exc_info=None):
            captured["status"] = status
            captured["headers"] = headers
            return lambda data: None

        chunks = self.app(inner, _sr)
        try:
            out = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        status_code = int(captured["status"].split()[0])
        headers = {k.lower(): v for k, v in captured["headers"]}
        try:
            payload = json.loads(out) if out.strip() else {}
        except ValueError:
            payload = {"__type": "InternalFailure", "message": out.decode("utf-8", "replace")}
            status_code = 500 if status_code < 400 else status_code
        if status_code >= 300:
            code = headers.get("x-amzn-errortype") or payload.get("__type") or "InternalFailure"
            code = code.split(":")[0].split("#")[-1]
            message = payload.get("message") or payload.get("Message") or ""
            query_error = headers.get("x-amzn-query-error")
            return self._error(start_response, status_code, code, message, query_error)
        result = json_to_cbor(op.output_shape, payload) if op.output_shape else {}
        body = cbor2.dumps(result or {})
        start_response(
            "200 OK",
            [
                ("Content-Type", "application/cbor"),
                ("smithy-protocol", "rpc-v2-cbor"),
                ("x-amzn-RequestId", headers.get("x-amzn-requestid", "0")),
                ("Content-Length", str(len(body))),
            ],
        )
        return [body]

    @staticmethod
    def _error(start_response, status, code, message, query_error=None):
        body = cbor2.dumps({"__type": code, "message": message})
        headers = [
            ("Content-Type", "application/cbor"),
            ("smithy-protocol", "rpc-v2-cbor"),
            ("Content-Length", str(len(body))),
        ]
        if query_error:
            headers.append(("x-amzn-query-error", query_error))
        from http import HTTPStatus

        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = "Error"
        start_response(f"{status} {reason}", headers)
        return [body]
