# SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
# SPDX-License-Identifier: Apache-2.0
"""A fake `python -m dynamo.frontend`: the OpenAI-compatible HTTP side of Dynamo.

It watches discovery for workers, logs `added model` / `removed model` like dynamo_llm's watcher, and
serves /v1/models, /health, /live, /metrics (dynamo_frontend_* from a real capture) and
/v1/chat/completions + /v1/completions (streaming or not). Tokens are produced here at the worker's pace
(FAKE_DYNAMO_TOKENS_PER_SEC, first token after FAKE_DYNAMO_TTFT_MS); each request's timings go to the
worker so its engine metrics move. FAKE_DYNAMO_HTTP_500=<fraction> answers 500 for that share of requests
(spread evenly: with 0.5, every second request), FAKE_DYNAMO_METRICS_SLOW / _EMPTY apply to /metrics.
"""

import argparse
import itertools
import math
import os
import re
import sys
import threading
import time
import uuid

from . import common
from .common import log
from .exposition import Exposition

WATCH_INTERVAL = 0.2
WATCHER = "dynamo_llm::discovery::watcher"

# What the fake model says, one token per item (the same text for every request).
TOKENS = [
    "Sure", "!", " Here", " are", " three", " knock", "-", "knock", " jokes", ":\n\n",
    "1", ".", " Knock", ",", " knock", ".\n", "   ", "Who", "'s", " there", "?\n", "   ", "Lettuce", ".\n",
    "   ", "Lettuce", " who", "?\n", "   ", "Lettuce", " in", ",", " it", "'s", " cold", " out", " here", "!\n\n",
    "2", ".", " Knock", ",", " knock", ".\n", "   ", "Who", "'s", " there", "?\n", "   ", "Boo", ".\n",
    "   ", "Boo", " who", "?\n", "   ", "Don", "'t", " cry", ",", " it", "'s", " just", " a", " joke", "!\n\n",
    "3", ".", " Knock", ",", " knock", ".\n", "   ", "Who", "'s", " there", "?\n", "   ", "Cow", "s", " go", ".\n",
    "   ", "Cow", "s", " go", " who", "?\n", "   ", "No", ",", " cows", " go", " moo", "!\n\n",
]

_TOKEN_RE = re.compile(r"\s?[A-Za-z]+|\s?[^\sA-Za-z0-9]|\d|\s+")


def count_tokens(text):
    """A stand-in for Qwen's tokenizer: words with their leading space, digits one by one."""
    return len(_TOKEN_RE.findall(text))


def prompt_tokens(body, chat):
    if chat:
        # Qwen chat template: <|im_start|>role\n ... <|im_end|>\n per message, then <|im_start|>assistant\n
        n = 3
        for msg in body.get("messages") or []:
            content = msg.get("content")
            if isinstance(content, list):
                content = " ".join(part.get("text", "") for part in content if isinstance(part, dict))
            n += 5 + count_tokens(str(content or ""))
        return n
    prompt = body.get("prompt", "")
    if isinstance(prompt, list):
        return sum(len(x) if isinstance(x, list) else count_tokens(str(x)) for x in prompt)
    return count_tokens(str(prompt))


class Instance:
    def __init__(self, card):
        self.card = card
        self.id = card["instance_id"]
        self.model = card["model"]
        self.port = card["system_port"]
        self.pid = card["pid"]
        self.role = card.get("role", "agg")


