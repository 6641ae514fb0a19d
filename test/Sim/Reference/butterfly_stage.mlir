// Reference interpreter: bfly.butterfly_stage against an explicit loop over
// the pairs of BflyOps.td's formula (gen_case.py):
//   y[2j*stride + a*stride + r] = sum_b tw[p][a][b] * x[2j*stride + b*stride + r]
// with p = j*stride + r.
// RUN: rm -rf %t && mkdir -p %t

// RUN: %python %S/gen_case.py butterfly_stage_rank1 %t/butterfly_stage_rank1
// RUN: butterfly-sim --reference %s --entry butterfly_stage_rank1 \
// RUN:   --input %t/butterfly_stage_rank1/in0.npy \
// RUN:   --input %t/butterfly_stage_rank1/in1.npy \
// RUN:   --output-dir %t/butterfly_stage_rank1/out \
// RUN:   --expect %t/butterfly_stage_rank1/expected --rtol 1e-4 --atol 1e-5
func.func @butterfly_stage_rank1(%x: tensor<16xf32>, %tw: tensor<8x2x2xf32>) -> tensor<16xf32> {
  %0 = bfly.butterfly_stage %x, %tw stride 2 : tensor<16xf32>, tensor<8x2x2xf32>
  return %0 : tensor<16xf32>
}

// One factor shared by every row.
// RUN: %python %S/gen_case.py butterfly_stage_real %t/butterfly_stage_real
// RUN: butterfly-sim --reference %s --entry butterfly_stage_real \
// RUN:   --input %t/butterfly_stage_real/in0.npy \
// RUN:   --input %t/butterfly_stage_real/in1.npy \
// RUN:   --output-dir %t/butterfly_stage_real/out \
// RUN:   --expect %t/butterfly_stage_real/expected --rtol 1e-4 --atol 1e-5
func.func @butterfly_stage_real(%x: tensor<5x16xf32>, %tw: tensor<8x2x2xf32>) -> tensor<5x16xf32> {
  %0 = bfly.butterfly_stage %x, %tw stride 1 : tensor<5x16xf32>, tensor<8x2x2xf32>
  return %0 : tensor<5x16xf32>
}

// One stack dimension: a factor per index of dim 1, shared over dim 0.
// RUN: %python %S/gen_case.py butterfly_stage_real_stack %t/butterfly_stage_real_stack
// RUN: butterfly-sim --reference %s --entry butterfly_stage_real_stack \
// RUN:   --input %t/butterfly_stage_real_stack/in0.npy \
// RUN:   --input %t/butterfly_stage_real_stack/in1.npy \
// RUN:   --output-dir %t/butterfly_stage_real_stack/out \
// RUN:   --expect %t/butterfly_stage_real_stack/expected \
// RUN:   --rtol 1e-4 --atol 1e-5
func.func @butterfly_stage_real_stack(%x: tensor<2x3x16xf32>, %tw: tensor<3x8x2x2xf32>)
    -> tensor<2x3x16xf32> {
  %0 = bfly.butterfly_stage %x, %tw stride 4 : tensor<2x3x16xf32>, tensor<3x8x2x2xf32>
  return %0 : tensor<2x3x16xf32>
}

// Two stack dimensions: a factor per row; stride n/2.
// RUN: %python %S/gen_case.py butterfly_stage_real_stack2 %t/butterfly_stage_real_stack2
// RUN: butterfly-sim --reference %s --entry butterfly_stage_real_stack2 \
// RUN:   --input %t/butterfly_stage_real_stack2/in0.npy \
// RUN:   --input %t/butterfly_stage_real_stack2/in1.npy \
// RUN:   --output-dir %t/butterfly_stage_real_stack2/out \
// RUN:   --expect %t/butterfly_stage_real_stack2/expected \
// RUN:   --rtol 1e-4 --atol 1e-5
func.func @butterfly_stage_real_stack2(%x: tensor<2x3x16xf32>, %tw: tensor<2x3x8x2x2xf32>)
    -> tensor<2x3x16xf32> {
  %0 = bfly.butterfly_stage %x, %tw stride 8 : tensor<2x3x16xf32>, tensor<2x3x8x2x2xf32>
  return %0 : tensor<2x3x16xf32>
}

// RUN: %python %S/gen_case.py butterfly_stage_complex %t/butterfly_stage_complex
// RUN: butterfly-sim --reference %s --entry butterfly_stage_complex \
// RUN:   --input %t/butterfly_stage_complex/in0.npy \
// RUN:   --input %t/butterfly_stage_complex/in1.npy \
// RUN:   --output-dir %t/butterfly_stage_complex/out \
// RUN:   --expect %t/butterfly_stage_complex/expected --rtol 1e-4 --atol 1e-5
func.func @butterfly_stage_complex(%z: tensor<2x3x16xcomplex<f32>>,
                                   %tw: tensor<3x8x2x2xcomplex<f32>>)
    -> tensor<2x3x16xcomplex<f32>> {
  %0 = bfly.butterfly_stage %z, %tw stride 8 : tensor<2x3x16xcomplex<f32>>, tensor<3x8x2x2xcomplex<f32>>
  return %0 : tensor<2x3x16xcomplex<f32>>
}

// A radix-2 FFT stage: twiddles [[1, w^k], [1, -w^k]].
// RUN: %python %S/gen_case.py butterfly_stage_complex_fft %t/butterfly_stage_complex_fft
// RUN: butterfly-sim --reference %s --entry butterfly_stage_complex_fft \
// RUN:   --input %t/butterfly_stage_complex_fft/in0.npy \
// RUN:   --input %t/butterfly_stage_complex_fft/in1.npy \
// RUN:   --output-dir %t/butterfly_stage_complex_fft/out \
// RUN:   --expect %t/butterfly_stage_complex_fft/expected \
// RUN:   --rtol 1e-4 --atol 1e-5
func.func @butterfly_stage_complex_fft(%z: tensor<4x8xcomplex<f32>>,
                                       %tw: tensor<4x2x2xcomplex<f32>>)
    -> tensor<4x8xcomplex<f32>> {
  %0 = bfly.butterfly_stage %z, %tw stride 2 : tensor<4x8xcomplex<f32>>, tensor<4x2x2xcomplex<f32>>
  return %0 : tensor<4x8xcomplex<f32>>
}
