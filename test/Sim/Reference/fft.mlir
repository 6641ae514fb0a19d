// Reference interpreter: bfly.fft / bfly.ifft against numpy.fft.fft / ifft
// (gen_case.py), along dim 0 and dim 1, for lengths 256, 12, 197 (prime) and
// 1. Tolerances: rtol 1e-4, and atol about 3e-5 of the output's RMS.
// RUN: rm -rf %t && mkdir -p %t

// RUN: %python %S/gen_case.py fft_dim0_n256 %t/fft_dim0_n256
// RUN: butterfly-sim --reference %s --entry fft_dim0_n256 \
// RUN:   --input %t/fft_dim0_n256/in0.npy --output-dir %t/fft_dim0_n256/out \
// RUN:   --expect %t/fft_dim0_n256/expected --rtol 1e-4 --atol 5e-4
func.func @fft_dim0_n256(%x: tensor<256x3xcomplex<f32>>) -> tensor<256x3xcomplex<f32>> {
  %0 = bfly.fft %x dim 0 : tensor<256x3xcomplex<f32>>
  return %0 : tensor<256x3xcomplex<f32>>
}

// RUN: %python %S/gen_case.py fft_dim0_n12 %t/fft_dim0_n12
// RUN: butterfly-sim --reference %s --entry fft_dim0_n12 \
// RUN:   --input %t/fft_dim0_n12/in0.npy --output-dir %t/fft_dim0_n12/out \
// RUN:   --expect %t/fft_dim0_n12/expected --rtol 1e-4 --atol 1e-4
func.func @fft_dim0_n12(%x: tensor<12x3xcomplex<f32>>) -> tensor<12x3xcomplex<f32>> {
  %0 = bfly.fft %x dim 0 : tensor<12x3xcomplex<f32>>
  return %0 : tensor<12x3xcomplex<f32>>
}

// RUN: %python %S/gen_case.py fft_dim0_n197 %t/fft_dim0_n197
// RUN: butterfly-sim --reference %s --entry fft_dim0_n197 \
// RUN:   --input %t/fft_dim0_n197/in0.npy --output-dir %t/fft_dim0_n197/out \
// RUN:   --expect %t/fft_dim0_n197/expected --rtol 1e-4 --atol 5e-4
func.func @fft_dim0_n197(%x: tensor<197x3xcomplex<f32>>) -> tensor<197x3xcomplex<f32>> {
  %0 = bfly.fft %x dim 0 : tensor<197x3xcomplex<f32>>
  return %0 : tensor<197x3xcomplex<f32>>
}

// RUN: %python %S/gen_case.py fft_dim0_n1 %t/fft_dim0_n1
// RUN: butterfly-sim --reference %s --entry fft_dim0_n1 \
// RUN:   --input %t/fft_dim0_n1/in0.npy --output-dir %t/fft_dim0_n1/out \
// RUN:   --expect %t/fft_dim0_n1/expected --rtol 1e-4 --atol 1e-5
func.func @fft_dim0_n1(%x: tensor<1x3xcomplex<f32>>) -> tensor<1x3xcomplex<f32>> {
  %0 = bfly.fft %x dim 0 : tensor<1x3xcomplex<f32>>
  return %0 : tensor<1x3xcomplex<f32>>
}

// RUN: %python %S/gen_case.py fft_dim1_n256 %t/fft_dim1_n256
// RUN: butterfly-sim --reference %s --entry fft_dim1_n256 \
// RUN:   --input %t/fft_dim1_n256/in0.npy --output-dir %t/fft_dim1_n256/out \
// RUN:   --expect %t/fft_dim1_n256/expected --rtol 1e-4 --atol 5e-4
func.func @fft_dim1_n256(%x: tensor<2x256x3xcomplex<f32>>) -> tensor<2x256x3xcomplex<f32>> {
  %0 = bfly.fft %x dim 1 : tensor<2x256x3xcomplex<f32>>
  return %0 : tensor<2x256x3xcomplex<f32>>
}

