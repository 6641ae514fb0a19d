//===- TileSearch.h - Tile sizes of a blocked linear, by the cost model -*-===//
//
// A linear whose weight does not fit the array is computed in tiles of Nt
// output columns over a band split by the contraction, each PE row keeping
// blocks of R of its rows (docs/compiler.md, "Tiles"). This models the
// cycles of one such phase from its bottlenecks and searches (Nt, R) for the
// cheapest. MLIR-free: it depends on Arch only; docs/cost-model.md gives
// each formula.
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_COSTMODEL_TILESEARCH_H
#define BUTTERFLY_COSTMODEL_TILESEARCH_H

#include "butterfly/Arch/Arch.h"

#include <cstdint>
#include <optional>

namespace butterfly::cost {

/// The shape of a blocked linear: `rows` rows of `k` inputs per PE row, on
/// `peRows` PE rows and a band of `width` columns, `n` outputs per row.
struct BlockedLinear {
  int64_t rows = 0, k = 0, n = 0, width = 1, peRows = 1;
  bool bias = false;
  /// The weight streams from DRAM (it does not fit the global buffer).
  bool weightsInDram = false;
};

/// One candidate and its modelled cycles, by bottleneck.
struct BlockedTiles {
  int64_t tileN = 0, blockRows = 0;
  double cycles = 0;
  double computeCycles = 0, weightStreamCycles = 0, rowStreamCycles = 0,
         dramCycles = 0;
};

/// Local-memory words a member needs for tiles of `tileN` columns and blocks
/// of `blockRows` rows.
int64_t blockedLocalWords(const arch::Arch &, const BlockedLinear &,
                          int64_t tileN, int64_t blockRows);

/// Where a member keeps its buffers (word addresses) and how it multiplies a
/// block by a tile. Banked: the block's input chunks, the accumulator and
/// the partial sums from the start of the first local-memory bank, the
/// weight tile from the start of the second, so that a vfma per input
/// element (the element broadcast, not a bank stream) reads the
/// accumulator and the tile from two banks at bank factor 1. Otherwise
/// packed from word 0. `vfma` when that form is the faster; else one gemm
/// m=R, which reads all three operands every beat.
struct BlockedLayout {
  int64_t input = 0, tile = 0, acc = 0, partial = 0;
  bool banked = false, vfma = false;
  /// Cycles of one block-by-tile multiply (docs/architecture.md §4).
  double multiplyCycles = 0;
};

BlockedLayout blockedLayout(const arch::Arch &, const BlockedLinear &,
                            int64_t tileN, int64_t blockRows);

/// The modelled cycles of one candidate (docs/cost-model.md).
BlockedTiles estimateBlocked(const arch::Arch &, const BlockedLinear &,
                             int64_t tileN, int64_t blockRows);

/// The cheapest candidate that fits local memory: Nt a multiple of the lanes
/// dividing n, R dividing rows; ties to fewer tiles, then fewer blocks.
/// `explored` counts the candidates that fit. None when none fits.
std::optional<BlockedTiles>
searchBlocked(const arch::Arch &, const BlockedLinear &, int64_t &explored);

} // namespace butterfly::cost

#endif // BUTTERFLY_COSTMODEL_TILESEARCH_H
