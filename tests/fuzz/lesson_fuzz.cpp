// libFuzzer target for the lesson parser and validator: any bytes go through parse_lesson (TOML,
// structure, conditions, Markdown checks) and, when they parse, the validator against the built-in
// scenario worlds; the condition parser also sees the raw bytes. Nothing may crash, hang or leak.
// Built and run by scripts/fuzz (clang++-14 -fsanitize=fuzzer,address), seeded from lessons/.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "lesson/runner.h"
#include "lesson/validator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace topo::lesson;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  static const WorldSource source = WorldSource::builtin();
  CheckResult r = check_lesson(text, source);
  for (const auto& d : r.diags) (void)format_diagnostic("fuzz.toml", d);
  Diagnostics diags;
  if (size < 512) (void)parse_condition(text, {1, 1}, diags);
  // A valid lesson also gets a short run: enter each step, answer, advance a little.
  if (r.ok() && r.lesson->steps.size() <= 16) {
    std::string err;
    auto runner = Runner::create(*r.lesson, source, Mode::Autoplay, &err);
    if (runner) {
      for (int i = 0; i < 64 && !runner->finished(); ++i) {
        if (runner->awaiting_predict()) runner->answer_predict(0);
        if (runner->step().quiz) runner->answer_quiz(0);
        runner->advance(50 * topo::kMs);
        if (runner->step_complete()) runner->next();
      }
      (void)runner->save();
    }
  }
  return 0;
}
