//===- Decompose.cpp - Lower bfly ops to butterfly stages -------*- C++ -*-===//
//
// Rewrites fourier_mix, fft/ifft, butterfly_linear and attention into the ops
// the multilayer dataflow maps (butterfly stages, bit reversal, matmul,
// softmax, elementwise). Every rewrite is exact: FFT twiddles and Bluestein
// chirps are computed in double and rounded once when they become constants.
//
//===----------------------------------------------------------------------===//

#include "butterfly/CostModel/AttentionPlan.h"
#include "butterfly/Dialect/Butterfly/Transforms/Passes.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/Support/MathExtras.h"

#include <complex>
#include <limits>

namespace butterfly::bfly {
#define GEN_PASS_DEF_BFLYDECOMPOSE
#include "butterfly/Dialect/Butterfly/Transforms/Passes.h.inc"
} // namespace butterfly::bfly

using namespace mlir;
using namespace butterfly::bfly;

namespace {

using Complex = std::complex<double>;

RankedTensorType tensorType(Value value) {
  return cast<RankedTensorType>(value.getType());
}

/// exp(sign * 2πi * k / n) with k reduced mod n so that large k keep full
/// precision.
Complex unitRoot(int64_t k, int64_t n, double sign) {
  k = ((k % n) + n) % n;
  // Quarter turns are exact, so a twiddle of 1, -1 or ±i carries no rounding.
  if ((4 * k) % n == 0) {
    static constexpr Complex quarterTurns[] = {
        {1, 0}, {0, 1}, {-1, 0}, {0, -1}};
    Complex root = quarterTurns[4 * k / n];
    return sign < 0 ? std::conj(root) : root;
  }
  double angle = sign * 2.0 * llvm::numbers::pi * static_cast<double>(k) /
                 static_cast<double>(n);
  return {std::cos(angle), std::sin(angle)};
}

Value complexConstant(PatternRewriter &rewriter, Location loc,
                      ArrayRef<int64_t> shape, ArrayRef<Complex> values) {
  auto type =
      RankedTensorType::get(shape, ComplexType::get(rewriter.getF32Type()));
  SmallVector<std::complex<float>> rounded;
  for (Complex value : values)
    rounded.emplace_back(static_cast<float>(value.real()),
                         static_cast<float>(value.imag()));
  return arith::ConstantOp::create(
      rewriter, loc, DenseElementsAttr::get(type, ArrayRef(rounded)));
}

/// Swaps dimension `dim` with the last one (its own inverse); a no-op when
/// `dim` is already last.
Value swapWithLast(PatternRewriter &rewriter, Location loc, Value input,
                   int64_t dim) {
  RankedTensorType type = tensorType(input);
  int64_t last = type.getRank() - 1;
  if (dim == last)
    return input;
  SmallVector<int64_t> permutation =
      llvm::to_vector(llvm::seq<int64_t>(0, last + 1));
  std::swap(permutation[dim], permutation[last]);
  SmallVector<int64_t> shape(type.getShape());
  std::swap(shape[dim], shape[last]);
  return TransposeOp::create(rewriter, loc, type.clone(shape), input,
                             permutation);
}

/// The radix-2 decimation-in-time FFT of a power-of-two length n along the
/// last dimension: bit reversal, then log2 n butterfly stages of increasing
/// stride with blocks [[1, w^r], [1, -w^r]], w = exp(∓2πi / 2·stride).
/// The inverse also scales by 1/n.
Value emitRadix2(PatternRewriter &rewriter, Location loc, Value input,
                 bool inverse) {
  RankedTensorType type = tensorType(input);
  int64_t last = type.getRank() - 1;
  int64_t n = type.getShape().back();
  if (n == 1)
    return input;
  Value value = BitReverseOp::create(rewriter, loc, input, last);
  double sign = inverse ? 1.0 : -1.0;
  for (int64_t stride = 1; stride < n; stride *= 2) {
    SmallVector<Complex> twiddles;
    for (int64_t pair = 0; pair < n / 2; ++pair) {
      Complex w = unitRoot(pair % stride, 2 * stride, sign);
      twiddles.append({Complex(1), w, Complex(1), -w});
    }
    Value tw = complexConstant(rewriter, loc, {n / 2, 2, 2}, twiddles);
    value = ButterflyStageOp::create(rewriter, loc, value, tw, stride);
  }
  if (inverse)
    value = ScaleOp::create(rewriter, loc, value,
                            rewriter.getF32FloatAttr(1.0 / n));
  return value;
}

/// The DFT of any length n along the last dimension by Bluestein's algorithm:
/// with b_j = exp(±πi j²/n), X_k = conj(b_k) Σ_j (x_j conj(b_j)) b_{k-j}, a
/// convolution evaluated with radix-2 transforms of length M >= 2n - 1.
Value emitBluestein(PatternRewriter &rewriter, Location loc, Value input,
                    bool inverse) {
  RankedTensorType type = tensorType(input);
  int64_t rank = type.getRank();
  int64_t n = type.getShape().back();
  int64_t m = llvm::PowerOf2Ceil(2 * n - 1);
  double sign = inverse ? -1.0 : 1.0;
  // j² mod 2n keeps the chirp's angle small and exact.
  auto chirp = [&](int64_t j) {
    return unitRoot((j * j) % (2 * n), 2 * n, sign);
  };
  SmallVector<Complex> conjChirp;
  for (int64_t j = 0; j < n; ++j)
    conjChirp.push_back(std::conj(chirp(j)));
  // The spectrum of the wrapped chirp, computed here in double.
  SmallVector<Complex> kernel(m, Complex(0));
  for (int64_t j = 0; j < n; ++j) {
    kernel[j] = chirp(j);
    if (j > 0)
      kernel[m - j] = chirp(j);
  }
  SmallVector<Complex> spectrum(m);
  for (int64_t k = 0; k < m; ++k) {
    Complex sum = 0;
    for (int64_t j = 0; j < m; ++j)
      sum += kernel[j] * unitRoot(j * k % m, m, -1.0);
    spectrum[k] = sum;
  }

  Value conjChirpValue = complexConstant(rewriter, loc, {n}, conjChirp);
  Value value = MulOp::create(rewriter, loc, input, conjChirpValue);
  SmallVector<int64_t> high(rank, 0);
  high.back() = m - n;
  SmallVector<int64_t> paddedShape(type.getShape());
  paddedShape.back() = m;
  value = PadOp::create(rewriter, loc, type.clone(paddedShape), value, high);
  value = emitRadix2(rewriter, loc, value, /*inverse=*/false);
  value = MulOp::create(rewriter, loc, value,
                        complexConstant(rewriter, loc, {m}, spectrum));
  value = emitRadix2(rewriter, loc, value, /*inverse=*/true);
  value = SliceOp::create(rewriter, loc, type, value,
                          SmallVector<int64_t>(rank, 0));
  value = MulOp::create(rewriter, loc, value, conjChirpValue);
  if (inverse)
    value = ScaleOp::create(rewriter, loc, value,
                            rewriter.getF32FloatAttr(1.0 / n));
  return value;
}

/// The DFT of a power-of-two length n = n1·n2 along the last dimension in
/// four steps (Gentleman-Sande): with x[j1·n2 + j2], transforms of length
/// n1 over j1 for each j2, a twiddle w_n^(j2·k1) (w_n = exp(∓2πi/n)),
/// transforms of length n2 over j2 for each k1, and X[k1 + n1·k2] read
/// transposed. No row is longer than max(n1, n2).
Value emitFourStep(PatternRewriter &rewriter, Location loc, Value input,
                   bool inverse) {
  RankedTensorType type = tensorType(input);
  int64_t n = type.getShape().back();
  int64_t n1 = int64_t(1) << (llvm::Log2_64(n) / 2), n2 = n / n1;
  SmallVector<int64_t> shape(type.getShape().drop_back());
  auto reshaped = [&](ArrayRef<int64_t> tail) {
    SmallVector<int64_t> result = shape;
    llvm::append_range(result, tail);
    return type.clone(result);
  };
  int64_t rank = type.getRank() + 1;
  Value value = ReshapeOp::create(rewriter, loc, reshaped({n1, n2}), input);
  // [.., j2, j1] → transforms over j1 → [.., j2, k1].
  value = swapWithLast(rewriter, loc, value, rank - 2);
  value = emitRadix2(rewriter, loc, value, inverse);
  SmallVector<Complex> twiddles;
  double sign = inverse ? 1.0 : -1.0;
  for (int64_t j2 = 0; j2 < n2; ++j2)
    for (int64_t k1 = 0; k1 < n1; ++k1)
      twiddles.push_back(unitRoot(j2 * k1 % n, n, sign));
  value = MulOp::create(rewriter, loc, value,
                        complexConstant(rewriter, loc, {n2, n1}, twiddles));
  // [.., k1, j2] → transforms over j2 → [.., k1, k2] → [.., k2, k1].
  value = swapWithLast(rewriter, loc, value, rank - 2);
  value = emitRadix2(rewriter, loc, value, inverse);
  value = swapWithLast(rewriter, loc, value, rank - 2);
  return ReshapeOp::create(rewriter, loc, type, value);
}

template <typename OpTy, bool Inverse>
struct DecomposeFft : public OpRewritePattern<OpTy> {
  DecomposeFft(MLIRContext *context, int64_t maxLength)
      : OpRewritePattern<OpTy>(context), maxLength(maxLength) {}
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t dim = op.getDim();
    int64_t n = tensorType(op.getInput()).getDimSize(dim);
    if (ShapedType::isDynamic(n))
      return rewriter.notifyMatchFailure(op, "needs a static length");
    Value value = swapWithLast(rewriter, loc, op.getInput(), dim);
    if (!llvm::isPowerOf2_64(n))
      value = emitBluestein(rewriter, loc, value, Inverse);
    else if (maxLength > 0 && n > maxLength)
      value = emitFourStep(rewriter, loc, value, Inverse);
    else
      value = emitRadix2(rewriter, loc, value, Inverse);
    rewriter.replaceOp(op, swapWithLast(rewriter, loc, value, dim));
    return success();
  }
  int64_t maxLength;
};

