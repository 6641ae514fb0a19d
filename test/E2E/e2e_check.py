#!/usr/bin/env python3
"""End-to-end check of the compiler on one model, in both dataflows.

    e2e_check.py BUTTERFLY_OPT BUTTERFLY_TRANSLATE BUTTERFLY_SIM MODEL WORKDIR
        [--arch FILE] [--policy P] [--dataflows D,...]
        [--inputs-from-generate NAME | --random-inputs] [--seed S]
        [--name NAME]

For each dataflow (multilayer and layer-by-layer):

1. the reference: `butterfly-sim --reference` on the IR after sparsity
   selection (`butterfly-opt MODEL --bfly-hybrid-sparsity=policy=P`), which
   is the model itself for policy=manual on an already-hybrid model;
2. compile (`--bfly-compile="dataflow=D arch=A policy=P"`), translate to a
   bitstream and simulate it;
3. compare the outputs with the reference: |out - ref| <= rtol·|ref| + atol,
   rtol = 1e-4, atol = 1e-5·max|ref| (DESIGN's criterion); max_rel_err is
   max|out - ref| / max|ref|;
4. compiling again gives a byte-identical bitstream, and bitstream → dfa
   (--bitstream-to-dfa) → bitstream is byte-identical.

Inputs: with --inputs-from-generate NAME, examples/generate.py writes them
(and a float64 NumPy reference of the original model, which the reference
interpreter is also compared against when the policy is manual); otherwise
random standard-normal inputs (seed --seed) of the entry function's argument
types.

Prints one line per dataflow (`NAME DATAFLOW: OK cycles=C max_rel_err=E`),
then, when both ran, `speedup multilayer vs layer-by-layer: S.SSx` and
`multilayer faster: yes|no`. Exits 1 on any failure, naming the worst
element of a mismatch.
"""

import argparse
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
GENERATE = os.path.join(HERE, "..", "..", "examples", "generate.py")
RTOL = 1e-4
ATOL_FACTOR = 1e-5


class Failure(Exception):
    pass


def run(cmd, what):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True)
    if proc.returncode != 0:
        raise Failure(f"{what} failed (exit {proc.returncode}): "
                      f"{' '.join(cmd)}\n{proc.stderr.strip()}"
                      f"{chr(10) + proc.stdout.strip() if proc.stdout else ''}")
    return proc


def parse_type(text):
    """tensor<AxBxf32> or tensor<AxBxcomplex<f32>> -> (shape, complex)."""
    m = re.fullmatch(r"tensor<((?:\d+x)*)(f32|complex<f32>)>", text.strip())
    if not m:
        raise Failure(f"cannot make an input of type {text}")
    shape = tuple(int(d) for d in m.group(1).split("x") if d)
    return shape, m.group(2) != "f32"


def entry_argument_types(model_text):
    """The argument types of @main (or the only public function)."""
    funcs = re.findall(r"func\.func\s+(?:(public|private)\s+)?@([\w$.]+)\s*\(",
                       model_text)
    name = "main" if any(f[1] == "main" for f in funcs) else None
    if name is None:
        public = [f[1] for f in funcs if f[0] != "private"]
        if len(public) != 1:
            raise Failure("cannot find the entry function")
        name = public[0]
    start = re.search(r"func\.func\s+(?:public\s+)?@" + re.escape(name) +
                      r"\s*\(", model_text).end()
    depth, end = 1, start
    while depth:
        depth += {"(": 1, ")": -1}.get(model_text[end], 0)
        end += 1
    args = model_text[start:end - 1]
    return [parse_type(t) for t in
            re.findall(r"%[\w$.]+\s*:\s*(tensor<[^<>]*(?:<[^<>]*>)?[^<>]*>)",
                       args)]


def make_inputs(args, selected_text, workdir):
    """Paths of the inputs, and the directory of a NumPy reference (or
    None)."""
    if args.inputs_from_generate:
        gen_dir = os.path.join(workdir, "generated")
        run([sys.executable, GENERATE, "inputs", args.inputs_from_generate,
             gen_dir], "generate.py inputs")
        paths, index = [], 0
        while os.path.exists(os.path.join(gen_dir, f"in{index}.npy")):
            paths.append(os.path.join(gen_dir, f"in{index}.npy"))
            index += 1
        return paths, os.path.join(gen_dir, "expected")
    rng = np.random.default_rng(args.seed)
    paths = []
    for index, (shape, complex_) in enumerate(
            entry_argument_types(selected_text)):
        data = rng.standard_normal(shape).astype(np.float32)
        if complex_:
            data = (data + 1j * rng.standard_normal(shape)).astype(np.complex64)
        path = os.path.join(workdir, f"in{index}.npy")
        np.save(path, data)
        paths.append(path)
    return paths, None


