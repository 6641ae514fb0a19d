// The worked examples of docs/architecture.md section 4 (lanes 4, alu 1,
// exp 8, 2 LM banks of 2048 words: the default arch), one per phase, with
// their execution cycles checked exactly, and each phase's configuration:
// ceil(bytes / 16) with bytes = 32 per instruction + per route 8*(1 +
// destinations) + 4*links (section 7). Data come from local-memory images;
// the values these programs compute are checked in isa-*.mlir.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: butterfly-translate --dfa-to-bitstream %s -o %t/p.bfbin
// RUN: butterfly-sim %t/p.bfbin --output-dir %t/out --stats %t/stats.json --trace %t/trace.json
// RUN: %python %S/Inputs/summary.py %t/stats.json %t/trace.json | FileCheck %s

// Σ configuration 2*4 + 4 + 2*2 + 6 + 6 + 11 = 39, Σ execution 10 + 7 + 9
// + 13 + 7 + 5 + 9 + 7 + 10 + 7 = 84: 123 cycles. Flit-hops: 4 flits over
// 1 link + 4 flits over 4 links + 2 flits over 4 links = 28. flops 8 + 16 + 40 + 48 + 12 + 16 + 16 = 156.
// CHECK: total cycles=123 flops=156 noc_flit_hops=28 dram_bytes=0
dfa.program @worked_examples attributes {arch = #dfa.arch<{}>, dram_words = 0 : i64} {
  // vexp n=8: 2 beats + 8 = 10.
  // CHECK: phase vexp config_bytes=32 config_cycles=2 cycles=10 flops=8
  dfa.phase @vexp {
    dfa.pe (0, 0) {
      dfa.inst vexp(n = 8, dst = lm[100], a = lm[0])
    }
  }
  // reduce.sum n=16: 4 beats + 1 + log2 4 = 7.
  // CHECK: phase reduce_sum config_bytes=32 config_cycles=2 cycles=7 flops=16
  dfa.phase @reduce_sum {
    dfa.pe (0, 0) {
      dfa.inst reduce.sum(n = 16, dst = lm[100], a = lm[0])
    }
  }
  // bfly.c n=8 stride=1: 16 words = 4 flits, 2 beats each, + 1 = 9. flops:
  // 4 pairs x 10.
  // CHECK: phase bfly_c config_bytes=32 config_cycles=2 cycles=9 flops=40
  dfa.phase @bfly_c {
    dfa.pe (0, 0) {
      dfa.inst bfly(n = 8, p0 = 1, flags = 1, dst = lm[100], a = lm[0], b = lm[2048])
    }
  }
  // gemm m=2 n=4 k=3: 6 beats; a and the accumulator in bank 0: f = 2;
  // 12 + 1 = 13. flops 2*2*4*3 = 48.
  // CHECK: phase gemm config_bytes=32 config_cycles=2 cycles=13 flops=48
  dfa.phase @gemm {
    dfa.pe (0, 0) {
      dfa.inst gemm(n = 4, p0 = 2, p1 = 3, dst = lm[100], a = lm[0], b = lm[2048])
    }
  }
  // loop count=3 len=1; vadd n=4: 1 + 3*(1 + 1) = 7. 64 bytes -> 4.
  // CHECK: phase loop config_bytes=64 config_cycles=4 cycles=7 flops=12
  dfa.phase @loop {
    dfa.pe (0, 0) {
      dfa.inst loop(p0 = 3, p1 = 1)
      dfa.inst vadd(n = 4, dst = lm[100], a = lm[0], b = lm[2048])
    }
  }
  // Bank factor: sources in banks 0 and 1: f = 1, 4 + 1 = 5; ...
  // CHECK: phase vadd_two_banks config_bytes=32 config_cycles=2 cycles=5 flops=16
  dfa.phase @vadd_two_banks {
    dfa.pe (0, 0) {
      dfa.inst vadd(n = 16, dst = lm[100], a = lm[0], b = lm[2048])
    }
  }
  // ... both in bank 0: f = 2, 4*2 + 1 = 9.
  // CHECK: phase vadd_one_bank config_bytes=32 config_cycles=2 cycles=9 flops=16
  dfa.phase @vadd_one_bank {
    dfa.pe (0, 0) {
      dfa.inst vadd(n = 16, dst = lm[100], a = lm[0], b = lm[16])
    }
  }
  // PE(0,0) -> 1 hop -> PE(0,1), 16 words: flit k: beat k, visible k+1,
  // injected k+1, arrives k+2; consumer beats 2..5, + 1 -> 7; the producer
  // is done at 3 + 1 + 1 = 5. Config 64 + 8*2 + 4 = 84 -> 6.
  // CHECK: phase one_hop config_bytes=84 config_cycles=6 cycles=7 flops=0
  // CHECK-NEXT: pe one_hop PE(0,0) finish=5 instructions=1
  // CHECK-NEXT: pe one_hop PE(0,1) finish=7 instructions=1
  dfa.phase @one_hop {
    dfa.pe (0, 0) {
      dfa.inst mov(n = 16, dst = out[0], a = lm[0])
    }
    dfa.pe (0, 1) {
      dfa.inst mov(n = 16, dst = lm[0], a = in0)
    }
    dfa.route pe(0, 0, out0) -> [pe(0, 1, in0)] via [(0, 0) -> (0, 1)]
  }
  // The same over 4 hops: arrivals at k+5, consumer beats 5..8, + 1 -> 10.
  // Config 64 + 8*2 + 4*4 = 96 -> 6.
  // CHECK: phase four_hops config_bytes=96 config_cycles=6 cycles=10 flops=0
  // CHECK-NEXT: pe four_hops PE(0,0) finish=5 instructions=1
  // CHECK-NEXT: pe four_hops PE(0,4) finish=10 instructions=1
  dfa.phase @four_hops {
    dfa.pe (0, 0) {
      dfa.inst mov(n = 16, dst = out[0], a = lm[0])
    }
    dfa.pe (0, 4) {
      dfa.inst mov(n = 16, dst = lm[0], a = in0)
    }
    dfa.route pe(0, 0, out0) -> [pe(0, 4, in0)] via [(0, 0) -> (0, 1), (0, 1) -> (0, 2), (0, 2) -> (0, 3), (0, 3) -> (0, 4)]
  }
  // A multicast of 2 flits to 3 PEs over a tree of 4 links (1, 2 and 3 hops
  // away): flit 1 (beat 1, visible at 2) reaches the farthest at 5, whose
  // beats are 4 and 5: 7. In general a PE h hops away takes the flits in
  // beats h+1, h+2 and finishes at h+4; the producer at 1 + 1 + 1 = 3.
  // Config 4 instructions (128) + 8*(1+3) + 4*4 (48) = 176 -> 11.
  // CHECK: phase multicast config_bytes=176 config_cycles=11 cycles=7 flops=0
  // CHECK-NEXT: pe multicast PE(0,0) finish=3 instructions=1
  // CHECK-NEXT: pe multicast PE(0,1) finish=5 instructions=1
  // CHECK-NEXT: pe multicast PE(0,2) finish=6 instructions=1
  // CHECK-NEXT: pe multicast PE(2,1) finish=7 instructions=1
  dfa.phase @multicast {
    dfa.pe (0, 0) {
      dfa.inst mov(n = 8, dst = out[1], a = lm[0])
    }
    dfa.pe (0, 2) {
      dfa.inst mov(n = 8, dst = lm[10], a = in0)
    }
    dfa.pe (2, 1) {
      dfa.inst mov(n = 8, dst = lm[10], a = in3)
    }
    dfa.pe (0, 1) {
      dfa.inst mov(n = 8, dst = lm[10], a = in2)
    }
    dfa.route pe(0, 0, out1) -> [pe(0, 2, in0), pe(2, 1, in3), pe(0, 1, in2)] via [(0, 0) -> (0, 1), (0, 1) -> (0, 2), (0, 1) -> (1, 1), (1, 1) -> (2, 1)]
  }
}
