// make_painters(): which model painters a world needs. The one place that knows the concrete
// models on the canvas side; each painter's factory is declared in its own header.
#include <memory>
#include <vector>

#include "models/raft/raft.h"
#include "models/replication/primary_backup.h"
#include "models/replication/quorum.h"
#include "ui/painters/devops_painter.h"
#include "ui/painters/painter.h"
#include "ui/painters/raft_painter.h"
#include "ui/painters/replication_painters.h"
#include "ui/painters/services_painter.h"

namespace topo::ui {

std::vector<std::unique_ptr<WorldPainter>> make_painters(const World& w) {
  std::vector<std::unique_ptr<WorldPainter>> out;
  auto add = [&](std::unique_ptr<WorldPainter> p) {
    if (p) out.push_back(std::move(p));
  };
  add(make_raft_painter(w));
  add(make_services_painter(w));
  add(make_pb_painter(w));
  add(make_quorum_painter(w));
  add(make_shard_painter(w));
  add(make_devops_painter(w));
  return out;
}

const kv::History* client_history(const World& w) {
  if (const auto* m = w.find_model<raft::RaftCluster>()) return &m->history();
  if (const auto* m = w.find_model<replication::PbModel>()) return &m->recorder().history();
  if (const auto* m = w.find_model<replication::QuorumModel>()) return &m->recorder().history();
  return nullptr;
}

}  // namespace topo::ui
