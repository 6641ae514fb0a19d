// Inconsistent `bfly.layer` markers are diagnosed or handled, never a crash:
// each case must end in a remark or an error, with no stack dump.
// RUN: rm -rf %t && mkdir -p %t && split-file %s %t

// A marker (5) on a linear whose group has no token mixer: an error at that
// linear.
// RUN: not butterfly-opt %t/mixerless.mlir --bfly-hybrid-sparsity=policy=fabnet \
// RUN:   --mlir-print-op-on-diagnostic=false > %t/mixerless.log 2>&1
// RUN: FileCheck %s --check-prefix=MIXERLESS --input-file=%t/mixerless.log \
// RUN:   --implicit-check-not="Stack dump" --implicit-check-not="PLEASE submit" \
// RUN:   --implicit-check-not=remark
// MIXERLESS: mixerless.mlir:2:8: error: bfly-hybrid-sparsity: bfly.layer = 5 marks linears but no attention or fourier_mix{{$}}

// The q projection of layer 0's attention is marked layer 1. Markers are
// authoritative: q stays in layer 1 and is listed (and converted) once, in
// layer 1; layer 0 has k, v and o. The attention keeps the layer it is
// marked with, but cannot become Fourier mixing without its q projection.
// RUN: butterfly-opt %t/elsewhere.mlir \
// RUN:   --bfly-hybrid-sparsity="policy=fabnet attention-layers=1 layout=bottom report=%t/elsewhere.json" \
// RUN:   --mlir-print-op-on-diagnostic=false -o %t/elsewhere.out.mlir > %t/elsewhere.log 2>&1
// RUN: FileCheck %s --check-prefix=ELSEWHERE --input-file=%t/elsewhere.log \
// RUN:   --implicit-check-not="Stack dump" --implicit-check-not="PLEASE submit" \
// RUN:   --implicit-check-not=error
// ELSEWHERE: elsewhere.mlir:8:8: remark: layer 0: attention mixing, 3 butterfly and 0 dense linears (policy=fabnet keeps attention here (ABfly))
// ELSEWHERE: elsewhere.mlir:12:8: remark: layer 1: fourier mixing, 2 butterfly and 0 dense linears (policy=fabnet (FBfly))
// RUN: %python -c "import json, sys; \
// RUN:   layers = json.load(open(sys.argv[1]))['layers']; \
// RUN:   locs = [l['location'] for layer in layers for l in layer['linears']]; \
// RUN:   assert len(locs) == len(set(locs)), locs; print('distinct', len(locs)); \
// RUN:   print('lines', [[int(l['location'].split(':')[-2]) for l in layer['linears']] for layer in layers])" \
// RUN:   %t/elsewhere.json | FileCheck %s --check-prefix=DISTINCT
// DISTINCT: distinct 5
// DISTINCT-NEXT: lines {{\[}}[3, 4, 10], [2, 14]]
// RUN: FileCheck %s --check-prefix=ELSEWHERE-IR --input-file=%t/elsewhere.out.mlir
// ELSEWHERE-IR: bfly.butterfly_linear %arg0, %arg1 {bfly.layer = 1 : i64, sparsity = #bfly.sparsity<butterfly>}
// ELSEWHERE-IR: bfly.butterfly_linear %arg0, %arg2 {bfly.layer = 0 : i64, sparsity = #bfly.sparsity<butterfly>}
// ELSEWHERE-IR: bfly.attention {{.*}} {bfly.layer = 0 : i64, sparsity = #bfly.sparsity<dense>}
// With no layer asked to keep attention, layer 0 still cannot become Fourier
// mixing, and says why.
// RUN: butterfly-opt %t/elsewhere.mlir \
// RUN:   --bfly-hybrid-sparsity="policy=fabnet attention-layers=0" \
// RUN:   --mlir-print-op-on-diagnostic=false -o /dev/null 2>&1 | FileCheck %s --check-prefix=ELSEWHERE0
// ELSEWHERE0: remark: layer 0: attention mixing, 3 butterfly and 0 dense linears (policy=fabnet (FBfly); attention kept: a projection belongs to another layer); modelled cycles/energy: attention+dense {{[^ /]+/[^ ]+}} pJ attention+butterfly {{[^ /]+/[^ ]+}} pJ; chosen
// ELSEWHERE0: remark: layer 1: fourier mixing, 2 butterfly and 0 dense linears (policy=fabnet (FBfly))

