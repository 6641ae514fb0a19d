//===- Pipeline.cpp - The bfly-compile pass pipeline ------------*- C++ -*-===//
//
// bfly-compile: hybrid-sparsity selection, decomposition, multilayer tiling
// and PE mapping as one pipeline with the union of their options.
//
//===----------------------------------------------------------------------===//

#include "butterfly/Compiler/Registration.h"

#include "butterfly/Arch/Arch.h"

#include "butterfly/Conversion/Passes.h"
#include "butterfly/Dialect/Butterfly/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/ADT/bit.h"

using namespace mlir;

namespace {
struct CompileOptions : public PassPipelineOptions<CompileOptions> {
  Option<std::string> arch{
      *this, "arch", llvm::cl::desc("Arch JSON (default: built-in 16x16)"),
      llvm::cl::init("")};
  Option<std::string> dataflow{*this, "dataflow",
                               llvm::cl::desc("multilayer | layer-by-layer"),
                               llvm::cl::init("multilayer")};
  Option<std::string> policy{
      *this, "policy",
      llvm::cl::desc("Sparsity policy: manual (default: realise the "
                     "model's #bfly.sparsity marks) | fabnet | cost | dense"),
      llvm::cl::init("manual")};
  Option<int64_t> attentionLayers{
      *this, "attention-layers",
      llvm::cl::desc("Layers that keep attention (-1: the policy's default)"),
      llvm::cl::init(-1)};
  Option<std::string> layout{*this, "layout",
                             llvm::cl::desc("top | bottom | middle"),
                             llvm::cl::init("top")};
  Option<std::string> report{
      *this, "report",
      llvm::cl::desc("Write the sparsity decisions as JSON to this file"),
      llvm::cl::init("")};
};
} // namespace

void butterfly::buildCompilePipeline(OpPassManager &pm,
                                     const CompileOptionsView &options) {
  bfly::BflyHybridSparsityOptions sparsity;
  sparsity.policyName = options.policy;
  sparsity.attentionLayers = options.attentionLayers;
  sparsity.layout = options.layout;
  sparsity.archFile = options.arch;
  sparsity.reportFile = options.report;
  pm.addPass(bfly::createBflyHybridSparsity(sparsity));
  // Transforms whose complex row, bit reversal and twiddle table would not
  // fit a PE's local memory (4 words per point) are split in four steps.
  // An arch that does not load is reported by the passes that read it.
  bfly::BflyDecomposeOptions decompose;
  llvm::Expected<arch::Arch> target =
      options.arch.empty() ? arch::Arch() : arch::loadArch(options.arch);
  if (target)
    decompose.maxFftLength =
        llvm::bit_floor(uint64_t(target->localMemBytes / 16));
  else
    llvm::consumeError(target.takeError());
  // The multilayer dataflow runs attention fused where the arch allows; the
  // layer-by-layer baseline keeps it op by op.
  decompose.fuseAttention = options.dataflow == "multilayer";
  decompose.archFile = options.arch;
  pm.addNestedPass<func::FuncOp>(bfly::createBflyDecompose(decompose));
  // Folds the slices and reshapes of constant twiddles into constants.
  pm.addPass(createCanonicalizerPass());
  BflyMultilayerTilingOptions tiling;
  tiling.archFile = options.arch;
  tiling.dataflow = options.dataflow;
  pm.addPass(createBflyMultilayerTiling(tiling));
  BflyPeMappingOptions mapping;
  mapping.archFile = options.arch;
  pm.addPass(createBflyPeMapping(mapping));
}

void butterfly::registerCompilePipeline() {
  PassPipelineRegistration<CompileOptions>(
      "bfly-compile",
      "The whole compiler: sparsity selection, decomposition, multilayer "
      "tiling and PE mapping, from bfly IR to a dfa.program",
      [](OpPassManager &pm, const CompileOptions &options) {
        buildCompilePipeline(pm, {options.arch, options.dataflow,
                                  options.policy, options.attentionLayers,
                                  options.layout, options.report});
      });
}
