//===- Passes.h - bfly to dfa conversion passes -----------------*- C++ -*-===//
//
// Declares bfly-multilayer-tiling and bfly-pe-mapping.
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_CONVERSION_PASSES_H
#define BUTTERFLY_CONVERSION_PASSES_H

#include "butterfly/Dialect/Butterfly/BflyOps.h"
#include "butterfly/Dialect/Dataflow/DfaDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace butterfly {

#define GEN_PASS_DECL
#include "butterfly/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "butterfly/Conversion/Passes.h.inc"

} // namespace butterfly

#endif // BUTTERFLY_CONVERSION_PASSES_H
