"""Inputs and NumPy expectations of the hand-written array programs.

    cases.py CASE DIR

writes DIR/in0.npy, DIR/in1.npy, ... (the program's inputs, in order) and
DIR/expected/out0.npy, ... (what the program must output), computed with
NumPy alone from the inputs (float64, rounded to float32 / complex64 at the
end). Inputs come from a fixed seed per case (the CRC-32 of its name). The
program text a case belongs to is named in its docstring; constants that
the program holds in local-memory images are repeated here.
"""

import math
import os
import sys
import zlib

import numpy as np


def rng(name):
    return np.random.default_rng(zlib.crc32(name.encode()))


def f32(x):
    return np.asarray(x, dtype=np.float64).astype(np.float32)


def erf(x):
    return np.vectorize(math.erf)(np.asarray(x, dtype=np.float64))


def isa_elementwise(r):
    """isa-elementwise.mlir: x at lm[0], y at lm[2048]; 250 result words."""
    x = f32(r.uniform(-2, 2, 16))
    y = f32(r.uniform(0.5, 2, 16))
    X, Y = x.astype(np.float64), y.astype(np.float64)
    parts = [
        X + Y,                                   # vadd
        X - Y,                                   # vsub
        X * Y,                                   # vmul
        np.maximum(X, 0.25),                     # vmax with an immediate
        np.minimum(X, Y[2]),                     # vmin with a broadcast
        np.arange(1, 17) + X * Y,                # vfma onto the image 1..16
        np.exp(X),                               # vexp
        np.tanh(X),                              # vtanh
        erf(X),                                  # verf
        1 / Y,                                   # vrcp
        1 / np.sqrt(Y),                          # vrsqrt
        [X.sum()],                               # reduce.sum
        [Y[:13].max()],                          # reduce.max n=13
        X + X[::-1],                             # negative stride
        X[::2],                                  # stride 2
        3 * Y,                                   # loop with inc0
        X[:8].reshape(2, 4).T.ravel(),           # nested loops, inc0/inc1
        np.concatenate([X[:1], X[:7]]),          # shift in place
        X[:4] + 1, [7.0] * 4,                    # halt (the rest not run)
        np.exp(X[:4]), np.exp(X[:4]) + 1,        # barrier
    ]
    out = np.concatenate([np.asarray(p, dtype=np.float64) for p in parts])
    assert out.size == 250, out.size
    return [x, y], [f32(out)]


def bitreverse(n):
    bits = n.bit_length() - 1
    return np.array([int(format(k, "0%db" % bits)[::-1], 2) for k in range(n)])


