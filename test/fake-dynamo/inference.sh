#!/bin/bash
# SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
# SPDX-License-Identifier: Apache-2.0
#
# Test double of dynamo-utils' inference.sh (@ 0d1e9df): same flags, defaults, checks, messages, launch
# order, trap and exit codes, but it starts the fake `dynamo` package next to this file (no GPU, no
# engine). What differs on purpose:
#  - framework "installation" comes from FAKE_DYNAMO_FRAMEWORK / FAKE_DYNAMO_AVAILABLE, the GPU/CUDA checks
#    from FAKE_DYNAMO_CUDA (default available), model validation always succeeds;
#  - no kill_dynamo_processes.sh: the pre-clean and the kill-by-port steps do nothing, and the trap stops
#    only this script's own descendants (TERM, then KILL);
#  - without ss and netstat, listening ports are read from /proc/net (the real checks would pass blindly);
#  - processes run as `python3 -m dynamo.<x>` with PYTHONPATH pointing here;
#  - --disagg prefixes ([PREFILL] / [DECODE]) go through `sed -u`, so they reach the log at once.
# Faithfully kept: `[ -d "~/dev" ]` never matches; check_all_ports hard-codes 8000 for the frontend; an
# early exit makes the EXIT trap fail on the unset FRONTEND_PID; a crashed child leaves `wait` waiting.

set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export PYTHONPATH="$SCRIPT_DIR${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONDONTWRITEBYTECODE=1
export PYTHONUNBUFFERED=1

BACKENDS=examples/backends
: ${DYN_FRONTEND_PORT:=8000}
: ${DYN_BACKEND_PORT:=8081}

GPU_MEMORY_UTIL_AGG=0.24
GPU_MEMORY_UTIL_DISAGG=0.24

# ---------------------------------------------------------------------------------------------------
# Ports

# `ss -tuln`-like lines from /proc/net, for images that have neither ss nor netstat.
proc_listeners() {
    local f proto sl local_addr rem st rest
    for f in /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6; do
        [ -r "$f" ] || continue
        proto=${f##*/}
        while read -r sl local_addr rem st rest; do
            case "$proto:$st" in
                tcp*:0A) echo "tcp   LISTEN 0 0 *:$((16#${local_addr##*:})) *:*" ;;
                udp*:07) echo "udp   UNCONN 0 0 *:$((16#${local_addr##*:})) *:*" ;;
            esac
        done < <(tail -n +2 "$f")
    done
}

list_listeners() {
    if command -v netstat >/dev/null 2>&1; then
        netstat -tuln 2>/dev/null
    elif command -v ss >/dev/null 2>&1; then
        ss -tuln 2>/dev/null
    else
        proc_listeners
    fi
}

check_port_available() {
    local port="$1"
    if list_listeners | grep -q ":$port "; then
        return 1
    fi
    return 0
}

find_available_backend_port() {
    local base_port="$DYN_BACKEND_PORT"
    local max_attempts=10
    local attempt=0
    while [ $attempt -lt $max_attempts ]; do
        local test_port=$((base_port + attempt))
        if check_port_available "$test_port" "backend"; then
            echo "✅ Port $test_port (backend) is available"
            if [ $attempt -gt 0 ]; then
                echo "  (original port $base_port was in use, incremented by +$attempt)"
                DYN_BACKEND_PORT=$test_port
            fi
            return 0
        fi
        attempt=$((attempt + 1))
    done
    echo "❌ Error: No available backend ports found in range $base_port to $((base_port + max_attempts - 1))"
    echo "Please free up some ports in this range before running the script."
    exit 1
}

check_port() {
    local port=$1
    if list_listeners | grep -q ":$port "; then
        return 1
    fi
    return 0
}

check_all_ports() {
    local ports_to_check=()
    local port_descriptions=()
    if [ "$RUN_FRONTEND" = true ]; then
        ports_to_check+=(8000)  # sic: the real script ignores DYN_FRONTEND_PORT here
        port_descriptions+=("frontend")
    fi
    if [ "$RUN_BACKEND" = true ]; then
        if [ "$DISAGG_MODE" = true ]; then
            ports_to_check+=($DECODE_PORT)
            port_descriptions+=("decode worker")
            ports_to_check+=($PREFILL_PORT)
            port_descriptions+=("prefill worker")
        else
            ports_to_check+=($DYN_BACKEND_PORT)
            port_descriptions+=("backend")
        fi
    fi
    local all_available=true
    local i
    for i in "${!ports_to_check[@]}"; do
        if ! check_port "${ports_to_check[$i]}"; then
            echo "❌ Port ${ports_to_check[$i]} is already in use (needed for ${port_descriptions[$i]})"
            all_available=false
        fi
    done
    if [ "$all_available" = false ]; then
        echo ""
        echo "Please free up the ports above before running this script."
        echo "You can find processes using ports with: lsof -i :<port>"
        echo "Kill processes with: kill -9 <pid>"
        exit 1
    fi
}

