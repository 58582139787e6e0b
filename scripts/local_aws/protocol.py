"""Request classification and AWS wire-protocol error rendering.

Everything here is derived from the SigV4 Authorization header and the
botocore service models, so it works for every service moto serves.
"""

from __future__ import annotations

import functools
import json
import re
import uuid
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

import botocore.session

# SigV4 credential-scope service name -> botocore service model name.
SIGNING_TO_MODEL = {
    "monitoring": "cloudwatch",
    "elasticloadbalancing": "elbv2",
    "tagging": "resourcegroupstaggingapi",
    "access-analyzer": "accessanalyzer",
    "application-autoscaling": "application-autoscaling",
    "execute-api": "apigateway",
    "es": "es",
    "email": "ses",
    "states": "stepfunctions",
}

_SESSION = botocore.session.get_session()
_LOCK = __import__("threading").Lock()


@functools.lru_cache(maxsize=None)
def service_model(model_name: str):
    with _LOCK:
        try:
            return _SESSION.get_service_model(model_name)
        except Exception:  # unknown service
            return None


def model_for(signing_service: str, params: dict | None = None):
    name = SIGNING_TO_MODEL.get(signing_service, signing_service)
    if name == "elbv2" and params and params.get("Version") == "2012-06-01":
        name = "elb"
    return service_model(name)


def parse_auth(environ) -> tuple[str | None, str | None]:
    """(service, region) from the SigV4 credential scope, or (None, None)."""
    auth = environ.get("HTTP_AUTHORIZATION") or ""
    m = re.search(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request", auth)
    if not m:
        return None, None
    return m.group(2).lower(), m.group(1)


def request_kind(environ, service: str | None) -> str:
    """Wire protocol of the request: cbor | json | query | ec2 | rest-json | rest-xml."""
    if (environ.get("HTTP_SMITHY_PROTOCOL") or "").lower() == "rpc-v2-cbor":
        return "cbor"
    ctype = (environ.get("CONTENT_TYPE") or "").lower()
    if ctype.startswith("application/x-amz-json"):
        return "json"
    if environ.get("HTTP_X_AMZ_TARGET"):
        return "json"
    if ctype.startswith("application/x-www-form-urlencoded") or "Action=" in (
        environ.get("QUERY_STRING") or ""
    ):
        return "ec2" if service == "ec2" else "query"
    model = model_for(service) if service else None
    if model is not None and model.protocol == "rest-xml":
        return "rest-xml"
    return "rest-json"


@functools.lru_cache(maxsize=None)
def _rest_routes(model_name: str):
    model = service_model(model_name)
    routes = []
    if model is None:
        return routes
    for op_name in model.operation_names:
        http = model.operation_model(op_name).http
        uri = http.get("requestUri", "/").split("?")[0]
        literal = len(re.sub(r"\{[^}]+\}", "", uri))
        pattern = ""
        for part in re.split(r"(\{[^}]+\})", uri):
            if part.startswith("{"):
                pattern += ".+" if part.endswith("+}") else "[^/]+"
            else:
                pattern += re.escape(part)
        routes.append(
            (literal, http.get("method", "POST"), re.compile(f"^{pattern}/?$"), op_name)
        )
    routes.sort(key=lambda r: -r[0])
    return routes


def operation_name(environ, service: str | None, kind: str, body: bytes) -> str:
    path = environ.get("PATH_INFO", "")
    if kind == "cbor":
        m = re.match(r"^/service/[^/]+/operation/([^/]+)$", path)
        return m.group(1) if m else "?"
    if kind == "json":
        target = environ.get("HTTP_X_AMZ_TARGET") or ""
        return target.rsplit(".", 1)[-1] if target else "?"
    if kind in ("query", "ec2"):
        params = query_params(environ, body)
        return params.get("Action", "?")
    if not service:
        return "?"
    model = model_for(service)
    if model is None:
        return "?"
    method = environ.get("REQUEST_METHOD", "GET")
    for _, m, rx, op in _rest_routes(model.service_name):
        if m == method and rx.match(path):
            return op
    return "?"


# Request members that carry a page token, across protocols and services
# (NextToken, nextToken: most; NextPageToken: Cost Explorer; Marker: RDS,
# ELBv2 and other query services; PaginationToken: the Resource Groups
# Tagging API's GetResources).
PAGE_TOKEN_KEYS = ("NextToken", "nextToken", "NextPageToken", "Marker", "marker",
                   "PaginationToken")


def request_params(environ, kind: str, body: bytes) -> dict:
    """The request's top-level members, best effort, for matching faults:
    query string and form body, or the JSON / CBOR body."""
    params = query_params(environ, body)
    if not body:
        return params
    try:
        if kind == "cbor":
            import cbor2

            decoded = cbor2.loads(body)
        elif kind in ("json", "rest-json"):
            decoded = json.loads(body)
        else:
            decoded = None
    except Exception:  # an unreadable body simply has no members
        decoded = None
    if isinstance(decoded, dict):
        params.update(decoded)
    return params


def carries_page_token(environ, kind: str, body: bytes) -> bool:
    params = request_params(environ, kind, body)
    return any(params.get(k) not in (None, "") for k in PAGE_TOKEN_KEYS)


def query_params(environ, body: bytes) -> dict:
    out = {}
    qs = environ.get("QUERY_STRING") or ""
    for k, v in parse_qs(qs, keep_blank_values=True).items():
        out[k] = v[0]
    ctype = (environ.get("CONTENT_TYPE") or "").lower()
    if ctype.startswith("application/x-www-form-urlencoded") and body:
        for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items():
            out[k] = v[0]
    return out


def error_response(kind: str, status: int, code: str, message: str, environ=None):
    """(status, headers, body) for an error in the request's own wire protocol."""
    request_id = str(uuid.uuid4())
    fault = "Receiver" if status >= 500 else "Sender"
    headers = [("x-amzn-RequestId", request_id)]
    if kind == "cbor":
        import cbor2

        body = cbor2.dumps({"__type": code, "message": message})
        headers += [
            ("Content-Type", "application/cbor"),
            ("smithy-protocol", "rpc-v2-cbor"),
            ("x-amzn-query-error", f"{code};{fault}"),
        ]
    elif kind == "json":
        ctype = (environ or {}).get("CONTENT_TYPE") or "application/x-amz-json-1.1"
        body = json.dumps({"__type": code, "message": message}).encode()
        headers += [("Content-Type", ctype), ("x-amzn-ErrorType", code)]
    elif kind == "rest-json":
        body = json.dumps({"__type": code, "message": message, "Message": message}).encode()
        headers += [("Content-Type", "application/json"), ("x-amzn-ErrorType", code)]
    elif kind == "ec2":
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Response><Errors><Error><Code>{escape(code)}</Code>"
            f"<Message>{escape(message)}</Message></Error></Errors>"
            f"<RequestID>{request_id}</RequestID></Response>"
        ).encode()
        headers += [("Content-Type", "text/xml")]
    elif kind == "rest-xml":
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message>"
            f"<RequestId>{request_id}</RequestId></Error>"
        ).encode()
        headers += [("Content-Type", "application/xml")]
    else:  # query
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<ErrorResponse><Error><Type>{fault}</Type><Code>{escape(code)}</Code>"
            f"<Message>{escape(message)}</Message></Error>"
            f"<RequestId>{request_id}</RequestId></ErrorResponse>"
        ).encode()
        headers += [("Content-Type", "text/xml")]
    headers.append(("Content-Length", str(len(body))))
    return status, headers, body
