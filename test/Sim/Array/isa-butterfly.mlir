// bitrev, bitrev.c, every bfly form (radix-2, .mat, .pair, .mat.pair, .c,
// .c.mat, .c.pair, .c.mat.pair), gemm.init and gemm (n a multiple of L and
// not), and an 8-point complex FFT done in place (bitrev.c, then three
// bfly.c stages on the same words: reads happen at issue), one instruction
// per phase on PE(0,0) of the default arch. Values against NumPy
// (Inputs/cases.py isa_butterfly: explicit pair loops and numpy.fft.fft);
// cycles against docs/architecture.md sections 3 and 4.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/cases.py isa_butterfly %t
// RUN: butterfly-translate --dfa-to-bitstream %s -o %t/p.bfbin
// RUN: butterfly-sim %t/p.bfbin --input %t/in0.npy --input %t/in1.npy \
// RUN:   --output-dir %t/out --stats %t/stats.json --trace %t/trace.json \
// RUN:   --expect %t/expected --rtol 1e-5 --atol 1e-5
// RUN: %python %S/Inputs/summary.py %t/stats.json %t/trace.json | FileCheck %s

// Bank 0 (in0, lm[0..96)): xr = 8 reals at 0, xc = 8 complex at 16, A (2x3)
// at 32, B1 (3x4) at 40, B3 (3x6) at 64.
// Bank 1 (in1, lm[2048..2224)): the twiddle tables (below), B2 (3x4) at
// 2160, the FFT-8 tables at 2200 (stride 1), 2202 (stride 2), 2206
// (stride 4).
// Results: lm[100..236) and lm[2300..2320) -> out0 (156 words).
dfa.program @isa_butterfly attributes {arch = #dfa.arch<{}>, dram_words = 512 : i64} {
  dfa.buffer @in offset 0 size 272
  dfa.buffer @out offset 272 size 156
  dfa.input @bank0 dram 0 : tensor<96xf32>
  dfa.input @bank1 dram 96 : tensor<176xf32>
  dfa.output @r dram 272 : tensor<156xf32>

  // Config: 2 instructions (64) + route (20) + 2 DMAs (112) = 196 -> 13.
  // 272 words = 1088 B: ceil(1088/51.2 = 21.25) = 22, + 100: lands at 122.
  // Flit k (68 flits) is pushed at 122+k, in PE(0,0).in0 at 124+k. The first
  // mov (24 flits) beats 124..147, holds 148; the second issues at 149 and
  // takes flit k (k >= 24) at 125+k: the last (k = 67) at 192, + 1 + 1.
  // CHECK: phase load config_bytes=196 config_cycles=13 cycles=194 flops=0
  dfa.phase @load {
    dfa.pe (0, 0) {
      dfa.inst mov(n = 96, dst = lm[0], a = in0)
      dfa.inst mov(n = 176, dst = lm[2048], a = in0)
    }
    dfa.route west(0) -> [pe(0, 0, in0)] via [(0, -1) -> (0, 0)]
    dfa.dma dram_to_gb dram 0 gb 0 dims [[272, 1, 1]]
    dfa.dma gb_to_edge gb 0 edge west(0) dims [[272, 0, 1]] after [0]
  }

  // bitrev n=8: d[k] = a[bitreverse3(k)]; ceil(8/4) = 2 beats + 1 = 3.
  // CHECK: phase bitrev config_bytes=32 config_cycles=2 cycles=3 flops=0
  dfa.phase @bitrev {
    dfa.pe (0, 0) {
      dfa.inst bitrev(n = 8, dst = lm[100], a = lm[0])
    }
  }
  // bitrev.c n=8: W = 16 words: 4 beats + 1 = 5.
  // CHECK: phase bitrev_c config_bytes=32 config_cycles=2 cycles=5 flops=0
  dfa.phase @bitrev_c {
    dfa.pe (0, 0) {
      dfa.inst bitrev(n = 8, flags = 1, dst = lm[108], a = lm[16])
    }
  }
  // Real forms, n=8: 2*ceil(8/4) = 4 beats, data in bank 0 and table in
  // bank 1 (f = 1), + 1 = 5. flops per pair: 3 (4 pairs: 12), .mat 6 (24).
  // bfly stride 2: table of 2 words at 2048.
  // CHECK: phase bfly config_bytes=32 config_cycles=2 cycles=5 flops=12
  dfa.phase @bfly {
    dfa.pe (0, 0) {
      dfa.inst bfly(n = 8, p0 = 2, dst = lm[124], a = lm[0], b = lm[2048])
    }
  }
  // bfly.mat stride 2: 2 entries of 4 words at 2052.
  // CHECK: phase bfly_mat config_bytes=32 config_cycles=2 cycles=5 flops=24
  dfa.phase @bfly_mat {
    dfa.pe (0, 0) {
      dfa.inst bfly(n = 8, p0 = 2, flags = 4, dst = lm[132], a = lm[0], b = lm[2052])
    }
  }
  // bfly.pair stride 2: one word per pair (4) at 2060.
  // CHECK: phase bfly_pair config_bytes=32 config_cycles=2 cycles=5 flops=12
  dfa.phase @bfly_pair {
    dfa.pe (0, 0) {
      dfa.inst bfly(n = 8, p0 = 2, flags = 2, dst = lm[140], a = lm[0], b = lm[2060])
    }
  }
  // bfly.mat.pair stride 1: 4 pairs x 4 words at 2064 (a torch_butterfly
  // factor twiddle[4][2][2]).
  // CHECK: phase bfly_mat_pair config_bytes=32 config_cycles=2 cycles=5 flops=24
  dfa.phase @bfly_mat_pair {
    dfa.pe (0, 0) {
      dfa.inst bfly(n = 8, p0 = 1, flags = 6, dst = lm[148], a = lm[0], b = lm[2064])
    }
  }
  // Complex forms, n=8: W = 16 words; 2*4 = 8 beats + 1 = 9 (.c.mat: 4*4 =
  // 16 beats + 1 = 17). flops per pair 10 (40), .c.mat 28 (112).
  // bfly.c stride 2: 2 complex entries at 2080.
  // CHECK: phase bfly_c config_bytes=32 config_cycles=2 cycles=9 flops=40
  dfa.phase @bfly_c {
    dfa.pe (0, 0) {
      dfa.inst bfly(n = 8, p0 = 2, flags = 1, dst = lm[156], a = lm[16], b = lm[2080])
    }
  }
  // bfly.c.mat stride 4: 4 entries of 8 words at 2084.
  // CHECK: phase bfly_c_mat config_bytes=32 config_cycles=2 cycles=17 flops=112
  dfa.phase @bfly_c_mat {
    dfa.pe (0, 0) {
      dfa.inst bfly(n = 8, p0 = 4, flags = 5, dst = lm[172], a = lm[16], b = lm[2084])
    }
  }
  // bfly.c.pair stride 1: 4 complex entries at 2116.
  // CHECK: phase bfly_c_pair config_bytes=32 config_cycles=2 cycles=9 flops=40
  dfa.phase @bfly_c_pair {
    dfa.pe (0, 0) {
      dfa.inst bfly(n = 8, p0 = 1, flags = 3, dst = lm[188], a = lm[16], b = lm[2116])
    }
  }
  // bfly.c.mat.pair stride 2: 4 pairs x 8 words at 2124.
  // CHECK: phase bfly_c_mat_pair config_bytes=32 config_cycles=2 cycles=17 flops=112
  dfa.phase @bfly_c_mat_pair {
    dfa.pe (0, 0) {
      dfa.inst bfly(n = 8, p0 = 2, flags = 7, dst = lm[204], a = lm[16], b = lm[2124])
    }
  }
  // 8-point FFT in place: bitrev.c (5) + 3 x bfly.c n=8 (9) = 32 cycles;
  // 4 instructions = 128 bytes -> 8. flops 3 stages x 4 pairs x 10 = 120.
  // CHECK: phase fft8 config_bytes=128 config_cycles=8 cycles=32 flops=120
  dfa.phase @fft8 {
    dfa.pe (0, 0) {
      dfa.inst bitrev(n = 8, flags = 1, dst = lm[220], a = lm[16])
      dfa.inst bfly(n = 8, p0 = 1, flags = 1, dst = lm[220], a = lm[220], b = lm[2200])
      dfa.inst bfly(n = 8, p0 = 2, flags = 1, dst = lm[220], a = lm[220], b = lm[2202])
      dfa.inst bfly(n = 8, p0 = 4, flags = 1, dst = lm[220], a = lm[220], b = lm[2206])
    }
  }
  // gemm.init m=2 n=4 k=3: C = A.B1 into bank 1. 2*3*ceil(4/4) = 6 beats; a
  // and b both start in bank 0: f = 2 (the destination, alone in bank 1,
  // does not change it): 12 + 1 = 13. flops 2mnk = 48.
  // CHECK: phase gemm_init config_bytes=32 config_cycles=2 cycles=13 flops=48
  dfa.phase @gemm_init {
    dfa.pe (0, 0) {
      dfa.inst gemm(n = 4, p0 = 2, p1 = 3, flags = 1, dst = lm[2300], a = lm[32], b = lm[40])
    }
  }
  // gemm (accumulate) C += A.B2: the worked example of section 4 with the
  // banks swapped: the accumulator and b share bank 1, f = 2: 13.
  // CHECK: phase gemm_acc config_bytes=32 config_cycles=2 cycles=13 flops=48
  dfa.phase @gemm_acc {
    dfa.pe (0, 0) {
      dfa.inst gemm(n = 4, p0 = 2, p1 = 3, dst = lm[2300], a = lm[32], b = lm[2160])
    }
  }
  // gemm.init m=2 n=6 k=3 (n not a multiple of L): 2*3*ceil(6/4) = 12
  // beats, a and b in bank 0: f = 2: 24 + 1 = 25. The destination holds an
  // image of 5.0 that .init overwrites. Config 32 + 8 + 4*12 = 88 -> 6.
  // CHECK: phase gemm_n6 config_bytes=88 config_cycles=6 cycles=25 flops=72
  dfa.phase @gemm_n6 {
    dfa.pe (0, 0) {
      dfa.init 2308 dense<5.000000e+00> : tensor<12xf32>
      dfa.inst gemm(n = 6, p0 = 2, p1 = 3, flags = 1, dst = lm[2308], a = lm[32], b = lm[64])
    }
  }

  // Two sends into one stream: 34 flits (beats 0..33, hold 34), then 5
  // (beats 35..39): finish 41. Flit k is at the edge 2 cycles after its
  // beat: the last at 41, so edge->gb ends at 42; 624 B to DRAM: ceil(42 +
  // 12.19) = 55, + 100 = 155. Config 64 + 20 + 112 = 196 -> 13.
  // CHECK: phase store config_bytes=196 config_cycles=13 cycles=155 flops=0
  // CHECK-NEXT: pe store PE(0,0) finish=41 instructions=2
  dfa.phase @store {
    dfa.pe (0, 0) {
      dfa.inst mov(n = 136, dst = out[0], a = lm[100])
      dfa.inst mov(n = 20, dst = out[0], a = lm[2300])
    }
    dfa.route pe(0, 0, out0) -> [west(0)] via [(0, 0) -> (0, -1)]
    dfa.dma edge_to_gb gb 272 edge west(0) dims [[156, 0, 1]]
    dfa.dma gb_to_dram dram 272 gb 272 dims [[156, 1, 1]] after [0]
  }
}
