"""The harness WSGI application: control endpoints, fault injection, call
counting and response fix-ups in front of moto's server app."""

from __future__ import annotations

import io
import json
import sys
import threading
from collections import Counter

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

from . import patches
from .cbor_front import CborFront
from .protocol import error_response, operation_name, parse_auth, request_kind

HTTP_REASONS = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found",
                405: "Method Not Allowed", 500: "Internal Server Error"}


def _status_line(code: int) -> str:
    from http import HTTPStatus

    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return f"{code} Error"


class HarnessState:
    def __init__(self):
        self.lock = threading.Lock()
        self.faults: list[dict] = []
        self.calls: Counter = Counter()
        self.bodies: Counter = Counter()
        self.seeded: list[str] = []

    def reset(self):
        with self.lock:
            self.faults.clear()
            self.calls.clear()
            self.bodies.clear()
            self.seeded.clear()


class HarnessApp:
    def __init__(self, verbose: bool = False):
        patches.apply()
        self.verbose = verbose
        self.state = HarnessState()
        self.moto = DomainDispatcherApplication(create_backend_app)
        self.inner = patches.ResponseFixups(CborFront(self.moto))
        self.base_url = None  # set once the server is bound

    # ------------------------------------------------------------------ WSGI
    def __call__(self, environ, start_response):
        body = self._read_body(environ)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        path = environ.get("PATH_INFO", "")
        if path.startswith("/_onwatch/"):
            return self._control(environ, start_response, path, body)
        if path.startswith("/moto-api/reset") and environ.get("REQUEST_METHOD") == "POST":
            self.state.reset()
            result = self.moto(environ, start_response)
            return result
        if path.startswith("/moto-api"):
            return self.moto(environ, start_response)

        service, region = parse_auth(environ)
        kind = request_kind(environ, service)
        op = operation_name(environ, service, kind, body)
        if service:
            key = (service, region, op)
            with self.state.lock:
                self.state.calls[key] += 1
                self.state.bodies[(service, region, op,
                                   environ.get("QUERY_STRING", ""), body)] += 1
                faults = list(self.state.faults)
            for fault in faults:
                if fault["service"] != service:
                    continue
                if fault.get("region", "*") not in ("*", region):
                    continue
                if fault.get("operation") not in (None, "", "*", op):
                    continue
                status, headers, err = error_response(
                    kind, int(fault.get("status", 400)), fault.get("code", "AccessDeniedException"),
                    fault.get("message", "injected fault"), environ,
                )
                start_response(_status_line(status), headers)
                return [err]
        if self.verbose:
            print(f"{service} {region} {op}", file=sys.stderr)
        return self.inner(environ, start_response)

    @staticmethod
    def _read_body(environ) -> bytes:
        stream = environ.get("wsgi.input")
        if stream is None:
            return b""
        length = environ.get("CONTENT_LENGTH")
        if length:
            try:
                return stream.read(int(length))
            except ValueError:
                return b""
        if environ.get("wsgi.input_terminated") or environ.get("HTTP_TRANSFER_ENCODING"):
            return stream.read()
        return b""

    # ------------------------------------------------------- control plane
    def _json(self, start_response, status, payload):
        data = json.dumps(payload, default=str).encode()
        start_response(_status_line(status), [("Content-Type", "application/json"),
                                               ("Content-Length", str(len(data)))])
        return [data]

    def _control(self, environ, start_response, path, body):
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            payload = json.loads(body) if body.strip() else {}
        except ValueError:
            return self._json(start_response, 400, {"error": "body is not JSON"})
        try:
            if path == "/_onwatch/fault":
                if method == "POST":
                    if not payload.get("service"):
                        return self._json(start_response, 400, {"error": "service required"})
                    fault = {"region": "*", "status": 400, "code": "AccessDeniedException",
                             "message": "User is not authorized to perform this action"}
                    fault.update(payload)
                    with self.state.lock:
                        self.state.faults.append(fault)
                        n = len(self.state.faults)
                    return self._json(start_response, 200, {"faults": n})
                if method == "DELETE":
                    with self.state.lock:
                        self.state.faults.clear()
                    return self._json(start_response, 200, {"faults": 0})
                if method == "GET":
                    return self._json(start_response, 200, {"faults": self.state.faults})
            if path == "/_onwatch/calls" and method == "GET":
                return self._json(start_response, 200, self.calls_report())
            if path == "/_onwatch/calls" and method == "DELETE":
                with self.state.lock:
                    self.state.calls.clear()
                    self.state.bodies.clear()
                return self._json(start_response, 200, {"total": 0})
            if path == "/_onwatch/seed" and method == "POST":
                from . import seeds

                scenario = payload.get("scenario", "demo")
                if scenario not in seeds.SCENARIOS:
                    return self._json(start_response, 400,
                                      {"error": f"unknown scenario {scenario}",
                                       "scenarios": sorted(seeds.SCENARIOS)})
                n = seeds.seed(self.base_url, scenario, payload.get("regions"))
                with self.state.lock:
                    self.state.seeded.append(scenario)
                    # seeding traffic does not count as scanner calls
                    self.state.calls.clear()
                    self.state.bodies.clear()
                return self._json(start_response, 200, {"seeded": scenario, "resources": n})
            if path == "/_onwatch/sns/confirm" and method == "POST":
                confirmed = patches.sns_confirm(payload.get("subscription_arn"),
                                                payload.get("topic_arn"))
                return self._json(start_response, 200, {"confirmed": confirmed})
            if path == "/_onwatch/cloudwatch/history" and method == "POST":
                n = patches.cloudwatch_backdate(payload)
                return self._json(start_response, 200, {"changes": n})
            if path == "/_onwatch/health":
                return self._json(start_response, 200, {"ok": True})
        except patches.HarnessError as exc:
            return self._json(start_response, exc.status, {"error": str(exc)})
        return self._json(start_response, 404, {"error": f"no control endpoint {method} {path}"})

    def calls_report(self):
        with self.state.lock:
            calls: dict = {}
            total = 0
            for (service, _region, op), n in self.state.calls.items():
                calls.setdefault(service, {})
                calls[service][op] = calls[service].get(op, 0) + n
                total += n
            duplicates = [
                {"service": s, "region": r, "operation": o, "count": n,
                 "request": (q + " " + b.decode("utf-8", "replace")).strip()[:500]}
                for (s, r, o, q, b), n in self.state.bodies.items() if n > 1
            ]
        return {"calls": calls, "total": total, "duplicates": duplicates}
