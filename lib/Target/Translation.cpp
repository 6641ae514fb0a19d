//===- Translation.cpp - dfa <-> bitstream translations ---------*- C++ -*-===//
//
// dfa.program -> Program -> .bfbin bytes and back. The dfa dialect mirrors the
// Program field by field and the codec is deterministic, so
// bitstream -> dfa -> bitstream is byte-identical.
//
//===----------------------------------------------------------------------===//

#include "butterfly/Target/Translation.h"

#include "butterfly/Bitstream/Codec.h"
#include "butterfly/Dialect/Dataflow/DfaDialect.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace butterfly;

static LogicalResult dfaToBitstream(Operation *op, llvm::raw_ostream &os) {
  auto module = dyn_cast<ModuleOp>(op);
  SmallVector<dfa::ProgramOp> programs;
  if (module)
    programs = llvm::to_vector(module.getOps<dfa::ProgramOp>());
  if (programs.size() != 1)
    return op->emitError("--dfa-to-bitstream expects a module with exactly "
                         "one dfa.program, found ")
           << programs.size();
  FailureOr<bitstream::Program> program = dfa::toProgram(programs.front());
  if (failed(program))
    return failure();
  llvm::Expected<std::string> bytes = bitstream::writeBitstream(*program);
  if (!bytes)
    return programs.front().emitError("cannot encode the bitstream: ")
           << llvm::toString(bytes.takeError());
  os << *bytes;
  return success();
}

static OwningOpRef<Operation *> bitstreamToDfa(llvm::SourceMgr &sourceMgr,
                                               MLIRContext *context) {
  const llvm::MemoryBuffer *buffer =
      sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  llvm::Expected<bitstream::Program> program =
      bitstream::readBitstream(buffer->getBuffer(), /*expectedArch=*/nullptr,
                               buffer->getBufferIdentifier());
  Location loc =
      FileLineColLoc::get(context, buffer->getBufferIdentifier(), 0, 0);
  if (!program) {
    emitError(loc) << llvm::toString(program.takeError());
    return {};
  }
  context->loadDialect<dfa::DfaDialect>();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  dfa::fromProgram(*program, *module, loc);
  return OwningOpRef<Operation *>(module.release());
}

void butterfly::registerButterflyTranslations() {
  static TranslateFromMLIRRegistration toBitstream(
      "dfa-to-bitstream", "Encode a dfa.program as a .bfbin bitstream",
      dfaToBitstream,
      [](DialectRegistry &registry) { registry.insert<dfa::DfaDialect>(); });
  static TranslateToMLIRRegistration fromBitstream(
      "bitstream-to-dfa", "Decode a .bfbin bitstream into a dfa.program",
      bitstreamToDfa,
      [](DialectRegistry &registry) { registry.insert<dfa::DfaDialect>(); });
}
