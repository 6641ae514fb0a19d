//===- Interpreter.cpp - CPU reference interpreter of bfly IR ---*- C++ -*-===//
//
// Walks a function body in order, evaluating each op with the MLIR-free kernels
// of Kernels.h. Every result is checked against its op's type, so a kernel or
// verifier bug surfaces as a diagnostic instead of a wrong answer downstream.
//
//===----------------------------------------------------------------------===//

#include "butterfly/Reference/Interpreter.h"

#include "butterfly/Dialect/Butterfly/BflyOps.h"
#include "butterfly/Reference/Kernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"

#include <complex>

using namespace mlir;
using namespace butterfly;
using namespace butterfly::ref;

FailureOr<func::FuncOp> ref::findEntryFunction(ModuleOp module,
                                               StringRef entryName) {
  if (!entryName.empty()) {
    auto func = module.lookupSymbol<func::FuncOp>(entryName);
    if (!func || func.isExternal())
      return module.emitError("entry function @")
             << entryName << " is not defined in the module";
    return func;
  }
  if (auto main = module.lookupSymbol<func::FuncOp>("main"))
    if (!main.isExternal())
      return main;
  SmallVector<func::FuncOp> publicFuncs;
  for (auto func : module.getOps<func::FuncOp>())
    if (func.isPublic() && !func.isExternal())
      publicFuncs.push_back(func);
  if (publicFuncs.size() == 1)
    return publicFuncs.front();
  InFlightDiagnostic diag =
      module.emitError("no entry function: the module has no @main and ");
  if (publicFuncs.empty())
    return diag << "no public function";
  diag << publicFuncs.size() << " public functions (";
  llvm::interleaveComma(publicFuncs, diag, [&](func::FuncOp func) {
    diag << "@" << func.getSymName();
  });
  return diag << "); choose one with --entry";
}

namespace {

/// The shape and element kind a static tensor type describes, if it is one
/// the kernels handle.
FailureOr<std::pair<ElementKind, std::vector<int64_t>>>
describeType(Type type) {
  auto tensorType = dyn_cast<RankedTensorType>(type);
  if (!tensorType || !tensorType.hasStaticShape())
    return failure();
  Type element = tensorType.getElementType();
  ElementKind kind;
  if (element.isF32())
    kind = ElementKind::F32;
  else if (auto complexType = dyn_cast<ComplexType>(element);
           complexType && complexType.getElementType().isF32())
    kind = ElementKind::Complex64;
  else
    return failure();
  return std::make_pair(kind, std::vector<int64_t>(tensorType.getShape()));
}

bool matchesType(const Tensor &tensor, Type type) {
  FailureOr<std::pair<ElementKind, std::vector<int64_t>>> expected =
      describeType(type);
  return succeeded(expected) && expected->first == tensor.kind &&
         expected->second == tensor.shape;
}

class Interpreter {
public:
  explicit Interpreter(unsigned callDepth = 0) : callDepth(callDepth) {}

  FailureOr<std::vector<Tensor>> run(func::FuncOp func, ArrayRef<Tensor> inputs,
                                     ArrayRef<std::string> inputNames);

private:
  FailureOr<std::vector<Tensor>> evaluate(Operation &op);
  FailureOr<std::vector<Tensor>> evaluateCall(func::CallOp call);
  FailureOr<Tensor> evaluateConstant(arith::ConstantOp op);
  const Tensor &get(Value value) { return values.find(value)->second; }
  const Tensor *getOptional(Value value) {
    return value ? &get(value) : nullptr;
  }

  llvm::DenseMap<Value, Tensor> values;
  /// Guards against unbounded recursion through func.call.
  unsigned callDepth;
  static constexpr unsigned maxCallDepth = 64;
};

} // namespace

