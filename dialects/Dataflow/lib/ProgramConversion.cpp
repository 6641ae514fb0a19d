//===- ProgramConversion.cpp - dfa.program <-> bitstream Program -*- C++
//-*-===//
//
// The dfa dialect mirrors the bitstream's Program field by field; these two
// functions are the whole translation, so bitstream -> dfa -> bitstream is
// byte-identical.
//
//===----------------------------------------------------------------------===//

#include "butterfly/Dialect/Dataflow/DfaDialect.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/JSON.h"

using namespace mlir;
using namespace butterfly;
using namespace butterfly::dfa;
namespace json = llvm::json;

//===----------------------------------------------------------------------===//
// Arch
//===----------------------------------------------------------------------===//

static json::Value toJsonValue(Attribute attr) {
  if (auto integer = dyn_cast<IntegerAttr>(attr)) {
    if (integer.getType().isInteger(1))
      return integer.getValue().getBoolValue();
    return integer.getInt();
  }
  if (auto boolean = dyn_cast<BoolAttr>(attr))
    return boolean.getValue();
  if (auto number = dyn_cast<FloatAttr>(attr))
    return number.getValueAsDouble();
  if (auto string = dyn_cast<StringAttr>(attr))
    return string.getValue().str();
  if (auto dict = dyn_cast<DictionaryAttr>(attr)) {
    json::Object object;
    for (NamedAttribute entry : dict)
      object[entry.getName().getValue()] = toJsonValue(entry.getValue());
    return object;
  }
  // Anything else is rejected by parseArch with the key's name.
  return nullptr;
}

llvm::Expected<arch::Arch> dfa::toArch(ArchAttr attr) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << toJsonValue(attr.getParams());
  return arch::parseArch(text, "#dfa.arch");
}

static Attribute toAttribute(MLIRContext *context, const json::Value &value) {
  Builder builder(context);
  if (std::optional<bool> boolean = value.getAsBoolean())
    return builder.getBoolAttr(*boolean);
  if (std::optional<int64_t> integer = value.getAsInteger())
    return builder.getI64IntegerAttr(*integer);
  if (std::optional<double> number = value.getAsNumber())
    return builder.getF64FloatAttr(*number);
  if (std::optional<StringRef> string = value.getAsString())
    return builder.getStringAttr(*string);
  SmallVector<NamedAttribute> entries;
  for (const auto &[key, entry] : *value.getAsObject())
    entries.emplace_back(builder.getStringAttr(key.str()),
                         toAttribute(context, entry));
  return builder.getDictionaryAttr(entries);
}

ArchAttr dfa::toArchAttr(MLIRContext *context, const arch::Arch &arch) {
  llvm::Expected<json::Value> value = json::parse(arch::toJson(arch));
  // toJson always produces an object that parses.
  assert(value && "arch::toJson produced invalid JSON");
  return ArchAttr::get(context,
                       cast<DictionaryAttr>(toAttribute(context, *value)));
}

//===----------------------------------------------------------------------===//
// dfa -> Program
//===----------------------------------------------------------------------===//

static std::vector<float> toFloats(ElementsAttr data) {
  auto values = cast<DenseElementsAttr>(data).getValues<float>();
  return std::vector<float>(values.begin(), values.end());
}

static bitstream::Operand toOperand(ArrayRef<int64_t> encoded, float imm) {
  if (encoded.empty())
    return bitstream::Operand::none();
  bitstream::Operand operand;
  operand.kind = static_cast<bitstream::OperandKind>(encoded[0]);
  switch (operand.kind) {
  case bitstream::OperandKind::Mem:
    operand.base = encoded[1];
    operand.stride = encoded[2];
    operand.inc0 = encoded[3];
    operand.inc1 = encoded[4];
    break;
  case bitstream::OperandKind::Port:
    operand.base = encoded[1];
    break;
  case bitstream::OperandKind::Imm:
    operand.imm = imm;
    break;
  case bitstream::OperandKind::None:
    break;
  }
  return operand;
}

static bitstream::TensorSig toSignature(StringRef name, int64_t addr,
                                        Type type) {
  auto tensor = cast<RankedTensorType>(type);
  bitstream::TensorSig sig;
  sig.name = name.str();
  sig.dtype = isa<ComplexType>(tensor.getElementType()) ? ElementKind::Complex64
                                                        : ElementKind::F32;
  sig.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
  sig.dramAddr = addr;
  return sig;
}

static bitstream::Endpoint toEndpoint(ArrayRef<int64_t> triple) {
  return {{triple[0], triple[1]}, triple[2]};
}

