// RUN: butterfly-opt %s --bfly-decompose --split-input-file | FileCheck %s

// A power-of-two FFT: bit reversal then log2 n stages of increasing stride.
// CHECK-LABEL: func.func @fft_pow2
// CHECK-DAG: %[[TW1:.*]] = arith.constant dense<{{.*}}> : tensor<4x2x2xcomplex<f32>>
// CHECK-DAG: %[[TW2:.*]] = arith.constant dense<{{.*}}> : tensor<4x2x2xcomplex<f32>>
// CHECK-DAG: %[[TW4:.*]] = arith.constant dense<{{.*}}> : tensor<4x2x2xcomplex<f32>>
// CHECK: %[[R:.*]] = bfly.bit_reverse %arg0 dim 1 : tensor<3x8xcomplex<f32>>
// CHECK: %[[S1:.*]] = bfly.butterfly_stage %[[R]], %{{.*}} stride 1
// CHECK: %[[S2:.*]] = bfly.butterfly_stage %[[S1]], %{{.*}} stride 2
// CHECK: %[[S4:.*]] = bfly.butterfly_stage %[[S2]], %{{.*}} stride 4
// CHECK-NOT: bfly.scale
// CHECK: return %[[S4]]
func.func @fft_pow2(%x: tensor<3x8xcomplex<f32>>) -> tensor<3x8xcomplex<f32>> {
  %0 = bfly.fft %x dim 1 : tensor<3x8xcomplex<f32>>
  return %0 : tensor<3x8xcomplex<f32>>
}

// -----

// The inverse along an inner dimension: transposed to the last dimension and
// back, and scaled by 1/n.
// CHECK-LABEL: func.func @ifft_inner
// CHECK: %[[T:.*]] = bfly.transpose %arg0 [1, 0] : tensor<4x3xcomplex<f32>> -> tensor<3x4xcomplex<f32>>
// CHECK: bfly.bit_reverse %[[T]] dim 1
// CHECK: bfly.butterfly_stage {{.*}} stride 1
// CHECK: %[[S:.*]] = bfly.butterfly_stage {{.*}} stride 2
// CHECK: %[[N:.*]] = bfly.scale %[[S]] by 2.500000e-01
// CHECK: %[[B:.*]] = bfly.transpose %[[N]] [1, 0] : tensor<3x4xcomplex<f32>> -> tensor<4x3xcomplex<f32>>
// CHECK: return %[[B]]
func.func @ifft_inner(%x: tensor<4x3xcomplex<f32>>) -> tensor<4x3xcomplex<f32>> {
  %0 = bfly.ifft %x dim 0 : tensor<4x3xcomplex<f32>>
  return %0 : tensor<4x3xcomplex<f32>>
}

// -----

// Bluestein for n = 5: chirp, pad to M = 16 >= 2n - 1, radix-2 convolution,
// slice, chirp. No op of the result pads the data it returns.
// CHECK-LABEL: func.func @fft_bluestein
// CHECK: %[[A:.*]] = bfly.mul %arg0, %{{.*}} : tensor<2x5xcomplex<f32>>, tensor<5xcomplex<f32>>
// CHECK: %[[P:.*]] = bfly.pad %[[A]] high [0, 11] : tensor<2x5xcomplex<f32>> -> tensor<2x16xcomplex<f32>>
// CHECK: bfly.bit_reverse %[[P]] dim 1
// CHECK-COUNT-4: bfly.butterfly_stage
// CHECK: bfly.mul %{{.*}}, %{{.*}} : tensor<2x16xcomplex<f32>>, tensor<16xcomplex<f32>>
// CHECK: bfly.bit_reverse
// CHECK-COUNT-4: bfly.butterfly_stage
// CHECK: bfly.scale {{.*}} by 6.250000e-02
// CHECK: %[[S:.*]] = bfly.slice %{{.*}} offsets [0, 0] : tensor<2x16xcomplex<f32>> -> tensor<2x5xcomplex<f32>>
// CHECK: %[[Y:.*]] = bfly.mul %[[S]], %{{.*}} : tensor<2x5xcomplex<f32>>, tensor<5xcomplex<f32>>
// CHECK: return %[[Y]]
func.func @fft_bluestein(%x: tensor<2x5xcomplex<f32>>) -> tensor<2x5xcomplex<f32>> {
  %0 = bfly.fft %x dim 1 : tensor<2x5xcomplex<f32>>
  return %0 : tensor<2x5xcomplex<f32>>
}

// -----

// Fourier mixing: FFT over D (dim 2), then over L (dim 1), real part.
// CHECK-LABEL: func.func @fourier_mix
// CHECK: %[[Z:.*]] = bfly.to_complex %arg0 : tensor<1x4x2xf32>
// CHECK: bfly.bit_reverse %[[Z]] dim 2
// CHECK: bfly.butterfly_stage {{.*}} stride 1 : tensor<1x4x2xcomplex<f32>>
// CHECK: bfly.transpose {{.*}} [0, 2, 1]
// CHECK: bfly.bit_reverse {{.*}} dim 2 : tensor<1x2x4xcomplex<f32>>
// CHECK: bfly.transpose {{.*}} [0, 2, 1]
// CHECK: %[[R:.*]] = bfly.real
// CHECK: return %[[R]]
func.func @fourier_mix(%x: tensor<1x4x2xf32>) -> tensor<1x4x2xf32> {
  %0 = bfly.fourier_mix %x : tensor<1x4x2xf32>
  return %0 : tensor<1x4x2xf32>
}

