// Reference interpreter: bfly.attention against NumPy (gen_case.py).
// RUN: rm -rf %t && mkdir -p %t

// RUN: %python %S/gen_case.py attention_plain %t/attention_plain
// RUN: butterfly-sim --reference %s --entry attention_plain \
// RUN:   --input %t/attention_plain/in0.npy \
// RUN:   --input %t/attention_plain/in1.npy \
// RUN:   --input %t/attention_plain/in2.npy \
// RUN:   --output-dir %t/attention_plain/out \
// RUN:   --expect %t/attention_plain/expected --rtol 1e-4 --atol 1e-5
func.func @attention_plain(%q: tensor<2x3x16x8xf32>, %k: tensor<2x3x16x8xf32>,
                           %v: tensor<2x3x16x8xf32>) -> tensor<2x3x16x8xf32> {
  %0 = bfly.attention %q, %k, %v : tensor<2x3x16x8xf32>, tensor<2x3x16x8xf32>, tensor<2x3x16x8xf32> -> tensor<2x3x16x8xf32>
  return %0 : tensor<2x3x16x8xf32>
}

// RUN: %python %S/gen_case.py attention_causal %t/attention_causal
// RUN: butterfly-sim --reference %s --entry attention_causal \
// RUN:   --input %t/attention_causal/in0.npy \
// RUN:   --input %t/attention_causal/in1.npy \
// RUN:   --input %t/attention_causal/in2.npy \
// RUN:   --output-dir %t/attention_causal/out \
// RUN:   --expect %t/attention_causal/expected --rtol 1e-4 --atol 1e-5
func.func @attention_causal(%q: tensor<2x3x16x8xf32>, %k: tensor<2x3x16x8xf32>,
                            %v: tensor<2x3x16x8xf32>) -> tensor<2x3x16x8xf32> {
  %0 = bfly.attention %q, %k, %v {causal} : tensor<2x3x16x8xf32>, tensor<2x3x16x8xf32>, tensor<2x3x16x8xf32> -> tensor<2x3x16x8xf32>
  return %0 : tensor<2x3x16x8xf32>
}

// Additive mask [Lq, Lk] with -1e9 entries; Lq != Lk and Dv != Dh.
// RUN: %python %S/gen_case.py attention_mask2d %t/attention_mask2d
// RUN: butterfly-sim --reference %s --entry attention_mask2d \
// RUN:   --input %t/attention_mask2d/in0.npy \
// RUN:   --input %t/attention_mask2d/in1.npy \
// RUN:   --input %t/attention_mask2d/in2.npy \
// RUN:   --input %t/attention_mask2d/in3.npy \
// RUN:   --output-dir %t/attention_mask2d/out \
// RUN:   --expect %t/attention_mask2d/expected --rtol 1e-4 --atol 1e-5
func.func @attention_mask2d(%q: tensor<2x3x10x8xf32>, %k: tensor<2x3x12x8xf32>,
                            %v: tensor<2x3x12x6xf32>, %m: tensor<10x12xf32>)
    -> tensor<2x3x10x6xf32> {
  %0 = bfly.attention %q, %k, %v mask %m : tensor<2x3x10x8xf32>, tensor<2x3x12x8xf32>, tensor<2x3x12x6xf32>, tensor<10x12xf32> -> tensor<2x3x10x6xf32>
  return %0 : tensor<2x3x10x6xf32>
}

