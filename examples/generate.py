#!/usr/bin/env python3
"""Writes butterfly's example models, and inputs with NumPy-computed outputs.

    generate.py models               rewrite examples/models/*.mlir
    generate.py inputs MODEL DIR     write DIR/in*.npy and DIR/expected/out0.npy

The models:
- FABNet-style hybrid encoders (tiny, small, and LRA shapes L=1024 with
  d=64/128/256 and L=4096 with d=256): "ABfly" layers (softmax attention with
  butterfly projections and FFN) and "FBfly" layers (FNet Fourier mixing and a
  butterfly FFN). Their weights are dense constants, so each file is
  self-contained.
- Dense BERT-like encoders, the input of bfly-hybrid-sparsity: 12 small
  layers, an LRA L=4096 one, and BERT-base / BERT-large shapes. Their weights
  are function arguments after %x (in the order of the layers: wq bq wk bk wv
  bv wo bo w1 w2 b1 b2 ln1_g ln1_b ln2_g ln2_b), so the files stay small.
Weights come from fixed seeds. The expected outputs are computed here in
float64 with NumPy, independently of the compiler, with butterfly linears as
products of explicit dense factors (torch_butterfly semantics).
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
    """Emits SSA lines of one func.func body. Weights become dense constants,
    or function arguments when `weights_as_args` (large models keep their
    weights out of the IR text)."""

    def __init__(self, weights_as_args=False):
        self.lines = []
        self.count = 0
        self.weights_as_args = weights_as_args
        self.args = []  # (name, shape)

    def value(self):
        self.count += 1
        return f"%v{self.count}"

    def emit(self, text):
        name = self.value()
        self.lines.append(f"  {name} = {text}")
        return name

    def const(self, array):
        if self.weights_as_args:
            name = f"%w{len(self.args)}"
            self.args.append((name, array.shape))
            return name
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
    """A FABNet-style encoder. `kinds` lists per layer 'attention' (softmax
    attention, dense projections and FFN), 'abfly' (softmax attention with
    butterfly projections and FFN) or 'fourier' (FNet mixing, butterfly FFN)."""

    def __init__(self, name, batch, seq, hidden, heads, ffn, kinds, seed,
                 weights_as_args=False):
        self.name, self.batch, self.seq = name, batch, seq
        self.hidden, self.heads, self.ffn, self.kinds = hidden, heads, ffn, kinds
        self.weights_as_args = weights_as_args
        self.seed = seed
        self.layers = None
        self.has_data = False

    def materialize(self, shapes_only=False):
        """Draws the weights. With `shapes_only` the arrays are zero-strided
        placeholders: enough to write a model whose weights are arguments
        (the BERT-shaped ones have ~10^8 weights)."""
        if self.layers is not None and (shapes_only or self.has_data):
            return
        self.has_data = not shapes_only
        rng = np.random.default_rng(self.seed)

        def draw(shape, scale=1.0, offset=0.0):
            if shapes_only:
                return np.broadcast_to(np.float64(0), shape)
            value = offset + scale * rng.standard_normal(shape)
            # Round to float32 so the reference sees the weights of the IR.
            return value.astype(np.float32).astype(np.float64)

        d, f = self.hidden, self.ffn
        self.layers = []
        for kind in self.kinds:
            layer = {"kind": kind}
            if kind == "attention":
                for w in ("q", "k", "v", "o"):
                    layer["w" + w] = draw((d, d), 1 / math.sqrt(d))
                    layer["b" + w] = draw((d,), 0.1)
                layer["w1"] = draw((d, f), 1 / math.sqrt(d))
                layer["w2"] = draw((f, d), 1 / math.sqrt(f))
            elif kind == "abfly":
                for w in ("q", "k", "v", "o"):
                    layer["w" + w] = draw(butterfly_twiddle_shape(d, d),
                                          1 / math.sqrt(2))
                    layer["b" + w] = draw((d,), 0.1)
                layer["w1"] = draw(butterfly_twiddle_shape(d, f),
                                   1 / math.sqrt(2))
                layer["w2"] = draw(butterfly_twiddle_shape(f, d),
                                   1 / math.sqrt(2))
            else:
                layer["w1"] = draw(butterfly_twiddle_shape(d, f),
                                   1 / math.sqrt(2))
                layer["w2"] = draw(butterfly_twiddle_shape(f, d),
                                   1 / math.sqrt(2))
            layer["b1"] = draw((f,), 0.1)
            layer["b2"] = draw((d,), 0.1)
            for ln in ("ln1", "ln2"):
                layer[ln + "_g"] = draw((d,), 0.1, 1.0)
                layer[ln + "_b"] = draw((d,), 0.1)
            self.layers.append(layer)

    @property
    def input_shape(self):
        return (self.batch, self.seq, self.hidden)

    def weight_arrays(self):
        """The weights in the order they appear as arguments."""
        self.materialize()
        return [v for layer in self.layers for k, v in layer.items()
                if k != "kind"]

    def dense_linears(self, layer):
        return layer["kind"] == "attention"

    def linear(self, g, layer, key, x, fin, fout, xt, yt, c):
        """A dense or butterfly linear of `layer` with weight `w<key>`."""
        w, b = c["w" + key], c["b" + key]
        if self.dense_linears(layer):
            return g.emit(f"bfly.linear {x}, {w}, {b} : {xt}, "
                          f"{tensor((fin, fout))}, {tensor((fout,))} -> {yt}")
        return g.emit(f"bfly.butterfly_linear {x}, {w}, {b} "
                      f"{{sparsity = #bfly.sparsity<butterfly>}} : {xt}, "
                      f"{tensor(layer['w' + key].shape)}, {tensor((fout,))}"
                      f" -> {yt}")

    def mlir(self):
        self.materialize(shapes_only=self.weights_as_args)
        b, l, d, h = self.batch, self.seq, self.hidden, self.heads
        dh, f = d // h, self.ffn
        xt, ht, ft = tensor((b, l, d)), tensor((b, h, l, dh)), tensor((b, l, f))
        split = tensor((b, l, h, dh))
        g = Builder(self.weights_as_args)
        x = "%x"
        for layer in self.layers:
            c = {k: g.const(v) for k, v in layer.items() if k != "kind"}
            if layer["kind"] in ("attention", "abfly"):
                heads = {}
                for w in ("q", "k", "v"):
                    p = self.linear(g, layer, w, x, d, d, xt, xt, c)
                    r = g.emit(f"bfly.reshape {p} : {xt} -> {split}")
                    heads[w] = g.emit(f"bfly.transpose {r} [0, 2, 1, 3] : "
                                      f"{split} -> {ht}")
                a = g.emit(f"bfly.attention {heads['q']}, {heads['k']}, "
                           f"{heads['v']} : {ht}, {ht}, {ht} -> {ht}")
                t = g.emit(f"bfly.transpose {a} [0, 2, 1, 3] : {ht} -> {split}")
                m = g.emit(f"bfly.reshape {t} : {split} -> {xt}")
                m = self.linear(g, layer, "o", m, d, d, xt, xt, c)
            else:
                m = g.emit(f"bfly.fourier_mix {x} "
                           f"{{sparsity = #bfly.sparsity<fourier>}} : {xt}")
            s = g.emit(f"bfly.add {x}, {m} : {xt}")
            x1 = g.emit(f"bfly.layernorm {s}, {c['ln1_g']}, {c['ln1_b']} : "
                        f"{xt}, {tensor((d,))}, {tensor((d,))}")
            u = self.linear(g, layer, "1", x1, d, f, xt, ft, c)
            u = g.emit(f"bfly.gelu {u} : {ft}")
            u = self.linear(g, layer, "2", u, f, d, ft, xt, c)
            s = g.emit(f"bfly.add {x1}, {u} : {xt}")
            x = g.emit(f"bfly.layernorm {s}, {c['ln2_g']}, {c['ln2_b']} : "
                       f"{xt}, {tensor((d,))}, {tensor((d,))}")
        runs = []
        for kind in self.kinds:
            if runs and runs[-1][0] == kind:
                runs[-1][1] += 1
            else:
                runs.append([kind, 1])
        kinds = ", ".join(k if n == 1 else f"{n} x {k}" for k, n in runs)
        weights = ("weights are function arguments after %x" if
                   self.weights_as_args else "weights are constants")
        header = (f"// {self.name}: {len(self.layers)} encoder layers "
                  f"({kinds}),\n"
                  f"// batch {b}, sequence {l}, hidden {d}, {h} heads, "
                  f"FFN {f}; {weights}.\n"
                  f"// Generated by examples/generate.py; do not edit.\n")
        args = "".join(f", {name}: {tensor(shape)}" for name, shape in g.args)
        body = "\n".join(g.lines)
        return (f"{header}func.func @main(%x: {xt}{args}) -> {xt} {{\n"
                f"{body}\n  return {x} : {xt}\n}}\n")

    def reference(self, x):
        self.materialize()
        b, l, d, h = self.batch, self.seq, self.hidden, self.heads
        dh = d // h

        def linear(layer, key, value, fout):
            w, bias = layer["w" + key], layer["b" + key]
            if self.dense_linears(layer):
                return value @ w + bias
            return butterfly_linear_ref(value, w, bias, fout)

        for layer in self.layers:
            if layer["kind"] in ("attention", "abfly"):
                def heads(w):
                    p = linear(layer, w, x, d)
                    return p.reshape(b, l, h, dh).transpose(0, 2, 1, 3)
                q, k, v = heads("q"), heads("k"), heads("v")
                scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(dh)
                a = softmax_ref(scores, -1) @ v
                m = linear(layer, "o", a.transpose(0, 2, 1, 3).reshape(b, l, d),
                           d)
            else:
                m = np.real(np.fft.fft(np.fft.fft(x, axis=-1), axis=-2))
            x1 = layernorm_ref(x + m, layer["ln1_g"], layer["ln1_b"])
            u = linear(layer, "2", gelu_ref(linear(layer, "1", x1, self.ffn)),
                       self.hidden)
            x = layernorm_ref(x1 + u, layer["ln2_g"], layer["ln2_b"])
        return x


def lra_hybrid(seq, hidden, seed):
    """FABNet on an LRA task: one ABfly and one FBfly layer, FFN 2d."""
    return HybridEncoder(f"fabnet_lra_l{seq}_d{hidden}", batch=1, seq=seq,
                         hidden=hidden, heads=max(2, hidden // 64),
                         ffn=2 * hidden, kinds=["abfly", "fourier"], seed=seed)


def dense_encoder(name, layers, seq, hidden, heads, ffn, seed):
    """A dense (BERT-like) encoder, input of bfly-hybrid-sparsity; weights are
    arguments so that the file stays small."""
    return HybridEncoder(name, batch=1, seq=seq, hidden=hidden, heads=heads,
                         ffn=ffn, kinds=["attention"] * layers, seed=seed,
                         weights_as_args=True)


MODELS = {
    model.name: model for model in [
        HybridEncoder("tiny_hybrid_encoder", batch=1, seq=16, hidden=32,
                      heads=2, ffn=64, kinds=["attention", "fourier"], seed=1),
        # The tiny encoder's all-dense twin: same shapes, softmax attention
        # and dense linears in every layer (the main job's baseline).
        HybridEncoder("tiny_dense_encoder", batch=1, seq=16, hidden=32,
                      heads=2, ffn=64, kinds=["attention", "attention"],
                      seed=11),
        HybridEncoder("small_fabnet_encoder", batch=2, seq=32, hidden=64,
                      heads=2, ffn=128, kinds=["abfly", "fourier", "fourier"],
                      seed=2),
        lra_hybrid(1024, 64, seed=3),
        lra_hybrid(1024, 128, seed=4),
        lra_hybrid(1024, 256, seed=5),
        lra_hybrid(4096, 256, seed=6),
        dense_encoder("dense_encoder_12l_small", layers=12, seq=64,
                      hidden=64, heads=2, ffn=128, seed=7),
        dense_encoder("dense_lra_l4096_d256", layers=2, seq=4096, hidden=256,
                      heads=4, ffn=512, seed=8),
        dense_encoder("bert_base", layers=12, seq=512, hidden=768, heads=12,
                      ffn=3072, seed=9),
        dense_encoder("bert_large", layers=24, seq=512, hidden=1024,
                      heads=16, ffn=4096, seed=10),
    ]
}


def write_models():
    os.makedirs(os.path.join(HERE, "models"), exist_ok=True)
    for name, model in MODELS.items():
        with open(os.path.join(HERE, "models", name + ".mlir"), "w") as f:
            f.write(model.mlir())


def write_inputs(name, out_dir):
    """in0.npy (the tokens), in1.npy ... (the weights, for models that take
    them as arguments) and expected/out0.npy."""
    model = MODELS[name]
    rng = np.random.default_rng(1234)
    x = rng.standard_normal(model.input_shape).astype(np.float32)
    os.makedirs(os.path.join(out_dir, "expected"), exist_ok=True)
    np.save(os.path.join(out_dir, "in0.npy"), x)
    if model.weights_as_args:
        for index, weight in enumerate(model.weight_arrays(), start=1):
            np.save(os.path.join(out_dir, f"in{index}.npy"),
                    np.ascontiguousarray(weight, dtype=np.float32))
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
