//===- Projection.h - Dense weights onto butterfly twiddles -----*- C++ -*-===//
//
// Fits a butterfly linear (torch_butterfly semantics) to a dense weight, so
// that bfly-hybrid-sparsity can turn a dense linear with a constant weight
// into a butterfly one and report how far the result is from the original.
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_REFERENCE_PROJECTION_H
#define BUTTERFLY_REFERENCE_PROJECTION_H

#include "butterfly/Support/Tensor.h"

namespace butterfly::ref {

struct ButterflyProjection {
  /// (nstacks, nblocks, log2 n, n/2, 2, 2), f32.
  Tensor twiddles;
  /// ||B - W||_F / ||W||_F over the in x out entries (0 when W is zero).
  double relativeError = 0;
};

/// Projects \p weight ([in, out], y = x·W) onto a butterfly linear of
/// \p numBlocks blocks whose first block has the given stride order. The
/// first block is fitted by recursive rank-1 factorisation (the outermost
/// factor pairs rows whose inner sub-butterflies act on disjoint column sets,
/// so each 2 x n/2 row pair is a best rank-1 fit; see docs/passes.md); the
/// other blocks are identities. Exact for weights that are butterflies.
ButterflyProjection projectToButterfly(const Tensor &weight, int64_t numBlocks,
                                       bool increasingStride);

} // namespace butterfly::ref

#endif // BUTTERFLY_REFERENCE_PROJECTION_H
