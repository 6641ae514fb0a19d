// Inconsistent `bfly.layer` markers are diagnosed or handled, never a crash:
// each case must end in a remark or an error, with no stack dump.
// RUN: rm -rf %t && mkdir -p %t && split-file %s %t

// A marker (5) on a linear whose group has no token mixer.
// RUN: butterfly-opt %t/mixerless.mlir --bfly-hybrid-sparsity=policy=fabnet \
// RUN:   --mlir-print-op-on-diagnostic=false > %t/mixerless.log 2>&1 || true
// RUN: FileCheck %s --input-file=%t/mixerless.log --implicit-check-not="Stack dump" \
// RUN:   --implicit-check-not="PLEASE submit"

// The q projection of layer 0's attention is marked layer 1. It must end up
// in one layer only; the report must not list a linear twice. (Currently it
// is in both layers and converted twice, the second time after it was
// erased.)
// RUN: butterfly-opt %t/elsewhere.mlir \
// RUN:   --bfly-hybrid-sparsity="policy=fabnet attention-layers=1 layout=bottom report=%t/elsewhere.json" \
// RUN:   --mlir-print-op-on-diagnostic=false > %t/elsewhere.log 2>&1 || true
// RUN: FileCheck %s --input-file=%t/elsewhere.log --implicit-check-not="Stack dump" \
// RUN:   --implicit-check-not="PLEASE submit"
// RUN: %python -c "import json, sys; \
// RUN:   layers = json.load(open(sys.argv[1]))['layers']; \
// RUN:   locs = [l['location'] for layer in layers for l in layer['linears']]; \
// RUN:   assert len(locs) == len(set(locs)), locs; print('distinct', len(locs))" \
// RUN:   %t/elsewhere.json | FileCheck %s --check-prefix=DISTINCT
// CHECK: {{error|remark}}:
// DISTINCT: distinct 5

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
