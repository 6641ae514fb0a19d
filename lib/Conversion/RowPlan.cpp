//===- RowPlan.cpp - The row-streaming mapping, shared by its passes -*- C++
//-*-===//
//
// Views, the set of row ops, and how many PE rows a chain can use.
//
//===----------------------------------------------------------------------===//

#include "RowPlan.h"

#include "butterfly/CostModel/TileSearch.h"
#include "butterfly/Dialect/Butterfly/BflyOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"

#include <optional>

using namespace mlir;
using namespace butterfly;
using namespace butterfly::bfly;
using namespace butterfly::rowplan;

static SmallVector<int64_t> contiguousStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t dim = static_cast<int64_t>(shape.size()) - 2; dim >= 0; --dim)
    strides[dim] = strides[dim + 1] * shape[dim + 1];
  return strides;
}

/// `view` reshaped to `newShape` when that only splits dimensions, or
/// merges dimensions laid out one inside the other (stride_i = size_{i+1} ·
/// stride_{i+1}), and adds or drops dimensions of size 1: a strided view
/// again (a four-step FFT splits the transposed sequence this way).
static std::optional<View> restride(const View &view,
                                    ArrayRef<int64_t> newShape) {
  if (view.rowRank != 1)
    return std::nullopt;
  SmallVector<int64_t> oldShape, oldStrides;
  for (auto [size, stride] : llvm::zip(view.shape, view.strides))
    if (size != 1) {
      oldShape.push_back(size);
      oldStrides.push_back(stride);
    }
  View result{view.base, view.offset, SmallVector<int64_t>(newShape),
              SmallVector<int64_t>(newShape.size(), 0), 1};
  size_t o = 0, n = 0;
  while (n < newShape.size() || o < oldShape.size()) {
    if (n < newShape.size() && newShape[n] == 1) {
      ++n;
      continue;
    }
    if (o == oldShape.size() || n == newShape.size())
      return std::nullopt;
    // The smallest groups of old and new dimensions of equal size.
    size_t oldBegin = o, newBegin = n;
    int64_t oldSize = oldShape[o++], newSize = newShape[n++];
    while (oldSize != newSize) {
      if (oldSize < newSize) {
        if (o == oldShape.size())
          return std::nullopt;
        oldSize *= oldShape[o++];
      } else {
        if (n == newShape.size())
          return std::nullopt;
        newSize *= newShape[n++];
      }
    }
    for (size_t i = oldBegin; i + 1 < o; ++i)
      if (oldStrides[i] != oldShape[i + 1] * oldStrides[i + 1])
        return std::nullopt;
    int64_t stride = oldStrides[o - 1];
    for (size_t i = n; i-- > newBegin;) {
      result.strides[i] = newShape[i] == 1 ? 0 : stride;
      stride *= newShape[i];
    }
  }
  return result;
}

