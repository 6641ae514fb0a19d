// RUN: butterfly-opt %s --split-input-file --verify-diagnostics

// One case per verifier error of the bfly ops (BflyOps.cpp), then a few
// ODS-generated type-constraint errors.

//===----------------------------------------------------------------------===//
// linear
//===----------------------------------------------------------------------===//

func.func @linear_input_rank0(%x: tensor<f32>, %w: tensor<4x8xf32>) {
  // expected-error @+1 {{'bfly.linear' op input must have rank >= 1}}
  %0 = bfly.linear %x, %w : tensor<f32>, tensor<4x8xf32> -> tensor<8xf32>
  return
}

// -----

func.func @linear_weight_rank(%x: tensor<2x4xf32>, %w: tensor<4xf32>) {
  // expected-error @+1 {{weight must have rank 2 [in_features, out_features], got rank 1}}
  %0 = bfly.linear %x, %w : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @linear_feature_mismatch(%x: tensor<2x4xf32>, %w: tensor<5x8xf32>) {
  // expected-error @+1 {{input has 4 features but the weight has 5 rows}}
  %0 = bfly.linear %x, %w : tensor<2x4xf32>, tensor<5x8xf32> -> tensor<2x8xf32>
  return
}

// -----

func.func @linear_bias_size(%x: tensor<2x4xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{bias must be 1-D with 8 elements, got 'tensor<4xf32>'}}
  %0 = bfly.linear %x, %w, %b : tensor<2x4xf32>, tensor<4x8xf32>, tensor<4xf32> -> tensor<2x8xf32>
  return
}

// -----

func.func @linear_bias_rank(%x: tensor<2x4xf32>, %w: tensor<4x8xf32>, %b: tensor<1x8xf32>) {
  // expected-error @+1 {{bias must be 1-D with 8 elements, got 'tensor<1x8xf32>'}}
  %0 = bfly.linear %x, %w, %b : tensor<2x4xf32>, tensor<4x8xf32>, tensor<1x8xf32> -> tensor<2x8xf32>
  return
}

// -----

func.func @linear_result_shape(%x: tensor<2x4xf32>, %w: tensor<4x8xf32>) {
  // expected-error @+1 {{result type 'tensor<2x4xf32>' does not match the computed shape [2, 8]}}
  %0 = bfly.linear %x, %w : tensor<2x4xf32>, tensor<4x8xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @linear_result_rank(%x: tensor<2x3x4xf32>, %w: tensor<4x8xf32>) {
  // expected-error @+1 {{result type 'tensor<6x8xf32>' does not match the computed shape [2, 3, 8]}}
  %0 = bfly.linear %x, %w : tensor<2x3x4xf32>, tensor<4x8xf32> -> tensor<6x8xf32>
  return
}

// -----

func.func @linear_sparsity(%x: tensor<2x4xf32>, %w: tensor<4x8xf32>) {
  // expected-error @+1 {{sparsity 'fourier' is not meaningful here; expected 'dense' or 'butterfly'}}
  %0 = bfly.linear %x, %w {sparsity = #bfly.sparsity<fourier>} : tensor<2x4xf32>, tensor<4x8xf32> -> tensor<2x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// matmul
//===----------------------------------------------------------------------===//

func.func @matmul_lhs_rank(%a: tensor<4xf32>, %b: tensor<4x8xf32>) {
  // expected-error @+1 {{lhs must have rank >= 2, got rank 1}}
  %0 = bfly.matmul %a, %b : tensor<4xf32>, tensor<4x8xf32> -> tensor<8xf32>
  return
}

// -----

func.func @matmul_rhs_rank(%a: tensor<2x3x4xf32>, %b: tensor<1x2x4x8xf32>) {
  // expected-error @+1 {{rhs must have rank 2 or the rank of lhs (3), got rank 4}}
  %0 = bfly.matmul %a, %b : tensor<2x3x4xf32>, tensor<1x2x4x8xf32> -> tensor<2x3x8xf32>
  return
}

// -----

func.func @matmul_k_mismatch(%a: tensor<3x4xf32>, %b: tensor<5x8xf32>) {
  // expected-error @+1 {{contraction sizes differ: lhs has K = 4, rhs has K = 5}}
  %0 = bfly.matmul %a, %b : tensor<3x4xf32>, tensor<5x8xf32> -> tensor<3x8xf32>
  return
}

// -----

func.func @matmul_batch_mismatch(%a: tensor<2x5x3x4xf32>, %b: tensor<2x6x4x8xf32>) {
  // expected-error @+1 {{batch dimension 1 differs: lhs has 5, rhs has 6}}
  %0 = bfly.matmul %a, %b : tensor<2x5x3x4xf32>, tensor<2x6x4x8xf32> -> tensor<2x5x3x8xf32>
  return
}

// -----

func.func @matmul_result(%a: tensor<2x3x4xf32>, %b: tensor<4x8xf32>) {
  // expected-error @+1 {{result type 'tensor<2x8x3xf32>' does not match the computed shape [2, 3, 8]}}
  %0 = bfly.matmul %a, %b : tensor<2x3x4xf32>, tensor<4x8xf32> -> tensor<2x8x3xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// scale, softmax, layernorm
//===----------------------------------------------------------------------===//

func.func @scale_infinite(%x: tensor<4xf32>) {
  // expected-error @+1 {{'bfly.scale' op factor must be finite}}
  %0 = "bfly.scale"(%x) <{factor = 0x7F800000 : f32}> : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @scale_nan(%x: tensor<4xcomplex<f32>>) {
  // expected-error @+1 {{'bfly.scale' op factor must be finite}}
  %0 = bfly.scale %x by 0x7FC00000 : tensor<4xcomplex<f32>>
  return
}

// -----

func.func @softmax_axis(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'bfly.softmax' op axis 2 is out of range for a rank-2 tensor}}
  %0 = bfly.softmax %x axis 2 : tensor<2x4xf32>
  return
}

// -----

func.func @softmax_negative_axis(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'bfly.softmax' op axis -1 is out of range for a rank-2 tensor}}
  %0 = bfly.softmax %x axis -1 : tensor<2x4xf32>
  return
}

// -----

func.func @layernorm_rank0(%x: tensor<f32>, %g: tensor<1xf32>) {
  // expected-error @+1 {{'bfly.layernorm' op input must have rank >= 1}}
  %0 = bfly.layernorm %x, %g, %g : tensor<f32>, tensor<1xf32>, tensor<1xf32>
  return
}

// -----

func.func @layernorm_gamma(%x: tensor<2x8xf32>, %g: tensor<4xf32>, %b: tensor<8xf32>) {
  // expected-error @+1 {{gamma must be 1-D with 8 elements (the last input dimension), got 'tensor<4xf32>'}}
  %0 = bfly.layernorm %x, %g, %b : tensor<2x8xf32>, tensor<4xf32>, tensor<8xf32>
  return
}

// -----

func.func @layernorm_beta(%x: tensor<2x8xf32>, %g: tensor<8xf32>, %b: tensor<1x8xf32>) {
  // expected-error @+1 {{beta must be 1-D with 8 elements (the last input dimension), got 'tensor<1x8xf32>'}}
  %0 = bfly.layernorm %x, %g, %b : tensor<2x8xf32>, tensor<8xf32>, tensor<1x8xf32>
  return
}

// -----

func.func @layernorm_epsilon_zero(%x: tensor<2x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{epsilon must be positive and finite, got 0}}
  %0 = bfly.layernorm %x, %g, %g {epsilon = 0.0 : f32} : tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>
  return
}

