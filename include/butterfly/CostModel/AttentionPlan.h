//===- AttentionPlan.h - Fused attention on the whole array -----*- C++ -*-===//
//
// The plan of a fused attention phase (docs/compiler.md, "Fused attention"):
// softmax(scale · q·kᵀ)·v of every batch×head group with an online softmax,
// the scores never leaving the PEs. Groups, and slices of each group's query
// rows, go to PE rows; a PE row's slice is split over its columns, each PE
// keeping blocks of Bq query rows (transposed) and their output rows while
// the group's keys and values stream past every column of the row in tiles
// of Bk keys. MLIR-free: the decomposition (which attention stays whole),
// the tiling and the PE mapping all ask this one function.
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_COSTMODEL_ATTENTIONPLAN_H
#define BUTTERFLY_COSTMODEL_ATTENTIONPLAN_H

#include "butterfly/Arch/Arch.h"

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <optional>

namespace butterfly::cost {

/// `groups` (batch × heads) attentions of `queries` rows and `keys` keys,
/// query/key rows of `keyDim` words, value rows of `valueDim` words.
struct AttentionShape {
  int64_t groups = 0, queries = 0, keys = 0, keyDim = 0, valueDim = 0;

  /// From the shapes of q [B, H, Lq, Dk], k [B, H, Lk, Dk], v [B, H, Lk, Dv].
  static AttentionShape of(llvm::ArrayRef<int64_t> query,
                           llvm::ArrayRef<int64_t> key,
                           llvm::ArrayRef<int64_t> value) {
    return {query[0] * query[1], query[2], key[2], query[3], value[3]};
  }
};

/// Where a PE keeps what (word addresses of its local memory).
struct AttentionLayout {
  /// Bank 0 side: the output rows (Bq × Dv) and the scores of a tile,
  /// transposed (Bk × Bq: row j holds key j's score for each query).
  int64_t out = 0, scores = 0;
  /// Bank 1 side: the queries, transposed (Dk × Bq), the key or value tile
  /// (Bk rows), and the per-query statistics (Bq each): running maximum,
  /// tile maximum, correction factor, tile sum, running sum.
  int64_t queries = 0, tile = 0;
  int64_t runMax = 0, tileMax = 0, correction = 0, tileSum = 0, runSum = 0;
  int64_t words = 0; ///< the end of the highest buffer
};

struct AttentionPlan {
  /// PE rows (groups × slices, at most the array's rows) and slices of a
  /// group's query rows; PE row r takes slice r % slices of groups
  /// r / slices, r / slices + peRows / slices, ...
  int64_t peRows = 0, slices = 1;
  /// Columns sharing a slice, and the query rows each PE owns of it.
  int64_t columns = 0, rowsPerPe = 0;
  /// Query rows a PE holds at once (passes = rowsPerPe / blockQueries) and
  /// keys per tile.
  int64_t blockQueries = 0, blockKeys = 0;
  AttentionLayout layout;
  /// The instructions of the longest PE program.
  int64_t instructions = 0;
  /// Modelled cycles of one PE's work (docs/cost-model.md §9), by which the
  /// block sizes are chosen.
  double cycles = 0;
};

/// The cheapest plan that fits the arch (local memory, instruction memory,
/// whole flits), or none.
std::optional<AttentionPlan> planFusedAttention(const arch::Arch &,
                                                const AttentionShape &);

} // namespace butterfly::cost

#endif // BUTTERFLY_COSTMODEL_ATTENTIONPLAN_H