// A marker (3) on an op that is neither a mixer nor a linear (the residual
// add): no layer 3 to diagnose, and certainly no crash.
// RUN: butterfly-opt %t/other-op.mlir --bfly-hybrid-sparsity=policy=fabnet \
// RUN:   --mlir-print-op-on-diagnostic=false > %t/other-op.log 2>&1 || true
// RUN: FileCheck %s --input-file=%t/other-op.log --implicit-check-not="Stack dump" \
// RUN:   --implicit-check-not="PLEASE submit"

// CHECK: {{error|remark}}:

//--- mixerless.mlir
func.func @mixerless_group(%x: tensor<1x8x16xf32>, %wq: tensor<16x16xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x16xf32>, %wo: tensor<16x16xf32>, %w1: tensor<16x16xf32>) -> tensor<1x8x16xf32> {
  %e = bfly.linear %x, %w1 {bfly.layer = 5 : i64} : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %q = bfly.linear %e, %wq {bfly.layer = 0 : i64} : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %k = bfly.linear %e, %wk {bfly.layer = 0 : i64} : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %v = bfly.linear %e, %wv {bfly.layer = 0 : i64} : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %qh = bfly.reshape %q : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %kh = bfly.reshape %k : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %vh = bfly.reshape %v : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %a = bfly.attention %qh, %kh, %vh {bfly.layer = 0 : i64} : tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32> -> tensor<1x1x8x16xf32>
  %m = bfly.reshape %a : tensor<1x1x8x16xf32> -> tensor<1x8x16xf32>
  %o = bfly.linear %m, %wo {bfly.layer = 0 : i64} : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %r = bfly.add %e, %o : tensor<1x8x16xf32>
  return %r : tensor<1x8x16xf32>
}

//--- other-op.mlir
func.func @marker_on_add(%x: tensor<1x8x16xf32>, %wq: tensor<16x16xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x16xf32>, %wo: tensor<16x16xf32>) -> tensor<1x8x16xf32> {
  %q = bfly.linear %x, %wq {bfly.layer = 0 : i64} : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %k = bfly.linear %x, %wk {bfly.layer = 0 : i64} : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %v = bfly.linear %x, %wv {bfly.layer = 0 : i64} : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %qh = bfly.reshape %q : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %kh = bfly.reshape %k : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %vh = bfly.reshape %v : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %a = bfly.attention %qh, %kh, %vh {bfly.layer = 0 : i64} : tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32> -> tensor<1x1x8x16xf32>
  %m = bfly.reshape %a : tensor<1x1x8x16xf32> -> tensor<1x8x16xf32>
  %o = bfly.linear %m, %wo {bfly.layer = 0 : i64} : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %r = bfly.add %x, %o {bfly.layer = 3 : i64} : tensor<1x8x16xf32>
  return %r : tensor<1x8x16xf32>
}

//--- elsewhere.mlir
func.func @projection_marked_elsewhere(%x: tensor<1x8x16xf32>, %wq: tensor<16x16xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x16xf32>, %wo: tensor<16x16xf32>, %w1: tensor<16x16xf32>) -> tensor<1x8x16xf32> {
  %q = bfly.linear %x, %wq {bfly.layer = 1 : i64} : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %k = bfly.linear %x, %wk {bfly.layer = 0 : i64} : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %v = bfly.linear %x, %wv {bfly.layer = 0 : i64} : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %qh = bfly.reshape %q : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %kh = bfly.reshape %k : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %vh = bfly.reshape %v : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %a = bfly.attention %qh, %kh, %vh {bfly.layer = 0 : i64} : tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32> -> tensor<1x1x8x16xf32>
  %m = bfly.reshape %a : tensor<1x1x8x16xf32> -> tensor<1x8x16xf32>
  %o = bfly.linear %m, %wo {bfly.layer = 0 : i64} : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %r = bfly.add %x, %o : tensor<1x8x16xf32>
  %f = bfly.fourier_mix %r {bfly.layer = 1 : i64} : tensor<1x8x16xf32>
  %r2 = bfly.add %r, %f : tensor<1x8x16xf32>
  %u = bfly.linear %r2, %w1 {bfly.layer = 1 : i64} : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  return %u : tensor<1x8x16xf32>
}
