# SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
# SPDX-License-Identifier: Apache-2.0
"""A fake `python -m dynamo.<engine>` worker: no GPU, no engine, just the outside of one.

It serves the system status port (DYN_SYSTEM_PORT): /health (`{"status":"ready"}` once "loaded"), /live and
/metrics with that engine's real families (from a real capture) plus dynamo_component_*. The frontend
generates the tokens and reports each request's timings here (/_fake/begin, /_fake/finish), so counters
and histograms move exactly with the requests served.

Faults: FAKE_DYNAMO_LOAD_MS (load time, default 500), FAKE_DYNAMO_NEVER_READY=1, FAKE_DYNAMO_CRASH_AFTER=<s>,
FAKE_DYNAMO_METRICS_SLOW=<s>, FAKE_DYNAMO_METRICS_EMPTY=1.
"""

import argparse
import math
import os
import sys
import threading
import time

from . import common
from .common import log
from .exposition import Exposition

ENGINES = {
    "vllm": {
        "label": "vLLM",
        "template": "vllm",
        "component": "backend",
        # vLLM's own endpoints besides generate (they are in the real capture)
        "endpoints": ["clear_kv_blocks", "generate", "list_loras", "load_lora", "unload_lora"],
        "block_size": 16,
        "total_blocks": 5943,
    },
    "sglang": {"label": "SGLang", "template": "sglang", "component": "backend", "endpoints": ["generate"], "block_size": 1, "total_blocks": 92962},
    "trtllm": {"label": "TensorRT-LLM", "template": "trtllm", "component": "tensorrt_llm", "endpoints": ["generate"], "block_size": 32, "total_blocks": 0},
}

SGLANG_DECODE_LOG_INTERVAL = 40  # SGLang logs (and sets decode gauges) every 40 decode steps


def parse_args(engine, argv):
    p = argparse.ArgumentParser(prog=f"python -m dynamo.{engine}", add_help=True)
    p.add_argument("--model", "--model-path", dest="model", default="Qwen/Qwen3-0.6B")
    p.add_argument("--served-model-name", default=None)
    p.add_argument("--gpu-memory-utilization", default="0.9")
    p.add_argument("--mem-fraction-static", default=None)
    p.add_argument("--free-gpu-memory-fraction", default=None)
    p.add_argument("--max-num-seqs", type=int, default=None)
    p.add_argument("--max-running-requests", type=int, default=None)
    p.add_argument("--max-batch-size", type=int, default=None)
    p.add_argument("--enable-prefix-caching", dest="prefix_caching", action="store_true", default=None)
    p.add_argument("--no-enable-prefix-caching", dest="prefix_caching", action="store_false")
    p.add_argument("--kv-transfer-config", default="")
    p.add_argument("--connector", default="")
    p.add_argument("--is-prefill-worker", action="store_true")
    p.add_argument("--disaggregation-mode", default="")
    p.add_argument("--discovery-backend", default="")
    args, _unknown = p.parse_known_args(argv)
    return args


