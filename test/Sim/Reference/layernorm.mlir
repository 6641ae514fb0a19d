// Reference interpreter: bfly.layernorm (biased variance, as nn.LayerNorm)
// against NumPy (gen_case.py). One row has a variance of about 1e-3, where the
// epsilon visibly matters.
// RUN: rm -rf %t && mkdir -p %t

// Default epsilon 1e-5.
// RUN: %python %S/gen_case.py layernorm_default %t/layernorm_default
// RUN: butterfly-sim --reference %s --entry layernorm_default \
// RUN:   --input %t/layernorm_default/in0.npy \
// RUN:   --input %t/layernorm_default/in1.npy \
// RUN:   --input %t/layernorm_default/in2.npy \
// RUN:   --output-dir %t/layernorm_default/out \
// RUN:   --expect %t/layernorm_default/expected --rtol 1e-4 --atol 1e-5
func.func @layernorm_default(%x: tensor<2x5x32xf32>, %g: tensor<32xf32>, %b: tensor<32xf32>)
    -> tensor<2x5x32xf32> {
  %0 = bfly.layernorm %x, %g, %b : tensor<2x5x32xf32>, tensor<32xf32>, tensor<32xf32>
  return %0 : tensor<2x5x32xf32>
}

// RUN: %python %S/gen_case.py layernorm_eps12 %t/layernorm_eps12
// RUN: butterfly-sim --reference %s --entry layernorm_eps12 \
// RUN:   --input %t/layernorm_eps12/in0.npy \
// RUN:   --input %t/layernorm_eps12/in1.npy \
// RUN:   --input %t/layernorm_eps12/in2.npy \
// RUN:   --output-dir %t/layernorm_eps12/out \
// RUN:   --expect %t/layernorm_eps12/expected --rtol 1e-4 --atol 1e-5
func.func @layernorm_eps12(%x: tensor<2x5x32xf32>, %g: tensor<32xf32>, %b: tensor<32xf32>)
    -> tensor<2x5x32xf32> {
  %0 = bfly.layernorm %x, %g, %b {epsilon = 1.0e-12 : f32} : tensor<2x5x32xf32>, tensor<32xf32>, tensor<32xf32>
  return %0 : tensor<2x5x32xf32>
}
