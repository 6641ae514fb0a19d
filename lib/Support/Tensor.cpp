//===- Tensor.cpp - Dense host tensors of f32 / complex<f32> ----*- C++ -*-===//
//
// Shape helpers and printing of butterfly::Tensor.
//
//===----------------------------------------------------------------------===//

#include "butterfly/Support/Tensor.h"

#include <cassert>

using namespace butterfly;

const char *butterfly::elementKindName(ElementKind kind) {
  return kind == ElementKind::Complex64 ? "complex64" : "float32";
}

int64_t Tensor::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

Tensor Tensor::zeros(ElementKind kind, std::vector<int64_t> shape) {
  Tensor t;
  t.kind = kind;
  t.shape = std::move(shape);
  for (int64_t d : t.shape) {
    (void)d;
    assert(d >= 0 && "negative dimension");
  }
  t.data.assign(static_cast<size_t>(t.numElements() * t.floatsPerElement()),
                0.0f);
  return t;
}

std::string Tensor::shapeString() const {
  if (shape.empty())
    return "scalar";
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += 'x';
    s += std::to_string(shape[i]);
  }
  return s;
}

std::string Tensor::typeString() const {
  std::string s = "tensor<";
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  s += isComplex() ? "complex<f32>" : "f32";
  s += '>';
  return s;
}

std::vector<int64_t>
butterfly::rowMajorStrides(const std::vector<int64_t> &shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (size_t i = shape.size(); i > 1; --i)
    strides[i - 2] = strides[i - 1] * shape[i - 1];
  return strides;
}
