//===- Projection.cpp - Dense weights onto butterfly twiddles ---*- C++ -*-===//
//
// A butterfly of size n with increasing strides is M = F_{n/2}·diag(B_top,
// B_bottom): its last factor pairs rows r and r + n/2, and the two half-size
// butterflies act on disjoint column halves. So rows r and r + n/2 of M
// restricted to the top columns are (F[r][0][0], F[r][1][0])ᵀ · B_top[r, :],
// a rank-1 matrix, and likewise for the bottom columns. Fitting each such
// 2 x n/2 block by its best rank-1 approximation (a 2x2 eigenproblem) and
// recursing on the halves gives a projection that is exact on butterflies.
// Decreasing strides are the same with the parity classes (even/odd indices)
// in place of the halves.
//
//===----------------------------------------------------------------------===//

#include "butterfly/Reference/Projection.h"

#include "butterfly/Reference/Kernels.h"

#include <array>
#include <cassert>
#include <cmath>

using namespace butterfly;
using namespace butterfly::ref;

namespace {

using Matrix = std::vector<std::vector<double>>;
using Block = std::array<double, 4>; // [a][b] row-major
/// factors[idx][pair] in the order the factors are applied.
using Factors = std::vector<std::vector<Block>>;

/// The best rank-1 approximation u·vᵀ of the 2 x m matrix with rows r0, r1.
void rankOne(const std::vector<double> &r0, const std::vector<double> &r1,
             double &u0, double &u1, std::vector<double> &v) {
  // The top left singular vector is the top eigenvector of A·Aᵀ (2x2).
  double a = 0, b = 0, c = 0;
  for (size_t i = 0; i < r0.size(); ++i) {
    a += r0[i] * r0[i];
    b += r0[i] * r1[i];
    c += r1[i] * r1[i];
  }
  double mean = (a + c) / 2, diff = (a - c) / 2;
  double lambda = mean + std::sqrt(diff * diff + b * b);
  if (lambda <= 0) {
    u0 = 1, u1 = 0;
    v.assign(r0.size(), 0.0);
    return;
  }
  // Eigenvector of [[a, b], [b, c]] for lambda, normalised.
  double e0 = b, e1 = lambda - a;
  if (std::abs(e0) + std::abs(e1) < 1e-300 * (std::abs(a) + std::abs(c)) ||
      (e0 == 0 && e1 == 0))
    e0 = a >= c ? 1 : 0, e1 = a >= c ? 0 : 1;
  double norm = std::hypot(e0, e1);
  e0 /= norm, e1 /= norm;
  // Split the singular value evenly between the factor and the row.
  double sigma = std::sqrt(lambda), root = std::sqrt(sigma);
  u0 = e0 * root, u1 = e1 * root;
  v.resize(r0.size());
  for (size_t i = 0; i < r0.size(); ++i)
    v[i] = (e0 * r0[i] + e1 * r1[i]) / root;
}

/// Fits the n x n target (n a power of two >= 2) and returns its factors.
Factors fit(const Matrix &target, bool increasing) {
  size_t n = target.size();
  size_t half = n / 2;
  if (n == 2)
    return {{Block{target[0][0], target[0][1], target[1][0], target[1][1]}}};
  // Element i of sub-butterfly `part` (0/1) in full coordinates.
  auto element = [&](size_t part, size_t i) {
    return increasing ? part * half + i : 2 * i + part;
  };
  // Rows paired by the outermost factor: (r, r + n/2) or (2r, 2r + 1).
  auto rowPair = [&](size_t r) {
    return increasing ? std::pair(r, r + half) : std::pair(2 * r, 2 * r + 1);
  };
  std::vector<Block> outer(half);
  Matrix sub[2] = {Matrix(half, std::vector<double>(half)),
                   Matrix(half, std::vector<double>(half))};
  for (size_t r = 0; r < half; ++r) {
    auto [row0, row1] = rowPair(r);
    for (size_t part = 0; part < 2; ++part) {
      std::vector<double> top(half), bottom(half), v;
      for (size_t c = 0; c < half; ++c) {
        top[c] = target[row0][element(part, c)];
        bottom[c] = target[row1][element(part, c)];
      }
      double u0, u1;
      rankOne(top, bottom, u0, u1, v);
      outer[r][0 * 2 + part] = u0;
      outer[r][1 * 2 + part] = u1;
      sub[part][r] = v;
    }
  }
  Factors inner[2] = {fit(sub[0], increasing), fit(sub[1], increasing)};
  // Inner factor idx acts with stride s' in the sub-problem; in the full
  // problem it has stride s' (halves) or 2s' (parity classes). Map each full
  // pair to its sub-problem pair.
  size_t innerCount = inner[0].size();
  Factors result(innerCount + 1, std::vector<Block>(half));
  for (size_t idx = 0; idx < innerCount; ++idx) {
    size_t logHalf = innerCount;
    size_t subStride = size_t(1) << (increasing ? idx : logHalf - 1 - idx);
    size_t stride = increasing ? subStride : 2 * subStride;
    for (size_t pair = 0; pair < half; ++pair) {
      size_t group = pair / stride, offset = pair % stride;
      size_t first = group * 2 * stride + offset; // full index of element 0
      size_t part = increasing ? first / half : first % 2;
      size_t subFirst = increasing ? first - part * half : first / 2;
      size_t subPair =
          (subFirst / (2 * subStride)) * subStride + subFirst % subStride;
      result[idx][pair] = inner[part][idx][subPair];
    }
  }
  // The outermost factor is applied last (stride n/2 increasing, 1
  // decreasing); its pair r is the row pair above in both cases.
  result[innerCount] = outer;
  return result;
}

} // namespace