struct DecomposeFourierMix : public OpRewritePattern<FourierMixOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(FourierMixOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value value = ToComplexOp::create(rewriter, loc, op.getInput(), Value());
    value = FftOp::create(rewriter, loc, value, 2);
    value = FftOp::create(rewriter, loc, value, 1);
    rewriter.replaceOpWithNewOp<RealOp>(op, value);
    return success();
  }
};

struct DecomposeButterflyLinear : public OpRewritePattern<ButterflyLinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ButterflyLinearOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType inputType = tensorType(op.getInput());
    if (!inputType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs a static input shape");
    int64_t rank = inputType.getRank();
    int64_t in = op.getInFeatures(), out = op.getOutFeatures();
    int64_t logN = op.getLogN(), n = int64_t(1) << logN;
    int64_t stacks = op.getNumStacks(), blocks = op.getNumBlocks();
    ArrayRef<int64_t> batch = inputType.getShape().drop_back();

    Value value = op.getInput();
    if (in < n) {
      SmallVector<int64_t> high(rank, 0);
      high.back() = n - in;
      SmallVector<int64_t> shape(batch);
      shape.push_back(n);
      value = PadOp::create(rewriter, loc, inputType.clone(shape), value, high);
    }
    // [..., n] -> [..., stacks, n]: every stack sees the same input.
    SmallVector<int64_t> stackedShape(batch);
    stackedShape.append({1, n});
    value =
        ReshapeOp::create(rewriter, loc, inputType.clone(stackedShape), value);
    if (stacks > 1) {
      stackedShape[rank - 1] = stacks;
      SmallVector<Value> copies(stacks, value);
      value = ConcatOp::create(rewriter, loc, inputType.clone(stackedShape),
                               copies, rank - 1);
    }
    RankedTensorType twiddleType = tensorType(op.getTwiddles());
    bool increasing = op.getIncreasingStride();
    for (int64_t block = 0; block < blocks; ++block) {
      for (int64_t idx = 0; idx < logN; ++idx) {
        int64_t stride = int64_t(1) << (increasing ? idx : logN - 1 - idx);
        Value twiddle = SliceOp::create(
            rewriter, loc, twiddleType.clone({stacks, 1, 1, n / 2, 2, 2}),
            op.getTwiddles(), SmallVector<int64_t>{0, block, idx, 0, 0, 0});
        twiddle = ReshapeOp::create(
            rewriter, loc, twiddleType.clone({stacks, n / 2, 2, 2}), twiddle);
        value = ButterflyStageOp::create(rewriter, loc, value, twiddle, stride);
      }
      increasing = !increasing;
    }
    SmallVector<int64_t> flatShape(batch);
    flatShape.push_back(stacks * n);
    value = ReshapeOp::create(rewriter, loc, inputType.clone(flatShape), value);
    if (stacks * n != out)
      value = SliceOp::create(rewriter, loc, op.getType(), value,
                              SmallVector<int64_t>(rank, 0));
    if (Value bias = op.getBias())
      value = AddOp::create(rewriter, loc, value, bias);
    rewriter.replaceOp(op, value);
    return success();
  }
};

