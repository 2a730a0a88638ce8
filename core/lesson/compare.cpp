// Compare lessons: the two-world LessonWorld, its Facts, per-world actions and text (compare.h).
#include "lesson/compare.h"

#include "lesson/validator.h"

namespace topo::lesson {

int side_index(std::string_view name) {
  if (name == "left") return 0;
  if (name == "right") return 1;
  return -1;
}

bool is_clock_key(std::string_view key) { return key == "time_s" || key == "time_ms" || key == "elapsed_s"; }

SideKey split_side_key(std::string_view key) {
  SideKey out;
  std::string_view rest = key;
  std::string start;
  if (rest.rfind("start.", 0) == 0) {
    start = "start.";
    rest.remove_prefix(6);
  }
  const size_t dot = rest.find('.');
  if (dot == std::string_view::npos) return out;
  const int side = side_index(rest.substr(0, dot));
  if (side < 0) return out;
  out.side = side;
  out.key = start + std::string(rest.substr(dot + 1));
  out.offset = static_cast<int>(dot + 1);   // "start." stays in the inner key, so it does not count
  return out;
}

std::vector<int> action_sides(const Action& a) {
  for (const auto& arg : a.args) {
    if (arg.key != "world") continue;
    if (arg.value == "both") return {0, 1};
    const int s = side_index(arg.value);
    if (s >= 0) return {s};
    return {};
  }
  return {};
}

Action side_action(const Action& a, int side) {
  Action out = a;
  out.args.clear();
  const std::string mine = std::string(side_name(side)) + ".";
  const std::string other = std::string(side_name(1 - side)) + ".";
  for (const auto& arg : a.args) {
    if (arg.key == "world" || arg.key.rfind(other, 0) == 0) continue;
    if (arg.key.rfind(mine, 0) == 0) continue;   // below, after the plain arguments
    out.args.push_back(arg);
  }
  for (const auto& arg : a.args) {
    if (arg.key.rfind(mine, 0) != 0) continue;
    ActionArg x = arg;
    x.key = arg.key.substr(mine.size());
    x.key_pos.col += static_cast<int>(mine.size());
    bool replaced = false;
    for (auto& y : out.args)
      if (y.key == x.key) { y = x; replaced = true; }
    if (!replaced) out.args.push_back(std::move(x));
  }
  return out;
}

// ---- CompareWorld ---------------------------------------------------------------------------

CompareWorld::CompareWorld(std::unique_ptr<LessonWorld> left, std::unique_ptr<LessonWorld> right) {
  sides_[0] = std::move(left);
  sides_[1] = std::move(right);
}

CommandResult CompareWorld::apply(const Command& c) {
  auto it = c.args.find("world");
  std::vector<int> sides;
  if (it != c.args.end()) {
    if (it->second == "both") sides = {0, 1};
    else if (side_index(it->second) >= 0) sides = {side_index(it->second)};
  }
  if (sides.empty()) {
    CommandResult r;
    r.ok = false;
    r.error = c.op + ": say which world it is for: world=left, world=right or world=both";
    return r;
  }
  Command inner = c;
  inner.args.erase("world");
  CommandResult first;
  bool have = false;
  for (int s : sides) {
    CommandResult r = sides_[s]->apply(inner);
    if (!r.ok && !r.error.empty()) r.error = std::string(side_name(s)) + ": " + r.error;
    if (!have || (first.ok && !r.ok)) { first = r; have = true; }
  }
  return first;
}

void CompareWorld::run_until(Time t) {
  sides_[0]->run_until(t);
  sides_[1]->run_until(t);
}

// ---- CompareFacts ---------------------------------------------------------------------------

CompareFacts::CompareFacts(const World& left, const World& right, Time step_started_us, const Baseline* baseline)
    : l_(left), r_(right), started_(step_started_us), baseline_(baseline) {}

std::optional<Value> CompareFacts::get(std::string_view key) const {
  if (key.rfind("start.", 0) == 0) return get_start_key(key, baseline_, *this);
  if (is_clock_key(key)) return WorldFacts(l_, started_).get(key);
  const SideKey sk = split_side_key(key);
  if (sk.side < 0) return std::nullopt;
  return WorldFacts(world(sk.side), started_).get(sk.key);
}

std::vector<std::string> CompareFacts::expand(std::string_view key) const {
  const SideKey sk = split_side_key(key);
  if (sk.side < 0) return {std::string(key)};
  const bool start = key.rfind("start.", 0) == 0;
  const std::string inner = start ? sk.key.substr(6) : sk.key;
  const std::string prefix = (start ? "start." : "") + std::string(side_name(sk.side)) + ".";
  std::vector<std::string> out;
  for (auto& k : WorldFacts(world(sk.side), started_).expand(inner)) out.push_back(prefix + k);
  return out;
}

std::optional<double> CompareFacts::count(std::string_view selector) const {
  const SideKey sk = split_side_key(selector);
  if (sk.side < 0) return std::nullopt;
  return WorldFacts(world(sk.side), started_).count(sk.key);
}

std::optional<double> CompareFacts::enum_number(std::string_view key, std::string_view name) const {
  const SideKey sk = split_side_key(key);
  if (sk.side < 0) return std::nullopt;
  std::string inner = sk.key;
  if (inner.rfind("start.", 0) == 0) inner = inner.substr(6);
  return WorldFacts(world(sk.side), started_).enum_number(inner, name);
}

// ---- text -----------------------------------------------------------------------------------

std::string render_compare_text(std::string_view text, const World& left, const World& right, Time step_started_us,
                                const Baseline* baseline) {
  // Each world's baselines under its own keys ("left.X" -> "X"), for render_text.
  Baseline per[2];
  if (baseline)
    for (const auto& [k, v] : *baseline) {
      const SideKey sk = split_side_key(k);
      if (sk.side >= 0) per[sk.side].emplace(sk.key, v);
      else per[0].emplace(k, v);
    }
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t open = text.find("{{", i);
    if (open == std::string_view::npos) { out += text.substr(i); break; }
    const size_t close = text.find("}}", open);
    if (close == std::string_view::npos) { out += text.substr(i); break; }
    out += text.substr(i, open - i);
    std::string key(text.substr(open + 2, close - open - 2));
    const bool as_node = key.rfind("node:", 0) == 0;
    if (as_node) key = key.substr(5);
    const SideKey sk = split_side_key(key);
    const std::string head = as_node ? "{{node:" : "{{";
    if (sk.side >= 0)
      out += render_text(head + sk.key + "}}", sk.side == 0 ? left : right, step_started_us, &per[sk.side]);
    else if (is_clock_key(key) || (key.rfind("start.", 0) == 0 && is_clock_key(key.substr(6))))
      out += render_text(head + key + "}}", left, step_started_us, &per[0]);
    else
      out += "?";
    i = close + 2;
  }
  return out;
}

}  // namespace topo::lesson
