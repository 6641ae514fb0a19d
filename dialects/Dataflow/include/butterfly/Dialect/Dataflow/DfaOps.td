//===- DfaOps.td - The dfa dialect -------------------------*- tablegen -*-===//
//
// The array-level IR: what the dataflow array executes, one op per field of
// the bitstream (include/butterfly/Bitstream/Program.h), so that
// dfa <-> bitstream is a 1:1 translation.
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_DIALECT_DFA_OPS_TD
#define BUTTERFLY_DIALECT_DFA_OPS_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

def Dfa_Dialect : Dialect {
  let name = "dfa";
  let cppNamespace = "::butterfly::dfa";
  let summary = "The coarse-grained reconfigurable dataflow array";
  let description = [{
    A `dfa.program` is everything the array is configured with: the target
    arch, global-buffer allocations, constants, the I/O signature and a
    sequence of `dfa.phase`s (configuration epochs). A phase holds the
    program of each active PE (`dfa.pe`: instructions and local-memory
    images), the circuit-switched streams of the mesh (`dfa.route`) and the
    DMA transfers (`dfa.dma`). The instruction set, its timing and encoding
    are in docs/architecture.md; the bitstream in docs/bitstream.md.

    ```mlir
    dfa.program @double attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 32 : i64} {
      dfa.buffer @in offset 0 size 16
      dfa.buffer @out offset 16 size 16
      dfa.input @x dram 0 : tensor<16xf32>
      dfa.output @y dram 16 : tensor<16xf32>
      dfa.phase @main {
        dfa.pe (0, 0) {
          dfa.inst mov(n = 16, dst = lm[0], a = in0)
          dfa.inst vadd(n = 16, dst = out[1], a = lm[0], b = lm[0])
          dfa.inst halt
        }
        dfa.route west(0) -> [pe(0, 0, in0)] via [(0, -1) -> (0, 0)]
        dfa.route pe(0, 0, out1) -> [west(0)] via [(0, 0) -> (0, -1)]
        dfa.dma dram_to_gb dram 0 gb 0 dims [[16, 1, 1]]
        dfa.dma gb_to_edge gb 0 edge west(0) dims [[16, 0, 1]] after [0]
        dfa.dma edge_to_gb gb 16 edge west(0) dims [[16, 0, 1]]
        dfa.dma gb_to_dram dram 16 gb 16 dims [[16, 1, 1]] after [2]
      }
    }
    ```
  }];
  let useDefaultAttributePrinterParser = 1;
}

def Dfa_ArchAttr : AttrDef<Dfa_Dialect, "Arch"> {
  let mnemonic = "arch";
  let summary = "The array parameters a program is compiled for";
  let description = [{
    The keys and values of the arch JSON (docs/arch.md), as a dictionary.
    Keys that are absent take their defaults; the values are validated like
    an arch file.

    ```mlir
    #dfa.arch<{name = "tiny", rows = 4 : i64, cols = 4 : i64, lanes = 4 : i64}>
    ```
  }];
  let parameters = (ins "::mlir::DictionaryAttr":$params);
  let assemblyFormat = "`<` $params `>`";
}

def Dfa_F32ElementsAttr : FloatElementsAttr<32>;

class Dfa_Op<string mnemonic, list<Trait> traits = []>
    : Op<Dfa_Dialect, mnemonic, traits>;

