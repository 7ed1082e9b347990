#!/usr/bin/env python3
"""Local AWS emulator for the test bench: moto behind a call recorder.

``emulator.py run [options] -- COMMAND...`` starts the emulator on a free loopback port, waits
until it answers, runs COMMAND with the endpoint in its environment, and stops the emulator when
COMMAND ends, fails, or the runner is interrupted (SIGINT/SIGTERM), and also if the runner itself
dies (the server asks the kernel for SIGTERM when its parent goes away).

``emulator.py serve`` is the server process itself. Every request is recorded to a JSON-lines file
(service, action, read or write, status) so tests and the benchmark count API calls at the HTTP
level, and a share of requests can be answered with throttling or 5xx errors to prove that every
call rides out what a large AWS account sends back.

The emulator is a test bench only: nothing in the collection depends on its quirks.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

# Settings the stack needs from moto: AWS managed IAM policies exist, ECS services report the
# running tasks they were asked for (the platform's alarms and waits read runningCount).
EMULATOR_SETTINGS = {
    "MOTO_IAM_LOAD_MANAGED_POLICIES": "true",
    "MOTO_ECS_SERVICE_RUNNING": "2",
    "MOTO_ALLOW_NONEXISTENT_REGION": "false",
    # An ACM certificate requested with DNS validation is issued after this many seconds (AWS
    # issues once the validation records resolve; moto's default is 60).
    "MOTO_ACM_VALIDATION_WAIT": "2",
}

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}

READ_PREFIXES = (
    "Describe",
    "List",
    "Get",
    "Head",
    "Lookup",
    "Search",
    "BatchGet",
    "Filter",
    "Query",
    "Scan",
    "Validate",
    "Simulate",
    "Check",
    "Estimate",
    "Preview",
    "Test",
)

CONTROL_PREFIX = "/_cloudplatform/"
_CREDENTIAL_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")


def classify(action: str, method: str) -> str:
    """Return "read" or "write" for one API call."""
    if action and not action.startswith(("GET ", "HEAD ", "PUT ", "POST ", "DELETE ", "PATCH ")):
        return "read" if action.startswith(READ_PREFIXES) else "write"
    return "read" if method in ("GET", "HEAD") else "write"


def describe_request(environ: dict, body: bytes) -> tuple[str, str, str]:
    """Work out (region, service, action) from a signed AWS request."""
    auth = environ.get("HTTP_AUTHORIZATION", "")
    match = _CREDENTIAL_SCOPE.search(auth)
    region, service = (match.group(1), match.group(2)) if match else ("", "")
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target:
        return region, service, target.rsplit(".", 1)[-1]
    query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
    if "Action" in query:
        return region, service, query["Action"][0]
    ctype = environ.get("CONTENT_TYPE", "")
    if body and "x-www-form-urlencoded" in ctype:
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        if "Action" in form:
            return region, service, form["Action"][0]
    path = environ.get("PATH_INFO", "/")
    # REST APIs (S3, Lambda, EventBridge Scheduler...): the method plus the first path segments
    # name the operation well enough to count it and to tell reads from writes.
    segments = [s for s in path.split("/") if s][:2]
    return region, service, f"{environ.get('REQUEST_METHOD', 'GET')} /{'/'.join(segments)}"


# (status, JSON error type, XML error code) of the two transient answers AWS gives.
_FAULTS = (
    ("503 Service Unavailable", "ServiceUnavailableException", "ServiceUnavailable"),
    ("400 Bad Request", "ThrottlingException", "Throttling"),
)
# Services whose REST protocol speaks XML (the rest of the REST services speak JSON).
_REST_XML = {"s3", "route53", "cloudfront"}


def _protocol(environ: dict, service: str) -> str:
    if environ.get("HTTP_X_AMZ_TARGET"):
        return "json"
    if "x-www-form-urlencoded" in environ.get("CONTENT_TYPE", "") or "Action=" in environ.get("QUERY_STRING", ""):
        return "query"
    return "rest-xml" if service in _REST_XML else "rest-json"


def _fault_response(environ: dict, start_response, rng: random.Random, service: str = ""):
    """Answer as AWS does when it throttles or has a transient fault, in the request's protocol,
    so that clients see the same error shapes they would see from AWS."""
    status, json_type, xml_code = _FAULTS[0] if rng.random() < 0.5 else _FAULTS[1]
    protocol = _protocol(environ, service)
    if protocol in ("json", "rest-json"):
        body = json.dumps({"__type": json_type, "message": "Rate exceeded"}).encode()
        start_response(status, [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-ErrorType", json_type)])
        return [body]
    if protocol == "rest-xml":
        body = ("<Error><Code>%s</Code><Message>Rate exceeded</Message><RequestId>fault</RequestId></Error>" % xml_code).encode()
    else:
        body = ("<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>Rate exceeded</Message></Error>"
                "<RequestId>fault</RequestId></ErrorResponse>" % xml_code).encode()
    start_response(status, [("Content-Type", "text/xml")])
    return [body]


class Recorder:
    """WSGI middleware: records each AWS call, injects faults, serves a small control API."""

    def __init__(self, app, log_path: str, fault_rate: float, seed: int):
        self.app = app
        self.log_path = log_path
        self.fault_rate = fault_rate
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.seq = 0

    def _write(self, record: dict) -> None:
        with self.lock:
            self.seq += 1
            record["seq"] = self.seq
            record["ts"] = round(time.time(), 4)
            with open(self.log_path, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(record) + "\n")

    def _control(self, environ, start_response):
        path = environ.get("PATH_INFO", "")[len(CONTROL_PREFIX):]
        query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        if path == "mark":
            self._write({"mark": query.get("name", [""])[0]})
        elif path == "faults":
            self.fault_rate = float(query.get("rate", ["0"])[0])
        elif path == "provisioning":
            import emulator_provisioning

            try:
                emulator_provisioning.DELAYS.update(emulator_provisioning.parse(
                    ",".join(f"{kind}={values[0]}" for kind, values in query.items())))
            except ValueError as error:
                start_response("400 Bad Request", [("Content-Type", "text/plain")])
                return [str(error).encode()]
        elif path != "health":
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"unknown control path"]
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps({"ok": True, "fault_rate": self.fault_rate}).encode()]

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith(CONTROL_PREFIX):
            return self._control(environ, start_response)
        if environ.get("PATH_INFO", "").startswith("/moto-api/"):
            # moto's own API (reset between test modules): not an AWS call, never faulted.
            self._write({"mark": "moto-api " + environ["PATH_INFO"]})
            return self.app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = _Rewound(body)
        region, service, action = describe_request(environ, body)
        record = {
            "service": service,
            "region": region,
            "action": action,
            "kind": classify(action, environ.get("REQUEST_METHOD", "GET")),
        }
        with self.lock:
            inject = self.fault_rate > 0 and self.rng.random() < self.fault_rate
        if inject:
            record["fault"] = True
            self._write(record)
            return _fault_response(environ, start_response, self.rng, service)
        status_holder = {}

        def _start(status, headers, exc_info=None):
            status_holder["status"] = int(status.split(" ", 1)[0])
            return start_response(status, headers, exc_info)

        result = self.app(environ, _start)
        record["status"] = status_holder.get("status", 0)
        self._write(record)
        return result


class _Rewound:
    """A re-readable request body for the wrapped application."""

    def __init__(self, body: bytes):
        self._body = body
        self._pos = 0

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = len(self._body) - self._pos
        chunk = self._body[self._pos:self._pos + size]
        self._pos += len(chunk)
        return chunk

    def readline(self, size: int = -1) -> bytes:
        end = self._body.find(b"\n", self._pos)
        end = len(self._body) if end < 0 else end + 1
        if size is not None and size >= 0:
            end = min(end, self._pos + size)
        chunk = self._body[self._pos:end]
        self._pos = end
        return chunk

    def __iter__(self):
        while True:
            line = self.readline()
            if not line:
                return
            yield line


def _die_with_parent() -> None:
    """Ask Linux to send SIGTERM when the runner goes away, so no server outlives it."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _align_with_aws() -> None:
    """Make moto accept what AWS accepts where moto 5.2.5 is narrower (listed in docs/emulator.md)."""
    from moto.kms.models import KmsBackend

    # AWS takes a key id or a key ARN in ScheduleKeyDeletion/CancelKeyDeletion; moto only an id.
    for name in ("schedule_key_deletion", "cancel_key_deletion"):
        original = getattr(KmsBackend, name)

        def _by_id(self, key_id, *rest, _original=original):
            return _original(self, self.get_key_id(key_id), *rest)

        setattr(KmsBackend, name, _by_id)

    # AWS keeps an origin's OriginAccessControlId; moto 5.2.5 drops it (the serializer reads the attribute).
    from moto.cloudfront.models import Origin

    original_origin_init = Origin.__init__

    def _origin_init(self, origin, _original=original_origin_init):
        _original(self, origin)
        self.origin_access_control_id = origin.get("OriginAccessControlId") or ""

    Origin.__init__ = _origin_init

    # DescribeTags names resource types as AWS does (elastic-ip, natgateway, vpc-flow-log); moto
    # 5.2.5 uses its own names, so a resource-type filter (amazon.aws ensure_ec2_tags) finds no tags.
    from moto.ec2.utils import EC2_PREFIX_TO_RESOURCE

    EC2_PREFIX_TO_RESOURCE.update({"eipalloc": "elastic-ip", "nat": "natgateway", "fl": "vpc-flow-log"})


