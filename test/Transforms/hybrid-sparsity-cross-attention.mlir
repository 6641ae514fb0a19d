// RUN: butterfly-opt %s --bfly-hybrid-sparsity="policy=fabnet attention-layers=0" \
// RUN:   --mlir-print-op-on-diagnostic=false -o %t.mlir 2> %t.remarks
// RUN: FileCheck %s --check-prefix=REMARK < %t.remarks
// RUN: FileCheck %s --implicit-check-not=bfly.linear < %t.mlir

// Cross-attention (q projects %x, k and v project %y) cannot become Fourier
// mixing, so under policy=fabnet it stays attention, but its q, k, v
// projections are still its linears: like the output projection they become
// butterfly ("every linear becomes butterfly") and are counted in the layer.
// The second layer checks that they are not counted in another layer either.

// REMARK: remark: layer 0: fourier mixing, 0 butterfly and 0 dense linears (policy=fabnet (FBfly))
// REMARK: remark: layer 1: attention mixing, 4 butterfly and 0 dense linears (policy=fabnet (FBfly); attention kept: q, k and v project different inputs (cross-attention))

// CHECK-LABEL: func.func @main
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x8x16xf32>, %[[Y:[^:]+]]: tensor<1x4x16xf32>,
// CHECK: bfly.fourier_mix %[[X]]
// CHECK: bfly.butterfly_linear %{{.*}}, %{{.*}} {sparsity = #bfly.sparsity<butterfly>} : tensor<1x8x16xf32>, tensor<1x1x4x8x2x2xf32>
// CHECK: bfly.butterfly_linear %[[Y]], %{{.*}} {sparsity = #bfly.sparsity<butterfly>} : tensor<1x4x16xf32>, tensor<1x1x4x8x2x2xf32>
// CHECK: bfly.butterfly_linear %[[Y]], %{{.*}} {sparsity = #bfly.sparsity<butterfly>} : tensor<1x4x16xf32>, tensor<1x1x4x8x2x2xf32>
// CHECK: bfly.attention {{.*}} {sparsity = #bfly.sparsity<dense>}
// CHECK: bfly.butterfly_linear {{.*}} {sparsity = #bfly.sparsity<butterfly>}
// CHECK: return
func.func @main(%x: tensor<1x8x16xf32>, %y: tensor<1x4x16xf32>,
                %wq0: tensor<16x16xf32>, %wk0: tensor<16x16xf32>, %wv0: tensor<16x16xf32>, %wo0: tensor<16x16xf32>,
                %wq: tensor<16x16xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x16xf32>, %wo: tensor<16x16xf32>) -> tensor<1x8x16xf32> {
  // Layer 0: self-attention, replaceable.
  %q0 = bfly.linear %x, %wq0 : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %k0 = bfly.linear %x, %wk0 : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %v0 = bfly.linear %x, %wv0 : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %qh0 = bfly.reshape %q0 : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %kh0 = bfly.reshape %k0 : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %vh0 = bfly.reshape %v0 : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %a0 = bfly.attention %qh0, %kh0, %vh0 : tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32> -> tensor<1x1x8x16xf32>
  %m0 = bfly.reshape %a0 : tensor<1x1x8x16xf32> -> tensor<1x8x16xf32>
  %o0 = bfly.linear %m0, %wo0 : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %r0 = bfly.add %x, %o0 : tensor<1x8x16xf32>
  // Layer 1: cross-attention from %r0 to %y.
  %q = bfly.linear %r0, %wq : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %k = bfly.linear %y, %wk : tensor<1x4x16xf32>, tensor<16x16xf32> -> tensor<1x4x16xf32>
  %v = bfly.linear %y, %wv : tensor<1x4x16xf32>, tensor<16x16xf32> -> tensor<1x4x16xf32>
  %qh = bfly.reshape %q : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %kh = bfly.reshape %k : tensor<1x4x16xf32> -> tensor<1x1x4x16xf32>
  %vh = bfly.reshape %v : tensor<1x4x16xf32> -> tensor<1x1x4x16xf32>
  %a = bfly.attention %qh, %kh, %vh : tensor<1x1x8x16xf32>, tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32> -> tensor<1x1x8x16xf32>
  %m = bfly.reshape %a : tensor<1x1x8x16xf32> -> tensor<1x8x16xf32>
  %o = bfly.linear %m, %wo : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %r = bfly.add %r0, %o : tensor<1x8x16xf32>
  return %r : tensor<1x8x16xf32>
}
