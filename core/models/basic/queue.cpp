// The queueing station shared by mm1 and mmc: arrivals by timer, service by ctx.work on the
// node's cores, statistics from the completions the engine reports.
#include "models/basic/queue.h"

#include <cmath>
#include <ostream>

#include "util/format.h"
#include "util/i18n.h"

namespace topo::basic {

namespace {

// x >= 0 here (exponential draws), so truncating x + 0.5 is floor(x + 0.5) without a libm call.
Time round_us(double x) { return static_cast<Time>(x + 0.5); }

class QueueServer : public Process {
 public:
  explicit QueueServer(QueueModel* model)
      : model_(model),
        mean_interarrival_us_(1e6 / model->config().lambda_per_sec),
        mean_service_us_(1e6 / model->config().mu_per_sec) {}

  void on_start(Ctx& ctx) override {
    if (model_->config().customers > arrivals_) ctx.set_timer(next_gap(ctx), 0);
  }

  void on_timer(Ctx& ctx, TimerId, uint64_t) override {
    ++arrivals_;
    model_->arrived();
    // The tag carries the arrival time: time in system = completion - arrival.
    ctx.work(round_us(ctx.rng().exponential(mean_service_us_)), static_cast<uint64_t>(ctx.now()));
    if (arrivals_ < model_->config().customers) ctx.set_timer(next_gap(ctx), 0);
  }

  void on_message(Ctx&, const Message&) override {}

  void on_work_done(Ctx& ctx, uint64_t tag) override { model_->served(ctx.now() - static_cast<Time>(tag)); }

  std::vector<std::pair<std::string, std::string>> inspect() const override {
    return {{"arrivals", std::to_string(arrivals_)}, {"served", std::to_string(model_->served_count())}};
  }

 private:
  Time next_gap(Ctx& ctx) { return round_us(ctx.rng().exponential(mean_interarrival_us_)); }
  QueueModel* model_;
  double mean_interarrival_us_;
  double mean_service_us_;
  int64_t arrivals_ = 0;
};

std::string num(double v) { return util::format_significant(v, 9); }

}  // namespace

void QueueModel::served(Time time_in_system_us) {
  ++served_;
  sum_us_ += time_in_system_us;
  if (hist) hist->record(time_in_system_us);
}

double QueueModel::mean_time_in_system_s() const {
  return served_ ? static_cast<double>(sum_us_) / static_cast<double>(served_) / 1e6 : 0.0;
}

std::optional<double> QueueModel::value(std::string_view key) const {
  if (key == "customers_served") return static_cast<double>(served_);
  if (key == "customers_arrived") return static_cast<double>(arrived_);
  if (key == "mean_time_in_system_s") return mean_time_in_system_s();
  if (key == "mean_time_in_system_ms") return mean_time_in_system_s() * 1e3;
  if (key == "p50_time_in_system_ms" && hist) return static_cast<double>(hist->quantile(0.5)) / 1e3;
  if (key == "p99_time_in_system_ms" && hist) return static_cast<double>(hist->quantile(0.99)) / 1e3;
  if (key == "lambda_per_sec") return cfg_.lambda_per_sec;
  if (key == "mu_per_sec") return cfg_.mu_per_sec;
  if (key == "servers") return static_cast<double>(cfg_.servers);
  return std::nullopt;
}

std::vector<ValueDecl> QueueModel::value_decls() const {
  std::vector<ValueDecl> v = value_decl_table({
      {"customers_served", "count", "", "customers served"},
      {"customers_arrived", "count", "", "customers arrived"},
      {"mean_time_in_system_s", "number", "s", "mean time from arrival to departure"},
      {"mean_time_in_system_ms", "number", "ms", "the same in milliseconds"},
      {"lambda_per_sec", "number", "1/s", "arrival rate"},
      {"mu_per_sec", "number", "1/s", "service rate of one server"},
      {"servers", "count", "", "servers (CPU cores)"},
  });
  if (hist) {
    v.push_back({"p50_time_in_system_ms", "number", "ms", "median time in the system"});
    v.push_back({"p99_time_in_system_ms", "number", "ms", "99th percentile time in the system"});
  }
  return v;
}

std::string QueueModel::state_json() const {
  return "{\"customers_arrived\":" + std::to_string(arrived_) + ",\"customers_served\":" +
         std::to_string(served_) + ",\"mean_time_in_system_s\":" + num(mean_time_in_system_s()) + "}";
}

void QueueModel::report_metrics(std::ostream& out) const {
  out << "{\"model\":\"" << name_ << "\",\"servers\":" << cfg_.servers
      << ",\"lambda_per_sec\":" << num(cfg_.lambda_per_sec) << ",\"mu_per_sec\":" << num(cfg_.mu_per_sec)
      << ",\"customers\":" << served_ << ",\"mean_time_in_system_s\":" << num(mean_time_in_system_s());
  if (hist)
    out << ",\"p50_ms\":" << num(static_cast<double>(hist->quantile(0.5)) / 1e3)
        << ",\"p99_ms\":" << num(static_cast<double>(hist->quantile(0.99)) / 1e3)
        << ",\"max_ms\":" << num(static_cast<double>(hist->max()) / 1e3);
  out << "}\n";
}

QueueModel* build_queue(World& w, const std::string& name, const QueueConfig& cfg) {
  auto* model = static_cast<QueueModel*>(w.add_model(std::make_unique<QueueModel>(name, cfg)));
  model->hist = &w.metrics().histogram(name + ".time_in_system_us");
  const NodeId id = w.add_node("server", "queue", [model](NodeId, Persistent*) {
    return std::make_unique<QueueServer>(model);
  });
  w.mutable_node(id).cores = cfg.servers;
  return model;
}

}  // namespace topo::basic

namespace topo::basic {

std::span<const Model::Word> QueueModel::words() const {
  static constexpr Model::Word kWords[] = {
      {"queue", N_("queue")},
  };
  return kWords;
}

}  // namespace topo::basic
