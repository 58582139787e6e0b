"""python -m local_aws [--port N] [--seed NAME] [--n N] [--latency-ms MS] [--verbose]

Starts one threaded HTTP server on 127.0.0.1 in front of moto, optionally
seeds a scenario, then prints exactly `ready http://127.0.0.1:PORT` on stdout.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="local-aws")
    parser.add_argument("--port", type=int, default=0, help="port (0 or absent: a free one)")
    parser.add_argument("--seed", default=None,
                        help="demo | healthy | neglected | large | xlarge | paged | scaled | fixbench")
    parser.add_argument("--regions", default=None, help="comma-separated regions for --seed")
    parser.add_argument("--n", type=int, default=None, help="size: resources per kind for --seed scaled (1..1000, default 20), "
                             "log groups for --seed fixbench (1..20000, default 10000)")
    parser.add_argument("--latency-ms", type=float, default=0,
                        help="delay every AWS answer by this many ms (not control endpoints, "
                             "not seeding); survives POST /moto-api/reset")
    parser.add_argument("--verbose", action="store_true", help="log requests to stderr")
    args = parser.parse_args(argv)
    if not 0 <= args.latency_ms <= 60_000:
        parser.error("--latency-ms must be 0..60000")
    if float(args.latency_ms).is_integer():
        args.latency_ms = int(args.latency_ms)

    # moto must never reach out to real AWS or docker; keep it quiet.
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    os.environ.pop("AWS_ENDPOINT_URL", None)
    os.environ.pop("AWS_PROFILE", None)
    if not args.verbose:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)

    from werkzeug.serving import make_server
    from moto.moto_server.werkzeug_app import MotoRequestHandler

    from .app import HarnessApp

    app = HarnessApp(verbose=args.verbose, latency_ms=args.latency_ms)

    class QuietHandler(MotoRequestHandler):
        def log_request(self, *a, **k):
            if args.verbose:
                super().log_request(*a, **k)

    server = make_server("127.0.0.1", args.port, app, threaded=True,
                         request_handler=QuietHandler)
    port = server.server_port
    app.base_url = f"http://127.0.0.1:{port}"
    thread = threading.Thread(target=server.serve_forever, name="http", daemon=True)
    thread.start()

    stop = threading.Event()

    def _stop(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)

    if args.seed:
        from . import seeds

        regions = args.regions.split(",") if args.regions else None
        try:
            n = seeds.seed(app.base_url, args.seed, regions, n=args.n)
        except Exception as exc:  # seeding failure is fatal: tests would lie
            import traceback

            traceback.print_exc()
            print(f"local-aws: seeding {args.seed} failed: {exc}", file=sys.stderr)
            server.shutdown()
            return 1
        app.state.clear_calls()
        print(f"local-aws: seeded {args.seed}: {n} resources", file=sys.stderr)

    sys.stdout.write(f"ready {app.base_url}\n")
    sys.stdout.flush()
    while not stop.wait(3600):
        pass
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