# ---------------------------------------------------------------------------------------------------
# Frameworks (the fake "installs" them through the environment)

get_available_frameworks() {
    if [ -d "$BACKENDS" ]; then
        ls $BACKENDS/ 2>/dev/null | tr '\n' ' ' | sed 's/ $//'
    else
        echo "none found"
    fi
}

check_nvidia_available() {
    [ "${FAKE_DYNAMO_CUDA:-1}" != 0 ]
}

detect_installed_frameworks() {
    if ! check_nvidia_available; then
        echo "❌ Error: NVIDIA GPU not detected or drivers not available" >&2
        echo "   Backend frameworks require NVIDIA GPU support" >&2
        echo ""
        return 1
    fi
    local listed=" ${FAKE_DYNAMO_FRAMEWORK:-${FAKE_DYNAMO_AVAILABLE:-}} "
    listed=${listed//,/ }
    local installed="" fw
    for fw in vllm trtllm sglang; do
        case "$listed" in *" $fw "*) installed="$installed $fw" ;; esac
    done
    echo "$installed" | sed 's/^ *//'
}

auto_select_framework() {
    local installed available framework
    installed=$(detect_installed_frameworks 2>/dev/null) || true
    available=$(get_available_frameworks)
    if [ "$installed" = "" ]; then
        echo "❌ Error: No supported frameworks are installed" >&2
        echo "Available framework directories: $available" >&2
        if check_nvidia_available && [ -d "$BACKENDS/trtllm" ]; then
            echo "⚠️  However, NVIDIA GPU detected and trtllm backend directory exists." >&2
            echo "   You can try: $0 --framework trtllm [other options]" >&2
        fi
        echo "Please install one of: vllm, tensorrt_llm, sglang, llama_cpp" >&2
        return 1
    fi
    for framework in vllm trtllm sglang llama_cpp; do
        if echo "$installed" | grep -q "$framework"; then
            if [ -d "$BACKENDS/$framework" ]; then
                echo "$framework"
                return 0
            fi
        fi
    done
    echo "❌ Error: Frameworks installed ($installed) but no matching backend directories found" >&2
    echo "Available backend directories: $available" >&2
    return 1
}

detect_and_validate_framework() {
    if [ "$FRAMEWORK_SPECIFIED" = false ]; then
        echo "Auto-detecting framework..."
        if ! FRAMEWORK=$(auto_select_framework 2>/dev/null); then
            echo "❌ Auto-detection failed: No suitable framework found"
            echo "   Available framework directories: $(get_available_frameworks)"
            echo "   Suggestion: Use --framework <name> to specify a framework explicitly"
            return 1
        fi
        echo "✅ Auto-selected framework: $FRAMEWORK"
    else
        echo "Using specified framework: $FRAMEWORK"
    fi
    if [ ! -d "$WORKSPACE_DIR/$BACKENDS/$FRAMEWORK" ]; then
        echo "❌ Error: Framework '$FRAMEWORK' not found in $WORKSPACE_DIR/$BACKENDS/"
        echo "   Available frameworks: $(get_available_frameworks)"
        return 1
    fi
    if [ ! -f "$WORKSPACE_DIR/$BACKENDS/$FRAMEWORK/deploy/agg.yaml" ]; then
        echo "⚠️  Warning: Framework '$FRAMEWORK' missing deploy/agg.yaml"
        echo "   This framework may not support aggregation mode"
        return 1
    fi
    return 0
}

# ---------------------------------------------------------------------------------------------------
# Models

resolve_model() {
    local model_input="${1:-}"
    [ -n "$model_input" ] || model_input="qwen"
    case "$model_input" in
        deepseek) echo "$DEEPSEEK_MODEL" ;;
        tinyllama) echo "$TINYLLAMA_MODEL" ;;
        qwen)
            local qwen_cache_dir="$HOME/.cache/huggingface/hub/models--Qwen--Qwen3-0.6B"
            local latest_snapshot=""
            if [ -d "$qwen_cache_dir/snapshots" ]; then
                latest_snapshot=$(ls -t "$qwen_cache_dir/snapshots" 2>/dev/null | head -1)
            fi
            if [ -n "$latest_snapshot" ]; then
                echo "$qwen_cache_dir/snapshots/$latest_snapshot"
            else
                echo "$QWEN_MODEL"
            fi
            ;;
        *) echo "$model_input" ;;
    esac
}