FailureOr<View> rowplan::viewOf(Value value, std::string &why) {
  auto type = cast<RankedTensorType>(value.getType());
  Operation *def = value.getDefiningOp();
  if (!isa_and_nonnull<ReshapeOp, TransposeOp, SliceOp, ConcatOp>(def))
    return View{value, 0, SmallVector<int64_t>(type.getShape()),
                contiguousStrides(type.getShape())};
  FailureOr<View> input = viewOf(def->getOperand(0), why);
  if (failed(input))
    return failure();
  View view = *input;
  // Logical dimension i of the input is its view's dimension i, but the last
  // spans the row's rowRank dimensions.
  int64_t logicalRank =
      cast<RankedTensorType>(def->getOperand(0).getType()).getRank();
  if (auto transpose = dyn_cast<TransposeOp>(def)) {
    // Permute the groups of view dimensions; a merged row moved inward
    // becomes leading dimensions (walked like any other).
    if (view.rank() != logicalRank - 1 + view.rowRank) {
      why = "a transpose of a view with merged leading dimensions needs a copy";
      return failure();
    }
    auto group = [&](int64_t dim) {
      return dim + 1 < logicalRank
                 ? std::pair<int64_t, int64_t>{dim, dim + 1}
                 : std::pair<int64_t, int64_t>{dim, view.rank()};
    };
    View permuted{view.base, view.offset, {}, {}, 1};
    for (int64_t dim : transpose.getPermutation()) {
      auto [begin, end] = group(dim);
      permuted.shape.append(view.shape.begin() + begin,
                            view.shape.begin() + end);
      permuted.strides.append(view.strides.begin() + begin,
                              view.strides.begin() + end);
      permuted.rowRank = end - begin;
    }
    return permuted;
  }
  if (!isa<ReshapeOp>(def) &&
      (view.rowRank != 1 || view.rank() != logicalRank)) {
    why = "a slice or concatenation of merged rows needs a copy";
    return failure();
  }
  if (auto slice = dyn_cast<SliceOp>(def)) {
    for (auto [dim, offset] : llvm::enumerate(slice.getOffsets()))
      view.offset += offset * view.strides[dim];
    view.shape.assign(type.getShape().begin(), type.getShape().end());
    return view;
  }
  if (auto concat = dyn_cast<ConcatOp>(def)) {
    // Copies of one value along a dimension of size 1: stride 0.
    int64_t dim = concat.getDim();
    if (llvm::any_of(
            concat.getInputs(),
            [&](Value input) { return input != def->getOperand(0); }) ||
        view.shape[dim] != 1) {
      why = "concatenation of different tensors needs a copy";
      return failure();
    }
    view.shape[dim] = type.getDimSize(dim);
    view.strides[dim] = 0;
    return view;
  }
  // A reshape of a contiguous view is a contiguous view.
  if (view.strides == contiguousStrides(view.shape)) {
    view.shape.assign(type.getShape().begin(), type.getShape().end());
    view.strides = contiguousStrides(view.shape);
    view.rowRank = 1;
    return view;
  }
  if (std::optional<View> strided = restride(view, type.getShape()))
    return *strided;
  // Otherwise it may only merge trailing dimensions into the last one
  // (which the row's DMA pattern then walks) and add or drop dimensions of
  // size 1 before it.
  ArrayRef<int64_t> newShape = type.getShape();
  int64_t rowRank = 0, merged = 1;
  while (rowRank < view.rank() && merged < newShape.back())
    merged *= view.shape[view.rank() - ++rowRank];
  SmallVector<int64_t> oldLeading, oldStrides;
  for (int64_t dim = 0; dim < view.rank() - rowRank; ++dim)
    if (view.shape[dim] != 1) {
      oldLeading.push_back(view.shape[dim]);
      oldStrides.push_back(view.strides[dim]);
    }
  SmallVector<int64_t> newLeading;
  for (int64_t size : newShape.drop_back())
    if (size != 1)
      newLeading.push_back(size);
  if (merged != newShape.back() || newLeading != oldLeading) {
    why = "reshape of a transposed, sliced or replicated tensor needs a copy";
    return failure();
  }
  View result{view.base, view.offset, {}, {}, rowRank};
  size_t next = 0;
  for (int64_t size : newShape.drop_back()) {
    result.shape.push_back(size);
    result.strides.push_back(size == 1 ? 0 : oldStrides[next++]);
  }
  for (int64_t dim = view.rank() - rowRank; dim < view.rank(); ++dim) {
    result.shape.push_back(view.shape[dim]);
    result.strides.push_back(view.strides[dim]);
  }
  return result;
}

SmallVector<std::pair<int64_t, int64_t>> rowplan::rowDims(const View &view) {
  SmallVector<std::pair<int64_t, int64_t>> dims; // (size, stride)
  for (int64_t dim = 0; dim < view.rank() - view.rowRank; ++dim) {
    int64_t size = view.shape[dim], stride = view.strides[dim];
    if (size == 1)
      continue;
    if (!dims.empty() && dims.back().second == size * stride) {
      dims.back() = {dims.back().first * size, stride};
      continue;
    }
    dims.emplace_back(size, stride);
  }
  if (dims.empty())
    dims.emplace_back(1, 0);
  return dims;
}

