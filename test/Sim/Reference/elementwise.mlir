// Reference interpreter: elementwise ops against NumPy (gen_case.py).
// RUN: rm -rf %t && mkdir -p %t

// 0.5 x (1 + erf(x / sqrt 2)).
// RUN: %python %S/gen_case.py gelu_erf %t/gelu_erf
// RUN: butterfly-sim --reference %s --entry gelu_erf \
// RUN:   --input %t/gelu_erf/in0.npy --output-dir %t/gelu_erf/out \
// RUN:   --expect %t/gelu_erf/expected --rtol 1e-4 --atol 1e-5
func.func @gelu_erf(%x: tensor<4x33xf32>) -> tensor<4x33xf32> {
  %0 = bfly.gelu %x : tensor<4x33xf32>
  return %0 : tensor<4x33xf32>
}

// 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
// RUN: %python %S/gen_case.py gelu_tanh %t/gelu_tanh
// RUN: butterfly-sim --reference %s --entry gelu_tanh \
// RUN:   --input %t/gelu_tanh/in0.npy --output-dir %t/gelu_tanh/out \
// RUN:   --expect %t/gelu_tanh/expected --rtol 1e-4 --atol 1e-5
func.func @gelu_tanh(%x: tensor<4x33xf32>) -> tensor<4x33xf32> {
  %0 = bfly.gelu %x {tanh} : tensor<4x33xf32>
  return %0 : tensor<4x33xf32>
}

// RUN: %python %S/gen_case.py relu %t/relu
// RUN: butterfly-sim --reference %s --entry relu --input %t/relu/in0.npy \
// RUN:   --output-dir %t/relu/out --expect %t/relu/expected --rtol 0 --atol 0
func.func @relu(%x: tensor<3x4x5xf32>) -> tensor<3x4x5xf32> {
  %0 = bfly.relu %x : tensor<3x4x5xf32>
  return %0 : tensor<3x4x5xf32>
}

// RUN: %python %S/gen_case.py add %t/add
// RUN: butterfly-sim --reference %s --entry add --input %t/add/in0.npy \
// RUN:   --input %t/add/in1.npy --output-dir %t/add/out \
// RUN:   --expect %t/add/expected --rtol 1e-4 --atol 1e-5
func.func @add(%a: tensor<3x4x5xf32>, %b: tensor<3x4x5xf32>) -> tensor<3x4x5xf32> {
  %0 = bfly.add %a, %b : tensor<3x4x5xf32>
  return %0 : tensor<3x4x5xf32>
}

// RUN: %python %S/gen_case.py add_complex %t/add_complex
// RUN: butterfly-sim --reference %s --entry add_complex \
// RUN:   --input %t/add_complex/in0.npy --input %t/add_complex/in1.npy \
// RUN:   --output-dir %t/add_complex/out --expect %t/add_complex/expected \
// RUN:   --rtol 1e-4 --atol 1e-5
func.func @add_complex(%a: tensor<4x6xcomplex<f32>>, %b: tensor<4x6xcomplex<f32>>)
    -> tensor<4x6xcomplex<f32>> {
  %0 = bfly.add %a, %b : tensor<4x6xcomplex<f32>>
  return %0 : tensor<4x6xcomplex<f32>>
}

// RUN: %python %S/gen_case.py mul %t/mul
// RUN: butterfly-sim --reference %s --entry mul --input %t/mul/in0.npy \
// RUN:   --input %t/mul/in1.npy --output-dir %t/mul/out \
// RUN:   --expect %t/mul/expected --rtol 1e-4 --atol 1e-5
func.func @mul(%a: tensor<3x4x5xf32>, %b: tensor<3x4x5xf32>) -> tensor<3x4x5xf32> {
  %0 = bfly.mul %a, %b : tensor<3x4x5xf32>
  return %0 : tensor<3x4x5xf32>
}

// Complex product: (ar br - ai bi) + i (ar bi + ai br).
// RUN: %python %S/gen_case.py mul_complex %t/mul_complex
// RUN: butterfly-sim --reference %s --entry mul_complex \
// RUN:   --input %t/mul_complex/in0.npy --input %t/mul_complex/in1.npy \
// RUN:   --output-dir %t/mul_complex/out --expect %t/mul_complex/expected \
// RUN:   --rtol 1e-4 --atol 1e-5
func.func @mul_complex(%a: tensor<4x6xcomplex<f32>>, %b: tensor<4x6xcomplex<f32>>)
    -> tensor<4x6xcomplex<f32>> {
  %0 = bfly.mul %a, %b : tensor<4x6xcomplex<f32>>
  return %0 : tensor<4x6xcomplex<f32>>
}

// RUN: %python %S/gen_case.py scale %t/scale
// RUN: butterfly-sim --reference %s --entry scale --input %t/scale/in0.npy \
// RUN:   --output-dir %t/scale/out --expect %t/scale/expected \
// RUN:   --rtol 1e-4 --atol 1e-5
func.func @scale(%x: tensor<3x7xf32>) -> tensor<3x7xf32> {
  %0 = bfly.scale %x by 0.375 : tensor<3x7xf32>
  return %0 : tensor<3x7xf32>
}

// RUN: %python %S/gen_case.py scale_complex %t/scale_complex
// RUN: butterfly-sim --reference %s --entry scale_complex \
// RUN:   --input %t/scale_complex/in0.npy --output-dir %t/scale_complex/out \
// RUN:   --expect %t/scale_complex/expected --rtol 1e-4 --atol 1e-5
func.func @scale_complex(%z: tensor<3x7xcomplex<f32>>) -> tensor<3x7xcomplex<f32>> {
  %0 = bfly.scale %z by -1.5 : tensor<3x7xcomplex<f32>>
  return %0 : tensor<3x7xcomplex<f32>>
}

// Two results: out0.npy and out1.npy, in the order of the return.
// RUN: %python %S/gen_case.py two_results %t/two_results
// RUN: butterfly-sim --reference %s --entry two_results \
// RUN:   --input %t/two_results/in0.npy --input %t/two_results/in1.npy \
// RUN:   --output-dir %t/two_results/out --expect %t/two_results/expected \
// RUN:   --rtol 1e-4 --atol 1e-5
func.func @two_results(%a: tensor<2x5xf32>, %b: tensor<2x5xf32>)
    -> (tensor<2x5xf32>, tensor<2x5xf32>) {
  %0 = bfly.add %a, %b : tensor<2x5xf32>
  %1 = bfly.mul %a, %b : tensor<2x5xf32>
  return %0, %1 : tensor<2x5xf32>, tensor<2x5xf32>
}
