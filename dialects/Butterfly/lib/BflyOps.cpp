//===- BflyOps.cpp - bfly dialect operations --------------------*- C++ -*-===//
//
// Verifiers, type inference, folders and canonicalization patterns of the bfly
// operations. Verifier messages name the operand and the offending sizes, since
// they are what a user sees when a frontend or a hand-written model is wrong.
//
//===----------------------------------------------------------------------===//

#include "butterfly/Dialect/Butterfly/BflyOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>
#include <complex>

using namespace mlir;
using namespace butterfly::bfly;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Two sizes agree unless both are static and differ.
static bool sizesAgree(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

static std::string shapeToString(ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "[";
  llvm::interleaveComma(shape, os, [&](int64_t size) {
    if (ShapedType::isDynamic(size))
      os << "?";
    else
      os << size;
  });
  os << "]";
  return text;
}

/// Checks that `result` has the shape the op computes from its operands.
static LogicalResult
verifyResultShape(Operation *op, ArrayRef<int64_t> expected, Type result) {
  ArrayRef<int64_t> actual = cast<RankedTensorType>(result).getShape();
  if (actual.size() == expected.size() &&
      llvm::all_of(llvm::zip_equal(actual, expected), [](auto pair) {
        return sizesAgree(std::get<0>(pair), std::get<1>(pair));
      }))
    return success();
  return op->emitOpError("result type ")
         << result << " does not match the computed shape "
         << shapeToString(expected);
}

static LogicalResult verifySparsity(Operation *op,
                                    std::optional<SparsityKind> sparsity,
                                    ArrayRef<SparsityKind> allowed) {
  if (!sparsity || llvm::is_contained(allowed, *sparsity))
    return success();
  InFlightDiagnostic diag = op->emitOpError("sparsity '")
                            << stringifySparsityKind(*sparsity)
                            << "' is not meaningful here; expected ";
  llvm::interleave(
      allowed,
      [&](SparsityKind kind) {
        diag << "'" << stringifySparsityKind(kind) << "'";
      },
      [&] { diag << " or "; });
  return diag;
}

static LogicalResult verifyDimInRange(Operation *op, StringRef name,
                                      int64_t dim, int64_t rank) {
  if (dim >= 0 && dim < rank)
    return success();
  return op->emitOpError() << name << " " << dim
                           << " is out of range for a rank-" << rank
                           << " tensor";
}

static RankedTensorType rankedType(Value value) {
  return cast<RankedTensorType>(value.getType());
}

//===----------------------------------------------------------------------===//
// Custom directives
//===----------------------------------------------------------------------===//

/// `T` (both operands of type T) or `T, U` (the rhs broadcasts).
static ParseResult parseBroadcastTypes(OpAsmParser &parser, Type &lhsType,
                                       Type &rhsType) {
  if (parser.parseType(lhsType))
    return failure();
  rhsType = lhsType;
  if (succeeded(parser.parseOptionalComma()))
    return parser.parseType(rhsType);
  return success();
}

static void printBroadcastTypes(OpAsmPrinter &printer, Operation *,
                                Type lhsType, Type rhsType) {
  printer << lhsType;
  if (rhsType != lhsType)
    printer << ", " << rhsType;
}

//===----------------------------------------------------------------------===//
// AddOp, MulOp
//===----------------------------------------------------------------------===//

static LogicalResult verifyBroadcast(Operation *op, Value lhs, Value rhs) {
  RankedTensorType lhsType = rankedType(lhs), rhsType = rankedType(rhs);
  if (lhsType.getElementType() != rhsType.getElementType())
    return op->emitOpError("operand element types differ: ")
           << lhsType.getElementType() << " vs " << rhsType.getElementType();
  int64_t offset = lhsType.getRank() - rhsType.getRank();
  bool broadcasts = offset >= 0;
  for (int64_t dim = 0; broadcasts && dim < rhsType.getRank(); ++dim) {
    int64_t size = rhsType.getDimSize(dim);
    broadcasts =
        size == 1 || sizesAgree(size, lhsType.getDimSize(dim + offset));
  }
  if (!broadcasts)
    return op->emitOpError("rhs ")
           << rhsType << " does not broadcast to lhs " << lhsType
           << " (trailing dimensions must be equal or 1)";
  return success();
}

LogicalResult AddOp::verify() {
  return verifyBroadcast(*this, getLhs(), getRhs());
}
LogicalResult MulOp::verify() {
  return verifyBroadcast(*this, getLhs(), getRhs());
}

//===----------------------------------------------------------------------===//
// SliceOp, PadOp, ConcatOp
//===----------------------------------------------------------------------===//

/// The input and result element types of a data-movement op agree.
static LogicalResult verifySameElementType(Operation *op, Type input,
                                           Type result) {
  if (getElementTypeOrSelf(input) == getElementTypeOrSelf(result))
    return success();
  return op->emitOpError("result element type ")
         << getElementTypeOrSelf(result) << " differs from the input's "
         << getElementTypeOrSelf(input);
}

LogicalResult SliceOp::verify() {
  RankedTensorType inputType = rankedType(getInput());
  RankedTensorType resultType = getType();
  ArrayRef<int64_t> offsets = getOffsets();
  if (failed(verifySameElementType(*this, inputType, resultType)))
    return failure();
  if (resultType.getRank() != inputType.getRank() ||
      static_cast<int64_t>(offsets.size()) != inputType.getRank())
    return emitOpError("offsets ")
           << shapeToString(offsets) << " and result " << resultType
           << " must both have the input's rank " << inputType.getRank();
  if (!inputType.hasStaticShape() || !resultType.hasStaticShape())
    return emitOpError("requires static shapes");
  for (int64_t dim = 0; dim < inputType.getRank(); ++dim)
    if (offsets[dim] < 0 ||
        offsets[dim] + resultType.getDimSize(dim) > inputType.getDimSize(dim))
      return emitOpError("dimension ")
             << dim << ": [" << offsets[dim] << ", "
             << offsets[dim] + resultType.getDimSize(dim)
             << ") is outside the input's [0, " << inputType.getDimSize(dim)
             << ")";
  return success();
}

/// The elements of `dense` in the box at `offsets` with the shape of
/// `resultType` (row-major).
template <typename T>
static DenseElementsAttr sliceElements(DenseElementsAttr dense,
                                       ArrayRef<int64_t> offsets,
                                       RankedTensorType resultType) {
  ArrayRef<int64_t> inputShape = dense.getType().getShape();
  SmallVector<int64_t> strides(inputShape.size(), 1);
  for (int64_t dim = static_cast<int64_t>(inputShape.size()) - 2; dim >= 0;
       --dim)
    strides[dim] = strides[dim + 1] * inputShape[dim + 1];
  auto values = dense.getValues<T>();
  SmallVector<T> result;
  result.reserve(resultType.getNumElements());
  SmallVector<int64_t> index(resultType.getRank(), 0);
  for (int64_t flat = 0; flat < resultType.getNumElements(); ++flat) {
    int64_t source = 0;
    for (auto [dim, position] : llvm::enumerate(index))
      source += (offsets[dim] + position) * strides[dim];
    result.push_back(values[source]);
    for (int64_t dim = resultType.getRank() - 1; dim >= 0; --dim) {
      if (++index[dim] < resultType.getDimSize(dim))
        break;
      index[dim] = 0;
    }
  }
  return DenseElementsAttr::get(resultType, ArrayRef<T>(result));
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  // Slices of constants (e.g. one factor of constant twiddles) fold, so that
  // later stages see plain constants.
  auto dense = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput());
  if (!dense)
    return {};
  if (dense.getElementType().isF32())
    return sliceElements<float>(dense, getOffsets(), getType());
  return sliceElements<std::complex<float>>(dense, getOffsets(), getType());
}