static bool isConstant(Value value) {
  return matchPattern(value, m_Constant());
}

bool rowplan::readsTwoStreams(Operation *op) {
  return isa<AddOp, MulOp>(op) &&
         op->getOperand(0).getType() == op->getOperand(1).getType() &&
         !isConstant(op->getOperand(1));
}

bool rowplan::isGroupedHead(Operation *op) {
  auto matmul = dyn_cast<MatmulOp>(op);
  return matmul && !isConstant(matmul.getRhs()) &&
         matmul.getRhs().getType().getRank() ==
             matmul.getLhs().getType().getRank() &&
         matmul.getLhs().getType().getRank() > 2;
}

std::pair<int64_t, int64_t> rowplan::groupShape(Operation *op) {
  ArrayRef<int64_t> lhs =
      cast<RankedTensorType>(op->getOperand(0).getType()).getShape();
  int64_t groups = 1;
  for (int64_t size : lhs.drop_back(2))
    groups *= size;
  return {groups, lhs[lhs.size() - 2]};
}

bool rowplan::isViewOp(Operation *op) {
  return isa<ReshapeOp, TransposeOp, SliceOp, ConcatOp>(op);
}

/// The rhs of an add/mul broadcasts one row (or one value) to every row.
static bool broadcastsOneRow(Value rhs) {
  ArrayRef<int64_t> shape = cast<RankedTensorType>(rhs.getType()).getShape();
  return llvm::all_of(shape.drop_back(),
                      [](int64_t size) { return size == 1; });
}

int64_t rowplan::rowPeriod(Operation *op) {
  if (!isa<AddOp, MulOp>(op) || readsTwoStreams(op) ||
      broadcastsOneRow(op->getOperand(1)))
    return 0;
  // [1, ..., 1, period, width] against a lhs with at least one more
  // leading dimension.
  ArrayRef<int64_t> rhs =
      cast<RankedTensorType>(op->getOperand(1).getType()).getShape();
  int64_t lhsRank =
      cast<RankedTensorType>(op->getOperand(0).getType()).getRank();
  if (rhs.size() < 2 ||
      !llvm::all_of(rhs.drop_back(2), [](int64_t size) { return size == 1; }) ||
      lhsRank < 3)
    return 0;
  return rhs[rhs.size() - 2];
}

int64_t rowplan::wordsPerElement(Type type) {
  return isa<ComplexType>(getElementTypeOrSelf(type)) ? 2 : 1;
}

int64_t rowplan::rowWords(Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  return type.getShape().back() * wordsPerElement(type);
}

std::optional<cost::AttentionPlan>
rowplan::fusedAttentionPlan(Operation *op, const arch::Arch &arch) {
  auto attention = dyn_cast<AttentionOp>(op);
  if (!attention || attention.getMask() || attention.getCausal())
    return std::nullopt;
  auto shape = [](Value value) {
    return cast<RankedTensorType>(value.getType()).getShape();
  };
  return cost::planFusedAttention(
      arch, cost::AttentionShape::of(shape(attention.getQuery()),
                                     shape(attention.getKey()),
                                     shape(attention.getValue())));
}

View rowplan::selectGroup(View view, int64_t group) {
  for (int64_t dim = view.rank() - 3; dim >= 0; --dim) {
    view.offset += (group % view.shape[dim]) * view.strides[dim];
    group /= view.shape[dim];
    view.shape[dim] = 1;
  }
  return view;
}