// -----

func.func @layernorm_epsilon_negative(%x: tensor<2x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{epsilon must be positive and finite, got -}}
  %0 = bfly.layernorm %x, %g, %g {epsilon = -1.0e-5 : f32} : tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>
  return
}

// -----

func.func @layernorm_epsilon_inf(%x: tensor<2x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{epsilon must be positive and finite, got INF}}
  %0 = bfly.layernorm %x, %g, %g {epsilon = 0x7F800000 : f32} : tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// transpose
//===----------------------------------------------------------------------===//

func.func @transpose_entries(%x: tensor<2x3x4xf32>) {
  // expected-error @+1 {{permutation has 2 entries but the input has rank 3}}
  %0 = bfly.transpose %x [1, 0] : tensor<2x3x4xf32> -> tensor<3x2x4xf32>
  return
}

// -----

func.func @transpose_duplicate(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{permutation [0, 0] is not a permutation of 0..1}}
  %0 = bfly.transpose %x [0, 0] : tensor<2x3xf32> -> tensor<2x2xf32>
  return
}

// -----

func.func @transpose_out_of_range(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{permutation [2, 0] is not a permutation of 0..1}}
  %0 = bfly.transpose %x [2, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  return
}

// -----

func.func @transpose_negative(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{permutation [-1, 0] is not a permutation of 0..1}}
  %0 = bfly.transpose %x [-1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  return
}

// -----

func.func @transpose_result_shape(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{result type 'tensor<2x3xf32>' does not match the computed shape [3, 2]}}
  %0 = bfly.transpose %x [1, 0] : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @transpose_element_type(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'bfly.transpose' op result element type 'complex<f32>' differs from the input's 'f32'}}
  %0 = bfly.transpose %x [1, 0] : tensor<2x3xf32> -> tensor<3x2xcomplex<f32>>
  return
}

// -----

//===----------------------------------------------------------------------===//
// reshape
//===----------------------------------------------------------------------===//

func.func @reshape_dynamic_input(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{requires static shapes, got 'tensor<?x4xf32>' -> 'tensor<8xf32>'}}
  %0 = bfly.reshape %x : tensor<?x4xf32> -> tensor<8xf32>
  return
}

// -----

func.func @reshape_dynamic_result(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{requires static shapes, got 'tensor<2x4xf32>' -> 'tensor<?xf32>'}}
  %0 = bfly.reshape %x : tensor<2x4xf32> -> tensor<?xf32>
  return
}

// -----

