"""The harness WSGI application: control endpoints, fault injection, call
counting and response fix-ups in front of moto's server app."""

from __future__ import annotations

import io
import json
import sys
import threading
import time
from collections import Counter

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

from . import patches
from .cbor_front import CborFront
from .protocol import (
    carries_page_token,
    error_response,
    operation_name,
    parse_auth,
    request_kind,
)

HTTP_REASONS = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found",
                405: "Method Not Allowed", 500: "Internal Server Error"}


def _status_line(code: int) -> str:
    from http import HTTPStatus

    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return f"{code} Error"


class HarnessState:
    """Faults and call accounting.

    `calls` counts HTTP requests (every attempt, retries included). A request
    is identified by (service, region, operation, query, body); `requests`
    maps it to the SDK invocations that sent it (the `amz-sdk-invocation-id`
    header, the same on every retry of one operation call), so a retry is not
    a duplicate but the same request sent by two invocations is. A request
    naming a resource by ARN (GetTrailStatus of a trail, tags of an alarm) is
    also keyed without its region in `resources`: reading one resource from
    two regions is a duplicate too.

    `requests_log` has one entry per counted HTTP request (arrival and end in
    time.monotonic() seconds, end after the body was written, latency
    included), and `cpu_base` the process CPU time at the last clear, so a
    benchmark can tell round trips and server work apart. `latency_ms` delays
    every AWS answer; a reset puts it back to `start_latency_ms` (the
    command line's --latency-ms), so only a command-line latency survives it.
    """

    def __init__(self, latency_ms: float = 0):
        self.lock = threading.Lock()
        self.faults: list[dict] = []
        self.calls: Counter = Counter()
        self.requests: dict = {}
        self.resources: dict = {}
        self.requests_log: list[dict] = []
        self.cpu_base = time.process_time()
        self.seeded: list[str] = []
        self.start_latency_ms = latency_ms
        self.latency_ms = latency_ms
        self._anonymous = 0

    def clear_calls(self):
        with self.lock:
            self.calls.clear()
            self.requests.clear()
            self.resources.clear()
            self.requests_log = []
            # process_time() is the CPU time (user + system) of every thread
            # of this process: the request threads and moto's work in them.
            self.cpu_base = time.process_time()

    def reset(self):
        self.clear_calls()
        with self.lock:
            self.faults.clear()
            self.seeded.clear()
            self.latency_ms = self.start_latency_ms
        patches.SAMPLE_FINDINGS.clear()

    def record(self, service, region, op, query: str, body: bytes, invocation: str | None,
               entry: dict | None = None):
        with self.lock:
            if entry is not None:
                self.requests_log.append(entry)
            self.calls[(service, region, op)] += 1
            if not invocation:
                # No SDK invocation id: every request is its own invocation.
                self._anonymous += 1
                invocation = f"anonymous-{self._anonymous}"
            self.requests.setdefault((service, region, op, query, body), set()).add(invocation)
            text = query + " " + body.decode("utf-8", "replace")
            if "arn:" in text or "arn%3A" in text:
                self.resources.setdefault((service, op, query, body), set()).add(region)


# Requests sent by the seeder (seeds.py) carry this header: they are neither
# delayed nor counted, so a latency set before or during a seed does not slow
# it down and a seed never shows up as scanner calls.
SEED_HEADER = "x-onwatch-seed"
MAX_LATENCY_MS = 60_000


