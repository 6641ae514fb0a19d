//===- Translation.h - dfa <-> bitstream translations -----------*- C++ -*-===//
//
// Registers --dfa-to-bitstream and --bitstream-to-dfa with mlir-translate's
// registry, for butterfly-translate.
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_TARGET_TRANSLATION_H
#define BUTTERFLY_TARGET_TRANSLATION_H

namespace butterfly {

void registerButterflyTranslations();

} // namespace butterfly

#endif // BUTTERFLY_TARGET_TRANSLATION_H
