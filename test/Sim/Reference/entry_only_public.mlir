// Reference interpreter: without --entry and without @main, the entry is the
// only public function; private functions do not count.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/gen_case.py entry_only_public %t/entry_only_public
// RUN: butterfly-sim --reference %s --input %t/entry_only_public/in0.npy \
// RUN:   --input %t/entry_only_public/in1.npy \
// RUN:   --output-dir %t/entry_only_public/out \
// RUN:   --expect %t/entry_only_public/expected --rtol 1e-4 --atol 1e-5

func.func private @helper(%x: tensor<4x5xf32>) -> tensor<4x5xf32> {
  %0 = bfly.scale %x by 2.0 : tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

func.func @forward(%x: tensor<4x5xf32>, %y: tensor<4x5xf32>) -> tensor<4x5xf32> {
  %0 = bfly.mul %x, %y : tensor<4x5xf32>
  %1 = bfly.relu %0 : tensor<4x5xf32>
  return %1 : tensor<4x5xf32>
}