LogicalResult PadOp::verify() {
  RankedTensorType inputType = rankedType(getInput());
  ArrayRef<int64_t> high = getHigh();
  if (failed(verifySameElementType(*this, inputType, getType())))
    return failure();
  if (static_cast<int64_t>(high.size()) != inputType.getRank())
    return emitOpError("high has ")
           << high.size() << " entries but the input has rank "
           << inputType.getRank();
  if (llvm::any_of(high, [](int64_t amount) { return amount < 0; }))
    return emitOpError("padding amounts must be >= 0, got ")
           << shapeToString(high);
  SmallVector<int64_t> expected;
  for (auto [size, amount] : llvm::zip_equal(inputType.getShape(), high))
    expected.push_back(ShapedType::isDynamic(size) ? size : size + amount);
  return verifyResultShape(*this, expected, getType());
}

OpFoldResult PadOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

LogicalResult ConcatOp::verify() {
  if (getInputs().empty())
    return emitOpError("needs at least one input");
  RankedTensorType firstType = rankedType(getInputs().front());
  int64_t rank = firstType.getRank();
  if (failed(verifyDimInRange(*this, "dim", getDim(), rank)))
    return failure();
  int64_t total = 0;
  for (auto [index, input] : llvm::enumerate(getInputs())) {
    RankedTensorType type = rankedType(input);
    if (failed(verifySameElementType(*this, type, getType())))
      return failure();
    bool agrees = type.getRank() == rank;
    for (int64_t dim = 0; agrees && dim < rank; ++dim)
      agrees = dim == static_cast<int64_t>(getDim()) ||
               sizesAgree(type.getDimSize(dim), firstType.getDimSize(dim));
    if (!agrees)
      return emitOpError("input ")
             << index << " " << type << " differs from input 0 " << firstType
             << " outside dimension " << getDim();
    if (ShapedType::isDynamic(type.getDimSize(getDim())) ||
        ShapedType::isDynamic(total))
      total = ShapedType::kDynamic;
    else
      total += type.getDimSize(getDim());
  }
  SmallVector<int64_t> expected(firstType.getShape());
  expected[getDim()] = total;
  return verifyResultShape(*this, expected, getType());
}

