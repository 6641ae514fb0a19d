//===- Tensor.h - Dense host tensors of f32 / complex<f32> ------*- C++ -*-===//
//
// The value type exchanged between the .npy codec, the reference kernels, the
// reference interpreter and the simulator: a dense row-major tensor that owns
// its data. Deliberately plain (no views, no strides) so that every consumer
// can index it the same obvious way.
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_SUPPORT_TENSOR_H
#define BUTTERFLY_SUPPORT_TENSOR_H

#include <cstdint>
#include <string>
#include <vector>

namespace butterfly {

enum class ElementKind { F32, Complex64 };

/// Returns "float32" or "complex64" (NumPy's names, used in diagnostics).
const char *elementKindName(ElementKind kind);

/// A dense row-major (C order) tensor of fp32 or complex<f32> values.
/// Complex values are stored interleaved (re, im), so
/// data.size() == 2 * numElements().
struct Tensor {
  ElementKind kind = ElementKind::F32;
  std::vector<int64_t> shape;
  std::vector<float> data;

  /// Product of the dims (1 for rank 0).
  int64_t numElements() const;
  bool isComplex() const { return kind == ElementKind::Complex64; }
  int64_t rank() const { return static_cast<int64_t>(shape.size()); }
  /// Floats per element: 1 for F32, 2 for Complex64.
  int64_t floatsPerElement() const { return isComplex() ? 2 : 1; }

  static Tensor zeros(ElementKind kind, std::vector<int64_t> shape);

  /// e.g. "2x3x4" ("scalar" for rank 0); used in diagnostics.
  std::string shapeString() const;
  /// e.g. "tensor<2x3xf32>" / "tensor<4xcomplex<f32>>" / "tensor<f32>".
  std::string typeString() const;
};

/// Row-major strides (in elements) of \p shape.
std::vector<int64_t> rowMajorStrides(const std::vector<int64_t> &shape);

} // namespace butterfly

#endif // BUTTERFLY_SUPPORT_TENSOR_H
