// The Inspector tab: the selected node, with what the world's model painters add (a Raft server's log, ...).
#include "ui/lab_app_internal.h"
#include "ui/palette.h"
#include "ui/tr.h"

#include <map>
#include <string>

namespace topo::ui {

using namespace detail;

namespace {

/// A process's state variable in words (Process::inspect()'s keys are the model's own names,
/// which lesson conditions use: the name stays in the row's tooltip).
const char* field_words(const World& w, const std::string& key) {
  if (const char* words = model_words(w, key)) return tr(words);   // the model's own words first
  static const std::map<std::string, const char*> words = {
      {"account", N_("account")}, {"active", N_("active")}, {"arrivals", N_("arrivals")}, {"backup", N_("backup")},
      {"balance", N_("balance")}, {"boots", N_("boots")}, {"busy", N_("busy")}, {"canary", N_("canary")},
      {"commit_index", N_("commit index")}, {"depth", N_("depth")}, {"epoch", N_("epoch")}, {"in_doubt", N_("in doubt")},
      {"in_progress", N_("in progress")}, {"input_delay_ms", N_("input delay (ms)")}, {"job", N_("job")}, {"jobs", N_("jobs")},
      {"keys", N_("keys")}, {"keys_received", N_("keys received")}, {"last_applied", N_("last applied")},
      {"last_total", N_("last total")}, {"leader", N_("leader")}, {"leader_guess", N_("leader (as it believes)")},
      {"lock", N_("lock")}, {"log", N_("log")}, {"log_length", N_("log length")}, {"memory_mb", N_("memory (MB)")},
      {"outstanding", N_("outstanding")}, {"pending", N_("pending")}, {"phase", N_("phase")}, {"pings_sent", N_("pings sent")},
      {"primary", N_("primary")}, {"primary_guess", N_("primary (as it believes)")}, {"progress", N_("progress")},
      {"protocol", N_("protocol")}, {"queued", N_("queued")}, {"reading", N_("reading")}, {"replica_tick", N_("replica tick")},
      {"role", N_("role")}, {"running", N_("running")}, {"sent", N_("sent")}, {"seq", N_("sequence number")},
      {"served", N_("served")}, {"speculation", N_("speculation")}, {"state", N_("state")}, {"steps", N_("steps")},
      {"suspects", N_("suspects")}, {"task", N_("task")}, {"tasks", N_("tasks")}, {"tasks_done", N_("tasks done")},
      {"term", N_("term")}, {"tick", N_("tick")}, {"tick_seen", N_("tick seen")}, {"version", N_("version")},
      {"view", N_("view")}, {"voted_for", N_("voted for")}, {"waiting", N_("waiting")}, {"waiting_for", N_("waiting for")},
  };
  auto it = words.find(key);
  return it == words.end() ? key.c_str() : tr(it->second);
}

// A node's status (to_string(NodeStatus)), shown translated.
[[maybe_unused]] const char* const kStatuses[] = {N_("up"), N_("crashed"), N_("restarting")};

}  // namespace

void LabApp::draw_inspector() {
  if (!world()) return;
  // A compare lesson: the world whose canvas was clicked last.
  const bool right = lesson_side(1) && inspected_side_ == 1;
  const World& w = right ? *lesson_side(1) : *world();
  const CanvasView& view = right ? twin_canvas_ : canvas_;
  if (lesson_side(1)) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette::sky_blue);
    ImGui::TextUnformatted(compare_title_[right ? 1 : 0].c_str());
    ImGui::PopStyleColor();
  }
  if (view.selected < 0 || static_cast<size_t>(view.selected) >= w.nodes().size()) {
    ImGui::TextWrapped(tr("Click a node to inspect it. Right-click a node to crash, restart or slow it."));
    ImGui::Separator();
    ImGui::Text("%s   %s", format_msg(trn("%zu node", "%zu nodes", static_cast<long>(w.nodes().size())), w.nodes().size()).c_str(),
                format_msg(trn("%zu message in flight", "%zu messages in flight", static_cast<long>(view.in_flight)),
                           view.in_flight).c_str());
    return;
  }
  const Node& n = w.node(view.selected);
  ImGui::Text("%s", n.name.c_str());
  const char* role_words = model_words(w, n.role);
  ImGui::TextDisabled("%s", tr(role_words ? role_words : n.role.c_str()));
  ImGui::Separator();
  ImGui::Text(tr("status: %s"), tr(to_string(n.status)));
  ImGui::Text(tr("cpu speed: %.2fx"), n.cpu_speed);
  ImGui::Text(tr("version: %s"), n.version.c_str());
  ImGui::Text(tr("incarnation: %u"), n.incarnation);
  if (n.process) {
    if (ImGui::BeginTable("inspect", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
      for (auto& [k, v] : n.process->inspect()) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextUnformatted(field_words(w, k));
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", k.c_str());   // the name conditions use
        ImGui::TableSetColumnIndex(1);
        const char* value_words = model_words(w, v);   // a word the model or the lab knows, in the language
        ImGui::TextWrapped("%s", tr(value_words ? value_words : v.c_str()));
      }
      ImGui::EndTable();
    }
  }
  for (auto& p : view.painters) p->draw_inspector(w, n.id);   // what the model knows (a Raft server's log, ...)
}

}  // namespace topo::ui