//===----------------------------------------------------------------------===//
// LinearOp
//===----------------------------------------------------------------------===//

LogicalResult LinearOp::verify() {
  RankedTensorType inputType = rankedType(getInput());
  RankedTensorType weightType = rankedType(getWeight());
  if (inputType.getRank() < 1)
    return emitOpError("input must have rank >= 1");
  if (weightType.getRank() != 2)
    return emitOpError("weight must have rank 2 [in_features, "
                       "out_features], got rank ")
           << weightType.getRank();
  int64_t inFeatures = inputType.getShape().back();
  if (!sizesAgree(inFeatures, weightType.getDimSize(0)))
    return emitOpError("input has ")
           << inFeatures << " features but the weight has "
           << weightType.getDimSize(0) << " rows";
  int64_t outFeatures = weightType.getDimSize(1);
  if (Value bias = getBias()) {
    RankedTensorType biasType = rankedType(bias);
    if (biasType.getRank() != 1 ||
        !sizesAgree(biasType.getDimSize(0), outFeatures))
      return emitOpError("bias must be 1-D with ")
             << outFeatures << " elements, got " << biasType;
  }
  SmallVector<int64_t> expected(inputType.getShape().drop_back());
  expected.push_back(outFeatures);
  if (failed(verifyResultShape(*this, expected, getType())))
    return failure();
  return verifySparsity(*this, getSparsity(),
                        {SparsityKind::dense, SparsityKind::butterfly});
}

//===----------------------------------------------------------------------===//
// MatmulOp
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::verify() {
  RankedTensorType lhsType = rankedType(getLhs());
  RankedTensorType rhsType = rankedType(getRhs());
  int64_t rank = lhsType.getRank();
  if (rank < 2)
    return emitOpError("lhs must have rank >= 2, got rank ") << rank;
  if (rhsType.getRank() != 2 && rhsType.getRank() != rank)
    return emitOpError("rhs must have rank 2 or the rank of lhs (")
           << rank << "), got rank " << rhsType.getRank();
  int64_t lhsK = lhsType.getDimSize(rank - 1);
  int64_t rhsK = rhsType.getDimSize(rhsType.getRank() - 2);
  if (!sizesAgree(lhsK, rhsK))
    return emitOpError("contraction sizes differ: lhs has K = ")
           << lhsK << ", rhs has K = " << rhsK;
  if (rhsType.getRank() == rank) {
    for (int64_t dim = 0; dim < rank - 2; ++dim)
      if (!sizesAgree(lhsType.getDimSize(dim), rhsType.getDimSize(dim)))
        return emitOpError("batch dimension ")
               << dim << " differs: lhs has " << lhsType.getDimSize(dim)
               << ", rhs has " << rhsType.getDimSize(dim);
  }
  SmallVector<int64_t> expected(lhsType.getShape().drop_back());
  expected.push_back(rhsType.getShape().back());
  return verifyResultShape(*this, expected, getType());
}

