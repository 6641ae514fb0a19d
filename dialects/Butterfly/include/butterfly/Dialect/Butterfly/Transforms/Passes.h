//===- Passes.h - bfly transformation passes --------------------*- C++ -*-===//
//
// Declares the bfly passes and their registration.
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_DIALECT_BUTTERFLY_TRANSFORMS_PASSES_H
#define BUTTERFLY_DIALECT_BUTTERFLY_TRANSFORMS_PASSES_H

#include "butterfly/Dialect/Butterfly/BflyOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace butterfly::bfly {

#define GEN_PASS_DECL
#include "butterfly/Dialect/Butterfly/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "butterfly/Dialect/Butterfly/Transforms/Passes.h.inc"

} // namespace butterfly::bfly

#endif // BUTTERFLY_DIALECT_BUTTERFLY_TRANSFORMS_PASSES_H
