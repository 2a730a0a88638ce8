// Translated lessons. A translation is a complete lesson file beside the original, in a folder
// named by its language (lessons/es/01-one-system-many-computers.toml translates
// lessons/01-one-system-many-computers.toml): a copy in which only the words change. It plays and
// checks like any lesson; check_translation() proves it is the same lesson underneath — the same
// steps, actions, conditions, timeouts, choices and answers — and reports FILE:LINE:COL where it
// is not. A step the translator has not reached yet keeps the original's words (the file began
// as a copy) and is listed as untranslated.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lesson/text.h"

namespace topo::lesson {

struct TranslationReport {
  Diagnostics diags;                      ///< positions in the translation
  std::vector<std::string> untranslated;  ///< "step 4 (\"Title\")": text identical to the original's
};

/// The keys whose values a translation may change: words a student reads.
bool is_translatable_key(std::string_view key);

/// Compares a translation with its original (`original_name` is how messages cite it).
TranslationReport check_translation(std::string_view original, const std::string& original_name,
                                    std::string_view translation);

/// For lessons/LANG/NAME.toml, the original lessons/NAME.toml when LANG looks like a language
/// code ("es", "pt-BR") and that file exists; else "". Sets `lang` when found.
std::string original_of(const std::string& path, std::string* lang = nullptr);

}  // namespace topo::lesson
