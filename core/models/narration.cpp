// Narration: see narration.h.
#include "models/narration.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "models/services/services.h"
#include "scenario/json.h"
#include "util/format.h"
#include "util/i18n.h"

namespace topo {

namespace {

constexpr size_t kMaxLines = 500;
constexpr Time kWindowUs = 2'000'000;   ///< services: rates over the last 2 simulated seconds

using i18n::format;
using i18n::tr;
using i18n::trn;

/// "n1", "n1 and n2", "n1, n2 and n3" (in the lab's language: "n1, n2 y n3").
std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? tr(" and ") : tr(", ");
    out += names[i];
  }
  return out;
}

}  // namespace

int Narration::error_band(double rate) {
  if (rate >= 0.50) return 4;
  if (rate >= 0.25) return 3;
  if (rate >= 0.10) return 2;
  if (rate >= 0.01) return 1;
  return 0;
}

double Narration::band_floor(int band) {
  static const double floors[] = {0.0, 0.01, 0.10, 0.25, 0.50};
  return floors[std::clamp(band, 0, 4)];
}

void Narration::say(Time t, std::string text) {
  lines_.push_back({t, next_id_++, std::move(text)});
  if (lines_.size() > kMaxLines) lines_.erase(lines_.begin(), lines_.begin() + static_cast<long>(lines_.size() - kMaxLines));
}

void Narration::sample(const World& w) {
  scan_trace(w);
  look_at_services(w);
}

std::vector<std::pair<Time, std::string>> Narration::trace_lines(const World& w, uint64_t seen, Time before) {
  const Trace& trace = w.trace();
  const auto& evs = trace.events();
  const uint64_t fresh = trace.count() - std::min(seen, trace.count());
  const size_t from = evs.size() > fresh ? evs.size() - static_cast<size_t>(fresh) : 0;
  std::vector<std::pair<Time, std::string>> out;
  auto name = [&](int32_t id) {
    return id >= 0 && static_cast<size_t>(id) < w.nodes().size() ? w.node(id).name : std::string("?");
  };
  // Events of one simulated moment are one group: "n1 and n2 crashed".
  size_t i = from;
  while (i < evs.size() && evs[i].t < before) {
    const Time t = evs[i].t;
    std::vector<std::string> crashed, restarting, back;
    std::vector<std::pair<std::string, std::string>> leaders;   // (node, "term 2")
    std::vector<std::string> devops;   // the devops model's pipeline events, in order
    bool healed = false, split = false;
    for (; i < evs.size() && evs[i].t == t; ++i) {
      const TraceEvent& e = evs[i];
      switch (e.kind) {
        case TraceKind::Crash: crashed.push_back(name(e.node)); break;
        case TraceKind::Restart: restarting.push_back(name(e.node)); break;
        case TraceKind::Recover: back.push_back(name(e.node)); break;
        case TraceKind::Partition: split = true; break;
        case TraceKind::Heal: healed = true; break;
        case TraceKind::Note:
          if (e.what == "became leader") leaders.push_back({name(e.node), e.detail});
          // DevOps pipelines (models/usecases/devops): trains, incidents, rollbacks, fixes; not
          // every deploy (the services deploy many times an hour).
          else if (e.what == "release train left") {
            const long k = std::atol(e.detail.c_str());
            devops.push_back(format(trn("the release train left with %ld change", "the release train left with %ld changes", k), k));
          } else if (e.what == "bad change live")
            devops.push_back(format(tr("%s: a bad change reached every user"), e.detail.c_str()));
          else if (e.what == "canary rolled back")
            devops.push_back(format(tr("%s: the canary saw errors and rolled the change back"), e.detail.c_str()));
          else if (e.what == "fix live")
            devops.push_back(format(tr("%s: the fix is live, users are fine again"), e.detail.c_str()));
          break;
        default: break;
      }
    }
    // Whole sentences in the lab's language (util/i18n.h); the CLI and the tests read English.
    auto n = [](const std::vector<std::string>& v) { return static_cast<long>(v.size()); };
    if (!crashed.empty()) out.push_back({t, format(trn("%s crashed", "%s crashed", n(crashed)), join_names(crashed).c_str())});
    if (!restarting.empty())
      out.push_back({t, format(trn("%s is restarting", "%s are restarting", n(restarting)), join_names(restarting).c_str())});
    if (!back.empty()) out.push_back({t, format(trn("%s is back up", "%s are back up", n(back)), join_names(back).c_str())});
    if (split) {
      // Name the sides: the nodes in each partition group (as they are now).
      std::map<int, std::vector<std::string>> sides;
      const auto& groups = w.partition_groups();
      for (size_t k = 0; k < groups.size() && k < w.nodes().size(); ++k) sides[groups[k]].push_back(w.node(static_cast<NodeId>(k)).name);
      std::string text = tr("the network split");
      if (sides.size() > 1) {
        std::string list;
        bool first = true;
        for (const auto& [g, names] : sides) {
          list += (first ? "" : " | ") + join_names(names);
          first = false;
        }
        text = format(tr("the network split: %s"), list.c_str());
      }
      out.push_back({t, text});
    }
    if (healed) out.push_back({t, tr("the network healed")});
    for (auto& line : devops) out.push_back({t, std::move(line)});
    for (const auto& [node, term] : leaders)
      out.push_back({t, term.rfind("term ", 0) == 0 ? format(tr("%s became leader in term %s"), node.c_str(), term.c_str() + 5)
                        : term.empty() ? format(tr("%s became leader"), node.c_str())
                                       : format(tr("%s became leader in %s"), node.c_str(), term.c_str())});
  }
  return out;
}