// RUN: %python %S/gen_case.py fft_dim1_n12 %t/fft_dim1_n12
// RUN: butterfly-sim --reference %s --entry fft_dim1_n12 \
// RUN:   --input %t/fft_dim1_n12/in0.npy --output-dir %t/fft_dim1_n12/out \
// RUN:   --expect %t/fft_dim1_n12/expected --rtol 1e-4 --atol 1e-4
func.func @fft_dim1_n12(%x: tensor<2x12x3xcomplex<f32>>) -> tensor<2x12x3xcomplex<f32>> {
  %0 = bfly.fft %x dim 1 : tensor<2x12x3xcomplex<f32>>
  return %0 : tensor<2x12x3xcomplex<f32>>
}

// RUN: %python %S/gen_case.py fft_dim1_n197 %t/fft_dim1_n197
// RUN: butterfly-sim --reference %s --entry fft_dim1_n197 \
// RUN:   --input %t/fft_dim1_n197/in0.npy --output-dir %t/fft_dim1_n197/out \
// RUN:   --expect %t/fft_dim1_n197/expected --rtol 1e-4 --atol 5e-4
func.func @fft_dim1_n197(%x: tensor<2x197x3xcomplex<f32>>) -> tensor<2x197x3xcomplex<f32>> {
  %0 = bfly.fft %x dim 1 : tensor<2x197x3xcomplex<f32>>
  return %0 : tensor<2x197x3xcomplex<f32>>
}

// RUN: %python %S/gen_case.py fft_dim1_n1 %t/fft_dim1_n1
// RUN: butterfly-sim --reference %s --entry fft_dim1_n1 \
// RUN:   --input %t/fft_dim1_n1/in0.npy --output-dir %t/fft_dim1_n1/out \
// RUN:   --expect %t/fft_dim1_n1/expected --rtol 1e-4 --atol 1e-5
func.func @fft_dim1_n1(%x: tensor<2x1x3xcomplex<f32>>) -> tensor<2x1x3xcomplex<f32>> {
  %0 = bfly.fft %x dim 1 : tensor<2x1x3xcomplex<f32>>
  return %0 : tensor<2x1x3xcomplex<f32>>
}

// RUN: %python %S/gen_case.py ifft_dim0_n256 %t/ifft_dim0_n256
// RUN: butterfly-sim --reference %s --entry ifft_dim0_n256 \
// RUN:   --input %t/ifft_dim0_n256/in0.npy --output-dir %t/ifft_dim0_n256/out \
// RUN:   --expect %t/ifft_dim0_n256/expected --rtol 1e-4 --atol 2e-6
func.func @ifft_dim0_n256(%x: tensor<256x3xcomplex<f32>>) -> tensor<256x3xcomplex<f32>> {
  %0 = bfly.ifft %x dim 0 : tensor<256x3xcomplex<f32>>
  return %0 : tensor<256x3xcomplex<f32>>
}

// RUN: %python %S/gen_case.py ifft_dim0_n12 %t/ifft_dim0_n12
// RUN: butterfly-sim --reference %s --entry ifft_dim0_n12 \
// RUN:   --input %t/ifft_dim0_n12/in0.npy --output-dir %t/ifft_dim0_n12/out \
// RUN:   --expect %t/ifft_dim0_n12/expected --rtol 1e-4 --atol 1e-5
func.func @ifft_dim0_n12(%x: tensor<12x3xcomplex<f32>>) -> tensor<12x3xcomplex<f32>> {
  %0 = bfly.ifft %x dim 0 : tensor<12x3xcomplex<f32>>
  return %0 : tensor<12x3xcomplex<f32>>
}

// RUN: %python %S/gen_case.py ifft_dim0_n197 %t/ifft_dim0_n197
// RUN: butterfly-sim --reference %s --entry ifft_dim0_n197 \
// RUN:   --input %t/ifft_dim0_n197/in0.npy --output-dir %t/ifft_dim0_n197/out \
// RUN:   --expect %t/ifft_dim0_n197/expected --rtol 1e-4 --atol 2e-6
func.func @ifft_dim0_n197(%x: tensor<197x3xcomplex<f32>>) -> tensor<197x3xcomplex<f32>> {
  %0 = bfly.ifft %x dim 0 : tensor<197x3xcomplex<f32>>
  return %0 : tensor<197x3xcomplex<f32>>
}

