// RUN: butterfly-opt %s | butterfly-opt | FileCheck %s
// RUN: butterfly-opt %s --mlir-print-op-generic | butterfly-opt | FileCheck %s

// CHECK-LABEL: func.func @dense_ops
func.func @dense_ops(%x: tensor<2x8x16xf32>, %w: tensor<16x32xf32>,
                     %b: tensor<32xf32>, %g: tensor<32xf32>)
    -> tensor<2x8x32xf32> {
  // CHECK: bfly.linear %{{.*}}, %{{.*}}, %{{.*}} : tensor<2x8x16xf32>, tensor<16x32xf32>, tensor<32xf32> -> tensor<2x8x32xf32>
  %0 = bfly.linear %x, %w, %b : tensor<2x8x16xf32>, tensor<16x32xf32>, tensor<32xf32> -> tensor<2x8x32xf32>
  // CHECK: bfly.linear %{{.*}}, %{{.*}} {sparsity = #bfly.sparsity<butterfly>} : tensor<2x8x16xf32>, tensor<16x32xf32> -> tensor<2x8x32xf32>
  %1 = bfly.linear %x, %w {sparsity = #bfly.sparsity<butterfly>} : tensor<2x8x16xf32>, tensor<16x32xf32> -> tensor<2x8x32xf32>
  // CHECK: bfly.add %{{.*}}, %{{.*}} : tensor<2x8x32xf32>
  %2 = bfly.add %0, %1 : tensor<2x8x32xf32>
  // CHECK: bfly.mul %{{.*}}, %{{.*}} : tensor<2x8x32xf32>
  %3 = bfly.mul %2, %1 : tensor<2x8x32xf32>
  // CHECK: bfly.scale %{{.*}} by 1.250000e-01 : tensor<2x8x32xf32>
  %4 = bfly.scale %3 by 0.125 : tensor<2x8x32xf32>
  // CHECK: bfly.softmax %{{.*}} axis 2 : tensor<2x8x32xf32>
  %5 = bfly.softmax %4 axis 2 : tensor<2x8x32xf32>
  // CHECK: bfly.layernorm %{{.*}}, %{{.*}}, %{{.*}} : tensor<2x8x32xf32>, tensor<32xf32>, tensor<32xf32>
  %6 = bfly.layernorm %5, %g, %b : tensor<2x8x32xf32>, tensor<32xf32>, tensor<32xf32>
  // CHECK: bfly.layernorm %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 9.99999996E-13 : f32}
  %7 = bfly.layernorm %6, %g, %b {epsilon = 1.0e-12 : f32} : tensor<2x8x32xf32>, tensor<32xf32>, tensor<32xf32>
  // CHECK: bfly.gelu %{{.*}} : tensor<2x8x32xf32>
  %8 = bfly.gelu %7 : tensor<2x8x32xf32>
  // CHECK: bfly.gelu %{{.*}} {tanh} : tensor<2x8x32xf32>
  %9 = bfly.gelu %8 {tanh} : tensor<2x8x32xf32>
  // CHECK: bfly.relu %{{.*}} : tensor<2x8x32xf32>
  %10 = bfly.relu %9 : tensor<2x8x32xf32>
  return %10 : tensor<2x8x32xf32>
}

// CHECK-LABEL: func.func @movement
func.func @movement(%a: tensor<2x4x8x16xf32>, %b: tensor<16x8xf32>)
    -> tensor<8x2x4x8xf32> {
  // CHECK: bfly.matmul %{{.*}}, %{{.*}} : tensor<2x4x8x16xf32>, tensor<16x8xf32> -> tensor<2x4x8x8xf32>
  %0 = bfly.matmul %a, %b : tensor<2x4x8x16xf32>, tensor<16x8xf32> -> tensor<2x4x8x8xf32>
  // CHECK: bfly.transpose %{{.*}} [0, 1, 3, 2] : tensor<2x4x8x8xf32> -> tensor<2x4x8x8xf32>
  %1 = bfly.transpose %0 [0, 1, 3, 2] : tensor<2x4x8x8xf32> -> tensor<2x4x8x8xf32>
  // CHECK: bfly.matmul %{{.*}}, %{{.*}} : tensor<2x4x8x8xf32>, tensor<2x4x8x8xf32> -> tensor<2x4x8x8xf32>
  %2 = bfly.matmul %1, %0 : tensor<2x4x8x8xf32>, tensor<2x4x8x8xf32> -> tensor<2x4x8x8xf32>
  // CHECK: bfly.reshape %{{.*}} : tensor<2x4x8x8xf32> -> tensor<8x8x8xf32>
  %3 = bfly.reshape %2 : tensor<2x4x8x8xf32> -> tensor<8x8x8xf32>
  // CHECK: bfly.reshape %{{.*}} : tensor<8x8x8xf32> -> tensor<8x2x4x8xf32>
  %4 = bfly.reshape %3 : tensor<8x8x8xf32> -> tensor<8x2x4x8xf32>
  return %4 : tensor<8x2x4x8xf32>
}

// CHECK-LABEL: func.func @mixers
func.func @mixers(%q: tensor<1x4x64x16xf32>, %k: tensor<1x4x32x16xf32>,
                  %v: tensor<1x4x32x8xf32>, %m: tensor<64x32xf32>,
                  %m4: tensor<1x4x64x32xf32>, %x: tensor<1x197x768xf32>)
    -> (tensor<1x4x64x8xf32>, tensor<1x197x768xf32>) {
  // CHECK: bfly.attention %{{.*}}, %{{.*}}, %{{.*}} : tensor<1x4x64x16xf32>, tensor<1x4x32x16xf32>, tensor<1x4x32x8xf32> -> tensor<1x4x64x8xf32>
  %0 = bfly.attention %q, %k, %v : tensor<1x4x64x16xf32>, tensor<1x4x32x16xf32>, tensor<1x4x32x8xf32> -> tensor<1x4x64x8xf32>
  // CHECK: bfly.attention %{{.*}}, %{{.*}}, %{{.*}} mask %{{.*}} {causal, scale = 5.000000e-01 : f32, sparsity = #bfly.sparsity<dense>} : tensor<1x4x64x16xf32>, tensor<1x4x32x16xf32>, tensor<1x4x32x8xf32>, tensor<64x32xf32> -> tensor<1x4x64x8xf32>
  %1 = bfly.attention %q, %k, %v mask %m {causal, scale = 0.5 : f32, sparsity = #bfly.sparsity<dense>} : tensor<1x4x64x16xf32>, tensor<1x4x32x16xf32>, tensor<1x4x32x8xf32>, tensor<64x32xf32> -> tensor<1x4x64x8xf32>
  // CHECK: bfly.attention %{{.*}}, %{{.*}}, %{{.*}} mask %{{.*}} : {{.*}}, tensor<1x4x64x32xf32> -> tensor<1x4x64x8xf32>
  %2 = bfly.attention %q, %k, %v mask %m4 : tensor<1x4x64x16xf32>, tensor<1x4x32x16xf32>, tensor<1x4x32x8xf32>, tensor<1x4x64x32xf32> -> tensor<1x4x64x8xf32>
  // CHECK: bfly.fourier_mix %{{.*}} {sparsity = #bfly.sparsity<fourier>} : tensor<1x197x768xf32>
  %3 = bfly.fourier_mix %x {sparsity = #bfly.sparsity<fourier>} : tensor<1x197x768xf32>
  return %2, %3 : tensor<1x4x64x8xf32>, tensor<1x197x768xf32>
}

// CHECK-LABEL: func.func @fourier
func.func @fourier(%x: tensor<4x256xf32>, %y: tensor<4x256xf32>) -> tensor<4x256xf32> {
  // CHECK: bfly.to_complex %{{.*}} : tensor<4x256xf32>
  %0 = bfly.to_complex %x : tensor<4x256xf32>
  // CHECK: bfly.to_complex %{{.*}}, %{{.*}} : tensor<4x256xf32>, tensor<4x256xf32>
  %1 = bfly.to_complex %x, %y : tensor<4x256xf32>, tensor<4x256xf32>
  // CHECK: bfly.fft %{{.*}} dim 1 : tensor<4x256xcomplex<f32>>
  %2 = bfly.fft %0 dim 1 : tensor<4x256xcomplex<f32>>
  // CHECK: bfly.ifft %{{.*}} dim 0 : tensor<4x256xcomplex<f32>>
  %3 = bfly.ifft %2 dim 0 : tensor<4x256xcomplex<f32>>
  // CHECK: bfly.bit_reverse %{{.*}} dim 1 : tensor<4x256xcomplex<f32>>
  %4 = bfly.bit_reverse %3 dim 1 : tensor<4x256xcomplex<f32>>
  %5 = bfly.add %4, %1 : tensor<4x256xcomplex<f32>>
  // CHECK: bfly.real %{{.*}} : tensor<4x256xcomplex<f32>>
  %6 = bfly.real %5 : tensor<4x256xcomplex<f32>>
  return %6 : tensor<4x256xf32>
}

// CHECK-LABEL: func.func @butterfly
func.func @butterfly(%x: tensor<8x12xf32>, %tw: tensor<2x1x4x8x2x2xf32>,
                     %b: tensor<20xf32>, %tw2: tensor<1x2x3x4x2x2xf32>,
                     %s: tensor<3x16xf32>, %stw: tensor<8x2x2xf32>,
                     %z: tensor<2x3x16xcomplex<f32>>,
                     %ztw: tensor<3x8x2x2xcomplex<f32>>)
    -> (tensor<8x20xf32>, tensor<12x5xf32>, tensor<3x16xf32>,
        tensor<2x3x16xcomplex<f32>>) {
  // CHECK: bfly.butterfly_linear %{{.*}}, %{{.*}}, %{{.*}} {increasing_stride = false} : tensor<8x12xf32>, tensor<2x1x4x8x2x2xf32>, tensor<20xf32> -> tensor<8x20xf32>
  %0 = bfly.butterfly_linear %x, %tw, %b {increasing_stride = false} : tensor<8x12xf32>, tensor<2x1x4x8x2x2xf32>, tensor<20xf32> -> tensor<8x20xf32>
  %xs = bfly.reshape %x : tensor<8x12xf32> -> tensor<12x8xf32>
  // CHECK: bfly.butterfly_linear %{{.*}}, %{{.*}} {sparsity = #bfly.sparsity<butterfly>} : tensor<12x8xf32>, tensor<1x2x3x4x2x2xf32> -> tensor<12x5xf32>
  %1 = bfly.butterfly_linear %xs, %tw2 {sparsity = #bfly.sparsity<butterfly>} : tensor<12x8xf32>, tensor<1x2x3x4x2x2xf32> -> tensor<12x5xf32>
  %r1 = bfly.reshape %1 : tensor<12x5xf32> -> tensor<3x4x5x1x1xf32>
  %s1 = bfly.reshape %r1 : tensor<3x4x5x1x1xf32> -> tensor<12x5xf32>
  // CHECK: bfly.butterfly_stage %{{.*}}, %{{.*}} stride 4 : tensor<3x16xf32>, tensor<8x2x2xf32>
  %2 = bfly.butterfly_stage %s, %stw stride 4 : tensor<3x16xf32>, tensor<8x2x2xf32>
  // CHECK: bfly.butterfly_stage %{{.*}}, %{{.*}} stride 8 : tensor<2x3x16xcomplex<f32>>, tensor<3x8x2x2xcomplex<f32>>
  %3 = bfly.butterfly_stage %z, %ztw stride 8 : tensor<2x3x16xcomplex<f32>>, tensor<3x8x2x2xcomplex<f32>>
  return %0, %s1, %2, %3 : tensor<8x20xf32>, tensor<12x5xf32>, tensor<3x16xf32>, tensor<2x3x16xcomplex<f32>>
}

// Only the feature dimension of a butterfly_linear needs a static size.
// CHECK-LABEL: func.func @butterfly_dynamic_batch
func.func @butterfly_dynamic_batch(%x: tensor<?x16xf32>, %tw: tensor<1x1x4x8x2x2xf32>) -> tensor<?x16xf32> {
  // CHECK: bfly.butterfly_linear %{{.*}}, %{{.*}} : tensor<?x16xf32>, tensor<1x1x4x8x2x2xf32> -> tensor<?x16xf32>
  %0 = bfly.butterfly_linear %x, %tw : tensor<?x16xf32>, tensor<1x1x4x8x2x2xf32> -> tensor<?x16xf32>
  return %0 : tensor<?x16xf32>
}

// CHECK-LABEL: func.func @broadcast_and_boxes
func.func @broadcast_and_boxes(%x: tensor<2x8x12xf32>, %b: tensor<12xf32>,
                               %m: tensor<1x8x1xf32>)
    -> (tensor<2x8x16xf32>, tensor<2x4x12xf32>, tensor<2x16x12xf32>) {
  // CHECK: bfly.add %{{.*}}, %{{.*}} : tensor<2x8x12xf32>, tensor<12xf32>
  %0 = bfly.add %x, %b : tensor<2x8x12xf32>, tensor<12xf32>
  // CHECK: bfly.mul %{{.*}}, %{{.*}} : tensor<2x8x12xf32>, tensor<1x8x1xf32>
  %1 = bfly.mul %0, %m : tensor<2x8x12xf32>, tensor<1x8x1xf32>
  // CHECK: bfly.pad %{{.*}} high [0, 0, 4] : tensor<2x8x12xf32> -> tensor<2x8x16xf32>
  %2 = bfly.pad %1 high [0, 0, 4] : tensor<2x8x12xf32> -> tensor<2x8x16xf32>
  // CHECK: bfly.slice %{{.*}} offsets [0, 4, 0] : tensor<2x8x12xf32> -> tensor<2x4x12xf32>
  %3 = bfly.slice %1 offsets [0, 4, 0] : tensor<2x8x12xf32> -> tensor<2x4x12xf32>
  // CHECK: bfly.concat %{{.*}}, %{{.*}} dim 1 : (tensor<2x8x12xf32>, tensor<2x8x12xf32>) -> tensor<2x16x12xf32>
  %4 = bfly.concat %0, %1 dim 1 : (tensor<2x8x12xf32>, tensor<2x8x12xf32>) -> tensor<2x16x12xf32>
  return %2, %3, %4 : tensor<2x8x16xf32>, tensor<2x4x12xf32>, tensor<2x16x12xf32>
}