FailureOr<std::vector<Tensor>>
Interpreter::run(func::FuncOp func, ArrayRef<Tensor> inputs,
                 ArrayRef<std::string> inputNames) {
  FunctionType type = func.getFunctionType();
  for (Type argType :
       llvm::concat<const Type>(type.getInputs(), type.getResults()))
    if (failed(describeType(argType)))
      return func.emitError("the reference interpreter needs statically "
                            "shaped f32 or complex<f32> tensors, got ")
             << argType;
  if (inputs.size() != type.getNumInputs()) {
    InFlightDiagnostic diag = func.emitError("@")
                              << func.getSymName() << " takes "
                              << type.getNumInputs() << " inputs (";
    llvm::interleaveComma(type.getInputs(), diag,
                          [&](Type input) { diag << input; });
    return diag << "), got " << inputs.size();
  }
  if (!func.getBody().hasOneBlock())
    return func.emitError("the reference interpreter needs a function body "
                          "with one block");

  values.clear();
  for (auto [index, arg] : llvm::enumerate(func.getArguments())) {
    const Tensor &input = inputs[index];
    if (!matchesType(input, arg.getType())) {
      InFlightDiagnostic diag = func.emitError("input ") << index;
      if (index < inputNames.size())
        diag << " (" << inputNames[index] << ")";
      return diag << " is " << input.typeString() << " but @"
                  << func.getSymName() << " expects " << arg.getType();
    }
    values.try_emplace(arg, input);
  }

  for (Operation &op : func.getBody().front()) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      std::vector<Tensor> results;
      for (Value operand : ret.getOperands())
        results.push_back(get(operand));
      return results;
    }
    FailureOr<std::vector<Tensor>> results = evaluate(op);
    if (failed(results))
      return failure();
    for (auto [result, tensor] : llvm::zip_equal(op.getResults(), *results)) {
      if (!matchesType(tensor, result.getType()))
        return op.emitError("internal error: the reference kernel produced ")
               << tensor.typeString() << " for a result of type "
               << result.getType();
      values.try_emplace(result, std::move(tensor));
    }
  }
  return func.emitError("function body has no terminator");
}

FailureOr<Tensor> Interpreter::evaluateConstant(arith::ConstantOp op) {
  auto dense = dyn_cast<DenseElementsAttr>(op.getValue());
  FailureOr<std::pair<ElementKind, std::vector<int64_t>>> described =
      describeType(op.getType());
  if (!dense || failed(described))
    return op.emitError("the reference interpreter supports only dense "
                        "f32 and complex<f32> tensor constants");
  Tensor tensor = Tensor::zeros(described->first, described->second);
  if (tensor.kind == ElementKind::F32) {
    llvm::copy(dense.getValues<float>(), tensor.data.begin());
  } else {
    size_t offset = 0;
    for (std::complex<float> value : dense.getValues<std::complex<float>>()) {
      tensor.data[offset++] = value.real();
      tensor.data[offset++] = value.imag();
    }
  }
  return tensor;
}

FailureOr<std::vector<Tensor>> Interpreter::evaluateCall(func::CallOp call) {
  auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
      call, call.getCalleeAttr());
  if (!callee || callee.isExternal())
    return call.emitError("callee @")
           << call.getCallee() << " has no body to interpret";
  if (callDepth >= maxCallDepth)
    return call.emitError("calls nest deeper than ")
           << maxCallDepth << " levels (recursion?)";
  std::vector<Tensor> arguments;
  for (Value operand : call.getOperands())
    arguments.push_back(get(operand));
  // A fresh interpreter keeps the callee's values apart from the caller's.
  return Interpreter(callDepth + 1).run(callee, arguments, {});
}

