//===- Interpreter.h - CPU reference interpreter of bfly IR -----*- C++ -*-===//
//
// Evaluates a function of bfly ops on concrete tensors. This is the numerical
// ground truth that decompositions, the compiler and the simulator are checked
// against, so it favours clarity and precision (fp64 accumulation) over speed.
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_REFERENCE_INTERPRETER_H
#define BUTTERFLY_REFERENCE_INTERPRETER_H

#include "butterfly/Support/Tensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include <string>
#include <vector>

namespace butterfly::ref {

/// Returns the function to run: `entryName` when it is not empty, otherwise
/// `main`, otherwise the only public function. Emits an error on `module`
/// naming the candidates when there is no unambiguous entry.
mlir::FailureOr<mlir::func::FuncOp>
findEntryFunction(mlir::ModuleOp module, llvm::StringRef entryName);

/// Evaluates `func` on `inputs` (one per argument, in order). `inputNames`
/// (optional, e.g. file names) label the inputs in diagnostics. Emits an error
/// at the offending op or argument and fails on unsupported ops, dynamic
/// shapes, or inputs whose count, shape or element type do not match.
mlir::FailureOr<std::vector<Tensor>>
interpret(mlir::func::FuncOp func, llvm::ArrayRef<Tensor> inputs,
          llvm::ArrayRef<std::string> inputNames = {});

} // namespace butterfly::ref

#endif // BUTTERFLY_REFERENCE_INTERPRETER_H
