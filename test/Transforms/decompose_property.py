#!/usr/bin/env python3
"""Property test of bfly-decompose: on randomised shapes, the reference
interpreter gives the same outputs before and after the decomposition.

    decompose_property.py BUTTERFLY_OPT BUTTERFLY_SIM WORKDIR [--cases N] [--seed S]

Each case is a one-op model (fourier_mix, fft, ifft, butterfly_linear or
attention) with random shapes, including lengths that are not powers of two,
and random inputs. Exits 1 listing every case whose outputs differ beyond
rtol 1e-4 and atol 1e-5 * max|before|.
"""

import argparse
import math
import os
import subprocess
import sys

import numpy as np


def ty(shape, complex_=False):
    elem = "complex<f32>" if complex_ else "f32"
    return "tensor<" + "".join(f"{d}x" for d in shape) + elem + ">"


def fourier_mix(rng):
    shape = (int(rng.integers(1, 3)), int(rng.integers(1, 41)),
             int(rng.integers(1, 41)))
    body = f"%y = bfly.fourier_mix %a0 : {ty(shape)}"
    return [(shape, False)], body, (shape, False)


def fft(rng, op):
    rank = int(rng.integers(1, 4))
    shape = tuple(int(rng.integers(1, 6)) for _ in range(rank))
    dim = int(rng.integers(0, rank))
    n = int(rng.choice([1, 2, 3, 5, 7, 8, 12, 16, 31, 64, 100, 128]))
    shape = shape[:dim] + (n,) + shape[dim + 1:]
    body = f"%y = bfly.{op} %a0 dim {dim} : {ty(shape, True)}"
    return [(shape, True)], body, (shape, True)


def butterfly_linear(rng):
    fin, fout = int(rng.integers(1, 70)), int(rng.integers(1, 70))
    log_n = math.ceil(math.log2(fin)) if fin > 1 else 0
    n = 1 << log_n
    stacks, blocks = -(-fout // n), int(rng.integers(1, 4))
    batch = tuple(int(rng.integers(1, 4)) for _ in range(int(rng.integers(1, 3))))
    x, tw, out = batch + (fin,), (stacks, blocks, log_n, n // 2, 2, 2), batch + (fout,)
    inputs = [(x, False), (tw, False)]
    operands, types = "%a0, %a1", f"{ty(x)}, {ty(tw)}"
    if rng.random() < 0.5:
        inputs.append(((fout,), False))
        operands += ", %a2"
        types += f", {ty((fout,))}"
    order = "true" if rng.random() < 0.5 else "false"
    body = (f"%y = bfly.butterfly_linear {operands} {{increasing_stride = "
            f"{order}}} : {types} -> {ty(out)}")
    return inputs, body, (out, False)


def attention(rng):
    b, h = int(rng.integers(1, 3)), int(rng.integers(1, 4))
    lq, lk = int(rng.integers(1, 12)), int(rng.integers(1, 12))
    dh, dv = int(rng.integers(1, 9)), int(rng.integers(1, 9))
    q, k, v = (b, h, lq, dh), (b, h, lk, dh), (b, h, lk, dv)
    inputs = [(q, False), (k, False), (v, False)]
    operands, types = "%a0, %a1, %a2", f"{ty(q)}, {ty(k)}, {ty(v)}"
    if rng.random() < 0.4:
        mask = (lq, lk) if rng.random() < 0.5 else (1, h, lq, lk)
        inputs.append((mask, False))
        operands += " mask %a3"
        types += f", {ty(mask)}"
    attrs = []
    # A causal mask hides every key from no query only when lq <= lk or all
    # rows keep key 0, which top-left alignment guarantees.
    if rng.random() < 0.5:
        attrs.append("causal")
    if rng.random() < 0.5:
        attrs.append(f"scale = {rng.uniform(0.1, 1.0):.4f} : f32")
    attr_text = " {" + ", ".join(attrs) + "}" if attrs else ""
    body = (f"%y = bfly.attention {operands}{attr_text} : {types} -> "
            f"{ty((b, h, lq, dv))}")
    return inputs, body, ((b, h, lq, dv), False)


GENERATORS = [fourier_mix, lambda r: fft(r, "fft"), lambda r: fft(r, "ifft"),
              butterfly_linear, attention]


def run(cmd):
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(" ".join(cmd) + "\n" + result.stderr)
    return result.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("opt")
    parser.add_argument("sim")
    parser.add_argument("workdir")
    parser.add_argument("--cases", type=int, default=60)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    failures = []
    for index in range(args.cases):
        inputs, body, (out_shape, out_complex) = GENERATORS[index % len(GENERATORS)](rng)
        case = os.path.join(args.workdir, f"case{index}")
        os.makedirs(case, exist_ok=True)
        args_text = ", ".join(f"%a{i}: {ty(s, c)}" for i, (s, c) in enumerate(inputs))
        model = (f"func.func @main({args_text}) -> {ty(out_shape, out_complex)} {{\n"
                 f"  {body}\n  return %y : {ty(out_shape, out_complex)}\n}}\n")
        with open(os.path.join(case, "model.mlir"), "w") as f:
            f.write(model)
        files = []
        for i, (shape, is_complex) in enumerate(inputs):
            data = rng.standard_normal(shape)
            if is_complex:
                data = data + 1j * rng.standard_normal(shape)
            data = data.astype(np.complex64 if is_complex else np.float32)
            path = os.path.join(case, f"in{i}.npy")
            np.save(path, data)
            files += ["--input", path]
        try:
            decomposed = run([args.opt, "--bfly-decompose", os.path.join(case, "model.mlir")])
            with open(os.path.join(case, "decomposed.mlir"), "w") as f:
                f.write(decomposed)
            for name in ("model", "decomposed"):
                run([args.sim, "--reference", os.path.join(case, name + ".mlir"),
                     *files, "--output-dir", os.path.join(case, name)])
        except RuntimeError as error:
            failures.append(f"case{index}: {body}\n{error}")
            continue
        before = np.load(os.path.join(case, "model", "out0.npy"))
        after = np.load(os.path.join(case, "decomposed", "out0.npy"))
        finite = np.isfinite(before)
        scale = float(np.abs(before[finite]).max()) if finite.any() else 0.0
        ok = (np.array_equal(np.isnan(before), np.isnan(after)) and
              np.allclose(after[finite], before[finite], rtol=1e-4,
                          atol=1e-5 * max(scale, 1e-30)))
        if not ok:
            worst = np.nanmax(np.abs(after - before))
            failures.append(f"case{index}: {body}\n  max |after - before| = {worst:.3e}"
                            f" (max |before| = {scale:.3e})")
    print(f"{args.cases - len(failures)} passed, {len(failures)} failed")
    for failure in failures:
        print(failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
