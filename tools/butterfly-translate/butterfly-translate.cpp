//===- butterfly-translate.cpp - dfa <-> bitstream ---------------*- C++
//-*-===//
//
// mlir-translate for butterfly: --dfa-to-bitstream and --bitstream-to-dfa.
//
//===----------------------------------------------------------------------===//

#include "butterfly/Target/Translation.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  butterfly::registerButterflyTranslations();
  return mlir::failed(mlir::mlirTranslateMain(argc, argv,
                                              "butterfly translation driver\n"))
             ? 1
             : 0;
}
