// The History tab: the client history of a key-value world and its linearizability check.
#include "ui/lab_app_internal.h"
#include "ui/tr.h"

namespace topo::ui {

using namespace detail;

void LabApp::draw_history() {
  const World* wp = world();
  if (!wp) return;
  const kv::History* h = client_history(*wp);
  if (!h) {
    ImGui::TextWrapped(tr("This world has no key-value clients, so there is no client history to show."));
    return;
  }
  ImGui::TextWrapped(tr("Each bar is one client operation, from when it was sent to when the answer came back."));
  if (ImGui::Button(tr("Check linearizability"))) {
    kv::CheckResult r = kv::check_linearizable(*h);
    lin_checked_at_ = wp->now();
    lin_flagged_.clear();
    if (r.verdict == kv::Verdict::Linearizable) {
      lin_verdict_ = format_msg(trn("Linearizable: the %zu operation fits one order that respects real time.",
                                    "Linearizable: the %zu operations fit one order that respects real time.",
                                    static_cast<long>(r.ops_checked)),
                                static_cast<size_t>(r.ops_checked));
    } else if (r.verdict == kv::Verdict::Inconclusive) {
      lin_verdict_ = tr("Inconclusive: the search gave up (too much concurrency); nothing was proven.");
    } else {
      lin_verdict_ = r.explanation;
      for (const auto& op : r.ops) lin_flagged_.push_back(op.id);
    }
  }
  if (lin_checked_at_ >= 0) {
    ImGui::PushStyleColor(ImGuiCol_Text, lin_flagged_.empty() ? palette::green : palette::vermillion);
    ImGui::TextWrapped(tr("At %s: %s"), fmt_time(lin_checked_at_).c_str(), lin_verdict_.c_str());
    ImGui::PopStyleColor();
  }
  // The newest operations over the last few seconds of simulated time.
  const Time window = 4 * kSec;
  const Time lo = std::max<Time>(0, wp->now() - window);
  std::vector<HistoryOp> ops;
  for (const auto& op : h->ops()) {
    if (op.complete_us >= 0 && op.complete_us < lo) continue;
    HistoryOp v;
    v.client = op.client;
    v.kind = op.kind == kv::OpKind::Read ? HistOpKind::Read : op.kind == kv::OpKind::Write ? HistOpKind::Write : HistOpKind::Cas;
    v.key = op.key;
    v.value = op.kind == kv::OpKind::Cas ? op.expected + "->" + op.value : op.value;
    v.invoke_us = op.invoke_us;
    v.complete_us = op.complete_us;
    v.outcome = op.outcome == kv::Outcome::Ok ? HistOutcome::Ok : op.outcome == kv::Outcome::Failed ? HistOutcome::Fail : HistOutcome::Unknown;
    v.flagged = std::find(lin_flagged_.begin(), lin_flagged_.end(), op.id) != lin_flagged_.end();
    if (v.flagged) v.note = "part of the linearizability violation";
    ops.push_back(std::move(v));
  }
  HistoryViewOptions ho;
  ho.client_label = tr("client %d");
  ho.x_min_us = lo;
  ho.x_max_us = std::max<Time>(wp->now(), lo + 1);
  history_view("##history", ImVec2(-1, 0), ops.data(), static_cast<int>(ops.size()), ho);
}

}  // namespace topo::ui
