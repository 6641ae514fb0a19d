// Bitstream round trips: each program is encoded, decoded and encoded again,
// and the two bitstreams must be byte-identical (docs/bitstream.md: one
// encoding per program); encoding the same file twice gives the same bytes.
// The decoded IR is checked too: it carries the arch with every key.

// RUN: rm -rf %t && split-file %s %t

// RUN: butterfly-translate --dfa-to-bitstream %t/full.mlir -o %t/full.bfbin
// RUN: butterfly-translate --bitstream-to-dfa %t/full.bfbin -o %t/full.out.mlir
// RUN: butterfly-translate --dfa-to-bitstream %t/full.out.mlir -o %t/full2.bfbin
// RUN: cmp %t/full.bfbin %t/full2.bfbin
// RUN: butterfly-translate --dfa-to-bitstream %t/full.mlir -o %t/full3.bfbin
// RUN: cmp %t/full.bfbin %t/full3.bfbin
// RUN: FileCheck %s --check-prefix=FULL < %t/full.out.mlir

// RUN: butterfly-translate --dfa-to-bitstream %t/empty.mlir -o %t/empty.bfbin
// RUN: butterfly-translate --bitstream-to-dfa %t/empty.bfbin -o %t/empty.out.mlir
// RUN: butterfly-translate --dfa-to-bitstream %t/empty.out.mlir -o %t/empty2.bfbin
// RUN: cmp %t/empty.bfbin %t/empty2.bfbin
// RUN: FileCheck %s --check-prefix=EMPTY < %t/empty.out.mlir
// The header of the example in docs/bitstream.md.
// RUN: %python -c "import sys; d = open(sys.argv[1], 'rb').read(); print(len(d), d[:64].hex())" %t/empty.bfbin | FileCheck %s --check-prefix=EMPTY-BYTES

// RUN: butterfly-translate --dfa-to-bitstream %t/data.mlir -o %t/data.bfbin
// RUN: butterfly-translate --bitstream-to-dfa %t/data.bfbin -o %t/data.out.mlir
// RUN: butterfly-translate --dfa-to-bitstream %t/data.out.mlir -o %t/data2.bfbin
// RUN: cmp %t/data.bfbin %t/data2.bfbin
// RUN: FileCheck %s --check-prefix=DATA < %t/data.out.mlir

// RUN: butterfly-translate --dfa-to-bitstream %t/names.mlir -o %t/names.bfbin
// RUN: butterfly-translate --bitstream-to-dfa %t/names.bfbin | FileCheck %s --check-prefix=NAMES
// RUN: butterfly-translate --bitstream-to-dfa %t/names.bfbin | butterfly-translate --dfa-to-bitstream -o %t/names2.bfbin
// RUN: cmp %t/names.bfbin %t/names2.bfbin

// The decoded IR parses and verifies with butterfly-opt, and decoding is
// deterministic too.
// RUN: butterfly-opt %t/full.out.mlir -o /dev/null
// RUN: butterfly-translate --bitstream-to-dfa %t/full.bfbin -o %t/full.out2.mlir
// RUN: cmp %t/full.out.mlir %t/full.out2.mlir

