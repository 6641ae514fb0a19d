//===- RowPlan.h - The row-streaming mapping, shared by its passes -*- C++
//-*-===//
//
// The model of computation that bfly-multilayer-tiling plans and
// bfly-pe-mapping emits: tensors stream through the array as rows (their
// last dimension); row ops run one per PE column; reshapes, transposes,
// slices and replications are strided views read by DMA. See
// docs/compiler.md.
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_LIB_CONVERSION_ROWPLAN_H
#define BUTTERFLY_LIB_CONVERSION_ROWPLAN_H

#include "butterfly/Arch/Arch.h"
#include "butterfly/CostModel/AttentionPlan.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace butterfly::rowplan {

/// The plan attributes on each row op.
inline constexpr llvm::StringLiteral kPhaseAttr = "dfa.phase";
inline constexpr llvm::StringLiteral kColumnAttr = "dfa.column";
inline constexpr llvm::StringLiteral kPeRowsAttr = "dfa.pe_rows";
inline constexpr llvm::StringLiteral kWidthAttr = "dfa.width";
inline constexpr llvm::StringLiteral kSplitKAttr = "dfa.split_k";
inline constexpr llvm::StringLiteral kTilesAttr = "dfa.tiles";
inline constexpr llvm::StringLiteral kBlockRowsAttr = "dfa.block_rows";

/// A strided view of a materialized tensor: element (i_0, ..., i_k) is at
/// element offset + Σ i_d·strides[d] of `base` (complex elements are two
/// words). A logical row is the last `rowRank` dimensions (more than one
/// when a reshape merged dimensions that are not contiguous, such as the
/// heads of an attention output).
struct View {
  mlir::Value base;
  int64_t offset = 0;
  llvm::SmallVector<int64_t> shape, strides;
  int64_t rowRank = 1;
  int64_t rank() const { return static_cast<int64_t>(shape.size()); }
};

/// Words per element of a tensor type (2 for complex).
int64_t wordsPerElement(mlir::Type type);

/// The words of one row (the last dimension) of a tensor value.
int64_t rowWords(mlir::Value value);

/// The view a value denotes: itself (contiguous), or what reshape,
/// transpose, slice and concatenation of copies make of their input's view.
/// Fails with a reason for views that strides cannot express.
mlir::FailureOr<View> viewOf(mlir::Value value, std::string &why);

/// The view's row dimensions (all but the row's) merged where contiguous,
/// as (size, stride) pairs.
llvm::SmallVector<std::pair<int64_t, int64_t>> rowDims(const View &view);

/// Whether `op` is a row op the mapping runs on PEs; `why` says what is
/// missing otherwise.
bool isRowOp(mlir::Operation *op, std::string &why);

/// Whether `op` is an add/mul of two streamed tensors of one shape (read
/// interleaved, row by row) rather than of a stream and a constant row.
bool readsTwoStreams(mlir::Operation *op);

/// For an add/mul whose rhs varies per row but repeats with a period (an
/// attention mask [Lq, Lk] over scores [B, H, Lq, Lk]): that period, the
/// rows of one group; 0 otherwise. Such ops run in chains headed by a
/// grouped op with that many rows per group, indexing the rhs by the row's
/// position in its group (a hardware-loop increment).
int64_t rowPeriod(mlir::Operation *op);

/// Whether `op` is a matmul of two streamed tensors: its rows come in
/// groups (the batch), each preceded by the group's rhs.
bool isGroupedHead(mlir::Operation *op);

/// The number of groups and rows per group of a grouped head.
std::pair<int64_t, int64_t> groupShape(mlir::Operation *op);

/// Whether `op` is a view op (no code; a DMA stride pattern).
bool isViewOp(mlir::Operation *op);

/// The stacks (twiddle sets cycling over consecutive rows) a row op needs
/// its PE row to see one of; 1 for all but stacked butterfly stages.
int64_t rowCycle(mlir::Operation *op);

/// How many PE columns an op spans and how it is split over them: a linear
/// or matmul whose weight does not fit one PE's local memory is split by
/// output columns (each member computes N/width outputs) or, when even that
/// does not fit, by the contraction (each member multiplies K/width inputs
/// and adds the partial sum from the west). When no band of the array's
/// columns holds the whole weight, the output columns are computed in
/// `tiles` tiles of N/tiles columns: a grouped matmul streams its group's
/// rows once per tile, other ops keep blocks of `blockRows` rows (chosen by
/// the tiling's search) and receive the weight tile after tile. Width 1 for
/// other ops, 0 when nothing fits.
struct Band {
  int64_t width = 1;
  bool contraction = false;
  int64_t tiles = 1;
  int64_t blockRows = 0;
};
Band chooseBand(mlir::Operation *op, const arch::Arch &arch);

/// Whether `op` needs its whole row at once (a softmax) but the row and its
/// result do not fit a PE's local memory: its input streams each row twice,
/// the first pass for the row's maximum and sum, the second for the
/// result, both in pieces. Such an op heads its phase.
bool streamsRowTwice(mlir::Operation *op, const arch::Arch &arch);

/// The band recorded on an op by the tiling.
Band bandOf(mlir::Operation *op);

/// The largest number of PE rows (<= arch rows) that can share a chain whose
/// head reads `head` and whose ops need rows in cycles of `cycle`; 0 if none.
int64_t choosePeRows(const View &head, int64_t cycle, const arch::Arch &arch);

/// The fused plan of an attention op that bfly-decompose kept whole; none
/// when it has a mask, is causal or no plan fits the arch.
std::optional<cost::AttentionPlan> fusedAttentionPlan(mlir::Operation *op,
                                                      const arch::Arch &arch);

/// Element offset of group `group` (the leading dimensions, all but the last
/// two, taken row-major) in `view`, and the view restricted to it.
View selectGroup(View view, int64_t group);

/// The arch named by a pass option (the built-in default when empty).
mlir::FailureOr<arch::Arch>
loadTarget(llvm::StringRef file, mlir::Operation *anchor, llvm::StringRef pass);

} // namespace butterfly::rowplan

#endif // BUTTERFLY_LIB_CONVERSION_ROWPLAN_H