def Dfa_ProgramOp : Dfa_Op<"program", [Symbol, SymbolTable, NoTerminator,
                                      SingleBlock, IsolatedFromAbove]> {
  let summary = "A whole configuration of the array";
  let description = [{
    Holds the global-buffer buffers, constants, inputs, outputs and phases,
    in any order (phases run in the order they appear). `dram_words` is the
    DRAM the program addresses. The verifier checks the whole program
    against the arch: instruction slots, local memory, ports, links (one
    stream per link direction per phase), buffer and DRAM ranges — each
    error names the phase and the PE, link or DMA.

    ```mlir
    dfa.program @p attributes {arch = #dfa.arch<{rows = 4 : i64, cols = 4 : i64}>, dram_words = 0 : i64} {
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, Dfa_ArchAttr:$arch,
                       I64Attr:$dram_words);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$sym_name attr-dict-with-keyword $body";
  // Checked after the nested ops, which the whole-program check reads.
  let hasRegionVerifier = 1;
}

def Dfa_BufferOp : Dfa_Op<"buffer", [HasParent<"ProgramOp">, Symbol]> {
  let summary = "A global-buffer allocation";
  let description = [{
    `size` words at word `offset` of the global buffer.

    ```mlir
    dfa.buffer @tile offset 0 size 1024
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, I64Attr:$offset,
                       I64Attr:$size);
  let assemblyFormat = "$sym_name `offset` $offset `size` $size attr-dict";
}

def Dfa_ConstantOp : Dfa_Op<"constant", [HasParent<"ProgramOp">, Symbol]> {
  let summary = "Data placed in DRAM or the global buffer at load time";
  let description = [{
    Weights and twiddles: `data` is written at word `addr` of `dram` or `gb`
    when the program is loaded.

    ```mlir
    dfa.constant @twiddles dram 64 dense<[1.0, 0.0, 1.0, 0.0]> : tensor<4xf32>
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, StrAttr:$space,
                       I64Attr:$addr, Dfa_F32ElementsAttr:$data);
  let assemblyFormat = "$sym_name custom<MemSpace>($space) $addr $data attr-dict";
  let hasVerifier = 1;
}

class Dfa_TensorSigOp<string mnemonic, string what>
    : Dfa_Op<mnemonic, [HasParent<"ProgramOp">, Symbol]> {
  let summary = "A program " # what # " in DRAM";
  let description = [{
    A row-major tensor at word `addr` of DRAM (complex values interleaved);
    inputs and outputs are numbered in the order they appear.

    ```mlir
    dfa.}] # mnemonic # [{ @x dram 0 : tensor<4x16xf32>
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, I64Attr:$addr,
                       TypeAttrOf<AnyRankedTensor>:$type);
  let assemblyFormat = "$sym_name `dram` $addr attr-dict `:` $type";
  let hasVerifier = 1;
}

def Dfa_InputOp : Dfa_TensorSigOp<"input", "input">;
def Dfa_OutputOp : Dfa_TensorSigOp<"output", "output">;

