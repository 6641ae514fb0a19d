// A linear whose 16x36 weight (576 words) is larger than a bank of the 4x4
// test array (512 words): see pe-mapping-banks.mlir.
func.func @main(%x: tensor<8x16xf32>, %w: tensor<16x36xf32>) -> tensor<8x36xf32> {
  %0 = bfly.linear %x, %w : tensor<8x16xf32>, tensor<16x36xf32> -> tensor<8x36xf32>
  return %0 : tensor<8x36xf32>
}