class Worker:
    def __init__(self, engine, args):
        self.engine = engine
        self.spec = ENGINES[engine]
        self.args = args
        self.model = args.served_model_name or args.model
        self.role = "prefill" if (args.is_prefill_worker or args.disaggregation_mode == "prefill") else "decode" if args.disaggregation_mode == "decode" else "agg"
        self.started = time.time()
        self.ready = False
        self.card_path = None
        self.metrics = None
        self.lock = threading.Lock()
        self.running = {}  # request id -> (prompt tokens, max tokens)
        self.last_rate = 0.0
        self.lmcache = "lmcache" in (args.kv_transfer_config + args.connector).lower()
        self.max_num_seqs = args.max_num_seqs or args.max_running_requests or args.max_batch_size or 256

    # -- metrics ------------------------------------------------------------------------------------
    def build_metrics(self):
        a = self.args
        label_values = {"dynamo_namespace": common.NAMESPACE}
        if self.engine == "vllm":
            label_values["gpu_memory_utilization"] = str(float(a.gpu_memory_utilization))
            label_values["enable_prefix_caching"] = "True" if a.prefix_caching else "False"

        def include(name):
            return self.lmcache or not name.startswith("lmcache:")

        def precreate(name):
            # vLLM and SGLang create every child up front; TensorRT-LLM's appear with their first request.
            return self.engine != "trtllm" or name.startswith("dynamo_")

        self.metrics = Exposition(self.spec["template"], self.model, include, precreate, label_values, self.before_render)

    def before_render(self, m):
        m.set("dynamo_component_uptime_seconds", round(time.time() - self.started, 9))

    def set_load_gauges(self):
        """Gauges that follow the requests in flight (called with self.lock held)."""
        m = self.metrics
        n = len(self.running)
        blocks = sum(math.ceil((p + mt) / self.spec["block_size"]) for p, mt in self.running.values())
        total = self.spec["total_blocks"]
        usage = min(1.0, blocks / total) if total else 0.0
        m.set("dynamo_component_inflight_requests", n, dynamo_endpoint="generate")
        m.set("dynamo_component_kvstats_active_blocks", blocks)
        m.set("dynamo_component_kvstats_gpu_cache_usage_percent", usage)
        if self.engine == "vllm":
            m.set("vllm:num_requests_running", n)
            m.set("vllm:kv_cache_usage_perc", usage)
        elif self.engine == "sglang":
            used = sum(p + mt for p, mt in self.running.values())
            m.set("sglang:num_running_reqs", n)
            m.set("sglang:num_used_tokens", used)
            m.set("sglang:token_usage", used / total if total else 0.0)
            m.set("sglang:gen_throughput", self.last_rate if n else 0.0)

    def begin(self, req):
        with self.lock:
            self.running[req["id"]] = (int(req.get("prompt_tokens", 0)), int(req.get("max_tokens", 0)))
            self.set_load_gauges()

    def finish(self, r):
        """Records one finished request: r has prompt_tokens, generation_tokens, max_tokens, finished_reason,
        queue, ttft, itl (list), e2e (seconds, engine side), request_bytes, response_bytes."""
        m = self.metrics
        p, n = int(r["prompt_tokens"]), int(r["generation_tokens"])
        ttft, e2e, queue = float(r["ttft"]), float(r["e2e"]), float(r["queue"])
        itl = [float(x) for x in r.get("itl", [])]
        decode = max(0.0, e2e - ttft)
        prefill = max(0.0, ttft - queue)
        tpot = decode / (n - 1) if n > 1 else 0.0
        reason = r.get("finished_reason", "length")
        with self.lock:
            self.running.pop(r.get("id"), None)
            if decode > 0 and n > 1:
                self.last_rate = (n - 1) / decode
            m.inc("dynamo_component_requests_total", 1, dynamo_endpoint="generate")
            m.observe("dynamo_component_request_duration_seconds", e2e, dynamo_endpoint="generate")
            m.inc("dynamo_component_request_bytes_total", int(r.get("request_bytes", 0)), dynamo_endpoint="generate")
            m.inc("dynamo_component_response_bytes_total", int(r.get("response_bytes", 0)), dynamo_endpoint="generate")
            if self.engine == "vllm":
                m.inc("vllm:prompt_tokens_total", p)
                m.inc("vllm:generation_tokens_total", n)
                m.inc("vllm:request_success_total", 1, finished_reason=reason)
                m.observe("vllm:request_prompt_tokens", p)
                m.observe("vllm:request_generation_tokens", n)
                # one engine step per generated token: the first also carries the prompt
                m.observe("vllm:iteration_tokens_total", [p + 1] + [1] * (n - 1) if n > 0 else [p])
                m.observe("vllm:request_max_num_generation_tokens", int(r.get("max_tokens", n)))
                m.observe("vllm:request_params_n", 1)
                m.observe("vllm:request_params_max_tokens", int(r.get("max_tokens", n)))
                m.observe("vllm:time_to_first_token_seconds", ttft)
                m.observe("vllm:inter_token_latency_seconds", itl)
                m.observe("vllm:request_time_per_output_token_seconds", tpot)
                m.observe("vllm:e2e_request_latency_seconds", e2e)
                m.observe("vllm:request_queue_time_seconds", queue)
                m.observe("vllm:request_inference_time_seconds", prefill + decode)
                m.observe("vllm:request_prefill_time_seconds", prefill)
                m.observe("vllm:request_decode_time_seconds", decode)
                m.observe("vllm:request_prefill_kv_computed_tokens", p)
                if self.args.prefix_caching:
                    m.inc("vllm:prefix_cache_queries_total", p)
                if self.lmcache:
                    m.inc("vllm:external_prefix_cache_queries_total", p)
            elif self.engine == "sglang":
                m.observe("sglang:per_stage_req_latency_seconds", queue, stage="prefill_waiting")
                m.observe("sglang:queue_time_seconds", queue)
                m.inc("sglang:realtime_tokens_total", p, mode="prefill_compute")
                m.inc("sglang:realtime_tokens_total", n, mode="decode")
                m.inc("sglang:cuda_graph_passes_total", n, mode="decode_cuda_graph")
                m.set("sglang:decode_sum_seq_lens", p + (n // SGLANG_DECODE_LOG_INTERVAL) * SGLANG_DECODE_LOG_INTERVAL)
                m.observe("sglang:time_to_first_token_seconds", ttft)
                m.observe("sglang:inter_token_latency_seconds", itl)
                m.observe("sglang:e2e_request_latency_seconds", e2e)
                m.observe("sglang:num_retractions", 0)
                m.inc("sglang:prompt_tokens_total", p)
                m.inc("sglang:generation_tokens_total", n)
                m.inc("sglang:num_requests_total", 1)
            else:
                m.inc("trtllm_request_success_total", 1, finished_reason=reason)
                m.observe("trtllm_e2e_request_latency_seconds", e2e)
                m.observe("trtllm_time_to_first_token_seconds", ttft)
                m.observe("trtllm_time_per_output_token_seconds", tpot)
                m.observe("trtllm_request_queue_time_seconds", queue)
            self.set_load_gauges()

    # -- life cycle -----------------------------------------------------------------------------------
    def card(self, port):
        return {
            "namespace": common.NAMESPACE,
            "component": self.spec["component"],
            "endpoint": "generate",
            "endpoints": self.spec["endpoints"],
            "framework": self.engine,
            "model": self.model,
            "role": self.role,
            "system_port": port,
            "pid": os.getpid(),
            "instance_id": (os.getpid() << 20) ^ int(self.started * 1000) & 0xFFFFF,
            "max_num_seqs": self.max_num_seqs,
            "kv_block_size": self.spec["block_size"],
            "total_kv_blocks": self.spec["total_blocks"],
            # the pace the frontend generates this worker's tokens at
            "tokens_per_sec": common.env_float("FAKE_DYNAMO_TOKENS_PER_SEC", 2000.0),
            "ttft_ms": common.env_float("FAKE_DYNAMO_TTFT_MS", 20.0),
        }

    def load_and_register(self, port):
        target = f"dynamo.{self.engine}.main"
        log("INFO", target, f"Initializing {self.spec['label']} engine", model=self.model, role=self.role)
        if common.env_flag("FAKE_DYNAMO_NEVER_READY"):
            log("INFO", target, "Loading model weights...", model=self.model)
            return  # stays loading for ever: never healthy, never registered
        time.sleep(max(0.0, common.env_float("FAKE_DYNAMO_LOAD_MS", 500.0)) / 1000.0)
        self.build_metrics()
        self.ready = True
        log("INFO", target, f"{self.spec['label']} worker for {self.model} has been initialized")
        self.card_path = common.register(self.card(port))
        for ep in self.spec["endpoints"]:
            log("INFO", "dynamo_runtime::component::endpoint", "Registered endpoint", endpoint=f"{common.NAMESPACE}.{self.spec['component']}.{ep}")

    def crash(self, after):
        log("ERROR", f"dynamo.{self.engine}.main", f"EngineCore encountered a fatal error: CUDA error: an illegal memory access was encountered (fake fault FAKE_DYNAMO_CRASH_AFTER={after:g})")
        log("ERROR", "dynamo_runtime::worker", "Engine died unexpectedly; exiting with status 1")
        sys.stderr.flush()
        os._exit(1)  # no deregistration: the frontend has to notice the process is gone

    def stop(self, signum):
        log("INFO", "dynamo_runtime::runtime", "Received signal, shutting down", signal=signum)
        common.deregister(self.card_path)


def make_handler(worker):
    class WorkerHandler(common.Handler):
        def do_GET(self):
            path = self.path.split("?")[0]
            if path == "/health":
                if worker.ready:
                    self.send_json(200, {"status": "ready", "endpoints": [f"{common.NAMESPACE}.{worker.spec['component']}.{e}" for e in worker.spec["endpoints"]]})
                else:
                    self.send_json(503, {"status": "notready", "endpoints": []})
            elif path == "/live":
                self.send_json(200, {"message": "Service is live", "status": "live"})
            elif path == "/metrics":
                delay = common.env_float("FAKE_DYNAMO_METRICS_SLOW", 0.0)
                if delay > 0:
                    time.sleep(delay)
                if common.env_flag("FAKE_DYNAMO_METRICS_EMPTY"):
                    text = ""
                elif worker.metrics is None:
                    # the runtime's server is up while the engine loads: only its own gauge exists yet
                    uptime = round(time.time() - worker.started, 9)
                    text = "# HELP dynamo_component_uptime_seconds Total uptime of the DistributedRuntime in seconds\n" f"# TYPE dynamo_component_uptime_seconds gauge\ndynamo_component_uptime_seconds {uptime}\n"
                else:
                    text = worker.metrics.render()
                self.send_body(200, text, "text/plain; version=0.0.4; charset=utf-8")
            else:
                self.send_json(404, {"message": "Not Found", "type": "Not Found", "code": 404})

        def do_POST(self):
            path = self.path.split("?")[0]
            _raw, body = self.read_json()
            if not worker.ready:
                self.send_json(503, {"message": "worker not ready", "type": "Service Unavailable", "code": 503})
            elif path == "/_fake/begin":
                worker.begin(body)
                self.send_json(200, {"ok": True})
            elif path == "/_fake/finish":
                worker.finish(body)
                self.send_json(200, {"ok": True})
            else:
                self.send_json(404, {"message": "Not Found", "type": "Not Found", "code": 404})

    return WorkerHandler


def main(engine):
    args = parse_args(engine, sys.argv[1:])
    worker = Worker(engine, args)
    port = int(os.environ.get("DYN_SYSTEM_PORT") or 0)
    server = common.serve(make_handler(worker), port)
    port = server.server_address[1]
    log("INFO", "dynamo_runtime::system_status_server", f"System status server started on {common.BIND_HOST}:{port}", endpoints='["/health", "/live", "/metrics"]')
    crash_after = common.env_float("FAKE_DYNAMO_CRASH_AFTER", 0.0)
    if crash_after > 0:
        t = threading.Timer(crash_after, worker.crash, args=(crash_after,))
        t.daemon = True
        t.start()
    threading.Thread(target=worker.load_and_register, args=(port,), name="load", daemon=True).start()
    common.run_until_signalled(worker.stop)
