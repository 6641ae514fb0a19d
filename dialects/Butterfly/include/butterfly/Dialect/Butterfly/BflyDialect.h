//===- BflyDialect.h - The bfly dialect -------------------------*- C++ -*-===//
//
// Declares the bfly dialect, its sparsity enum and attribute.
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_DIALECT_BUTTERFLY_BFLYDIALECT_H
#define BUTTERFLY_DIALECT_BUTTERFLY_BFLYDIALECT_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/DialectImplementation.h"

#include "butterfly/Dialect/Butterfly/BflyDialect.h.inc"
#include "butterfly/Dialect/Butterfly/BflyEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "butterfly/Dialect/Butterfly/BflyAttrs.h.inc"

#endif // BUTTERFLY_DIALECT_BUTTERFLY_BFLYDIALECT_H