// -----

// A butterfly linear 12 -> 20 (n = 16, 2 stacks, decreasing strides): pad,
// replicate per stack, one stage per factor on a slice of the twiddles,
// flatten, keep 20 features, add the bias.
// CHECK-LABEL: func.func @butterfly_linear
// CHECK: %[[P:.*]] = bfly.pad %arg0 high [0, 4] : tensor<8x12xf32> -> tensor<8x16xf32>
// CHECK: %[[R:.*]] = bfly.reshape %[[P]] : tensor<8x16xf32> -> tensor<8x1x16xf32>
// CHECK: %[[C:.*]] = bfly.concat %[[R]], %[[R]] dim 1 : (tensor<8x1x16xf32>, tensor<8x1x16xf32>) -> tensor<8x2x16xf32>
// CHECK: bfly.slice %arg1 offsets [0, 0, 0, 0, 0, 0] : tensor<2x1x4x8x2x2xf32> -> tensor<2x1x1x8x2x2xf32>
// CHECK: %[[S0:.*]] = bfly.butterfly_stage %[[C]], %{{.*}} stride 8 : tensor<8x2x16xf32>, tensor<2x8x2x2xf32>
// CHECK: bfly.butterfly_stage %[[S0]], %{{.*}} stride 4
// CHECK: bfly.butterfly_stage %{{.*}}, %{{.*}} stride 2
// CHECK: %[[S3:.*]] = bfly.butterfly_stage %{{.*}}, %{{.*}} stride 1
// CHECK: %[[F:.*]] = bfly.reshape %[[S3]] : tensor<8x2x16xf32> -> tensor<8x32xf32>
// CHECK: %[[K:.*]] = bfly.slice %[[F]] offsets [0, 0] : tensor<8x32xf32> -> tensor<8x20xf32>
// CHECK: %[[Y:.*]] = bfly.add %[[K]], %arg2 : tensor<8x20xf32>, tensor<20xf32>
// CHECK: return %[[Y]]
func.func @butterfly_linear(%x: tensor<8x12xf32>, %tw: tensor<2x1x4x8x2x2xf32>,
                            %b: tensor<20xf32>) -> tensor<8x20xf32> {
  %0 = bfly.butterfly_linear %x, %tw, %b {increasing_stride = false}
      : tensor<8x12xf32>, tensor<2x1x4x8x2x2xf32>, tensor<20xf32> -> tensor<8x20xf32>
  return %0 : tensor<8x20xf32>
}

// -----

// Two blocks: the stride order flips after the first block.
// CHECK-LABEL: func.func @butterfly_two_blocks
// CHECK: stride 1
// CHECK-NEXT: bfly.slice
// CHECK-NEXT: bfly.reshape
// CHECK-NEXT: bfly.butterfly_stage {{.*}} stride 2
// CHECK: bfly.butterfly_stage {{.*}} stride 2
// CHECK: bfly.butterfly_stage {{.*}} stride 1
// CHECK-NOT: bfly.butterfly_stage
func.func @butterfly_two_blocks(%x: tensor<4xf32>, %tw: tensor<1x2x2x2x2x2xf32>) -> tensor<4xf32> {
  %0 = bfly.butterfly_linear %x, %tw : tensor<4xf32>, tensor<1x2x2x2x2x2xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Attention: q·kᵀ, scale, mask, causal mask (-inf above the diagonal),
// softmax over keys, ·v.
// CHECK-LABEL: func.func @attention
// CHECK-DAG: %[[CAUSAL:.*]] = arith.constant dense<{{\[\[}}0.000000e+00, 0xFF800000, 0xFF800000], [0.000000e+00, 0.000000e+00, 0xFF800000]]> : tensor<2x3xf32>
// CHECK: %[[KT:.*]] = bfly.transpose %arg1 [0, 1, 3, 2] : tensor<1x2x3x4xf32> -> tensor<1x2x4x3xf32>
// CHECK: %[[S:.*]] = bfly.matmul %arg0, %[[KT]] : tensor<1x2x2x4xf32>, tensor<1x2x4x3xf32> -> tensor<1x2x2x3xf32>
// CHECK: %[[SC:.*]] = bfly.scale %[[S]] by 5.000000e-01
// CHECK: %[[M:.*]] = bfly.add %[[SC]], %arg3 : tensor<1x2x2x3xf32>, tensor<2x3xf32>
// CHECK: %[[C:.*]] = bfly.add %[[M]], %[[CAUSAL]] : tensor<1x2x2x3xf32>, tensor<2x3xf32>
// CHECK: %[[P:.*]] = bfly.softmax %[[C]] axis 3
// CHECK: %[[O:.*]] = bfly.matmul %[[P]], %arg2 : tensor<1x2x2x3xf32>, tensor<1x2x3x5xf32> -> tensor<1x2x2x5xf32>
// CHECK: return %[[O]]
func.func @attention(%q: tensor<1x2x2x4xf32>, %k: tensor<1x2x3x4xf32>,
                     %v: tensor<1x2x3x5xf32>, %m: tensor<2x3xf32>) -> tensor<1x2x2x5xf32> {
  %0 = bfly.attention %q, %k, %v mask %m {causal}
      : tensor<1x2x2x4xf32>, tensor<1x2x3x4xf32>, tensor<1x2x3x5xf32>, tensor<2x3xf32> -> tensor<1x2x2x5xf32>
  return %0 : tensor<1x2x2x5xf32>
}

