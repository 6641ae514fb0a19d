//===- Registration.h - Dialect and pass registration -----------*- C++ -*-===//
//
// One place that knows every dialect and pass of butterfly, so that the tools
// and the embedding APIs register the same set.
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_COMPILER_REGISTRATION_H
#define BUTTERFLY_COMPILER_REGISTRATION_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace butterfly {

/// Adds the butterfly dialects and the upstream dialects that models arrive
/// in or lower through (func, arith, tensor, linalg, tosa).
void registerButterflyDialects(mlir::DialectRegistry &registry);

/// Registers the butterfly passes with the global pass registry.
void registerButterflyPasses();

} // namespace butterfly

#endif // BUTTERFLY_COMPILER_REGISTRATION_H