void Narration::scan_trace(const World& w) {
  // At a boundary every event up to now is final (run_until ran all events <= now).
  for (auto& [t, text] : trace_lines(w, trace_seen_, w.now() + 1)) say(t, std::move(text));
  trace_seen_ = w.trace().count();
}

std::vector<NarrationLine> Narration::lines_now(const World& w) const {
  std::vector<NarrationLine> out = lines_;
  // Events since the last boundary, before the current moment (a moment's events may not all
  // have run yet when the world was stepped one event at a time): the same lines, with the same
  // ids, that the next boundary will keep.
  uint64_t id = next_id_;
  for (auto& [t, text] : trace_lines(w, trace_seen_, w.now())) out.push_back({t, id++, std::move(text)});
  return out;
}

void Narration::look_at_services(const World& w) {
  const auto* m = w.find_model<svc::ServicesModel>();
  if (!m) return;
  const Time t = w.now();
  const svc::Graph& g = m->graph();
  for (const auto& sys : g.systems) {
    const std::string prefix = g.multi() ? sys.name + "/" : "";
    for (const auto& d : sys.deps) {
      const std::string svc = prefix + d.spec.name;
      // Errors: a line when the service moves to another band (rose to / fell to).
      const auto sum = d.window.summary(t, kWindowUs);
      const double err = sum.count > 0 ? 1.0 - sum.success_rate : 0.0;
      auto b = band_.find(svc);
      const int was = b == band_.end() ? 0 : b->second;
      // Hysteresis: a service leaves a band downwards only well below its floor, so a rate that
      // hovers at 10% is not read out again and again.
      int band = error_band(err);
      if (band < was && err >= band_floor(was) * 0.75) band = was;
      if (band != was) {
        if (band > was) say(t, format(tr("%s errors rose to %s"), svc.c_str(), util::format_percent(err).c_str()));
        else if (band == 0) say(t, format(tr("%s errors are back under 1%%"), svc.c_str()));
        else say(t, format(tr("%s errors fell to %s"), svc.c_str(), util::format_percent(err).c_str()));
        band_[svc] = band;
      }
      // Scaling.
      auto ds = desired_.find(svc);
      if (ds == desired_.end()) desired_[svc] = d.desired;
      else if (ds->second != d.desired) {
        say(t, format(d.desired > ds->second ? trn("%s scaled up to %d replica", "%s scaled up to %d replicas", d.desired)
                                             : trn("%s scaled down to %d replica", "%s scaled down to %d replicas", d.desired),
                      svc.c_str(), d.desired));
        ds->second = d.desired;
      }
      // Deployments: how far a new version has got, and how it ended.
      int ready = 0, on_new = 0;
      for (const auto& r : d.replicas) {
        if (r.state != svc::RState::Ready) continue;
        ++ready;
        if (!d.deploy.to_version.empty() && r.version == d.deploy.to_version) ++on_new;
      }
      const std::string status = d.deploy.status;
      auto st = deploy_status_.find(svc);
      const std::string was_status = st == deploy_status_.end() ? "idle" : st->second;
      if (status == "progressing") {
        if (was_status != "progressing") say(t, format(tr("%s started deploying %s"), svc.c_str(), d.deploy.to_version.c_str()));
        auto ro = rollout_.find(svc);
        if ((ro == rollout_.end() || ro->second != on_new) && on_new > 0)
          say(t, format(trn("%s %s is now on %d of %d replica", "%s %s is now on %d of %d replicas", ready), svc.c_str(),
                        d.deploy.to_version.c_str(), on_new, ready));
        rollout_[svc] = on_new;
      } else if (status != was_status) {
        if (status == "complete") say(t, format(tr("%s %s is on every replica"), svc.c_str(), d.deploy.to_version.c_str()));
        else if (status == "rolled_back")
          say(t, format(tr("%s's deployment of %s was rolled back"), svc.c_str(), d.deploy.to_version.c_str()));
        else if (status == "switched") say(t, format(tr("%s switched its traffic to %s"), svc.c_str(), d.deploy.to_version.c_str()));
        rollout_.erase(svc);
      }
      deploy_status_[svc] = status;
    }
    for (const auto& e : sys.edges) {
      if (!e.effective().breaker) continue;
      const std::string key = prefix + e.from + "->" + e.to;
      const svc::BreakerState bs = e.breaker.state_at(t);
      const std::string state = bs == svc::BreakerState::Open ? "open" : bs == svc::BreakerState::HalfOpen ? "half_open" : "closed";
      auto it = breaker_.find(key);
      const std::string was = it == breaker_.end() ? "closed" : it->second;
      if (state != was) {
        const std::string from = prefix + e.from;
        if (state == "open") say(t, format(tr("the circuit breaker from %s to %s opened"), from.c_str(), e.to.c_str()));
        else if (state == "half_open")
          say(t, format(tr("the circuit breaker from %s to %s is half-open: trying %s again"), from.c_str(), e.to.c_str(), e.to.c_str()));
        else say(t, format(tr("the circuit breaker from %s to %s closed again"), from.c_str(), e.to.c_str()));
        breaker_[key] = state;
      }
    }
  }
}