static bitstream::Phase toPhase(PhaseOp phaseOp) {
  bitstream::Phase phase;
  phase.name = phaseOp.getSymName().str();
  for (Operation &op : phaseOp.getBody().front()) {
    if (auto peOp = dyn_cast<PeOp>(op)) {
      bitstream::PeProgram pe;
      pe.row = peOp.getRow();
      pe.col = peOp.getCol();
      for (Operation &inner : peOp.getBody().front()) {
        if (auto init = dyn_cast<InitOp>(inner)) {
          pe.memInit.push_back(
              {static_cast<int64_t>(init.getAddr()), toFloats(init.getData())});
          continue;
        }
        auto inst = cast<InstOp>(inner);
        bitstream::Instruction instruction;
        instruction.op = static_cast<bitstream::Opcode>(inst.getOpcode());
        instruction.flags = static_cast<uint8_t>(inst.getFlags());
        instruction.n = inst.getN();
        instruction.p0 = inst.getP0();
        instruction.p1 = inst.getP1();
        instruction.dst =
            toOperand(inst.getDst(), inst.getDstImm().convertToFloat());
        instruction.a = toOperand(inst.getA(), inst.getAImm().convertToFloat());
        instruction.b = toOperand(inst.getB(), inst.getBImm().convertToFloat());
        pe.instructions.push_back(instruction);
      }
      phase.pes.push_back(std::move(pe));
    } else if (auto routeOp = dyn_cast<RouteOp>(op)) {
      bitstream::Route route;
      route.src = toEndpoint(routeOp.getSrc());
      ArrayRef<int64_t> dsts = routeOp.getDsts();
      for (size_t i = 0; i < dsts.size(); i += 3)
        route.dsts.push_back(toEndpoint(dsts.slice(i, 3)));
      ArrayRef<int64_t> links = routeOp.getLinks();
      for (size_t i = 0; i < links.size(); i += 4)
        route.links.push_back(
            {{links[i], links[i + 1]}, {links[i + 2], links[i + 3]}});
      phase.routes.push_back(std::move(route));
    } else if (auto dmaOp = dyn_cast<DmaOp>(op)) {
      bitstream::Dma dma;
      dma.kind = static_cast<bitstream::DmaKind>(dmaOp.getKind());
      dma.dramAddr = dmaOp.getDramAddr();
      dma.gbAddr = dmaOp.getGbAddr();
      dma.edge = {dmaOp.getEdge()[0], dmaOp.getEdge()[1]};
      ArrayRef<int64_t> dims = dmaOp.getDims();
      for (size_t i = 0; i < dims.size(); i += 3)
        dma.dims.push_back({dims[i], dims[i + 1], dims[i + 2]});
      dma.waitFor.assign(dmaOp.getWaitFor().begin(), dmaOp.getWaitFor().end());
      phase.dmas.push_back(std::move(dma));
    }
  }
  return phase;
}

FailureOr<bitstream::Program> dfa::toProgram(ProgramOp programOp) {
  llvm::Expected<arch::Arch> target = toArch(programOp.getArch());
  if (!target)
    return programOp.emitOpError("invalid arch: ")
           << llvm::toString(target.takeError());
  bitstream::Program program;
  program.name = programOp.getSymName().str();
  program.arch = *target;
  program.archFingerprint = target->fingerprint();
  program.dramWords = programOp.getDramWords();
  for (Operation &op : programOp.getBody().front()) {
    if (auto buffer = dyn_cast<BufferOp>(op))
      program.buffers.push_back({buffer.getSymName().str(),
                                 static_cast<int64_t>(buffer.getOffset()),
                                 static_cast<int64_t>(buffer.getSize())});
    else if (auto constant = dyn_cast<ConstantOp>(op))
      program.constants.push_back({constant.getSymName().str(),
                                   constant.getSpace() == "gb"
                                       ? bitstream::MemSpace::Gb
                                       : bitstream::MemSpace::Dram,
                                   static_cast<int64_t>(constant.getAddr()),
                                   toFloats(constant.getData())});
    else if (auto input = dyn_cast<InputOp>(op))
      program.inputs.push_back(
          toSignature(input.getSymName(), input.getAddr(), input.getType()));
    else if (auto output = dyn_cast<OutputOp>(op))
      program.outputs.push_back(
          toSignature(output.getSymName(), output.getAddr(), output.getType()));
    else if (auto phase = dyn_cast<PhaseOp>(op))
      program.phases.push_back(toPhase(phase));
    else
      return op.emitOpError("is not part of a dfa.program");
  }
  return program;
}

//===----------------------------------------------------------------------===//
// Program -> dfa
//===----------------------------------------------------------------------===//

