// Every elementwise, unary, reduction, move and control instruction on one
// PE of the default arch (lanes 4, alu 1, exp = rcp = rsqrt 8, 2 LM banks of
// 2048 words, 16 config bytes per cycle), one instruction per phase so that
// each phase's execution cycles are that instruction's cycles. The inputs
// stream in through west edge 0 (@load), local memory persists across the
// phases, and @store streams the results back. Values are compared with
// NumPy (Inputs/cases.py isa_elementwise); cycles with the hand derivations
// of docs/architecture.md sections 3, 4 and 7 written next to each CHECK.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/cases.py isa_elementwise %t
// RUN: butterfly-translate --dfa-to-bitstream %s -o %t/p.bfbin
// RUN: butterfly-sim %t/p.bfbin --input %t/in0.npy --input %t/in1.npy \
// RUN:   --output-dir %t/out --stats %t/stats.json --trace %t/trace.json \
// RUN:   --expect %t/expected --rtol 1e-6 --atol 1e-6
// RUN: %python %S/Inputs/summary.py %t/stats.json %t/trace.json | FileCheck %s

// Local memory: x at lm[0..16) (bank 0), y at lm[2048..2064) (bank 1);
// results in lm[100..350), all in bank 0.
dfa.program @isa_elementwise attributes {arch = #dfa.arch<{}>, dram_words = 512 : i64} {
  dfa.buffer @in offset 0 size 32
  dfa.buffer @out offset 32 size 250
  dfa.input @x dram 0 : tensor<16xf32>
  dfa.input @y dram 16 : tensor<16xf32>
  dfa.output @r dram 64 : tensor<250xf32>

  // Config: 3 instructions (96; an explicit halt is an instruction) + route
  // 8*(1+1) + 4*1 (20) + 2 DMAs of one dim 2*(32+24) (112) = 228 bytes ->
  // ceil(228/16) = 15 cycles.
  // Execution: 32 words = 128 B from DRAM: ceil(128/51.2) = 3 + 100 = 103,
  // so the data lands at 103. gb->edge pushes flit k (k < 8) at 103+k,
  // visible and injected at 104+k, in PE(0,0).in0 at 105+k (1 hop). The
  // first mov takes flits 0-3 in beats 105..108 and holds the datapath at
  // 109 (alu 1); the second issues at 110 and takes flits 4-7 (in by
  // 109..112) in beats 110..113: + 1 + 1 -> 115.
  // Totals (the phases below): configuration 15 + 2*5 + 7 + 2*5 + 2*2 + 2 +
  // 2 + 4 + 6 + 4 + 8 + 6 + 10 + 11 = 99 and execution 115 + 5*5 + 9 +
  // 12*5 + 7 + 7 + 9 + 3 + 9 + 19 + 6 + 2 + 3 + 12 + 185 = 471: 570 cycles.
  // flops 16*5 + 32 + 16*5 + 16 + 13 + 16 + 16 + 4 + 12 = 269; flit-hops:
  // 8 flits in + 63 out, 1 link each; DRAM 128 + 1000 bytes.
  // CHECK: total cycles=570 flops=269 noc_flit_hops=71 dram_bytes=1128
  // CHECK: phase load config_bytes=228 config_cycles=15 cycles=115 flops=0
  // CHECK-NEXT: pe load PE(0,0) finish=115 instructions=2
  dfa.phase @load {
    dfa.pe (0, 0) {
      dfa.inst mov(n = 16, dst = lm[0], a = in0)
      dfa.inst mov(n = 16, dst = lm[2048], a = in0)
      dfa.inst halt
    }
    dfa.route west(0) -> [pe(0, 0, in0)] via [(0, -1) -> (0, 0)]
    dfa.dma dram_to_gb dram 0 gb 0 dims [[32, 1, 1]]
    dfa.dma gb_to_edge gb 0 edge west(0) dims [[32, 0, 1]] after [0]
  }

  // One instruction: 32 bytes -> 2 config cycles. Sources in different
  // banks: f = 1; ceil(16/4) = 4 beats + alu 1 = 5.
  // CHECK: phase vadd config_bytes=32 config_cycles=2 cycles=5 flops=16
  dfa.phase @vadd {
    dfa.pe (0, 0) {
      dfa.inst vadd(n = 16, dst = lm[100], a = lm[0], b = lm[2048])
    }
  }
  // CHECK: phase vsub config_bytes=32 config_cycles=2 cycles=5 flops=16
  dfa.phase @vsub {
    dfa.pe (0, 0) {
      dfa.inst vsub(n = 16, dst = lm[116], a = lm[0], b = lm[2048])
    }
  }
  // CHECK: phase vmul config_bytes=32 config_cycles=2 cycles=5 flops=16
  dfa.phase @vmul {
    dfa.pe (0, 0) {
      dfa.inst vmul(n = 16, dst = lm[132], a = lm[0], b = lm[2048])
    }
  }
  // An immediate is read once: f = 1; 4 + 1 = 5.
  // CHECK: phase vmax_imm config_bytes=32 config_cycles=2 cycles=5 flops=16
  dfa.phase @vmax_imm {
    dfa.pe (0, 0) {
      dfa.inst vmax(n = 16, dst = lm[148], a = lm[0], b = imm 2.500000e-01)
    }
  }
  // Stride 0 broadcasts y[2]; a broadcast does not count for f: 4 + 1 = 5.
  // CHECK: phase vmin_bcast config_bytes=32 config_cycles=2 cycles=5 flops=16
  dfa.phase @vmin_bcast {
    dfa.pe (0, 0) {
      dfa.inst vmin(n = 16, dst = lm[164], a = lm[0], b = lm[2050, 0])
    }
  }
  // vfma: d += a*b with d preset by an LM image of 1..16. Config: 32 +
  // (8 + 4*16) = 104 -> ceil(104/16) = 7. The destination is read, so it
  // counts as a source: d and a both start in bank 0, f = 2: 4*2 + 1 = 9.
  // flops 2n = 32.
  // CHECK: phase vfma config_bytes=104 config_cycles=7 cycles=9 flops=32
  dfa.phase @vfma {
    dfa.pe (0, 0) {
      dfa.init 180 dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0]> : tensor<16xf32>
      dfa.inst vfma(n = 16, dst = lm[180], a = lm[0], b = lm[2048])
    }
  }
  // Transcendentals: 4 beats + exp latency 8 = 12 (vtanh and verf use the
  // exp unit; vrcp and vrsqrt their own latencies of 8).
  // CHECK: phase vexp config_bytes=32 config_cycles=2 cycles=12 flops=16
  dfa.phase @vexp {
    dfa.pe (0, 0) {
      dfa.inst vexp(n = 16, dst = lm[196], a = lm[0])
    }
  }
  // CHECK: phase vtanh config_bytes=32 config_cycles=2 cycles=12 flops=16
  dfa.phase @vtanh {
    dfa.pe (0, 0) {
      dfa.inst vtanh(n = 16, dst = lm[212], a = lm[0])
    }
  }
  // CHECK: phase verf config_bytes=32 config_cycles=2 cycles=12 flops=16
  dfa.phase @verf {
    dfa.pe (0, 0) {
      dfa.inst verf(n = 16, dst = lm[228], a = lm[0])
    }
  }
  // CHECK: phase vrcp config_bytes=32 config_cycles=2 cycles=12 flops=16
  dfa.phase @vrcp {
    dfa.pe (0, 0) {
      dfa.inst vrcp(n = 16, dst = lm[244], a = lm[2048])
    }
  }
  // CHECK: phase vrsqrt config_bytes=32 config_cycles=2 cycles=12 flops=16
  dfa.phase @vrsqrt {
    dfa.pe (0, 0) {
      dfa.inst vrsqrt(n = 16, dst = lm[260], a = lm[2048])
    }
  }
  // Reductions: 4 beats + alu 1 + log2 4 = 7. reduce.max over 13 elements
  // still takes ceil(13/4) = 4 beats.
  // CHECK: phase reduce_sum config_bytes=32 config_cycles=2 cycles=7 flops=16
  dfa.phase @reduce_sum {
    dfa.pe (0, 0) {
      dfa.inst reduce.sum(n = 16, dst = lm[276], a = lm[0])
    }
  }
  // CHECK: phase reduce_max config_bytes=32 config_cycles=2 cycles=7 flops=13
  dfa.phase @reduce_max {
    dfa.pe (0, 0) {
      dfa.inst reduce.max(n = 13, dst = lm[277], a = lm[2048])
    }
  }
  // A negative stride reverses x; both sources start in bank 0: f = 2,
  // 4*2 + 1 = 9.
  // CHECK: phase vadd_reversed config_bytes=32 config_cycles=2 cycles=9 flops=16
  dfa.phase @vadd_reversed {
    dfa.pe (0, 0) {
      dfa.inst vadd(n = 16, dst = lm[278], a = lm[0], b = lm[15, -1])
    }
  }
  // mov lm -> lm with stride 2: 2 beats + 1 = 3, no flops.
  // CHECK: phase mov_strided config_bytes=32 config_cycles=2 cycles=3 flops=0
  dfa.phase @mov_strided {
    dfa.pe (0, 0) {
      dfa.inst mov(n = 8, dst = lm[294], a = lm[0, 2])
    }
  }
  // loop (1 cycle, once) + 4 iterations of vmul n=4 (1 beat + 1): 1 + 4*2 =
  // 9. inc0 = 4 steps both operands by a flit. 2 instructions -> 4 config
  // cycles.
  // CHECK: phase loop_inc config_bytes=64 config_cycles=4 cycles=9 flops=16
  dfa.phase @loop_inc {
    dfa.pe (0, 0) {
      dfa.inst loop(p0 = 4, p1 = 1)
      dfa.inst vmul(n = 4, dst = lm[302, 1, 4, 0], a = lm[2048, 1, 4, 0], b = imm 3.000000e+00)
    }
  }
  // Nested loops, inc0 (inner, i0 < 4) and inc1 (outer, i1 < 2): z[2*i0 +
  // i1] = x[4*i1 + i0], the transpose of x[0:8] as 2x4. The outer loop
  // issues once (1); each of its 2 iterations issues the inner loop (1) and
  // 4 movs of 1 beat + 1: 1 + 2*(1 + 4*2) = 19. 96 bytes -> 6.
  // CHECK: phase loop_nest config_bytes=96 config_cycles=6 cycles=19 flops=0
  dfa.phase @loop_nest {
    dfa.pe (0, 0) {
      dfa.inst loop(p0 = 2, p1 = 2)
      dfa.inst loop(p0 = 4, p1 = 1)
      dfa.inst mov(n = 1, dst = lm[318, 1, 2, 1], a = lm[0, 1, 1, 4])
    }
  }
  // Read-before-write: copy x[0:8] (2 beats + 1 = 3), then shift it by one
  // word in place (3): 6.
  // CHECK: phase shift_in_place config_bytes=64 config_cycles=4 cycles=6 flops=0
  dfa.phase @shift_in_place {
    dfa.pe (0, 0) {
      dfa.inst mov(n = 8, dst = lm[326], a = lm[0])
      dfa.inst mov(n = 7, dst = lm[327], a = lm[326])
    }
  }
  // halt stops the PE: the second vadd never runs, so lm[338..342) keeps its
  // image (7.0). 3 instructions + an image of 4 words: 96 + 8 + 16 = 120 ->
  // ceil(120/16) = 8. vadd n=4: 1 beat + 1 = 2; halt takes no cycle.
  // CHECK: phase halt config_bytes=120 config_cycles=8 cycles=2 flops=4
  // CHECK-NEXT: pe halt PE(0,0) finish=2 instructions=1
  dfa.phase @halt {
    dfa.pe (0, 0) {
      dfa.init 338 dense<7.000000e+00> : tensor<4xf32>
      dfa.inst vadd(n = 4, dst = lm[334], a = lm[0], b = imm 1.000000e+00)
      dfa.inst halt
      dfa.inst vadd(n = 4, dst = lm[338], a = lm[0], b = imm 1.000000e+00)
    }
  }
  // nop: 1 cycle each.
  // CHECK: phase nop config_bytes=96 config_cycles=6 cycles=3 flops=0
  dfa.phase @nop {
    dfa.pe (0, 0) {
      dfa.inst nop
      dfa.inst nop
      dfa.inst nop
    }
  }
  // barrier: PE(0,0) runs vexp n=4 (1 + 8 = 9 cycles) and reaches the
  // barrier at 9; PE(0,1) waits there from cycle 0. Both continue at 10 with
  // a vadd n=4 (2 cycles) and finish at 12. Config 5 instructions = 160 ->
  // 10.
  // CHECK: phase barrier config_bytes=160 config_cycles=10 cycles=12 flops=12
  // CHECK-NEXT: pe barrier PE(0,0) finish=12 instructions=3
  // CHECK-NEXT: pe barrier PE(0,1) finish=12 instructions=2
  dfa.phase @barrier {
    dfa.pe (0, 0) {
      dfa.inst vexp(n = 4, dst = lm[342], a = lm[0])
      dfa.inst barrier
      dfa.inst vadd(n = 4, dst = lm[346], a = lm[342], b = imm 1.000000e+00)
    }
    dfa.pe (0, 1) {
      dfa.inst barrier
      dfa.inst vadd(n = 4, dst = lm[0], a = lm[0], b = imm 1.000000e+00)
    }
  }
  // lm[100..350) = 250 words -> out0: 63 flits, the last padded with two
  // zeros that the edge->gb DMA (250 elements) ignores. Config: 1
  // instruction (32) + route (20) + 2 DMAs (112) = 164 -> 11. Execution:
  // beat k (flit k) in cycle k, visible and injected at k+1, at the edge at
  // k+2 (1 hop), popped by edge->gb then: the last (k = 62) at 64, so the
  // DMA ends at 65. gb->dram (1000 B) starts at 65: ceil(65 + 1000/51.2) =
  // ceil(84.53) = 85, + 100 = 185. The PE: beat 62 + 1 + alu 1 = 64.
  // CHECK: phase store config_bytes=164 config_cycles=11 cycles=185 flops=0
  // CHECK-NEXT: pe store PE(0,0) finish=64 instructions=1
  dfa.phase @store {
    dfa.pe (0, 0) {
      dfa.inst mov(n = 250, dst = out[0], a = lm[100])
    }
    dfa.route pe(0, 0, out0) -> [west(0)] via [(0, 0) -> (0, -1)]
    dfa.dma edge_to_gb gb 32 edge west(0) dims [[250, 0, 1]]
    dfa.dma gb_to_dram dram 64 gb 32 dims [[250, 1, 1]] after [0]
  }
}
