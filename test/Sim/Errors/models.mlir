// Models the reference interpreter cannot run are rejected with a located
// diagnostic and a non-zero exit, and leave no output file.
// RUN: rm -rf %t && mkdir -p %t && split-file %s %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.ones((4,), np.float32))"

// RUN: not butterfly-sim --reference %t/syntax.mlir --input %t/x.npy --output-dir %t/o 2>&1 | FileCheck %s --check-prefix=SYNTAX
// SYNTAX: syntax.mlir:2:8: error: custom op 'bfly.nonsense' is unknown
// RUN: not test -e %t/o/out0.npy

// RUN: not butterfly-sim --reference %t/verify.mlir --input %t/x.npy --output-dir %t/o 2>&1 | FileCheck %s --check-prefix=VERIFY
// VERIFY: verify.mlir:2:8: error: 'bfly.softmax' op axis 1 is out of range for a rank-1 tensor

// RUN: not butterfly-sim --reference %t/ambiguous.mlir --input %t/x.npy --output-dir %t/o 2>&1 | FileCheck %s --check-prefix=AMBIGUOUS
// AMBIGUOUS: error: no entry function: the module has no @main and 2 public functions (@f, @g); choose one with --entry
// RUN: butterfly-sim --reference %t/ambiguous.mlir --entry g --input %t/x.npy --output-dir %t/g | FileCheck %s --check-prefix=ENTRY
// ENTRY: reference: @g of

// RUN: not butterfly-sim --reference %t/ambiguous.mlir --entry h --input %t/x.npy --output-dir %t/o 2>&1 | FileCheck %s --check-prefix=NOENTRY
// NOENTRY: error: entry function @h is not defined in the module

// RUN: not butterfly-sim --reference %t/empty.mlir --input %t/x.npy --output-dir %t/o 2>&1 | FileCheck %s --check-prefix=EMPTY
// EMPTY: error: no entry function: the module has no @main and no public function

// RUN: not butterfly-sim --reference %t/unsupported.mlir --input %t/x.npy --output-dir %t/o 2>&1 | FileCheck %s --check-prefix=NOSUPPORT
// NOSUPPORT: unsupported.mlir:2:8: error: the reference interpreter does not support 'tosa.abs'

// RUN: not butterfly-sim --reference %t/dynamic.mlir --input %t/x.npy --output-dir %t/o 2>&1 | FileCheck %s --check-prefix=DYNAMIC
// DYNAMIC: error: the reference interpreter needs statically shaped f32 or complex<f32> tensors, got 'tensor<?xf32>'

// RUN: not butterfly-sim --reference %t/recursive.mlir --input %t/x.npy --output-dir %t/o 2>&1 | FileCheck %s --check-prefix=RECURSIVE
// RECURSIVE: error: calls nest deeper than 64 levels (recursion?)
// RUN: not test -e %t/o/out0.npy

// RUN: butterfly-sim --reference %t/call.mlir --input %t/x.npy --output-dir %t/call | FileCheck %s --check-prefix=CALL
// CALL: out0: tensor<4xf32>  min 4  max 4  mean 4

// RUN: not butterfly-sim --reference %t/missing.mlir --input %t/x.npy --output-dir %t/o 2>&1 | FileCheck %s --check-prefix=NOFILE
// NOFILE: missing.mlir

//--- syntax.mlir
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = bfly.nonsense %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}
//--- verify.mlir
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = bfly.softmax %x axis 1 : tensor<4xf32>
  return %0 : tensor<4xf32>
}
//--- ambiguous.mlir
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
func.func @g(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = bfly.relu %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}
//--- empty.mlir
func.func private @helper(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
//--- unsupported.mlir
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = tosa.abs %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
//--- dynamic.mlir
func.func @main(%x: tensor<?xf32>) -> tensor<?xf32> {
  return %x : tensor<?xf32>
}
//--- recursive.mlir
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = func.call @main(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
//--- call.mlir
func.func private @double(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = bfly.add %x, %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = arith.constant dense<2.0> : tensor<4xf32>
  %0 = func.call @double(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %1 = bfly.mul %0, %c : tensor<4xf32>
  return %1 : tensor<4xf32>
}
