// Bad inputs are rejected with a diagnostic naming the file, a non-zero exit
// and no output file.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/good.npy', np.ones((2, 3), np.float32)); np.save('%t/f64.npy', np.ones((2, 3))); np.save('%t/shape.npy', np.ones((3, 2), np.float32)); np.save('%t/c64.npy', np.ones((2, 3), np.complex64)); np.save('%t/fortran.npy', np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3))); open('%t/trunc.npy', 'wb').write(open('%t/good.npy', 'rb').read()[:-4]); open('%t/garbage.npy', 'wb').write(b'not a numpy file at all')"

// RUN: not butterfly-sim --reference %s --input %t/f64.npy --output-dir %t/o1 2>&1 | FileCheck %s --check-prefix=DTYPE
// DTYPE: f64.npy: unsupported dtype '<f8': expected float32 ('<f4') or complex64 ('<c8')
// RUN: not test -e %t/o1/out0.npy

// RUN: not butterfly-sim --reference %s --input %t/shape.npy --output-dir %t/o2 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: error: input 0 (
// SHAPE-SAME: shape.npy) is tensor<3x2xf32> but @main expects 'tensor<2x3xf32>'
// RUN: not test -e %t/o2/out0.npy

// RUN: not butterfly-sim --reference %s --input %t/c64.npy --output-dir %t/o3 2>&1 | FileCheck %s --check-prefix=KIND
// KIND: input 0 ({{.*}}c64.npy) is tensor<2x3xcomplex<f32>> but @main expects 'tensor<2x3xf32>'

// RUN: not butterfly-sim --reference %s --input %t/trunc.npy --output-dir %t/o4 2>&1 | FileCheck %s --check-prefix=TRUNC
// TRUNC: trunc.npy: truncated
// RUN: not test -e %t/o4/out0.npy

// RUN: not butterfly-sim --reference %s --input %t/garbage.npy --output-dir %t/o5 2>&1 | FileCheck %s --check-prefix=MAGIC
// MAGIC: garbage.npy: {{.*}}magic

// RUN: not butterfly-sim --reference %s --input %t/missing.npy --output-dir %t/o6 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: missing.npy

// RUN: not butterfly-sim --reference %s --output-dir %t/o7 2>&1 | FileCheck %s --check-prefix=COUNT
// COUNT: error: @main takes 1 inputs ('tensor<2x3xf32>'), got 0

// RUN: not butterfly-sim --reference %s --input %t/good.npy --input %t/good.npy --output-dir %t/o8 2>&1 | FileCheck %s --check-prefix=COUNT2
// COUNT2: error: @main takes 1 inputs ('tensor<2x3xf32>'), got 2

// The tool never overwrites an input.
// RUN: cp %t/good.npy %t/out0.npy
// RUN: not butterfly-sim --reference %s --input %t/out0.npy --output-dir %t 2>&1 | FileCheck %s --check-prefix=OVERWRITE
// OVERWRITE: output '{{.*}}out0.npy' would overwrite input
// RUN: cmp %t/good.npy %t/out0.npy

// RUN: butterfly-sim --reference %s --input %t/good.npy --output-dir %t/ok | FileCheck %s --check-prefix=OK
// OK: reference: @main of {{.*}} (1 inputs, 1 outputs)
// OK: out0: tensor<2x3xf32>  min 2  max 2  mean 2  -> {{.*}}out0.npy

// Fortran-ordered files (numpy.save of a transposed array) are reordered.
// RUN: butterfly-sim --reference %s --input %t/fortran.npy --output-dir %t/fortran
// RUN: %python -c "import numpy as np; y = np.load('%t/fortran/out0.npy'); assert (y == 2 * np.arange(6).reshape(2, 3)).all() and y.flags.c_contiguous, y"

func.func @main(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = bfly.add %x, %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