validate_model() {
    # The real one loads the tokenizer (online, then offline); the fake has no weights to find.
    echo "✅ Model(s) found: $1"
}

# ---------------------------------------------------------------------------------------------------
# Dry run helpers

dry_run_echo() {
    if [ "$DRY_RUN" = true ]; then
        echo "[DRY RUN] $*"
    else
        echo "$*"
    fi
}

# Shows a command as `+ cmd args` (set -x style) and runs it unless this is a dry run.
cmd() {
    ( set -x; : "$@" ) 2>&1 | sed 's/^+ : /+ /'
    if [ "$DRY_RUN" = false ]; then
        "$@"
    fi
}

dry_run_exec() {
    if [ "$DRY_RUN" = true ]; then
        echo "[DRY RUN] Would execute: $*"
    else
        eval "$*"
    fi
}

show_help() {
    local available_frameworks installed_frameworks auto_selected
    available_frameworks=$(get_available_frameworks)
    installed_frameworks=$(detect_installed_frameworks 2>/dev/null || true)
    auto_selected=$(auto_select_framework 2>/dev/null || echo "none")
    cat << EOF
Usage: $0 [OPTIONS]

Run Dynamo inference in the development environment.

OPTIONS:
    -h, --help    Show this help message and exit

    --model MODEL Specify the model to use
                  Predefined options: "deepseek" (deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B)
                                     "tinyllama" (TinyLlama/TinyLlama-1.1B-Chat-v1.0)
                                     "qwen" (Qwen/Qwen3-0.6B)
                  Or specify any custom model path (e.g., "microsoft/DialoGPT-medium")
                  Default: "qwen" (Qwen/Qwen3-0.6B)
    --framework FRAMEWORK Specify the framework to use
                         Available directories: $available_frameworks
                         Installed frameworks: $installed_frameworks
                         Auto-selected: $auto_selected
                         Default: auto-detect (or "vllm" if auto-detection fails)
    --disagg              Run in disaggregated mode (prefill + decode workers)
                         Default: aggregated mode (single worker)
    --gpu-mem-fraction FRACTION
                         GPU memory fraction to use (0.0 to 1.0)
                         Default: 0.24 (24% of GPU memory)
    --enable-prefix-caching
                         Enable vLLM automatic prefix caching (prefix cache hits)
                         Default: disabled in this script (uses --no-enable-prefix-caching)
    --enable-local-indexer
                         Enable worker-local KV indexer (vLLM only)
    --use-original-model-name
                         Use the original HuggingFace model name instead of local cache path
    --router-mode MODE    Frontend router mode (e.g. "kv"). Disagg mode defaults to "kv"
    --discovery-backend BACKEND
                         Discovery backend to use (e.g. "file"). Default: etcd/NATS
    --lmcache             Enable LMCache KV cache offloading (vLLM only, disabled by default)
    --dryrun, --dry-run Show what would be executed without running
                       (dry run mode)
    --frontend             Run the frontend component
    --backend              Run the backend component
                          (if neither specified, both components run by default)

DESCRIPTION:
    This script runs Dynamo inference (here: the fake Dynamo stack in $SCRIPT_DIR/dynamo).
    By default, it runs in aggregation mode (single worker).
    Use --disagg to run in disaggregated mode (separate prefill and decode workers).
    Use --framework to override auto-detection; FAKE_DYNAMO_FRAMEWORK / FAKE_DYNAMO_AVAILABLE
    say which frameworks count as installed.
    Use --dryrun or --dry-run to see what would be executed without running.
EOF
}

# ---------------------------------------------------------------------------------------------------
# Arguments

