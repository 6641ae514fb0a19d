// Reference interpreter: small models against NumPy (gen_case.py).
// RUN: rm -rf %t && mkdir -p %t

// A post-norm transformer encoder layer (the shape of
// nn.TransformerEncoderLayer with GELU): B = 2, L = 6, D = 24, H = 3, Dh = 8,
// FF = 40. Arguments: x, then (weight, bias) of q, k, v, out; layernorm 1
// (gamma, beta); FFN linear 1 and 2; layernorm 2.
// RUN: %python %S/gen_case.py encoder_block %t/encoder_block
// RUN: butterfly-sim --reference %s --entry encoder_block \
// RUN:   --input %t/encoder_block/in0.npy --input %t/encoder_block/in1.npy \
// RUN:   --input %t/encoder_block/in2.npy --input %t/encoder_block/in3.npy \
// RUN:   --input %t/encoder_block/in4.npy --input %t/encoder_block/in5.npy \
// RUN:   --input %t/encoder_block/in6.npy --input %t/encoder_block/in7.npy \
// RUN:   --input %t/encoder_block/in8.npy --input %t/encoder_block/in9.npy \
// RUN:   --input %t/encoder_block/in10.npy --input %t/encoder_block/in11.npy \
// RUN:   --input %t/encoder_block/in12.npy --input %t/encoder_block/in13.npy \
// RUN:   --input %t/encoder_block/in14.npy --input %t/encoder_block/in15.npy \
// RUN:   --input %t/encoder_block/in16.npy --output-dir %t/encoder_block/out \
// RUN:   --expect %t/encoder_block/expected --rtol 1e-4 --atol 1e-5
func.func @encoder_block(%x: tensor<2x6x24xf32>,
                         %wq: tensor<24x24xf32>, %bq: tensor<24xf32>,
                         %wk: tensor<24x24xf32>, %bk: tensor<24xf32>,
                         %wv: tensor<24x24xf32>, %bv: tensor<24xf32>,
                         %wo: tensor<24x24xf32>, %bo: tensor<24xf32>,
                         %g1: tensor<24xf32>, %be1: tensor<24xf32>,
                         %w1: tensor<24x40xf32>, %c1: tensor<40xf32>,
                         %w2: tensor<40x24xf32>, %c2: tensor<24xf32>,
                         %g2: tensor<24xf32>, %be2: tensor<24xf32>)
    -> tensor<2x6x24xf32> {
  %q0 = bfly.linear %x, %wq, %bq : tensor<2x6x24xf32>, tensor<24x24xf32>, tensor<24xf32> -> tensor<2x6x24xf32>
  %q1 = bfly.reshape %q0 : tensor<2x6x24xf32> -> tensor<2x6x3x8xf32>
  %q = bfly.transpose %q1 [0, 2, 1, 3] : tensor<2x6x3x8xf32> -> tensor<2x3x6x8xf32>
  %k0 = bfly.linear %x, %wk, %bk : tensor<2x6x24xf32>, tensor<24x24xf32>, tensor<24xf32> -> tensor<2x6x24xf32>
  %k1 = bfly.reshape %k0 : tensor<2x6x24xf32> -> tensor<2x6x3x8xf32>
  %k = bfly.transpose %k1 [0, 2, 1, 3] : tensor<2x6x3x8xf32> -> tensor<2x3x6x8xf32>
  %v0 = bfly.linear %x, %wv, %bv : tensor<2x6x24xf32>, tensor<24x24xf32>, tensor<24xf32> -> tensor<2x6x24xf32>
  %v1 = bfly.reshape %v0 : tensor<2x6x24xf32> -> tensor<2x6x3x8xf32>
  %v = bfly.transpose %v1 [0, 2, 1, 3] : tensor<2x6x3x8xf32> -> tensor<2x3x6x8xf32>
  %a0 = bfly.attention %q, %k, %v : tensor<2x3x6x8xf32>, tensor<2x3x6x8xf32>, tensor<2x3x6x8xf32> -> tensor<2x3x6x8xf32>
  %a1 = bfly.transpose %a0 [0, 2, 1, 3] : tensor<2x3x6x8xf32> -> tensor<2x6x3x8xf32>
  %a = bfly.reshape %a1 : tensor<2x6x3x8xf32> -> tensor<2x6x24xf32>
  %o = bfly.linear %a, %wo, %bo : tensor<2x6x24xf32>, tensor<24x24xf32>, tensor<24xf32> -> tensor<2x6x24xf32>
  %r1 = bfly.add %x, %o : tensor<2x6x24xf32>
  %h = bfly.layernorm %r1, %g1, %be1 : tensor<2x6x24xf32>, tensor<24xf32>, tensor<24xf32>
  %f1 = bfly.linear %h, %w1, %c1 : tensor<2x6x24xf32>, tensor<24x40xf32>, tensor<40xf32> -> tensor<2x6x40xf32>
  %f2 = bfly.gelu %f1 : tensor<2x6x40xf32>
  %f3 = bfly.linear %f2, %w2, %c2 : tensor<2x6x40xf32>, tensor<40x24xf32>, tensor<24xf32> -> tensor<2x6x24xf32>
  %r2 = bfly.add %h, %f3 : tensor<2x6x24xf32>
  %y = bfly.layernorm %r2, %g2, %be2 : tensor<2x6x24xf32>, tensor<24xf32>, tensor<24xf32>
  return %y : tensor<2x6x24xf32>
}