//--- full.mlir
// Every opcode, operand form, route and DMA kind, on an arch with express
// links and non-default latency and energy keys; three phases.
dfa.program @full attributes {arch = #dfa.arch<{name = "rt", rows = 4 : i64, cols = 4 : i64, lanes = 8 : i64, imem = 32 : i64, local_mem_kib = 2 : i64, local_mem_banks = 4 : i64, fifo_depth = 3 : i64, gb_kib = 16 : i64, gb_banks = 8 : i64, clock_ghz = 1.25 : f64, dram_gbps = 25.6 : f64, dram_latency_ns = 80.5 : f64, config_bytes_per_cycle = 32 : i64, noc_express = true, noc_express_max_log2 = 1 : i64, latency = {alu = 2 : i64, exp = 10 : i64, rcp = 9 : i64, rsqrt = 11 : i64}, energy_pj = {fp_op = 1.5 : f64, local_mem_access = 4.25 : f64, gb_access_per_flit = 60.0 : f64, noc_hop_per_flit = 7.0 : f64, dram_per_byte = 150.0 : f64, leakage_per_pe_cycle = 0.25 : f64, config_per_byte = 9.5 : f64, source = "round-trip test"}}>, dram_words = 512 : i64} {
  dfa.buffer @in offset 0 size 128
  dfa.buffer @out offset 128 size 128
  dfa.buffer @w offset 256 size 64
  dfa.constant @twiddles dram 400 dense<[1.0, 0.0, 0.70710677, -0.70710677]> : tensor<4xf32>
  dfa.constant @bias gb 260 dense<[0.5, -0.25]> : tensor<2xf32>
  dfa.input @x dram 0 : tensor<4x16xf32>
  dfa.input @z dram 64 : tensor<16xcomplex<f32>>
  dfa.output @y dram 128 : tensor<64xf32>
  dfa.output @zf dram 192 : tensor<2x8xcomplex<f32>>
  dfa.phase @load {
    dfa.dma dram_to_gb dram 0 gb 0 dims [[4, 16, 32], [16, 1, 1]]
    dfa.dma dram_to_gb dram 64 gb 64 dims [[32, 1, 1]] after [0]
  }
  dfa.phase @compute {
    dfa.pe (0, 0) {
      dfa.init 0 dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
      dfa.inst nop
      dfa.inst mov(n = 16, dst = lm[16], a = in0)
      dfa.inst loop(p0 = 4, p1 = 3)
      dfa.inst loop(p0 = 2, p1 = 1)
      dfa.inst vfma(n = 4, dst = lm[100, 1, 8, 32], a = lm[0, 1, 4, 16], b = imm 0.5)
      dfa.inst vadd(n = 4, dst = lm[300, 2], a = lm[0, 0], b = imm -2.0)
      dfa.inst barrier
      dfa.inst mov(n = 16, dst = out[0, 1], a = lm[100, -1])
      dfa.inst halt
    }
    dfa.pe (0, 1) {
      dfa.inst vsub(n = 16, dst = lm[0], a = in0, b = imm 1.0)
      dfa.inst vmul(n = 16, dst = lm[16], a = lm[0], b = lm[0])
      dfa.inst vmax(n = 16, dst = lm[32], a = lm[16], b = imm 0.0)
      dfa.inst vmin(n = 16, dst = lm[48], a = lm[32], b = imm 6.0)
      dfa.inst vexp(n = 16, dst = lm[64], a = lm[48])
      dfa.inst vrcp(n = 16, dst = lm[80], a = lm[64])
      dfa.inst vrsqrt(n = 16, dst = lm[96], a = lm[80])
      dfa.inst vtanh(n = 16, dst = lm[112], a = lm[96])
      dfa.inst verf(n = 16, dst = lm[128], a = lm[112])
      dfa.inst reduce.sum(n = 16, dst = lm[144], a = lm[128])
      dfa.inst reduce.max(n = 16, dst = out[2], a = lm[128])
      dfa.inst halt
    }
    dfa.pe (2, 0) {
      dfa.init 256 dense<[1.0, 0.0, 0.0, 1.0, 0.0, 1.0, -1.0, 0.0]> : tensor<8xf32>
      dfa.inst mov(n = 16, dst = lm[64], a = in1)
      dfa.inst bitrev(n = 8, flags = 1, dst = lm[0], a = lm[64])
      dfa.inst bfly(n = 16, p0 = 4, dst = lm[128], a = lm[0], b = lm[256])
      dfa.inst bfly(n = 16, p0 = 2, flags = 7, dst = lm[160], a = lm[0], b = lm[256])
      dfa.inst gemm(n = 8, p0 = 2, p1 = 3, flags = 1, dst = lm[320], a = lm[0], b = lm[32])
      dfa.inst gemm(n = 8, p0 = 1, p1 = 1, dst = lm[320], a = lm[0], b = in2)
      dfa.inst mov(n = 16, dst = out[3], a = lm[128])
      dfa.inst halt
    }
    dfa.pe (1, 0) {
    }
    dfa.route west(0) -> [pe(0, 0, in0)] via [(0, -1) -> (0, 0)]
    dfa.route pe(0, 0, out0) -> [pe(0, 1, in0), pe(1, 0, in0)] via [(0, 0) -> (0, 1), (0, 0) -> (1, 0)]
    dfa.route pe(0, 0, out1) -> [pe(2, 0, in1)] via [(0, 0) -> (2, 0)]
    dfa.route north(2) -> [pe(2, 0, in2)] via [(-1, 2) -> (0, 2), (0, 2) -> (2, 2), (2, 2) -> (2, 1), (2, 1) -> (2, 0)]
    dfa.route pe(0, 1, out2) -> [north(1)] via [(0, 1) -> (-1, 1)]
    dfa.route pe(2, 0, out3) -> [west(2)] via [(2, 0) -> (2, -1)]
    dfa.dma gb_to_edge gb 0 edge west(0) dims [[16, 0, 1]]
    dfa.dma gb_to_edge gb 64 edge north(2) dims [[2, 0, 16], [8, 0, -1]]
    dfa.dma edge_to_gb gb 128 edge north(1) dims [[1, 0, 0]] after [0]
    dfa.dma edge_to_gb gb 144 edge west(2) dims [[16, 0, 1]] after [0, 1]
  }
  dfa.phase @store {
    dfa.dma gb_to_dram dram 128 gb 128 dims [[64, 1, 1]]
    dfa.dma gb_to_dram dram 255 gb 144 dims [[16, -1, 1]] after [0]
  }
}

