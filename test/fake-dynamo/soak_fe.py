#!/usr/bin/env python3
# SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
# SPDX-License-Identifier: Apache-2.0
"""
Test double of dynamo-utils' soak_fe.py (@ 0d1e9df), on the standard library only (threads and
http.client instead of asyncio and aiohttp). Same flags and defaults, same stdout/stderr lines, same
per-request log (/tmp/soak_llm.log), same retry rules and the same quirks:
  - it waits for /v1/models for ever (the duration clock starts once a model is listed);
  - a failed attempt counts towards "All N requests completed before time limit.", the failed request is
    retried with the same id, and "All requests completed successfully." is printed all the same;
  - the exit code is 0 whatever failed, 130 after SIGINT/SIGTERM, 1 on an unexpected exception;
  - a request's duration is measured when the response headers arrive (for streams: about the TTFT);
  - a 30 s timeout on a request has an empty message, so it is a "Non-connection error" (status 0).
Usage: ./soak_fe.py --duration_sec 60 --workers 1 --requests_per_worker 100
"""

import argparse
import http.client
import json
import signal
import sys
import threading
import time
from datetime import datetime
from urllib.parse import urlsplit

REQUEST_TIMEOUT = 30.0  # aiohttp.ClientTimeout(total=30)
MODELS_TIMEOUT = 10.0
RETRY_WAIT = 3.0
CONNECTION_ERRORS = ("cannot connect to host", "connection refused", "connection reset", "connection aborted", "timeout", "network is unreachable")


def err(msg):
    print(msg, file=sys.stderr, flush=True)


class Cancelled(Exception):
    pass


class RequestTimeout(Exception):
    """What aiohttp raises when ClientTimeout(total=...) expires: a bare asyncio.TimeoutError (no text)."""

    def __str__(self):
        return ""


class ClientError(Exception):
    pass


class Response:
    def __init__(self, status, body):
        self.status = status
        self.body = body

    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body)