static DenseElementsAttr toElements(Builder &builder,
                                    const std::vector<float> &data) {
  auto type = RankedTensorType::get({static_cast<int64_t>(data.size())},
                                    builder.getF32Type());
  return DenseElementsAttr::get(type, ArrayRef<float>(data));
}

static SmallVector<int64_t> encodeOperand(const bitstream::Operand &operand,
                                          float &imm) {
  imm = 0;
  switch (operand.kind) {
  case bitstream::OperandKind::None:
    return {};
  case bitstream::OperandKind::Mem:
    return {static_cast<int64_t>(operand.kind), operand.base, operand.stride,
            operand.inc0, operand.inc1};
  case bitstream::OperandKind::Port:
    return {static_cast<int64_t>(operand.kind), operand.base};
  case bitstream::OperandKind::Imm:
    imm = operand.imm;
    return {static_cast<int64_t>(operand.kind)};
  }
  return {};
}

static RankedTensorType toTensorType(Builder &builder,
                                     const bitstream::TensorSig &sig) {
  Type element = builder.getF32Type();
  if (sig.dtype == ElementKind::Complex64)
    element = ComplexType::get(element);
  return RankedTensorType::get(sig.shape, element);
}

ProgramOp dfa::fromProgram(const bitstream::Program &program, ModuleOp module,
                           Location loc) {
  MLIRContext *context = module.getContext();
  OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
  auto programOp =
      ProgramOp::create(builder, loc, builder.getStringAttr(program.name),
                        toArchAttr(context, program.arch),
                        builder.getI64IntegerAttr(program.dramWords));
  builder.setInsertionPointToStart(&programOp.getBody().emplaceBlock());
  for (const bitstream::GbBuffer &buffer : program.buffers)
    BufferOp::create(builder, loc, buffer.name, buffer.offset, buffer.size);
  for (const bitstream::Constant &constant : program.constants)
    ConstantOp::create(builder, loc, constant.name,
                       constant.space == bitstream::MemSpace::Gb ? "gb"
                                                                 : "dram",
                       constant.addr, toElements(builder, constant.data));
  for (const bitstream::TensorSig &input : program.inputs)
    InputOp::create(builder, loc, input.name, input.dramAddr,
                    toTensorType(builder, input));
  for (const bitstream::TensorSig &output : program.outputs)
    OutputOp::create(builder, loc, output.name, output.dramAddr,
                     toTensorType(builder, output));
  for (const bitstream::Phase &phase : program.phases) {
    auto phaseOp = PhaseOp::create(builder, loc, phase.name);
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(&phaseOp.getBody().emplaceBlock());
    for (const bitstream::PeProgram &pe : phase.pes) {
      auto peOp = PeOp::create(builder, loc, pe.row, pe.col);
      OpBuilder::InsertionGuard peGuard(builder);
      builder.setInsertionPointToStart(&peOp.getBody().emplaceBlock());
      for (const bitstream::MemInit &init : pe.memInit)
        InitOp::create(builder, loc, init.addr, toElements(builder, init.data));
      for (const bitstream::Instruction &inst : pe.instructions) {
        float imms[3];
        SmallVector<int64_t> dst = encodeOperand(inst.dst, imms[0]);
        SmallVector<int64_t> a = encodeOperand(inst.a, imms[1]);
        SmallVector<int64_t> b = encodeOperand(inst.b, imms[2]);
        InstOp::create(builder, loc, static_cast<int64_t>(inst.op), inst.flags,
                       inst.n, inst.p0, inst.p1, dst, a, b,
                       llvm::APFloat(imms[0]), llvm::APFloat(imms[1]),
                       llvm::APFloat(imms[2]));
      }
    }
    for (const bitstream::Route &route : phase.routes) {
      SmallVector<int64_t> src{route.src.node.row, route.src.node.col,
                               route.src.port};
      SmallVector<int64_t> dsts, links;
      for (const bitstream::Endpoint &dst : route.dsts)
        dsts.append({dst.node.row, dst.node.col, dst.port});
      for (const bitstream::Link &link : route.links)
        links.append({link.from.row, link.from.col, link.to.row, link.to.col});
      RouteOp::create(builder, loc, src, dsts, links);
    }
    for (const bitstream::Dma &dma : phase.dmas) {
      SmallVector<int64_t> dims;
      for (const bitstream::DmaDim &dim : dma.dims)
        dims.append({dim.size, dim.dramStride, dim.gbStride});
      DmaOp::create(builder, loc, static_cast<int64_t>(dma.kind), dma.dramAddr,
                    dma.gbAddr,
                    SmallVector<int64_t>{dma.edge.row, dma.edge.col}, dims,
                    dma.waitFor);
    }
  }
  return programOp;
}
