#!/usr/bin/env python3
"""bfly-decompose with max-fft-length splits long power-of-two transforms in
four steps; the result, run on the reference interpreter, must equal NumPy's
FFT (float64) within rtol 1e-5 of the largest magnitude.

    decompose_four_step.py BUTTERFLY_OPT BUTTERFLY_SIM WORKDIR
"""

import os
import subprocess
import sys

import numpy as np

# (length, op, max-fft-length): square and non-square splits, both directions.
CASES = [(64, "fft", 16), (32, "fft", 8), (128, "ifft", 16), (512, "fft", 64),
         (4096, "fft", 1024), (2048, "ifft", 512)]


def main():
    opt, sim, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    rng = np.random.default_rng(0)
    failed = False
    for n, op, max_length in CASES:
        x = (rng.standard_normal((3, n)) +
             1j * rng.standard_normal((3, n))).astype(np.complex64)
        name = os.path.join(work, f"{op}{n}")
        np.save(name + ".in.npy", x)
        with open(name + ".mlir", "w") as f:
            f.write(f"func.func @main(%x: tensor<3x{n}xcomplex<f32>>) -> "
                    f"tensor<3x{n}xcomplex<f32>> {{\n"
                    f"  %y = bfly.{op} %x dim 1 : tensor<3x{n}xcomplex<f32>>\n"
                    f"  return %y : tensor<3x{n}xcomplex<f32>>\n}}\n")
        subprocess.run([opt, name + ".mlir",
                        f"--bfly-decompose=max-fft-length={max_length}",
                        "-o", name + ".dec.mlir"], check=True)
        subprocess.run([sim, "--reference", name + ".dec.mlir", "--input",
                        name + ".in.npy", "--output-dir", name + ".out"],
                       check=True, capture_output=True)
        y = np.load(os.path.join(name + ".out", "out0.npy"))
        transform = np.fft.fft if op == "fft" else np.fft.ifft
        ref = transform(x.astype(np.complex128), axis=1)
        err = np.max(np.abs(y - ref)) / np.max(np.abs(ref))
        ok = err < 1e-5
        failed |= not ok
        print(f"{op} {n} max-fft-length={max_length}: "
              f"{'OK' if ok else 'FAILED'} max_rel_err={err:.1e}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
