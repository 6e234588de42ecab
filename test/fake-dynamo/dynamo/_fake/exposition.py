# SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
# SPDX-License-Identifier: Apache-2.0
"""A Prometheus text exposition whose shape comes from a real /metrics capture.

The capture (templates/*.prom) fixes everything a reader of the real thing could depend on: family names
and order, HELP texts, types, label names and their order on each line, the template's label values
(engine="0", dynamo_component="backend", ...), histogram bucket bounds spelled exactly as captured
(le="1.0" vs le="1"), the order of _bucket/_sum/_count lines, the `_created` gauge families, and the number
format (prometheus_client's `2.0` / `1.76e+09` for engine families, the Rust crate's `2` for dynamo_*).
The values are this process's own: counters and histograms start empty and move with what is observed;
gauges keep the captured value until the process sets them.
"""

import math
import os
import threading
import time
from decimal import Decimal

TEMPLATE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
# The model every capture was taken with; its label values are replaced by the served model.
TEMPLATE_MODEL = "Qwen/Qwen3-0.6B"


def go_float(value):
    """prometheus_client's floatToGoString: repr, with Go's earlier switch to exponents."""
    v = float(value)
    if v == math.inf:
        return "+Inf"
    if v == -math.inf:
        return "-Inf"
    if math.isnan(v):
        return "NaN"
    s = repr(v)
    dot = s.find(".")
    if v > 0 and dot > 6:
        mantissa = f"{s[0]}.{s[1:dot]}{s[dot + 1:]}".rstrip("0.")
        return f"{mantissa}e+0{dot - 1}"
    return s


def rust_float(value):
    """The Rust prometheus crate's f64 Display: shortest round-trip digits, no exponent, `2` not `2.0`."""
    v = float(value)
    if math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    if math.isnan(v):
        return "NaN"
    if v == int(v) and abs(v) < 1e16:
        return str(int(v))
    s = repr(v)
    if "e" in s:
        s = format(Decimal(s), "f")
    return s


def _parse_labels(text):
    """`a="x",b="y"` -> [(a, x), (b, y)], with the text format's escapes undone."""
    out = []
    i, n = 0, len(text)
    while i < n:
        eq = text.index("=", i)
        key = text[i:eq].strip().lstrip(",").strip()
        j = eq + 2  # past ="
        buf = []
        while text[j] != '"':
            if text[j] == "\\":
                nxt = text[j + 1]
                buf.append("\n" if nxt == "n" else nxt)
                j += 2
            else:
                buf.append(text[j])
                j += 1
        out.append((key, "".join(buf)))
        i = j + 1
        while i < n and text[i] in ", ":
            i += 1
    return out


def _escape(v):
    return v.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _label_text(pairs):
    if not pairs:
        return ""
    return "{" + ",".join(f'{k}="{_escape(v)}"' for k, v in pairs) + "}"


class TemplateFamily:
    """One family of the capture: its metadata and the layout of its series."""

    def __init__(self, name, help_text, mtype):
        self.name = name
        self.help = help_text
        self.type = mtype
        self.raw_samples = []  # (sample name, [(k, v)], value text) as captured
        self.sample_name = name
        self.label_keys = []  # label order of non-bucket lines
        self.bucket_keys = []  # label order of bucket lines (with le)
        self.les = []  # bucket bounds as spelled, +Inf last
        self.bounds = []  # the finite ones as floats
        self.layout = []  # e.g. ["bucket", "count", "sum"]
        self.protos = []  # [(labels dict in order, template value)] one per captured series

    def finish(self):
        if self.raw_samples:
            self.sample_name = self.raw_samples[0][0]
        if self.type != "histogram":
            for name, labels, value in self.raw_samples:
                self.label_keys = [k for k, _ in labels]
                self.protos.append((dict(labels), float(value)))
            return
        groups = {}
        order = []
        for name, labels, value in self.raw_samples:
            key = tuple((k, v) for k, v in labels if k != "le")
            if key not in groups:
                groups[key] = []
                order.append(key)
            groups[key].append((name, labels, value))
        for i, key in enumerate(order):
            self.protos.append((dict(key), 0.0))
            if i > 0:
                continue
            self.label_keys = [k for k, _ in key]
            for name, labels, _ in groups[key]:
                kind = "bucket" if name.endswith("_bucket") else "sum" if name.endswith("_sum") else "count"
                if kind == "bucket":
                    self.bucket_keys = [k for k, _ in labels]
                    le = dict(labels)["le"]
                    self.les.append(le)
                    if le != "+Inf":
                        self.bounds.append(float(le))
                if not self.layout or self.layout[-1] != kind or kind != "bucket":
                    self.layout.append(kind)
        if self.les and self.les[-1] != "+Inf":
            self.les.append("+Inf")


