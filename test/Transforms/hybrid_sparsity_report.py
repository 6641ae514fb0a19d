#!/usr/bin/env python3
"""Checks a bfly-hybrid-sparsity JSON report (report=FILE) for the lit tests.

    hybrid_sparsity_report.py REPORT [options]

Always checked: layers are numbered 0..N-1; every layer lists its modelled
alternatives (positive cycles and energy), in the order attention+dense,
attention+butterfly, fourier+dense, fourier+butterfly (the ones the layer can
take); `chosen` is the cost of the alternative the layer realised (its mixer,
with butterfly linears when it has no dense one); the totals are the sums of
the chosen costs and of the first (dense) alternatives, and speedup_vs_dense
is their ratio. Options add:

  --policy P            the report's policy
  --mixers SPEC         one letter per layer: A (attention) or F (fourier)
  --alternatives K      every layer lists exactly K alternatives
  --argmin cycles|energy
                        each layer realised the alternative with the least
                        cycles (energy), among the attention ones for the
                        layers of --keep
  --keep I,J,...        layers that had to keep attention
  --min-speedup X       speedup_vs_dense > X
  --dense-encoder-args  the model is examples/generate.py's dense encoder
                        (16 weight arguments per layer after %x, in the order
                        wq bq wk bk wv bv wo bo w1 w2 b1 b2 ln1_g ln1_b ln2_g
                        ln2_b): every linear that remains (q, k, v, o, w1, w2
                        in attention layers; w1, w2 in Fourier ones) was
                        converted from its argument to the twiddle type of
                        its shape, the signature lists the new types, and the
                        unused inputs are exactly the q/k/v/o weights and
                        biases of the Fourier layers.
Prints "OK <n> layers" or exits 1 with every failure.
"""

import argparse
import json
import math
import sys

ORDER = [("attention", "dense"), ("attention", "butterfly"),
         ("fourier", "dense"), ("fourier", "butterfly")]

failures = []


def check(cond, message):
    if not cond:
        failures.append(message)
    return cond


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def twiddle_type(fin, fout):
    log_n = max(0, math.ceil(math.log2(fin)))
    n = 1 << log_n
    return f"tensor<{-(-fout // n)}x1x{log_n}x{n // 2}x2x2xf32>"