def compare(out_dir, ref_dir, what):
    """Compares out*.npy of two directories; returns max_rel_err."""
    worst_rel = 0.0
    index = 0
    if not os.path.exists(os.path.join(ref_dir, "out0.npy")):
        raise Failure(f"{what}: no reference output in {ref_dir}")
    while os.path.exists(os.path.join(ref_dir, f"out{index}.npy")):
        ref = np.load(os.path.join(ref_dir, f"out{index}.npy"))
        path = os.path.join(out_dir, f"out{index}.npy")
        if not os.path.exists(path):
            raise Failure(f"{what}: missing output {path}")
        out = np.load(path)
        if out.shape != ref.shape:
            raise Failure(f"{what}: out{index} has shape {out.shape}, the "
                          f"reference {ref.shape}")
        ref64 = ref.astype(np.complex128 if np.iscomplexobj(ref)
                           else np.float64)
        out64 = out.astype(ref64.dtype)
        scale = float(np.max(np.abs(ref64))) if ref64.size else 0.0
        atol = ATOL_FACTOR * scale
        if not np.all(np.isfinite(out64)):
            bad = np.unravel_index(np.argmax(~np.isfinite(out64)), out.shape)
            raise Failure(f"{what}: out{index}{list(bad)} = {out64[bad]} is "
                          f"not finite (reference {ref64[bad]})")
        err = np.abs(out64 - ref64)
        excess = err - (RTOL * np.abs(ref64) + atol)
        if err.size:
            rel = float(err.max()) / scale if scale > 0 else float(err.max())
            worst_rel = max(worst_rel, rel)
            if excess.max() > 0:
                at = np.unravel_index(np.argmax(excess), out.shape)
                raise Failure(
                    f"{what}: out{index} differs: worst element {list(at)} = "
                    f"{out64[at]}, reference {ref64[at]} (|diff| {err[at]:.3g}"
                    f" > rtol {RTOL}·|ref| + atol {atol:.3g}); "
                    f"{int((excess > 0).sum())} of {err.size} elements "
                    f"outside; max_rel_err={rel:.2g}")
        index += 1
    return worst_rel