def load_template(name):
    """Parses templates/<name>.prom into TemplateFamily objects, in capture order."""
    families = []
    current = None
    helps = {}
    with open(os.path.join(TEMPLATE_DIR, name + ".prom"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            if line.startswith("# HELP "):
                fam, _, text = line[7:].partition(" ")
                helps[fam] = text
                continue
            if line.startswith("# TYPE "):
                fam, _, mtype = line[7:].partition(" ")
                current = TemplateFamily(fam, helps.get(fam, ""), mtype.strip())
                families.append(current)
                continue
            if line.startswith("#"):
                continue
            brace = line.find("{")
            if brace >= 0:
                close = line.rindex("}")
                sname, labels, value = line[:brace], _parse_labels(line[brace + 1:close]), line[close + 1:].strip()
            else:
                sname, _, value = line.partition(" ")
                labels = []
            current.raw_samples.append((sname, labels, value.split(" ")[0]))
    for fam in families:
        fam.finish()
    return families


class Series:
    __slots__ = ("labels", "value", "counts", "sum", "count", "created")

    def __init__(self, labels, value, nbuckets):
        self.labels = labels  # [(k, v)] in the family's label order
        self.value = value
        self.counts = [0] * nbuckets  # per bucket, not cumulative; the last one is +Inf
        self.sum = 0.0
        self.count = 0
        self.created = time.time()


class Exposition:
    """Live series over a template. Thread-safe; render() gives the text of one scrape."""

    def __init__(self, template, model, include=None, precreate=None, label_values=None, on_render=None):
        self.lock = threading.RLock()
        self.model = model
        self.families = [f for f in load_template(template) if include is None or include(f.name)]
        self.by_name = {f.name: f for f in self.families}
        self.label_values = dict(label_values or {})
        self.on_render = on_render
        self.series = {f.name: {} for f in self.families}
        for fam in self.families:
            if self._companion_base(fam) is not None:
                continue
            if precreate is None or precreate(fam.name):
                for labels, value in fam.protos:
                    self._get(fam, self._subst(labels), value)

    # -- labels ---------------------------------------------------------------------------------------
    def _subst(self, labels):
        out = {}
        for k, v in labels.items():
            if k in self.label_values:
                v = self.label_values[k]
            elif v == TEMPLATE_MODEL:
                v = self.model
            elif v == TEMPLATE_MODEL.lower():
                v = self.model.lower()
            elif k == "pid":
                v = str(os.getpid())
            out[k] = v
        return out

    def _companion_base(self, fam):
        """The histogram/counter a `<x>_created` gauge family belongs to, or None."""
        if fam.type != "gauge" or not fam.name.endswith("_created"):
            return None
        stem = fam.name[: -len("_created")]
        for cand in (stem, stem + "_total"):
            base = self.by_name.get(cand)
            if base is not None and base.type in ("histogram", "counter"):
                return base
        return None

    def _get(self, fam, labels, value=0.0):
        key = tuple(labels.get(k, "") for k in fam.label_keys)
        table = self.series[fam.name]
        s = table.get(key)
        if s is None:
            s = Series([(k, labels.get(k, "")) for k in fam.label_keys], value if fam.type == "gauge" else 0.0, len(fam.les))
            table[key] = s
        return s

    def _lookup(self, name, labels):
        fam = self.by_name.get(name)
        if fam is None or not fam.protos:
            return None, None
        protos = [self._subst(p) for p, _ in fam.protos]
        values = [v for _, v in fam.protos]
        pick = 0
        for i, p in enumerate(protos):
            if all(p.get(k) == str(v) for k, v in labels.items() if k in p):
                pick = i
                break
        full = dict(protos[pick])
        full.update({k: str(v) for k, v in labels.items() if k in full})
        return fam, self._get(fam, full, values[pick])

    # -- updates --------------------------------------------------------------------------------------
    def inc(self, name, amount=1.0, **labels):
        with self.lock:
            fam, s = self._lookup(name, labels)
            if s is not None:
                s.value += amount

    def set(self, name, value, **labels):
        with self.lock:
            fam, s = self._lookup(name, labels)
            if s is not None:
                s.value = float(value)

    def observe(self, name, values, **labels):
        """Observes one value, or each value of a list, into a histogram series."""
        if not isinstance(values, (list, tuple)):
            values = [values]
        with self.lock:
            fam, s = self._lookup(name, labels)
            if s is None:
                return
            bounds = fam.bounds
            for v in values:
                i = 0
                while i < len(bounds) and v > bounds[i]:
                    i += 1
                s.counts[i] += 1
                s.sum += v
                s.count += 1

    def touch(self, name, **labels):
        """Makes the series exist (a labelled child created before its first observation)."""
        with self.lock:
            self._lookup(name, labels)

    def value(self, name, **labels):
        with self.lock:
            fam, s = self._lookup(name, labels)
            if s is None:
                return None
            return s.count if fam.type == "histogram" else s.value

    # -- output ---------------------------------------------------------------------------------------
    def render(self):
        with self.lock:
            if self.on_render is not None:
                self.on_render(self)
            out = []
            for fam in self.families:
                rust = fam.name.startswith("dynamo_")
                fmt = rust_float if rust else go_float
                base = self._companion_base(fam)
                if base is not None:
                    rows = list(self.series[base.name].values())
                    if not rows:
                        continue  # prometheus_client writes _created families only when they have samples
                    out.append(f"# HELP {fam.name} {fam.help}")
                    out.append(f"# TYPE {fam.name} gauge")
                    for s in rows:
                        labels = dict(s.labels)
                        pairs = [(k, labels.get(k, "")) for k in fam.label_keys] if fam.label_keys else s.labels
                        out.append(f"{fam.name}{_label_text(pairs)} {go_float(s.created)}")
                    continue
                rows = list(self.series[fam.name].values())
                if rust:
                    if not rows:
                        continue  # the Rust registry leaves out families without series
                    rows.sort(key=lambda s: tuple(v for _, v in s.labels))
                out.append(f"# HELP {fam.name} {fam.help}")
                out.append(f"# TYPE {fam.name} {fam.type}")
                for s in rows:
                    if fam.type != "histogram":
                        out.append(f"{fam.sample_name}{_label_text(s.labels)} {fmt(s.value)}")
                        continue
                    plain = _label_text(s.labels)
                    for kind in fam.layout:
                        if kind == "sum":
                            out.append(f"{fam.name}_sum{plain} {fmt(s.sum)}")
                        elif kind == "count":
                            out.append(f"{fam.name}_count{plain} {fmt(s.count)}")
                        else:
                            labels = dict(s.labels)
                            cum = 0
                            for le, c in zip(fam.les, s.counts):
                                cum += c
                                pairs = [(k, le if k == "le" else labels.get(k, "")) for k in fam.bucket_keys]
                                out.append(f"{fam.name}_bucket{_label_text(pairs)} {fmt(cum)}")
            return "\n".join(out) + "\n"
