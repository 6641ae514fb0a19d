//===- ButterflyTest.cpp - Butterfly kernels against dense products -------===//
//
// Every butterfly factor is rebuilt here as an explicit dense n x n matrix
// straight from the pairing definition, the factors are multiplied into one
// dense matrix, and the kernels must agree with that matrix times the input.
//
//===----------------------------------------------------------------------===//

#include "butterfly/Reference/Kernels.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <complex>
#include <random>

using namespace butterfly;

namespace {

using Complex = std::complex<double>;
using Matrix = std::vector<std::vector<Complex>>;

Tensor randomTensor(ElementKind kind, std::vector<int64_t> shape,
                    unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  Tensor t = Tensor::zeros(kind, std::move(shape));
  for (float &v : t.data)
    v = dist(rng);
  return t;
}

Complex element(const Tensor &t, int64_t i) {
  return t.isComplex() ? Complex(t.data[2 * i], t.data[2 * i + 1])
                       : Complex(t.data[i], 0.0);
}

Matrix identity(int64_t n) {
  Matrix m(n, std::vector<Complex>(n, 0.0));
  for (int64_t i = 0; i < n; ++i)
    m[i][i] = 1.0;
  return m;
}

/// The dense n x n factor of stride s whose 2x2 blocks are read from twiddle
/// elements [offset, offset + 2n): pair p = j*s + kk mixes rows/cols
/// j*2s + {0,1}*s + kk with tw[p][a][b].
Matrix denseFactor(const Tensor &twiddle, int64_t offset, int64_t n,
                   int64_t s) {
  Matrix m(n, std::vector<Complex>(n, 0.0));
  for (int64_t j = 0; j < n / (2 * s); ++j)
    for (int64_t kk = 0; kk < s; ++kk) {
      int64_t p = j * s + kk;
      for (int64_t a = 0; a < 2; ++a)
        for (int64_t b = 0; b < 2; ++b)
          m[j * 2 * s + a * s + kk][j * 2 * s + b * s + kk] =
              element(twiddle, offset + p * 4 + a * 2 + b);
    }
  return m;
}

Matrix multiply(const Matrix &a, const Matrix &b) {
  int64_t n = a.size();
  Matrix c(n, std::vector<Complex>(n, 0.0));
  for (int64_t i = 0; i < n; ++i)
    for (int64_t k = 0; k < n; ++k)
      for (int64_t j = 0; j < n; ++j)
        c[i][j] += a[i][k] * b[k][j];
  return c;
}

std::vector<Complex> applyMatrix(const Matrix &m,
                                 const std::vector<Complex> &x) {
  std::vector<Complex> y(m.size(), 0.0);
  for (size_t i = 0; i < m.size(); ++i)
    for (size_t j = 0; j < x.size(); ++j)
      y[i] += m[i][j] * x[j];
  return y;
}

void expectClose(const Tensor &got, int64_t i, Complex want, double tol) {
  Complex g = element(got, i);
  EXPECT_NEAR(g.real(), want.real(), tol) << "element " << i;
  EXPECT_NEAR(g.imag(), want.imag(), tol) << "element " << i;
}

//===----------------------------------------------------------------------===//
// butterflyStage
//===----------------------------------------------------------------------===//

void checkStage(ElementKind kind, int64_t n, int64_t stride) {
  Tensor x = randomTensor(kind, {3, n}, 1 + unsigned(n * 31 + stride));
  Tensor tw = randomTensor(kind, {n / 2, 2, 2}, 2 + unsigned(stride));
  Tensor y = ref::butterflyStage(x, tw, stride);
  ASSERT_EQ(y.shape, x.shape);
  ASSERT_EQ(y.kind, kind);
  Matrix m = denseFactor(tw, 0, n, stride);
  for (int64_t r = 0; r < 3; ++r) {
    std::vector<Complex> xr(n);
    for (int64_t i = 0; i < n; ++i)
      xr[i] = element(x, r * n + i);
    std::vector<Complex> want = applyMatrix(m, xr);
    for (int64_t i = 0; i < n; ++i)
      expectClose(y, r * n + i, want[i], 1e-5);
  }
}

TEST(ButterflyStageTest, RealMatchesDenseFactor) {
  for (int64_t stride : {1, 2, 4, 8})
    checkStage(ElementKind::F32, 16, stride);
  checkStage(ElementKind::F32, 2, 1);
  // A non-power-of-two n is fine as long as 2*stride divides it.
  checkStage(ElementKind::F32, 12, 2);
}

TEST(ButterflyStageTest, ComplexMatchesDenseFactor) {
  for (int64_t stride : {1, 2, 4})
    checkStage(ElementKind::Complex64, 8, stride);
}

TEST(ButterflyStageTest, TwiddleBroadcastOverStackDims) {
  // x [5, 2, 3, 8], twiddle [2, 3, 4, 2, 2]: every (i, j) of the stack dims
  // has its own factor, shared by the 5 leading rows.
  for (ElementKind kind : {ElementKind::F32, ElementKind::Complex64}) {
    const int64_t n = 8, stride = 2;
    Tensor x = randomTensor(kind, {5, 2, 3, n}, 11);
    Tensor tw = randomTensor(kind, {2, 3, n / 2, 2, 2}, 12);
    Tensor y = ref::butterflyStage(x, tw, stride);
    ASSERT_EQ(y.shape, x.shape);
    for (int64_t o = 0; o < 5; ++o)
      for (int64_t st = 0; st < 6; ++st) {
        Matrix m = denseFactor(tw, st * 2 * n, n, stride);
        int64_t row = o * 6 + st;
        std::vector<Complex> xr(n);
        for (int64_t i = 0; i < n; ++i)
          xr[i] = element(x, row * n + i);
        std::vector<Complex> want = applyMatrix(m, xr);
        for (int64_t i = 0; i < n; ++i)
          expectClose(y, row * n + i, want[i], 1e-5);
      }
  }
}

TEST(ButterflyStageTest, HandComputedPair) {
  // n = 4, stride 2: pairs (0, 2) with tw[0], (1, 3) with tw[1].
  Tensor x = Tensor::zeros(ElementKind::F32, {4});
  x.data = {1, 2, 3, 4};
  Tensor tw = Tensor::zeros(ElementKind::F32, {2, 2, 2});
  tw.data = {1, 1, 1, -1, /*pair 1*/ 0, 1, 2, 0};
  Tensor y = ref::butterflyStage(x, tw, 2);
  EXPECT_EQ(y.data, (std::vector<float>{4, 4, -2, 4}));
}

//===----------------------------------------------------------------------===//
// bitReverse
//===----------------------------------------------------------------------===//

int64_t reverseBits(int64_t i, int64_t bits) {
  int64_t r = 0;
  for (int64_t b = 0; b < bits; ++b)
    if (i & (int64_t(1) << b))
      r |= int64_t(1) << (bits - 1 - b);
  return r;
}

TEST(BitReverseTest, MatchesLoop) {
  for (ElementKind kind : {ElementKind::F32, ElementKind::Complex64}) {
    Tensor x = randomTensor(kind, {3, 8, 2}, 5);
    Tensor y = ref::bitReverse(x, 1);
    for (int64_t o = 0; o < 3; ++o)
      for (int64_t i = 0; i < 8; ++i)
        for (int64_t in = 0; in < 2; ++in)
          EXPECT_EQ(element(y, (o * 8 + i) * 2 + in),
                    element(x, (o * 8 + reverseBits(i, 3)) * 2 + in));
  }
  Tensor x = Tensor::zeros(ElementKind::F32, {8});
  for (int i = 0; i < 8; ++i)
    x.data[i] = float(i);
  EXPECT_EQ(ref::bitReverse(x, -1).data,
            (std::vector<float>{0, 4, 2, 6, 1, 5, 3, 7}));
  Tensor one = Tensor::zeros(ElementKind::F32, {2, 1});
  one.data = {3, 4};
  EXPECT_EQ(ref::bitReverse(one, 1).data, one.data);
}

//===----------------------------------------------------------------------===//
// butterflyLinear
//===----------------------------------------------------------------------===//

/// Dense reference of torch_butterfly's Butterfly.forward. \p strideLists
/// gives, per block, the strides in application order.
void checkLinear(ElementKind kind, int64_t in, int64_t out, int64_t nblocks,
                 bool increasing, bool withBias,
                 std::vector<std::vector<int64_t>> strideLists = {}) {
  int64_t n = 1, logN = 0;
  while (n < in) {
    n *= 2;
    ++logN;
  }
  int64_t nstacks = (out + n - 1) / n;
  if (strideLists.empty()) {
    bool inc = increasing;
    for (int64_t b = 0; b < nblocks; ++b) {
      std::vector<int64_t> strides;
      for (int64_t idx = 0; idx < logN; ++idx)
        strides.push_back(int64_t(1) << (inc ? idx : logN - 1 - idx));
      strideLists.push_back(strides);
      inc = !inc;
    }
  }
  unsigned seed = unsigned(in * 1000 + out * 10 + nblocks);
  Tensor x = randomTensor(kind, {2, 3, in}, seed);
  Tensor tw =
      randomTensor(kind, {nstacks, nblocks, logN, n / 2, 2, 2}, seed + 1);
  Tensor bias = randomTensor(kind, {out}, seed + 2);
  Tensor y =
      ref::butterflyLinear(x, tw, withBias ? &bias : nullptr, increasing, out);
  ASSERT_EQ(y.shape, (std::vector<int64_t>{2, 3, out}));
  ASSERT_EQ(y.kind, kind);

  // One dense matrix per stack: later factors multiply from the left.
  std::vector<Matrix> stackMatrices;
  for (int64_t s = 0; s < nstacks; ++s) {
    Matrix m = identity(n);
    for (int64_t b = 0; b < nblocks; ++b)
      for (int64_t idx = 0; idx < logN; ++idx) {
        int64_t offset = ((s * nblocks + b) * logN + idx) * 2 * n;
        m = multiply(denseFactor(tw, offset, n, strideLists[b][idx]), m);
      }
    stackMatrices.push_back(m);
  }
  for (int64_t r = 0; r < 6; ++r) {
    std::vector<Complex> padded(n, 0.0);
    for (int64_t i = 0; i < in; ++i)
      padded[i] = element(x, r * in + i);
    std::vector<Complex> concat;
    for (const Matrix &m : stackMatrices) {
      std::vector<Complex> part = applyMatrix(m, padded);
      concat.insert(concat.end(), part.begin(), part.end());
    }
    for (int64_t o = 0; o < out; ++o) {
      Complex want = concat[o] + (withBias ? element(bias, o) : 0.0);
      expectClose(y, r * out + o, want, 1e-4);
    }
  }
}

TEST(ButterflyLinearTest, SquarePowerOfTwo) {
  checkLinear(ElementKind::F32, 16, 16, 1, /*increasing=*/true, false);
  checkLinear(ElementKind::F32, 16, 16, 1, /*increasing=*/false, true);
}

TEST(ButterflyLinearTest, OrderFlipsPerBlock) {
  // Spelled out: increasing then decreasing then increasing.
  checkLinear(ElementKind::F32, 8, 8, 3, /*increasing=*/true, true,
              {{1, 2, 4}, {4, 2, 1}, {1, 2, 4}});
  checkLinear(ElementKind::F32, 8, 8, 2, /*increasing=*/false, false,
              {{4, 2, 1}, {1, 2, 4}});
}

TEST(ButterflyLinearTest, SeveralStacksAndBlocks) {
  checkLinear(ElementKind::F32, 8, 24, 2, true, true);  // nstacks = 3
  checkLinear(ElementKind::F32, 4, 10, 3, false, true); // trimmed last stack
}

TEST(ButterflyLinearTest, NonPowerOfTwoWidths) {
  checkLinear(ElementKind::F32, 12, 20, 2, false, true); // n=16, 2 stacks
  checkLinear(ElementKind::F32, 5, 3, 1, true, true);    // n=8, trimmed
  checkLinear(ElementKind::F32, 3, 7, 2, true, false);   // n=4, 2 stacks
  checkLinear(ElementKind::F32, 1, 1, 1, true, true);    // n=1, no stages
  checkLinear(ElementKind::F32, 1, 3, 2, false, false);  // 3 copies of x
}

TEST(ButterflyLinearTest, Complex) {
  checkLinear(ElementKind::Complex64, 8, 8, 2, true, true);
  checkLinear(ElementKind::Complex64, 6, 10, 1, false, true);
}

TEST(ButterflyLinearTest, ComposesStages) {
  // One stack, one block: the same as chaining butterflyStage over the
  // twiddles of each stage (decreasing strides 4, 2, 1).
  const int64_t n = 8;
  Tensor x = randomTensor(ElementKind::F32, {4, n}, 77);
  Tensor tw = randomTensor(ElementKind::F32, {1, 1, 3, n / 2, 2, 2}, 78);
  Tensor y = ref::butterflyLinear(x, tw, nullptr, /*increasing=*/false, n);
  Tensor chained = x;
  for (int64_t idx = 0; idx < 3; ++idx) {
    Tensor stage = Tensor::zeros(ElementKind::F32, {n / 2, 2, 2});
    std::copy_n(tw.data.begin() + idx * 2 * n, 2 * n, stage.data.begin());
    chained = ref::butterflyStage(chained, stage, int64_t(1) << (2 - idx));
  }
  for (size_t i = 0; i < y.data.size(); ++i)
    EXPECT_NEAR(y.data[i], chained.data[i], 1e-5);
}

} // namespace