class Frontend:
    def __init__(self, port):
        self.port = port
        self.lock = threading.Lock()
        self.instances = {}  # instance id -> Instance (healthy, registered)
        self.models = {}  # model -> created (unix seconds), in order of registration
        self.rr = itertools.count()
        self.fault_500 = min(1.0, max(0.0, common.env_float("FAKE_DYNAMO_HTTP_500", 0.0)))
        self.requests_seen = 0
        self.metrics = Exposition("frontend", "", precreate=lambda name: name == "dynamo_frontend_disconnected_clients")

    # -- discovery ------------------------------------------------------------------------------------
    def watch(self):
        while True:
            try:
                self.scan()
            except Exception as e:  # keep watching whatever one card holds
                log("WARN", WATCHER, "discovery scan failed", error=str(e))
            time.sleep(WATCH_INTERVAL)

    def scan(self):
        seen = set()
        for card in common.read_cards():
            iid = card.get("instance_id")
            if not common.pid_alive(card.get("pid", -1)):
                if iid not in self.instances:
                    common.deregister(card["_path"])  # a lease that expired before we saw it
                continue
            seen.add(iid)
            if iid in self.instances:
                continue
            try:
                status, body = common.call(card["system_port"], "GET", "/health", timeout=1.0)
            except OSError:
                continue
            if status == 200 and isinstance(body, dict) and body.get("status") == "ready":
                self.add(Instance(card))
        for iid in [i for i in self.instances if i not in seen]:
            self.remove(iid)

    def add(self, inst):
        with self.lock:
            self.instances[inst.id] = inst
            new_model = inst.role != "prefill" and inst.model not in self.models
            if new_model:
                self.models[inst.model] = int(time.time())
        if new_model:
            m = self.metrics
            for name, value in (
                ("dynamo_frontend_model_max_num_seqs", inst.card.get("max_num_seqs")),
                ("dynamo_frontend_model_kv_cache_block_size", inst.card.get("kv_block_size")),
                ("dynamo_frontend_model_total_kv_blocks", inst.card.get("total_kv_blocks")),
            ):
                m.set(name, value if value is not None else 0, model=inst.model)
            for name in ("dynamo_frontend_model_context_length", "dynamo_frontend_model_max_num_batched_tokens", "dynamo_frontend_model_migration_limit"):
                m.touch(name, model=inst.model)
            m.touch("dynamo_frontend_inflight_requests", model=inst.model.lower())
            m.touch("dynamo_frontend_queued_requests", model=inst.model.lower())
            log("INFO", WATCHER, "added model", model_name=inst.model, namespace=common.NAMESPACE)

    def remove(self, iid):
        with self.lock:
            inst = self.instances.pop(iid)
            gone = inst.role != "prefill" and not any(i.model == inst.model and i.role != "prefill" for i in self.instances.values())
            if gone:
                self.models.pop(inst.model, None)
        common.deregister(inst.card.get("_path"))
        if gone:
            log("INFO", WATCHER, "removed model", model_name=inst.model, namespace=common.NAMESPACE)

    def pick(self, model, role):
        with self.lock:
            cands = [i for i in self.instances.values() if i.model == model and i.role in role]
        if not cands:
            return None
        return cands[next(self.rr) % len(cands)]

    def health(self):
        with self.lock:
            insts = list(self.instances.values())
        if not insts:
            return 503, {"instances": [], "message": "No endpoints available", "status": "unhealthy"}
        endpoints, instances = [], []
        for inst in insts:
            comp = inst.card["component"]
            for ep in inst.card.get("endpoints", ["generate"]):
                endpoints.append(f"dyn://{common.NAMESPACE}.{comp}.{ep}")
                instances.append({
                    "component": comp,
                    "endpoint": ep,
                    "instance_id": inst.id,
                    "namespace": common.NAMESPACE,
                    "transport": {"nats_tcp": f"{common.NAMESPACE}_{comp}.{ep}-{inst.id:x}"},
                })
        return 200, {"endpoints": sorted(set(endpoints)), "instances": instances, "status": "healthy"}

    def inject_500(self):
        """Evenly spread faults: request k fails when floor(k*f) steps up."""
        with self.lock:
            self.requests_seen += 1
            k = self.requests_seen
        f = self.fault_500
        return f > 0 and math.floor(k * f + 1e-9) > math.floor((k - 1) * f + 1e-9)


