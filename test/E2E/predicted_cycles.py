#!/usr/bin/env python3
"""The cost model's prediction against the simulator, on one model.

    predicted_cycles.py BUTTERFLY_OPT BUTTERFLY_TRANSLATE BUTTERFLY_SIM MODEL
        WORKDIR [--arch FILE] [--dataflows D,...] [--tolerance T]

For each dataflow: compile (`--bfly-compile="dataflow=D arch=A"`), read the
cycles bfly-pe-mapping predicts from its remark, translate to a bitstream and
simulate it on random inputs. Prints `NAME DATAFLOW: predicted P simulated S
error E%` and exits 1 when |P - S| > T·S (T = 0.1, the goal of
docs/cost-model.md).
"""

import argparse
import json
import os
import re
import subprocess
import sys

import numpy as np

REMARK = re.compile(r"bfly-pe-mapping: predicted (\d+) cycles")
INPUT = re.compile(r"dfa\.input @(\w+) dram \d+ : tensor<([0-9x]*)x?(f32|complex<f32>)>")


def run(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr.strip()}")
    return proc


def main():
    parser = argparse.ArgumentParser()
    for tool in ("opt", "translate", "sim"):
        parser.add_argument(tool)
    parser.add_argument("model")
    parser.add_argument("workdir")
    parser.add_argument("--arch")
    parser.add_argument("--dataflows", default="multilayer,layer-by-layer")
    parser.add_argument("--tolerance", type=float, default=0.1)
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    name = os.path.splitext(os.path.basename(args.model))[0]
    rng = np.random.default_rng(0)
    failed = False
    for dataflow in args.dataflows.split(","):
        base = os.path.join(args.workdir, f"{name}.{dataflow}")
        options = f"dataflow={dataflow}" + (f" arch={args.arch}" if args.arch else "")
        proc = run([args.opt, args.model, f"--bfly-compile={options}",
                    "--mlir-print-op-on-diagnostic=false", "-o", base + ".mlir"])
        predicted = int(REMARK.search(proc.stderr).group(1))
        run([args.translate, "--dfa-to-bitstream", base + ".mlir", "-o",
             base + ".bfbin"])
        sim = [args.sim, base + ".bfbin", "--output-dir", base + ".out",
               "--stats", base + ".stats.json"]
        with open(base + ".mlir") as f:
            for arg, dims, dtype in INPUT.findall(f.read()):
                shape = [int(d) for d in dims.split("x") if d]
                data = rng.standard_normal(shape)
                if dtype != "f32":
                    data = data + 1j * rng.standard_normal(shape)
                path = f"{base}.{arg}.npy"
                np.save(path, data.astype(np.float32 if dtype == "f32"
                                          else np.complex64))
                sim += ["--input", path]
        run(sim)
        with open(base + ".stats.json") as f:
            simulated = json.load(f)["cycles"]
        error = (predicted - simulated) / simulated
        print(f"{name} {dataflow}: predicted {predicted} simulated {simulated} "
              f"error {error * 100:+.1f}%")
        if abs(error) > args.tolerance:
            print(f"{name} {dataflow}: error beyond {args.tolerance * 100:.0f}%")
            failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