//===----------------------------------------------------------------------===//
// ScaleOp
//===----------------------------------------------------------------------===//

LogicalResult ScaleOp::verify() {
  if (!std::isfinite(getFactor().convertToDouble()))
    return emitOpError("factor must be finite");
  return success();
}

OpFoldResult ScaleOp::fold(FoldAdaptor) {
  if (getFactor().convertToDouble() == 1.0)
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// SoftmaxOp, LayerNormOp, ReluOp
//===----------------------------------------------------------------------===//

LogicalResult SoftmaxOp::verify() {
  return verifyDimInRange(*this, "axis", getAxis(),
                          rankedType(getInput()).getRank());
}

LogicalResult LayerNormOp::verify() {
  RankedTensorType inputType = rankedType(getInput());
  if (inputType.getRank() < 1)
    return emitOpError("input must have rank >= 1");
  int64_t features = inputType.getShape().back();
  for (auto [name, value] : {std::pair<StringRef, Value>{"gamma", getGamma()},
                             {"beta", getBeta()}}) {
    RankedTensorType type = rankedType(value);
    if (type.getRank() != 1 || !sizesAgree(type.getDimSize(0), features))
      return emitOpError() << name << " must be 1-D with " << features
                           << " elements (the last input dimension), got "
                           << type;
  }
  double epsilon = getEpsilon().convertToDouble();
  if (!(epsilon > 0.0) || !std::isfinite(epsilon))
    return emitOpError("epsilon must be positive and finite, got ") << epsilon;
  return success();
}

OpFoldResult ReluOp::fold(FoldAdaptor) {
  // relu is idempotent.
  if (getInput().getDefiningOp<ReluOp>())
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// TransposeOp
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::verify() {
  RankedTensorType inputType = rankedType(getInput());
  ArrayRef<int64_t> permutation = getPermutation();
  int64_t rank = inputType.getRank();
  if (static_cast<int64_t>(permutation.size()) != rank)
    return emitOpError("permutation has ")
           << permutation.size() << " entries but the input has rank " << rank;
  SmallVector<bool> seen(rank, false);
  for (int64_t dim : permutation) {
    if (dim < 0 || dim >= rank || seen[dim])
      return emitOpError("permutation ")
             << shapeToString(permutation) << " is not a permutation of 0.."
             << rank - 1;
    seen[dim] = true;
  }
  if (failed(verifySameElementType(*this, inputType, getType())))
    return failure();
  SmallVector<int64_t> expected;
  for (int64_t dim : permutation)
    expected.push_back(inputType.getDimSize(dim));
  return verifyResultShape(*this, expected, getType());
}

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  // With dynamic sizes an identity permutation may still change the type.
  if (getInput().getType() != getType())
    return {};
  ArrayRef<int64_t> permutation = getPermutation();
  for (auto [index, dim] : llvm::enumerate(permutation))
    if (static_cast<int64_t>(index) != dim)
      return {};
  return getInput();
}

namespace {
/// transpose(transpose(x, inner), outer) -> transpose(x, inner∘outer).
struct ComposeTransposes : public OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<TransposeOp>();
    if (!inner)
      return failure();
    SmallVector<int64_t> composed;
    for (int64_t dim : op.getPermutation())
      composed.push_back(inner.getPermutation()[dim]);
    rewriter.replaceOpWithNewOp<TransposeOp>(op, op.getType(), inner.getInput(),
                                             composed);
    return success();
  }
};
} // namespace

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<ComposeTransposes>(context);
}

//===----------------------------------------------------------------------===//
// ReshapeOp
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  RankedTensorType inputType = rankedType(getInput());
  RankedTensorType resultType = getType();
  if (!inputType.hasStaticShape() || !resultType.hasStaticShape())
    return emitOpError("requires static shapes, got ")
           << inputType << " -> " << resultType;
  if (failed(verifySameElementType(*this, inputType, resultType)))
    return failure();
  if (inputType.getNumElements() != resultType.getNumElements())
    return emitOpError("cannot reshape ")
           << inputType.getNumElements() << " elements into "
           << resultType.getNumElements();
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  if (auto dense = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput()))
    return dense.reshape(getType());
  // A reshape of a reshape reads the original row-major data directly.
  if (auto inner = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(inner.getInput());
    return getResult();
  }
  return {};
}