bool rowplan::isRowOp(Operation *op, std::string &why) {
  auto lastDim = [&](int64_t dim) {
    return dim ==
           cast<RankedTensorType>(op->getOperand(0).getType()).getRank() - 1;
  };
  if (isa<ScaleOp, ReluOp, GeluOp, BitReverseOp, RealOp>(op)) {
    if (auto reverse = dyn_cast<BitReverseOp>(op);
        reverse && !lastDim(reverse.getDim())) {
      why = "it permutes an inner dimension";
      return false;
    }
    return true;
  }
  if (auto toComplex = dyn_cast<ToComplexOp>(op)) {
    why = "an imaginary part is not supported";
    return !toComplex.getImag();
  }
  if (isa<AddOp, MulOp>(op)) {
    Value lhs = op->getOperand(0), rhs = op->getOperand(1);
    if (isa<MulOp>(op) && readsTwoStreams(op) &&
        isa<ComplexType>(getElementTypeOrSelf(lhs.getType()))) {
      why = "complex products of two streams are not supported";
      return false;
    }
    if (readsTwoStreams(op) || rowPeriod(op) > 0)
      return true;
    if (!broadcastsOneRow(rhs)) {
      why = "its rhs varies per row (e.g. a causal or additive attention "
            "mask)";
      return false;
    }
    return true;
  }
  if (auto softmax = dyn_cast<SoftmaxOp>(op)) {
    why = "it normalises an inner dimension";
    return lastDim(softmax.getAxis());
  }
  if (isa<LayerNormOp, LinearOp>(op))
    return true;
  if (auto attention = dyn_cast<AttentionOp>(op)) {
    why = "only attention without a mask or causal runs fused; "
          "bfly-decompose splits the others";
    return !attention.getMask() && !attention.getCausal();
  }
  if (auto matmul = dyn_cast<MatmulOp>(op)) {
    // A batched product of two streams, or rows times a shared matrix.
    if (matmul.getRhs().getType().getRank() == 2 ||
        matmul.getRhs().getType().getRank() ==
            matmul.getLhs().getType().getRank())
      return true;
    why = "its rhs is neither per batch nor shared";
    return false;
  }
  if (auto stage = dyn_cast<ButterflyStageOp>(op)) {
    ArrayRef<int64_t> stacks =
        stage.getTwiddles().getType().getShape().drop_back(3);
    if (llvm::count_if(stacks, [](int64_t size) { return size != 1; }) > 1 ||
        (!stacks.empty() && stacks.back() != 1 &&
         llvm::any_of(stacks.drop_back(),
                      [](int64_t size) { return size != 1; }))) {
      why = "its twiddles vary over more than one stack dimension";
      return false;
    }
    return true;
  }
  if (auto pad = dyn_cast<PadOp>(op)) {
    why = "it pads an inner dimension";
    return llvm::all_of(pad.getHigh().drop_back(),
                        [](int64_t amount) { return amount == 0; });
  }
  why = "the row-streaming mapping does not implement it yet";
  return false;
}

int64_t rowplan::rowCycle(Operation *op) {
  auto stage = dyn_cast<ButterflyStageOp>(op);
  if (!stage)
    return 1;
  ArrayRef<int64_t> stacks =
      stage.getTwiddles().getType().getShape().drop_back(3);
  return stacks.empty() ? 1 : stacks.back();
}

int64_t rowplan::choosePeRows(const View &head, int64_t cycle,
                              const arch::Arch &arch) {
  SmallVector<std::pair<int64_t, int64_t>> dims = rowDims(head);
  int64_t rows = 1;
  for (auto [size, stride] : dims)
    rows *= size;
  for (int64_t peRows = std::min(arch.rows, rows); peRows >= 1; --peRows) {
    if (peRows % cycle != 0)
      continue;
    // One row dimension: PE row r takes rows r, r + P, ... (any P). Two
    // (outer, inner): P dividing the inner size, or P = inner · q with q
    // dividing the outer size, keeps each PE's rows an affine pattern (and
    // still rows r, r + P, ... of the whole).
    // One row dimension, or one PE row walking any number of them.
    if (dims.size() == 1 || peRows == 1)
      return peRows;
    if (dims.size() == 2 && (dims[1].first % peRows == 0 ||
                             (peRows % dims[1].first == 0 &&
                              dims[0].first % (peRows / dims[1].first) == 0)))
      return peRows;
  }
  return 0;
}