def bfly(x, table, stride, mat=False, pair=False):
    """One butterfly stage (docs/architecture.md section 3, bfly) over the
    vector x (complex or real): pairs (g*2s + j, g*2s + j + s), entry j or,
    per pair, g*s + j; an entry is w (y0 = x0 + w x1, y1 = x0 - w x1) or,
    with mat, [t00, t01, t10, t11]."""
    y = np.array(x)
    for g in range(len(x) // (2 * stride)):
        for j in range(stride):
            i0 = g * 2 * stride + j
            i1 = i0 + stride
            t = table[g * stride + j if pair else j]
            if mat:
                y[i0] = t[0] * x[i0] + t[1] * x[i1]
                y[i1] = t[2] * x[i0] + t[3] * x[i1]
            else:
                y[i0] = x[i0] + t * x[i1]
                y[i1] = x[i0] - t * x[i1]
    return y


def cplx(words):
    """Interleaved (re, im) float words -> complex128."""
    w = np.asarray(words, dtype=np.float64)
    return w[0::2] + 1j * w[1::2]


def words(z):
    """complex -> interleaved (re, im) float64 words."""
    z = np.asarray(z, dtype=np.complex128)
    return np.stack([z.real, z.imag], axis=-1).ravel()


def isa_butterfly(r):
    """isa-butterfly.mlir: bank0 -> lm[0..96), bank1 -> lm[2048..2224)."""
    b0 = f32(r.uniform(-1, 1, 96))
    b1 = f32(r.uniform(-1, 1, 176))
    # The FFT-8 tables: stage stride s has w_j = exp(-2 pi i j / 2s).
    for base, s in [(152, 1), (154, 2), (158, 4)]:
        b1[base:base + 2 * s] = f32(words(np.exp(-2j * np.pi * np.arange(s) / (2 * s))))
    B0, B1 = b0.astype(np.float64), b1.astype(np.float64)
    xr, xc = B0[0:8], cplx(B0[16:32])
    A = B0[32:38].reshape(2, 3)
    M1 = B0[40:52].reshape(3, 4)
    M3 = B0[64:82].reshape(3, 6)
    t = lambda a, n: B1[a - 2048:a - 2048 + n]
    M2 = t(2160, 12).reshape(3, 4)
    fft8 = bitreverse(8)
    z = xc[fft8]
    for base, s in [(2200, 1), (2202, 2), (2206, 4)]:
        z = bfly(z, cplx(t(base, 2 * s)), s)
    assert np.allclose(z, np.fft.fft(xc))
    parts = [
        xr[bitreverse(8)],                                        # bitrev
        words(xc[bitreverse(8)]),                                 # bitrev.c
        bfly(xr, t(2048, 2), 2),                                  # bfly
        bfly(xr, t(2052, 8).reshape(2, 4), 2, mat=True),          # .mat
        bfly(xr, t(2060, 4), 2, pair=True),                       # .pair
        bfly(xr, t(2064, 16).reshape(4, 4), 1, mat=True, pair=True),
        words(bfly(xc, cplx(t(2080, 4)), 2)),                     # .c
        words(bfly(xc, cplx(t(2084, 32)).reshape(4, 4), 4, mat=True)),
        words(bfly(xc, cplx(t(2116, 8)), 1, pair=True)),          # .c.pair
        words(bfly(xc, cplx(t(2124, 32)).reshape(4, 4), 2, mat=True,
                   pair=True)),                                   # .c.mat.pair
        words(np.fft.fft(xc)),                                    # FFT-8
        (A @ M1 + A @ M2).ravel(),                                # gemm.init, gemm
        (A @ M3).ravel(),                                         # gemm n=6
    ]
    out = np.concatenate(parts)
    assert out.size == 156, out.size
    return [b0, b1], [f32(out)]


def backpressure(r):
    """backpressure.test: y = exp(x), 64 words."""
    x = f32(r.uniform(-2, 2, 64))
    return [x], [f32(np.exp(x.astype(np.float64)))]


def dma(r):
    """dma.mlir: y[r][c] = x[3-c][r+1] + 100, z[a][b] = 2 x[a][0], wr =
    w[::-1]."""
    x = f32(r.uniform(-4, 4, (4, 6)))
    w = f32(r.uniform(-1, 1, 256))
    X = x.astype(np.float64)
    y = (X.T[1:5] + 100)[:, ::-1]
    z = np.repeat(2 * X[:, :1], 4, axis=1)
    return [x, w], [f32(y), f32(z), w[::-1].copy()]


def network(r):
    """network.mlir: x, w -> y0..y4."""
    x = f32(r.uniform(-1, 1, 16))
    w = f32(r.uniform(-1, 1, 16))
    x1 = x.astype(np.float64) + 1
    B = (0.5 * np.arange(32) - 8).reshape(8, 4)
    return [x, w], [f32(x1), f32(np.exp(x1)),
                    f32([x1 @ w.astype(np.float64), 0, 0, 0]),
                    f32(x1[bitreverse(16)]), f32(x1.reshape(2, 8) @ B)]


def express(r):
    """express.mlir: y0 = [2x, x - 1], y1 = x, y2 = max(x, 0)."""
    x = f32(r.uniform(-1, 1, 16))
    X = x.astype(np.float64)
    return [x], [f32(np.concatenate([2 * X, X - 1])), x.copy(),
                 f32(np.maximum(X, 0))]


def phases(r):
    """phases.mlir: y[0] = x[0] c + c (c = 0.5, 1, ..., 8), y[1] = exp(x[1])."""
    x = f32(r.uniform(-1, 1, (2, 16)))
    X = x.astype(np.float64)
    c = 0.5 * np.arange(1, 17)
    return [x], [f32([X[0] * c + c, np.exp(X[1])])]


def roofline(r):
    """roofline.mlir: y = 256 x^2, exact for integer x in [-8, 8]."""
    x = f32(r.integers(-8, 9, 16))
    return [x], [f32(256 * x.astype(np.float64) ** 2)]


CASES = {f.__name__: f for f in [isa_elementwise, isa_butterfly, backpressure,
                                 dma, network, express, phases, roofline]}


def main():
    name, out = sys.argv[1], sys.argv[2]
    inputs, expected = CASES[name](rng(name))
    os.makedirs(os.path.join(out, "expected"), exist_ok=True)
    for i, a in enumerate(inputs):
        np.save(os.path.join(out, "in%d.npy" % i), a)
    for i, a in enumerate(expected):
        np.save(os.path.join(out, "expected", "out%d.npy" % i), a)


if __name__ == "__main__":
    main()