def serve(args: argparse.Namespace) -> int:
    os.environ.update(EMULATOR_SETTINGS)
    os.environ.update(FAKE_CREDENTIALS)
    os.environ["MOTO_PORT"] = str(args.port)
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import WSGIRequestHandler, run_simple

    _align_with_aws()
    # No Docker on the test bench: Lambda functions are stored and described but never run, and an
    # invoke (Secrets Manager's rotation steps, EventBridge targets) gets moto's fixed answer
    # instead of failing inside the Docker client.
    from moto.core.models import default_user_config

    default_user_config["lambda"] = {"use_docker": False}
    import emulator_ecs

    emulator_ecs.apply()
    import emulator_data

    emulator_data.apply()
    import emulator_provisioning

    emulator_provisioning.apply()
    WSGIRequestHandler.log_request = lambda *a, **k: None
    app = Recorder(DomainDispatcherApplication(create_backend_app), args.log, args.fault_rate, args.seed)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    run_simple("127.0.0.1", args.port, app, threaded=True)
    return 0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_ready(url: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"emulator exited early with code {proc.returncode}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url + CONTROL_PREFIX + "health", timeout=2) as resp:
                if resp.status == 200:
                    return
        time.sleep(0.2)
    raise RuntimeError(f"emulator did not answer on {url} within {timeout:.0f} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def start(log: str, fault_rate: float = 0.0, seed: int = 1, timeout: float = 60.0) -> tuple[subprocess.Popen, str]:
    """Start an emulator on a free loopback port, wait until it answers; return (process, url).

    The server dies with the process that started it (PR_SET_PDEATHSIG); ``stop()`` ends it
    earlier. The call log is truncated first.
    """
    port = free_port()
    log = os.path.abspath(log)
    os.makedirs(os.path.dirname(log), exist_ok=True)
    open(log, "w", encoding="utf-8").close()
    server = subprocess.Popen(
        [sys.executable, os.path.abspath(__file__), "serve", "--port", str(port), "--log", log,
         "--fault-rate", str(fault_rate), "--seed", str(seed)],
        preexec_fn=_die_with_parent,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, server, timeout)
    except BaseException:
        stop(server)
        raise
    return server, url


def client_environment(url: str, log: str) -> dict:
    """The environment a process needs to aim every AWS call at the emulator."""
    return {
        **FAKE_CREDENTIALS,
        "CLOUDPLATFORM_AWS_ENDPOINT_URL": url,
        # Belt and braces: any client that missed the inventory variable still cannot reach AWS.
        "AWS_ENDPOINT_URL": url,
        "CLOUDPLATFORM_EMULATOR_LOG": os.path.abspath(log),
        "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
    }


def _end_child(child: subprocess.Popen | None) -> None:
    if child is not None and child.poll() is None:
        child.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=20)
        if child.poll() is None:
            child.kill()


def run(args: argparse.Namespace) -> int:
    if not args.command:
        print("emulator.py run: give a command after --", file=sys.stderr)
        return 2
    server = None
    child = None
    interrupted = []

    def _on_signal(signum, _frame):
        interrupted.append(signum)
        if child is not None and child.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signum)

    previous = {s: signal.signal(s, _on_signal) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    try:
        server, url = start(args.log, args.fault_rate, args.seed, args.timeout)
        log = os.path.abspath(args.log)
        env = {**os.environ, **client_environment(url, log)}
        print(f"emulator: moto on {url} (calls recorded in {log})", file=sys.stderr, flush=True)
        child = subprocess.Popen(args.command, env=env)
        while child.poll() is None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=0.5)
        code = child.returncode
    except RuntimeError as exc:
        print(f"emulator: {exc}", file=sys.stderr)
        code = 3
    finally:
        _end_child(child)
        if server is not None:
            stop(server)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        print("emulator: stopped", file=sys.stderr, flush=True)
    if interrupted:
        return 128 + interrupted[0]
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="verb", required=True)
    p_serve = sub.add_parser("serve", help="run the emulator in the foreground")
    p_serve.add_argument("--port", type=int, required=True)
    p_serve.add_argument("--log", required=True)
    p_serve.add_argument("--fault-rate", type=float, default=0.0)
    p_serve.add_argument("--seed", type=int, default=1)
    p_run = sub.add_parser("run", help="run a command against a fresh emulator")
    p_run.add_argument("--log", default=os.path.join(".cache", "emulator", "calls.jsonl"))
    p_run.add_argument("--fault-rate", type=float, default=float(os.environ.get("CLOUDPLATFORM_FAULT_RATE", "0")))
    p_run.add_argument("--seed", type=int, default=1)
    p_run.add_argument("--timeout", type=float, default=60.0)
    p_run.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.verb == "serve":
        return serve(args)
    if args.command and args.command[0] == "--":
        args.command = args.command[1:]
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