func.func @reshape_element_count(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{cannot reshape 8 elements into 6}}
  %0 = bfly.reshape %x : tensor<2x4xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @reshape_element_type(%x: tensor<2x4xcomplex<f32>>) {
  // expected-error @+1 {{'bfly.reshape' op result element type 'f32' differs from the input's 'complex<f32>'}}
  %0 = bfly.reshape %x : tensor<2x4xcomplex<f32>> -> tensor<8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// attention
//===----------------------------------------------------------------------===//

func.func @attention_query_rank(%q: tensor<4x64x16xf32>, %k: tensor<1x4x64x16xf32>) {
  // expected-error @+1 {{query must have rank 4 [B, H, L, D], got 'tensor<4x64x16xf32>'}}
  %0 = bfly.attention %q, %k, %k : tensor<4x64x16xf32>, tensor<1x4x64x16xf32>, tensor<1x4x64x16xf32> -> tensor<1x4x64x16xf32>
  return
}

// -----

func.func @attention_key_rank(%q: tensor<1x4x64x16xf32>, %k: tensor<4x64x16xf32>) {
  // expected-error @+1 {{key must have rank 4 [B, H, L, D], got 'tensor<4x64x16xf32>'}}
  %0 = bfly.attention %q, %k, %q : tensor<1x4x64x16xf32>, tensor<4x64x16xf32>, tensor<1x4x64x16xf32> -> tensor<1x4x64x16xf32>
  return
}

// -----

func.func @attention_value_rank(%q: tensor<1x4x64x16xf32>, %v: tensor<1x1x4x64x16xf32>) {
  // expected-error @+1 {{value must have rank 4 [B, H, L, D], got 'tensor<1x1x4x64x16xf32>'}}
  %0 = bfly.attention %q, %q, %v : tensor<1x4x64x16xf32>, tensor<1x4x64x16xf32>, tensor<1x1x4x64x16xf32> -> tensor<1x4x64x16xf32>
  return
}

// -----

func.func @attention_batch(%q: tensor<1x4x64x16xf32>, %k: tensor<2x4x64x16xf32>) {
  // expected-error @+1 {{query, key and value differ in the batch dimension: 1, 2, 1}}
  %0 = bfly.attention %q, %k, %q : tensor<1x4x64x16xf32>, tensor<2x4x64x16xf32>, tensor<1x4x64x16xf32> -> tensor<1x4x64x16xf32>
  return
}

// -----

func.func @attention_head(%q: tensor<1x4x64x16xf32>, %v: tensor<1x8x64x16xf32>) {
  // expected-error @+1 {{query, key and value differ in the head dimension: 4, 4, 8}}
  %0 = bfly.attention %q, %q, %v : tensor<1x4x64x16xf32>, tensor<1x4x64x16xf32>, tensor<1x8x64x16xf32> -> tensor<1x4x64x16xf32>
  return
}

// -----

func.func @attention_head_size(%q: tensor<1x4x64x16xf32>, %k: tensor<1x4x64x32xf32>) {
  // expected-error @+1 {{query and key head sizes differ: 16 vs 32}}
  %0 = bfly.attention %q, %k, %q : tensor<1x4x64x16xf32>, tensor<1x4x64x32xf32>, tensor<1x4x64x16xf32> -> tensor<1x4x64x16xf32>
  return
}

// -----

func.func @attention_seq_len(%q: tensor<1x4x64x16xf32>, %k: tensor<1x4x32x16xf32>, %v: tensor<1x4x48x16xf32>) {
  // expected-error @+1 {{key and value sequence lengths differ: 32 vs 48}}
  %0 = bfly.attention %q, %k, %v : tensor<1x4x64x16xf32>, tensor<1x4x32x16xf32>, tensor<1x4x48x16xf32> -> tensor<1x4x64x16xf32>
  return
}

// -----

func.func @attention_mask_rank(%q: tensor<1x4x64x16xf32>, %k: tensor<1x4x32x16xf32>, %m: tensor<4x64x32xf32>) {
  // expected-error @+1 {{mask must be [Lq, Lk] = [64, 32] or [B|1, H|1, Lq, Lk], got 'tensor<4x64x32xf32>'}}
  %0 = bfly.attention %q, %k, %k mask %m : tensor<1x4x64x16xf32>, tensor<1x4x32x16xf32>, tensor<1x4x32x16xf32>, tensor<4x64x32xf32> -> tensor<1x4x64x16xf32>
  return
}

// -----

func.func @attention_mask_rank1(%q: tensor<1x4x64x16xf32>, %k: tensor<1x4x32x16xf32>, %m: tensor<32xf32>) {
  // expected-error @+1 {{mask must be [Lq, Lk] = [64, 32] or [B|1, H|1, Lq, Lk], got 'tensor<32xf32>'}}
  %0 = bfly.attention %q, %k, %k mask %m : tensor<1x4x64x16xf32>, tensor<1x4x32x16xf32>, tensor<1x4x32x16xf32>, tensor<32xf32> -> tensor<1x4x64x16xf32>
  return
}

// -----

func.func @attention_mask_dims(%q: tensor<1x4x64x16xf32>, %k: tensor<1x4x32x16xf32>, %m: tensor<32x64xf32>) {
  // expected-error @+1 {{mask must be [Lq, Lk] = [64, 32] or [B|1, H|1, Lq, Lk], got 'tensor<32x64xf32>'}}
  %0 = bfly.attention %q, %k, %k mask %m : tensor<1x4x64x16xf32>, tensor<1x4x32x16xf32>, tensor<1x4x32x16xf32>, tensor<32x64xf32> -> tensor<1x4x64x16xf32>
  return
}

// -----

func.func @attention_mask4_dims(%q: tensor<1x4x64x16xf32>, %k: tensor<1x4x32x16xf32>, %m: tensor<1x4x64x64xf32>) {
  // expected-error @+1 {{mask must be [Lq, Lk] = [64, 32] or [B|1, H|1, Lq, Lk], got 'tensor<1x4x64x64xf32>'}}
  %0 = bfly.attention %q, %k, %k mask %m : tensor<1x4x64x16xf32>, tensor<1x4x32x16xf32>, tensor<1x4x32x16xf32>, tensor<1x4x64x64xf32> -> tensor<1x4x64x16xf32>
  return
}

// -----

func.func @attention_mask_broadcast(%q: tensor<2x4x64x16xf32>, %k: tensor<2x4x32x16xf32>, %m: tensor<1x2x64x32xf32>) {
  // expected-error @+1 {{mask must be [Lq, Lk] = [64, 32] or [B|1, H|1, Lq, Lk], got 'tensor<1x2x64x32xf32>'}}
  %0 = bfly.attention %q, %k, %k mask %m : tensor<2x4x64x16xf32>, tensor<2x4x32x16xf32>, tensor<2x4x32x16xf32>, tensor<1x2x64x32xf32> -> tensor<2x4x64x16xf32>
  return
}

// -----

func.func @attention_mask_batch_broadcast(%q: tensor<2x4x64x16xf32>, %k: tensor<2x4x32x16xf32>, %m: tensor<3x1x64x32xf32>) {
  // expected-error @+1 {{mask must be [Lq, Lk] = [64, 32] or [B|1, H|1, Lq, Lk], got 'tensor<3x1x64x32xf32>'}}
  %0 = bfly.attention %q, %k, %k mask %m : tensor<2x4x64x16xf32>, tensor<2x4x32x16xf32>, tensor<2x4x32x16xf32>, tensor<3x1x64x32xf32> -> tensor<2x4x64x16xf32>
  return
}

// -----

func.func @attention_scale_zero(%q: tensor<1x4x64x16xf32>) {
  // expected-error @+1 {{'bfly.attention' op scale must be finite and non-zero}}
  %0 = bfly.attention %q, %q, %q {scale = 0.0 : f32} : tensor<1x4x64x16xf32>, tensor<1x4x64x16xf32>, tensor<1x4x64x16xf32> -> tensor<1x4x64x16xf32>
  return
}

// -----

func.func @attention_scale_inf(%q: tensor<1x4x64x16xf32>) {
  // expected-error @+1 {{'bfly.attention' op scale must be finite and non-zero}}
  %0 = bfly.attention %q, %q, %q {scale = 0xFF800000 : f32} : tensor<1x4x64x16xf32>, tensor<1x4x64x16xf32>, tensor<1x4x64x16xf32> -> tensor<1x4x64x16xf32>
  return
}

// -----

func.func @attention_result(%q: tensor<1x4x64x16xf32>, %k: tensor<1x4x32x16xf32>, %v: tensor<1x4x32x8xf32>) {
  // expected-error @+1 {{result type 'tensor<1x4x64x16xf32>' does not match the computed shape [1, 4, 64, 8]}}
  %0 = bfly.attention %q, %k, %v : tensor<1x4x64x16xf32>, tensor<1x4x32x16xf32>, tensor<1x4x32x8xf32> -> tensor<1x4x64x16xf32>
  return
}

// -----

func.func @attention_sparsity(%q: tensor<1x4x64x16xf32>) {
  // expected-error @+1 {{sparsity 'butterfly' is not meaningful here; expected 'dense' or 'fourier'}}
  %0 = bfly.attention %q, %q, %q {sparsity = #bfly.sparsity<butterfly>} : tensor<1x4x64x16xf32>, tensor<1x4x64x16xf32>, tensor<1x4x64x16xf32> -> tensor<1x4x64x16xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// fourier_mix, fft, ifft, to_complex
//===----------------------------------------------------------------------===//

func.func @fourier_mix_rank(%x: tensor<128x64xf32>) {
  // expected-error @+1 {{input must have rank 3 [B, L, D], got 'tensor<128x64xf32>'}}
  %0 = bfly.fourier_mix %x : tensor<128x64xf32>
  return
}

// -----

func.func @fourier_mix_sparsity(%x: tensor<1x128x64xf32>) {
  // expected-error @+1 {{sparsity 'dense' is not meaningful here; expected 'fourier'}}
  %0 = bfly.fourier_mix %x {sparsity = #bfly.sparsity<dense>} : tensor<1x128x64xf32>
  return
}

// -----

func.func @fft_dim(%x: tensor<4x256xcomplex<f32>>) {
  // expected-error @+1 {{'bfly.fft' op dim 2 is out of range for a rank-2 tensor}}
  %0 = bfly.fft %x dim 2 : tensor<4x256xcomplex<f32>>
  return
}

// -----

func.func @ifft_dim(%x: tensor<4x256xcomplex<f32>>) {
  // expected-error @+1 {{'bfly.ifft' op dim -1 is out of range for a rank-2 tensor}}
  %0 = bfly.ifft %x dim -1 : tensor<4x256xcomplex<f32>>
  return
}

// -----

func.func @to_complex_parts(%re: tensor<4x256xf32>, %im: tensor<4x128xf32>) {
  // expected-error @+1 {{real and imaginary parts differ in type: 'tensor<4x256xf32>' vs 'tensor<4x128xf32>'}}
  %0 = bfly.to_complex %re, %im : tensor<4x256xf32>, tensor<4x128xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// butterfly_linear
//===----------------------------------------------------------------------===//

func.func @butterfly_linear_rank0(%x: tensor<f32>, %tw: tensor<1x1x0x0x2x2xf32>) {
  // expected-error @+1 {{'bfly.butterfly_linear' op input must have rank >= 1}}
  %0 = bfly.butterfly_linear %x, %tw : tensor<f32>, tensor<1x1x0x0x2x2xf32> -> tensor<1xf32>
  return
}

// -----

func.func @butterfly_linear_twiddle_rank(%x: tensor<8x16xf32>, %tw: tensor<4x8x2x2xf32>) {
  // expected-error @+1 {{twiddles must have rank 6 (nstacks, nblocks, log2 n, n/2, 2, 2), got 'tensor<4x8x2x2xf32>'}}
  %0 = bfly.butterfly_linear %x, %tw : tensor<8x16xf32>, tensor<4x8x2x2xf32> -> tensor<8x16xf32>
  return
}

// -----

func.func @butterfly_linear_dynamic(%x: tensor<8x?xf32>, %tw: tensor<1x1x4x8x2x2xf32>) {
  // expected-error @+1 {{requires static in/out feature sizes and a static twiddle shape}}
  %0 = bfly.butterfly_linear %x, %tw : tensor<8x?xf32>, tensor<1x1x4x8x2x2xf32> -> tensor<8x16xf32>
  return
}

// -----

func.func @butterfly_linear_dynamic_twiddles(%x: tensor<8x16xf32>, %tw: tensor<1x?x4x8x2x2xf32>) {
  // expected-error @+1 {{requires static in/out feature sizes and a static twiddle shape}}
  %0 = bfly.butterfly_linear %x, %tw : tensor<8x16xf32>, tensor<1x?x4x8x2x2xf32> -> tensor<8x16xf32>
  return
}

// -----

func.func @butterfly_linear_dynamic_out(%x: tensor<8x16xf32>, %tw: tensor<1x1x4x8x2x2xf32>) {
  // expected-error @+1 {{requires static in/out feature sizes and a static twiddle shape}}
  %0 = bfly.butterfly_linear %x, %tw : tensor<8x16xf32>, tensor<1x1x4x8x2x2xf32> -> tensor<8x?xf32>
  return
}

// -----

func.func @butterfly_linear_zero_features(%x: tensor<8x0xf32>, %tw: tensor<1x1x0x0x2x2xf32>) {
  // expected-error @+1 {{in and out features must be >= 1, got 0 and 4}}
  %0 = bfly.butterfly_linear %x, %tw : tensor<8x0xf32>, tensor<1x1x0x0x2x2xf32> -> tensor<8x4xf32>
  return
}

// -----

func.func @butterfly_linear_log_n(%x: tensor<8x12xf32>, %tw: tensor<2x1x3x8x2x2xf32>) {
  // expected-error @+1 {{twiddles for 12 -> 20 features (n = 16) must be shaped (nstacks = 2, nblocks >= 1, log2 n = 4, n/2 = 8, 2, 2), got 'tensor<2x1x3x8x2x2xf32>'}}
  %0 = bfly.butterfly_linear %x, %tw : tensor<8x12xf32>, tensor<2x1x3x8x2x2xf32> -> tensor<8x20xf32>
  return
}

// -----

func.func @butterfly_linear_nstacks(%x: tensor<8x12xf32>, %tw: tensor<1x1x4x8x2x2xf32>) {
  // expected-error @+1 {{twiddles for 12 -> 20 features (n = 16) must be shaped (nstacks = 2, nblocks >= 1, log2 n = 4, n/2 = 8, 2, 2), got 'tensor<1x1x4x8x2x2xf32>'}}
  %0 = bfly.butterfly_linear %x, %tw : tensor<8x12xf32>, tensor<1x1x4x8x2x2xf32> -> tensor<8x20xf32>
  return
}

// -----

func.func @butterfly_linear_nblocks0(%x: tensor<8x16xf32>, %tw: tensor<1x0x4x8x2x2xf32>) {
  // expected-error @+1 {{twiddles for 16 -> 16 features (n = 16) must be shaped (nstacks = 1, nblocks >= 1, log2 n = 4, n/2 = 8, 2, 2), got 'tensor<1x0x4x8x2x2xf32>'}}
  %0 = bfly.butterfly_linear %x, %tw : tensor<8x16xf32>, tensor<1x0x4x8x2x2xf32> -> tensor<8x16xf32>
  return
}

// -----

func.func @butterfly_linear_twiddle_blocks(%x: tensor<8x16xf32>, %tw: tensor<1x1x4x8x2x3xf32>) {
  // expected-error @+1 {{must be shaped (nstacks = 1, nblocks >= 1, log2 n = 4, n/2 = 8, 2, 2), got 'tensor<1x1x4x8x2x3xf32>'}}
  %0 = bfly.butterfly_linear %x, %tw : tensor<8x16xf32>, tensor<1x1x4x8x2x3xf32> -> tensor<8x16xf32>
  return
}

// -----

func.func @butterfly_linear_bias(%x: tensor<8x12xf32>, %tw: tensor<2x1x4x8x2x2xf32>, %b: tensor<16xf32>) {
  // expected-error @+1 {{bias must be 1-D with 20 elements, got 'tensor<16xf32>'}}
  %0 = bfly.butterfly_linear %x, %tw, %b : tensor<8x12xf32>, tensor<2x1x4x8x2x2xf32>, tensor<16xf32> -> tensor<8x20xf32>
  return
}

// -----

func.func @butterfly_linear_result(%x: tensor<8x12xf32>, %tw: tensor<2x1x4x8x2x2xf32>) {
  // expected-error @+1 {{result type 'tensor<4x20xf32>' does not match the computed shape [8, 20]}}
  %0 = bfly.butterfly_linear %x, %tw : tensor<8x12xf32>, tensor<2x1x4x8x2x2xf32> -> tensor<4x20xf32>
  return
}

// -----

func.func @butterfly_linear_sparsity(%x: tensor<8x16xf32>, %tw: tensor<1x1x4x8x2x2xf32>) {
  // expected-error @+1 {{sparsity 'dense' is not meaningful here; expected 'butterfly'}}
  %0 = bfly.butterfly_linear %x, %tw {sparsity = #bfly.sparsity<dense>} : tensor<8x16xf32>, tensor<1x1x4x8x2x2xf32> -> tensor<8x16xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// butterfly_stage
//===----------------------------------------------------------------------===//

func.func @butterfly_stage_rank0(%x: tensor<f32>, %tw: tensor<1x2x2xf32>) {
  // expected-error @+1 {{'bfly.butterfly_stage' op input must have rank >= 1}}
  %0 = bfly.butterfly_stage %x, %tw stride 1 : tensor<f32>, tensor<1x2x2xf32>
  return
}

// -----

func.func @butterfly_stage_not_pow2(%x: tensor<4x12xf32>, %tw: tensor<6x2x2xf32>) {
  // expected-error @+1 {{the last input dimension must be a static power of two >= 2, got 'tensor<4x12xf32>'}}
  %0 = bfly.butterfly_stage %x, %tw stride 1 : tensor<4x12xf32>, tensor<6x2x2xf32>
  return
}

// -----

func.func @butterfly_stage_n1(%x: tensor<4x1xf32>, %tw: tensor<1x2x2xf32>) {
  // expected-error @+1 {{the last input dimension must be a static power of two >= 2, got 'tensor<4x1xf32>'}}
  %0 = bfly.butterfly_stage %x, %tw stride 1 : tensor<4x1xf32>, tensor<1x2x2xf32>
  return
}

// -----

func.func @butterfly_stage_dynamic_n(%x: tensor<4x?xf32>, %tw: tensor<8x2x2xf32>) {
  // expected-error @+1 {{the last input dimension must be a static power of two >= 2, got 'tensor<4x?xf32>'}}
  %0 = bfly.butterfly_stage %x, %tw stride 1 : tensor<4x?xf32>, tensor<8x2x2xf32>
  return
}

// -----

func.func @butterfly_stage_stride_not_pow2(%x: tensor<4x16xf32>, %tw: tensor<8x2x2xf32>) {
  // expected-error @+1 {{stride 3 must be a power of two in [1, n/2 = 8]}}
  %0 = bfly.butterfly_stage %x, %tw stride 3 : tensor<4x16xf32>, tensor<8x2x2xf32>
  return
}

// -----

func.func @butterfly_stage_stride_too_big(%x: tensor<4x16xf32>, %tw: tensor<8x2x2xf32>) {
  // expected-error @+1 {{stride 16 must be a power of two in [1, n/2 = 8]}}
  %0 = bfly.butterfly_stage %x, %tw stride 16 : tensor<4x16xf32>, tensor<8x2x2xf32>
  return
}

// -----

func.func @butterfly_stage_stride_zero(%x: tensor<4x16xf32>, %tw: tensor<8x2x2xf32>) {
  // expected-error @+1 {{stride 0 must be a power of two in [1, n/2 = 8]}}
  %0 = bfly.butterfly_stage %x, %tw stride 0 : tensor<4x16xf32>, tensor<8x2x2xf32>
  return
}

// -----

func.func @butterfly_stage_twiddle_type(%x: tensor<4x16xcomplex<f32>>, %tw: tensor<8x2x2xf32>) {
  // expected-error @+1 {{twiddle element type 'f32' differs from the input element type 'complex<f32>'}}
  %0 = bfly.butterfly_stage %x, %tw stride 1 : tensor<4x16xcomplex<f32>>, tensor<8x2x2xf32>
  return
}

// -----

func.func @butterfly_stage_twiddle_rank(%x: tensor<4x16xf32>, %tw: tensor<8x4xf32>) {
  // expected-error @+1 {{twiddles must be shaped [..., n/2 = 8, 2, 2], got 'tensor<8x4xf32>'}}
  %0 = bfly.butterfly_stage %x, %tw stride 1 : tensor<4x16xf32>, tensor<8x4xf32>
  return
}

// -----

func.func @butterfly_stage_twiddle_pairs(%x: tensor<4x16xf32>, %tw: tensor<16x2x2xf32>) {
  // expected-error @+1 {{twiddles must be shaped [..., n/2 = 8, 2, 2], got 'tensor<16x2x2xf32>'}}
  %0 = bfly.butterfly_stage %x, %tw stride 1 : tensor<4x16xf32>, tensor<16x2x2xf32>
  return
}

// -----

func.func @butterfly_stage_twiddle_block(%x: tensor<4x16xf32>, %tw: tensor<8x2x4xf32>) {
  // expected-error @+1 {{twiddles must be shaped [..., n/2 = 8, 2, 2], got 'tensor<8x2x4xf32>'}}
  %0 = bfly.butterfly_stage %x, %tw stride 1 : tensor<4x16xf32>, tensor<8x2x4xf32>
  return
}

// -----

func.func @butterfly_stage_stack_count(%x: tensor<4x16xf32>, %tw: tensor<2x4x8x2x2xf32>) {
  // expected-error @+1 {{twiddles have 2 stack dimensions but the input has only 1 batch dimension(s)}}
  %0 = bfly.butterfly_stage %x, %tw stride 1 : tensor<4x16xf32>, tensor<2x4x8x2x2xf32>
  return
}

// -----

func.func @butterfly_stage_stack_dims(%x: tensor<2x3x16xf32>, %tw: tensor<2x8x2x2xf32>) {
  // expected-error @+1 {{twiddle stack dimensions [2] differ from the input dimensions before the last [3]}}
  %0 = bfly.butterfly_stage %x, %tw stride 1 : tensor<2x3x16xf32>, tensor<2x8x2x2xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// bit_reverse
//===----------------------------------------------------------------------===//

func.func @bit_reverse_dim(%x: tensor<4x256xf32>) {
  // expected-error @+1 {{'bfly.bit_reverse' op dim 2 is out of range for a rank-2 tensor}}
  %0 = bfly.bit_reverse %x dim 2 : tensor<4x256xf32>
  return
}

// -----

func.func @bit_reverse_not_pow2(%x: tensor<4x197xcomplex<f32>>) {
  // expected-error @+1 {{dimension 1 must have a static power-of-two size, got 'tensor<4x197xcomplex<f32>>'}}
  %0 = bfly.bit_reverse %x dim 1 : tensor<4x197xcomplex<f32>>
  return
}

// -----

func.func @bit_reverse_dynamic(%x: tensor<?x256xf32>) {
  // expected-error @+1 {{dimension 0 must have a static power-of-two size, got 'tensor<?x256xf32>'}}
  %0 = bfly.bit_reverse %x dim 0 : tensor<?x256xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// ODS-generated constraints
//===----------------------------------------------------------------------===//

func.func @ods_f64_operand(%x: tensor<2x4xf64>, %w: tensor<4x8xf32>) {
  // expected-error @+1 {{'bfly.linear' op operand #0 must be ranked tensor of 32-bit float values, but got 'tensor<2x4xf64>'}}
  %0 = bfly.linear %x, %w : tensor<2x4xf64>, tensor<4x8xf32> -> tensor<2x8xf32>
  return
}

// -----

func.func @ods_i32_operand(%x: tensor<4xi32>) {
  // expected-error @+1 {{'bfly.add' op operand #0 must be ranked tensor of 32-bit float or complex type with 32-bit float elements values, but got 'tensor<4xi32>'}}
  %0 = bfly.add %x, %x : tensor<4xi32>
  return
}

// -----

func.func @ods_fft_real_input(%x: tensor<4x256xf32>) {
  // expected-error @+1 {{'bfly.fft' op operand #0 must be ranked tensor of complex type with 32-bit float elements values, but got 'tensor<4x256xf32>'}}
  %0 = bfly.fft %x dim 1 : tensor<4x256xf32>
  return
}

// -----

func.func @ods_real_of_real(%x: tensor<4xf32>) {
  // expected-error @+1 {{'bfly.real' op operand #0 must be ranked tensor of complex type with 32-bit float elements values, but got 'tensor<4xf32>'}}
  %0 = "bfly.real"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @ods_unranked(%x: tensor<*xf32>) {
  // expected-error @+1 {{'bfly.relu' op operand #0 must be ranked tensor of 32-bit float values, but got 'tensor<*xf32>'}}
  %0 = "bfly.relu"(%x) : (tensor<*xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @ods_all_types_match(%x: tensor<4xf32>) {
  // expected-error @+1 {{'bfly.softmax' op failed to verify that all of {input, result} have same type}}
  %0 = "bfly.softmax"(%x) <{axis = 0 : i64}> : (tensor<4xf32>) -> tensor<8xf32>
  return
}

// -----

func.func @add_result_type(%x: tensor<4xf32>, %y: tensor<4xf32>) {
  // expected-error @+1 {{'bfly.add' op failed to verify that all of {lhs, result} have same type}}
  %0 = "bfly.add"(%x, %y) : (tensor<4xf32>, tensor<4xf32>) -> tensor<8xf32>
  return
}

// -----

func.func @add_no_broadcast(%x: tensor<4xf32>, %y: tensor<8xf32>) {
  // expected-error @+1 {{'bfly.add' op rhs 'tensor<8xf32>' does not broadcast to lhs 'tensor<4xf32>' (trailing dimensions must be equal or 1)}}
  %0 = bfly.add %x, %y : tensor<4xf32>, tensor<8xf32>
  return
}

// -----

func.func @mul_rhs_rank(%x: tensor<4xf32>, %y: tensor<2x4xf32>) {
  // expected-error @+1 {{'bfly.mul' op rhs 'tensor<2x4xf32>' does not broadcast to lhs 'tensor<4xf32>'}}
  %0 = bfly.mul %x, %y : tensor<4xf32>, tensor<2x4xf32>
  return
}

// -----

func.func @mul_element_types(%x: tensor<4xcomplex<f32>>, %y: tensor<4xf32>) {
  // expected-error @+1 {{'bfly.mul' op operand element types differ: 'complex<f32>' vs 'f32'}}
  %0 = bfly.mul %x, %y : tensor<4xcomplex<f32>>, tensor<4xf32>
  return
}

// -----

func.func @slice_rank(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'bfly.slice' op offsets [0] and result 'tensor<2x2xf32>' must both have the input's rank 2}}
  %0 = bfly.slice %x offsets [0] : tensor<4x8xf32> -> tensor<2x2xf32>
  return
}

// -----

func.func @slice_bounds(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'bfly.slice' op dimension 1: [6, 10) is outside the input's [0, 8)}}
  %0 = bfly.slice %x offsets [0, 6] : tensor<4x8xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @slice_negative(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'bfly.slice' op dimension 0: [-1, 1) is outside the input's [0, 4)}}
  %0 = bfly.slice %x offsets [-1, 0] : tensor<4x8xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @slice_dynamic(%x: tensor<?x8xf32>) {
  // expected-error @+1 {{'bfly.slice' op requires static shapes}}
  %0 = bfly.slice %x offsets [0, 0] : tensor<?x8xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @slice_element_type(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'bfly.slice' op result element type 'complex<f32>' differs from the input's 'f32'}}
  %0 = bfly.slice %x offsets [0, 0] : tensor<4x8xf32> -> tensor<2x4xcomplex<f32>>
  return
}

// -----

func.func @pad_rank(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'bfly.pad' op high has 1 entries but the input has rank 2}}
  %0 = bfly.pad %x high [1] : tensor<4x8xf32> -> tensor<5x8xf32>
  return
}

// -----

func.func @pad_negative(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'bfly.pad' op padding amounts must be >= 0, got [0, -1]}}
  %0 = bfly.pad %x high [0, -1] : tensor<4x8xf32> -> tensor<4x7xf32>
  return
}

// -----

func.func @pad_result(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'bfly.pad' op result type 'tensor<4x9xf32>' does not match the computed shape [4, 10]}}
  %0 = bfly.pad %x high [0, 2] : tensor<4x8xf32> -> tensor<4x9xf32>
  return
}

// -----

func.func @pad_element_type(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'bfly.pad' op result element type 'complex<f32>' differs from the input's 'f32'}}
  %0 = bfly.pad %x high [0, 2] : tensor<4x8xf32> -> tensor<4x10xcomplex<f32>>
  return
}

// -----

func.func @concat_empty() {
  // expected-error @+1 {{'bfly.concat' op needs at least one input}}
  %0 = bfly.concat dim 0 : () -> tensor<4xf32>
  return
}

// -----

func.func @concat_dim(%x: tensor<4xf32>) {
  // expected-error @+1 {{'bfly.concat' op dim 1 is out of range for a rank-1 tensor}}
  %0 = bfly.concat %x, %x dim 1 : (tensor<4xf32>, tensor<4xf32>) -> tensor<8xf32>
  return
}

// -----

func.func @concat_mismatch(%x: tensor<4x2xf32>, %y: tensor<4x3xf32>) {
  // expected-error @+1 {{'bfly.concat' op input 1 'tensor<4x3xf32>' differs from input 0 'tensor<4x2xf32>' outside dimension 0}}
  %0 = bfly.concat %x, %y dim 0 : (tensor<4x2xf32>, tensor<4x3xf32>) -> tensor<8x2xf32>
  return
}

// -----

func.func @concat_result(%x: tensor<4x2xf32>) {
  // expected-error @+1 {{'bfly.concat' op result type 'tensor<8x3xf32>' does not match the computed shape [8, 2]}}
  %0 = bfly.concat %x, %x dim 0 : (tensor<4x2xf32>, tensor<4x2xf32>) -> tensor<8x3xf32>
  return
}

// -----

func.func @concat_element_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{'bfly.concat' op result element type 'complex<f32>' differs from the input's 'f32'}}
  %0 = bfly.concat %x dim 0 : (tensor<4xf32>) -> tensor<4xcomplex<f32>>
  return
}

// -----

func.func @ods_inferred_result(%x: tensor<4xcomplex<f32>>) {
  // expected-error @+2 {{'bfly.real' op inferred type(s) 'tensor<4xf32>' are incompatible with return type(s) of operation 'tensor<5xf32>'}}
  // expected-error @+1 {{'bfly.real' op failed to infer returned types}}
  %0 = "bfly.real"(%x) : (tensor<4xcomplex<f32>>) -> tensor<5xf32>
  return
}

// -----

func.func @ods_missing_property(%x: tensor<4x256xcomplex<f32>>) {
  // expected-error @+1 {{'bfly.fft' op requires attribute 'dim'}}
  %0 = "bfly.fft"(%x) : (tensor<4x256xcomplex<f32>>) -> tensor<4x256xcomplex<f32>>
  return
}

// -----

// Type inference rejects a real operand before the ODS constraints run.
func.func @real_of_real_custom(%x: tensor<4xf32>) {
  // expected-error @+1 {{'bfly.real' expects a ranked tensor of complex<f32>, got 'tensor<4xf32>'}}
  %0 = bfly.real %x : tensor<4xf32>
  return
}

// -----

func.func @to_complex_of_complex_custom(%x: tensor<4xcomplex<f32>>) {
  // expected-error @+1 {{'bfly.to_complex' expects a ranked tensor of f32}}
  %0 = bfly.to_complex %x : tensor<4xcomplex<f32>>
  return
}
