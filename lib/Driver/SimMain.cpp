//===- SimMain.cpp - The butterfly-sim command line -------------*- C++ -*-===//
//
// Reads .npy inputs, runs a bitstream on the cycle-level simulator or a model
// on the reference interpreter, writes the outputs (and stats and trace)
// atomically and optionally compares them with expected outputs.
// Every failure is a one-line diagnostic and exit code 1; no output file is
// left half-written and no input is ever overwritten.
//
//===----------------------------------------------------------------------===//

#include "butterfly/Driver/SimMain.h"

#include "butterfly/Bitstream/Codec.h"
#include "butterfly/Compiler/Registration.h"
#include "butterfly/Reference/Interpreter.h"
#include "butterfly/Sim/Simulator.h"
#include "butterfly/Support/Npy.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/Timer.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>

using namespace butterfly;
namespace cl = llvm::cl;

namespace {

int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "butterfly-sim") << message << "\n";
  return 1;
}

int fail(llvm::Error error) {
  std::string message = llvm::toString(std::move(error));
  return fail(message);
}

std::string outputPath(llvm::StringRef dir, size_t index) {
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, "out" + std::to_string(index) + ".npy");
  return std::string(path);
}

/// Min, max and mean of the (real parts of the) elements, for the summary.
void printSummary(llvm::raw_ostream &os, const Tensor &tensor) {
  size_t stride = tensor.isComplex() ? 2 : 1;
  double minValue = 0, maxValue = 0, sum = 0;
  for (size_t i = 0; i < tensor.data.size(); i += stride) {
    double value = tensor.data[i];
    minValue = i == 0 ? value : std::min(minValue, value);
    maxValue = i == 0 ? value : std::max(maxValue, value);
    sum += value;
  }
  int64_t count = tensor.numElements();
  os << tensor.typeString() << "  min " << llvm::format("%.6g", minValue)
     << "  max " << llvm::format("%.6g", maxValue) << "  mean "
     << llvm::format("%.6g", count ? sum / count : 0.0);
}

/// What both modes share: the command line's files and tolerances.
struct RunOptions {
  std::vector<std::string> inputs;
  std::string outputDir, expectDir, statsFile, traceFile;
  double rtol = 0, atol = 0;
};

llvm::Expected<std::vector<Tensor>> readInputs(const RunOptions &options) {
  std::vector<Tensor> tensors;
  for (const std::string &path : options.inputs) {
    llvm::Expected<Tensor> tensor = readNpy(path);
    if (!tensor)
      return tensor.takeError();
    tensors.push_back(std::move(*tensor));
  }
  return tensors;
}

/// Writes the outputs and any extra files (stats, trace) atomically, all or
/// nothing, refusing to overwrite an input; prints one line per output; then
/// compares with --expect. Returns the exit code.
int finish(const RunOptions &options, llvm::ArrayRef<Tensor> results,
           std::vector<std::pair<std::string, std::string>> extraFiles) {
  if (std::error_code ec = llvm::sys::fs::create_directories(options.outputDir))
    return fail("cannot create output directory '" + options.outputDir +
                "': " + ec.message());
  std::vector<std::pair<std::string, std::string>> files;
  for (auto [index, tensor] : llvm::enumerate(results))
    files.emplace_back(outputPath(options.outputDir, index),
                       serializeNpy(tensor));
  llvm::append_range(files, extraFiles);
  for (const auto &[path, contents] : files)
    for (const std::string &input : options.inputs)
      if (llvm::sys::fs::equivalent(path, input))
        return fail("output '" + path + "' would overwrite input '" + input +
                    "'");
  if (llvm::Error error = writeFilesAtomically(files))
    return fail(std::move(error));
  for (auto [index, tensor] : llvm::enumerate(results)) {
    llvm::outs() << "  out" << index << ": ";
    printSummary(llvm::outs(), tensor);
    llvm::outs() << "  -> " << files[index].first << "\n";
  }

  if (options.expectDir.empty())
    return 0;
  bool allMatch = true;
  for (auto [index, tensor] : llvm::enumerate(results)) {
    std::string expectedPath = outputPath(options.expectDir, index);
    llvm::Expected<Tensor> expected = readNpy(expectedPath);
    if (!expected)
      return fail(expected.takeError());
    CompareResult comparison =
        compareTensors(tensor, *expected, options.rtol, options.atol);
    if (!comparison.ok) {
      llvm::WithColor::error(llvm::errs(), "butterfly-sim")
          << "out" << index << " differs from " << expectedPath << ": "
          << comparison.message << "\n";
      allMatch = false;
    }
  }
  if (!allMatch)
    return 1;
  llvm::outs() << "expect: " << results.size() << " outputs match "
               << options.expectDir << " (rtol "
               << llvm::format("%g", options.rtol) << ", atol "
               << llvm::format("%g", options.atol) << ")\n";
  return 0;
}

