//===- BflyOps.h - bfly dialect operations ----------------------*- C++ -*-===//
//
// Declares the operations of the bfly dialect.
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_DIALECT_BUTTERFLY_BFLYOPS_H
#define BUTTERFLY_DIALECT_BUTTERFLY_BFLYOPS_H

#include "butterfly/Dialect/Butterfly/BflyDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "butterfly/Dialect/Butterfly/BflyOps.h.inc"

#endif // BUTTERFLY_DIALECT_BUTTERFLY_BFLYOPS_H
