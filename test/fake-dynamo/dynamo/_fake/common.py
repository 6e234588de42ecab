# SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
# SPDX-License-Identifier: Apache-2.0
"""What the fake frontend and workers share: Dynamo-style logs, file discovery, HTTP plumbing, knobs."""

import http.client
import json
import os
import signal
import sys
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NAMESPACE = os.environ.get("DYN_NAMESPACE", "dynamo")
# Only loopback unless told otherwise: the test containers share the host's network.
BIND_HOST = os.environ.get("FAKE_DYNAMO_HOST", "127.0.0.1")


def dumps(obj):
    """Compact JSON, as the Rust services write it."""
    return json.dumps(obj, separators=(",", ":"))


def env_float(name, default):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        log("WARN", "dynamo_fake::config", f"ignoring {name}={raw!r}: not a number")
        return default


def env_flag(name):
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


# ---------------------------------------------------------------------------------------------------
# Logs in the shape of Dynamo's tracing output (readable, or JSONL with DYN_LOGGING_JSONL=true)

_log_lock = threading.Lock()


def jsonl_logs():
    return env_flag("DYN_LOGGING_JSONL") or os.environ.get("DYN_LOGGING_CONSOLE_FORMAT", "").lower() == "jsonl"


def _field(v):
    return json.dumps(v) if isinstance(v, str) else str(v).lower() if isinstance(v, bool) else str(v)


def log(level, target, message, **fields):
    """`2025-09-02T15:50:01.770028Z  INFO target: message k="v"`, or one JSON object per line."""
    ts = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if jsonl_logs():
        record = {"time": ts, "level": level, "target": target, "message": message}
        record.update(fields)
        line = json.dumps(record)
    else:
        line = f"{ts} {level:>5} {target}: {message}" + "".join(f" {k}={_field(v)}" for k, v in fields.items())
    with _log_lock:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()


# ---------------------------------------------------------------------------------------------------
# Discovery: a worker that is ready writes a card; the frontend watches the directory (like
# `--discovery-backend file`); a card whose process is gone is like an expired etcd lease.


def discovery_dir():
    base = os.environ.get("FAKE_DYNAMO_DISCOVERY_DIR", "/tmp/fake-dynamo-discovery")
    return os.path.join(base, NAMESPACE)


def register(card):
    d = discovery_dir()
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, f"{card['component']}-{card['pid']}.json")
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(card, f)
    os.replace(tmp, path)
    return path


def deregister(path):
    if path:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


def read_cards():
    d = discovery_dir()
    cards = []
    try:
        names = sorted(os.listdir(d))
    except FileNotFoundError:
        return cards
    for name in names:
        if not name.endswith(".json"):
            continue
        path = os.path.join(d, name)
        try:
            with open(path, encoding="utf-8") as f:
                card = json.load(f)
        except (OSError, ValueError):
            continue
        card["_path"] = path
        cards.append(card)
    return cards


def pid_alive(pid):
    """True for a running process (a zombie is not running)."""
    try:
        with open(f"/proc/{int(pid)}/stat", encoding="utf-8") as f:
            stat = f.read()
    except (OSError, ValueError):
        return False
    return stat[stat.rindex(")") + 2:][:1] != "Z"


# ---------------------------------------------------------------------------------------------------
# HTTP


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # each SSE chunk goes out at once (as Dynamo's frontend streams them), not after the client's delayed ACK
    disable_nagle_algorithm = True
    server_version = "fake-dynamo"
    sys_version = ""

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def read_json(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        return raw, (json.loads(raw) if raw else {})

    def send_body(self, code, body, content_type="application/json"):
        data = body if isinstance(body, bytes) else body.encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        return len(data)

    def send_json(self, code, obj):
        return self.send_body(code, dumps(obj))

    def start_chunked(self, code, content_type):
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def write_chunk(self, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()
        return len(data)

    def end_chunked(self):
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


def serve(handler_class, port):
    """Binds and serves on a daemon thread; returns the server (its port may have been 0)."""
    server = Server((BIND_HOST, port), handler_class)
    threading.Thread(target=server.serve_forever, name="http", daemon=True).start()
    return server


def call(port, method, path, obj=None, timeout=2.0):
    """A JSON request to another fake process on this host; returns (status, parsed body)."""
    conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=timeout)
    try:
        body = json.dumps(obj).encode("utf-8") if obj is not None else None
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        raw = resp.read()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        return resp.status, parsed
    finally:
        conn.close()


def run_until_signalled(on_stop):
    """Blocks the main thread; SIGTERM/SIGINT call on_stop() and end the process with status 0."""

    def handler(signum, _frame):
        try:
            on_stop(signum)
        finally:
            os._exit(0)

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    # Short sleeps: the kernel may deliver the signal to a server thread, and then only the C-level flag
    # is set; the Python handler runs once the main thread next executes bytecode. A long sleep here
    # left a busy machine's processes deaf to SIGTERM until the caller's SIGKILL.
    while True:
        time.sleep(0.1)