//===----------------------------------------------------------------------===//
// AttentionOp
//===----------------------------------------------------------------------===//

LogicalResult AttentionOp::verify() {
  RankedTensorType queryType = rankedType(getQuery());
  RankedTensorType keyType = rankedType(getKey());
  RankedTensorType valueType = rankedType(getValue());
  for (auto [name, type] :
       {std::pair<StringRef, RankedTensorType>{"query", queryType},
        {"key", keyType},
        {"value", valueType}})
    if (type.getRank() != 4)
      return emitOpError() << name << " must have rank 4 [B, H, L, D], got "
                           << type;
  for (int64_t dim : {0, 1}) {
    StringRef what = dim == 0 ? "batch" : "head";
    if (!sizesAgree(queryType.getDimSize(dim), keyType.getDimSize(dim)) ||
        !sizesAgree(queryType.getDimSize(dim), valueType.getDimSize(dim)))
      return emitOpError("query, key and value differ in the ")
             << what << " dimension: " << queryType.getDimSize(dim) << ", "
             << keyType.getDimSize(dim) << ", " << valueType.getDimSize(dim);
  }
  if (!sizesAgree(queryType.getDimSize(3), keyType.getDimSize(3)))
    return emitOpError("query and key head sizes differ: ")
           << queryType.getDimSize(3) << " vs " << keyType.getDimSize(3);
  if (!sizesAgree(keyType.getDimSize(2), valueType.getDimSize(2)))
    return emitOpError("key and value sequence lengths differ: ")
           << keyType.getDimSize(2) << " vs " << valueType.getDimSize(2);
  int64_t queryLen = queryType.getDimSize(2), keyLen = keyType.getDimSize(2);
  if (Value mask = getMask()) {
    RankedTensorType maskType = rankedType(mask);
    ArrayRef<int64_t> shape = maskType.getShape();
    auto broadcastsTo = [](int64_t size, int64_t target) {
      return size == 1 || sizesAgree(size, target);
    };
    bool valid = (shape.size() == 2 || shape.size() == 4) &&
                 sizesAgree(shape[shape.size() - 2], queryLen) &&
                 sizesAgree(shape.back(), keyLen) &&
                 (shape.size() == 2 ||
                  (broadcastsTo(shape[0], queryType.getDimSize(0)) &&
                   broadcastsTo(shape[1], queryType.getDimSize(1))));
    if (!valid)
      return emitOpError("mask must be [Lq, Lk] = ")
             << shapeToString({queryLen, keyLen})
             << " or [B|1, H|1, Lq, Lk], got " << maskType;
  }
  if (std::optional<APFloat> scale = getScale())
    if (!scale->isFiniteNonZero())
      return emitOpError("scale must be finite and non-zero");
  SmallVector<int64_t> expected{queryType.getDimSize(0),
                                queryType.getDimSize(1), queryLen,
                                valueType.getDimSize(3)};
  if (failed(verifyResultShape(*this, expected, getType())))
    return failure();
  return verifySparsity(*this, getSparsity(),
                        {SparsityKind::dense, SparsityKind::fourier});
}

double AttentionOp::getEffectiveScale() {
  if (std::optional<APFloat> scale = getScale())
    return scale->convertToDouble();
  return 1.0 /
         std::sqrt(static_cast<double>(rankedType(getQuery()).getDimSize(3)));
}

//===----------------------------------------------------------------------===//
// FourierMixOp
//===----------------------------------------------------------------------===//

LogicalResult FourierMixOp::verify() {
  RankedTensorType inputType = rankedType(getInput());
  if (inputType.getRank() != 3)
    return emitOpError("input must have rank 3 [B, L, D], got ") << inputType;
  return verifySparsity(*this, getSparsity(), {SparsityKind::fourier});
}

//===----------------------------------------------------------------------===//
// FftOp, IfftOp, RealOp, ToComplexOp
//===----------------------------------------------------------------------===//

LogicalResult FftOp::verify() {
  return verifyDimInRange(*this, "dim", getDim(),
                          rankedType(getInput()).getRank());
}

LogicalResult IfftOp::verify() {
  return verifyDimInRange(*this, "dim", getDim(),
                          rankedType(getInput()).getRank());
}

