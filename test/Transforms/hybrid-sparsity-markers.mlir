// RUN: rm -rf %t && mkdir -p %t
// RUN: butterfly-opt %s --bfly-hybrid-sparsity="policy=dense report=%t/dense.json" \
// RUN:   --mlir-print-op-on-diagnostic=false -o /dev/null 2> %t/dense.remarks
// RUN: FileCheck %s --check-prefix=DENSE < %t/dense.remarks
// RUN: butterfly-opt %s --bfly-hybrid-sparsity="policy=fabnet attention-layers=1 layout=bottom report=%t/fabnet.json" \
// RUN:   --mlir-print-op-on-diagnostic=false -o %t/fabnet.mlir 2> %t/fabnet.remarks
// RUN: FileCheck %s --check-prefix=FABNET < %t/fabnet.remarks
// RUN: FileCheck %s --check-prefix=IR < %t/fabnet.mlir
// RUN: %python -c "import json, sys; \
// RUN:   layers = json.load(open(sys.argv[1]))['layers']; \
// RUN:   lines = [sorted(int(l['location'].split(':')[-2]) for l in layer['linears']) for layer in layers]; \
// RUN:   print('lines', lines)" %t/fabnet.json | FileCheck %s --check-prefix=JSON

// Layers follow `bfly.layer = N` markers when a function has them, not program
// order. Two attention blocks read the same %x (two towers); tower 0's FFN
// linear comes after tower 1's attention in program order, so grouping by
// program order would give tower 1 five linears and tower 0 four. With the
// markers tower 0 (marked 0) has q, k, v, o and its FFN linear, and tower 1
// (marked 1) has q, k, v, o. Layers are numbered by marker, so layout=bottom
// keeps tower 0's attention.

// DENSE: remark: layer 0: attention mixing, 0 butterfly and 5 dense linears (policy=dense)
// DENSE: remark: layer 1: attention mixing, 0 butterfly and 4 dense linears (policy=dense)

// FABNET: remark: layer 0: attention mixing, 5 butterfly and 0 dense linears (policy=fabnet keeps attention here (ABfly))
// FABNET: remark: layer 1: fourier mixing, 0 butterfly and 0 dense linears (policy=fabnet (FBfly))

// The report lists each converted linear under its marked layer (by source
// line): tower 0's q, k, v, o and FFN (line 62) in layer 0; tower 1's block
// became Fourier mixing, so layer 1 converted none.
// JSON: lines {{\[}}[42, 43, 44, 57, 62], []]

// Converted ops keep their marker (the Fourier mixing takes the attention's).
// IR-DAG: bfly.butterfly_linear %arg0, %arg1 {bfly.layer = 0 : i64, sparsity = #bfly.sparsity<butterfly>}
// IR-DAG: bfly.attention {{.*}} {bfly.layer = 0 : i64, sparsity = #bfly.sparsity<dense>}
// IR-DAG: bfly.fourier_mix %arg0 {bfly.layer = 1 : i64, sparsity = #bfly.sparsity<fourier>}
// IR-DAG: bfly.butterfly_linear %{{.*}}, %arg9 {bfly.layer = 0 : i64, sparsity = #bfly.sparsity<butterfly>}
func.func @main(%x: tensor<1x8x16xf32>,
                %wq0: tensor<16x16xf32>, %wk0: tensor<16x16xf32>, %wv0: tensor<16x16xf32>, %wo0: tensor<16x16xf32>,
                %wq1: tensor<16x16xf32>, %wk1: tensor<16x16xf32>, %wv1: tensor<16x16xf32>, %wo1: tensor<16x16xf32>,
                %wf0: tensor<16x16xf32>) -> tensor<1x8x16xf32> {
  %q0 = bfly.linear %x, %wq0 {bfly.layer = 0 : i64} : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %k0 = bfly.linear %x, %wk0 {bfly.layer = 0 : i64} : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %v0 = bfly.linear %x, %wv0 {bfly.layer = 0 : i64} : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %qh0 = bfly.reshape %q0 : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %kh0 = bfly.reshape %k0 : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %vh0 = bfly.reshape %v0 : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %a0 = bfly.attention %qh0, %kh0, %vh0 {bfly.layer = 0 : i64} : tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32> -> tensor<1x1x8x16xf32>
  %q1 = bfly.linear %x, %wq1 {bfly.layer = 1 : i64} : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %k1 = bfly.linear %x, %wk1 {bfly.layer = 1 : i64} : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %v1 = bfly.linear %x, %wv1 {bfly.layer = 1 : i64} : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %qh1 = bfly.reshape %q1 : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %kh1 = bfly.reshape %k1 : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %vh1 = bfly.reshape %v1 : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %a1 = bfly.attention %qh1, %kh1, %vh1 {bfly.layer = 1 : i64} : tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32> -> tensor<1x1x8x16xf32>
  %m0 = bfly.reshape %a0 : tensor<1x1x8x16xf32> -> tensor<1x8x16xf32>
  %o0 = bfly.linear %m0, %wo0 {bfly.layer = 0 : i64} : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %m1 = bfly.reshape %a1 : tensor<1x1x8x16xf32> -> tensor<1x8x16xf32>
  %o1 = bfly.linear %m1, %wo1 {bfly.layer = 1 : i64} : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %r0 = bfly.add %x, %o0 : tensor<1x8x16xf32>
  %r1 = bfly.add %x, %o1 : tensor<1x8x16xf32>
  %f0 = bfly.linear %r0, %wf0 {bfly.layer = 0 : i64} : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %s = bfly.add %f0, %r1 : tensor<1x8x16xf32>
  return %s : tensor<1x8x16xf32>
}
