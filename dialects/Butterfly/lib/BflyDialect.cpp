//===- BflyDialect.cpp - The bfly dialect -----------------------*- C++ -*-===//
//
// Registers the bfly operations and attributes.
//
//===----------------------------------------------------------------------===//

#include "butterfly/Dialect/Butterfly/BflyDialect.h"
#include "butterfly/Dialect/Butterfly/BflyOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace butterfly::bfly;

#include "butterfly/Dialect/Butterfly/BflyDialect.cpp.inc"
#include "butterfly/Dialect/Butterfly/BflyEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "butterfly/Dialect/Butterfly/BflyAttrs.cpp.inc"

Operation *BflyDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  auto elements = dyn_cast<DenseElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return arith::ConstantOp::create(builder, loc, elements);
}

void BflyDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "butterfly/Dialect/Butterfly/BflyOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "butterfly/Dialect/Butterfly/BflyAttrs.cpp.inc"
      >();
}
