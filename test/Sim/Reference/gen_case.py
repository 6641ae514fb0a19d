#!/usr/bin/env python3
"""Inputs and NumPy expectations for the reference-interpreter tests.

    gen_case.py CASE OUTDIR     write OUTDIR/in0.npy, in1.npy, ... and
                                OUTDIR/expected/out0.npy, out1.npy, ...
    gen_case.py --list          print the case names
    gen_case.py --signature CASE
                                print the MLIR types of the inputs and outputs
    gen_case.py --selftest      cross-check the references used here against
                                second, differently written NumPy versions

The expected values are computed in float64 (complex128) by NumPy from the
float32 (complex64) inputs exactly as they are written, and saved as float32
(complex64).  Nothing here comes from the code under test: FFTs are numpy.fft,
butterfly layers are products of explicit dense factor matrices, everything
else is written out from the op definitions in BflyOps.td.  Each case draws
its inputs from its own generator, seeded with the CRC-32 of the case name, so
the files are the same on every run and do not change when cases are added.

Only NumPy is used (no torch, no scipy), so /usr/bin/python3 runs it.
"""

import argparse
import math
import os
import sys
import zlib

import numpy as np

CASES = {}


def case(name):
    """Registers a function rng -> (inputs, expected outputs) as CASE."""

    def register(fn):
        assert name not in CASES, name
        CASES[name] = fn
        return fn

    return register


def rng_for(name):
    return np.random.default_rng(zlib.crc32(name.encode("utf-8")))


# --------------------------------------------------------------------------
# Input helpers: float32 / complex64 arrays, and their float64 view.
# --------------------------------------------------------------------------


def randn(rng, shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def crandn(rng, shape, scale=1.0):
    # Unit variance complex normal (real and imaginary parts of variance 1/2).
    re = rng.standard_normal(shape)
    im = rng.standard_normal(shape)
    return ((re + 1j * im) * (scale / math.sqrt(2.0))).astype(np.complex64)


def weight(rng, fan_in, fan_out):
    return randn(rng, (fan_in, fan_out), 1.0 / math.sqrt(fan_in))


def d(a):
    """The float64/complex128 value of a float32/complex64 input."""
    if np.iscomplexobj(a):
        return a.astype(np.complex128)
    return a.astype(np.float64)


def f32const(value):
    """The value an f32 attribute holds, as a Python float."""
    return float(np.float32(value))


# --------------------------------------------------------------------------
# Reference math (float64)
# --------------------------------------------------------------------------


def softmax(x, axis):
    m = np.max(x, axis=axis, keepdims=True)
    e = np.exp(x - m)
    return e / np.sum(e, axis=axis, keepdims=True)


def layernorm(x, gamma, beta, eps=f32const(1e-5)):
    mean = np.mean(x, axis=-1, keepdims=True)
    var = np.mean((x - mean) ** 2, axis=-1, keepdims=True)  # biased
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


_erf = np.vectorize(math.erf, otypes=[np.float64])


def gelu_erf(x):
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


def gelu_tanh(x):
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))


def linear(x, w, b=None):
    y = x @ w
    return y if b is None else y + b


def attention(q, k, v, mask=None, scale=None, causal=False):
    """softmax(scale * q k^T + mask) v; causal hides key j > i from query i."""
    dh = q.shape[-1]
    s = (1.0 / math.sqrt(dh)) if scale is None else scale
    scores = s * np.einsum("bhqd,bhkd->bhqk", q, k)
    if mask is not None:
        scores = scores + mask  # [Lq, Lk] or [B|1, H|1, Lq, Lk] broadcasts
    if causal:
        lq, lk = q.shape[2], k.shape[2]
        i = np.arange(lq)[:, None]
        j = np.arange(lk)[None, :]
        scores = np.where(j > i, -np.inf, scores)
    return np.einsum("bhqk,bhkd->bhqd", softmax(scores, -1), v)


def fourier_mix(x):
    return np.real(np.fft.fft(np.fft.fft(x, axis=-1), axis=-2))


def bit_reverse_permutation(n):
    bits = n.bit_length() - 1
    assert 1 << bits == n
    perm = []
    for i in range(n):
        r = 0
        for b in range(bits):
            if i >> b & 1:
                r |= 1 << (bits - 1 - b)
        perm.append(r)
    return np.array(perm, dtype=np.int64)