struct DecomposeAttention : public OpRewritePattern<AttentionOp> {
  /// `fuseOn`: the arch on which attention that a fused plan maps stays
  /// whole; none: every attention is decomposed.
  DecomposeAttention(MLIRContext *context,
                     std::optional<butterfly::arch::Arch> fuseOn)
      : OpRewritePattern(context), fuseOn(std::move(fuseOn)) {}

  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    if (fuseOn && !op.getMask() && !op.getCausal() &&
        tensorType(op.getQuery()).hasStaticShape() &&
        tensorType(op.getKey()).hasStaticShape() &&
        tensorType(op.getValue()).hasStaticShape() &&
        butterfly::cost::planFusedAttention(
            *fuseOn, butterfly::cost::AttentionShape::of(
                         tensorType(op.getQuery()).getShape(),
                         tensorType(op.getKey()).getShape(),
                         tensorType(op.getValue()).getShape())))
      return rewriter.notifyMatchFailure(op, "fused on the array");
    Location loc = op.getLoc();
    RankedTensorType keyType = tensorType(op.getKey());
    RankedTensorType queryType = tensorType(op.getQuery());
    ArrayRef<int64_t> k = keyType.getShape();
    int64_t queryLen = queryType.getDimSize(2), keyLen = k[2];
    Value keyT = TransposeOp::create(
        rewriter, loc, keyType.clone({k[0], k[1], k[3], k[2]}), op.getKey(),
        SmallVector<int64_t>{0, 1, 3, 2});
    auto scoresType = queryType.clone(
        {queryType.getDimSize(0), queryType.getDimSize(1), queryLen, keyLen});
    Value scores =
        MatmulOp::create(rewriter, loc, scoresType, op.getQuery(), keyT);
    scores = ScaleOp::create(rewriter, loc, scores,
                             rewriter.getF32FloatAttr(op.getEffectiveScale()));
    if (Value mask = op.getMask())
      scores = AddOp::create(rewriter, loc, scores, mask);
    if (op.getCausal()) {
      if (ShapedType::isDynamic(queryLen) || ShapedType::isDynamic(keyLen))
        return rewriter.notifyMatchFailure(op, "causal needs static lengths");
      // Top-left aligned: key j is hidden from query i when j > i.
      SmallVector<float> causal;
      for (int64_t i = 0; i < queryLen; ++i)
        for (int64_t j = 0; j < keyLen; ++j)
          causal.push_back(j > i ? -std::numeric_limits<float>::infinity()
                                 : 0.0f);
      auto maskType =
          RankedTensorType::get({queryLen, keyLen}, rewriter.getF32Type());
      Value mask = arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(maskType, ArrayRef(causal)));
      scores = AddOp::create(rewriter, loc, scores, mask);
    }
    Value probabilities = SoftmaxOp::create(rewriter, loc, scores, 3);
    rewriter.replaceOpWithNewOp<MatmulOp>(op, op.getType(), probabilities,
                                          op.getValue());
    return success();
  }