std::string Narration::lines_json(const std::vector<NarrationLine>& lines) {
  std::ostringstream o;
  o << "{\"name\":\"narration\",\"count\":" << (lines.empty() ? 0 : lines.back().id) << ",\"lines\":[";
  const size_t from = lines.size() > 30 ? lines.size() - 30 : 0;
  for (size_t i = from; i < lines.size(); ++i)
    o << (i > from ? "," : "") << "{\"id\":" << lines[i].id << ",\"t_us\":" << lines[i].t << ",\"text\":" << json_quote(lines[i].text) << "}";
  o << "]}";
  return o.str();
}

std::string Narration::state_json() const { return lines_json(lines_); }

std::string describe_world(const World& w) {
  // Servers grouped by what a student needs first: down, then role (leader first).
  std::map<std::string, std::vector<std::string>> by_state;
  std::vector<std::string> order;
  size_t servers = 0, clients = 0;
  std::string leader_text;
  std::map<std::string, std::vector<std::string>> services;   // service -> replicas up
  std::map<std::string, int> services_total;
  for (const auto& n : w.nodes()) {
    if (n->role.find("client") != std::string::npos) {
      ++clients;
      continue;
    }
    const size_t colon = n->role.find(':');
    if (colon != std::string::npos && (n->role.compare(0, colon, "service") == 0 || n->role.compare(0, colon, "queue") == 0)) {
      const std::string svc = n->role.substr(colon + 1);
      ++services_total[svc];
      if (n->status == NodeStatus::Up) services[svc].push_back(n->name);
      else services[svc];
      continue;
    }
    ++servers;
    std::string state;
    if (n->status == NodeStatus::Crashed) state = "crashed";
    else if (n->status == NodeStatus::Restarting) state = "restarting";
    else {
      std::string role, term;
      if (n->process)
        for (auto& [k, v] : n->process->inspect()) {
          if (k == "role") role = v;
          else if (k == "term") term = v;
        }
      if (role == "leader" || role == "primary") {
        leader_text = role == "leader" ? (term.empty() ? format(tr("%s leader"), n->name.c_str())
                                                       : format(tr("%s leader in term %s"), n->name.c_str(), term.c_str()))
                                       : (term.empty() ? format(tr("%s primary"), n->name.c_str())
                                                       : format(tr("%s primary in term %s"), n->name.c_str(), term.c_str()));
        continue;
      }
      state = role.empty() || role == n->name ? "up" : role + (role == "follower" || role == "backup" || role == "candidate" ? "s" : "");
    }
    if (!by_state.count(state)) order.push_back(state);
    by_state[state].push_back(n->name);
  }
  std::string out;
  if (servers > 0) {
    out += format(trn("%zu server: ", "%zu servers: ", static_cast<long>(servers)), servers);
    std::vector<std::string> parts;
    if (!leader_text.empty()) parts.push_back(leader_text);
    else if (w.find_model<Narration>() && servers > 1) parts.push_back(tr("no leader"));
    // The states as whole phrases ("n2 and n3 followers", "n4 crashed"), in the lab's language.
    for (const auto& st : order) {
      const auto& names = by_state[st];
      const long k = static_cast<long>(names.size());
      const std::string who = join_names(names);
      std::string phrase;
      if (st == "crashed") phrase = format(trn("%s crashed", "%s crashed", k), who.c_str());
      else if (st == "restarting") phrase = format(tr("%s restarting"), who.c_str());
      else if (st == "up") phrase = format(tr("%s up"), who.c_str());
      else if (st == "followers") phrase = format(trn("%s follower", "%s followers", k), who.c_str());
      else if (st == "backups") phrase = format(trn("%s backup", "%s backups", k), who.c_str());
      else if (st == "candidates") phrase = format(trn("%s candidate", "%s candidates", k), who.c_str());
      else phrase = who + " " + st;
      parts.push_back(phrase);
    }
    for (size_t i = 0; i < parts.size(); ++i) out += (i ? "; " : "") + parts[i];
    out += ". ";
  }
  if (!services.empty()) {
    out += format(trn("%zu service: ", "%zu services: ", static_cast<long>(services.size())), services.size());
    bool first = true;
    for (const auto& [svc, up] : services) {
      out += (first ? "" : ", ") + format(tr("%s %zu of %d up"), svc.c_str(), up.size(), services_total[svc]);
      first = false;
    }
    out += ". ";
  }
  if (clients > 0) out += format(trn("%zu client. ", "%zu clients. ", static_cast<long>(clients)), clients);
  bool split = false;
  for (int g : w.partition_groups()) split = split || g != 0;
  if (split) out += tr("The network is split. ");
  for (const auto& m : w.models()) {
    if (auto a = m->value("availability")) {
      out += format(tr("%s of requests answered recently. "), util::format_percent(*a).c_str());
      break;
    }
    if (auto sr = m->value("success_rate")) {
      out += format(tr("%s of requests succeed recently. "), util::format_percent(*sr).c_str());
      break;
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

void install_narration(World& w) {
  Narration* n = static_cast<Narration*>(w.add_model(std::make_unique<Narration>()));
  w.add_sampler([n](World& world) { n->sample(world); });
}

}  // namespace topo