int runReference(llvm::StringRef modelPath, llvm::StringRef entry,
                 const RunOptions &options) {
  llvm::Expected<std::vector<Tensor>> tensors = readInputs(options);
  if (!tensors)
    return fail(tensors.takeError());

  mlir::DialectRegistry registry;
  registerButterflyDialects(registry);
  mlir::MLIRContext context(registry);
  // Diagnostics point at the source line; a dump of the op adds only noise.
  context.printOpOnDiagnostic(false);
  llvm::SourceMgr sourceMgr;
  mlir::SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(modelPath, sourceMgr,
                                            mlir::ParserConfig(&context));
  // The parser has already reported what is wrong, with its location.
  if (!module)
    return 1;
  mlir::FailureOr<mlir::func::FuncOp> func =
      ref::findEntryFunction(*module, entry);
  if (mlir::failed(func))
    return 1;

  auto start = std::chrono::steady_clock::now();
  mlir::FailureOr<std::vector<Tensor>> results =
      ref::interpret(*func, *tensors, options.inputs);
  if (mlir::failed(results))
    return 1;
  double millis = std::chrono::duration<double, std::milli>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  llvm::outs() << "reference: @" << func->getSymName() << " of " << modelPath
               << " (" << tensors->size() << " inputs, " << results->size()
               << " outputs) in " << llvm::format("%.1f", millis) << " ms\n";
  return finish(options, *results, {});
}

std::string toJsonText(llvm::json::Value value) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", value) << "\n";
  return text;
}

int runBitstream(llvm::StringRef programPath, llvm::StringRef archPath,
                 const RunOptions &options) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(programPath, /*IsText=*/false);
  if (!buffer)
    return fail("cannot read '" + programPath +
                "': " + buffer.getError().message());
  std::optional<arch::Arch> target;
  if (!archPath.empty()) {
    llvm::Expected<arch::Arch> loaded = arch::loadArch(archPath);
    if (!loaded)
      return fail(loaded.takeError());
    target = *loaded;
  }
  llvm::Expected<bitstream::Program> program = bitstream::readBitstream(
      (*buffer)->getBuffer(), target ? &*target : nullptr, programPath);
  if (!program)
    return fail(program.takeError());
  llvm::Expected<std::vector<Tensor>> tensors = readInputs(options);
  if (!tensors)
    return fail(tensors.takeError());

  sim::SimOptions simOptions;
  simOptions.trace = !options.traceFile.empty();
  // The array runs at the target's clock and energy when one is given; the
  // fingerprint check above guarantees the rest matches.
  llvm::Expected<sim::SimResult> result = sim::simulate(
      *program, target ? *target : program->arch, *tensors, simOptions);
  if (!result)
    return fail(result.takeError());

  const sim::SimStats &stats = result->stats;
  llvm::outs() << "simulated " << programPath << ": " << stats.cycles
               << " cycles (" << llvm::format("%.3f", stats.seconds * 1e6)
               << " us at " << llvm::format("%g", stats.clockHz / 1e9)
               << " GHz), " << stats.phases.size() << " phases, PE utilization "
               << llvm::format("%.1f%%", stats.peUtilization * 100)
               << ", energy "
               << llvm::format("%.3f", stats.energyPj.total / 1e6)
               << " uJ, DRAM " << stats.dramBytes << " B\n";
  std::vector<std::pair<std::string, std::string>> extra;
  if (!options.statsFile.empty())
    extra.emplace_back(options.statsFile, toJsonText(sim::statsToJson(stats)));
  if (!options.traceFile.empty())
    extra.emplace_back(options.traceFile,
                       toJsonText(sim::traceToJson(*result)));
  return finish(options, result->outputs, std::move(extra));
}

} // namespace