// FULL: module {
// FULL-NEXT: dfa.program @full attributes {arch = #dfa.arch<{clock_ghz = 1.250000e+00 : f64, cols = 4 : i64, config_bytes_per_cycle = 32 : i64, dram_gbps = 2.560000e+01 : f64, dram_latency_ns = 8.050000e+01 : f64, energy_pj = {config_per_byte = 9.500000e+00 : f64, dram_per_byte = 150 : i64, fp_op = 1.500000e+00 : f64, gb_access_per_flit = 60 : i64, leakage_per_pe_cycle = 2.500000e-01 : f64, local_mem_access = 4.250000e+00 : f64, noc_hop_per_flit = 7 : i64, source = "round-trip test"}, fifo_depth = 3 : i64, gb_banks = 8 : i64, gb_kib = 16 : i64, imem = 32 : i64, lanes = 8 : i64, latency = {alu = 2 : i64, exp = 10 : i64, rcp = 9 : i64, rsqrt = 11 : i64}, local_mem_banks = 4 : i64, local_mem_kib = 2 : i64, name = "rt", noc_express = true, noc_express_max_log2 = 1 : i64, rows = 4 : i64}>, dram_words = 512 : i64} {
// FULL-NEXT: dfa.buffer @in offset 0 size 128
// FULL-NEXT: dfa.buffer @out offset 128 size 128
// FULL-NEXT: dfa.buffer @w offset 256 size 64
// FULL-NEXT: dfa.constant @twiddles dram 400 dense<[1.000000e+00, 0.000000e+00, 0.707106769, -0.707106769]> : tensor<4xf32>
// FULL-NEXT: dfa.constant @bias gb 260 dense<[5.000000e-01, -2.500000e-01]> : tensor<2xf32>
// FULL-NEXT: dfa.input @x dram 0 : tensor<4x16xf32>
// FULL-NEXT: dfa.input @z dram 64 : tensor<16xcomplex<f32>>
// FULL-NEXT: dfa.output @y dram 128 : tensor<64xf32>
// FULL-NEXT: dfa.output @zf dram 192 : tensor<2x8xcomplex<f32>>
// FULL-NEXT: dfa.phase @load {
// FULL-NEXT: dfa.dma dram_to_gb dram 0 gb 0 dims {{\[}}[4, 16, 32], [16, 1, 1]]
// FULL-NEXT: dfa.dma dram_to_gb dram 64 gb 64 dims {{\[}}[32, 1, 1]] after [0]
// FULL-NEXT: }
// FULL-NEXT: dfa.phase @compute {
// FULL-NEXT: dfa.pe (0, 0) {
// FULL-NEXT: dfa.init 0 dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>
// FULL-NEXT: dfa.inst nop
// FULL-NEXT: dfa.inst mov(n = 16, dst = lm[16, 1], a = in0)
// FULL-NEXT: dfa.inst loop(p0 = 4, p1 = 3)
// FULL-NEXT: dfa.inst loop(p0 = 2, p1 = 1)
// FULL-NEXT: dfa.inst vfma(n = 4, dst = lm[100, 1, 8, 32], a = lm[0, 1, 4, 16], b = imm 5.000000e-01)
// FULL-NEXT: dfa.inst vadd(n = 4, dst = lm[300, 2], a = lm[0, 0], b = imm -2.000000e+00)
// FULL-NEXT: dfa.inst barrier
// FULL-NEXT: dfa.inst mov(n = 16, dst = out[0, 1], a = lm[100, -1])
// FULL-NEXT: dfa.inst halt
// FULL-NEXT: }
// FULL-NEXT: dfa.pe (0, 1) {
// FULL-NEXT: dfa.inst vsub(n = 16, dst = lm[0, 1], a = in0, b = imm 1.000000e+00)
// FULL-NEXT: dfa.inst vmul(n = 16, dst = lm[16, 1], a = lm[0, 1], b = lm[0, 1])
// FULL-NEXT: dfa.inst vmax(n = 16, dst = lm[32, 1], a = lm[16, 1], b = imm 0.000000e+00)
// FULL-NEXT: dfa.inst vmin(n = 16, dst = lm[48, 1], a = lm[32, 1], b = imm 6.000000e+00)
// FULL-NEXT: dfa.inst vexp(n = 16, dst = lm[64, 1], a = lm[48, 1])
// FULL-NEXT: dfa.inst vrcp(n = 16, dst = lm[80, 1], a = lm[64, 1])
// FULL-NEXT: dfa.inst vrsqrt(n = 16, dst = lm[96, 1], a = lm[80, 1])
// FULL-NEXT: dfa.inst vtanh(n = 16, dst = lm[112, 1], a = lm[96, 1])
// FULL-NEXT: dfa.inst verf(n = 16, dst = lm[128, 1], a = lm[112, 1])
// FULL-NEXT: dfa.inst reduce.sum(n = 16, dst = lm[144, 1], a = lm[128, 1])
// FULL-NEXT: dfa.inst reduce.max(n = 16, dst = out[2], a = lm[128, 1])
// FULL-NEXT: dfa.inst halt
// FULL-NEXT: }
// FULL-NEXT: dfa.pe (2, 0) {
// FULL-NEXT: dfa.init 256 dense<[1.000000e+00, 0.000000e+00, 0.000000e+00, 1.000000e+00, 0.000000e+00, 1.000000e+00, -1.000000e+00, 0.000000e+00]> : tensor<8xf32>
// FULL-NEXT: dfa.inst mov(n = 16, dst = lm[64, 1], a = in1)
// FULL-NEXT: dfa.inst bitrev(n = 8, flags = 1, dst = lm[0, 1], a = lm[64, 1])
// FULL-NEXT: dfa.inst bfly(n = 16, p0 = 4, dst = lm[128, 1], a = lm[0, 1], b = lm[256, 1])
// FULL-NEXT: dfa.inst bfly(n = 16, p0 = 2, flags = 7, dst = lm[160, 1], a = lm[0, 1], b = lm[256, 1])
// FULL-NEXT: dfa.inst gemm(n = 8, p0 = 2, p1 = 3, flags = 1, dst = lm[320, 1], a = lm[0, 1], b = lm[32, 1])
// FULL-NEXT: dfa.inst gemm(n = 8, p0 = 1, p1 = 1, dst = lm[320, 1], a = lm[0, 1], b = in2)
// FULL-NEXT: dfa.inst mov(n = 16, dst = out[3], a = lm[128, 1])
// FULL-NEXT: dfa.inst halt
// FULL-NEXT: }
// FULL-NEXT: dfa.pe (1, 0) {
// FULL-NEXT: }
// FULL-NEXT: dfa.route west(0) -> [pe(0, 0, in0)] via [(0, -1) -> (0, 0)]
// FULL-NEXT: dfa.route pe(0, 0, out0) -> [pe(0, 1, in0), pe(1, 0, in0)] via [(0, 0) -> (0, 1), (0, 0) -> (1, 0)]
// FULL-NEXT: dfa.route pe(0, 0, out1) -> [pe(2, 0, in1)] via [(0, 0) -> (2, 0)]
// FULL-NEXT: dfa.route north(2) -> [pe(2, 0, in2)] via [(-1, 2) -> (0, 2), (0, 2) -> (2, 2), (2, 2) -> (2, 1), (2, 1) -> (2, 0)]
// FULL-NEXT: dfa.route pe(0, 1, out2) -> [north(1)] via [(0, 1) -> (-1, 1)]
// FULL-NEXT: dfa.route pe(2, 0, out3) -> [west(2)] via [(2, 0) -> (2, -1)]
// FULL-NEXT: dfa.dma gb_to_edge gb 0 edge west(0) dims {{\[}}[16, 0, 1]]
// FULL-NEXT: dfa.dma gb_to_edge gb 64 edge north(2) dims {{\[}}[2, 0, 16], [8, 0, -1]]
// FULL-NEXT: dfa.dma edge_to_gb gb 128 edge north(1) dims {{\[}}[1, 0, 0]] after [0]
// FULL-NEXT: dfa.dma edge_to_gb gb 144 edge west(2) dims {{\[}}[16, 0, 1]] after [0, 1]
// FULL-NEXT: }
// FULL-NEXT: dfa.phase @store {
// FULL-NEXT: dfa.dma gb_to_dram dram 128 gb 128 dims {{\[}}[64, 1, 1]]
// FULL-NEXT: dfa.dma gb_to_dram dram 255 gb 144 dims {{\[}}[16, -1, 1]] after [0]
// FULL-NEXT: }
// FULL-NEXT: }
// FULL-NEXT: }

