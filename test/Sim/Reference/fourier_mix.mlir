// Reference interpreter: bfly.fourier_mix against
// numpy.real(fft(fft(x, axis=-1), axis=-2)) (gen_case.py). Tolerances: rtol
// 1e-4, and atol about 3e-5 of the output's RMS (which grows as sqrt(L*D)).
// RUN: rm -rf %t && mkdir -p %t

// RUN: %python %S/gen_case.py fourier_mix_pow2 %t/fourier_mix_pow2
// RUN: butterfly-sim --reference %s --entry fourier_mix_pow2 \
// RUN:   --input %t/fourier_mix_pow2/in0.npy \
// RUN:   --output-dir %t/fourier_mix_pow2/out \
// RUN:   --expect %t/fourier_mix_pow2/expected --rtol 1e-4 --atol 5e-4
func.func @fourier_mix_pow2(%x: tensor<2x16x32xf32>) -> tensor<2x16x32xf32> {
  %0 = bfly.fourier_mix %x : tensor<2x16x32xf32>
  return %0 : tensor<2x16x32xf32>
}

// FNet's shape: L = 197 (prime) and D = 768 (3 * 256), not powers of two.
// RUN: %python %S/gen_case.py fourier_mix_fnet %t/fourier_mix_fnet
// RUN: butterfly-sim --reference %s --entry fourier_mix_fnet \
// RUN:   --input %t/fourier_mix_fnet/in0.npy \
// RUN:   --output-dir %t/fourier_mix_fnet/out \
// RUN:   --expect %t/fourier_mix_fnet/expected --rtol 1e-4 --atol 1e-2
func.func @fourier_mix_fnet(%x: tensor<1x197x768xf32>) -> tensor<1x197x768xf32> {
  %0 = bfly.fourier_mix %x {sparsity = #bfly.sparsity<fourier>} : tensor<1x197x768xf32>
  return %0 : tensor<1x197x768xf32>
}

// RUN: %python %S/gen_case.py fourier_mix_small %t/fourier_mix_small
// RUN: butterfly-sim --reference %s --entry fourier_mix_small \
// RUN:   --input %t/fourier_mix_small/in0.npy \
// RUN:   --output-dir %t/fourier_mix_small/out \
// RUN:   --expect %t/fourier_mix_small/expected --rtol 1e-4 --atol 2e-4
func.func @fourier_mix_small(%x: tensor<1x12x10xf32>) -> tensor<1x12x10xf32> {
  %0 = bfly.fourier_mix %x : tensor<1x12x10xf32>
  return %0 : tensor<1x12x10xf32>
}

// L = 1: only the hidden dimension is transformed.
// RUN: %python %S/gen_case.py fourier_mix_len1 %t/fourier_mix_len1
// RUN: butterfly-sim --reference %s --entry fourier_mix_len1 \
// RUN:   --input %t/fourier_mix_len1/in0.npy \
// RUN:   --output-dir %t/fourier_mix_len1/out \
// RUN:   --expect %t/fourier_mix_len1/expected --rtol 1e-4 --atol 5e-5
func.func @fourier_mix_len1(%x: tensor<2x1x5xf32>) -> tensor<2x1x5xf32> {
  %0 = bfly.fourier_mix %x : tensor<2x1x5xf32>
  return %0 : tensor<2x1x5xf32>
}
