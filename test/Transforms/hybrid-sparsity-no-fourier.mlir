// RUN: butterfly-opt %s --split-input-file \
// RUN:   --bfly-hybrid-sparsity="policy=fabnet attention-layers=0" \
// RUN:   --mlir-print-op-on-diagnostic=false -o %t.mlir 2> %t.remarks
// RUN: FileCheck %s --check-prefix=REMARK < %t.remarks
// RUN: FileCheck %s < %t.mlir
// RUN: butterfly-opt %s --split-input-file --bfly-hybrid-sparsity=policy=cost \
// RUN:   --mlir-print-op-on-diagnostic=false -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=COST

// Attention that has no Fourier equivalent stays attention even where
// policy=fabnet (attention-layers=0) asks for Fourier mixing everywhere; the
// remark says why, the linears still become butterfly, and policy=cost only
// weighs the attention alternatives.

// Causal attention.
// REMARK: remark: layer 0: attention mixing, 4 butterfly and 0 dense linears (policy=fabnet (FBfly); attention kept: masked or causal attention has no Fourier equivalent); modelled cycles/energy: attention+dense {{[^ /]+/[^ ]+}} pJ attention+butterfly [[AB:[^ /]+]]/[[ABE:[^ ]+]] pJ; chosen [[AB]]/[[ABE]] pJ{{$}}
// COST: remark: layer 0: attention mixing, {{.*}}; modelled cycles/energy: attention+dense {{[^ /]+/[^ ]+}} pJ attention+butterfly {{[^ /]+/[^ ]+}} pJ; chosen
// CHECK-LABEL: func.func @causal
// CHECK-NOT: bfly.fourier_mix
// CHECK: bfly.attention {{.*}} {causal, sparsity = #bfly.sparsity<dense>}
// CHECK-NOT: bfly.linear
// CHECK: return
func.func @causal(%x: tensor<1x8x16xf32>, %wq: tensor<16x16xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x16xf32>, %wo: tensor<16x16xf32>) -> tensor<1x8x16xf32> {
  %q = bfly.linear %x, %wq : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %k = bfly.linear %x, %wk : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %v = bfly.linear %x, %wv : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %qh = bfly.reshape %q : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %kh = bfly.reshape %k : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %vh = bfly.reshape %v : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %a = bfly.attention %qh, %kh, %vh {causal} : tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32> -> tensor<1x1x8x16xf32>
  %m = bfly.reshape %a : tensor<1x1x8x16xf32> -> tensor<1x8x16xf32>
  %o = bfly.linear %m, %wo : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %r = bfly.add %x, %o : tensor<1x8x16xf32>
  return %r : tensor<1x8x16xf32>
}

// -----

// Masked attention.
// REMARK: remark: layer 0: attention mixing, 4 butterfly and 0 dense linears (policy=fabnet (FBfly); attention kept: masked or causal attention has no Fourier equivalent)
// COST: remark: layer 0: attention mixing, {{.*}}; modelled cycles/energy: attention+dense {{[^ /]+/[^ ]+}} pJ attention+butterfly {{[^ /]+/[^ ]+}} pJ; chosen
// CHECK-LABEL: func.func @masked
// CHECK-NOT: bfly.fourier_mix
// CHECK: bfly.attention {{.*}} mask %arg5 {sparsity = #bfly.sparsity<dense>}
// CHECK-NOT: bfly.linear
// CHECK: return
func.func @masked(%x: tensor<1x8x16xf32>, %wq: tensor<16x16xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x16xf32>, %wo: tensor<16x16xf32>, %mask: tensor<8x8xf32>) -> tensor<1x8x16xf32> {
  %q = bfly.linear %x, %wq : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %k = bfly.linear %x, %wk : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %v = bfly.linear %x, %wv : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %qh = bfly.reshape %q : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %kh = bfly.reshape %k : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %vh = bfly.reshape %v : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %a = bfly.attention %qh, %kh, %vh mask %mask : tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>, tensor<8x8xf32> -> tensor<1x1x8x16xf32>
  %m = bfly.reshape %a : tensor<1x1x8x16xf32> -> tensor<1x8x16xf32>
  %o = bfly.linear %m, %wo : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %r = bfly.add %x, %o : tensor<1x8x16xf32>
  return %r : tensor<1x8x16xf32>
}

// -----