int butterfly::simMain(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  // LLVM registers a global --stats (pass statistics); butterfly-sim's
  // --stats names the simulator's stats file (DESIGN §7), so it goes first.
  if (cl::Option *llvmStats = cl::getRegisteredOptions().lookup("stats"))
    llvmStats->removeArgument();
  cl::OptionCategory category("butterfly-sim options");
  cl::opt<std::string> program(cl::Positional, cl::desc("[PROGRAM.bfbin]"),
                               cl::cat(category));
  cl::opt<std::string> reference(
      "reference", cl::value_desc("MODEL.mlir"),
      cl::desc("Run a bfly model on the CPU reference interpreter"),
      cl::cat(category));
  cl::list<std::string> inputs(
      "input", cl::value_desc("FILE.npy"),
      cl::desc("An input (.npy, float32 or complex64, C order), in the order "
               "of the entry function's arguments"),
      cl::cat(category));
  cl::opt<std::string> outputDir(
      "output-dir", cl::value_desc("DIR"),
      cl::desc("Where out0.npy, out1.npy, ... are written"), cl::cat(category));
  cl::opt<std::string> entry(
      "entry", cl::value_desc("NAME"),
      cl::desc("Entry function (default: @main, else the only public one)"),
      cl::cat(category));
  cl::opt<std::string> expect(
      "expect", cl::value_desc("DIR"),
      cl::desc("Compare the outputs with DIR/out0.npy, ...; exit 1 naming "
               "the worst element when they differ"),
      cl::cat(category));
  cl::opt<std::string> statsFile(
      "stats", cl::value_desc("FILE.json"),
      cl::desc("Write cycles, utilization, traffic and energy as JSON"),
      cl::cat(category));
  cl::opt<std::string> traceFile(
      "trace", cl::value_desc("FILE.json"),
      cl::desc("Write a Chrome trace-event file (opens in Perfetto)"),
      cl::cat(category));
  cl::opt<std::string> archFile(
      "arch", cl::value_desc("FILE.json"),
      cl::desc("Run on this arch (it must match the bitstream's "
               "fingerprint; clock and energy may differ)"),
      cl::cat(category));
  cl::opt<double> rtol("rtol", cl::init(1e-4),
                       cl::desc("Relative tolerance of --expect"),
                       cl::cat(category));
  cl::opt<double> atol("atol", cl::init(1e-5),
                       cl::desc("Absolute tolerance of --expect"),
                       cl::cat(category));
  cl::HideUnrelatedOptions(category);
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "butterfly-sim: run a model on the reference interpreter, or a "
          "bitstream on the simulated dataflow array\n",
          &llvm::errs()))
    return 1;

  if (outputDir.empty())
    return fail("--output-dir is required");
  if (!(rtol >= 0) || !(atol >= 0))
    return fail("--rtol and --atol must be non-negative");
  RunOptions options;
  options.inputs.assign(inputs.begin(), inputs.end());
  options.outputDir = outputDir;
  options.expectDir = expect;
  options.statsFile = statsFile;
  options.traceFile = traceFile;
  options.rtol = rtol;
  options.atol = atol;
  if (!reference.empty()) {
    if (!program.empty())
      return fail("give either PROGRAM.bfbin or --reference MODEL.mlir, not "
                  "both");
    if (!statsFile.empty() || !traceFile.empty() || !archFile.empty())
      return fail("--stats, --trace and --arch apply to bitstreams, not to "
                  "--reference");
    return runReference(reference, entry, options);
  }
  if (program.empty())
    return fail("nothing to run: give PROGRAM.bfbin or --reference "
                "MODEL.mlir");
  if (!entry.empty())
    return fail("--entry applies to --reference models, not to bitstreams");
  return runBitstream(program, archFile, options);
}
