//===- Registration.h - Dialect and pass registration -----------*- C++ -*-===//
//
// One place that knows every dialect and pass of butterfly, so that the tools
// and the embedding APIs register the same set.
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_COMPILER_REGISTRATION_H
#define BUTTERFLY_COMPILER_REGISTRATION_H

#include <cstdint>
#include <string>

namespace mlir {
class DialectRegistry;
class OpPassManager;
} // namespace mlir

namespace butterfly {

/// Adds the butterfly dialects and the upstream dialects that models arrive
/// in or lower through (func, arith, tensor, linalg, tosa).
void registerButterflyDialects(mlir::DialectRegistry &registry);

/// Registers the butterfly passes and the bfly-compile pipeline with the
/// global pass registry.
void registerButterflyPasses();

/// The options of bfly-compile (DESIGN §5), for the embedding APIs.
struct CompileOptionsView {
  std::string arch;
  std::string dataflow = "multilayer";
  std::string policy = "manual";
  int64_t attentionLayers = -1;
  std::string layout = "top";
  std::string report;
};

/// Adds the bfly-compile pipeline to `pm` (a module pass manager).
void buildCompilePipeline(mlir::OpPassManager &pm,
                          const CompileOptionsView &options);
void registerCompilePipeline();

} // namespace butterfly

#endif // BUTTERFLY_COMPILER_REGISTRATION_H