//--- empty.mlir
// The example of docs/bitstream.md: an empty program on the default arch.
dfa.program @empty attributes {arch = #dfa.arch<{}>, dram_words = 0 : i64} {
}

// The defaults of docs/arch.md, every key spelled out.
// EMPTY: dfa.program @empty attributes {arch = #dfa.arch<{clock_ghz = 1 : i64, cols = 16 : i64, config_bytes_per_cycle = 16 : i64, dram_gbps = 5.120000e+01 : f64, dram_latency_ns = 100 : i64, energy_pj = {config_per_byte = 8.500000e+00 : f64, dram_per_byte = 160 : i64, fp_op = 2.300000e+00 : f64, gb_access_per_flit = 76 : i64, leakage_per_pe_cycle = 5.000000e-01 : f64, local_mem_access = 5 : i64, noc_hop_per_flit = 8 : i64, source = ""}, fifo_depth = 4 : i64, gb_banks = 16 : i64, gb_kib = 2048 : i64, imem = 64 : i64, lanes = 4 : i64, latency = {alu = 1 : i64, exp = 8 : i64, rcp = 8 : i64, rsqrt = 8 : i64}, local_mem_banks = 2 : i64, local_mem_kib = 16 : i64, name = "default", noc_express = false, noc_express_max_log2 = 3 : i64, rows = 16 : i64}>, dram_words = 0 : i64} {
// EMPTY-NEXT: }

