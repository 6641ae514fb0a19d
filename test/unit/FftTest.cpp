//===- FftTest.cpp - ref::fft and ref::fourierMix against a naive DFT -----===//
//
// The reference FFT is checked against an O(n^2) DFT evaluated in long double,
// for powers of two and for the Bluestein path (primes, composites).
//
//===----------------------------------------------------------------------===//

#include "butterfly/Reference/Kernels.h"

#include "gtest/gtest.h"

#include <cmath>
#include <complex>
#include <random>

using namespace butterfly;

namespace {

using LComplex = std::complex<long double>;
const long double kPiL = 3.141592653589793238462643383279502884L;

Tensor randomComplex(std::vector<int64_t> shape, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  Tensor t = Tensor::zeros(ElementKind::Complex64, std::move(shape));
  for (float &v : t.data)
    v = dist(rng);
  return t;
}

/// Naive DFT of one line, numpy conventions.
std::vector<LComplex> naiveDft(const std::vector<LComplex> &x, bool inverse) {
  size_t n = x.size();
  std::vector<LComplex> roots(n);
  long double sign = inverse ? 1.0L : -1.0L;
  for (size_t t = 0; t < n; ++t) {
    long double angle = 2.0L * kPiL * (long double)t / (long double)n;
    roots[t] = LComplex(cosl(angle), sign * sinl(angle));
  }
  std::vector<LComplex> y(n);
  for (size_t k = 0; k < n; ++k) {
    LComplex acc = 0;
    for (size_t j = 0; j < n; ++j)
      acc += x[j] * roots[(j * k) % n];
    y[k] = inverse ? acc / (long double)n : acc;
  }
  return y;
}

/// Max |got - want| over max |want|.
double relativeError(const Tensor &got, const std::vector<LComplex> &want) {
  long double maxErr = 0, maxMag = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    LComplex g(got.data[2 * i], got.data[2 * i + 1]);
    maxErr = std::max(maxErr, std::abs(g - want[i]));
    maxMag = std::max(maxMag, std::abs(want[i]));
  }
  return maxMag == 0 ? (double)maxErr : (double)(maxErr / maxMag);
}

class FftLengthTest : public ::testing::TestWithParam<int64_t> {};

TEST_P(FftLengthTest, MatchesNaiveDft) {
  int64_t n = GetParam();
  Tensor x = randomComplex({n}, 1234 + unsigned(n));
  std::vector<LComplex> xl(n);
  for (int64_t i = 0; i < n; ++i)
    xl[i] = LComplex(x.data[2 * i], x.data[2 * i + 1]);
  for (bool inverse : {false, true}) {
    Tensor y = ref::fft(x, 0, inverse);
    ASSERT_EQ(y.kind, ElementKind::Complex64);
    ASSERT_EQ(y.shape, x.shape);
    EXPECT_LE(relativeError(y, naiveDft(xl, inverse)), 1e-5)
        << "n=" << n << (inverse ? " inverse" : " forward");
  }
}

TEST_P(FftLengthTest, InverseUndoesForward) {
  int64_t n = GetParam();
  Tensor x = randomComplex({n}, 99 + unsigned(n));
  Tensor back = ref::fft(ref::fft(x, 0, false), 0, true);
  std::vector<LComplex> want(n);
  for (int64_t i = 0; i < n; ++i)
    want[i] = LComplex(x.data[2 * i], x.data[2 * i + 1]);
  EXPECT_LE(relativeError(back, want), 1e-5) << "n=" << n;
}

INSTANTIATE_TEST_SUITE_P(Lengths, FftLengthTest,
                         ::testing::Values(1, 2, 3, 4, 5, 7, 8, 12, 16, 97, 197,
                                           256, 768, 1000, 1024));

TEST(FftTest, AlongInnerDim) {
  // Lines along dim 1 of [3, n, 2] are strided; check every one of them.
  for (int64_t n : {6, 8}) {
    Tensor x = randomComplex({3, n, 2}, 7);
    for (int64_t dim : {1, -2}) {
      Tensor y = ref::fft(x, dim, /*inverse=*/false);
      for (int64_t o = 0; o < 3; ++o) {
        for (int64_t in = 0; in < 2; ++in) {
          std::vector<LComplex> line(n);
          for (int64_t i = 0; i < n; ++i) {
            int64_t e = (o * n + i) * 2 + in;
            line[i] = LComplex(x.data[2 * e], x.data[2 * e + 1]);
          }
          std::vector<LComplex> want = naiveDft(line, false);
          for (int64_t i = 0; i < n; ++i) {
            int64_t e = (o * n + i) * 2 + in;
            EXPECT_NEAR(y.data[2 * e], (double)want[i].real(), 1e-5);
            EXPECT_NEAR(y.data[2 * e + 1], (double)want[i].imag(), 1e-5);
          }
        }
      }
    }
  }
}

TEST(FftTest, KnownValues) {
  // fft([1, 2, 3]) = [6, -1.5+0.866j, -1.5-0.866j].
  Tensor x = Tensor::zeros(ElementKind::Complex64, {3});
  x.data = {1, 0, 2, 0, 3, 0};
  Tensor y = ref::fft(x, 0, false);
  EXPECT_NEAR(y.data[0], 6.0, 1e-6);
  EXPECT_NEAR(y.data[1], 0.0, 1e-6);
  EXPECT_NEAR(y.data[2], -1.5, 1e-6);
  EXPECT_NEAR(y.data[3], 0.8660254037844386, 1e-6);
  EXPECT_NEAR(y.data[4], -1.5, 1e-6);
  EXPECT_NEAR(y.data[5], -0.8660254037844386, 1e-6);
}

void checkFourierMix(std::vector<int64_t> shape) {
  std::mt19937 rng(42);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  Tensor x = Tensor::zeros(ElementKind::F32, shape);
  for (float &v : x.data)
    v = dist(rng);
  Tensor y = ref::fourierMix(x);
  ASSERT_EQ(y.kind, ElementKind::F32);
  ASSERT_EQ(y.shape, shape);
  int64_t bDim = shape[0], lDim = shape[1], dDim = shape[2];
  double maxMag = 0, maxErr = 0;
  for (int64_t b = 0; b < bDim; ++b) {
    for (int64_t l = 0; l < lDim; ++l) {
      for (int64_t d = 0; d < dDim; ++d) {
        // Re of the 2-D DFT.
        long double acc = 0;
        for (int64_t l2 = 0; l2 < lDim; ++l2)
          for (int64_t d2 = 0; d2 < dDim; ++d2) {
            long double phase = 2.0L * kPiL *
                                ((long double)((l * l2) % lDim) / lDim +
                                 (long double)((d * d2) % dDim) / dDim);
            acc += x.data[(b * lDim + l2) * dDim + d2] * cosl(phase);
          }
        double got = y.data[(b * lDim + l) * dDim + d];
        maxErr = std::max(maxErr, std::fabs(got - (double)acc));
        maxMag = std::max(maxMag, std::fabs((double)acc));
      }
    }
  }
  EXPECT_LE(maxErr, 1e-5 * maxMag);
}

TEST(FftTest, FourierMixMatchesNaive2D) {
  checkFourierMix({2, 6, 10});
  checkFourierMix({1, 8, 16});
}

} // namespace