def realised(layer):
    linears = "dense" if layer["dense_linears"] > 0 else "butterfly"
    return (layer["mixer"], linears)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("report")
    p.add_argument("--policy")
    p.add_argument("--mixers")
    p.add_argument("--alternatives", type=int)
    p.add_argument("--argmin", choices=["cycles", "energy"])
    p.add_argument("--keep", default="")
    p.add_argument("--min-speedup", type=float)
    p.add_argument("--dense-encoder-args", action="store_true")
    args = p.parse_args()

    with open(args.report) as f:
        report = json.load(f)
    layers = report["layers"]
    keep = {int(i) for i in args.keep.split(",") if i}

    if args.policy:
        check(report["policy"] == args.policy,
              f"policy {report['policy']!r}, expected {args.policy!r}")
    if args.mixers is not None:
        check(len(layers) == len(args.mixers),
              f"{len(layers)} layers, expected {len(args.mixers)}")

    chosen_cycles = dense_cycles = chosen_energy = dense_energy = 0.0
    for i, layer in enumerate(layers):
        name = f"layer {i}"
        check(layer["index"] == i, f"{name}: index {layer['index']}")
        alts = layer["alternatives"]
        kinds = [(a["mixer"], a["linears"]) for a in alts]
        check(kinds == [k for k in ORDER if k in kinds] and len(kinds) > 0,
              f"{name}: alternatives {kinds}")
        if args.alternatives is not None:
            check(len(alts) == args.alternatives,
                  f"{name}: {len(alts)} alternatives, expected "
                  f"{args.alternatives}")
        for a in alts:
            check(a["cycles"] > 0 and a["energy_pj"] > 0,
                  f"{name}: non-positive cost {a}")
        if args.mixers is not None and i < len(args.mixers):
            want = {"A": "attention", "F": "fourier"}[args.mixers[i]]
            check(layer["mixer"] == want,
                  f"{name}: mixer {layer['mixer']}, expected {want}")
        # `chosen` is the realised alternative's cost.
        mine = [a for a in alts if (a["mixer"], a["linears"]) == realised(layer)]
        if check(len(mine) == 1, f"{name}: realised {realised(layer)} is not "
                                 f"among the alternatives {kinds}"):
            check(close(layer["chosen"]["cycles"], mine[0]["cycles"]) and
                  close(layer["chosen"]["energy_pj"], mine[0]["energy_pj"]),
                  f"{name}: chosen {layer['chosen']} but "
                  f"{realised(layer)} costs {mine[0]}")
        if args.argmin:
            key = "cycles" if args.argmin == "cycles" else "energy_pj"
            allowed = [a for a in alts
                       if i not in keep or a["mixer"] == "attention"]
            best = min(allowed, key=lambda a: a[key])
            check(realised(layer) == (best["mixer"], best["linears"]),
                  f"{name}: realised {realised(layer)}, but the least "
                  f"{args.argmin} is {(best['mixer'], best['linears'])}")
            check(all(layer["chosen"][key] <= a[key] * (1 + 1e-12)
                      for a in allowed),
                  f"{name}: chosen {key} {layer['chosen'][key]} is not the "
                  f"minimum of {[a[key] for a in allowed]}")
        if i in keep:
            check(layer["mixer"] == "attention",
                  f"{name}: must keep attention, has {layer['mixer']}")
        chosen_cycles += layer["chosen"]["cycles"]
        chosen_energy += layer["chosen"]["energy_pj"]
        dense_cycles += alts[0]["cycles"]
        dense_energy += alts[0]["energy_pj"]

    total = report["total"]
    check(close(total["chosen_cycles"], chosen_cycles),
          f"total chosen_cycles {total['chosen_cycles']} != {chosen_cycles}")
    check(close(total["dense_cycles"], dense_cycles),
          f"total dense_cycles {total['dense_cycles']} != {dense_cycles}")
    check(close(total["chosen_energy_pj"], chosen_energy),
          f"total chosen_energy_pj {total['chosen_energy_pj']} != "
          f"{chosen_energy}")
    check(close(total["dense_energy_pj"], dense_energy),
          f"total dense_energy_pj {total['dense_energy_pj']} != "
          f"{dense_energy}")
    check(close(total["speedup_vs_dense"], dense_cycles / chosen_cycles),
          f"speedup_vs_dense {total['speedup_vs_dense']} != "
          f"{dense_cycles / chosen_cycles}")
    if args.min_speedup is not None:
        check(total["speedup_vs_dense"] > args.min_speedup,
              f"speedup_vs_dense {total['speedup_vs_dense']} <= "
              f"{args.min_speedup}")

    if args.dense_encoder_args:
        signature = report["signatures"][0]
        inputs = signature["inputs"]
        unused = []
        for i, layer in enumerate(layers):
            name = f"layer {i}"
            base = 1 + 16 * i
            # (argument, in, out) of the linears that remain.
            ffn = [(base + 8, None, None), (base + 9, None, None)]
            qkvo = [(base + 2 * j, None, None) for j in range(4)]
            want = (qkvo if layer["mixer"] == "attention" else []) + ffn
            if layer["mixer"] == "fourier":
                unused += list(range(base, base + 8))
            got = layer["linears"]
            check([l.get("argument") for l in got] == [a for a, _, _ in want],
                  f"{name}: converted arguments "
                  f"{[l.get('argument') for l in got]}, expected "
                  f"{[a for a, _, _ in want]}")
            check(layer["butterfly_linears"] == len(want) and
                  layer["dense_linears"] == 0,
                  f"{name}: {layer['butterfly_linears']} butterfly, "
                  f"{layer['dense_linears']} dense linears")
            for l in got:
                ok = l["converted"] and l["weight"] == "argument"
                check(ok, f"{name}: not converted from an argument: {l}")
                expected = twiddle_type(l["in_features"], l["out_features"])
                check(l.get("new_type") == expected,
                      f"{name}: new_type {l.get('new_type')}, expected "
                      f"{expected}")
                arg = l.get("argument")
                if arg is not None and arg < len(inputs):
                    check(inputs[arg] == expected,
                          f"{name}: signature input {arg} is {inputs[arg]}, "
                          f"expected {expected}")
        check(signature["unused_inputs"] == unused,
              f"unused_inputs {signature['unused_inputs']}, expected {unused}")

    if failures:
        print("\n".join(failures))
        sys.exit(1)
    print(f"OK {len(layers)} layers")


if __name__ == "__main__":
    main()