def check_dataflow(args, dataflow, ref_dir, inputs, workdir):
    """Compiles, translates, simulates and compares one dataflow; returns
    (cycles, max_rel_err)."""
    opts = [f"dataflow={dataflow}", f"policy={args.policy}"]
    if args.arch:
        opts.append(f"arch={args.arch}")
    compile_flag = "--bfly-compile=" + " ".join(opts)
    d = os.path.join(workdir, dataflow)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    prog, bfbin = os.path.join(d, "prog.mlir"), os.path.join(d, "prog.bfbin")
    run([args.opt, args.model, compile_flag, "-o", prog], "compile")
    run([args.translate, "--dfa-to-bitstream", prog, "-o", bfbin],
        "translate")

    # Determinism: a second compilation gives the same bytes.
    prog2, bfbin2 = os.path.join(d, "prog2.mlir"), os.path.join(d, "prog2.bfbin")
    run([args.opt, args.model, compile_flag, "-o", prog2], "second compile")
    run([args.translate, "--dfa-to-bitstream", prog2, "-o", bfbin2],
        "second translate")
    if not filecmp.cmp(bfbin, bfbin2, shallow=False):
        raise Failure(f"compiling twice gives different bitstreams: {bfbin} "
                      f"{bfbin2}")
    if not filecmp.cmp(prog, prog2, shallow=False):
        raise Failure(f"compiling twice gives different programs: {prog} "
                      f"{prog2}")

    # Round trip: bitstream -> dfa -> bitstream.
    rt, rtbin = os.path.join(d, "roundtrip.mlir"), os.path.join(d, "roundtrip.bfbin")
    run([args.translate, "--bitstream-to-dfa", bfbin, "-o", rt],
        "bitstream-to-dfa")
    run([args.translate, "--dfa-to-bitstream", rt, "-o", rtbin],
        "dfa-to-bitstream of the decoded program")
    if not filecmp.cmp(bfbin, rtbin, shallow=False):
        raise Failure(f"bitstream -> dfa -> bitstream is not byte-identical: "
                      f"{bfbin} {rtbin}")

    out_dir, stats = os.path.join(d, "out"), os.path.join(d, "stats.json")
    sim = [args.sim, bfbin, "--output-dir", out_dir, "--stats", stats]
    if args.arch:
        sim += ["--arch", args.arch]
    for path in inputs:
        sim += ["--input", path]
    # The simulator's own --expect check too, with rtol 1e-4 and the largest
    # atol of the outputs (the per-output comparison below is the strict one).
    atol, index = 0.0, 0
    while os.path.exists(os.path.join(ref_dir, f"out{index}.npy")):
        ref = np.load(os.path.join(ref_dir, f"out{index}.npy"))
        if ref.size:
            atol = max(atol, ATOL_FACTOR * float(np.max(np.abs(ref))))
        index += 1
    sim += ["--expect", ref_dir, "--rtol", str(RTOL), "--atol", repr(atol)]
    proc = subprocess.run(sim, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True)
    if not os.path.exists(os.path.join(out_dir, "out0.npy")):
        raise Failure(f"simulation failed (exit {proc.returncode}): "
                      f"{' '.join(sim)}\n{proc.stderr.strip()}")
    rel = compare(out_dir, ref_dir, f"{args.name} {dataflow}")
    if proc.returncode != 0:
        raise Failure(f"simulation failed (exit {proc.returncode}) although "
                      f"the outputs match: {' '.join(sim)}\n"
                      f"{proc.stderr.strip()}")
    with open(stats) as f:
        cycles = int(json.load(f)["cycles"])
    return cycles, rel


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("opt")
    parser.add_argument("translate")
    parser.add_argument("sim")
    parser.add_argument("model")
    parser.add_argument("workdir")
    parser.add_argument("--arch", default="")
    parser.add_argument("--policy", default="manual")
    parser.add_argument("--dataflows", default="multilayer,layer-by-layer")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--inputs-from-generate", metavar="NAME")
    source.add_argument("--random-inputs", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--name", default=None,
                        help="label of the output lines (default: the "
                             "model's file name)")
    args = parser.parse_args()
    if args.name is None:
        args.name = os.path.splitext(os.path.basename(args.model))[0]
    workdir = args.workdir
    os.makedirs(workdir, exist_ok=True)

    ok = True
    try:
        # The IR after selection, the reference's model.
        selected = os.path.join(workdir, "selected.mlir")
        sel = [f"policy={args.policy}"]
        if args.arch:
            sel.append(f"arch={args.arch}")
        run([args.opt, args.model, "--bfly-hybrid-sparsity=" + " ".join(sel),
             "-o", selected], "sparsity selection")
        with open(selected) as f:
            selected_text = f.read()
        inputs, numpy_ref = make_inputs(args, selected_text, workdir)
        ref_dir = os.path.join(workdir, "reference")
        shutil.rmtree(ref_dir, ignore_errors=True)
        cmd = [args.sim, "--reference", selected, "--output-dir", ref_dir]
        for path in inputs:
            cmd += ["--input", path]
        run(cmd, "reference interpreter")
        if numpy_ref and args.policy == "manual":
            rel = compare(ref_dir, numpy_ref, f"{args.name} reference")
            print(f"{args.name} reference vs NumPy: OK max_rel_err={rel:.2g}")
    except Failure as e:
        print(f"{args.name}: FAILED {e}")
        return 1

    cycles = {}
    for dataflow in args.dataflows.split(","):
        try:
            c, rel = check_dataflow(args, dataflow, ref_dir, inputs, workdir)
            cycles[dataflow] = c
            print(f"{args.name} {dataflow}: OK cycles={c} "
                  f"max_rel_err={rel:.2g}")
        except Failure as e:
            ok = False
            print(f"{args.name} {dataflow}: FAILED {e}")
        sys.stdout.flush()
    if "multilayer" in cycles and "layer-by-layer" in cycles:
        ml, lbl = cycles["multilayer"], cycles["layer-by-layer"]
        print(f"speedup multilayer vs layer-by-layer: {lbl / ml:.2f}x")
        print(f"multilayer faster: {'yes' if ml < lbl else 'no'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
