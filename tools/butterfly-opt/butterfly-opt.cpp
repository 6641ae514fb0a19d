//===- butterfly-opt.cpp - The butterfly optimizer driver -------*- C++ -*-===//
//
// mlir-opt for butterfly: the bfly and dfa dialects, the upstream dialects
// models arrive in, every upstream pass and the bfly-* passes.
//
//===----------------------------------------------------------------------===//

#include "butterfly/Compiler/Registration.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  butterfly::registerButterflyPasses();
  mlir::DialectRegistry registry;
  butterfly::registerButterflyDialects(registry);
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "butterfly optimizer driver\n", registry));
}
