#!/usr/bin/env python3
"""Writes butterfly's example models, and inputs with NumPy-computed outputs.

    generate.py models               rewrite examples/models/*.mlir
    generate.py inputs MODEL DIR     write DIR/in0.npy and DIR/expected/out0.npy

The models are FABNet-style hybrid encoders: layers with softmax attention and
dense FFNs ("ABfly" keeps dense projections here) and layers with FNet Fourier
mixing and butterfly FFNs ("FBfly"). Weights come from a fixed seed and are
embedded as dense constants, so each model file is self-contained. The
expected outputs are computed here in float64 with NumPy, independently of the
compiler, following torch_butterfly's Butterfly semantics.
"""

import math
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def hex_constant(array):
    data = np.ascontiguousarray(array, dtype="<f4").tobytes().hex().upper()
    shape = "x".join(str(d) for d in array.shape)
    return f'arith.constant dense<"0x{data}"> : tensor<{shape}xf32>'


def tensor(shape):
    return "tensor<" + "x".join(str(d) for d in shape) + "xf32>"


class Builder:
    """Emits SSA lines of one func.func body."""

    def __init__(self):
        self.lines = []
        self.count = 0

    def value(self):
        self.count += 1
        return f"%v{self.count}"

    def emit(self, text):
        name = self.value()
        self.lines.append(f"  {name} = {text}")
        return name

    def const(self, array):
        return self.emit(hex_constant(array))


