#!/usr/bin/env python3
"""Measures butterfly side by side in one run and writes docs/results.md:

- simulator speed (Google Benchmark, simulated PE-cycles per second);
- every example model: does it compile, cycles in both dataflows, the
  multilayer/layer-by-layer ratio, and the cycles bfly-pe-mapping predicts
  (docs/cost-model.md, "Mapped phases") against the simulated ones.

    bench.py BUILD_DIR [--out docs/results.md]
"""

import argparse
import concurrent.futures
import json
import os
import platform
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PREDICTED = re.compile(r"bfly-pe-mapping: predicted (\d+) cycles "
                       r"\((\d+) configuration, (\d+) execution\)")


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


def sim_speed(build):
    out = run([os.path.join(build, "bin", "butterfly-simbench"),
               "--benchmark_format=json", "--benchmark_min_time=0.5"])
    if out.returncode != 0:
        return [("butterfly-simbench failed", out.stderr.strip()[:200])]
    rows = []
    for bench in json.loads(out.stdout)["benchmarks"]:
        rate = bench.get("pe_cycles_per_second") or bench.get("PeCyclesPerSecond")
        if rate is None:
            rate = next((v for k, v in bench.items() if "per_second" in k.lower()), None)
        rows.append((bench["name"], f"{rate / 1e6:.0f} M" if rate else "?"))
    return rows


def first_error(text):
    for line in text.splitlines():
        if "error:" in line:
            return line.split("error:", 1)[1].strip()
    return text.strip().splitlines()[-1] if text.strip() else "failed"


def model_row(build, name, work):
    tools = os.path.join(build, "bin")
    model = os.path.join(ROOT, "examples", "models", name + ".mlir")
    data = os.path.join(work, name + ".data")
    gen = run([sys.executable, os.path.join(ROOT, "examples", "generate.py"),
               "inputs", name, data])
    row = {"model": name}
    if gen.returncode != 0:
        row["multilayer"] = "no inputs: " + first_error(gen.stderr)
        row["multilayer_compile_s"] = 0.0
        return row
    for dataflow in ("multilayer", "layer-by-layer"):
        program = os.path.join(work, f"{name}.{dataflow}.mlir")
        start = time.perf_counter()
        out = run([os.path.join(tools, "butterfly-opt"), model,
                   f"--bfly-compile=dataflow={dataflow}", "-o", program,
                   "--mlir-print-op-on-diagnostic=false"])
        row[f"{dataflow}_compile_s"] = time.perf_counter() - start
        if out.returncode != 0:
            row[dataflow] = "not mapped: " + first_error(out.stderr)
            continue
        # The mapper's prediction: total, configuration, execution.
        predicted = PREDICTED.search(out.stderr)
        if predicted:
            row[f"{dataflow}_predicted"] = [int(g) for g in predicted.groups()]
        bitstream = program[:-5] + ".bfbin"
        out = run([os.path.join(tools, "butterfly-translate"),
                   "--dfa-to-bitstream", program, "-o", bitstream])
        stats = program[:-5] + ".stats.json"
        inputs = sorted(f for f in os.listdir(data) if f.startswith("in"))
        args = [os.path.join(tools, "butterfly-sim"), bitstream]
        for f in sorted(inputs, key=lambda f: int(f[2:-4])):
            args += ["--input", os.path.join(data, f)]
        out = run(args + ["--output-dir", program[:-5] + ".out", "--stats",
                          stats, "--expect", os.path.join(data, "expected"),
                          "--rtol", "1e-4", "--atol", "1e-4"])
        if out.returncode != 0:
            row[dataflow] = "simulation failed: " + first_error(out.stderr)
            continue
        with open(stats) as f:
            row[dataflow] = json.load(f)
    return row


