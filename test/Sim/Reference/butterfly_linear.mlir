// Reference interpreter: bfly.butterfly_linear against torch_butterfly's
// Butterfly.forward rebuilt in NumPy as a product of explicit dense n x n
// factor matrices (gen_case.py): pad in -> n = 2^ceil(log2 in), nstacks =
// ceil(out / n), stride 2^s (increasing) or 2^(log2 n - 1 - s) (decreasing),
// the order flipping after each block; stacks concatenated, first out kept,
// bias added.
// RUN: rm -rf %t && mkdir -p %t

// RUN: %python %S/gen_case.py butterfly_linear_increasing %t/butterfly_linear_increasing
// RUN: butterfly-sim --reference %s --entry butterfly_linear_increasing \
// RUN:   --input %t/butterfly_linear_increasing/in0.npy \
// RUN:   --input %t/butterfly_linear_increasing/in1.npy \
// RUN:   --input %t/butterfly_linear_increasing/in2.npy \
// RUN:   --output-dir %t/butterfly_linear_increasing/out \
// RUN:   --expect %t/butterfly_linear_increasing/expected \
// RUN:   --rtol 1e-4 --atol 1e-5
func.func @butterfly_linear_increasing(%x: tensor<8x16xf32>, %tw: tensor<1x1x4x8x2x2xf32>,
                                       %b: tensor<16xf32>) -> tensor<8x16xf32> {
  %0 = bfly.butterfly_linear %x, %tw, %b : tensor<8x16xf32>, tensor<1x1x4x8x2x2xf32>, tensor<16xf32> -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// RUN: %python %S/gen_case.py butterfly_linear_decreasing %t/butterfly_linear_decreasing
// RUN: butterfly-sim --reference %s --entry butterfly_linear_decreasing \
// RUN:   --input %t/butterfly_linear_decreasing/in0.npy \
// RUN:   --input %t/butterfly_linear_decreasing/in1.npy \
// RUN:   --input %t/butterfly_linear_decreasing/in2.npy \
// RUN:   --output-dir %t/butterfly_linear_decreasing/out \
// RUN:   --expect %t/butterfly_linear_decreasing/expected \
// RUN:   --rtol 1e-4 --atol 1e-5
func.func @butterfly_linear_decreasing(%x: tensor<8x16xf32>, %tw: tensor<1x1x4x8x2x2xf32>,
                                       %b: tensor<16xf32>) -> tensor<8x16xf32> {
  %0 = bfly.butterfly_linear %x, %tw, %b {increasing_stride = false} : tensor<8x16xf32>, tensor<1x1x4x8x2x2xf32>, tensor<16xf32> -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// 12 -> 20: n = 16, two stacks, the second one cut to 4 outputs.
// RUN: %python %S/gen_case.py butterfly_linear_nstacks %t/butterfly_linear_nstacks
// RUN: butterfly-sim --reference %s --entry butterfly_linear_nstacks \
// RUN:   --input %t/butterfly_linear_nstacks/in0.npy \
// RUN:   --input %t/butterfly_linear_nstacks/in1.npy \
// RUN:   --input %t/butterfly_linear_nstacks/in2.npy \
// RUN:   --output-dir %t/butterfly_linear_nstacks/out \
// RUN:   --expect %t/butterfly_linear_nstacks/expected \
// RUN:   --rtol 1e-4 --atol 1e-5
func.func @butterfly_linear_nstacks(%x: tensor<8x12xf32>, %tw: tensor<2x1x4x8x2x2xf32>,
                                    %b: tensor<20xf32>) -> tensor<8x20xf32> {
  %0 = bfly.butterfly_linear %x, %tw, %b {increasing_stride = false} : tensor<8x12xf32>, tensor<2x1x4x8x2x2xf32>, tensor<20xf32> -> tensor<8x20xf32>
  return %0 : tensor<8x20xf32>
}

// 8 -> 24: three full stacks of two blocks each, no bias.
// RUN: %python %S/gen_case.py butterfly_linear_nstacks3 %t/butterfly_linear_nstacks3
// RUN: butterfly-sim --reference %s --entry butterfly_linear_nstacks3 \
// RUN:   --input %t/butterfly_linear_nstacks3/in0.npy \
// RUN:   --input %t/butterfly_linear_nstacks3/in1.npy \
// RUN:   --output-dir %t/butterfly_linear_nstacks3/out \
// RUN:   --expect %t/butterfly_linear_nstacks3/expected \
// RUN:   --rtol 1e-4 --atol 1e-5
func.func @butterfly_linear_nstacks3(%x: tensor<4x8xf32>, %tw: tensor<3x2x3x4x2x2xf32>)
    -> tensor<4x24xf32> {
  %0 = bfly.butterfly_linear %x, %tw : tensor<4x8xf32>, tensor<3x2x3x4x2x2xf32> -> tensor<4x24xf32>
  return %0 : tensor<4x24xf32>
}

// Two blocks (increasing, then decreasing), 8 -> 5, no bias.
// RUN: %python %S/gen_case.py butterfly_linear_nblocks %t/butterfly_linear_nblocks
// RUN: butterfly-sim --reference %s --entry butterfly_linear_nblocks \
// RUN:   --input %t/butterfly_linear_nblocks/in0.npy \
// RUN:   --input %t/butterfly_linear_nblocks/in1.npy \
// RUN:   --output-dir %t/butterfly_linear_nblocks/out \
// RUN:   --expect %t/butterfly_linear_nblocks/expected \
// RUN:   --rtol 1e-4 --atol 1e-5
func.func @butterfly_linear_nblocks(%x: tensor<12x8xf32>, %tw: tensor<1x2x3x4x2x2xf32>)
    -> tensor<12x5xf32> {
  %0 = bfly.butterfly_linear %x, %tw {sparsity = #bfly.sparsity<butterfly>} : tensor<12x8xf32>, tensor<1x2x3x4x2x2xf32> -> tensor<12x5xf32>
  return %0 : tensor<12x5xf32>
}

// Three blocks: decreasing, increasing, decreasing.
// RUN: %python %S/gen_case.py butterfly_linear_nblocks3_decreasing %t/butterfly_linear_nblocks3_decreasing
// RUN: butterfly-sim --reference %s --entry butterfly_linear_nblocks3_decreasing \
// RUN:   --input %t/butterfly_linear_nblocks3_decreasing/in0.npy \
// RUN:   --input %t/butterfly_linear_nblocks3_decreasing/in1.npy \
// RUN:   --output-dir %t/butterfly_linear_nblocks3_decreasing/out \
// RUN:   --expect %t/butterfly_linear_nblocks3_decreasing/expected \
// RUN:   --rtol 1e-4 --atol 1e-5
func.func @butterfly_linear_nblocks3_decreasing(%x: tensor<4x16xf32>, %tw: tensor<1x3x4x8x2x2xf32>)
    -> tensor<4x16xf32> {
  %0 = bfly.butterfly_linear %x, %tw {increasing_stride = false} : tensor<4x16xf32>, tensor<1x3x4x8x2x2xf32> -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// 5 -> 3: input padded to 8, output cut to 3.
// RUN: %python %S/gen_case.py butterfly_linear_5_to_3 %t/butterfly_linear_5_to_3
// RUN: butterfly-sim --reference %s --entry butterfly_linear_5_to_3 \
// RUN:   --input %t/butterfly_linear_5_to_3/in0.npy \
// RUN:   --input %t/butterfly_linear_5_to_3/in1.npy \
// RUN:   --input %t/butterfly_linear_5_to_3/in2.npy \
// RUN:   --output-dir %t/butterfly_linear_5_to_3/out \
// RUN:   --expect %t/butterfly_linear_5_to_3/expected --rtol 1e-4 --atol 1e-5
func.func @butterfly_linear_5_to_3(%x: tensor<4x5xf32>, %tw: tensor<1x1x3x4x2x2xf32>,
                                   %b: tensor<3xf32>) -> tensor<4x3xf32> {
  %0 = bfly.butterfly_linear %x, %tw, %b : tensor<4x5xf32>, tensor<1x1x3x4x2x2xf32>, tensor<3xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// 100 -> 60: n = 128, two blocks starting decreasing.
// RUN: %python %S/gen_case.py butterfly_linear_100_to_60 %t/butterfly_linear_100_to_60
// RUN: butterfly-sim --reference %s --entry butterfly_linear_100_to_60 \
// RUN:   --input %t/butterfly_linear_100_to_60/in0.npy \
// RUN:   --input %t/butterfly_linear_100_to_60/in1.npy \
// RUN:   --input %t/butterfly_linear_100_to_60/in2.npy \
// RUN:   --output-dir %t/butterfly_linear_100_to_60/out \
// RUN:   --expect %t/butterfly_linear_100_to_60/expected \
// RUN:   --rtol 1e-4 --atol 1e-5
func.func @butterfly_linear_100_to_60(%x: tensor<6x100xf32>, %tw: tensor<1x2x7x64x2x2xf32>,
                                      %b: tensor<60xf32>) -> tensor<6x60xf32> {
  %0 = bfly.butterfly_linear %x, %tw, %b {increasing_stride = false} : tensor<6x100xf32>, tensor<1x2x7x64x2x2xf32>, tensor<60xf32> -> tensor<6x60xf32>
  return %0 : tensor<6x60xf32>
}

// 2 -> 3: n = 2 (one factor), two stacks.
// RUN: %python %S/gen_case.py butterfly_linear_2_to_3 %t/butterfly_linear_2_to_3
// RUN: butterfly-sim --reference %s --entry butterfly_linear_2_to_3 \
// RUN:   --input %t/butterfly_linear_2_to_3/in0.npy \
// RUN:   --input %t/butterfly_linear_2_to_3/in1.npy \
// RUN:   --input %t/butterfly_linear_2_to_3/in2.npy \
// RUN:   --output-dir %t/butterfly_linear_2_to_3/out \
// RUN:   --expect %t/butterfly_linear_2_to_3/expected --rtol 1e-4 --atol 1e-5
func.func @butterfly_linear_2_to_3(%x: tensor<5x2xf32>, %tw: tensor<2x1x1x1x2x2xf32>,
                                   %b: tensor<3xf32>) -> tensor<5x3xf32> {
  %0 = bfly.butterfly_linear %x, %tw, %b : tensor<5x2xf32>, tensor<2x1x1x1x2x2xf32>, tensor<3xf32> -> tensor<5x3xf32>
  return %0 : tensor<5x3xf32>
}

// Leading batch dimensions [2, 3]; 12 -> 20 with two stacks of two blocks.
// RUN: %python %S/gen_case.py butterfly_linear_batch %t/butterfly_linear_batch
// RUN: butterfly-sim --reference %s --entry butterfly_linear_batch \
// RUN:   --input %t/butterfly_linear_batch/in0.npy \
// RUN:   --input %t/butterfly_linear_batch/in1.npy \
// RUN:   --input %t/butterfly_linear_batch/in2.npy \
// RUN:   --output-dir %t/butterfly_linear_batch/out \
// RUN:   --expect %t/butterfly_linear_batch/expected --rtol 1e-4 --atol 1e-5
func.func @butterfly_linear_batch(%x: tensor<2x3x12xf32>, %tw: tensor<2x2x4x8x2x2xf32>,
                                  %b: tensor<20xf32>) -> tensor<2x3x20xf32> {
  %0 = bfly.butterfly_linear %x, %tw, %b : tensor<2x3x12xf32>, tensor<2x2x4x8x2x2xf32>, tensor<20xf32> -> tensor<2x3x20xf32>
  return %0 : tensor<2x3x20xf32>
}