// Mask [1, H, Lq, Lk], broadcast over the batch.
// RUN: %python %S/gen_case.py attention_mask4d %t/attention_mask4d
// RUN: butterfly-sim --reference %s --entry attention_mask4d \
// RUN:   --input %t/attention_mask4d/in0.npy \
// RUN:   --input %t/attention_mask4d/in1.npy \
// RUN:   --input %t/attention_mask4d/in2.npy \
// RUN:   --input %t/attention_mask4d/in3.npy \
// RUN:   --output-dir %t/attention_mask4d/out \
// RUN:   --expect %t/attention_mask4d/expected --rtol 1e-4 --atol 1e-5
func.func @attention_mask4d(%q: tensor<2x3x10x8xf32>, %k: tensor<2x3x12x8xf32>,
                            %v: tensor<2x3x12x6xf32>, %m: tensor<1x3x10x12xf32>)
    -> tensor<2x3x10x6xf32> {
  %0 = bfly.attention %q, %k, %v mask %m : tensor<2x3x10x8xf32>, tensor<2x3x12x8xf32>, tensor<2x3x12x6xf32>, tensor<1x3x10x12xf32> -> tensor<2x3x10x6xf32>
  return %0 : tensor<2x3x10x6xf32>
}

// Mask [B, 1, Lq, Lk], broadcast over the heads.
// RUN: %python %S/gen_case.py attention_mask4d_heads1 %t/attention_mask4d_heads1
// RUN: butterfly-sim --reference %s --entry attention_mask4d_heads1 \
// RUN:   --input %t/attention_mask4d_heads1/in0.npy \
// RUN:   --input %t/attention_mask4d_heads1/in1.npy \
// RUN:   --input %t/attention_mask4d_heads1/in2.npy \
// RUN:   --input %t/attention_mask4d_heads1/in3.npy \
// RUN:   --output-dir %t/attention_mask4d_heads1/out \
// RUN:   --expect %t/attention_mask4d_heads1/expected --rtol 1e-4 --atol 1e-5
func.func @attention_mask4d_heads1(%q: tensor<2x3x10x8xf32>, %k: tensor<2x3x12x8xf32>,
                                   %v: tensor<2x3x12x6xf32>, %m: tensor<2x1x10x12xf32>)
    -> tensor<2x3x10x6xf32> {
  %0 = bfly.attention %q, %k, %v mask %m : tensor<2x3x10x8xf32>, tensor<2x3x12x8xf32>, tensor<2x3x12x6xf32>, tensor<2x1x10x12xf32> -> tensor<2x3x10x6xf32>
  return %0 : tensor<2x3x10x6xf32>
}

// Causal with Lq < Lk, top-left aligned: query i sees keys 0..i.
// RUN: %python %S/gen_case.py attention_causal_lq_lt_lk %t/attention_causal_lq_lt_lk
// RUN: butterfly-sim --reference %s --entry attention_causal_lq_lt_lk \
// RUN:   --input %t/attention_causal_lq_lt_lk/in0.npy \
// RUN:   --input %t/attention_causal_lq_lt_lk/in1.npy \
// RUN:   --input %t/attention_causal_lq_lt_lk/in2.npy \
// RUN:   --output-dir %t/attention_causal_lq_lt_lk/out \
// RUN:   --expect %t/attention_causal_lq_lt_lk/expected \
// RUN:   --rtol 1e-4 --atol 1e-5
func.func @attention_causal_lq_lt_lk(%q: tensor<2x2x6x8xf32>, %k: tensor<2x2x10x8xf32>,
                                     %v: tensor<2x2x10x8xf32>) -> tensor<2x2x6x8xf32> {
  %0 = bfly.attention %q, %k, %v {causal} : tensor<2x2x6x8xf32>, tensor<2x2x10x8xf32>, tensor<2x2x10x8xf32> -> tensor<2x2x6x8xf32>
  return %0 : tensor<2x2x6x8xf32>
}

// Causal with Lq > Lk: queries 4..11 see every key.
// RUN: %python %S/gen_case.py attention_causal_lq_gt_lk %t/attention_causal_lq_gt_lk
// RUN: butterfly-sim --reference %s --entry attention_causal_lq_gt_lk \
// RUN:   --input %t/attention_causal_lq_gt_lk/in0.npy \
// RUN:   --input %t/attention_causal_lq_gt_lk/in1.npy \
// RUN:   --input %t/attention_causal_lq_gt_lk/in2.npy \
// RUN:   --output-dir %t/attention_causal_lq_gt_lk/out \
// RUN:   --expect %t/attention_causal_lq_gt_lk/expected \
// RUN:   --rtol 1e-4 --atol 1e-5
func.func @attention_causal_lq_gt_lk(%q: tensor<2x2x12x8xf32>, %k: tensor<2x2x5x8xf32>,
                                     %v: tensor<2x2x5x8xf32>) -> tensor<2x2x12x8xf32> {
  %0 = bfly.attention %q, %k, %v {causal} : tensor<2x2x12x8xf32>, tensor<2x2x5x8xf32>, tensor<2x2x5x8xf32> -> tensor<2x2x12x8xf32>
  return %0 : tensor<2x2x12x8xf32>
}