// An FNet encoder block: Fourier mixing in place of attention, B = 2,
// L = 10, D = 12, FF = 24. Arguments: x; layernorm 1; FFN linear 1 and 2;
// layernorm 2.
// RUN: %python %S/gen_case.py fnet_block %t/fnet_block
// RUN: butterfly-sim --reference %s --entry fnet_block \
// RUN:   --input %t/fnet_block/in0.npy --input %t/fnet_block/in1.npy \
// RUN:   --input %t/fnet_block/in2.npy --input %t/fnet_block/in3.npy \
// RUN:   --input %t/fnet_block/in4.npy --input %t/fnet_block/in5.npy \
// RUN:   --input %t/fnet_block/in6.npy --input %t/fnet_block/in7.npy \
// RUN:   --input %t/fnet_block/in8.npy --output-dir %t/fnet_block/out \
// RUN:   --expect %t/fnet_block/expected --rtol 1e-4 --atol 5e-5
func.func @fnet_block(%x: tensor<2x10x12xf32>,
                      %g1: tensor<12xf32>, %be1: tensor<12xf32>,
                      %w1: tensor<12x24xf32>, %c1: tensor<24xf32>,
                      %w2: tensor<24x12xf32>, %c2: tensor<12xf32>,
                      %g2: tensor<12xf32>, %be2: tensor<12xf32>)
    -> tensor<2x10x12xf32> {
  %m = bfly.fourier_mix %x {sparsity = #bfly.sparsity<fourier>} : tensor<2x10x12xf32>
  %r1 = bfly.add %x, %m : tensor<2x10x12xf32>
  %h = bfly.layernorm %r1, %g1, %be1 : tensor<2x10x12xf32>, tensor<12xf32>, tensor<12xf32>
  %f1 = bfly.linear %h, %w1, %c1 : tensor<2x10x12xf32>, tensor<12x24xf32>, tensor<24xf32> -> tensor<2x10x24xf32>
  %f2 = bfly.gelu %f1 : tensor<2x10x24xf32>
  %f3 = bfly.linear %f2, %w2, %c2 : tensor<2x10x24xf32>, tensor<24x12xf32>, tensor<12xf32> -> tensor<2x10x12xf32>
  %r2 = bfly.add %h, %f3 : tensor<2x10x12xf32>
  %y = bfly.layernorm %r2, %g2, %be2 : tensor<2x10x12xf32>, tensor<12xf32>, tensor<12xf32>
  return %y : tensor<2x10x12xf32>
}
