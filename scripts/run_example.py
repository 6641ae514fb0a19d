#!/usr/bin/env python3
"""The README's main job, after the build: compile the example FABNet-style
hybrid encoder for the default array in both dataflows, simulate the
bitstreams, check them against the reference interpreter, and report cycles,
time, PE utilization, energy and cycles over the roofline bound, with the
speedups against the same model all-dense and against the layer-by-layer
dataflow.

    run_example.py BUILD_DIR [MODEL [DENSE_TWIN]]
"""

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON = sys.executable


def run(cmd, **kwargs):
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.exit(f"run_example: failed: {' '.join(cmd)}\n{result.stdout}{result.stderr}")
    return result.stdout


def simulate(build, model, dataflow, work, inputs, reference):
    tools = os.path.join(build, "bin")
    name = f"{os.path.basename(model)[:-5]}.{dataflow}"
    program = os.path.join(work, name + ".mlir")
    bitstream = os.path.join(work, name + ".bfbin")
    stats = os.path.join(work, name + ".stats.json")
    run([os.path.join(tools, "butterfly-opt"), model,
         f"--bfly-compile=dataflow={dataflow}", "-o", program])
    run([os.path.join(tools, "butterfly-translate"), "--dfa-to-bitstream",
         program, "-o", bitstream])
    # The DESIGN's criterion: rtol 1e-4 and atol 1e-5 * max|ref|.
    import numpy
    scale = float(numpy.abs(numpy.load(os.path.join(reference, "out0.npy"))).max())
    args = [os.path.join(tools, "butterfly-sim"), bitstream]
    for path in inputs:
        args += ["--input", path]
    run(args + ["--output-dir", os.path.join(work, name), "--stats", stats,
                "--expect", reference, "--rtol", "1e-4",
                "--atol", repr(1e-5 * max(scale, 1e-30))])
    with open(stats) as f:
        return json.load(f)


def main(argv):
    build = argv[1]
    model = argv[2] if len(argv) > 2 else "tiny_hybrid_encoder"
    twin = argv[3] if len(argv) > 3 else "tiny_dense_encoder"
    work = os.path.join(build, "example")
    os.makedirs(work, exist_ok=True)
    results = {}
    for name in (model, twin):
        data = os.path.join(work, name + ".data")
        run([PYTHON, os.path.join(ROOT, "examples", "generate.py"), "inputs",
             name, data])
        path = os.path.join(ROOT, "examples", "models", name + ".mlir")
        inputs = [os.path.join(data, "in0.npy")]
        reference = os.path.join(data, "reference")
        run([os.path.join(build, "bin", "butterfly-sim"), "--reference", path,
             "--input", inputs[0], "--output-dir", reference,
             "--expect", os.path.join(data, "expected")])
        dataflows = ("multilayer", "layer-by-layer") if name == model else ("multilayer",)
        for dataflow in dataflows:
            results[(name, dataflow)] = simulate(build, path, dataflow, work,
                                                 inputs, reference)

    print(f"butterfly: {model} on the default 16x16 array "
          f"(examples/arch/default.json)")
    print("  every simulated output matches the reference interpreter "
          "(rtol 1e-4, atol 1e-5*max|ref|), which matches NumPy")
    header = (f"  {'configuration':<40} {'cycles':>10} {'time':>11} {'PE util':>8} "
              f"{'energy':>11} {'× bound':>9}")
    print(header)
    for (name, dataflow), stats in results.items():
        label = f"{name} ({dataflow})"
        # Cycles over the roofline bound and which bound it is (simulator.md).
        roofline = stats["roofline"]
        print(f"  {label:<40} {stats['cycles']:>10} "
              f"{stats['seconds'] * 1e6:>8.2f} us {stats['pe_utilization'] * 100:>7.2f}% "
              f"{stats['energy_pj']['total'] / 1e6:>8.2f} uJ "
              f"{roofline['cycles_over_bound']:>8.1f}× {roofline['bound']}")
    hybrid = results[(model, "multilayer")]
    print(f"  speedup against the same model all-dense ({twin}, multilayer): "
          f"{results[(twin, 'multilayer')]['cycles'] / hybrid['cycles']:.2f}x")
    print(f"  speedup against the layer-by-layer dataflow: "
          f"{results[(model, 'layer-by-layer')]['cycles'] / hybrid['cycles']:.2f}x")
    print(f"  energy against all-dense: "
          f"{results[(twin, 'multilayer')]['energy_pj']['total'] / hybrid['energy_pj']['total']:.2f}x less")


if __name__ == "__main__":
    main(sys.argv)
