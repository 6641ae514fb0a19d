#!/usr/bin/env python3
"""Writes a one-layer encoder whose linear weights are dense CONSTANTS, and an
input for it, for the bfly-hybrid-sparsity exactness tests.

    hybrid_sparsity_model.py butterfly|random OUT_DIR

`butterfly`: every weight [in, out] is exactly a butterfly linear (torch_butterfly
semantics, increasing strides, one block): the dense matrix of random twiddles
built as the product of explicit dense n x n factors, stacks concatenated,
the first `out` columns kept. Shapes cover in == out == n (16x16, q/k/v/o),
two stacks (16x32) and a truncated single stack (32x16). Every linear is
marked #bfly.sparsity<butterfly>; the attention is left unmarked.
`random`: the same model with standard normal weights (not butterflies).
Writes OUT_DIR/model.mlir and OUT_DIR/in0.npy.
"""

import math
import os
import sys

import numpy as np

# The examples' generator holds the dense products of butterfly factors.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "examples"))
from generate import butterfly_dense, hex_constant  # noqa: E402

B, L, D, H, F = 1, 16, 16, 2, 32


def butterfly_weight(rng, fin, fout):
    log_n = math.ceil(math.log2(fin))
    n = 1 << log_n
    stacks = -(-fout // n)
    tw = rng.standard_normal((stacks, 1, log_n, n // 2, 2, 2)) / math.sqrt(2)
    # y = pad(x) @ M.T per stack, stacks concatenated: W = [M_0.T | M_1.T ...]
    w = np.concatenate([m.T for m in butterfly_dense(tw)], axis=1)
    return w[:fin, :fout]


def t(*shape):
    return "tensor<" + "x".join(str(d) for d in shape) + "xf32>"


def main(kind, out_dir):
    rng = np.random.default_rng(2024 if kind == "butterfly" else 7)

    def weight(fin, fout):
        if kind == "butterfly":
            return butterfly_weight(rng, fin, fout)
        return rng.standard_normal((fin, fout))

    lines = []
    mark = "{sparsity = #bfly.sparsity<butterfly>}"
    xt, st, ht = t(B, L, D), t(B, L, H, D // H), t(B, H, L, D // H)

    def linear(name, x, fin, fout, xt_in, xt_out):
        lines.append(f"  %{name}_w = {hex_constant(weight(fin, fout))}")
        lines.append(f"  %{name}_b = "
                     f"{hex_constant(0.1 * rng.standard_normal(fout))}")
        lines.append(f"  %{name} = bfly.linear {x}, %{name}_w, %{name}_b "
                     f"{mark} : {xt_in}, {t(fin, fout)}, {t(fout)} -> "
                     f"{xt_out}")
        return f"%{name}"

    heads = {}
    for w in "qkv":
        p = linear(w, "%x", D, D, xt, xt)
        lines.append(f"  %{w}r = bfly.reshape {p} : {xt} -> {st}")
        lines.append(f"  %{w}h = bfly.transpose %{w}r [0, 2, 1, 3] : "
                     f"{st} -> {ht}")
        heads[w] = f"%{w}h"
    lines.append(f"  %a = bfly.attention %qh, %kh, %vh : {ht}, {ht}, {ht} "
                 f"-> {ht}")
    lines.append(f"  %at = bfly.transpose %a [0, 2, 1, 3] : {ht} -> {st}")
    lines.append(f"  %am = bfly.reshape %at : {st} -> {xt}")
    o = linear("o", "%am", D, D, xt, xt)
    lines.append(f"  %s1 = bfly.add %x, {o} : {xt}")
    u = linear("f1", "%s1", D, F, xt, t(B, L, F))
    lines.append(f"  %g = bfly.gelu {u} : {t(B, L, F)}")
    u = linear("f2", "%g", F, D, t(B, L, F), xt)
    lines.append(f"  %s2 = bfly.add %s1, {u} : {xt}")
    body = "\n".join(lines)
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "model.mlir"), "w") as f:
        f.write(f"func.func @main(%x: {xt}) -> {xt} {{\n{body}\n"
                f"  return %s2 : {xt}\n}}\n")
    x = np.random.default_rng(99).standard_normal((B, L, D))
    np.save(os.path.join(out_dir, "in0.npy"), x.astype(np.float32))


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("butterfly", "random"):
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