// RUN: %python %S/gen_case.py ifft_dim0_n1 %t/ifft_dim0_n1
// RUN: butterfly-sim --reference %s --entry ifft_dim0_n1 \
// RUN:   --input %t/ifft_dim0_n1/in0.npy --output-dir %t/ifft_dim0_n1/out \
// RUN:   --expect %t/ifft_dim0_n1/expected --rtol 1e-4 --atol 1e-5
func.func @ifft_dim0_n1(%x: tensor<1x3xcomplex<f32>>) -> tensor<1x3xcomplex<f32>> {
  %0 = bfly.ifft %x dim 0 : tensor<1x3xcomplex<f32>>
  return %0 : tensor<1x3xcomplex<f32>>
}

// RUN: %python %S/gen_case.py ifft_dim1_n256 %t/ifft_dim1_n256
// RUN: butterfly-sim --reference %s --entry ifft_dim1_n256 \
// RUN:   --input %t/ifft_dim1_n256/in0.npy --output-dir %t/ifft_dim1_n256/out \
// RUN:   --expect %t/ifft_dim1_n256/expected --rtol 1e-4 --atol 2e-6
func.func @ifft_dim1_n256(%x: tensor<3x256xcomplex<f32>>) -> tensor<3x256xcomplex<f32>> {
  %0 = bfly.ifft %x dim 1 : tensor<3x256xcomplex<f32>>
  return %0 : tensor<3x256xcomplex<f32>>
}

// RUN: %python %S/gen_case.py ifft_dim1_n12 %t/ifft_dim1_n12
// RUN: butterfly-sim --reference %s --entry ifft_dim1_n12 \
// RUN:   --input %t/ifft_dim1_n12/in0.npy --output-dir %t/ifft_dim1_n12/out \
// RUN:   --expect %t/ifft_dim1_n12/expected --rtol 1e-4 --atol 1e-5
func.func @ifft_dim1_n12(%x: tensor<3x12xcomplex<f32>>) -> tensor<3x12xcomplex<f32>> {
  %0 = bfly.ifft %x dim 1 : tensor<3x12xcomplex<f32>>
  return %0 : tensor<3x12xcomplex<f32>>
}

// RUN: %python %S/gen_case.py ifft_dim1_n197 %t/ifft_dim1_n197
// RUN: butterfly-sim --reference %s --entry ifft_dim1_n197 \
// RUN:   --input %t/ifft_dim1_n197/in0.npy --output-dir %t/ifft_dim1_n197/out \
// RUN:   --expect %t/ifft_dim1_n197/expected --rtol 1e-4 --atol 2e-6
func.func @ifft_dim1_n197(%x: tensor<3x197xcomplex<f32>>) -> tensor<3x197xcomplex<f32>> {
  %0 = bfly.ifft %x dim 1 : tensor<3x197xcomplex<f32>>
  return %0 : tensor<3x197xcomplex<f32>>
}

// RUN: %python %S/gen_case.py ifft_dim1_n1 %t/ifft_dim1_n1
// RUN: butterfly-sim --reference %s --entry ifft_dim1_n1 \
// RUN:   --input %t/ifft_dim1_n1/in0.npy --output-dir %t/ifft_dim1_n1/out \
// RUN:   --expect %t/ifft_dim1_n1/expected --rtol 1e-4 --atol 1e-5
func.func @ifft_dim1_n1(%x: tensor<3x1xcomplex<f32>>) -> tensor<3x1xcomplex<f32>> {
  %0 = bfly.ifft %x dim 1 : tensor<3x1xcomplex<f32>>
  return %0 : tensor<3x1xcomplex<f32>>
}

// ifft(fft(x)) along the same dim is x (the canonicalizer would fold this;
// the interpreter runs it as written).
// RUN: %python %S/gen_case.py fft_ifft_roundtrip %t/fft_ifft_roundtrip
// RUN: butterfly-sim --reference %s --entry fft_ifft_roundtrip \
// RUN:   --input %t/fft_ifft_roundtrip/in0.npy \
// RUN:   --output-dir %t/fft_ifft_roundtrip/out \
// RUN:   --expect %t/fft_ifft_roundtrip/expected --rtol 1e-4 --atol 1e-5
func.func @fft_ifft_roundtrip(%x: tensor<6x20xcomplex<f32>>) -> tensor<6x20xcomplex<f32>> {
  %0 = bfly.fft %x dim 1 : tensor<6x20xcomplex<f32>>
  %1 = bfly.ifft %0 dim 1 : tensor<6x20xcomplex<f32>>
  return %1 : tensor<6x20xcomplex<f32>>
}
