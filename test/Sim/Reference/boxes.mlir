// Reference interpreter: broadcasting add/mul, bfly.slice, bfly.pad and
// bfly.concat against NumPy (gen_case.py). Data movement is exact.
// RUN: rm -rf %t && mkdir -p %t

// A bias broadcast over the leading dimensions.
// RUN: %python %S/gen_case.py add_broadcast_bias %t/add_broadcast_bias
// RUN: butterfly-sim --reference %s --entry add_broadcast_bias \
// RUN:   --input %t/add_broadcast_bias/in0.npy --input %t/add_broadcast_bias/in1.npy \
// RUN:   --output-dir %t/add_broadcast_bias/out \
// RUN:   --expect %t/add_broadcast_bias/expected --rtol 1e-6 --atol 0
func.func @add_broadcast_bias(%x: tensor<2x5x6xf32>, %b: tensor<6xf32>) -> tensor<2x5x6xf32> {
  %0 = bfly.add %x, %b : tensor<2x5x6xf32>, tensor<6xf32>
  return %0 : tensor<2x5x6xf32>
}

// Size-1 dimensions repeat.
// RUN: %python %S/gen_case.py add_broadcast_ones %t/add_broadcast_ones
// RUN: butterfly-sim --reference %s --entry add_broadcast_ones \
// RUN:   --input %t/add_broadcast_ones/in0.npy --input %t/add_broadcast_ones/in1.npy \
// RUN:   --output-dir %t/add_broadcast_ones/out \
// RUN:   --expect %t/add_broadcast_ones/expected --rtol 1e-6 --atol 0
func.func @add_broadcast_ones(%x: tensor<2x3x4x5xf32>, %m: tensor<1x3x1x5xf32>) -> tensor<2x3x4x5xf32> {
  %0 = bfly.add %x, %m : tensor<2x3x4x5xf32>, tensor<1x3x1x5xf32>
  return %0 : tensor<2x3x4x5xf32>
}

// RUN: %python %S/gen_case.py mul_broadcast_complex %t/mul_broadcast_complex
// RUN: butterfly-sim --reference %s --entry mul_broadcast_complex \
// RUN:   --input %t/mul_broadcast_complex/in0.npy --input %t/mul_broadcast_complex/in1.npy \
// RUN:   --output-dir %t/mul_broadcast_complex/out \
// RUN:   --expect %t/mul_broadcast_complex/expected --rtol 1e-6 --atol 1e-7
func.func @mul_broadcast_complex(%z: tensor<4x7xcomplex<f32>>, %c: tensor<7xcomplex<f32>>) -> tensor<4x7xcomplex<f32>> {
  %0 = bfly.mul %z, %c : tensor<4x7xcomplex<f32>>, tensor<7xcomplex<f32>>
  return %0 : tensor<4x7xcomplex<f32>>
}

// RUN: %python %S/gen_case.py slice %t/slice
// RUN: butterfly-sim --reference %s --entry slice --input %t/slice/in0.npy \
// RUN:   --output-dir %t/slice/out --expect %t/slice/expected --rtol 0 --atol 0
func.func @slice(%x: tensor<3x8x6xf32>) -> tensor<2x5x6xf32> {
  %0 = bfly.slice %x offsets [1, 2, 0] : tensor<3x8x6xf32> -> tensor<2x5x6xf32>
  return %0 : tensor<2x5x6xf32>
}

// RUN: %python %S/gen_case.py pad %t/pad
// RUN: butterfly-sim --reference %s --entry pad --input %t/pad/in0.npy \
// RUN:   --output-dir %t/pad/out --expect %t/pad/expected --rtol 0 --atol 0
func.func @pad(%z: tensor<2x5xcomplex<f32>>) -> tensor<3x8xcomplex<f32>> {
  %0 = bfly.pad %z high [1, 3] : tensor<2x5xcomplex<f32>> -> tensor<3x8xcomplex<f32>>
  return %0 : tensor<3x8xcomplex<f32>>
}

// RUN: %python %S/gen_case.py concat %t/concat
// RUN: butterfly-sim --reference %s --entry concat --input %t/concat/in0.npy \
// RUN:   --input %t/concat/in1.npy --output-dir %t/concat/out \
// RUN:   --expect %t/concat/expected --rtol 0 --atol 0
func.func @concat(%a: tensor<2x1x4xf32>, %b: tensor<2x3x4xf32>) -> tensor<2x4x4xf32> {
  %0 = bfly.concat %a, %b dim 1 : (tensor<2x1x4xf32>, tensor<2x3x4xf32>) -> tensor<2x4x4xf32>
  return %0 : tensor<2x4x4xf32>
}