class HarnessApp:
    def __init__(self, verbose: bool = False, latency_ms: float = 0):
        patches.apply()
        self.verbose = verbose
        self.state = HarnessState(latency_ms)
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

        if environ.get("HTTP_X_ONWATCH_SEED"):
            return self.inner(environ, start_response)
        start = time.monotonic()
        service, region = parse_auth(environ)
        kind = request_kind(environ, service)
        op = operation_name(environ, service, kind, body)
        entry = None
        if service:
            entry = {"service": service, "region": region, "operation": op,
                     "start": start, "end": None, "status": None}
            self.state.record(service, region, op, environ.get("QUERY_STRING", ""), body,
                              environ.get("HTTP_AMZ_SDK_INVOCATION_ID"), entry)
            start_response = self._status_into(entry, start_response)
        # The simulated round trip: a sleep in this request's own thread, no
        # lock held, so concurrent requests overlap as they do against AWS.
        latency = self.state.latency_ms
        if latency > 0:
            time.sleep(latency / 1000.0)
        answer = self._answer(environ, start_response, service, region, kind, op, body)
        if entry is None:
            return answer
        # The request ends when its whole answer is ready to be written (the
        # latency included): a request a client sends after reading the
        # answer always starts after this end, which is what lets a benchmark
        # chain dependent requests from the log. (Closing the iterable after
        # the write would be later than the client's next request.)
        try:
            chunks = list(answer)
        finally:
            if hasattr(answer, "close"):
                answer.close()
        entry["end"] = time.monotonic()
        return chunks

    @staticmethod
    def _status_into(entry: dict, start_response):
        def _sr(status, headers, exc_info=None):
            try:
                entry["status"] = int(status.split(" ", 1)[0])
            except ValueError:
                pass
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        return _sr

    def _answer(self, environ, start_response, service, region, kind, op, body):
        if service:
            hit = None
            with self.state.lock:
                for fault in self.state.faults:
                    if fault["service"] != service:
                        continue
                    if fault.get("region", "*") not in ("*", region):
                        continue
                    if fault.get("operation") not in (None, "", "*", op):
                        continue
                    # A fault on later pages only: the first page succeeds, so a
                    # scanner that drops the failed page would return a short list.
                    if fault.get("paged") and not carries_page_token(environ, kind, body):
                        continue
                    # A fault with `times` answers that many matching requests, then
                    # lets them through (a throttle that a retry gets past).
                    if "times" in fault:
                        if fault["times"] <= 0:
                            continue
                        fault["times"] -= 1
                    hit = fault
                    break
            if hit is not None:
                fault = hit
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
            if path == "/_onwatch/latency":
                if method == "POST":
                    ms = payload.get("ms")
                    if (isinstance(ms, bool) or not isinstance(ms, (int, float))
                            or not 0 <= ms <= MAX_LATENCY_MS):
                        return self._json(start_response, 400, {
                            "error": f"ms must be a number of milliseconds, 0..{MAX_LATENCY_MS}"})
                    self.state.latency_ms = ms
                if method in ("POST", "GET"):
                    return self._json(start_response, 200, {
                        "ms": self.state.latency_ms, "start_ms": self.state.start_latency_ms})
            if path == "/_onwatch/calls" and method == "GET":
                return self._json(start_response, 200, self.calls_report())
            if path == "/_onwatch/calls" and method == "DELETE":
                self.state.clear_calls()
                return self._json(start_response, 200, {"total": 0})
            if path == "/_onwatch/seed" and method == "POST":
                from . import seeds

                scenario = payload.get("scenario", "demo")
                if scenario not in seeds.SCENARIOS:
                    return self._json(start_response, 400,
                                      {"error": f"unknown scenario {scenario}",
                                       "scenarios": sorted(seeds.SCENARIOS)})
                size = payload.get("n")
                if size is not None:
                    _, low, high = seeds.SIZES.get(scenario, (None, 1, 0))
                    if isinstance(size, bool) or not isinstance(size, int) \
                            or not low <= size <= high:
                        return self._json(start_response, 400, {
                            "error": "n (1..1000) is for the scaled scenario, "
                                     "n (1..20000) for fixbench; no other takes one"})
                try:
                    n = seeds.seed(self.base_url, scenario, payload.get("regions"),
                                   n=payload.get("n"))
                except Exception as exc:  # a failed seed must say why, not be a bare 500
                    import traceback

                    traceback.print_exc()
                    return self._json(start_response, 500,
                                      {"error": f"seeding {scenario} failed: {exc!r}"})
                # seeding traffic does not count as scanner calls
                self.state.clear_calls()
                with self.state.lock:
                    self.state.seeded.append(scenario)
                return self._json(start_response, 200, {"seeded": scenario, "resources": n})
            if path == "/_onwatch/sns/confirm" and method == "POST":
                confirmed = patches.sns_confirm(payload.get("subscription_arn"),
                                                payload.get("topic_arn"))
                return self._json(start_response, 200, {"confirmed": confirmed})
            if path == "/_onwatch/cloudwatch/history" and method == "POST":
                n = patches.cloudwatch_backdate(payload)
                return self._json(start_response, 200, {"changes": n})
            if path == "/_onwatch/guardduty/samples" and method == "GET":
                return self._json(start_response, 200, {"samples": patches.SAMPLE_FINDINGS})
            if path == "/_onwatch/health":
                return self._json(start_response, 200, {"ok": True})
        except patches.HarnessError as exc:
            return self._json(start_response, exc.status, {"error": str(exc)})
        return self._json(start_response, 404, {"error": f"no control endpoint {method} {path}"})

    def calls_report(self):
        cpu = time.process_time()
        with self.state.lock:
            cpu -= self.state.cpu_base
            log = [dict(e) for e in self.state.requests_log]
            calls: dict = {}
            regions: dict = {}
            total = 0
            for (service, region, op), n in self.state.calls.items():
                calls.setdefault(service, {})
                calls[service][op] = calls[service].get(op, 0) + n
                per = regions.setdefault(region or "?", {}).setdefault(service, {})
                per[op] = per.get(op, 0) + n
                total += n
            invocations = sum(len(i) for i in self.state.requests.values())
            duplicates = [
                {"service": s, "region": r, "operation": o, "count": len(inv),
                 "request": (q + " " + b.decode("utf-8", "replace")).strip()[:500]}
                for (s, r, o, q, b), inv in self.state.requests.items() if len(inv) > 1
            ]
            duplicates += [
                {"service": s, "region": ",".join(sorted(rs)), "operation": o,
                 "count": len(rs),
                 "request": (q + " " + b.decode("utf-8", "replace")).strip()[:500]}
                for (s, o, q, b), rs in self.state.resources.items() if len(rs) > 1
            ]
        return {"calls": calls, "regions": regions, "total": total,
                "invocations": invocations, "duplicates": duplicates,
                "server_cpu_seconds": round(cpu, 4), "requests_log": log}