def make_handler(fe):
    class FrontendHandler(common.Handler):
        def do_GET(self):
            path = self.path.split("?")[0]
            if path == "/v1/models":
                with fe.lock:
                    models = list(fe.models.items())
                self.send_json(200, {"object": "list", "data": [{"id": m, "object": "object", "created": c, "owned_by": "nvidia"} for m, c in models]})
            elif path == "/health":
                self.send_json(*fe.health())
            elif path == "/live":
                self.send_json(200, {"message": "Service is live", "status": "live"})
            elif path == "/metrics":
                delay = common.env_float("FAKE_DYNAMO_METRICS_SLOW", 0.0)
                if delay > 0:
                    time.sleep(delay)
                text = "" if common.env_flag("FAKE_DYNAMO_METRICS_EMPTY") else fe.metrics.render()
                self.send_body(200, text, "text/plain; version=0.0.4; charset=utf-8")
            else:
                self.error(404, "Not Found", "Not Found")

        def do_POST(self):
            path = self.path.split("?")[0]
            if path == "/v1/chat/completions":
                self.generate(chat=True)
            elif path == "/v1/completions":
                self.generate(chat=False)
            else:
                self.read_json()
                self.error(404, "Not Found", "Not Found")

        def error(self, code, kind, message):
            return self.send_json(code, {"message": message, "type": kind, "code": code})

        def generate(self, chat):
            t0 = time.monotonic()
            m = fe.metrics
            endpoint = "chat_completions" if chat else "completions"
            try:
                raw, body = self.read_json()
            except ValueError as e:
                return self.error(400, "Bad Request", f"Failed to parse the request body as JSON: {e}")
            if not isinstance(body, dict):
                return self.error(400, "Bad Request", "The request body must be a JSON object")
            model = body.get("model")
            stream = bool(body.get("stream"))
            rtype = "stream" if stream else "unary"
            with fe.lock:
                known = model in fe.models
            if not known:
                return self.error(404, "Not Found", f"Model not found: {model}")
            lmodel = model.lower()
            inst = fe.pick(model, ("agg", "decode"))
            if inst is None:
                m.inc("dynamo_frontend_requests_total", 1, endpoint=endpoint, model=lmodel, request_type=rtype, status="error")
                return self.error(503, "Service Unavailable", f"No instances available for model {model}")
            if fe.inject_500():
                # the engine fails where the first token would have come
                time.sleep(max(0.0, float(inst.card.get("ttft_ms") or 0.0)) / 1000.0)
                m.inc("dynamo_frontend_requests_total", 1, endpoint=endpoint, model=lmodel, request_type=rtype, status="error")
                return self.error(500, "Internal Server Error", "Internal server error (fake fault FAKE_DYNAMO_HTTP_500)")
            max_tokens = body.get("max_tokens") or body.get("max_completion_tokens")
            req = {
                "id": uuid.uuid4().hex,
                "chat": chat,
                "stream": stream,
                "model": model,
                "max_tokens": int(max_tokens) if max_tokens else None,
                "n": int(max_tokens) if max_tokens else len(TOKENS),
                "prompt_tokens": prompt_tokens(body, chat),
                "request_bytes": len(raw),
                "t0": t0,
                "endpoint": endpoint,
                "rtype": rtype,
            }
            m.inc("dynamo_frontend_inflight_requests", 1, model=lmodel)
            try:
                self.run(inst, req)
            finally:
                m.inc("dynamo_frontend_inflight_requests", -1, model=lmodel)

        def run(self, inst, req):
            """Generates one response and counts it (before the client can see its end)."""
            m = fe.metrics
            chat, stream, model, n = req["chat"], req["stream"], req["model"], req["n"]
            lmodel = model.lower()

            def count(status):
                m.inc("dynamo_frontend_requests_total", 1, endpoint=req["endpoint"], model=lmodel, request_type=req["rtype"], status=status)

            try:
                common.call(inst.port, "POST", "/_fake/begin", {"id": req["id"], "prompt_tokens": req["prompt_tokens"], "max_tokens": n})
            except OSError:
                count("error")
                self.error(500, "Internal Server Error", "Failed to route request: no responders")
                return
            t_engine = time.monotonic()  # the engine has the request
            rate = max(1e-3, float(inst.card.get("tokens_per_sec") or 2000.0))
            ttft_s = max(0.0, float(inst.card.get("ttft_ms") or 0.0)) / 1000.0
            created = int(time.time())
            cid = ("chatcmpl-" if chat else "cmpl-") + uuid.uuid4().hex
            obj = "chat.completion.chunk" if chat else "text_completion"
            t_sched = time.monotonic()  # ... and schedules it
            times, pieces = [], []
            sent = 0
            reason = "length" if req["max_tokens"] else "stop"
            client_gone = False
            try:
                if stream:
                    self.start_chunked(200, "text/event-stream")
                for i in range(n):
                    delay = t_sched + ttft_s + i / rate - time.monotonic()
                    if delay > 0:
                        time.sleep(delay)
                    tok = TOKENS[i % len(TOKENS)]
                    pieces.append(tok)
                    if stream:
                        if chat:
                            choice = {"index": 0, "delta": {"content": tok, "role": "assistant"}, "finish_reason": None}
                        else:
                            choice = {"index": 0, "text": tok, "finish_reason": None, "logprobs": None}
                        chunk = {"id": cid, "choices": [choice], "created": created, "model": model, "object": obj}
                        sent += self.write_chunk("data: " + common.dumps(chunk) + "\n\n")
                    times.append(time.monotonic())
            except OSError:
                client_gone = True
                reason = "abort"
                m.inc("dynamo_frontend_disconnected_clients", 1)
            t_end = times[-1] if times else time.monotonic()
            first = times[0] if times else t_end
            itl = [b - a for a, b in zip(times, times[1:])]
            p, done = req["prompt_tokens"], len(times)
            usage = {"prompt_tokens": p, "completion_tokens": done, "total_tokens": p + done}
            text = "".join(pieces)
            if chat:
                message = {"content": text, "role": "assistant", "reasoning_content": None}
                final = {"id": cid, "choices": [{"index": 0, "message": message, "finish_reason": reason}], "created": created, "model": model, "object": "chat.completion", "usage": usage}
            else:
                final = {"id": cid, "choices": [{"index": 0, "text": text, "finish_reason": reason, "logprobs": None}], "created": created, "model": model, "object": "text_completion", "usage": usage}
            response = common.dumps(final)
            record = {
                "id": req["id"],
                "prompt_tokens": p,
                "generation_tokens": done,
                "max_tokens": req["max_tokens"] or n,
                "finished_reason": reason,
                "queue": t_sched - t_engine,
                "ttft": first - t_engine,
                "itl": itl,
                "e2e": t_end - t_engine,
                "request_bytes": req["request_bytes"],
                "response_bytes": sent if stream else len(response),
            }
            # The worker learns about the request before the client sees its end, so a scrape right after
            # the response always includes it.
            try:
                common.call(inst.port, "POST", "/_fake/finish", record)
                ok = not client_gone
            except OSError:
                ok = False
            if ok:
                m.observe("dynamo_frontend_input_sequence_tokens", p, model=lmodel)
                m.observe("dynamo_frontend_output_sequence_tokens", done, model=lmodel)
                m.inc("dynamo_frontend_output_tokens_total", done, model=lmodel)
                m.observe("dynamo_frontend_time_to_first_token_seconds", first - req["t0"], model=lmodel)
                m.observe("dynamo_frontend_inter_token_latency_seconds", itl, model=lmodel)
                m.observe("dynamo_frontend_request_duration_seconds", time.monotonic() - req["t0"], model=lmodel)
            count("success" if ok else "error")
            if client_gone:
                self.close_connection = True
                return
            try:
                if stream and ok:
                    if chat:
                        last = {"id": cid, "choices": [{"index": 0, "delta": {}, "finish_reason": reason}], "created": created, "model": model, "object": obj}
                    else:
                        last = {"id": cid, "choices": [{"index": 0, "text": "", "finish_reason": reason, "logprobs": None}], "created": created, "model": model, "object": obj}
                    self.write_chunk("data: " + common.dumps(last) + "\n\n")
                    self.write_chunk("data: [DONE]\n\n")
                    self.end_chunked()
                elif stream:
                    self.write_chunk('event: error\ndata: {"message":"Stream ended before generation completed","code":500}\n\n')
                    self.end_chunked()
                    self.close_connection = True
                elif ok:
                    self.send_body(200, response)
                else:
                    self.error(500, "Internal Server Error", "Stream ended before generation completed: worker is gone")
            except OSError:
                self.close_connection = True
                m.inc("dynamo_frontend_disconnected_clients", 1)

    return FrontendHandler


def main():
    p = argparse.ArgumentParser(prog="python -m dynamo.frontend")
    p.add_argument("--http-port", type=int, default=int(os.environ.get("DYN_HTTP_PORT") or 8000))
    p.add_argument("--http-host", default=None)
    p.add_argument("--router-mode", default="round-robin")
    p.add_argument("--discovery-backend", default="")
    p.add_argument("--namespace", default=None)
    args, _unknown = p.parse_known_args(sys.argv[1:])
    fe = Frontend(args.http_port)
    server = common.serve(make_handler(fe), args.http_port)
    host, port = server.server_address[:2]
    log("INFO", "dynamo_runtime::distributed", "Initializing distributed runtime", namespace=common.NAMESPACE, router_mode=args.router_mode)
    log("INFO", "dynamo_llm::http::service::service_v2", f"Starting HTTP service on: {host}:{port}", address=f"{host}:{port}")
    threading.Thread(target=fe.watch, name="watcher", daemon=True).start()

    def stop(signum):
        log("INFO", "dynamo_runtime::runtime", "Received signal, shutting down", signal=signum)

    common.run_until_signalled(stop)