def pipeline_time(build, name, work):
    """Wall seconds of compile → bitstream for one example."""
    tools = os.path.join(build, "bin")
    model = os.path.join(ROOT, "examples", "models", name + ".mlir")
    start = time.perf_counter()
    subprocess.run(
        f"'{tools}/butterfly-opt' '{model}' --bfly-compile --emit-bytecode "
        f"2>/dev/null | '{tools}/butterfly-translate' --dfa-to-bitstream "
        f"-o '{os.path.join(work, name + '.pipeline.bfbin')}'",
        shell=True, check=True)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build")
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "results.md"))
    args = parser.parse_args()
    work = os.path.join(args.build, "bench")
    os.makedirs(work, exist_ok=True)

    lines = ["# Results", "",
             "Written by `scripts/bench.sh` (all figures from one run, on "
             f"{platform.machine()} with {os.cpu_count()} cores; the machines "
             "are shared and noisy, so compare ratios within a run).", ""]
    lines += ["## Simulator speed", "",
              "Simulated PE-cycles per second on one core (Google Benchmark, "
              "`bench/SimBench.cpp`; goal: 100 M).", "",
              "| Benchmark | PE-cycles/s |", "| --- | --- |"]
    lines += [f"| {name} | {rate} |" for name, rate in sim_speed(args.build)]

    names = ["tiny_hybrid_encoder", "tiny_dense_encoder", "small_fabnet_encoder",
             "fabnet_lra_l1024_d64", "fabnet_lra_l1024_d128",
             "fabnet_lra_l1024_d256", "fabnet_lra_l4096_d256",
             "dense_encoder_12l_small", "dense_lra_l4096_d256", "bert_base",
             "bert_large"]
    # Two models at a time (the machine's two cores); the simulator speed
    # above ran alone.
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        rows = list(pool.map(lambda name: model_row(args.build, name, work),
                             names))
    pipeline = pipeline_time(args.build, "bert_large", work)
    lines += ["", "## Example models on the default 16x16 array", "",
              "Compiled with `bfly-compile` (policy=manual), simulated, and "
              "checked against the NumPy reference (rtol 1e-4). "
              "`ml/lbl` is the multilayer speedup over layer-by-layer.", "",
              "| Model | multilayer cycles | layer-by-layer cycles | ml/lbl | "
              "PE util (ml) | energy (ml) | compile (ml) |",
              "| --- | --- | --- | --- | --- | --- | --- |"]
    for row in rows:
        ml, lbl = row.get("multilayer"), row.get("layer-by-layer")
        if isinstance(ml, dict) and isinstance(lbl, dict):
            lines.append(
                f"| {row['model']} | {ml['cycles']} | {lbl['cycles']} | "
                f"{lbl['cycles'] / ml['cycles']:.2f}x | "
                f"{ml['pe_utilization'] * 100:.2f}% | "
                f"{ml['energy_pj']['total'] / 1e6:.2f} uJ | "
                f"{row['multilayer_compile_s']:.2f} s |")
        else:
            reason = ml if isinstance(ml, str) else lbl
            lines.append(f"| {row['model']} | {reason} | | | | | "
                         f"{row['multilayer_compile_s']:.2f} s |")
    lines += ["", "## The whole pipeline on BERT-large", "",
              "`butterfly-opt examples/models/bert_large.mlir --bfly-compile "
              "--emit-bytecode | butterfly-translate --dfa-to-bitstream` "
              f"(24 layers, to the bitstream): {pipeline:.1f} s wall on this "
              "machine (the two tools overlap; with textual IR between them "
              "printing and parsing roughly double it). Goal: under 10 s."]
    lines += ["", "## Cost model against the simulator", "",
              "The cycles `bfly-pe-mapping` predicts for the compiled "
              "program (its remark; docs/cost-model.md, \"Mapped phases\") "
              "against the simulated cycles, per example and dataflow. "
              "Goal: within 10%.", "",
              "| Model | dataflow | predicted (configuration + execution) | "
              "simulated | error |", "| --- | --- | --- | --- | --- |"]
    for row in rows:
        for dataflow in ("multilayer", "layer-by-layer"):
            stats = row.get(dataflow)
            predicted = row.get(f"{dataflow}_predicted")
            if isinstance(stats, dict) and predicted:
                total, config, execution = predicted
                error = (total - stats["cycles"]) / stats["cycles"]
                lines.append(f"| {row['model']} | {dataflow} | {total} "
                             f"({config} + {execution}) | {stats['cycles']} | "
                             f"{error * 100:+.1f}% |")
    # Hand-written commentary after the marker survives a re-run.
    marker = "<!-- notes: kept by bench.py -->"
    notes = ""
    if os.path.exists(args.out):
        with open(args.out) as f:
            previous = f.read()
        if marker in previous:
            notes = previous[previous.index(marker):]
    with open(args.out, "w") as f:
        f.write("\n".join(lines) + "\n" + ("\n" + notes if notes else ""))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