Band rowplan::chooseBand(Operation *op, const arch::Arch &arch) {
  if (!isa<LinearOp, MatmulOp>(op))
    return {};
  auto words = [&](int64_t count) {
    return (count + arch.lanes - 1) / arch.lanes * arch.lanes;
  };
  int64_t k =
      cast<RankedTensorType>(op->getOperand(0).getType()).getShape().back();
  int64_t n =
      cast<RankedTensorType>(op->getResult(0).getType()).getShape().back();
  int64_t bias = isa<LinearOp>(op) && cast<LinearOp>(op).getBias() ? 1 : 0;
  int64_t available = arch.localMemBytes / 4;
  // The narrowest band that holds the weight of `tileN` output columns,
  // split by output columns (the input row, the output chunk, the weight
  // chunk and the bias chunk) or by the contraction (the input chunk, the
  // accumulator, the partial sum from the west, the weight rows and the
  // bias).
  auto streamingBand = [&](int64_t tileN) -> std::optional<Band> {
    int64_t tiles = n / tileN;
    for (int64_t width = 1; width <= std::min(arch.cols, tileN); ++width) {
      int64_t chunk = tileN / width;
      if (tileN % width == 0 && chunk % arch.lanes == 0 &&
          words(k) + (2 + bias) * words(chunk) + words(k * chunk) <= available)
        return Band{width, false, tiles};
    }
    for (int64_t width = 2; width <= std::min(arch.cols, k); ++width) {
      int64_t chunk = k / width;
      if (k % width == 0 && chunk % arch.lanes == 0 &&
          words(chunk) + (2 + bias) * words(tileN) + words(chunk * tileN) <=
              available)
        return Band{width, true, tiles};
    }
    return std::nullopt;
  };
  if (std::optional<Band> band = streamingBand(n))
    return *band;
  // Otherwise in tiles of output columns. A grouped matmul receives each
  // tile of its group's rhs before the group's rows again: the fewest tiles
  // that fit. Other ops are split by the contraction over the widest band
  // and keep blocks of rows; the tiling searches the tile and block sizes
  // with the cost model (tiles here: the narrowest tiles, which fit if any
  // do).
  if (isGroupedHead(op)) {
    for (int64_t tiles = 2; tiles <= n / arch.lanes; ++tiles)
      if (n % tiles == 0 && (n / tiles) % arch.lanes == 0)
        if (std::optional<Band> band = streamingBand(n / tiles))
          return *band;
    return {0, false, 1};
  }
  int64_t width = std::min(arch.cols, k);
  while (width > 1 && (k % width != 0 || (k / width) % arch.lanes != 0))
    --width;
  cost::BlockedLinear shape{1, k, n, width, 1, bias != 0, false};
  if (n % arch.lanes != 0 ||
      cost::blockedLocalWords(arch, shape, arch.lanes, 1) > available)
    return {0, false, 1};
  return {width, width > 1, n / arch.lanes};
}

bool rowplan::streamsRowTwice(Operation *op, const arch::Arch &arch) {
  if (!isa<SoftmaxOp>(op))
    return false;
  int64_t row =
      cast<RankedTensorType>(op->getOperand(0).getType()).getShape().back();
  // The row, the result and a flit of temporaries.
  return 2 * row + arch.lanes > arch.localMemBytes / 4;
}

Band rowplan::bandOf(Operation *op) {
  auto width = op->getAttrOfType<IntegerAttr>(kWidthAttr);
  auto tiles = op->getAttrOfType<IntegerAttr>(kTilesAttr);
  auto blockRows = op->getAttrOfType<IntegerAttr>(kBlockRowsAttr);
  return {width ? width.getInt() : 1, op->hasAttr(kSplitKAttr),
          tiles ? tiles.getInt() : 1, blockRows ? blockRows.getInt() : 0};
}

FailureOr<arch::Arch> rowplan::loadTarget(StringRef file, Operation *anchor,
                                          StringRef pass) {
  if (file.empty())
    return arch::Arch();
  llvm::Expected<arch::Arch> loaded = arch::loadArch(file);
  if (!loaded)
    return anchor->emitError()
           << pass << ": " << llvm::toString(loaded.takeError());
  return *loaded;
}