def butterfly_twiddle_shape(in_features, out_features, nblocks=1):
    log_n = max(0, math.ceil(math.log2(in_features)))
    n = 1 << log_n
    nstacks = -(-out_features // n)
    return (nstacks, nblocks, log_n, n // 2, 2, 2)


def butterfly_dense(twiddle, increasing_stride=True):
    """Dense matrices (one per stack) of a butterfly twiddle tensor, built
    factor by factor from the pairing definition."""
    nstacks, nblocks, log_n, half, _, _ = twiddle.shape
    n = 2 * half if log_n > 0 else 1
    mats = []
    for stack in range(nstacks):
        m = np.eye(n)
        increasing = increasing_stride
        for block in range(nblocks):
            for idx in range(log_n):
                stride = 1 << (idx if increasing else log_n - 1 - idx)
                factor = np.zeros((n, n))
                for j in range(n // (2 * stride)):
                    for r in range(stride):
                        p = j * stride + r
                        for a in range(2):
                            for b in range(2):
                                factor[j * 2 * stride + a * stride + r,
                                       j * 2 * stride + b * stride + r] = \
                                    twiddle[stack, block, idx, p, a, b]
                m = factor @ m
            increasing = not increasing
        mats.append(m)
    return mats


def butterfly_linear_ref(x, twiddle, bias, out_features,
                         increasing_stride=True):
    mats = butterfly_dense(twiddle, increasing_stride)
    n = mats[0].shape[0]
    pad = np.zeros(x.shape[:-1] + (n,))
    pad[..., : x.shape[-1]] = x
    y = np.concatenate([pad @ m.T for m in mats], axis=-1)[..., :out_features]
    return y + bias if bias is not None else y


def layernorm_ref(x, gamma, beta, eps=1e-5):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def gelu_ref(x):
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def softmax_ref(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


class HybridEncoder:
    """A FABNet-style encoder; `kinds` lists 'attention' or 'fourier' per
    layer."""

    def __init__(self, name, batch, seq, hidden, heads, ffn, kinds, seed):
        self.name, self.batch, self.seq = name, batch, seq
        self.hidden, self.heads, self.ffn, self.kinds = hidden, heads, ffn, kinds
        rng = np.random.default_rng(seed)
        self.layers = []
        for kind in kinds:
            layer = {"kind": kind}
            d, f = hidden, ffn
            if kind == "attention":
                for w in ("q", "k", "v", "o"):
                    layer["w" + w] = rng.standard_normal((d, d)) / math.sqrt(d)
                    layer["b" + w] = 0.1 * rng.standard_normal(d)
                layer["w1"] = rng.standard_normal((d, f)) / math.sqrt(d)
                layer["w2"] = rng.standard_normal((f, d)) / math.sqrt(f)
            else:
                layer["w1"] = rng.standard_normal(
                    butterfly_twiddle_shape(d, f)) / math.sqrt(2)
                layer["w2"] = rng.standard_normal(
                    butterfly_twiddle_shape(f, d)) / math.sqrt(2)
            layer["b1"] = 0.1 * rng.standard_normal(f)
            layer["b2"] = 0.1 * rng.standard_normal(d)
            for ln in ("ln1", "ln2"):
                layer[ln + "_g"] = 1.0 + 0.1 * rng.standard_normal(d)
                layer[ln + "_b"] = 0.1 * rng.standard_normal(d)
            # Round to float32 so the reference sees the same weights as the IR.
            for key, value in layer.items():
                if isinstance(value, np.ndarray):
                    layer[key] = value.astype(np.float32).astype(np.float64)
            self.layers.append(layer)

    @property
    def input_shape(self):
        return (self.batch, self.seq, self.hidden)

    def mlir(self):
        b, l, d, h = self.batch, self.seq, self.hidden, self.heads
        dh, f = d // h, self.ffn
        xt, ht, ft = tensor((b, l, d)), tensor((b, h, l, dh)), tensor((b, l, f))
        split = tensor((b, l, h, dh))
        g = Builder()
        x = "%x"
        for layer in self.layers:
            c = {k: g.const(v) for k, v in layer.items() if k != "kind"}
            if layer["kind"] == "attention":
                heads = {}
                for w in ("q", "k", "v"):
                    p = g.emit(f"bfly.linear {x}, {c['w' + w]}, {c['b' + w]} : "
                               f"{xt}, {tensor((d, d))}, {tensor((d,))} -> {xt}")
                    r = g.emit(f"bfly.reshape {p} : {xt} -> {split}")
                    heads[w] = g.emit(f"bfly.transpose {r} [0, 2, 1, 3] : "
                                      f"{split} -> {ht}")
                a = g.emit(f"bfly.attention {heads['q']}, {heads['k']}, "
                           f"{heads['v']} {{sparsity = #bfly.sparsity<dense>}}"
                           f" : {ht}, {ht}, {ht} -> {ht}")
                t = g.emit(f"bfly.transpose {a} [0, 2, 1, 3] : {ht} -> {split}")
                m = g.emit(f"bfly.reshape {t} : {split} -> {xt}")
                m = g.emit(f"bfly.linear {m}, {c['wo']}, {c['bo']} : {xt}, "
                           f"{tensor((d, d))}, {tensor((d,))} -> {xt}")
            else:
                m = g.emit(f"bfly.fourier_mix {x} "
                           f"{{sparsity = #bfly.sparsity<fourier>}} : {xt}")
            s = g.emit(f"bfly.add {x}, {m} : {xt}")
            x1 = g.emit(f"bfly.layernorm {s}, {c['ln1_g']}, {c['ln1_b']} : "
                        f"{xt}, {tensor((d,))}, {tensor((d,))}")
            if layer["kind"] == "attention":
                u = g.emit(f"bfly.linear {x1}, {c['w1']}, {c['b1']} : {xt}, "
                           f"{tensor((d, f))}, {tensor((f,))} -> {ft}")
                u = g.emit(f"bfly.gelu {u} : {ft}")
                u = g.emit(f"bfly.linear {u}, {c['w2']}, {c['b2']} : {ft}, "
                           f"{tensor((f, d))}, {tensor((d,))} -> {xt}")
            else:
                tw1 = tensor(layer["w1"].shape)
                tw2 = tensor(layer["w2"].shape)
                u = g.emit(f"bfly.butterfly_linear {x1}, {c['w1']}, {c['b1']} "
                           f"{{sparsity = #bfly.sparsity<butterfly>}} : {xt}, "
                           f"{tw1}, {tensor((f,))} -> {ft}")
                u = g.emit(f"bfly.gelu {u} : {ft}")
                u = g.emit(f"bfly.butterfly_linear {u}, {c['w2']}, {c['b2']} "
                           f"{{sparsity = #bfly.sparsity<butterfly>}} : {ft}, "
                           f"{tw2}, {tensor((d,))} -> {xt}")
            s = g.emit(f"bfly.add {x1}, {u} : {xt}")
            x = g.emit(f"bfly.layernorm {s}, {c['ln2_g']}, {c['ln2_b']} : "
                       f"{xt}, {tensor((d,))}, {tensor((d,))}")
        kinds = ", ".join(self.kinds)
        header = (f"// {self.name}: a FABNet-style hybrid encoder, "
                  f"{len(self.layers)} layers ({kinds}),\n"
                  f"// batch {b}, sequence {l}, hidden {d}, {h} heads, "
                  f"FFN {f}. Generated by examples/generate.py; do not edit.\n")
        body = "\n".join(g.lines)
        return (f"{header}func.func @main(%x: {xt}) -> {xt} {{\n{body}\n"
                f"  return {x} : {xt}\n}}\n")

    def reference(self, x):
        b, l, d, h = self.batch, self.seq, self.hidden, self.heads
        dh = d // h
        for layer in self.layers:
            if layer["kind"] == "attention":
                def heads(w):
                    p = x @ layer["w" + w] + layer["b" + w]
                    return p.reshape(b, l, h, dh).transpose(0, 2, 1, 3)
                q, k, v = heads("q"), heads("k"), heads("v")
                scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(dh)
                a = softmax_ref(scores, -1) @ v
                m = a.transpose(0, 2, 1, 3).reshape(b, l, d)
                m = m @ layer["wo"] + layer["bo"]
            else:
                m = np.real(np.fft.fft(np.fft.fft(x, axis=-1), axis=-2))
            x1 = layernorm_ref(x + m, layer["ln1_g"], layer["ln1_b"])
            if layer["kind"] == "attention":
                u = gelu_ref(x1 @ layer["w1"] + layer["b1"])
                u = u @ layer["w2"] + layer["b2"]
            else:
                u = gelu_ref(butterfly_linear_ref(x1, layer["w1"], layer["b1"],
                                                  self.ffn))
                u = butterfly_linear_ref(u, layer["w2"], layer["b2"],
                                         self.hidden)
            x = layernorm_ref(x1 + u, layer["ln2_g"], layer["ln2_b"])
        return x


MODELS = {
    "tiny_hybrid_encoder": HybridEncoder(
        "tiny_hybrid_encoder", batch=1, seq=16, hidden=32, heads=2, ffn=64,
        kinds=["attention", "fourier"], seed=1),
}


def write_models():
    os.makedirs(os.path.join(HERE, "models"), exist_ok=True)
    for name, model in MODELS.items():
        with open(os.path.join(HERE, "models", name + ".mlir"), "w") as f:
            f.write(model.mlir())


def write_inputs(name, out_dir):
    model = MODELS[name]
    rng = np.random.default_rng(1234)
    x = rng.standard_normal(model.input_shape).astype(np.float32)
    os.makedirs(os.path.join(out_dir, "expected"), exist_ok=True)
    np.save(os.path.join(out_dir, "in0.npy"), x)
    y = model.reference(x.astype(np.float64))
    np.save(os.path.join(out_dir, "expected", "out0.npy"),
            np.ascontiguousarray(y, dtype=np.float32))


def main(argv):
    if len(argv) == 2 and argv[1] == "models":
        write_models()
    elif len(argv) == 4 and argv[1] == "inputs" and argv[2] in MODELS:
        write_inputs(argv[2], argv[3])
    else:
        sys.exit(__doc__.split("\n\n")[1] + "\nmodels: " + ", ".join(MODELS))


if __name__ == "__main__":
    main(sys.argv)