// 409 bytes: magic, version 1, flags 0, 6 sections, the fingerprint, the file
// size (0x199), then the table entries of the arch (offset 152 = 0x98, size
// 216 = 0xd8) and program (offset 368 = 0x170) sections.
// EMPTY-BYTES: 409 42464c5942494e00010000000600000086ba50f5855a60d29901000000000000010000009800000000000000d800000000000000020000007001000000000000

//--- data.mlir
// Bit-exact data: NaN payloads, infinities, -0.0, denormals and the largest
// float in constants and local-memory images; an image long enough to be
// printed in hex; complex, scalar and empty tensors; an empty constant and
// buffer; an empty phase and a PE without instructions.
dfa.program @data attributes {arch = #dfa.arch<{rows = 2 : i64, cols = 2 : i64, local_mem_kib = 1 : i64}>, dram_words = 64 : i64} {
  dfa.buffer @none offset 0 size 0
  dfa.buffer @all offset 0 size 64
  dfa.constant @special dram 8 dense<[0x7FC00001, 0xFFC00000, 0x7F800000, 0xFF800000, -0.0, 1.0e-45, 1.17549435e-38, 3.40282347e+38]> : tensor<8xf32>
  dfa.constant @no_words gb 4 dense<> : tensor<0xf32>
  dfa.input @s dram 0 : tensor<f32>
  dfa.input @c dram 2 : tensor<2x1xcomplex<f32>>
  dfa.input @e dram 6 : tensor<0x7xf32>
  dfa.output @o dram 6 : tensor<complex<f32>>
  dfa.phase @nothing {
  }
  dfa.phase @idle {
    dfa.pe (1, 1) {
      dfa.init 0 dense<[-3.523345e+01, -6.983017e+01, 3.018689e+01, -8.551274e+01, 7.176401e+00, -2.686222e+01, -8.840022e+01, 1.487147e+00, -9.250087e+01, -1.327086e+01, -8.602892e+01, -8.185740e+01, -1.509616e+01, 6.537042e+01, -7.523961e+01, -5.535221e+01, 2.548664e+01, 8.954179e+01, 1.542059e+01, -2.066391e+01, 9.525102e+01, -9.068346e+01, 7.169369e+01, -4.207814e+01, -7.114898e+01, -7.644155e+01, -3.830364e+01, 6.322527e+01, -6.385472e+01, 1.632003e+01, 2.778269e+01, -2.552049e+01, 9.548893e+00, -8.744221e+01, -8.807977e+01, -5.880826e+01, 3.607999e+01, -1.448154e+01, -3.717057e+01, 1.711237e+01, -9.363125e+00, -4.004660e+01, 5.887590e+01, 3.979889e+01, -5.118070e+01, 1.488474e+01, 5.039301e+00, 7.502750e+01, 4.588906e+01, -4.241245e+01, 9.603497e+01, -7.638684e+01, -1.637544e+01, 5.142819e+01, -6.960309e+01, -2.207380e+00, -9.215855e+01, 3.364317e+01, 5.291417e+01, 1.460519e+01, 7.509556e+01, -3.725050e+01, 3.905907e+01, 1.887398e+01, 1.597904e+01, -8.758934e+00, 6.799356e+01, 8.893622e+01, -5.180333e+00, 3.283044e+01, -8.786611e+01, 4.029840e+01, 2.942577e+01, 9.861919e+01, 6.438496e+01, -4.308089e+01, -2.284171e+01, 3.373054e+01, -9.548741e+01, -7.660943e+00, -6.639032e+01, -7.658084e+01, -8.820912e+01, 5.364660e+01, -7.413196e+01, -5.047703e+01, -2.181006e+01, 7.428439e+01, -8.388374e+01, -1.016252e+01, 9.887982e+00, 7.667677e+01, 6.385597e+01, 7.279689e+01, -4.431579e+01, -1.694070e+01, -2.824577e+01, 7.683857e+01, 9.154624e+01, -6.981582e+01, -6.475645e+01, -5.360863e+01, -5.333278e+01, -3.007454e+00, 1.782470e+01, -4.745068e+01, -9.918128e+01, -1.621070e+01, -2.614929e+01, 1.326824e+01, 9.061959e+01, 3.809873e+01, 3.098287e+00, 2.351855e+01, 3.524002e+01, -8.920142e+01, 7.990660e+01, 5.599390e+01, 7.490264e+01, 5.957462e+01, -2.152422e+01, -2.020423e+01, -7.929258e+01, 2.685791e+01, -8.755044e+01, -8.653048e+01, -5.824736e+01, -6.753936e+01, -3.198927e+01, -8.948488e+01, -9.995334e+01, -6.974701e+01, -7.970713e+01, -2.727802e+01, -9.489982e+01, 7.486648e+01, 2.281380e+01, -7.028990e+01, -4.954845e+01, -3.052209e+01, -2.716731e+01, -7.543155e+01, 6.978739e+01, 9.862054e+01, -6.802108e+00, -3.233069e+00, -8.282307e+01, -7.956248e+01, -3.147283e+01, -4.704862e+01, 6.577108e+01, -6.771228e+01, -9.538086e+01, 9.019711e+01, 5.651479e+00, -7.067949e+01, 8.634485e+00, -9.459150e+01, 5.621888e+00, 9.570025e+01]> : tensor<160xf32>
      dfa.init 200 dense<0x7F800001> : tensor<3xf32>
    }
  }
}

