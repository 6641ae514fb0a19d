// RUN: butterfly-opt %s --bfly-hybrid-sparsity=policy=manual \
// RUN:   --mlir-print-op-on-diagnostic=false -o %t.mlir 2> %t.remarks
// RUN: FileCheck %s < %t.mlir
// RUN: FileCheck %s --check-prefix=REMARK < %t.remarks

// policy=manual realises exactly the #bfly.sparsity marks already on the ops:
// layer 0's attention is marked fourier (the whole q/k/v/attention/o block
// becomes fourier_mix of %x) and its first FFN linear butterfly; in layer 1
// only the q projection is marked butterfly. Everything else stays dense.

// REMARK: remark: layer 0: fourier mixing, 1 butterfly and 1 dense linears (policy=manual)
// REMARK: remark: layer 1: attention mixing, 1 butterfly and 5 dense linears (policy=manual)
// REMARK-NOT: remark

// CHECK-LABEL: func.func @main(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x8x16xf32>, %[[WQ0:[^:]+]]: tensor<16x16xf32>, %[[WK0:[^:]+]]: tensor<16x16xf32>, %[[WV0:[^:]+]]: tensor<16x16xf32>, %[[WO0:[^:]+]]: tensor<16x16xf32>,
// CHECK-SAME: %[[W10:[^:]+]]: tensor<2x1x4x8x2x2xf32>, %[[W20:[^:]+]]: tensor<32x16xf32>,
// CHECK-SAME: %[[WQ1:[^:]+]]: tensor<1x1x4x8x2x2xf32>, %[[WK1:[^:]+]]: tensor<16x16xf32>, %[[WV1:[^:]+]]: tensor<16x16xf32>, %[[WO1:[^:]+]]: tensor<16x16xf32>,
// CHECK-SAME: %[[W11:[^:]+]]: tensor<16x32xf32>, %[[W21:[^:]+]]: tensor<32x16xf32>)
// CHECK-NEXT: %[[F:.*]] = bfly.fourier_mix %[[X]] {sparsity = #bfly.sparsity<fourier>} : tensor<1x8x16xf32>
// CHECK-NEXT: %[[R:.*]] = bfly.add %[[X]], %[[F]]
// CHECK-NEXT: %[[U:.*]] = bfly.butterfly_linear %[[R]], %[[W10]] {sparsity = #bfly.sparsity<butterfly>} : tensor<1x8x16xf32>, tensor<2x1x4x8x2x2xf32> -> tensor<1x8x32xf32>
// CHECK-NEXT: %[[G:.*]] = bfly.gelu %[[U]]
// CHECK-NEXT: %[[D:.*]] = bfly.linear %[[G]], %[[W20]] {sparsity = #bfly.sparsity<dense>}
// CHECK-NEXT: %[[S:.*]] = bfly.add %[[R]], %[[D]]
// CHECK-NEXT: %[[Q:.*]] = bfly.butterfly_linear %[[S]], %[[WQ1]] {sparsity = #bfly.sparsity<butterfly>} : tensor<1x8x16xf32>, tensor<1x1x4x8x2x2xf32> -> tensor<1x8x16xf32>
// CHECK-NEXT: %[[K:.*]] = bfly.linear %[[S]], %[[WK1]] {sparsity = #bfly.sparsity<dense>}
// CHECK-NEXT: %[[V:.*]] = bfly.linear %[[S]], %[[WV1]] {sparsity = #bfly.sparsity<dense>}
// CHECK-NEXT: %[[QH:.*]] = bfly.reshape %[[Q]]
// CHECK-NEXT: %[[KH:.*]] = bfly.reshape %[[K]]
// CHECK-NEXT: %[[VH:.*]] = bfly.reshape %[[V]]
// CHECK-NEXT: %[[A:.*]] = bfly.attention %[[QH]], %[[KH]], %[[VH]] {sparsity = #bfly.sparsity<dense>}
// CHECK-NEXT: %[[M:.*]] = bfly.reshape %[[A]]
// CHECK-NEXT: %[[O:.*]] = bfly.linear %[[M]], %[[WO1]] {sparsity = #bfly.sparsity<dense>}
// CHECK-NEXT: %[[R1:.*]] = bfly.add %[[S]], %[[O]]
// CHECK-NEXT: %[[U1:.*]] = bfly.linear %[[R1]], %[[W11]] {sparsity = #bfly.sparsity<dense>}
// CHECK-NEXT: %[[G1:.*]] = bfly.gelu %[[U1]]
// CHECK-NEXT: %[[D1:.*]] = bfly.linear %[[G1]], %[[W21]] {sparsity = #bfly.sparsity<dense>}
// CHECK-NEXT: %[[S1:.*]] = bfly.add %[[R1]], %[[D1]]
// CHECK-NEXT: return %[[S1]]
func.func @main(%x: tensor<1x8x16xf32>,
                %wq0: tensor<16x16xf32>, %wk0: tensor<16x16xf32>, %wv0: tensor<16x16xf32>, %wo0: tensor<16x16xf32>,
                %w10: tensor<16x32xf32>, %w20: tensor<32x16xf32>,
                %wq1: tensor<16x16xf32>, %wk1: tensor<16x16xf32>, %wv1: tensor<16x16xf32>, %wo1: tensor<16x16xf32>,
                %w11: tensor<16x32xf32>, %w21: tensor<32x16xf32>) -> tensor<1x8x16xf32> {
  %q0 = bfly.linear %x, %wq0 : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %k0 = bfly.linear %x, %wk0 : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %v0 = bfly.linear %x, %wv0 : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %qh0 = bfly.reshape %q0 : tensor<1x8x16xf32> -> tensor<1x8x2x8xf32>
  %qt0 = bfly.transpose %qh0 [0, 2, 1, 3] : tensor<1x8x2x8xf32> -> tensor<1x2x8x8xf32>
  %kh0 = bfly.reshape %k0 : tensor<1x8x16xf32> -> tensor<1x8x2x8xf32>
  %kt0 = bfly.transpose %kh0 [0, 2, 1, 3] : tensor<1x8x2x8xf32> -> tensor<1x2x8x8xf32>
  %vh0 = bfly.reshape %v0 : tensor<1x8x16xf32> -> tensor<1x8x2x8xf32>
  %vt0 = bfly.transpose %vh0 [0, 2, 1, 3] : tensor<1x8x2x8xf32> -> tensor<1x2x8x8xf32>
  %a0 = bfly.attention %qt0, %kt0, %vt0 {sparsity = #bfly.sparsity<fourier>} : tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32> -> tensor<1x2x8x8xf32>
  %at0 = bfly.transpose %a0 [0, 2, 1, 3] : tensor<1x2x8x8xf32> -> tensor<1x8x2x8xf32>
  %m0 = bfly.reshape %at0 : tensor<1x8x2x8xf32> -> tensor<1x8x16xf32>
  %o0 = bfly.linear %m0, %wo0 : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %r0 = bfly.add %x, %o0 : tensor<1x8x16xf32>
  %u0 = bfly.linear %r0, %w10 {sparsity = #bfly.sparsity<butterfly>} : tensor<1x8x16xf32>, tensor<16x32xf32> -> tensor<1x8x32xf32>
  %g0 = bfly.gelu %u0 : tensor<1x8x32xf32>
  %d0 = bfly.linear %g0, %w20 : tensor<1x8x32xf32>, tensor<32x16xf32> -> tensor<1x8x16xf32>
  %s0 = bfly.add %r0, %d0 : tensor<1x8x16xf32>

  %q1 = bfly.linear %s0, %wq1 {sparsity = #bfly.sparsity<butterfly>} : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %k1 = bfly.linear %s0, %wk1 : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %v1 = bfly.linear %s0, %wv1 : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %qh1 = bfly.reshape %q1 : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %kh1 = bfly.reshape %k1 : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %vh1 = bfly.reshape %v1 : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %a1 = bfly.attention %qh1, %kh1, %vh1 : tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32> -> tensor<1x1x8x16xf32>
  %m1 = bfly.reshape %a1 : tensor<1x1x8x16xf32> -> tensor<1x8x16xf32>
  %o1 = bfly.linear %m1, %wo1 : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %r1 = bfly.add %s0, %o1 : tensor<1x8x16xf32>
  %u1 = bfly.linear %r1, %w11 : tensor<1x8x16xf32>, tensor<16x32xf32> -> tensor<1x8x32xf32>
  %g1 = bfly.gelu %u1 : tensor<1x8x32xf32>
  %d1 = bfly.linear %g1, %w21 : tensor<1x8x32xf32>, tensor<32x16xf32> -> tensor<1x8x16xf32>
  %s1 = bfly.add %r1, %d1 : tensor<1x8x16xf32>
  return %s1 : tensor<1x8x16xf32>
}