def bit_reverse(x, dim):
    perm = bit_reverse_permutation(x.shape[dim])
    return np.take(x, perm, axis=dim)  # y[i] = x[bitreverse(i)]


def butterfly_stage(x, tw, stride):
    """One factor, written from BflyOps.td with an explicit loop over pairs:
    pair p = j*stride + r mixes x[2j*stride + r] and x[2j*stride + stride + r].
    tw is [S1..Sk, n/2, 2, 2]; its stack dims line up with the input dims
    just before the last one (NumPy's trailing broadcast does exactly that).
    """
    n = x.shape[-1]
    assert tw.shape[-3:] == (n // 2, 2, 2)
    y = np.zeros(np.broadcast_shapes(x.shape, tw.shape[:-3] + (n,)), dtype=np.result_type(x, tw))
    for p in range(n // 2):
        j, r = divmod(p, stride)
        i0 = 2 * j * stride + r
        i1 = i0 + stride
        t = tw[..., p, :, :]
        y[..., i0] = t[..., 0, 0] * x[..., i0] + t[..., 0, 1] * x[..., i1]
        y[..., i1] = t[..., 1, 0] * x[..., i0] + t[..., 1, 1] * x[..., i1]
    return y


def butterfly_factor_matrix(tw, stride, n):
    """The dense n x n matrix of one factor (tw: [n/2, 2, 2]), y = M @ x."""
    m = np.zeros((n, n), dtype=tw.dtype)
    for p in range(n // 2):
        j, r = divmod(p, stride)
        i0 = 2 * j * stride + r
        i1 = i0 + stride
        m[i0, i0] = tw[p, 0, 0]
        m[i0, i1] = tw[p, 0, 1]
        m[i1, i0] = tw[p, 1, 0]
        m[i1, i1] = tw[p, 1, 1]
    return m


def butterfly_linear(x, tw, out, bias=None, increasing_stride=True):
    """torch_butterfly.Butterfly.forward, as a product of dense factors.

    Pad in -> n = 2^log_n; per stack, per block, per stage idx the factor at
    stride 2^idx (increasing) or 2^(log_n-1-idx) (decreasing), the order
    flipping after every block; concatenate the stacks, keep the first out,
    add the bias.
    """
    nstacks, nblocks, log_n = tw.shape[:3]
    n = 1 << log_n
    assert tw.shape == (nstacks, nblocks, log_n, n // 2, 2, 2)
    in_ = x.shape[-1]
    assert in_ <= n and nstacks == -(-out // n)
    xp = np.zeros(x.shape[:-1] + (n,), dtype=x.dtype)
    xp[..., :in_] = x
    outs = []
    for s in range(nstacks):
        mat = np.eye(n)
        inc = increasing_stride
        for b in range(nblocks):
            for idx in range(log_n):
                stride = 1 << (idx if inc else log_n - 1 - idx)
                mat = butterfly_factor_matrix(tw[s, b, idx], stride, n) @ mat
            inc = not inc
        outs.append(xp @ mat.T)
    y = np.concatenate(outs, axis=-1)[..., :out]
    return y if bias is None else y + bias


def twiddles(rng, nstacks, nblocks, log_n):
    # torch_butterfly's 'randn' init: N(0, 1/2), so a factor keeps the norm on
    # average.
    n = 1 << log_n
    return randn(rng, (nstacks, nblocks, log_n, n // 2, 2, 2), 1.0 / math.sqrt(2.0))


# --------------------------------------------------------------------------
# Attention
# --------------------------------------------------------------------------


def qkv(rng, b, h, lq, lk, dh, dv):
    return (randn(rng, (b, h, lq, dh)), randn(rng, (b, h, lk, dh)), randn(rng, (b, h, lk, dv)))


def additive_mask(rng, shape, hidden_fraction=0.3):
    """Small random additive terms, with some entries -1e9; never a whole row."""
    m = rng.standard_normal(shape) * 0.5
    hidden = rng.random(shape) < hidden_fraction
    keep = rng.integers(0, shape[-1], size=shape[:-1])[..., None] == np.arange(shape[-1])
    hidden &= ~keep
    m[hidden] = -1e9
    assert not np.all(m <= -1e8, axis=-1).any()
    return m.astype(np.float32)


@case("attention_plain")
def _(rng):
    q, k, v = qkv(rng, 2, 3, 16, 16, 8, 8)
    return [q, k, v], [attention(d(q), d(k), d(v))]


@case("attention_causal")
def _(rng):
    q, k, v = qkv(rng, 2, 3, 16, 16, 8, 8)
    return [q, k, v], [attention(d(q), d(k), d(v), causal=True)]


@case("attention_mask2d")
def _(rng):
    q, k, v = qkv(rng, 2, 3, 10, 12, 8, 6)
    m = additive_mask(rng, (10, 12))
    return [q, k, v, m], [attention(d(q), d(k), d(v), mask=d(m))]


@case("attention_mask4d")
def _(rng):
    q, k, v = qkv(rng, 2, 3, 10, 12, 8, 6)
    m = additive_mask(rng, (1, 3, 10, 12))
    return [q, k, v, m], [attention(d(q), d(k), d(v), mask=d(m))]


@case("attention_mask4d_heads1")
def _(rng):
    q, k, v = qkv(rng, 2, 3, 10, 12, 8, 6)
    m = additive_mask(rng, (2, 1, 10, 12))
    return [q, k, v, m], [attention(d(q), d(k), d(v), mask=d(m))]


@case("attention_causal_lq_lt_lk")
def _(rng):
    q, k, v = qkv(rng, 2, 2, 6, 10, 8, 8)
    return [q, k, v], [attention(d(q), d(k), d(v), causal=True)]


@case("attention_causal_lq_gt_lk")
def _(rng):
    q, k, v = qkv(rng, 2, 2, 12, 5, 8, 8)
    return [q, k, v], [attention(d(q), d(k), d(v), causal=True)]


@case("attention_causal_mask")
def _(rng):
    q, k, v = qkv(rng, 1, 2, 9, 9, 4, 4)
    m = additive_mask(rng, (9, 9))
    # Key 0 is always visible under the causal rule: keep it unmasked.
    m[:, 0] = rng.standard_normal(9).astype(np.float32) * 0.5
    return [q, k, v, m], [attention(d(q), d(k), d(v), mask=d(m), causal=True)]


@case("attention_scale")
def _(rng):
    q, k, v = qkv(rng, 2, 3, 16, 16, 8, 8)
    return [q, k, v], [attention(d(q), d(k), d(v), scale=f32const(0.3))]


@case("attention_default_scale")
def _(rng):
    # Dh = 12: 1/sqrt(12) is irrational; Dv != Dh.
    q, k, v = qkv(rng, 1, 2, 7, 9, 12, 5)
    return [q, k, v], [attention(d(q), d(k), d(v))]


# --------------------------------------------------------------------------
# Fourier mixing and transforms
# --------------------------------------------------------------------------


@case("fourier_mix_pow2")
def _(rng):
    x = randn(rng, (2, 16, 32))
    return [x], [fourier_mix(d(x))]


@case("fourier_mix_fnet")
def _(rng):
    x = randn(rng, (1, 197, 768))
    return [x], [fourier_mix(d(x))]


@case("fourier_mix_small")
def _(rng):
    x = randn(rng, (1, 12, 10))
    return [x], [fourier_mix(d(x))]


@case("fourier_mix_len1")
def _(rng):
    x = randn(rng, (2, 1, 5))
    return [x], [fourier_mix(d(x))]


def _fft_case(op, dim, n):
    shape = (n, 3) if dim == 0 else ((2, n, 3) if op == "fft" else (3, n))
    fn = np.fft.fft if op == "fft" else np.fft.ifft

    def build(rng):
        x = crandn(rng, shape)
        return [x], [fn(d(x), axis=dim)]

    case("%s_dim%d_n%d" % (op, dim, n))(build)


for _op in ("fft", "ifft"):
    for _dim in (0, 1):
        for _n in (256, 12, 197, 1):
            _fft_case(_op, _dim, _n)


@case("fft_ifft_roundtrip")
def _(rng):
    x = crandn(rng, (6, 20))
    return [x], [np.fft.ifft(np.fft.fft(d(x), axis=1), axis=1)]


# --------------------------------------------------------------------------
# Complex numbers, bit reversal, butterfly factors
# --------------------------------------------------------------------------


@case("real")
def _(rng):
    z = crandn(rng, (3, 5))
    return [z], [np.real(d(z))]


@case("to_complex_real")
def _(rng):
    x = randn(rng, (4, 6))
    return [x], [d(x) + 0j]


@case("to_complex_imag")
def _(rng):
    x = randn(rng, (4, 6))
    y = randn(rng, (4, 6))
    return [x, y], [d(x) + 1j * d(y)]


@case("bit_reverse_dim0")
def _(rng):
    x = randn(rng, (16, 3))
    return [x], [bit_reverse(d(x), 0)]


@case("bit_reverse_dim1")
def _(rng):
    z = crandn(rng, (2, 32, 3))
    return [z], [bit_reverse(d(z), 1)]


@case("butterfly_stage_rank1")
def _(rng):
    x = randn(rng, (16,))
    tw = randn(rng, (8, 2, 2))
    return [x, tw], [butterfly_stage(d(x), d(tw), 2)]


@case("butterfly_stage_real")
def _(rng):
    x = randn(rng, (5, 16))
    tw = randn(rng, (8, 2, 2))
    return [x, tw], [butterfly_stage(d(x), d(tw), 1)]


@case("butterfly_stage_real_stack")
def _(rng):
    x = randn(rng, (2, 3, 16))
    tw = randn(rng, (3, 8, 2, 2))
    return [x, tw], [butterfly_stage(d(x), d(tw), 4)]


@case("butterfly_stage_real_stack2")
def _(rng):
    x = randn(rng, (2, 3, 16))
    tw = randn(rng, (2, 3, 8, 2, 2))
    return [x, tw], [butterfly_stage(d(x), d(tw), 8)]


@case("butterfly_stage_complex")
def _(rng):
    z = crandn(rng, (2, 3, 16))
    tw = crandn(rng, (3, 8, 2, 2))
    return [z, tw], [butterfly_stage(d(z), d(tw), 8)]


@case("butterfly_stage_complex_fft")
def _(rng):
    # A radix-2 FFT stage: [[1, w^k], [1, -w^k]], w = exp(-2*pi*i/(2*stride)).
    n, stride = 8, 2
    z = crandn(rng, (4, n))
    k = np.arange(n // 2) % stride
    w = np.exp(-2j * np.pi * k / (2 * stride))
    tw = np.stack([np.stack([np.ones_like(w), w], -1), np.stack([np.ones_like(w), -w], -1)], -2)
    tw = tw.astype(np.complex64)
    return [z, tw], [butterfly_stage(d(z), d(tw), stride)]


# --------------------------------------------------------------------------
# Butterfly linear (torch_butterfly.Butterfly)
# --------------------------------------------------------------------------


def _bl_case(name, batch, in_, out, nblocks, increasing, bias):
    def build(rng):
        log_n = (in_ - 1).bit_length()
        n = 1 << log_n
        nstacks = -(-out // n)
        x = randn(rng, tuple(batch) + (in_,))
        tw = twiddles(rng, nstacks, nblocks, log_n)
        ins = [x, tw]
        b = None
        if bias:
            b = (rng.uniform(-1, 1, out) / math.sqrt(in_)).astype(np.float32)
            ins.append(b)
        y = butterfly_linear(d(x), d(tw), out, None if b is None else d(b), increasing)
        return ins, [y]

    case(name)(build)


_bl_case("butterfly_linear_increasing", [8], 16, 16, 1, True, True)
_bl_case("butterfly_linear_decreasing", [8], 16, 16, 1, False, True)
_bl_case("butterfly_linear_nstacks", [8], 12, 20, 1, False, True)
_bl_case("butterfly_linear_nstacks3", [4], 8, 24, 2, True, False)
_bl_case("butterfly_linear_nblocks", [12], 8, 5, 2, True, False)
_bl_case("butterfly_linear_nblocks3_decreasing", [4], 16, 16, 3, False, False)
_bl_case("butterfly_linear_5_to_3", [4], 5, 3, 1, True, True)
_bl_case("butterfly_linear_100_to_60", [6], 100, 60, 2, False, True)
_bl_case("butterfly_linear_2_to_3", [5], 2, 3, 1, True, True)
_bl_case("butterfly_linear_batch", [2, 3], 12, 20, 2, True, True)


# --------------------------------------------------------------------------
# Dense linear algebra
# --------------------------------------------------------------------------


@case("matmul_batched")
def _(rng):
    a = randn(rng, (2, 3, 8, 16))
    b = randn(rng, (2, 3, 16, 5), 0.25)
    return [a, b], [d(a) @ d(b)]


@case("matmul_rhs_rank2")
def _(rng):
    a = randn(rng, (2, 3, 8, 16))
    b = randn(rng, (16, 5), 0.25)
    return [a, b], [d(a) @ d(b)]


@case("matmul_2d")
def _(rng):
    a = randn(rng, (7, 9))
    b = randn(rng, (9, 4), 1 / 3)
    return [a, b], [d(a) @ d(b)]


@case("linear_bias")
def _(rng):
    x = randn(rng, (2, 7, 16))
    w = weight(rng, 16, 24)
    b = randn(rng, (24,), 0.25)
    return [x, w, b], [linear(d(x), d(w), d(b))]


@case("linear_nobias")
def _(rng):
    x = randn(rng, (5, 16))
    w = weight(rng, 16, 12)
    return [x, w], [linear(d(x), d(w))]


@case("linear_rank1")
def _(rng):
    x = randn(rng, (16,))
    w = weight(rng, 16, 10)
    b = randn(rng, (10,), 0.25)
    return [x, w, b], [linear(d(x), d(w), d(b))]


# --------------------------------------------------------------------------
# Softmax, layernorm
# --------------------------------------------------------------------------


def _softmax_input(rng):
    x = randn(rng, (5, 6, 7), 2.0)
    # Large values: exp overflows float32 unless the maximum is subtracted.
    x[1] += 100.0
    x[:, 2] += 100.0
    x[..., 3] += 100.0
    return x


for _axis in (0, 1, 2):

    def _softmax_case(rng, axis=_axis):
        x = _softmax_input(rng)
        return [x], [softmax(d(x), axis)]

    case("softmax_axis%d" % _axis)(_softmax_case)


def _layernorm_inputs(rng):
    x = randn(rng, (2, 5, 32))
    # A row of small variance (about 1e-3) where the epsilon matters.
    x[1, 2] = (0.5 + 0.03 * rng.standard_normal(32)).astype(np.float32)
    gamma = (1.0 + 0.1 * rng.standard_normal(32)).astype(np.float32)
    beta = randn(rng, (32,), 0.1)
    return x, gamma, beta


@case("layernorm_default")
def _(rng):
    x, g, b = _layernorm_inputs(rng)
    return [x, g, b], [layernorm(d(x), d(g), d(b), f32const(1e-5))]


@case("layernorm_eps12")
def _(rng):
    x, g, b = _layernorm_inputs(rng)
    return [x, g, b], [layernorm(d(x), d(g), d(b), f32const(1e-12))]


# --------------------------------------------------------------------------
# Elementwise
# --------------------------------------------------------------------------


@case("gelu_erf")
def _(rng):
    x = randn(rng, (4, 33), 2.0)
    return [x], [gelu_erf(d(x))]


@case("gelu_tanh")
def _(rng):
    x = randn(rng, (4, 33), 2.0)
    return [x], [gelu_tanh(d(x))]


@case("relu")
def _(rng):
    x = randn(rng, (3, 4, 5))
    return [x], [np.maximum(d(x), 0.0)]


@case("add")
def _(rng):
    a, b = randn(rng, (3, 4, 5)), randn(rng, (3, 4, 5))
    return [a, b], [d(a) + d(b)]


@case("add_complex")
def _(rng):
    a, b = crandn(rng, (4, 6)), crandn(rng, (4, 6))
    return [a, b], [d(a) + d(b)]


@case("mul")
def _(rng):
    a, b = randn(rng, (3, 4, 5)), randn(rng, (3, 4, 5))
    return [a, b], [d(a) * d(b)]


@case("mul_complex")
def _(rng):
    a, b = crandn(rng, (4, 6)), crandn(rng, (4, 6))
    return [a, b], [d(a) * d(b)]


@case("scale")
def _(rng):
    x = randn(rng, (3, 7))
    return [x], [d(x) * f32const(0.375)]


@case("scale_complex")
def _(rng):
    z = crandn(rng, (3, 7))
    return [z], [d(z) * f32const(-1.5)]


@case("two_results")
def _(rng):
    a, b = randn(rng, (2, 5)), randn(rng, (2, 5))
    return [a, b], [d(a) + d(b), d(a) * d(b)]


# --------------------------------------------------------------------------
# Data movement
# --------------------------------------------------------------------------


@case("transpose_rank4")
def _(rng):
    x = randn(rng, (2, 3, 4, 5))
    return [x], [np.transpose(d(x), (2, 0, 3, 1))]


@case("transpose_complex")
def _(rng):
    z = crandn(rng, (3, 4, 5))
    return [z], [np.transpose(d(z), (1, 2, 0))]


@case("add_broadcast_bias")
def _(rng):
    x, b = randn(rng, (2, 5, 6)), randn(rng, (6,))
    return [x, b], [d(x) + d(b)]


@case("add_broadcast_ones")
def _(rng):
    # An additive attention mask [1, H, 1, Lk] over scores [B, H, Lq, Lk].
    x, m = randn(rng, (2, 3, 4, 5)), randn(rng, (1, 3, 1, 5))
    return [x, m], [d(x) + d(m)]


@case("mul_broadcast_complex")
def _(rng):
    # A Bluestein chirp multiplying every row.
    z, c = crandn(rng, (4, 7)), crandn(rng, (7,))
    return [z, c], [d(z) * d(c)]


@case("slice")
def _(rng):
    x = randn(rng, (3, 8, 6))
    return [x], [d(x)[1:3, 2:7, 0:6]]


@case("pad")
def _(rng):
    z = crandn(rng, (2, 5))
    return [z], [np.pad(d(z), ((0, 1), (0, 3)))]


@case("concat")
def _(rng):
    a, b = randn(rng, (2, 1, 4)), randn(rng, (2, 3, 4))
    return [a, b], [np.concatenate([d(a), d(b)], axis=1)]


@case("reshape")
def _(rng):
    x = randn(rng, (2, 3, 4, 5))
    return [x], [np.reshape(d(x), (6, 20))]


@case("reshape_heads")
def _(rng):
    # [B, L, D] -> [B, L, H, Dh] -> [B, H, L, Dh]
    x = randn(rng, (2, 8, 12))
    return [x], [np.transpose(np.reshape(d(x), (2, 8, 3, 4)), (0, 2, 1, 3))]


# --------------------------------------------------------------------------
# Small models
# --------------------------------------------------------------------------

ENC_B, ENC_L, ENC_D, ENC_H, ENC_FF = 2, 6, 24, 3, 40


@case("encoder_block")
def _(rng):
    """Post-norm transformer encoder layer (nn.TransformerEncoderLayer shape)."""
    B, L, D, H, FF = ENC_B, ENC_L, ENC_D, ENC_H, ENC_FF
    Dh = D // H
    x = randn(rng, (B, L, D))
    wq, bq = weight(rng, D, D), randn(rng, (D,), 0.1)
    wk, bk = weight(rng, D, D), randn(rng, (D,), 0.1)
    wv, bv = weight(rng, D, D), randn(rng, (D,), 0.1)
    wo, bo = weight(rng, D, D), randn(rng, (D,), 0.1)
    g1, be1 = (1 + 0.1 * rng.standard_normal(D)).astype(np.float32), randn(rng, (D,), 0.1)
    w1, c1 = weight(rng, D, FF), randn(rng, (FF,), 0.1)
    w2, c2 = weight(rng, FF, D), randn(rng, (D,), 0.1)
    g2, be2 = (1 + 0.1 * rng.standard_normal(D)).astype(np.float32), randn(rng, (D,), 0.1)
    ins = [x, wq, bq, wk, bk, wv, bv, wo, bo, g1, be1, w1, c1, w2, c2, g2, be2]
    (x, wq, bq, wk, bk, wv, bv, wo, bo, g1, be1, w1, c1, w2, c2, g2, be2) = map(d, ins)

    def heads(t):  # [B, L, D] -> [B, H, L, Dh]
        return np.transpose(t.reshape(B, L, H, Dh), (0, 2, 1, 3))

    q, k, v = heads(linear(x, wq, bq)), heads(linear(x, wk, bk)), heads(linear(x, wv, bv))
    a = attention(q, k, v)
    a = np.transpose(a, (0, 2, 1, 3)).reshape(B, L, D)
    h = layernorm(x + linear(a, wo, bo), g1, be1)
    f = linear(gelu_erf(linear(h, w1, c1)), w2, c2)
    return ins, [layernorm(h + f, g2, be2)]


FNET_B, FNET_L, FNET_D, FNET_FF = 2, 10, 12, 24


@case("fnet_block")
def _(rng):
    B, L, D, FF = FNET_B, FNET_L, FNET_D, FNET_FF
    x = randn(rng, (B, L, D))
    g1, be1 = (1 + 0.1 * rng.standard_normal(D)).astype(np.float32), randn(rng, (D,), 0.1)
    w1, c1 = weight(rng, D, FF), randn(rng, (FF,), 0.1)
    w2, c2 = weight(rng, FF, D), randn(rng, (D,), 0.1)
    g2, be2 = (1 + 0.1 * rng.standard_normal(D)).astype(np.float32), randn(rng, (D,), 0.1)
    ins = [x, g1, be1, w1, c1, w2, c2, g2, be2]
    (x, g1, be1, w1, c1, w2, c2, g2, be2) = map(d, ins)
    h = layernorm(x + fourier_mix(x), g1, be1)
    f = linear(gelu_erf(linear(h, w1, c1)), w2, c2)
    return ins, [layernorm(h + f, g2, be2)]


# --------------------------------------------------------------------------
# Entry-point selection (files without --entry)
# --------------------------------------------------------------------------


@case("entry_main")
def _(rng):
    x = randn(rng, (3, 8))
    w = weight(rng, 8, 6)
    return [x, w], [softmax(np.maximum(d(x) @ d(w), 0.0), 1)]


@case("entry_only_public")
def _(rng):
    x = randn(rng, (4, 5))
    y = randn(rng, (4, 5))
    return [x, y], [np.maximum(d(x) * d(y), 0.0)]


# --------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------


def _cast_input(a):
    a = np.asarray(a)
    if a.dtype not in (np.float32, np.complex64):
        raise TypeError("input of dtype %s; cases must produce float32 or complex64" % a.dtype)
    return np.ascontiguousarray(a)


def _cast_output(a):
    a = np.asarray(a)
    if not np.all(np.isfinite(a)):
        raise ValueError("non-finite expected value")
    return np.ascontiguousarray(a.astype(np.complex64 if np.iscomplexobj(a) else np.float32))


def build(name):
    ins, outs = CASES[name](rng_for(name))
    return [_cast_input(a) for a in ins], [_cast_output(a) for a in outs]


def mlir_type(a):
    elem = "complex<f32>" if a.dtype == np.complex64 else "f32"
    return "tensor<%s>" % "x".join([str(s) for s in a.shape] + [elem])


def _save(path, a):
    # Little-endian '<f4' / '<c8', C order; written via a temp file + rename.
    a = a.astype(a.dtype.newbyteorder("<"))
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        np.save(f, a, allow_pickle=False)
    os.replace(tmp, path)


def write(name, outdir):
    ins, outs = build(name)
    os.makedirs(os.path.join(outdir, "expected"), exist_ok=True)
    for i, a in enumerate(ins):
        _save(os.path.join(outdir, "in%d.npy" % i), a)
    for i, a in enumerate(outs):
        _save(os.path.join(outdir, "expected", "out%d.npy" % i), a)


def selftest():
    """Cross-checks the references against differently written versions."""
    rng = np.random.default_rng(0)
    # butterfly_linear (dense factors) vs torch_butterfly's reshape-based
    # butterfly_multiply_torch, transcribed to NumPy.
    def multiply_reshape(tw, x, increasing):
        batch, nstacks, _ = x.shape
        nblocks, log_n = tw.shape[1], tw.shape[2]
        n = 1 << log_n
        out = x
        inc = increasing
        for blk in range(nblocks):
            for idx in range(log_n):
                stride = 1 << (idx if inc else log_n - 1 - idx)
                t = tw[:, blk, idx].reshape(nstacks, n // (2 * stride), stride, 2, 2)
                t = t.transpose(0, 1, 3, 4, 2)
                o = out.reshape(batch, nstacks, n // (2 * stride), 1, 2, stride)
                out = (t * o).sum(axis=4).reshape(batch, nstacks, n)
            inc = not inc
        return out

    for in_, out, nblocks, inc in [(12, 20, 2, True), (5, 3, 3, False), (100, 60, 2, False), (8, 24, 1, True)]:
        log_n = (in_ - 1).bit_length()
        n = 1 << log_n
        nstacks = -(-out // n)
        x = rng.standard_normal((7, in_))
        tw = rng.standard_normal((nstacks, nblocks, log_n, n // 2, 2, 2))
        b = rng.standard_normal(out)
        xp = np.zeros((7, nstacks, n))
        xp[:, :, :in_] = x[:, None, :]
        ref = multiply_reshape(tw, xp, inc).reshape(7, nstacks * n)[:, :out] + b
        got = butterfly_linear(x, tw, out, b, inc)
        assert np.allclose(got, ref, rtol=1e-12, atol=1e-12), (in_, out, nblocks, inc)
    # butterfly_stage (index loop) vs the dense factor matrix.
    for stride in (1, 2, 4, 8):
        x = rng.standard_normal((3, 16)) + 1j * rng.standard_normal((3, 16))
        tw = rng.standard_normal((3, 8, 2, 2)) + 1j * rng.standard_normal((3, 8, 2, 2))
        got = butterfly_stage(x, tw, stride)
        for s in range(3):
            assert np.allclose(got[s], butterfly_factor_matrix(tw[s], stride, 16) @ x[s])
    # Radix-2 FFT from bit_reverse + butterfly_stage equals numpy.fft.
    n = 32
    z = rng.standard_normal((2, n)) + 1j * rng.standard_normal((2, n))
    y = bit_reverse(z, 1)
    stride = 1
    while stride < n:
        k = np.arange(n // 2) % stride
        w = np.exp(-2j * np.pi * k / (2 * stride))
        tw = np.stack([np.stack([np.ones_like(w), w], -1), np.stack([np.ones_like(w), -w], -1)], -2)
        y = butterfly_stage(y, tw, stride)
        stride *= 2
    assert np.allclose(y, np.fft.fft(z, axis=1))
    # fourier_mix vs explicit DFT matrices.
    x = rng.standard_normal((2, 7, 6))
    def dft(m):
        j = np.arange(m)
        return np.exp(-2j * np.pi * np.outer(j, j) / m)
    ref = np.real(np.einsum("lk,bkd,de->ble", dft(7), x, dft(6)))
    assert np.allclose(fourier_mix(x), ref)
    # Attention: causal equals an explicit lower-triangular -inf mask.
    q, k, v = rng.standard_normal((1, 2, 5, 4)), rng.standard_normal((1, 2, 7, 4)), rng.standard_normal((1, 2, 7, 3))
    tri = np.where(np.arange(7)[None, :] > np.arange(5)[:, None], -np.inf, 0.0)
    assert np.allclose(attention(q, k, v, causal=True), attention(q, k, v, mask=tri))
    assert np.allclose(attention(q, k, v)[0, 1, 2], softmax(q[0, 1, 2] @ k[0, 1].T / 2.0, 0) @ v[0, 1])
    # gelu forms agree to the approximation's accuracy.
    t = np.linspace(-6, 6, 101)
    assert np.max(np.abs(gelu_erf(t) - gelu_tanh(t))) < 1e-3
    assert bit_reverse_permutation(8).tolist() == [0, 4, 2, 6, 1, 5, 3, 7]
    # Every case builds, and its outputs are finite.
    for name in CASES:
        build(name)
    print("selftest: ok (%d cases)" % len(CASES))


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("case", nargs="?")
    parser.add_argument("outdir", nargs="?")
    parser.add_argument("--list", action="store_true", help="print the case names")
    parser.add_argument("--signature", action="store_true", help="print CASE's input and output types")
    parser.add_argument("--selftest", action="store_true", help="cross-check the references")
    args = parser.parse_args(argv)
    if args.list:
        for name in CASES:
            print(name)
        return 0
    if args.selftest:
        selftest()
        return 0
    if args.case is None or args.case not in CASES:
        parser.error("unknown or missing CASE %r (see --list)" % args.case)
    if args.signature:
        ins, outs = build(args.case)
        for i, a in enumerate(ins):
            print("in%d: %s" % (i, mlir_type(a)))
        for i, a in enumerate(outs):
            print("out%d: %s" % (i, mlir_type(a)))
        return 0
    if args.outdir is None:
        parser.error("missing OUTDIR")
    write(args.case, args.outdir)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