DRY_RUN=false
FRAMEWORK_SPECIFIED=false
RUN_FRONTEND=false
RUN_BACKEND=false
DISAGG_MODE=false
ENABLE_LMCACHE=false
ENABLE_PREFIX_CACHING=false
GPU_MEM_FRACTION_OVERRIDE=""
ENABLE_LOCAL_INDEXER=false
USE_ORIGINAL_MODEL_NAME=false
ROUTER_MODE=""
DISCOVERY_BACKEND=""
QWEN_MODEL="Qwen/Qwen3-0.6B"
TINYLLAMA_MODEL="TinyLlama/TinyLlama-1.1B-Chat-v1.0"
DEEPSEEK_MODEL="deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B"
MODEL_INPUT=""
FRAMEWORK=""
while [[ $# -gt 0 ]]; do
    case $1 in
        -h|--help) show_help; exit 0 ;;
        --model) MODEL_INPUT="$2"; shift 2 ;;
        --framework) FRAMEWORK="$2"; FRAMEWORK_SPECIFIED=true; shift 2 ;;
        --disagg) DISAGG_MODE=true; shift ;;
        --lmcache) ENABLE_LMCACHE=true; shift ;;
        --gpu-mem-fraction) GPU_MEM_FRACTION_OVERRIDE="$2"; shift 2 ;;
        --enable-prefix-caching) ENABLE_PREFIX_CACHING=true; shift ;;
        --enable-local-indexer) ENABLE_LOCAL_INDEXER=true; shift ;;
        --use-original-model-name) USE_ORIGINAL_MODEL_NAME=true; shift ;;
        --router-mode) ROUTER_MODE="$2"; shift 2 ;;
        --discovery-backend) DISCOVERY_BACKEND="$2"; shift 2 ;;
        --dryrun|--dry-run) DRY_RUN=true; shift ;;
        --frontend) RUN_FRONTEND=true; shift ;;
        --backend) RUN_BACKEND=true; shift ;;
        *)
            echo "Unknown option: $1"
            show_help
            exit 1
            ;;
    esac
done

if [ "$RUN_FRONTEND" = false ] && [ "$RUN_BACKEND" = false ]; then
    RUN_FRONTEND=true
    RUN_BACKEND=true
fi

MODEL=$(resolve_model "$MODEL_INPUT")
if [ "$USE_ORIGINAL_MODEL_NAME" = true ]; then
    case "$MODEL_INPUT" in
        ""|qwen) MODEL="$QWEN_MODEL" ;;
        tinyllama) MODEL="$TINYLLAMA_MODEL" ;;
        deepseek) MODEL="$DEEPSEEK_MODEL" ;;
        *) MODEL="$MODEL_INPUT" ;;
    esac
    echo "Using original model name: $MODEL"
fi

if [ "$DRY_RUN" = false ]; then
    echo "Validating model: $MODEL"
    if ! validate_model "$MODEL"; then
        exit 1
    fi
else
    dry_run_echo "Would validate model: $MODEL"
    dry_run_echo "✅ Model(s) found: $MODEL"
fi

if [ "$DRY_RUN" = true ]; then
    echo "=== DRY RUN MODE ==="
    echo "This is a dry run - no actual commands will be executed"
    echo "==================="
    echo
fi

cleanup_dynamo_processes() {
    # The real script runs kill_dynamo_processes.sh --force here (broad pgrep/pkill patterns); the fake
    # kills nothing it did not start.
    if [ "$DRY_RUN" = true ]; then
        dry_run_echo "Would run: kill_dynamo_processes.sh --force"
    fi
}

if [ ! -e /.dockerenv ]; then
    echo "This script must be run inside a Docker container."
    exit 1
fi

cleanup_dynamo_processes
if [ -d "~/dev" ]; then  # sic: quoted, so the tilde never expands (as in the real script)
    WORKSPACE_DIR="~/dev"
elif [ -d "/workspace" ]; then
    WORKSPACE_DIR="/workspace"
else
    echo "Error: Neither ~/dev nor /workspace directory exists."
    exit 1
fi

cd $WORKSPACE_DIR

if [ "$RUN_BACKEND" = true ]; then
    if ! detect_and_validate_framework; then
        if [ "$RUN_FRONTEND" = false ]; then
            echo "❌ Error: Backend was explicitly requested but no suitable framework is available"
            echo "   This system requires NVIDIA GPU support for backend frameworks"
            exit 1
        else
            echo "❌ Error: Backend framework not available but both frontend and backend are needed"
            echo "   This system requires NVIDIA GPU support for backend frameworks"
            echo "   Use --frontend to run frontend only, or install GPU support for full system"
            exit 1
        fi
    fi
fi

if [ "$DISAGG_MODE" = true ]; then
    dry_run_echo "Running Dynamo inference in disaggregated mode (prefill + decode workers)"