namespace {
/// A transform followed by its inverse along the same dimension is the
/// identity: fft(ifft(x)) -> x and ifft(fft(x)) -> x.
template <typename OpTy, typename InverseOpTy>
struct CancelInverseTransforms : public OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto inverse = op.getInput().template getDefiningOp<InverseOpTy>();
    if (!inverse || inverse.getDim() != op.getDim())
      return failure();
    rewriter.replaceOp(op, inverse.getInput());
    return success();
  }
};
} // namespace

void FftOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                        MLIRContext *context) {
  results.add<CancelInverseTransforms<FftOp, IfftOp>>(context);
}

void IfftOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                         MLIRContext *context) {
  results.add<CancelInverseTransforms<IfftOp, FftOp>>(context);
}

// Type inference runs before the operand constraints are verified, so it must
// reject rather than assume the operand types.
LogicalResult RealOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> location,
                                       RealOp::Adaptor adaptor,
                                       SmallVectorImpl<Type> &results) {
  auto inputType = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  auto complexType =
      inputType ? dyn_cast<ComplexType>(inputType.getElementType()) : nullptr;
  if (!complexType)
    return emitOptionalError(location,
                             "'bfly.real' expects a ranked tensor "
                             "of complex<f32>, got ",
                             adaptor.getInput().getType());
  results.push_back(inputType.clone(complexType.getElementType()));
  return success();
}

OpFoldResult RealOp::fold(FoldAdaptor) {
  if (auto toComplex = getInput().getDefiningOp<ToComplexOp>())
    return toComplex.getReal();
  return {};
}

LogicalResult ToComplexOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> location,
                                            ToComplexOp::Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  auto realType = dyn_cast<RankedTensorType>(adaptor.getReal().getType());
  if (!realType || !realType.getElementType().isF32())
    return emitOptionalError(location,
                             "'bfly.to_complex' expects a ranked "
                             "tensor of f32, got ",
                             adaptor.getReal().getType());
  results.push_back(
      realType.clone(ComplexType::get(realType.getElementType())));
  return success();
}

LogicalResult ToComplexOp::verify() {
  if (Value imag = getImag(); imag && imag.getType() != getReal().getType())
    return emitOpError("real and imaginary parts differ in type: ")
           << getReal().getType() << " vs " << imag.getType();
  return success();
}

//===----------------------------------------------------------------------===//
// ButterflyLinearOp
//===----------------------------------------------------------------------===//

/// ceil(log2(n)) for n >= 1.
static int64_t ceilLog2(int64_t n) { return llvm::Log2_64_Ceil(n); }

int64_t ButterflyLinearOp::getInFeatures() {
  return rankedType(getInput()).getShape().back();
}
int64_t ButterflyLinearOp::getOutFeatures() {
  return getType().getShape().back();
}
int64_t ButterflyLinearOp::getNumStacks() {
  return rankedType(getTwiddles()).getDimSize(0);
}
int64_t ButterflyLinearOp::getNumBlocks() {
  return rankedType(getTwiddles()).getDimSize(1);
}
int64_t ButterflyLinearOp::getLogN() {
  return rankedType(getTwiddles()).getDimSize(2);
}

LogicalResult ButterflyLinearOp::verify() {
  RankedTensorType inputType = rankedType(getInput());
  RankedTensorType twiddleType = rankedType(getTwiddles());
  RankedTensorType resultType = getType();
  if (inputType.getRank() < 1)
    return emitOpError("input must have rank >= 1");
  if (twiddleType.getRank() != 6)
    return emitOpError("twiddles must have rank 6 (nstacks, nblocks, log2 n, "
                       "n/2, 2, 2), got ")
           << twiddleType;
  if (ShapedType::isDynamic(inputType.getShape().back()) ||
      ShapedType::isDynamic(resultType.getShape().back()) ||
      !twiddleType.hasStaticShape())
    return emitOpError("requires static in/out feature sizes and a static "
                       "twiddle shape");
  int64_t in = inputType.getShape().back();
  int64_t out = resultType.getShape().back();
  if (in < 1 || out < 1)
    return emitOpError("in and out features must be >= 1, got ")
           << in << " and " << out;
  int64_t logN = ceilLog2(in);
  int64_t n = int64_t(1) << logN;
  int64_t stacks = llvm::divideCeil(out, n);
  SmallVector<int64_t> expectedTwiddles{
      stacks, twiddleType.getDimSize(1), logN, n / 2, 2, 2};
  if (twiddleType.getDimSize(1) < 1 ||
      twiddleType.getShape() != ArrayRef<int64_t>(expectedTwiddles))
    return emitOpError("twiddles for ")
           << in << " -> " << out << " features (n = " << n
           << ") must be shaped (nstacks = " << stacks
           << ", nblocks >= 1, log2 n = " << logN << ", n/2 = " << n / 2
           << ", 2, 2), got " << twiddleType;
  if (Value bias = getBias()) {
    RankedTensorType biasType = rankedType(bias);
    if (biasType.getRank() != 1 || biasType.getDimSize(0) != out)
      return emitOpError("bias must be 1-D with ")
             << out << " elements, got " << biasType;
  }
  SmallVector<int64_t> expected(inputType.getShape().drop_back());
  expected.push_back(out);
  if (failed(verifyResultShape(*this, expected, resultType)))
    return failure();
  return verifySparsity(*this, getSparsity(), {SparsityKind::butterfly});
}