FailureOr<std::vector<Tensor>> Interpreter::evaluate(Operation &op) {
  using Results = FailureOr<std::vector<Tensor>>;
  auto one = [](Tensor tensor) -> Results {
    return std::vector<Tensor>{std::move(tensor)};
  };
  return llvm::TypeSwitch<Operation *, Results>(&op)
      .Case<bfly::LinearOp>([&](auto op) {
        return one(linear(get(op.getInput()), get(op.getWeight()),
                          getOptional(op.getBias())));
      })
      .Case<bfly::MatmulOp>([&](auto op) {
        return one(matmul(get(op.getLhs()), get(op.getRhs())));
      })
      .Case<bfly::AddOp>(
          [&](auto op) { return one(add(get(op.getLhs()), get(op.getRhs()))); })
      .Case<bfly::MulOp>(
          [&](auto op) { return one(mul(get(op.getLhs()), get(op.getRhs()))); })
      .Case<bfly::SliceOp>([&](auto op) {
        return one(slice(get(op.getInput()), op.getOffsets(),
                         op.getType().getShape()));
      })
      .Case<bfly::PadOp>(
          [&](auto op) { return one(pad(get(op.getInput()), op.getHigh())); })
      .Case<bfly::ConcatOp>([&](auto op) {
        SmallVector<const Tensor *> inputs;
        for (Value input : op.getInputs())
          inputs.push_back(&get(input));
        return one(concat(inputs, op.getDim()));
      })
      .Case<bfly::ScaleOp>([&](auto op) {
        return one(scale(get(op.getInput()), op.getFactor().convertToDouble()));
      })
      .Case<bfly::SoftmaxOp>([&](auto op) {
        return one(softmax(get(op.getInput()), op.getAxis()));
      })
      .Case<bfly::LayerNormOp>([&](auto op) {
        return one(layerNorm(get(op.getInput()), get(op.getGamma()),
                             get(op.getBeta()),
                             op.getEpsilon().convertToDouble()));
      })
      .Case<bfly::GeluOp>(
          [&](auto op) { return one(gelu(get(op.getInput()), op.getTanh())); })
      .Case<bfly::ReluOp>(
          [&](auto op) { return one(relu(get(op.getInput()))); })
      .Case<bfly::TransposeOp>([&](auto op) {
        return one(transpose(get(op.getInput()), op.getPermutation()));
      })
      .Case<bfly::ReshapeOp>([&](auto op) {
        return one(reshape(get(op.getInput()), op.getType().getShape()));
      })
      .Case<bfly::AttentionOp>([&](auto op) {
        return one(attention(get(op.getQuery()), get(op.getKey()),
                             get(op.getValue()), getOptional(op.getMask()),
                             op.getEffectiveScale(), op.getCausal()));
      })
      .Case<bfly::FourierMixOp>(
          [&](auto op) { return one(fourierMix(get(op.getInput()))); })
      .Case<bfly::FftOp>([&](auto op) {
        return one(fft(get(op.getInput()), op.getDim(), /*inverse=*/false));
      })
      .Case<bfly::IfftOp>([&](auto op) {
        return one(fft(get(op.getInput()), op.getDim(), /*inverse=*/true));
      })
      .Case<bfly::RealOp>(
          [&](auto op) { return one(real(get(op.getInput()))); })
      .Case<bfly::ToComplexOp>([&](auto op) {
        return one(toComplex(get(op.getReal()), getOptional(op.getImag())));
      })
      .Case<bfly::ButterflyLinearOp>([&](auto op) {
        return one(butterflyLinear(get(op.getInput()), get(op.getTwiddles()),
                                   getOptional(op.getBias()),
                                   op.getIncreasingStride(),
                                   op.getOutFeatures()));
      })
      .Case<bfly::ButterflyStageOp>([&](auto op) {
        return one(butterflyStage(get(op.getInput()), get(op.getTwiddles()),
                                  op.getStride()));
      })
      .Case<bfly::BitReverseOp>([&](auto op) {
        return one(bitReverse(get(op.getInput()), op.getDim()));
      })
      .Case<arith::ConstantOp>([&](auto op) -> Results {
        FailureOr<Tensor> tensor = evaluateConstant(op);
        if (failed(tensor))
          return failure();
        return one(std::move(*tensor));
      })
      .Case<func::CallOp>([&](auto op) { return evaluateCall(op); })
      .Default([&](Operation *op) -> Results {
        return op->emitError("the reference interpreter does not support '")
               << op->getName() << "'";
      });
}

FailureOr<std::vector<Tensor>>
ref::interpret(func::FuncOp func, ArrayRef<Tensor> inputs,
               ArrayRef<std::string> inputNames) {
  return Interpreter().run(func, inputs, inputNames);
}