def http_request(method, url, payload=None, timeout=REQUEST_TIMEOUT, on_headers=None):
    """One request to a loopback frontend. Errors carry aiohttp-like texts, since the retry rules match
    on them. on_headers() is called when the status line and headers have arrived."""
    parts = urlsplit(url)
    port = parts.port or 80
    host = parts.hostname or "localhost"
    # localhost means the loopback interface; never resolve it to anything else
    addr = "127.0.0.1" if host in ("localhost", "127.0.0.1") else host
    deadline = time.monotonic() + timeout
    conn = http.client.HTTPConnection(addr, port, timeout=timeout)
    try:
        try:
            conn.connect()
        except ConnectionRefusedError:
            raise ClientError(f"Cannot connect to host {host}:{port} ssl:default [Connect call failed ('{addr}', {port})]") from None
        except OSError as e:
            raise ClientError(f"Cannot connect to host {host}:{port} ssl:default [{e.strerror or e}]") from None
        body = json.dumps(payload).encode("utf-8") if payload is not None else None
        headers = {"Host": f"{host}:{port}", "Accept": "*/*"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        conn.request(method, parts.path or "/", body=body, headers=headers)
        resp = conn.getresponse()
        if on_headers is not None:
            on_headers()
        chunks = []
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RequestTimeout()
            if conn.sock is not None:
                conn.sock.settimeout(left)
            data = resp.read1(65536) if hasattr(resp, "read1") else resp.read(65536)
            if not data:
                break
            chunks.append(data)
        return Response(resp.status, b"".join(chunks))
    except (TimeoutError, RequestTimeout):
        raise RequestTimeout() from None
    except ConnectionResetError as e:
        raise ClientError(f"[Errno {e.errno}] Connection reset by peer") from None
    except (http.client.RemoteDisconnected, http.client.IncompleteRead, BrokenPipeError):
        raise ClientError("Server disconnected") from None
    finally:
        conn.close()


class SharedModelState:
    """Model availability shared by all workers."""

    def __init__(self):
        self.model_available = False
        self.model_names = []
        self.lock = threading.Lock()
        self.model_ready_event = threading.Event()
        self.refetch_requested_event = threading.Event()


class LoadTestConfig:
    def __init__(self):
        self.duration_sec = 60
        self.workers = 1
        self.requests_per_worker = 1  # 0 = unlimited (run until duration expires)
        self.port = 8000
        self.model = None
        self.max_tokens = 300
        self.streaming = False
        self.output_responses = False
        self.verbose = False
        self.log_file = "/tmp/soak_llm.log"
        self.version = "v1_chat_completion"
        self.model_fetch_retry_interval = 2.0


def _clean(text):
    return text.strip().replace("\n", " ").replace("\r", " ").replace("\\n", " ").replace("\\r", " ")


def _content_words_chars(response_content):
    """Words and characters of one stored response (JSON bodies only; streams hold no `choices`)."""
    try:
        data = json.loads(response_content)
        content = ""
        choices = data.get("choices", []) if isinstance(data, dict) else []
        if choices:
            c0 = choices[0]
            content = c0.get("text", "") or (c0.get("message") or {}).get("content", "") or (c0.get("message") or {}).get("reasoning_content", "") or (c0.get("delta") or {}).get("content", "")
        if content:
            return len(content.split()), len(content)
        return 0, 0
    except (json.JSONDecodeError, KeyError, IndexError, AttributeError):
        return len(response_content.split()), len(response_content)


class LoadTestStats:
    def __init__(self, config):
        self.total_requests = 0
        self.successful_requests = 0
        self.failed_requests = 0
        self.start_time = time.time()
        self.end_time = None
        self.results = []
        self.config = config
        self.lock = threading.Lock()

    def add_result(self, worker_id, request_id, success, duration, status_code, response_content=""):
        timestamp = datetime.now().strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
        status = "SUCCESS" if success else f"ERROR({status_code})"
        with self.lock:
            self.results.append({
                "timestamp": timestamp,
                "worker_id": worker_id,
                "request_id": request_id,
                "duration": duration,
                "status": status,
                "response_content": response_content,
            })
            if self.config.output_responses and response_content:
                try:
                    response_json = json.loads(response_content)
                    print(f"[{worker_id}-{request_id}] RESPONSE JSON:")
                    print(json.dumps(response_json, indent=2), flush=True)
                except json.JSONDecodeError:
                    content = _clean(response_content)
                    if self.config.workers > 1 and len(content) > 70:
                        content = content[:70] + f"... ({len(content) - 70} more chars)"
                    print(f"[{worker_id}-{request_id}] RESPONSE: {content}", flush=True)
            if success:
                self.successful_requests += 1
            else:
                self.failed_requests += 1
            self.total_requests += 1

    def finalize(self):
        self.end_time = time.time()

    def get_duration(self):
        return (self.end_time or time.time()) - self.start_time

    def get_rps(self):
        d = self.get_duration()
        return self.total_requests / d if d > 0 else 0

    def words_chars(self):
        with self.lock:
            results = list(self.results)
        words = chars = 0
        for r in results:
            if r.get("response_content"):
                w, c = _content_words_chars(r["response_content"])
                words += w
                chars += c
        return words, chars


class ModelFetcher:
    """Fetches /v1/models when asked, retrying for ever."""

    def __init__(self, config, shared_state):
        self.config = config
        self.shared_state = shared_state
        self.cancelled = threading.Event()

    def cancel(self):
        self.cancelled.set()

    def invalidate_models(self):
        with self.shared_state.lock:
            self.shared_state.model_available = False
            self.shared_state.model_ready_event.clear()
            self.shared_state.refetch_requested_event.set()
        err("ModelFetcher: Model information invalidated, re-fetch requested")

    def ensure_model_available(self, retry_interval=2.0):
        with self.shared_state.lock:
            if self.shared_state.model_available:
                return True
        err("ModelFetcher: Fetching model information...")
        retry_count = 0
        last_error_msg = ""
        while not self.cancelled.is_set():
            success, error_msg = self._fetch_models()
            with self.shared_state.lock:
                if success:
                    self.shared_state.model_available = True
                    self.shared_state.model_ready_event.set()
                    if retry_count > 0:
                        err(f"ModelFetcher: Models found after {retry_count} retries: {self.shared_state.model_names}")
                    else:
                        err(f"ModelFetcher: Models found: {self.shared_state.model_names}")
                    return True
                self.shared_state.model_available = False
                self.shared_state.model_ready_event.clear()
            retry_count += 1
            if error_msg != last_error_msg or retry_count % 5 == 1:
                err(f"ModelFetcher: {error_msg}, retrying in {retry_interval} seconds... (attempt {retry_count})")
                last_error_msg = error_msg
            self.cancelled.wait(retry_interval)
        return False

    def _fetch_models(self):
        try:
            resp = http_request("GET", f"http://localhost:{self.config.port}/v1/models", timeout=MODELS_TIMEOUT)
            if resp.status == 200:
                data = resp.json()
                models = data.get("data", [])
                if models:
                    self.shared_state.model_names = [m.get("id", "") for m in models]
                    return True, ""
                return False, "No models found in response"
            return False, f"Model check failed with status {resp.status}"
        except Exception as e:
            return False, f"Model fetch exception: {e}"


class LoadTestWorker:
    def __init__(self, worker_id, config, stats, shared_state, model_fetcher):
        self.worker_id = worker_id
        self.config = config
        self.stats = stats
        self.shared_state = shared_state
        self.model_fetcher = model_fetcher
        self.cancelled = threading.Event()

    def cancel(self):
        self.cancelled.set()

    def run(self):
        self._wait_for_model_availability()
        if self.cancelled.is_set():
            return
        err(f"Worker {self.worker_id}: Model available, starting to blast queries...")
        request_id = 1
        unlimited = self.config.requests_per_worker == 0
        while (unlimited or request_id <= self.config.requests_per_worker) and not self.cancelled.is_set():
            try:
                if self.config.streaming:
                    success, duration, status_code, content = self._make_request(request_id, streaming=True)
                else:
                    success, duration, status_code, content = self._make_request(request_id, streaming=False)
                if self.cancelled.is_set():
                    break
                self.stats.add_result(self.worker_id, request_id, success, duration, status_code, content)
                if not success:
                    err(f"Worker {self.worker_id}: HTTP failure during queries, requesting model re-fetch")
                    self.model_fetcher.invalidate_models()
                    self._wait_for_model_availability()
                    if self.cancelled.is_set():
                        break
                    err(f"Worker {self.worker_id}: Model available again, resuming queries...")
                else:
                    request_id += 1
            except Cancelled:
                err(f"Worker {self.worker_id} cancelled")
                break
            except Exception as e:
                err(f"Worker {self.worker_id} request {request_id} failed: {e}")
                self.stats.add_result(self.worker_id, request_id, False, 0.0, 0, "")
                err(f"Worker {self.worker_id}: Exception during queries, requesting model re-fetch")
                self.model_fetcher.invalidate_models()
                self._wait_for_model_availability()
                if self.cancelled.is_set():
                    break
                err(f"Worker {self.worker_id}: Model available again, resuming queries...")

    def _wait_for_model_availability(self):
        while not self.cancelled.is_set():
            with self.shared_state.lock:
                if self.shared_state.model_available:
                    err(f"Worker {self.worker_id}: Model available: {self.shared_state.model_names}")
                    return
            err(f"Worker {self.worker_id}: Waiting for model availability...")
            if self.shared_state.model_ready_event.wait(timeout=2.0):
                if self.shared_state.model_available:
                    err(f"Worker {self.worker_id}: Model became available")
                    return
            else:
                err(f"Worker {self.worker_id}: Model not available, retrying in 2 seconds...")

    def _retry_request(self, request_func):
        attempt = 0
        while not self.cancelled.is_set():
            attempt += 1
            try:
                result = request_func()
                success, duration, status_code, content = result
                if not success and status_code in (400, 404):
                    wait_time = 3.0
                    err(f"Worker {self.worker_id}: HTTP {status_code} (attempt {attempt}), model may not be ready. Retrying in {wait_time}s...")
                    if self.cancelled.wait(wait_time):
                        break
                    continue
                return result
            except Cancelled:
                raise
            except Exception as e:
                error_str = str(e).lower()
                if any(c in error_str for c in CONNECTION_ERRORS):
                    wait_time = RETRY_WAIT
                    err(f"Worker {self.worker_id}: Connection error (attempt {attempt}): {e}. Retrying in {wait_time}s...")
                    if self.cancelled.wait(wait_time):
                        break
                    continue
                err(f"Worker {self.worker_id}: Non-connection error: {e}")
                return False, 0.0, 0, ""
        return False, 0.0, 0, ""

    def _model_name(self):
        name = self.config.model
        if name is None and self.shared_state.model_names:
            name = self.shared_state.model_names[0]
        elif name is None:
            name = "unknown"
        return name

    def _build_payload_and_url(self, prompt, streaming):
        model_name = self._model_name()
        if self.config.version == "v1_completion" or "llava" in model_name.lower():
            payload = {"model": model_name, "prompt": prompt, "stream": streaming, "max_tokens": self.config.max_tokens}
            url = f"http://localhost:{self.config.port}/v1/completions"
        else:
            payload = {
                "model": model_name,
                "messages": [
                    {"role": "system", "content": "You are a helpful assistant."},
                    {"role": "user", "content": prompt},
                ],
                "stream": streaming,
                "max_tokens": self.config.max_tokens,
            }
            url = f"http://localhost:{self.config.port}/v1/chat/completions"
        return payload, url

    def _make_request(self, request_id, streaming):
        model_name = self.config.model or (self.shared_state.model_names[0] if self.shared_state.model_names else "")
        if "llava" in model_name.lower():
            if streaming:
                prompt = f"USER: `Tell me 3 knock knock jokes. ({request_id} / {self.worker_id}) ASSISTANT:"
            else:
                prompt = f"USER: `Tell me 3 knock knock jokes.` ({request_id} / {self.worker_id}) ASSISTANT:"
        else:
            prompt = f"Tell me 3 knock knock jokes. ({request_id} / {self.worker_id})"
        payload, url = self._build_payload_and_url(prompt, streaming)
        if request_id == 1 and self.config.output_responses:
            self._print_request_curl_command(payload, url)

        def once():
            if self.cancelled.is_set():
                raise Cancelled()
            start_time = time.time()
            headers_at = []
            resp = http_request("POST", url, payload, on_headers=lambda: headers_at.append(time.time()))
            duration = (headers_at[0] if headers_at else time.time()) - start_time
            if resp.status == 200:
                if streaming:
                    events = []
                    for line in resp.text().strip().split("\n"):
                        if line.startswith("data: "):
                            try:
                                events.append(json.loads(line[6:]))
                            except json.JSONDecodeError:
                                continue
                    return True, duration, resp.status, json.dumps({"streaming_events": events})
                try:
                    content = json.dumps(resp.json())
                except json.JSONDecodeError as e:
                    if self.config.verbose:
                        print(f"[{self.worker_id}-{request_id}] Error parsing JSON response: {e}")
                    content = resp.text()
                return True, duration, resp.status, content
            err(f"Worker {self.worker_id}: HTTP error {resp.status}")
            return False, duration, resp.status, ""

        return self._retry_request(once)

    def _print_request_curl_command(self, payload, url):
        payload_json = json.dumps(payload, indent=2)
        endpoint_name = "chat/completions" if "/chat/completions" in url else "completions"
        print(f"# Make {endpoint_name} request:")
        if self.config.streaming:
            print("curl -N \\")
            print(f"  -X POST {url} \\")
            print("  -H 'Content-Type: application/json' \\")
            print(f"  -d '{payload_json}'")
        else:
            print("curl \\")
            print(f"  -X POST {url} \\")
            print("  -H 'Content-Type: application/json' \\")
            print(f"  -d '{payload_json}' | jq")
        print(flush=True)


class LoadTester:
    def __init__(self, config):
        self.config = config
        self.stats = LoadTestStats(config)
        self.shared_state = SharedModelState()
        self.model_fetcher = ModelFetcher(config, self.shared_state)
        self.running = True
        self.interrupted = False
        self.workers = []
        self.threads = []
        signal.signal(signal.SIGINT, self._signal_handler)
        signal.signal(signal.SIGTERM, self._signal_handler)

    def _signal_handler(self, signum, frame):
        if not self.interrupted:
            if self.config.verbose:
                try:
                    print("\nInterrupt received. Cleaning up workers...", flush=True)
                except RuntimeError:
                    pass  # the main thread was printing
            self.interrupted = True
            self.running = False
            self.model_fetcher.cancel()
            for w in self.workers:
                w.cancel()

    def run(self):
        c = self.config
        if c.output_responses:
            print("# List available models:")
            print(f"curl http://localhost:{c.port}/v1/models | jq")
            print(flush=True)
        if c.verbose:
            print("Starting load test...")
            print(f"Backend URL: localhost:{c.port}")
            print(f"Model: {c.model or 'Auto-detect first available model'}")
            print(f"Max duration: {c.duration_sec} seconds")
            print(f"Workers: {c.workers}")
            if c.requests_per_worker == 0:
                print("Requests per worker: unlimited (run until duration expires)")
            else:
                print(f"Requests per worker: {c.requests_per_worker}")
                print(f"Total requests: {c.workers * c.requests_per_worker}")
            print(f"Streaming: {c.streaming}")
            print()
            print(f"Results will be stored in: {c.log_file}")
            print(flush=True)
        self.workers = [LoadTestWorker(i, c, self.stats, self.shared_state, self.model_fetcher) for i in range(1, c.workers + 1)]
        if c.verbose:
            print(f"Starting {len(self.workers)} workers...", flush=True)
        if c.verbose:
            print("Fetching model information...", flush=True)
        if not self.model_fetcher.ensure_model_available(c.model_fetch_retry_interval):
            if c.verbose:
                err("ModelFetcher was cancelled. Exiting.")
            return
        if c.verbose:
            print(f"Model information ready. Available models: {self.shared_state.model_names}", flush=True)

        monitor = threading.Thread(target=self._monitor_model_availability, name="model-monitor", daemon=True)
        monitor.start()
        self.threads = [threading.Thread(target=w.run, name=f"worker-{w.worker_id}", daemon=True) for w in self.workers]
        for t in self.threads:
            t.start()
        start_time = time.time()
        self.stats.start_time = start_time
        last_report = 0
        while self.running and time.time() - start_time < c.duration_sec:
            current_time = time.time() - start_time
            if self.interrupted:
                break
            if int(current_time) >= last_report + 5:
                # the monitor never ends, so it always counts as active (as in the original)
                active_workers = sum(1 for t in self.threads if t.is_alive()) + (1 if monitor.is_alive() else 0)
                words, chars = self.stats.words_chars()
                wps = words / current_time if current_time > 0 else 0
                cps = chars / current_time if current_time > 0 else 0
                print(f"Elapsed: {int(current_time)}s, Active workers: {active_workers}, Requests completed: {self.stats.total_requests}, Words/sec: {wps:.1f}, Chars/sec: {cps:.1f}", flush=True)
                last_report = int(current_time)
            if c.requests_per_worker > 0:
                total_expected = c.workers * c.requests_per_worker
                if self.stats.total_requests >= total_expected:
                    print(f"All {total_expected} requests completed before time limit.", flush=True)
                    self.running = False
                    break
            time.sleep(0.1)
        if self.interrupted:
            print("Interrupted by user.", flush=True)
        elif time.time() - start_time >= c.duration_sec:
            print("Time limit reached. Stopping workers...", flush=True)
            self.running = False
            for w in self.workers:
                w.cancel()
            self.model_fetcher.cancel()
        else:
            print("All requests completed successfully.", flush=True)

        remaining = [t for t in self.threads if t.is_alive()]
        if remaining:
            if c.verbose:
                print("Cleaning up remaining workers...", flush=True)
            for w in self.workers:
                w.cancel()
            self.model_fetcher.cancel()
            self.shared_state.refetch_requested_event.set()
            deadline = time.time() + 2.0
            for t in remaining:
                t.join(max(0.0, deadline - time.time()))
        self._finalize_and_report()

    def _monitor_model_availability(self):
        while self.running and not self.interrupted:
            try:
                self.shared_state.refetch_requested_event.wait()
                if self.interrupted or not self.running:
                    break
                err("ModelFetcher: Re-fetch request received")
                self.shared_state.refetch_requested_event.clear()
                self.model_fetcher.ensure_model_available(self.config.model_fetch_retry_interval)
            except Exception as e:
                err(f"ModelFetcher: Monitor task error: {e}")
                time.sleep(1.0)

    def _finalize_and_report(self):
        self.stats.finalize()
        if self.config.verbose:
            print("Collecting results...")
            print(flush=True)
        self._write_logs()
        if self.config.verbose:
            self._print_summary()

    def _write_logs(self):
        try:
            with open(self.config.log_file, "w") as f:
                with self.stats.lock:
                    results = list(self.stats.results)
                for r in results:
                    entry = f"{r['timestamp']} worker_{r['worker_id']} request_{r['request_id']} duration_{r['duration']:.3f}s status_{r['status']}"
                    if self.config.output_responses and r["response_content"]:
                        content = _clean(r["response_content"])
                        if self.config.workers > 1 and len(content) > 70:
                            content = content[:70] + f"... ({len(content) - 70} more chars)"
                        entry += f" response={content}"
                    f.write(entry + "\n")
        except Exception as e:
            err(f"Error writing logs: {e}")

    def _print_summary(self):
        s = self.stats
        actual = s.get_duration()
        rps = s.get_rps()
        success_rate = (s.successful_requests / s.total_requests * 100) if s.total_requests > 0 else 0
        words, chars = s.words_chars()
        wps = words / actual if actual > 0 else 0
        cps = chars / actual if actual > 0 else 0
        if s.total_requests > 0 and s.failed_requests == 0:
            indicator = "✅"
        elif s.failed_requests > 0:
            indicator = "❌"
        else:
            indicator = ""
        print("=== LOAD TEST RESULTS ===")
        if indicator:
            print(f"Result:                {indicator}")
        print(f"Max duration:          {self.config.duration_sec} seconds")
        print(f"Actual duration:       {actual:.0f} seconds")
        print(f"Total requests:        {s.total_requests}")
        print(f"Successful requests:   {s.successful_requests}")
        print(f"Failed requests:       {s.failed_requests}")
        print(f"Requests per second:   {rps:.2f}")
        print(f"Total words:           {words}")
        print(f"Words per second:      {wps:.1f}")
        print(f"Total characters:      {chars}")
        print(f"Characters per second: {cps:.1f}")
        if s.total_requests > 0:
            print(f"Success rate:          {success_rate:.1f}%")
        print()
        print(f"Detailed logs are in: {self.config.log_file}")
        print("Results saved permanently. No cleanup needed.", flush=True)


def parse_args():
    parser = argparse.ArgumentParser(
        description="Load test the backend with concurrent HTTP requests",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="""
Examples:
  %(prog)s                                    # Use defaults (1 request)
  %(prog)s --duration_sec 30 --workers 20    # 30s with 20 workers
  %(prog)s --workers 100 --requests_per_worker 50  # High concurrency
  %(prog)s --port 8080 --duration_sec 120    # Use port 8080 for 2 minutes
  %(prog)s --max-tokens 2000 --workers 10    # Generate longer responses
  %(prog)s --stream --workers 5 --requests_per_worker 2  # Test streaming responses
  %(prog)s --output --workers 1 --requests_per_worker 3  # Show server responses
  %(prog)s --version v1_completion --workers 10  # Use v1/completions endpoint
        """,
    )
    parser.add_argument("--duration_sec", "--duration", type=int, default=60, help="Duration in seconds (default: 60)")
    parser.add_argument("--workers", type=int, default=1, help="Number of concurrent workers (default: 1)")
    parser.add_argument("--requests_per_worker", type=int, default=1, help="Requests per worker (default: 1, use 0 for unlimited until duration expires)")
    parser.add_argument("--port", type=int, default=8000, help="Backend port (default: 8000)")
    parser.add_argument("--model", default=None, help="Model name (default: None - will use first available model)")
    parser.add_argument("--max-tokens", type=int, default=300, help="Maximum tokens to generate (default: 300)")
    parser.add_argument("--version", choices=["v1_chat_completion", "v1_completion"], default="v1_chat_completion", help="API version to use (default: v1_chat_completion)")
    parser.add_argument("--stream", action="store_true", help="Enable streaming responses")
    parser.add_argument("--output", action="store_true", help="Show server responses in output")
    parser.add_argument("--verbose", action="store_true", help="Show verbose startup and progress information")
    parser.add_argument("--model-fetch-retry-interval", type=float, default=2.0, help="Seconds between model fetch retries (default: 2.0)")
    args = parser.parse_args()

    config = LoadTestConfig()
    config.duration_sec = args.duration_sec
    config.workers = args.workers
    config.requests_per_worker = args.requests_per_worker
    config.port = args.port
    config.model = args.model
    config.max_tokens = args.max_tokens
    config.streaming = args.stream
    config.output_responses = args.output
    config.verbose = args.verbose
    config.version = args.version
    config.model_fetch_retry_interval = args.model_fetch_retry_interval
    if config.workers == 1 and not args.output:
        config.output_responses = True  # as the original: one worker always shows its responses
    return config


def main():
    try:
        config = parse_args()
        tester = LoadTester(config)
        tester.run()
        if tester.interrupted:
            print("Load test interrupted and cleaned up.", flush=True)
            sys.exit(130)
    except KeyboardInterrupt:
        print("\nLoad test interrupted and cleaned up.", flush=True)
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as e:
        print(f"Error: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
