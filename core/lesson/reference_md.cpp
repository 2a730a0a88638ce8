// FORMAT.md's generated reference and `scenarios --params` (lesson/reference_md.h).
#include "lesson/reference_md.h"

#include <map>
#include <sstream>

#include "lesson/validator.h"
#include "lesson/world_facts.h"
#include "scenario/reference.h"
#include "catalog/catalog.h"
#include "scenario/scenario.h"

namespace topo::lesson {

namespace {

/// Scenarios sharing one text, in catalogue order: "raft-3, raft-5" -> text.
std::vector<std::pair<std::string, std::string>> group(const std::vector<std::pair<std::string, std::string>>& per) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, text] : per) {
    bool merged = false;
    for (auto& g : out)
      if (g.second == text) {
        g.first += ", " + name;
        merged = true;
        break;
      }
    if (!merged) out.emplace_back(name, text);
  }
  return out;
}

std::string cell(std::string s) {
  std::string o;
  for (char c : s) o += c == '|' ? std::string("\\|") : std::string(1, c);
  return o;
}

std::unique_ptr<World> scenario_world(const std::string& name) {
  std::string err;
  return build_world(name, 1, {}, &err);
}

}  // namespace

std::string describe_params(const std::string& scenario) {
  const ScenarioInfo* info = find_scenario(scenario);
  if (!info) return "";
  std::ostringstream o;
  for (const auto& p : info->params) {
    o << p.name << "  " << describe_param_type(p) << ": " << p.help;
    if (p.default_value.empty() && !p.example.empty()) o << " (e.g. " << p.example << ")";
    o << "\n";
  }
  return o.str();
}

std::string reference_markdown() {
  std::ostringstream o;
  // ---- actions ----
  o << "## Every action\n\n"
       "Generated from the declarations in the code by `tests/lessons/actions_md.sh` (which calls\n"
       "`topolab-cli check --reference`; `tests/lessons/run.sh` checks that everything from here to the\n"
       "end of this file is current). Each entry shows the action and its parameters (`[...]` =\n"
       "optional) with their type: `node` (a node name), `nodes` (names separated by commas), `groups`\n"
       "(groups separated by `|`), `int`, `number`, `prob` (0 to 1), `duration` (milliseconds, or text\n"
       "with a unit), `bool` (`true`/`false`), `string` (text). A scenario's action that has the name\n"
       "of an engine action replaces it in that scenario (the shop's `slow` takes a service).\n";
  World engine(1);
  std::map<std::string, std::string> engine_text;
  o << "\n### In every scenario (the engine)\n\n```\n";
  for (const auto& s : engine.command_specs()) {
    engine_text[s.op] = describe_action(s);
    o << engine_text[s.op];
  }
  o << "```\n";
  std::vector<std::pair<std::string, std::string>> actions;
  for (const auto& sc : scenarios()) {
    auto w = scenario_world(sc.name);
    if (!w) continue;
    std::string text;
    for (const auto& s : w->command_specs()) {
      std::string t = describe_action(s);
      auto it = engine_text.find(s.op);
      if (it == engine_text.end() || it->second != t) text += t;
    }
    actions.emplace_back(sc.name, text);
  }
  for (const auto& [names, text] : group(actions)) {
    if (text.empty()) continue;
    o << "\n### " << names << ", besides the engine's\n\n```\n" << text << "```\n";
  }
  // ---- scenario parameters ----
  o << "\n## Every scenario parameter\n\n"
       "Generated from each scenario's declaration (also `topolab-cli scenarios --params NAME`). Set\n"
       "them in a lesson's `[scenario] params` or with `--set KEY=VALUE`. A name in angle brackets\n"
       "stands for a name of the world: `<module>` a module (in the shop each service is one module;\n"
       "in the monolith `gateway`, `checkout`, ... inside the one deployable), `<deployable>` what runs\n"
       "as replicas (the shop's services, or `monolith`), `<type>` a request type, `<edge>` a call edge\n"
       "`A->B` (A or B may be `*`), `<rule>` a Raft safety rule.\n";
  std::vector<std::pair<std::string, std::string>> params;
  for (const auto& sc : scenarios()) {
    std::ostringstream t;
    if (sc.params.empty()) {
      t << "No parameters.\n";
    } else {
      t << "| parameter | type | meaning |\n| --- | --- | --- |\n";
      for (const auto& p : sc.params) {
        std::string help = p.help;
        if (p.default_value.empty() && !p.example.empty()) help += " (e.g. `" + p.example + "`)";
        t << "| `" << cell(p.name) << "` | " << cell(describe_param_type(p)) << " | " << cell(help) << " |\n";
      }
    }
    params.emplace_back(sc.name, t.str());
  }
  for (const auto& [names, text] : group(params)) o << "\n### " << names << "\n\n" << text;
  // ---- value keys ----
  o << "\n## Every value key\n\n"
       "Generated from the models' declarations (`topolab-cli check --list-values SCENARIO` lists a\n"
       "scenario's keys with their values). Types: `count` (a whole number), `number`, `fraction`\n"
       "(0 to 1), `bool` (0 or 1), `node-id` (a node's number: `{{node:KEY}}` in text, `node={KEY}`\n"
       "in actions), `enum` (a number that names a state: compare it with the name,\n"
       "`breaker.checkout->payment == \"open\"`), `text` (compare with a quoted word). `<node>`,\n"
       "`<player>` are node names, `<field>` a field the inspector shows, `<system>` `micro` or\n"
       "`mono` in shop-vs-monolith.\n";
  auto table = [](const std::vector<ValueDecl>& decls) {
    std::ostringstream t;
    t << "| key | type | meaning |\n| --- | --- | --- |\n";
    for (const auto& d : decls)
      t << "| `" << cell(d.pattern) << "` | " << cell(describe_value_type(d)) << " | " << cell(d.help) << " |\n";
    return t.str();
  };
  o << "\n### In every scenario (the engine)\n\n" << table(engine_value_decls());
  std::vector<std::pair<std::string, std::string>> values;
  for (const auto& sc : scenarios()) {
    auto w = scenario_world(sc.name);
    if (!w) continue;
    std::vector<ValueDecl> decls;
    for (const auto& m : w->models())
      for (auto& d : m->value_decls()) decls.push_back(std::move(d));
    values.emplace_back(sc.name, decls.empty() ? std::string("No keys besides the engine's.\n") : table(decls));
  }
  for (const auto& [names, text] : group(values)) o << "\n### " << names << "\n\n" << text;
  return o.str();
}

}  // namespace topo::lesson
