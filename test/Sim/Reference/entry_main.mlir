// Reference interpreter: without --entry, the entry is @main, even when
// other public functions come first.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/gen_case.py entry_main %t/entry_main
// RUN: butterfly-sim --reference %s --input %t/entry_main/in0.npy \
// RUN:   --input %t/entry_main/in1.npy --output-dir %t/entry_main/out \
// RUN:   --expect %t/entry_main/expected --rtol 1e-4 --atol 1e-5

func.func @not_the_entry(%x: tensor<3x8xf32>) -> tensor<3x8xf32> {
  %0 = bfly.relu %x : tensor<3x8xf32>
  return %0 : tensor<3x8xf32>
}

func.func @main(%x: tensor<3x8xf32>, %w: tensor<8x6xf32>) -> tensor<3x6xf32> {
  %0 = bfly.matmul %x, %w : tensor<3x8xf32>, tensor<8x6xf32> -> tensor<3x6xf32>
  %1 = bfly.relu %0 : tensor<3x6xf32>
  %2 = bfly.softmax %1 axis 1 : tensor<3x6xf32>
  return %2 : tensor<3x6xf32>
}