ButterflyProjection ref::projectToButterfly(const Tensor &weight,
                                            int64_t numBlocks,
                                            bool increasingStride) {
  assert(weight.rank() == 2 && !weight.isComplex() && numBlocks >= 1);
  int64_t in = weight.shape[0], out = weight.shape[1];
  int64_t logN = 0;
  while ((int64_t(1) << logN) < in)
    ++logN;
  int64_t n = int64_t(1) << logN;
  int64_t stacks = (out + n - 1) / n;
  ButterflyProjection result;
  result.twiddles =
      Tensor::zeros(ElementKind::F32, {stacks, numBlocks, logN, n / 2, 2, 2});
  std::vector<float> &tw = result.twiddles.data;
  auto twiddleIndex = [&](int64_t stack, int64_t block, int64_t idx,
                          int64_t pair) {
    return (((stack * numBlocks + block) * logN + idx) * (n / 2) + pair) * 4;
  };
  for (int64_t stack = 0; stack < stacks; ++stack) {
    if (n >= 2) {
      // Stack s computes output features [s·n, (s+1)·n): M[r][c] = W[c][s·n+r].
      Matrix target(n, std::vector<double>(n, 0.0));
      for (int64_t r = 0; r < n && stack * n + r < out; ++r)
        for (int64_t c = 0; c < in; ++c)
          target[r][c] = weight.data[c * out + stack * n + r];
      Factors factors = fit(target, increasingStride);
      for (int64_t idx = 0; idx < logN; ++idx)
        for (int64_t pair = 0; pair < n / 2; ++pair)
          for (int64_t k = 0; k < 4; ++k)
            tw[twiddleIndex(stack, 0, idx, pair) + k] =
                static_cast<float>(factors[idx][pair][k]);
    }
    for (int64_t block = 1; block < numBlocks; ++block)
      for (int64_t idx = 0; idx < logN; ++idx)
        for (int64_t pair = 0; pair < n / 2; ++pair) {
          tw[twiddleIndex(stack, block, idx, pair) + 0] = 1;
          tw[twiddleIndex(stack, block, idx, pair) + 3] = 1;
        }
  }
  // The error of what was fitted, measured through the reference kernel on
  // the identity: row c of the result is the image of basis vector e_c.
  Tensor identity = Tensor::zeros(ElementKind::F32, {in, in});
  for (int64_t c = 0; c < in; ++c)
    identity.data[c * in + c] = 1;
  Tensor fitted = butterflyLinear(identity, result.twiddles, nullptr,
                                  increasingStride, out);
  double errorSq = 0, normSq = 0;
  for (size_t i = 0; i < weight.data.size(); ++i) {
    double diff = double(fitted.data[i]) - double(weight.data[i]);
    errorSq += diff * diff;
    normSq += double(weight.data[i]) * double(weight.data[i]);
  }
  result.relativeError =
      normSq > 0 ? std::sqrt(errorSq / normSq) : std::sqrt(errorSq);
  return result;
}