// DATA: dfa.buffer @none offset 0 size 0
// DATA-NEXT: dfa.buffer @all offset 0 size 64
// DATA-NEXT: dfa.constant @special dram 8 dense<[0x7FC00001, 0xFFC00000, 0x7F800000, 0xFF800000, -0.000000e+00, 1.401300e-45, 1.17549435E-38, 3.40282347E+38]> : tensor<8xf32>
// DATA-NEXT: dfa.constant @no_words gb 4 dense<> : tensor<0xf32>
// DATA-NEXT: dfa.input @s dram 0 : tensor<f32>
// DATA-NEXT: dfa.input @c dram 2 : tensor<2x1xcomplex<f32>>
// DATA-NEXT: dfa.input @e dram 6 : tensor<0x7xf32>
// DATA-NEXT: dfa.output @o dram 6 : tensor<complex<f32>>
// DATA-NEXT: dfa.phase @nothing {
// DATA-NEXT: }
// DATA-NEXT: dfa.phase @idle {
// DATA-NEXT: dfa.pe (1, 1) {
// DATA-NEXT: dfa.init 0 dense<"0x{{[0-9A-F]+}}"> : tensor<160xf32>
// DATA-NEXT: dfa.init 200 dense<0x7F800001> : tensor<3xf32>
// DATA-NEXT: }
// DATA-NEXT: }

//--- names.mlir
// Names with spaces, quotes and non-ASCII bytes in the program, buffers,
// phases and arch strings.
dfa.program @"two words" attributes {arch = #dfa.arch<{name = "t\22iny", rows = 2 : i64, cols = 2 : i64, energy_pj = {source = "Horowitz, \22ISSCC\22 2014 \CF\86"}}>, dram_words = 4 : i64} {
  dfa.buffer @"φ" offset 0 size 4
  dfa.input @"x.0" dram 0 : tensor<4xf32>
  dfa.phase @"phase 0" {
    dfa.dma dram_to_gb dram 0 gb 0 dims [[4, 1, 1]]
  }
}

// NAMES: dfa.program @"two words" attributes {arch = #dfa.arch<{{.*}}energy_pj = {{{.*}}source = "Horowitz, \22ISSCC\22 2014 \CF\86"}{{.*}}name = "t\22iny"
// NAMES-NEXT: dfa.buffer @"\CF\86" offset 0 size 4
// NAMES-NEXT: dfa.input @x.0 dram 0 : tensor<4xf32>
// NAMES-NEXT: dfa.phase @"phase 0" {