//===----------------------------------------------------------------------===//
// ButterflyStageOp
//===----------------------------------------------------------------------===//

LogicalResult ButterflyStageOp::verify() {
  RankedTensorType inputType = rankedType(getInput());
  RankedTensorType twiddleType = rankedType(getTwiddles());
  int64_t rank = inputType.getRank();
  if (rank < 1)
    return emitOpError("input must have rank >= 1");
  int64_t n = inputType.getShape().back();
  if (ShapedType::isDynamic(n) || n < 2 || !llvm::isPowerOf2_64(n))
    return emitOpError("the last input dimension must be a static power of "
                       "two >= 2, got ")
           << inputType;
  int64_t stride = getStride();
  if (stride < 1 || stride > n / 2 || !llvm::isPowerOf2_64(stride))
    return emitOpError("stride ")
           << stride << " must be a power of two in [1, n/2 = " << n / 2 << "]";
  if (twiddleType.getElementType() != inputType.getElementType())
    return emitOpError("twiddle element type ")
           << twiddleType.getElementType()
           << " differs from the input element type "
           << inputType.getElementType();
  ArrayRef<int64_t> twiddleShape = twiddleType.getShape();
  if (twiddleShape.size() < 3 ||
      !sizesAgree(twiddleShape[twiddleShape.size() - 3], n / 2) ||
      twiddleShape[twiddleShape.size() - 2] != 2 || twiddleShape.back() != 2)
    return emitOpError("twiddles must be shaped [..., n/2 = ")
           << n / 2 << ", 2, 2], got " << twiddleType;
  ArrayRef<int64_t> stackShape = twiddleShape.drop_back(3);
  ArrayRef<int64_t> batchShape = inputType.getShape().drop_back();
  if (stackShape.size() > batchShape.size())
    return emitOpError("twiddles have ")
           << stackShape.size() << " stack dimensions but the input has only "
           << batchShape.size() << " batch dimension(s)";
  ArrayRef<int64_t> matchedBatch = batchShape.take_back(stackShape.size());
  for (auto [stack, batch] : llvm::zip_equal(stackShape, matchedBatch))
    if (!sizesAgree(stack, batch))
      return emitOpError("twiddle stack dimensions ")
             << shapeToString(stackShape)
             << " differ from the input dimensions before the last "
             << shapeToString(matchedBatch);
  return success();
}

//===----------------------------------------------------------------------===//
// BitReverseOp
//===----------------------------------------------------------------------===//

LogicalResult BitReverseOp::verify() {
  RankedTensorType inputType = rankedType(getInput());
  if (failed(verifyDimInRange(*this, "dim", getDim(), inputType.getRank())))
    return failure();
  int64_t size = inputType.getDimSize(getDim());
  if (ShapedType::isDynamic(size) || !llvm::isPowerOf2_64(size))
    return emitOpError("dimension ")
           << getDim() << " must have a static power-of-two size, got "
           << inputType;
  return success();
}

OpFoldResult BitReverseOp::fold(FoldAdaptor) {
  // Bit reversal is an involution.
  auto inner = getInput().getDefiningOp<BitReverseOp>();
  if (inner && inner.getDim() == getDim())
    return inner.getInput();
  return {};
}

#define GET_OP_CLASSES
#include "butterfly/Dialect/Butterfly/BflyOps.cpp.inc"
