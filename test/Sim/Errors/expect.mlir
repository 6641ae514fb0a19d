// --expect names the worst element and exits 1 when outputs differ; the
// outputs themselves are still written whole.
// RUN: rm -rf %t && mkdir -p %t/exp
// RUN: %python -c "import numpy as np; x = np.arange(6, dtype=np.float32).reshape(2, 3); np.save('%t/x.npy', x); e = 2 * x; e[1, 2] += 0.5; e[0, 1] += 0.01; np.save('%t/exp/out0.npy', e)"
// RUN: not butterfly-sim --reference %s --input %t/x.npy --output-dir %t/out --expect %t/exp 2>&1 | FileCheck %s
// CHECK: error: out0 differs from {{.*}}out0.npy: element [1, 2]: got 10, expected 10.5
// CHECK-SAME: 2 of 6 elements out of tolerance
// RUN: test -e %t/out/out0.npy
// A loose tolerance accepts the same outputs.
// RUN: butterfly-sim --reference %s --input %t/x.npy --output-dir %t/out --expect %t/exp --atol 0.6 | FileCheck %s --check-prefix=LOOSE
// LOOSE: expect: 1 outputs match {{.*}}exp (rtol 0.0001, atol 0.6)
// A missing expectation is an error, not a pass.
// RUN: not butterfly-sim --reference %s --input %t/x.npy --output-dir %t/out --expect %t/nowhere 2>&1 | FileCheck %s --check-prefix=NOEXP
// NOEXP: nowhere{{/|\\}}out0.npy

func.func @main(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = bfly.add %x, %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