else
    dry_run_echo "Running Dynamo inference in aggregation mode (single worker)"
fi

if [ "$RUN_BACKEND" = true ] && [ -n "$FRAMEWORK" ]; then
    if [ "$DISAGG_MODE" = true ]; then
        dry_run_exec "cd $BACKENDS/$FRAMEWORK && grep 'model' deploy/disagg.yaml 2>/dev/null || echo 'Note: deploy/disagg.yaml not found'"
    else
        dry_run_exec "cd $BACKENDS/$FRAMEWORK && grep 'model' deploy/agg.yaml"
    fi
fi

# ---------------------------------------------------------------------------------------------------
# Clean-up: only this script's own processes

# PIDs below this script (children, grandchildren, ...), read from /proc; the subshell that computes them
# (a command substitution) is left out.
own_descendants() {
    local me=$BASHPID
    declare -A kids=()
    local st line pid fields
    for st in /proc/[0-9]*/stat; do
        read -r line < "$st" 2>/dev/null || continue
        pid=${st#/proc/}
        pid=${pid%/stat}
        read -r -a fields <<< "${line##*) }"
        kids[${fields[1]}]+=" $pid"
    done
    local todo=("$$") found=() p c
    while [ ${#todo[@]} -gt 0 ]; do
        p=${todo[0]}
        todo=("${todo[@]:1}")
        for c in ${kids[$p]:-}; do
            [ "$c" = "$me" ] && continue
            found+=("$c")
            todo+=("$c")
        done
    done
    echo "${found[*]:-}"
}

is_running() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [ "${stat:0:1}" != Z ]
}

stop_own_processes() {
    local pids p left i
    pids=$(own_descendants)
    [ -n "$pids" ] || return 0
    kill -TERM $pids 2>/dev/null || true
    for i in $(seq 1 50); do
        left=""
        for p in $pids; do
            if is_running "$p"; then left="$left $p"; fi
        done
        [ -n "$left" ] || return 0
        sleep 0.1
    done
    kill -KILL $left 2>/dev/null || true
}

cleanup_on_exit() {
    echo "Cleaning up..."
    stop_own_processes

    [ -n "$FRONTEND_PID" ] && kill -9 $FRONTEND_PID 2>/dev/null || true
    [ -n "$BACKEND_PID" ] && kill -9 $BACKEND_PID 2>/dev/null || true
    [ -n "$PREFILL_PID" ] && kill -9 $PREFILL_PID 2>/dev/null || true

    echo "Cleanup complete."
}

if [ "$DRY_RUN" = false ]; then
    trap cleanup_on_exit INT TERM EXIT
else
    cmd trap 'echo "[DRY RUN] Would clean up and kill background processes on exit"; exit' INT TERM EXIT
fi

# ---------------------------------------------------------------------------------------------------
# Pre-launch checks

if [ "$RUN_BACKEND" = true ]; then
    dry_run_echo "Checking torch import and CUDA availability..."
    if [ "$DRY_RUN" = false ]; then
        if ! check_nvidia_available; then
            echo "❌ Error: CUDA is not available. Please ensure CUDA drivers and PyTorch CUDA support are properly installed."
            echo "CUDA status:"
            echo "CUDA available: False"
            echo "CUDA device count: N/A"
            exit 1
        fi
        echo "Torch import successful and CUDA is available"
        echo "CUDA device count: ${FAKE_DYNAMO_GPUS:-1}"
    else
        cmd python3 -c "import torch; print('CUDA available:', torch.cuda.is_available())"
        dry_run_echo "Torch import successful and CUDA is available"
        dry_run_echo "CUDA device count: \$(python -c \"import torch; print(torch.cuda.device_count())\" 2>/dev/null || echo 'Unknown')"
    fi
fi

if [ "$RUN_FRONTEND" = true ]; then
    if [ "$DRY_RUN" = false ]; then
        if ! python3 -c "import dynamo.frontend" >/dev/null 2>&1; then
            echo "❌ Import check failed: cannot import dynamo.frontend"
            exit 1
        fi
    else
        cmd python3 -c "import dynamo.frontend"
    fi
fi

if [ "$RUN_FRONTEND" = true ]; then
    if [ "$DRY_RUN" = false ]; then
        if ! check_port_available "$DYN_FRONTEND_PORT" "frontend"; then
            echo "❌ Error: Port $DYN_FRONTEND_PORT (frontend) is already bound"
            echo "Please free up this port before running the script."
            exit 1
        fi
        echo "✅ Port $DYN_FRONTEND_PORT (frontend) is available"
    else
        cmd check_port_available "$DYN_FRONTEND_PORT" "frontend"
    fi
fi
if [ "$RUN_BACKEND" = true ]; then
    if [ "$DRY_RUN" = false ]; then
        find_available_backend_port
    else
        cmd find_available_backend_port
    fi
fi

if [ -n "$GPU_MEM_FRACTION_OVERRIDE" ]; then
    GPU_MEMORY_UTIL_AGG="$GPU_MEM_FRACTION_OVERRIDE"
    GPU_MEMORY_UTIL_DISAGG="$GPU_MEM_FRACTION_OVERRIDE"
    echo "Using GPU memory fraction: $GPU_MEM_FRACTION_OVERRIDE"
fi

DISCOVERY_ARGS=""
if [ -n "$DISCOVERY_BACKEND" ]; then
    DISCOVERY_ARGS="--discovery-backend $DISCOVERY_BACKEND"
fi

BATCH_SIZE=2
KV_TRANSFER_ARGS=""
if [ "$FRAMEWORK" = "vllm" ]; then
    if [ "$ENABLE_PREFIX_CACHING" = true ]; then
        PREFIX_CACHING_ARGS="--enable-prefix-caching"
    else
        PREFIX_CACHING_ARGS="--no-enable-prefix-caching"
    fi
    FRAMEWORK_ARGS="--gpu-memory-utilization $GPU_MEMORY_UTIL_AGG --enforce-eager $PREFIX_CACHING_ARGS --max-num-seqs $BATCH_SIZE"
    if [ "$ENABLE_LMCACHE" = true ]; then
        KV_TRANSFER_ARGS='--kv-transfer-config {"kv_connector":"LMCacheConnectorV1","kv_role":"kv_both"}'
    fi
    if [ "$ENABLE_LOCAL_INDEXER" = true ]; then
        FRAMEWORK_ARGS="$FRAMEWORK_ARGS --enable-local-indexer true"
    fi
elif [ "$FRAMEWORK" = "sglang" ]; then
    FRAMEWORK_ARGS="--mem-fraction-static $GPU_MEMORY_UTIL_AGG --max-running-requests $BATCH_SIZE --enable-metrics"
elif [ "$FRAMEWORK" = "trtllm" ]; then
    FRAMEWORK_ARGS="--free-gpu-memory-fraction $GPU_MEMORY_UTIL_AGG --max-num-tokens 512 --max-batch-size $BATCH_SIZE --publish-events-and-metrics"
else
    FRAMEWORK_ARGS=""
fi

FRONTEND_PID=""
BACKEND_PID=""
PREFILL_PID=""

if [ "$DRY_RUN" = false ]; then
    if [ "$DISAGG_MODE" = true ]; then
        PREFILL_PORT=$DYN_BACKEND_PORT
        DECODE_PORT=$((DYN_BACKEND_PORT + 1))
    fi
    # (the real script runs kill_dynamo_processes.sh --force --ports <these ports> here)
    check_all_ports
fi

# ---------------------------------------------------------------------------------------------------
# Launch: backend first, then the frontend

if [ "$RUN_BACKEND" = true ]; then
    if [ "$DISAGG_MODE" = true ]; then
        PREFILL_PORT=$DYN_BACKEND_PORT
        DECODE_PORT=$((DYN_BACKEND_PORT + 1))
        PREFILL_KV_TRANSFER=""
        if [ "$FRAMEWORK" = "vllm" ]; then
            if [ "$ENABLE_PREFIX_CACHING" = true ]; then
                PREFIX_CACHING_ARGS="--enable-prefix-caching"
            else
                PREFIX_CACHING_ARGS="--no-enable-prefix-caching"
            fi
            DISAGG_FRAMEWORK_ARGS="--gpu-memory-utilization $GPU_MEMORY_UTIL_DISAGG --enforce-eager $PREFIX_CACHING_ARGS --max-num-seqs $BATCH_SIZE"
            PREFILL_FLAG="--is-prefill-worker"
            DECODE_FLAG=""
            if [ "$ENABLE_LMCACHE" = true ]; then
                PREFILL_KV_TRANSFER='--kv-transfer-config {"kv_connector":"PdConnector","kv_role":"kv_both","kv_connector_extra_config":{"connectors":[{"kv_connector":"LMCacheConnectorV1","kv_role":"kv_both"},{"kv_connector":"NixlConnector","kv_role":"kv_both"}]},"kv_connector_module_path":"kvbm.vllm_integration.connector"}'
            fi
            if [ "$ENABLE_LOCAL_INDEXER" = true ]; then
                DISAGG_FRAMEWORK_ARGS="$DISAGG_FRAMEWORK_ARGS --enable-local-indexer true"
            fi
        elif [ "$FRAMEWORK" = "sglang" ]; then
            DISAGG_FRAMEWORK_ARGS="--mem-fraction-static $GPU_MEMORY_UTIL_DISAGG --page-size 16 --chunked-prefill-size 4096 --max-prefill-tokens 4096 --enable-memory-saver --delete-ckpt-after-loading --max-running-requests $BATCH_SIZE --enable-metrics --disaggregation-bootstrap-port 12345 --host 0.0.0.0 --disaggregation-transfer-backend nixl"
            PREFILL_FLAG="--disaggregation-mode prefill"
            DECODE_FLAG="--disaggregation-mode decode"
        elif [ "$FRAMEWORK" = "trtllm" ]; then
            DISAGG_FRAMEWORK_ARGS="--publish-events-and-metrics"
            PREFILL_FLAG="--disaggregation-mode prefill --extra-engine-args $WORKSPACE_DIR/tests/serve/configs/trtllm/prefill.yaml"
            DECODE_FLAG="--disaggregation-mode decode --extra-engine-args $WORKSPACE_DIR/tests/serve/configs/trtllm/decode.yaml"
        else
            DISAGG_FRAMEWORK_ARGS=""
            PREFILL_FLAG=""
            DECODE_FLAG=""
        fi
        GPU_MEM_PERCENT=$(python3 -c "import sys; print(f'{float(sys.argv[1]) * 100:.0f}%')" "$GPU_MEMORY_UTIL_DISAGG")
        NIXL_PORT_PREFILL=5600
        NIXL_PORT_DECODE=5601

        dry_run_echo "Launching prefill worker on port $PREFILL_PORT ($GPU_MEM_PERCENT GPU memory)..."
        if [ "$DRY_RUN" = false ]; then
            ( set -x; VLLM_NIXL_SIDE_CHANNEL_PORT=$NIXL_PORT_PREFILL DYN_LOG=info DYN_SYSTEM_PORT=$PREFILL_PORT python3 -m dynamo.$FRAMEWORK --model "$MODEL" $DISAGG_FRAMEWORK_ARGS $PREFILL_FLAG $PREFILL_KV_TRANSFER $DISCOVERY_ARGS ) 2>&1 | sed -u 's/^/[PREFILL] /' &
            PREFILL_PID=$!
        else
            ( set -x; : VLLM_NIXL_SIDE_CHANNEL_PORT=$NIXL_PORT_PREFILL DYN_LOG=info DYN_SYSTEM_PORT=$PREFILL_PORT python3 -m dynamo.$FRAMEWORK --model "$MODEL" $DISAGG_FRAMEWORK_ARGS $PREFILL_FLAG $PREFILL_KV_TRANSFER $DISCOVERY_ARGS ) 2>&1 | sed 's/^+ : /+ /'
            dry_run_echo "PREFILL_PID=\$!"
        fi

        if [ "$DRY_RUN" = false ]; then
            echo "Waiting for prefill worker to initialize..."
            sleep "${FAKE_DYNAMO_PREFILL_WAIT_S:-20}"
            echo "Checking if prefill worker is ready..."
            max_attempts=30
            attempt=0
            while [ $attempt -lt $max_attempts ]; do
                if curl -s http://localhost:$PREFILL_PORT/metrics > /dev/null 2>&1; then
                    echo "Prefill worker is ready!"
                    break
                fi
                attempt=$((attempt + 1))
                if [ $attempt -lt $max_attempts ]; then
                    sleep 2
                fi
            done
            if [ $attempt -eq $max_attempts ]; then
                echo "Warning: Prefill worker may not be fully ready after $max_attempts attempts"
            fi
        else
            dry_run_echo "sleep 20"
            dry_run_echo "# Poll prefill worker metrics endpoint"
        fi

        dry_run_echo "Launching decode worker on port $DECODE_PORT ($GPU_MEM_PERCENT GPU memory)..."
        if [ "$DRY_RUN" = false ]; then
            ( set -x; VLLM_NIXL_SIDE_CHANNEL_PORT=$NIXL_PORT_DECODE DYN_LOG=info DYN_SYSTEM_PORT=$DECODE_PORT python3 -m dynamo.$FRAMEWORK --model "$MODEL" $DISAGG_FRAMEWORK_ARGS $DECODE_FLAG $DISCOVERY_ARGS ) 2>&1 | sed -u 's/^/[DECODE] /' &
            BACKEND_PID=$!
        else
            ( set -x; : VLLM_NIXL_SIDE_CHANNEL_PORT=$NIXL_PORT_DECODE DYN_LOG=info DYN_SYSTEM_PORT=$DECODE_PORT python3 -m dynamo.$FRAMEWORK --model "$MODEL" $DISAGG_FRAMEWORK_ARGS $DECODE_FLAG $DISCOVERY_ARGS ) 2>&1 | sed 's/^+ : /+ /'
            dry_run_echo "BACKEND_PID=\$!"
        fi
    else
        if [ "$DRY_RUN" = false ]; then
            ( set -x; DYN_LOG=info DYN_SYSTEM_PORT=$DYN_BACKEND_PORT python3 -m dynamo.$FRAMEWORK --model "$MODEL" $FRAMEWORK_ARGS $KV_TRANSFER_ARGS $DISCOVERY_ARGS ) &
            BACKEND_PID=$!
        else
            ( set -x; : DYN_LOG=info DYN_SYSTEM_PORT=$DYN_BACKEND_PORT python3 -m dynamo.$FRAMEWORK --model "$MODEL" $FRAMEWORK_ARGS $KV_TRANSFER_ARGS $DISCOVERY_ARGS ) 2>&1 | sed 's/^+ : /+ /'
            dry_run_echo "BACKEND_PID=\$!"
        fi
    fi
fi

FRONTEND_ROUTER_ARGS=""
if [ -n "$ROUTER_MODE" ]; then
    FRONTEND_ROUTER_ARGS="--router-mode $ROUTER_MODE"
elif [ "$DISAGG_MODE" = true ]; then
    FRONTEND_ROUTER_ARGS="--router-mode kv"
fi

if [ "$RUN_FRONTEND" = true ]; then
    cmd env -u DYN_SYSTEM_PORT python3 -m dynamo.frontend --http-port $DYN_FRONTEND_PORT $FRONTEND_ROUTER_ARGS $DISCOVERY_ARGS &
    if [ "$DRY_RUN" = false ]; then
        FRONTEND_PID=$!
    else
        dry_run_echo "FRONTEND_PID=\$!"
    fi
fi

# `wait` returns when every listed child has ended: a crashed worker alone does not end this script.
if [ "$RUN_FRONTEND" = true ] && [ "$RUN_BACKEND" = false ]; then
    dry_run_echo "Launched frontend process only. Press Ctrl+C to exit."
    if [ "$DRY_RUN" = false ]; then
        wait $FRONTEND_PID
    else
        dry_run_echo "wait \$FRONTEND_PID"
    fi
elif [ "$RUN_BACKEND" = true ] && [ "$RUN_FRONTEND" = false ]; then
    if [ "$DISAGG_MODE" = true ]; then
        dry_run_echo "Launched $FRAMEWORK backend processes (decode + prefill) only. Press Ctrl+C to exit."
        if [ "$DRY_RUN" = false ]; then
            wait $BACKEND_PID $PREFILL_PID
        else
            dry_run_echo "wait \$BACKEND_PID \$PREFILL_PID"
        fi
    else
        dry_run_echo "Launched $FRAMEWORK backend process only. Press Ctrl+C to exit."
        if [ "$DRY_RUN" = false ]; then
            wait $BACKEND_PID
        else
            dry_run_echo "wait \$BACKEND_PID"
        fi
    fi
else
    if [ "$DISAGG_MODE" = true ]; then
        dry_run_echo "Launched frontend and $FRAMEWORK processes (decode + prefill). Press Ctrl+C to exit."
        if [ "$DRY_RUN" = false ]; then
            wait $FRONTEND_PID $BACKEND_PID $PREFILL_PID
        else
            dry_run_echo "wait \$FRONTEND_PID \$BACKEND_PID \$PREFILL_PID"
        fi
    else
        dry_run_echo "Launched frontend and $FRAMEWORK processes. Press Ctrl+C to exit."
        if [ "$DRY_RUN" = false ]; then
            wait $FRONTEND_PID $BACKEND_PID
        else
            dry_run_echo "wait \$FRONTEND_PID \$BACKEND_PID"
        fi
    fi
fi