private:
  std::optional<butterfly::arch::Arch> fuseOn;
};

struct BflyDecomposePass
    : public butterfly::bfly::impl::BflyDecomposeBase<BflyDecomposePass> {
  using BflyDecomposeBase::BflyDecomposeBase;
  void runOnOperation() override {
    std::optional<butterfly::arch::Arch> fuseOn;
    if (fuseAttention) {
      llvm::Expected<butterfly::arch::Arch> loaded =
          archFile.empty() ? butterfly::arch::Arch()
                           : butterfly::arch::loadArch(archFile);
      if (!loaded) {
        getOperation()->emitError("bfly-decompose: ")
            << llvm::toString(loaded.takeError());
        return signalPassFailure();
      }
      fuseOn = *loaded;
    }
    RewritePatternSet patterns(&getContext());
    patterns.add<DecomposeFourierMix, DecomposeButterflyLinear>(&getContext());
    patterns.add<DecomposeAttention>(&getContext(), fuseOn);
    patterns.add<DecomposeFft<FftOp, false>, DecomposeFft<IfftOp, true>>(
        &getContext(), maxFftLength);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // Anything left undecomposed (dynamic shapes) is an error: later stages
    // cannot map it.
    WalkResult result = getOperation().walk([&](Operation *op) {
      if (isa<FourierMixOp, FftOp, IfftOp, ButterflyLinearOp>(op) ||
          (isa<AttentionOp>(op) && !fuseOn)) {
        op->emitError("cannot decompose: the op needs static shapes");
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
