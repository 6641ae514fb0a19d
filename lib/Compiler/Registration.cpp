//===- Registration.cpp - Dialect and pass registration ---------*- C++ -*-===//
//
// Registers the dialects butterfly reads and produces.
//
//===----------------------------------------------------------------------===//

#include "butterfly/Compiler/Registration.h"

#include "butterfly/Conversion/Passes.h"
#include "butterfly/Dialect/Butterfly/BflyDialect.h"
#include "butterfly/Dialect/Butterfly/Transforms/Passes.h"
#include "butterfly/Dialect/Dataflow/DfaDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/DialectRegistry.h"

void butterfly::registerButterflyDialects(mlir::DialectRegistry &registry) {
  registry.insert<bfly::BflyDialect, dfa::DfaDialect, mlir::func::FuncDialect,
                  mlir::arith::ArithDialect, mlir::complex::ComplexDialect,
                  mlir::math::MathDialect, mlir::tensor::TensorDialect,
                  mlir::linalg::LinalgDialect, mlir::tosa::TosaDialect>();
}

void butterfly::registerButterflyPasses() {
  bfly::registerBflyPasses();
  registerConversionPasses();
  registerCompilePipeline();
}
