// Node selectors (see selector.h): parsing with positions, validation against a world, and
// resolution against the world's state now.
#include "lesson/selector.h"

#include <cctype>

#include "lesson/world_facts.h"

namespace topo::lesson {

namespace {

bool takes_service(std::string_view name) { return name == "replica" || name == "replicas"; }

std::string role_of(const Node& n) {
  if (!n.process) return "";
  for (const auto& [k, v] : n.process->inspect())
    if (k == "role") return v;
  return "";
}

bool is_client(const Node& n) { return n.role.find("client") != std::string::npos; }

bool is_replica_of(const Node& n, const std::string& service) {
  return n.role == "service:" + service || n.role == "queue:" + service;
}

}  // namespace

bool selector_in_key(std::string_view key, size_t* at, size_t* len) {
  const size_t a = key.find('@');
  if (a == std::string_view::npos) return false;
  size_t e = a + 1;
  while (e < key.size() && key[e] != '.' && key[e] != '(') ++e;
  if (e < key.size() && key[e] == '(') {
    const size_t close = key.find(')', e);
    e = close == std::string_view::npos ? key.size() : close + 1;
  }
  *at = a;
  *len = e - a;
  return true;
}

const std::vector<std::string>& selector_names() {
  static const std::vector<std::string> v = {"@leader",  "@stale_leader", "@follower", "@followers", "@crashed",
                                             "@one_crashed", "@server",  "@servers",  "@replica",   "@replicas"};
  return v;
}

std::optional<Selector> parse_selector(std::string_view text, Pos pos, Diagnostics& diags) {
  Selector s;
  s.text = std::string(text);
  s.pos = pos;
  if (!is_selector_text(text)) {
    diags.push_back({pos, "a selector starts with @, like @leader"});
    return std::nullopt;
  }
  size_t i = 1;
  while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_')) ++i;
  s.name = std::string(text.substr(1, i - 1));
  std::vector<std::string> names = selector_names();
  bool known = false;
  for (const auto& n : names) if (n == "@" + s.name) known = true;
  if (!known) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n + (takes_service(n.substr(1)) ? "(SERVICE)" : "");
    diags.push_back({pos, "unknown selector \"@" + s.name + "\"" + did_you_mean("@" + s.name, names) +
                              " (selectors: " + list + ")"});
    return std::nullopt;
  }
  if (i < text.size() && text[i] == '(') {
    const size_t close = text.find(')', i);
    if (close == std::string_view::npos) {
      diags.push_back({{pos.line, pos.col + static_cast<int>(i)}, "\"(\" after @" + s.name + " needs a closing \")\""});
      return std::nullopt;
    }
    s.arg = std::string(util::trim(std::string(text.substr(i + 1, close - i - 1))));
    if (!takes_service(s.name)) {
      diags.push_back({{pos.line, pos.col + static_cast<int>(i)}, "@" + s.name + " takes no \"(...)\": only @replica(SERVICE) and @replicas(SERVICE) do"});
      return std::nullopt;
    }
    if (s.arg.empty()) {
      diags.push_back({{pos.line, pos.col + static_cast<int>(i) + 1}, "@" + s.name + "(...) needs a service name, like @" + s.name + "(payment)"});
      return std::nullopt;
    }
    i = close + 1;
  } else if (takes_service(s.name)) {
    diags.push_back({pos, "@" + s.name + " needs a service in parentheses, like @" + s.name + "(payment)"});
    return std::nullopt;
  }
  if (i != text.size()) {
    diags.push_back({{pos.line, pos.col + static_cast<int>(i)}, "unexpected \"" + std::string(text.substr(i)) + "\" after the selector " +
                                                                     std::string(text.substr(0, i))});
    return std::nullopt;
  }
  return s;
}

void validate_selector(const Selector& s, const World& w, Diagnostics& diags) {
  if (!takes_service(s.name)) return;
  for (const auto& n : w.nodes())
    if (is_replica_of(*n, s.arg)) return;
  std::vector<std::string> services;
  for (const auto& n : service_names(w)) services.push_back(n);
  for (const auto& n : w.nodes())
    if (n->role.rfind("queue:", 0) == 0) services.push_back(n->role.substr(6));
  const Pos at{s.pos.line, s.pos.col + static_cast<int>(s.name.size()) + 2};
  diags.push_back({at, "unknown service \"" + s.arg + "\" in " + s.text +
                           (services.empty() ? std::string(" (this world has no services)") : did_you_mean(s.arg, services))});
}

std::vector<NodeId> select_nodes(const World& w, const Selector& s) {
  std::vector<NodeId> out;
  const auto& nodes = w.nodes();
  auto first_only = [&] { if (out.size() > 1) out.resize(1); };
  if (s.name == "leader") {
    // Raft answers "leader" (the leader in the highest term, -1 if none): trust it.
    for (const auto& m : w.models())
      if (auto v = m->value("leader")) {
        const auto id = static_cast<int64_t>(*v);
        if (id >= 0 && static_cast<size_t>(id) < nodes.size()) out.push_back(static_cast<NodeId>(id));
        return out;
      }
    for (const auto& n : nodes) {
      if (n->status != NodeStatus::Up) continue;
      const std::string r = role_of(*n);
      if (r == "leader" || r == "primary") { out.push_back(n->id); break; }
    }
    return out;
  }
  if (s.name == "stale_leader") {
    // Nodes that still act as leader but are not the leader (a Raft leader of an older term, cut
    // off by a partition): the first one.
    const auto leader = select_nodes(w, Selector{"leader", "", "@leader", {}});
    for (const auto& n : nodes) {
      if (n->status != NodeStatus::Up || (!leader.empty() && leader.front() == n->id)) continue;
      const std::string r = role_of(*n);
      if (r == "leader" || r == "primary") { out.push_back(n->id); break; }
    }
    return out;
  }
  for (const auto& n : nodes) {
    const bool up = n->status == NodeStatus::Up;
    if (s.name == "follower" || s.name == "followers") {
      const std::string r = up ? role_of(*n) : "";
      if (r == "follower" || r == "backup") out.push_back(n->id);
    } else if (s.name == "crashed" || s.name == "one_crashed") {
      if (n->status == NodeStatus::Crashed) out.push_back(n->id);
    } else if (s.name == "server" || s.name == "servers") {
      if (up && !is_client(*n)) out.push_back(n->id);
    } else if (s.name == "replica") {
      if (up && is_replica_of(*n, s.arg)) out.push_back(n->id);
    } else if (s.name == "replicas") {
      if (is_replica_of(*n, s.arg)) out.push_back(n->id);
    }
  }
  if (s.name == "follower" || s.name == "one_crashed" || s.name == "server" || s.name == "replica") first_only();
  return out;
}

std::string empty_selection_reason(const Selector& s) {
  if (s.name == "leader") return "there is no leader";
  if (s.name == "stale_leader") return "no node acts as leader besides the leader";
  if (s.name == "follower" || s.name == "followers") return "no node that is up is a follower";
  if (s.name == "crashed" || s.name == "one_crashed") return "no node is crashed";
  if (s.name == "server" || s.name == "servers") return "no server is up";
  if (s.name == "replica") return "no replica of " + s.arg + " is up";
  if (s.name == "replicas") return "service " + s.arg + " has no replicas";
  return "nothing matches";
}

std::string no_match_message(const Selector& s) {
  return s.text + " matches no node right now (" + empty_selection_reason(s) + ")";
}

}  // namespace topo::lesson