// Cross-attention: k and v project %y, q projects %x. (How many of its
// linears become butterfly is checked in hybrid-sparsity-cross-attention.mlir.)
// REMARK: remark: layer 0: attention mixing, {{.*}} (policy=fabnet (FBfly); attention kept: q, k and v project different inputs (cross-attention)); modelled cycles/energy: attention+dense {{[^ /]+/[^ ]+}} pJ attention+butterfly {{[^ /]+/[^ ]+}} pJ; chosen
// COST: remark: layer 0: attention mixing, {{.*}}; modelled cycles/energy: attention+dense {{[^ /]+/[^ ]+}} pJ attention+butterfly {{[^ /]+/[^ ]+}} pJ; chosen
// CHECK-LABEL: func.func @cross
// CHECK-NOT: bfly.fourier_mix
// CHECK: bfly.attention {{.*}} {sparsity = #bfly.sparsity<dense>}
// CHECK: return
func.func @cross(%x: tensor<1x8x16xf32>, %y: tensor<1x4x16xf32>, %wq: tensor<16x16xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x16xf32>, %wo: tensor<16x16xf32>) -> tensor<1x8x16xf32> {
  %q = bfly.linear %x, %wq : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %k = bfly.linear %y, %wk : tensor<1x4x16xf32>, tensor<16x16xf32> -> tensor<1x4x16xf32>
  %v = bfly.linear %y, %wv : tensor<1x4x16xf32>, tensor<16x16xf32> -> tensor<1x4x16xf32>
  %qh = bfly.reshape %q : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %kh = bfly.reshape %k : tensor<1x4x16xf32> -> tensor<1x1x4x16xf32>
  %vh = bfly.reshape %v : tensor<1x4x16xf32> -> tensor<1x1x4x16xf32>
  %a = bfly.attention %qh, %kh, %vh : tensor<1x1x8x16xf32>, tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32> -> tensor<1x1x8x16xf32>
  %m = bfly.reshape %a : tensor<1x1x8x16xf32> -> tensor<1x8x16xf32>
  %o = bfly.linear %m, %wo : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %r = bfly.add %x, %o : tensor<1x8x16xf32>
  return %r : tensor<1x8x16xf32>
}

// -----

// q, k, v are not linear projections (the raw input split into heads).
// REMARK: remark: layer 0: attention mixing, 1 butterfly and 0 dense linears (policy=fabnet (FBfly); attention kept: q, k or v is not a linear projection)
// CHECK-LABEL: func.func @no_projection
// CHECK-NOT: bfly.fourier_mix
// CHECK: bfly.attention
// CHECK: bfly.butterfly_linear
func.func @no_projection(%x: tensor<1x8x16xf32>, %wo: tensor<16x16xf32>) -> tensor<1x8x16xf32> {
  %h = bfly.reshape %x : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %a = bfly.attention %h, %h, %h : tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32> -> tensor<1x1x8x16xf32>
  %m = bfly.reshape %a : tensor<1x1x8x16xf32> -> tensor<1x8x16xf32>
  %o = bfly.linear %m, %wo : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %r = bfly.add %x, %o : tensor<1x8x16xf32>
  return %r : tensor<1x8x16xf32>
}

// -----

// The attention output is returned without an output projection.
// REMARK: remark: layer 0: attention mixing, 3 butterfly and 0 dense linears (policy=fabnet (FBfly); attention kept: no output projection back to the [B, L, D] input shape)
// CHECK-LABEL: func.func @no_out_projection
// CHECK-NOT: bfly.fourier_mix
// CHECK: bfly.attention
func.func @no_out_projection(%x: tensor<1x8x16xf32>, %wq: tensor<16x16xf32>, %wk: tensor<16x16xf32>, %wv: tensor<16x16xf32>) -> tensor<1x8x16xf32> {
  %q = bfly.linear %x, %wq : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %k = bfly.linear %x, %wk : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %v = bfly.linear %x, %wv : tensor<1x8x16xf32>, tensor<16x16xf32> -> tensor<1x8x16xf32>
  %qh = bfly.reshape %q : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %kh = bfly.reshape %k : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %vh = bfly.reshape %v : tensor<1x8x16xf32> -> tensor<1x1x8x16xf32>
  %a = bfly.attention %qh, %kh, %vh : tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32> -> tensor<1x1x8x16xf32>
  %m = bfly.reshape %a : tensor<1x1x8x16xf32> -> tensor<1x8x16xf32>
  return %m : tensor<1x8x16xf32>
}