// Causal and an additive mask together.
// RUN: %python %S/gen_case.py attention_causal_mask %t/attention_causal_mask
// RUN: butterfly-sim --reference %s --entry attention_causal_mask \
// RUN:   --input %t/attention_causal_mask/in0.npy \
// RUN:   --input %t/attention_causal_mask/in1.npy \
// RUN:   --input %t/attention_causal_mask/in2.npy \
// RUN:   --input %t/attention_causal_mask/in3.npy \
// RUN:   --output-dir %t/attention_causal_mask/out \
// RUN:   --expect %t/attention_causal_mask/expected --rtol 1e-4 --atol 1e-5
func.func @attention_causal_mask(%q: tensor<1x2x9x4xf32>, %k: tensor<1x2x9x4xf32>,
                                 %v: tensor<1x2x9x4xf32>, %m: tensor<9x9xf32>)
    -> tensor<1x2x9x4xf32> {
  %0 = bfly.attention %q, %k, %v mask %m {causal} : tensor<1x2x9x4xf32>, tensor<1x2x9x4xf32>, tensor<1x2x9x4xf32>, tensor<9x9xf32> -> tensor<1x2x9x4xf32>
  return %0 : tensor<1x2x9x4xf32>
}

// Explicit scale (not 1/sqrt(8)).
// RUN: %python %S/gen_case.py attention_scale %t/attention_scale
// RUN: butterfly-sim --reference %s --entry attention_scale \
// RUN:   --input %t/attention_scale/in0.npy \
// RUN:   --input %t/attention_scale/in1.npy \
// RUN:   --input %t/attention_scale/in2.npy \
// RUN:   --output-dir %t/attention_scale/out \
// RUN:   --expect %t/attention_scale/expected --rtol 1e-4 --atol 1e-5
func.func @attention_scale(%q: tensor<2x3x16x8xf32>, %k: tensor<2x3x16x8xf32>,
                           %v: tensor<2x3x16x8xf32>) -> tensor<2x3x16x8xf32> {
  %0 = bfly.attention %q, %k, %v {scale = 3.000000e-01 : f32} : tensor<2x3x16x8xf32>, tensor<2x3x16x8xf32>, tensor<2x3x16x8xf32> -> tensor<2x3x16x8xf32>
  return %0 : tensor<2x3x16x8xf32>
}

// Default scale 1/sqrt(Dh) with Dh = 12; Dv = 5.
// RUN: %python %S/gen_case.py attention_default_scale %t/attention_default_scale
// RUN: butterfly-sim --reference %s --entry attention_default_scale \
// RUN:   --input %t/attention_default_scale/in0.npy \
// RUN:   --input %t/attention_default_scale/in1.npy \
// RUN:   --input %t/attention_default_scale/in2.npy \
// RUN:   --output-dir %t/attention_default_scale/out \
// RUN:   --expect %t/attention_default_scale/expected --rtol 1e-4 --atol 1e-5
func.func @attention_default_scale(%q: tensor<1x2x7x12xf32>, %k: tensor<1x2x9x12xf32>,
                                   %v: tensor<1x2x9x5xf32>) -> tensor<1x2x7x5xf32> {
  %0 = bfly.attention %q, %k, %v : tensor<1x2x7x12xf32>, tensor<1x2x9x12xf32>, tensor<1x2x9x5xf32> -> tensor<1x2x7x5xf32>
  return %0 : tensor<1x2x7x5xf32>
}