def Dfa_PhaseOp : Dfa_Op<"phase", [HasParent<"ProgramOp">, Symbol,
                                  NoTerminator, SingleBlock]> {
  let summary = "One configuration epoch of the array";
  let description = [{
    The PE programs, routes and DMAs active together. Switching to a phase
    costs its configuration bytes; a phase ends when every PE has halted and
    every DMA has finished.

    ```mlir
    dfa.phase @stage0 {
      dfa.pe (0, 0) {
        dfa.inst halt
      }
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$sym_name attr-dict-with-keyword $body";
}

def Dfa_PeOp : Dfa_Op<"pe", [HasParent<"PhaseOp">, NoTerminator,
                            SingleBlock]> {
  let summary = "The program of one PE in a phase";
  let description = [{
    The instruction memory (the `dfa.inst` ops, in order) and the
    local-memory images (`dfa.init`) of PE (`row`, `col`).

    ```mlir
    dfa.pe (1, 2) {
      dfa.init 0 dense<[1.0, 2.0]> : tensor<2xf32>
      dfa.inst mov(n = 2, dst = out[0], a = lm[0])
      dfa.inst halt
    }
    ```
  }];
  let arguments = (ins I64Attr:$row, I64Attr:$col);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "` ` `(` $row `,` $col `)` attr-dict-with-keyword $body";
}

def Dfa_InitOp : Dfa_Op<"init", [HasParent<"PeOp">]> {
  let summary = "Local-memory contents loaded with the phase";
  let description = [{
    ```mlir
    dfa.init 64 dense<[0.5, 0.25]> : tensor<2xf32>
    ```
  }];
  let arguments = (ins I64Attr:$addr, Dfa_F32ElementsAttr:$data);
  let assemblyFormat = "$addr $data attr-dict";
  let hasVerifier = 1;
}

def Dfa_InstOp : Dfa_Op<"inst", [HasParent<"PeOp">]> {
  let summary = "One PE instruction";
  let description = [{
    An instruction of the PE instruction set (docs/architecture.md):
    the mnemonic, then in parentheses the non-zero fields among `n`, `p0`,
    `p1`, `flags` and the operands `dst`, `a`, `b`. An operand is a local-memory range
    `lm[base, stride]` or `lm[base, stride, inc0, inc1]` (per-iteration
    increments of the two innermost hardware loops), an in-port `in0`..`in3`
    (sources), a set of out-ports `out[0, 2]` (destination multicast), or an
    immediate `imm 1.5`.

    ```mlir
    dfa.inst loop(p0 = 8, p1 = 2)
    dfa.inst vfma(n = 16, dst = lm[0, 1, 16, 0], a = in0, b = imm 0.5)
    dfa.inst bfly(n = 256, p0 = 64, flags = 1, dst = out[1], a = in0, b = lm[512, 1])
    dfa.inst halt
    ```
  }];
  let arguments = (ins I64Attr:$opcode, I64Attr:$flags, I64Attr:$n,
                       I64Attr:$p0, I64Attr:$p1,
                       DenseI64ArrayAttr:$dst, DenseI64ArrayAttr:$a,
                       DenseI64ArrayAttr:$b, F32Attr:$dst_imm,
                       F32Attr:$a_imm, F32Attr:$b_imm);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
}

def Dfa_RouteOp : Dfa_Op<"route", [HasParent<"PhaseOp">]> {
  let summary = "A circuit-switched stream through the mesh";
  let description = [{
    From a source (a PE out-port, or a west/north edge port of the global
    buffer) to one or more destinations (PE in-ports or edge ports) along
    directed links that form a tree rooted at the source (multicast when it
    branches). Links join mesh neighbours, or PEs 2^k apart on a row or
    column when the arch has express links.

    ```mlir
    dfa.route pe(0, 0, out1) -> [pe(0, 1, in3), pe(1, 1, in0)] via [(0, 0) -> (0, 1), (0, 1) -> (1, 1)]
    ```
  }];
  let arguments = (ins DenseI64ArrayAttr:$src, DenseI64ArrayAttr:$dsts,
                       DenseI64ArrayAttr:$links);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
}

def Dfa_DmaOp : Dfa_Op<"dma", [HasParent<"PhaseOp">]> {
  let summary = "A DMA transfer";
  let description = [{
    `dram_to_gb` / `gb_to_dram` move words between DRAM and the global
    buffer; `gb_to_edge` / `edge_to_gb` stream words between the global
    buffer and an edge port. `dims` lists `[size, dram_stride, gb_stride]`
    per dimension, outermost first. A DMA starts when the DMAs listed in
    `after` (indices of earlier DMAs of the phase) have finished.

    ```mlir
    dfa.dma dram_to_gb dram 0 gb 0 dims [[4, 16, 32], [16, 1, 1]]
    dfa.dma gb_to_edge gb 0 edge north(2) dims [[64, 0, 1]] after [0]
    ```
  }];
  let arguments = (ins I64Attr:$kind, I64Attr:$dram_addr, I64Attr:$gb_addr,
                       DenseI64ArrayAttr:$edge, DenseI64ArrayAttr:$dims,
                       DenseI64ArrayAttr:$wait_for);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
}

#endif // BUTTERFLY_DIALECT_DFA_OPS_TD
