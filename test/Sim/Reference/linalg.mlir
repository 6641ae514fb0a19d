// Reference interpreter: bfly.matmul and bfly.linear against NumPy
// (gen_case.py). The linear weight is [in, out]: y = x @ W + b.
// RUN: rm -rf %t && mkdir -p %t

// RUN: %python %S/gen_case.py matmul_batched %t/matmul_batched
// RUN: butterfly-sim --reference %s --entry matmul_batched \
// RUN:   --input %t/matmul_batched/in0.npy --input %t/matmul_batched/in1.npy \
// RUN:   --output-dir %t/matmul_batched/out \
// RUN:   --expect %t/matmul_batched/expected --rtol 1e-4 --atol 1e-5
func.func @matmul_batched(%a: tensor<2x3x8x16xf32>, %b: tensor<2x3x16x5xf32>)
    -> tensor<2x3x8x5xf32> {
  %0 = bfly.matmul %a, %b : tensor<2x3x8x16xf32>, tensor<2x3x16x5xf32> -> tensor<2x3x8x5xf32>
  return %0 : tensor<2x3x8x5xf32>
}

// A rank-2 rhs shared by every batch.
// RUN: %python %S/gen_case.py matmul_rhs_rank2 %t/matmul_rhs_rank2
// RUN: butterfly-sim --reference %s --entry matmul_rhs_rank2 \
// RUN:   --input %t/matmul_rhs_rank2/in0.npy \
// RUN:   --input %t/matmul_rhs_rank2/in1.npy \
// RUN:   --output-dir %t/matmul_rhs_rank2/out \
// RUN:   --expect %t/matmul_rhs_rank2/expected --rtol 1e-4 --atol 1e-5
func.func @matmul_rhs_rank2(%a: tensor<2x3x8x16xf32>, %b: tensor<16x5xf32>)
    -> tensor<2x3x8x5xf32> {
  %0 = bfly.matmul %a, %b : tensor<2x3x8x16xf32>, tensor<16x5xf32> -> tensor<2x3x8x5xf32>
  return %0 : tensor<2x3x8x5xf32>
}

// RUN: %python %S/gen_case.py matmul_2d %t/matmul_2d
// RUN: butterfly-sim --reference %s --entry matmul_2d \
// RUN:   --input %t/matmul_2d/in0.npy --input %t/matmul_2d/in1.npy \
// RUN:   --output-dir %t/matmul_2d/out --expect %t/matmul_2d/expected \
// RUN:   --rtol 1e-4 --atol 1e-5
func.func @matmul_2d(%a: tensor<7x9xf32>, %b: tensor<9x4xf32>) -> tensor<7x4xf32> {
  %0 = bfly.matmul %a, %b : tensor<7x9xf32>, tensor<9x4xf32> -> tensor<7x4xf32>
  return %0 : tensor<7x4xf32>
}

// RUN: %python %S/gen_case.py linear_bias %t/linear_bias
// RUN: butterfly-sim --reference %s --entry linear_bias \
// RUN:   --input %t/linear_bias/in0.npy --input %t/linear_bias/in1.npy \
// RUN:   --input %t/linear_bias/in2.npy --output-dir %t/linear_bias/out \
// RUN:   --expect %t/linear_bias/expected --rtol 1e-4 --atol 1e-5
func.func @linear_bias(%x: tensor<2x7x16xf32>, %w: tensor<16x24xf32>, %b: tensor<24xf32>)
    -> tensor<2x7x24xf32> {
  %0 = bfly.linear %x, %w, %b : tensor<2x7x16xf32>, tensor<16x24xf32>, tensor<24xf32> -> tensor<2x7x24xf32>
  return %0 : tensor<2x7x24xf32>
}

// RUN: %python %S/gen_case.py linear_nobias %t/linear_nobias
// RUN: butterfly-sim --reference %s --entry linear_nobias \
// RUN:   --input %t/linear_nobias/in0.npy --input %t/linear_nobias/in1.npy \
// RUN:   --output-dir %t/linear_nobias/out --expect %t/linear_nobias/expected \
// RUN:   --rtol 1e-4 --atol 1e-5
func.func @linear_nobias(%x: tensor<5x16xf32>, %w: tensor<16x12xf32>) -> tensor<5x12xf32> {
  %0 = bfly.linear %x, %w {sparsity = #bfly.sparsity<dense>} : tensor<5x16xf32>, tensor<16x12xf32> -> tensor<5x12xf32>
  return %0 : tensor<5x12xf32>
}

// A rank-1 input (a single feature vector).
// RUN: %python %S/gen_case.py linear_rank1 %t/linear_rank1
// RUN: butterfly-sim --reference %s --entry linear_rank1 \
// RUN:   --input %t/linear_rank1/in0.npy --input %t/linear_rank1/in1.npy \
// RUN:   --input %t/linear_rank1/in2.npy --output-dir %t/linear_rank1/out \
// RUN:   --expect %t/linear_rank1/expected --rtol 1e-4 --atol 1e-5
func.func @linear_rank1(%x: tensor<16xf32>, %w: tensor<16x10xf32>, %b: tensor<10xf32>)
    -> tensor<10xf32> {
  %0 = bfly.linear %x, %w, %b : tensor<16xf32>, tensor<16x10xf32>, tensor<10xf32> -> tensor<10xf32>
  return %0 : tensor<10xf32>
}
