// The Actions panel: a generic form for the Command kinds of the current world (see
// command_form.h). Every input is kept as the argument's text, so the Command is built by
// copying the non-empty inputs, and the world's own validation reports what is wrong.
#include "ui/widgets/command_form.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "ui/style.h"
#include "ui/tr.h"

namespace topo::ui {

namespace {

std::string key_of(const std::string& op, const std::string& param) { return op + "/" + param; }

std::vector<std::string> split_names(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : s) {
    if (ch == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else if (ch != ' ') {
      cur += ch;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::string fmt_float(float f) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", static_cast<double>(f));
  return buf;
}

/// A one-line text field bound to `value`; returns true when edited.
bool text_field(const char* label, const char* hint, std::string& value, ImGuiInputTextFlags flags) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s", value.c_str());
  if (ImGui::InputTextWithHint(label, hint, buf, sizeof buf, flags)) {
    value = buf;
    return true;
  }
  return false;
}

/// The input of one parameter, chosen by its type.
void param_input(const World& w, const CommandParam& p, std::string& value, float width) {
  const std::string id = "##" + p.name;
  ImGui::SetNextItemWidth(width);
  if (p.type == "node") {
    const char* preview = value.empty() ? (p.required ? tr("(choose a node)") : tr("(none)")) : value.c_str();
    if (ImGui::BeginCombo(id.c_str(), preview)) {
      if (!p.required && ImGui::Selectable(tr("(none)"), value.empty())) value.clear();
      for (const auto& n : w.nodes())
        if (ImGui::Selectable(n->name.c_str(), n->name == value)) value = n->name;
      ImGui::EndCombo();
    }
  } else if (p.type == "nodes") {
    const std::vector<std::string> picked = split_names(value);
    std::string out;
    ImGui::BeginGroup();
    int shown = 0;
    for (const auto& n : w.nodes()) {
      bool on = std::find(picked.begin(), picked.end(), n->name) != picked.end();
      if (shown % 4) ImGui::SameLine();
      ImGui::Checkbox((n->name + id).c_str(), &on);
      if (on) out += (out.empty() ? "" : ",") + n->name;
      ++shown;
    }
    ImGui::EndGroup();
    value = out;
  } else if (p.type == "bool") {
    if (p.required) {
      // Ticked at first: the learner mostly switches something on (game.standby, job.speculation).
      if (value.empty()) value = "true";
      bool on = value == "true" || value == "1" || value == "yes";
      if (ImGui::Checkbox(id.c_str(), &on)) value = on ? "true" : "false";
    } else {
      static const char* kChoices[] = {"(default)", "true", "false"};
      int i = value == "true" ? 1 : value == "false" ? 2 : 0;
      if (ImGui::Combo(id.c_str(), &i, kChoices, 3)) value = i == 0 ? "" : kChoices[i];
    }
  } else if (p.type == "prob") {
    bool set = p.required || !value.empty();
    if (!p.required) {
      if (ImGui::Checkbox((id + "set").c_str(), &set)) value = set ? "0" : "";
      ImGui::SameLine();
      ImGui::SetNextItemWidth(std::max(60.0f, width - ImGui::GetFrameHeight() - ImGui::GetStyle().ItemSpacing.x));
    }
    float f = value.empty() ? 0.0f : static_cast<float>(std::atof(value.c_str()));
    if (!set) ImGui::BeginDisabled();
    if (ImGui::SliderFloat(id.c_str(), &f, 0.0f, 1.0f, "%.2f")) value = fmt_float(f);
    if (!set) ImGui::EndDisabled();
    if (p.required && value.empty()) value = "0";
  } else if (p.type == "int") {
    text_field(id.c_str(), p.required ? tr("integer") : tr("integer (optional)"), value, ImGuiInputTextFlags_CharsDecimal);
  } else if (p.type == "number") {
    text_field(id.c_str(), p.required ? tr("number") : tr("number (optional)"), value, ImGuiInputTextFlags_CharsScientific);
  } else if (p.type == "duration") {
    ImGui::SetNextItemWidth(std::max(60.0f, width - ImGui::CalcTextSize(" ms").x - ImGui::GetStyle().ItemSpacing.x));
    text_field(id.c_str(), p.required ? "" : tr("(optional)"), value, ImGuiInputTextFlags_CharsScientific);
    ImGui::SameLine();
    ImGui::TextUnformatted(tr("ms"));
  } else if (p.type == "groups") {
    text_field(id.c_str(), "n1,n2|n3", value, 0);
  } else {
    text_field(id.c_str(), p.required ? "" : tr("(optional)"), value, 0);
  }
}

}  // namespace

const std::vector<std::string>& tool_covered_ops() {
  static const std::vector<std::string> ops = {"crash", "restart", "slow", "partition", "heal",
                                               "scale", "autoscale", "fault", "deploy", "rollback", "resilience"};
  return ops;
}

std::vector<const CommandSpec*> form_actions(const World& w, const std::vector<std::string>& exclude) {
  // The model's own actions first (what a lesson asks for), then the engine's generic ones.
  static const std::vector<std::string> engine = {"crash", "restart", "slow", "partition", "heal", "set_link"};
  std::vector<const CommandSpec*> out;
  for (const auto& s : w.command_specs())
    if (std::find(exclude.begin(), exclude.end(), s.op) == exclude.end()) out.push_back(&s);
  std::stable_partition(out.begin(), out.end(), [](const CommandSpec* s) {
    return std::find(engine.begin(), engine.end(), s->op) == engine.end();
  });
  return out;
}

Command form_command(const CommandSpec& spec, const CommandFormState& st) {
  Command c;
  c.op = spec.op;
  for (const auto& p : spec.params) {
    auto it = st.values.find(key_of(spec.op, p.name));
    if (it == st.values.end()) continue;
    // Trim spaces: a stray blank in a text field is not an argument.
    std::string v = it->second;
    while (!v.empty() && v.back() == ' ') v.pop_back();
    size_t b = 0;
    while (b < v.size() && v[b] == ' ') ++b;
    v.erase(0, b);
    if (!v.empty()) c.args[p.name] = v;
  }
  return c;
}

void form_set(CommandFormState& st, const std::string& op, const std::string& param, const std::string& value) {
  st.values[key_of(op, param)] = value;
}

bool command_form(const char* id, const World& w, CommandFormState& st,
                  const std::function<CommandResult(const Command&)>& issue,
                  const std::vector<std::string>& exclude) {
  const std::vector<const CommandSpec*> actions = form_actions(w, exclude);
  if (actions.empty()) {
    ImGui::TextDisabled(tr("This world has no other actions."));
    return false;
  }
  ImGui::PushID(id);
  const CommandSpec* spec = actions.front();
  for (const auto* a : actions)
    if (a->op == st.op) spec = a;
  if (spec->op != st.op) {
    st.op = spec->op;
    st.message.clear();
  }

  ImGui::SetNextItemWidth(-1);
  if (ImGui::BeginCombo("##action", spec->op.c_str())) {
    for (const auto* a : actions) {
      if (ImGui::Selectable(a->op.c_str(), a == spec) && a != spec) {
        st.op = a->op;
        st.message.clear();
      }
      if (ImGui::IsItemHovered() && !a->help.empty()) ImGui::SetTooltip("%s", tr(a->help.c_str()));
    }
    ImGui::EndCombo();
  }
  // The combo may have switched the action this frame: draw the chosen one.
  for (const auto* a : actions)
    if (a->op == st.op) spec = a;
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", tr(spec->help.c_str()));   // the models mark their help N_()
  ImGui::PopStyleColor();

  // One row per parameter: its name in a label column, then the input; its help below.
  float label_w = 0.0f;
  for (const auto& p : spec->params) label_w = std::max(label_w, ImGui::CalcTextSize(p.name.c_str()).x);
  label_w += ImGui::GetStyle().ItemSpacing.x;
  const float x0 = ImGui::GetCursorPosX();
  for (const auto& p : spec->params) {
    ImGui::PushID(p.name.c_str());
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(p.name.c_str());
    if (ImGui::IsItemHovered() && !p.help.empty()) ImGui::SetTooltip("%s", tr(p.help.c_str()));
    ImGui::SameLine(x0 + label_w);
    const float width = std::max(80.0f, ImGui::GetContentRegionAvail().x);
    param_input(w, p, st.values[key_of(spec->op, p.name)], width);
    if (!p.help.empty() || !p.required) {
      ImGui::SetCursorPosX(x0 + label_w);
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextWrapped("%s", p.required ? tr(p.help.c_str()) : format_msg(tr("optional: %s"), tr(p.help.c_str())).c_str());
      ImGui::PopTextWrapPos();
      ImGui::PopStyleColor();
    }
    ImGui::PopID();
  }

  bool issued = false;
  if (ImGui::Button(tr("Apply"))) {
    const Command c = form_command(*spec, st);
    const CommandResult r = issue(c);
    st.message_ok = r.ok;
    st.message = r.ok ? "applied: " + c.to_text() : r.error;
    issued = true;
  }
  st.apply_min = ImGui::GetItemRectMin();
  st.apply_max = ImGui::GetItemRectMax();
  if (!st.message.empty()) {
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, st.message_ok ? palette::green : palette::vermillion);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(st.message.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
  }
  ImGui::PopID();
  return issued;
}

}  // namespace topo::ui
