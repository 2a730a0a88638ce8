// Scenario files for the service models: the TOML format (see lessons/scenarios/shop.toml for a
// commented example), the call-tree mini language, the monolith packing and the scenario
// parameters. Every error names FILE:LINE:COL from toml++'s source regions.
#include "models/services/spec.h"
#include "scenario/toml_guard.h"
#include "util/parse.h"
#include "util/text.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <set>
#include <sstream>

#include <toml++/toml.h>

namespace topo::svc {

// ---------------------------------------------------------------------------------------------
// small helpers
// ---------------------------------------------------------------------------------------------

Time ServiceTime::sample_us(Rng& rng) const {
  const double mean_us = mean_ms * 1000.0;
  double v = mean_us;
  switch (kind) {
    case Kind::Exponential: v = rng.exponential(mean_us); break;
    case Kind::Constant: v = mean_us; break;
    case Kind::Uniform: v = rng.uniform(mean_us * (1 - cv), mean_us * (1 + cv)); break;
    case Kind::Lognormal: {
      // mean m, cv c: sigma^2 = ln(1 + c^2), mu = ln m - sigma^2 / 2
      const double s2 = det_log(1.0 + cv * cv);
      v = rng.lognormal(det_log(mean_us) - s2 / 2, std::sqrt(s2));
      break;
    }
  }
  if (v < 1) v = 1;
  return static_cast<Time>(v);
}

const char* to_string(LbPolicy p) {
  switch (p) {
    case LbPolicy::RoundRobin: return "round_robin";
    case LbPolicy::LeastOutstanding: return "least_outstanding";
    case LbPolicy::PowerOfTwo: return "p2c";
  }
  return "?";
}

std::optional<LbPolicy> parse_lb(const std::string& s) {
  if (s == "round_robin" || s == "rr") return LbPolicy::RoundRobin;
  if (s == "least_outstanding" || s == "least_request" || s == "lor") return LbPolicy::LeastOutstanding;
  if (s == "p2c" || s == "power_of_two" || s == "power_of_two_choices") return LbPolicy::PowerOfTwo;
  return std::nullopt;
}

const char* to_string(FaultSpec::Kind k) {
  switch (k) {
    case FaultSpec::Kind::None: return "none";
    case FaultSpec::Kind::Errors: return "errors";
    case FaultSpec::Kind::CrashLoop: return "crash_loop";
    case FaultSpec::Kind::Leak: return "leak";
  }
  return "?";
}

std::optional<FaultSpec::Kind> parse_fault(const std::string& s) {
  if (s == "none" || s == "off") return FaultSpec::Kind::None;
  if (s == "errors") return FaultSpec::Kind::Errors;
  if (s == "crash_loop" || s == "crashloop") return FaultSpec::Kind::CrashLoop;
  if (s == "leak" || s == "memory_leak") return FaultSpec::Kind::Leak;
  return std::nullopt;
}

bool parse_double(const std::string& s, double* out) { return util::parse_number(s, out); }

bool parse_int(const std::string& s, int64_t* out) { return util::parse_int(s, out); }

bool parse_bool(const std::string& s, bool* out) { return util::parse_bool(s, out); }

std::string nearest_name(const std::string& name, const std::vector<std::string>& known) {
  const util::Nearest n = util::nearest(name, known);
  if (n.name.empty() || n.distance > std::max<size_t>(2, name.size() / 2)) return "";
  return n.name;
}

std::string unknown_name_error(const std::string& what, const std::string& name,
                               const std::vector<std::string>& known) {
  std::string msg = "unknown " + what + " '" + name + "' (known: ";
  for (size_t i = 0; i < known.size(); i++) msg += (i ? ", " : "") + known[i];
  msg += ")";
  const std::string near = nearest_name(name, known);
  if (!near.empty()) msg += "; did you mean '" + near + "'?";
  return msg;
}

// ---------------------------------------------------------------------------------------------
// SystemSpec
// ---------------------------------------------------------------------------------------------

const ModuleSpec* SystemSpec::module(const std::string& n) const {
  for (const auto& m : modules) if (m.name == n) return &m;
  return nullptr;
}
const DeployableSpec* SystemSpec::deployable(const std::string& n) const {
  for (const auto& d : deployables) if (d.name == n) return &d;
  return nullptr;
}
DeployableSpec* SystemSpec::deployable(const std::string& n) {
  for (auto& d : deployables) if (d.name == n) return &d;
  return nullptr;
}
const RequestTypeSpec* SystemSpec::type(const std::string& n) const {
  for (const auto& t : types) if (t.name == n) return &t;
  return nullptr;
}

std::vector<std::pair<std::string, std::string>> SystemSpec::call_edges() const {
  std::vector<std::pair<std::string, std::string>> out;
  std::set<std::pair<std::string, std::string>> seen;
  auto add = [&](const std::string& a, const std::string& b) {
    if (seen.insert({a, b}).second) out.emplace_back(a, b);
  };
  struct Walk {
    const SystemSpec* s;
    decltype(add)* addp;
    void go(const CallSpec& c) {
      const ModuleSpec* pm = s->module(c.module);
      for (const auto& first : c.children) {
        // The child, then its alternatives (`a|b`): all called by c's module.
        for (const CallSpec* ch = &first; ch; ch = ch->otherwise.empty() ? nullptr : &ch->otherwise.front()) {
          const ModuleSpec* cm = s->module(ch->module);
          if (pm && cm && pm->deployable != cm->deployable) (*addp)(c.module, ch->module);
          go(*ch);
        }
      }
    }
  } walk{this, &add};
  for (const auto& t : types) {
    add("client", t.root.module);
    walk.go(t.root);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// call trees: name ( child , child ( ... ) )
// ---------------------------------------------------------------------------------------------

namespace {
struct TreeParser {
  const std::string& s;
  size_t i = 0;
  std::string err;
  size_t err_at = 0;
  void ws() { while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) i++; }
  bool fail(const std::string& e) { if (err.empty()) { err = e; err_at = i; } return false; }
  bool node(CallSpec& out, int depth) {
    if (depth > 16) return fail("call tree nested more than 16 deep");
    ws();
    size_t start = i;
    while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == '-')) i++;
    if (i == start) return fail("expected a service name");
    out.module = s.substr(start, i - start);
    ws();
    if (i < s.size() && s[i] == '?') {   // a call made with this probability
      i++;
      ws();
      const char* begin = s.c_str() + i;
      char* end = nullptr;
      const double p = std::strtod(begin, &end);
      if (end == begin || !(p >= 0 && p <= 1)) return fail("expected a probability between 0 and 1 after '?'");
      i += static_cast<size_t>(end - begin);
      out.probability = p;
      ws();
    }
    if (i < s.size() && s[i] == '(') {
      i++;
      for (;;) {
        CallSpec child;
        if (!chain(child, depth + 1)) return false;
        out.children.push_back(std::move(child));
        ws();
        if (i < s.size() && s[i] == ',') { i++; continue; }
        if (i < s.size() && s[i] == ')') { i++; break; }
        return fail("expected ',' or ')'");
      }
    }
    return true;
  }
  /// A child and its alternatives: `a|b|c` calls b when a fails, c when b fails.
  bool chain(CallSpec& out, int depth) {
    if (!node(out, depth)) return false;
    ws();
    CallSpec* last = &out;
    while (i < s.size() && s[i] == '|') {
      i++;
      ws();
      const size_t at = i;
      CallSpec alt;
      if (!node(alt, depth)) return false;
      if (alt.probability != 1.0) {
        i = at;
        return fail("a probability goes on the first service of a|b, not on the alternative");
      }
      last->otherwise.push_back(std::move(alt));
      last = &last->otherwise.back();
      ws();
    }
    return true;
  }
};
}  // namespace

std::optional<CallSpec> parse_call_tree(const std::string& text, std::string* error,
                                        size_t* error_offset) {
  TreeParser p{text, 0, {}, 0};
  CallSpec root;
  if (p.node(root, 0)) {
    p.ws();
    if (root.probability != 1.0) {
      p.i = 0;
      p.fail("the first call of a request cannot have a probability");
    } else if (p.i == text.size()) {
      return root;
    }
    p.fail("unexpected text after the call tree");
  }
  if (error) *error = p.err;
  if (error_offset) *error_offset = p.err_at;
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// TOML
// ---------------------------------------------------------------------------------------------

namespace {

struct TomlReader {
  std::string file;
  std::string err;

  std::string where(const toml::node& n) const {
    const auto& b = n.source().begin;
    return file + ":" + std::to_string(b.line) + ":" + std::to_string(b.column);
  }
  bool fail(const toml::node& n, const std::string& what) {
    if (err.empty()) err = where(n) + ": " + what;
    return false;
  }
  /// Rejects keys not in `allowed` (teachers' typos), naming the nearest allowed key.
  bool keys(const toml::table& t, const std::vector<std::string>& allowed, const std::string& ctx) {
    for (const auto& [k, v] : t) {
      const std::string key(k.str());
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        return fail(v, unknown_name_error("key", key, allowed) + " in " + ctx);
      }
    }
    return true;
  }
  bool num(const toml::table& t, const char* key, double* out, double lo, double hi) {
    const toml::node* n = t.get(key);
    if (!n) return true;
    std::optional<double> v = n->value<double>();
    if (!v) return fail(*n, std::string("'") + key + "' must be a number");
    if (*v < lo || *v > hi)
      return fail(*n, std::string("'") + key + "' must be in [" + std::to_string(lo) + ", " +
                          std::to_string(hi) + "]");
    *out = *v;
    return true;
  }
  bool integer(const toml::table& t, const char* key, int* out, int lo, int hi) {
    const toml::node* n = t.get(key);
    if (!n) return true;
    std::optional<int64_t> v = n->value<int64_t>();
    if (!v || !n->is_integer()) return fail(*n, std::string("'") + key + "' must be an integer");
    if (*v < lo || *v > hi)
      return fail(*n, std::string("'") + key + "' must be in [" + std::to_string(lo) + ", " +
                          std::to_string(hi) + "]");
    *out = static_cast<int>(*v);
    return true;
  }
  bool boolean(const toml::table& t, const char* key, bool* out) {
    const toml::node* n = t.get(key);
    if (!n) return true;
    std::optional<bool> v = n->value<bool>();
    if (!v) return fail(*n, std::string("'") + key + "' must be true or false");
    *out = *v;
    return true;
  }
  bool str(const toml::table& t, const char* key, std::string* out, bool required = false) {
    const toml::node* n = t.get(key);
    if (!n) {
      if (required) return fail(t, std::string("missing '") + key + "'");
      return true;
    }
    std::optional<std::string> v = n->value<std::string>();
    if (!v) return fail(*n, std::string("'") + key + "' must be a string");
    *out = *v;
    return true;
  }
  bool duration_ms(const toml::table& t, const char* key, Time* out, double scale_us) {
    double v = 0;
    if (!t.get(key)) return true;
    if (!num(t, key, &v, 0, 1e9)) return false;
    *out = static_cast<Time>(v * scale_us);
    return true;
  }
};

const std::vector<std::string> kServiceKeys = {
    "name", "kind", "replicas", "workers", "cores", "queue_limit", "service_ms", "distribution", "cv",
    "lb", "health_checks", "health_interval_ms", "unhealthy_threshold", "healthy_threshold",
    "startup_s", "memory_limit_mb", "autoscale", "min_replicas", "max_replicas", "target_cpu",
    "scale_down_window_s", "sync_period_s", "version", "versions"};
const std::vector<std::string> kVersionKeys = {"name", "latency_factor", "error_rate"};
const std::vector<std::string> kRequestKeys = {"name", "rps", "calls", "slo", "slo_latency_ms"};
const std::vector<std::string> kEdgeKeys = {
    "from", "to", "timeout_ms", "retries", "backoff_ms", "backoff_cap_ms", "retry_budget",
    "breaker", "breaker_threshold", "breaker_window", "breaker_min_calls", "breaker_wait_s",
    "breaker_half_open", "bulkhead", "fallback"};
const std::vector<std::string> kSystemKeys = {"entry", "client_timeout_ms", "connect_timeout_ms",
                                              "window_s", "resilience"};
const std::vector<std::string> kMonolithKeys = {"replicas", "workers", "cores", "queue_limit", "startup_s",
                                                "memory_limit_mb", "lb"};
const std::vector<std::string> kTopKeys = {"scenario", "system", "service", "request", "edge",
                                           "monolith"};

bool read_edge_policy(TomlReader& r, const toml::table& t, EdgePolicy& p) {
  double v = 0;
  int iv = 0;
  bool b = false;
  if (t.get("timeout_ms")) { if (!r.num(t, "timeout_ms", &v, 0, 1e7)) return false; p.timeout_us = static_cast<Time>(v * 1000); }
  if (t.get("retries")) { if (!r.integer(t, "retries", &iv, 0, 10)) return false; p.retries = iv; }
  if (t.get("backoff_ms")) { if (!r.num(t, "backoff_ms", &v, 0, 1e6)) return false; p.backoff_base_us = static_cast<Time>(v * 1000); }
  if (t.get("backoff_cap_ms")) { if (!r.num(t, "backoff_cap_ms", &v, 0, 1e7)) return false; p.backoff_cap_us = static_cast<Time>(v * 1000); }
  if (!r.num(t, "retry_budget", &p.retry_budget, 0, 10)) return false;
  if (t.get("breaker")) { if (!r.boolean(t, "breaker", &b)) return false; p.breaker = b; }
  if (!r.num(t, "breaker_threshold", &p.breaker_cfg.failure_rate_threshold, 0.01, 1)) return false;
  if (!r.integer(t, "breaker_window", &p.breaker_cfg.sliding_window_size, 1, 100000)) return false;
  if (!r.integer(t, "breaker_min_calls", &p.breaker_cfg.minimum_number_of_calls, 1, 100000)) return false;
  if (t.get("breaker_wait_s")) { if (!r.num(t, "breaker_wait_s", &v, 0, 1e5)) return false; p.breaker_cfg.wait_in_open_us = static_cast<Time>(v * 1e6); }
  if (!r.integer(t, "breaker_half_open", &p.breaker_cfg.permitted_calls_in_half_open, 1, 100000)) return false;
  if (!r.integer(t, "bulkhead", &p.bulkhead, 0, 100000)) return false;
  if (t.get("fallback")) { if (!r.boolean(t, "fallback", &b)) return false; p.fallback = b; }
  return true;
}

bool read_deployable_common(TomlReader& r, const toml::table& t, DeployableSpec& d) {
  double v = 0;
  if (!r.integer(t, "replicas", &d.replicas, 1, 64)) return false;
  if (!r.integer(t, "workers", &d.workers, 1, 1024)) return false;
  if (!r.integer(t, "cores", &d.cores, 0, 1024)) return false;
  if (!r.integer(t, "queue_limit", &d.queue_limit, 0, 100000)) return false;
  if (t.get("startup_s")) { if (!r.num(t, "startup_s", &v, 0, 3600)) return false; d.startup_us = static_cast<Time>(v * 1e6); }
  if (!r.num(t, "memory_limit_mb", &d.memory_limit_mb, 1, 1e6)) return false;
  std::string lb;
  if (!r.str(t, "lb", &lb)) return false;
  if (!lb.empty()) {
    auto p = parse_lb(lb);
    if (!p) return r.fail(*t.get("lb"), unknown_name_error("lb policy", lb, {"round_robin", "least_outstanding", "p2c"}));
    d.lb = *p;
  }
  return true;
}

}  // namespace

std::optional<ShopSpec> parse_shop_toml(const std::string& text, const std::string& file,
                                        std::string* error) {
  if (TomlGuardResult g = toml_guard(text); !g.ok()) {
    if (error) *error = file + ":" + std::to_string(g.line) + ":" + std::to_string(g.col) + ": " + g.message;
    return std::nullopt;
  }
  toml::table root;
  try {
    root = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    if (error) *error = file + ":" + std::to_string(b.line) + ":" + std::to_string(b.column) + ": " +
                        std::string(e.description());
    return std::nullopt;
  }
  TomlReader r{file, {}};
  ShopSpec out;
  SystemSpec& s = out.micro;
  auto done = [&]() -> std::optional<ShopSpec> {
    if (error) *error = r.err;
    return std::nullopt;
  };
  if (!r.keys(root, kTopKeys, "the scenario file")) return done();

  if (const toml::table* sys = root["system"].as_table()) {
    if (!r.keys(*sys, kSystemKeys, "[system]")) return done();
    if (!r.str(*sys, "entry", &s.entry)) return done();
    if (!r.duration_ms(*sys, "client_timeout_ms", &s.client_timeout_us, 1000)) return done();
    if (!r.duration_ms(*sys, "connect_timeout_ms", &s.connect_timeout_us, 1000)) return done();
    if (!r.duration_ms(*sys, "window_s", &s.window_us, 1e6)) return done();
    if (!r.boolean(*sys, "resilience", &s.resilience)) return done();
  }

  const toml::array* services = root["service"].as_array();
  if (!services || services->empty()) {
    r.fail(root, "no [[service]] defined");
    return done();
  }
  for (const toml::node& n : *services) {
    const toml::table* t = n.as_table();
    if (!t) { r.fail(n, "[[service]] must be a table"); return done(); }
    if (!r.keys(*t, kServiceKeys, "[[service]]")) return done();
    DeployableSpec d;
    ModuleSpec m;
    if (!r.str(*t, "name", &d.name, true)) return done();
    if (s.deployable(d.name)) { r.fail(*t->get("name"), "service '" + d.name + "' defined twice"); return done(); }
    std::string kind = "service";
    if (!r.str(*t, "kind", &kind)) return done();
    if (kind != "service" && kind != "queue") { r.fail(*t->get("kind"), "kind must be \"service\" or \"queue\""); return done(); }
    d.is_queue = kind == "queue";
    if (!read_deployable_common(r, *t, d)) return done();
    if (!r.num(*t, "service_ms", &m.work.mean_ms, 0.001, 1e6)) return done();
    if (!r.num(*t, "cv", &m.work.cv, 0, 10)) return done();
    std::string dist = "exponential";
    if (!r.str(*t, "distribution", &dist)) return done();
    if (dist == "exponential") m.work.kind = ServiceTime::Kind::Exponential;
    else if (dist == "constant") m.work.kind = ServiceTime::Kind::Constant;
    else if (dist == "lognormal") m.work.kind = ServiceTime::Kind::Lognormal;
    else if (dist == "uniform") { m.work.kind = ServiceTime::Kind::Uniform; if (!t->get("cv")) m.work.cv = 0.5; }
    else { r.fail(*t->get("distribution"), unknown_name_error("distribution", dist, {"exponential", "constant", "lognormal", "uniform"})); return done(); }
    if (m.work.kind == ServiceTime::Kind::Uniform && m.work.cv > 1) { r.fail(*t->get("cv"), "uniform cv must be <= 1"); return done(); }
    bool b = false;
    if (t->get("health_checks")) { if (!r.boolean(*t, "health_checks", &b)) return done(); d.health_checks = b; }
    if (!r.duration_ms(*t, "health_interval_ms", &d.health_interval_us, 1000)) return done();
    if (d.health_interval_us < 10000) { r.fail(*t, "health_interval_ms must be >= 10"); return done(); }
    if (!r.integer(*t, "unhealthy_threshold", &d.unhealthy_threshold, 1, 100)) return done();
    if (!r.integer(*t, "healthy_threshold", &d.healthy_threshold, 1, 100)) return done();
    if (!r.boolean(*t, "autoscale", &d.autoscale_on)) return done();
    if (!r.integer(*t, "min_replicas", &d.autoscale.min_replicas, 1, 64)) return done();
    if (!r.integer(*t, "max_replicas", &d.autoscale.max_replicas, 1, 64)) return done();
    if (!r.num(*t, "target_cpu", &d.autoscale.target_utilization, 0.01, 1)) return done();
    if (!r.duration_ms(*t, "scale_down_window_s", &d.autoscale.scale_down_window_us, 1e6)) return done();
    if (!r.duration_ms(*t, "sync_period_s", &d.autoscale.sync_period_us, 1e6)) return done();
    if (d.autoscale.sync_period_us < 1000000) { r.fail(*t, "sync_period_s must be >= 1"); return done(); }
    if (d.autoscale.min_replicas > d.autoscale.max_replicas) { r.fail(*t, "min_replicas > max_replicas"); return done(); }
    if (!r.str(*t, "version", &d.version)) return done();
    if (const toml::node* vn = t->get("versions")) {
      const toml::array* va = vn->as_array();
      if (!va) { r.fail(*vn, "'versions' must be an array of tables"); return done(); }
      for (const toml::node& vv : *va) {
        const toml::table* vt = vv.as_table();
        if (!vt) { r.fail(vv, "a version must be a table {name=..., latency_factor=..., error_rate=...}"); return done(); }
        if (!r.keys(*vt, kVersionKeys, "a version")) return done();
        VersionSpec ver;
        if (!r.str(*vt, "name", &ver.name, true)) return done();
        if (!r.num(*vt, "latency_factor", &ver.latency_factor, 0.01, 1000)) return done();
        if (!r.num(*vt, "error_rate", &ver.error_rate, 0, 1)) return done();
        d.versions.push_back(ver);
      }
    }
    bool have = false;
    for (const auto& v : d.versions) have |= v.name == d.version;
    if (!have) d.versions.insert(d.versions.begin(), VersionSpec{d.version, 1.0, 0.0});
    m.name = d.name;
    m.deployable = d.name;
    m.is_queue = d.is_queue;
    s.modules.push_back(m);
    s.deployables.push_back(d);
  }

  std::vector<std::string> module_names;
  for (const auto& m : s.modules) module_names.push_back(m.name);
  if (!s.module(s.entry)) {
    r.fail(root, unknown_name_error("entry service", s.entry, module_names));
    return done();
  }

  const toml::array* requests = root["request"].as_array();
  if (!requests || requests->empty()) {
    r.fail(root, "no [[request]] defined");
    return done();
  }
  for (const toml::node& n : *requests) {
    const toml::table* t = n.as_table();
    if (!t) { r.fail(n, "[[request]] must be a table"); return done(); }
    if (!r.keys(*t, kRequestKeys, "[[request]]")) return done();
    RequestTypeSpec rt;
    std::string calls;
    if (!r.str(*t, "name", &rt.name, true)) return done();
    if (s.type(rt.name)) { r.fail(*t->get("name"), "request type '" + rt.name + "' defined twice"); return done(); }
    if (!r.num(*t, "rps", &rt.rps, 0, 1e6)) return done();
    if (!r.num(*t, "slo", &rt.slo_target, 0, 0.999999)) return done();
    if (!r.duration_ms(*t, "slo_latency_ms", &rt.slo_latency_us, 1000)) return done();
    if (!r.str(*t, "calls", &calls, true)) return done();
    const toml::node& cn = *t->get("calls");
    std::string perr;
    size_t off = 0;
    auto tree = parse_call_tree(calls, &perr, &off);
    const auto& b = cn.source().begin;
    // The string's first character is one column after the opening quote.
    auto at = [&](size_t o) {
      return file + ":" + std::to_string(b.line) + ":" + std::to_string(b.column + 1 + o);
    };
    if (!tree) {
      r.err = at(off) + ": in calls: " + perr;
      return done();
    }
    // Every module must exist; the root must be the entry.
    std::string bad;
    struct Check {
      const SystemSpec* s;
      std::string* bad;
      void go(const CallSpec& c) {
        if (!s->module(c.module) && bad->empty()) *bad = c.module;
        for (const auto& ch : c.children) go(ch);
        for (const auto& alt : c.otherwise) go(alt);
      }
    } check{&s, &bad};
    check.go(*tree);
    if (!bad.empty()) {
      r.err = at(calls.find(bad)) + ": in calls: " + unknown_name_error("service", bad, module_names);
      return done();
    }
    if (tree->module != s.entry) {
      r.err = at(0) + ": in calls: a request must start at the entry service '" + s.entry + "'";
      return done();
    }
    rt.root = std::move(*tree);
    s.types.push_back(std::move(rt));
  }

  if (const toml::node* en = root.get("edge")) {
    const toml::array* edges = en->as_array();
    if (!edges) { r.fail(*en, "'edge' must be [[edge]] tables"); return done(); }
    const auto call_edges = s.call_edges();
    for (const toml::node& n : *edges) {
      const toml::table* t = n.as_table();
      if (!t) { r.fail(n, "[[edge]] must be a table"); return done(); }
      if (!r.keys(*t, kEdgeKeys, "[[edge]]")) return done();
      std::string from, to;
      if (!r.str(*t, "from", &from, true) || !r.str(*t, "to", &to, true)) return done();
      if (from != "*" && !s.module(from)) { r.fail(*t->get("from"), unknown_name_error("service", from, module_names)); return done(); }
      if (to != "*" && !s.module(to)) { r.fail(*t->get("to"), unknown_name_error("service", to, module_names)); return done(); }
      bool matched = false;
      for (const auto& e : call_edges) {
        if (e.first == "client") continue;
        if ((from == "*" || from == e.first) && (to == "*" || to == e.second)) {
          matched = true;
          EdgePolicy& p = s.edges[e];
          if (!read_edge_policy(r, *t, p)) return done();
        }
      }
      if (!matched) { r.fail(*t, "no request calls " + from + " -> " + to); return done(); }
    }
  }

  if (const toml::table* mono = root["monolith"].as_table()) {
    if (!r.keys(*mono, kMonolithKeys, "[monolith]")) return done();
    out.monolith.name = "monolith";
    if (!read_deployable_common(r, *mono, out.monolith)) return done();
  } else {
    out.monolith.name = "monolith";
    out.monolith.replicas = 2;
    out.monolith.workers = 32;
    out.monolith.queue_limit = 100;
  }
  if (!r.err.empty()) return done();
  return out;
}

SystemSpec make_monolith(const ShopSpec& shop) {
  SystemSpec m = shop.micro;
  m.name = "mono";
  DeployableSpec d = shop.monolith;
  d.name = "monolith";
  d.is_queue = false;
  d.versions = {VersionSpec{d.version, 1.0, 0.0}};
  for (auto& mod : m.modules) mod.deployable = d.name;
  m.deployables = {d};
  // No network edges remain except client -> entry; in-process calls have no policies.
  m.edges.clear();
  return m;
}

// ---------------------------------------------------------------------------------------------
// scenario parameters
// ---------------------------------------------------------------------------------------------

std::string apply_params(SystemSpec& s, const std::map<std::string, std::string>& params,
                         std::vector<std::string>* used) {
  std::vector<std::string> modules, deps;
  for (const auto& m : s.modules) modules.push_back(m.name);
  for (const auto& d : s.deployables) deps.push_back(d.name);
  auto bad = [](const std::string& k, const std::string& v, const std::string& what) {
    return "--set " + k + "=" + v + ": " + what;
  };
  for (const auto& [key, val] : params) {
    double d = 0;
    int64_t i = 0;
    bool b = false;
    const std::string& key_ref = key;  // clang 14 cannot capture structured bindings in lambdas
    auto mark = [&] { if (used) used->push_back(key_ref); };
    // global keys
    if (key == "resilience") {
      if (!parse_bool(val, &b)) return bad(key, val, "expected on/off");
      s.resilience = b; mark(); continue;
    }
    if (key == "shop.discard_late_responses" || key == "shop.check_status" || key == "shop.count_retries_once") {
      if (!parse_bool(val, &b)) return bad(key, val, "expected true/false");
      (key == "shop.discard_late_responses" ? s.rules.discard_late_responses
       : key == "shop.check_status"         ? s.rules.check_status
                                            : s.rules.count_retries_once) = b;
      mark(); continue;
    }
    if (key == "load") {
      if (!parse_double(val, &d) || d < 0 || d > 100) return bad(key, val, "expected a load multiplier in [0, 100]");
      for (auto& t : s.types) t.rps *= d;
      mark(); continue;
    }
    if (key == "fault_at_ms") {
      if (!parse_double(val, &d) || d < 0) return bad(key, val, "expected milliseconds >= 0");
      s.faults_at_us = static_cast<Time>(d * 1000); mark(); continue;
    }
    if (key == "client_timeout_ms") {
      if (!parse_double(val, &d) || d <= 0) return bad(key, val, "expected milliseconds > 0");
      s.client_timeout_us = static_cast<Time>(d * 1000); mark(); continue;
    }
    if (key == "window_s") {
      if (!parse_double(val, &d) || d < 1) return bad(key, val, "expected seconds >= 1");
      s.window_us = static_cast<Time>(d * 1e6); mark(); continue;
    }
    const size_t arrow = key.find("->");
    const size_t dot = key.rfind('.');
    if (dot == std::string::npos) continue;   // not ours (the caller reports leftovers)
    const std::string subject = key.substr(0, dot);
    const std::string field = key.substr(dot + 1);
    if (arrow != std::string::npos && arrow < dot) {
      // edge policy: from->to.field (from/to may be *)
      const std::string from = subject.substr(0, arrow), to = subject.substr(arrow + 2);
      if (from != "*" && from != "client" && !s.module(from)) return bad(key, val, unknown_name_error("service", from, modules));
      if (to != "*" && !s.module(to)) return bad(key, val, unknown_name_error("service", to, modules));
      bool matched = false;
      for (const auto& e : s.call_edges()) {
        if (e.first == "client") continue;
        if ((from != "*" && from != e.first) || (to != "*" && to != e.second)) continue;
        matched = true;
        EdgePolicy& p = s.edges[e];
        if (field == "timeout_ms") { if (!parse_double(val, &d) || d < 0) return bad(key, val, "expected ms >= 0"); p.timeout_us = static_cast<Time>(d * 1000); }
        else if (field == "retries") { if (!parse_int(val, &i) || i < 0 || i > 10) return bad(key, val, "expected 0..10"); p.retries = static_cast<int>(i); }
        else if (field == "backoff_ms") { if (!parse_double(val, &d) || d < 0) return bad(key, val, "expected ms >= 0"); p.backoff_base_us = static_cast<Time>(d * 1000); }
        else if (field == "retry_budget") { if (!parse_double(val, &d) || d < 0) return bad(key, val, "expected a ratio >= 0"); p.retry_budget = d; }
        else if (field == "breaker") { if (!parse_bool(val, &b)) return bad(key, val, "expected on/off"); p.breaker = b; }
        else if (field == "breaker_threshold") { if (!parse_double(val, &d) || d <= 0 || d > 1) return bad(key, val, "expected (0,1]"); p.breaker_cfg.failure_rate_threshold = d; }
        else if (field == "breaker_window") { if (!parse_int(val, &i) || i < 1) return bad(key, val, "expected >= 1"); p.breaker_cfg.sliding_window_size = static_cast<int>(i); }
        else if (field == "breaker_min_calls") { if (!parse_int(val, &i) || i < 1) return bad(key, val, "expected >= 1"); p.breaker_cfg.minimum_number_of_calls = static_cast<int>(i); }
        else if (field == "breaker_wait_s") { if (!parse_double(val, &d) || d < 0) return bad(key, val, "expected s >= 0"); p.breaker_cfg.wait_in_open_us = static_cast<Time>(d * 1e6); }
        else if (field == "breaker_half_open") { if (!parse_int(val, &i) || i < 1) return bad(key, val, "expected >= 1"); p.breaker_cfg.permitted_calls_in_half_open = static_cast<int>(i); }
        else if (field == "bulkhead") { if (!parse_int(val, &i) || i < 0) return bad(key, val, "expected >= 0 (0 = off)"); p.bulkhead = static_cast<int>(i); }
        else if (field == "fallback") { if (!parse_bool(val, &b)) return bad(key, val, "expected on/off"); p.fallback = b; }
        else return bad(key, val, unknown_name_error("edge option", field, {"timeout_ms", "retries", "backoff_ms", "retry_budget", "breaker", "breaker_threshold", "breaker_window", "breaker_min_calls", "breaker_wait_s", "breaker_half_open", "bulkhead", "fallback"}));
      }
      if (!matched) return bad(key, val, "no request calls " + from + " -> " + to);
      mark();
      continue;
    }
    // request type: type.rps / type.slo
    if (const RequestTypeSpec* t = s.type(subject)) {
      RequestTypeSpec& tt = const_cast<RequestTypeSpec&>(*t);
      if (field == "rps") { if (!parse_double(val, &d) || d < 0) return bad(key, val, "expected rps >= 0"); tt.rps = d; }
      else if (field == "slo") { if (!parse_double(val, &d) || d <= 0 || d >= 1) return bad(key, val, "expected (0,1)"); tt.slo_target = d; }
      else if (field == "slo_latency_ms") { if (!parse_double(val, &d) || d <= 0) return bad(key, val, "expected ms > 0"); tt.slo_latency_us = static_cast<Time>(d * 1000); }
      else return bad(key, val, unknown_name_error("request option", field, {"rps", "slo", "slo_latency_ms"}));
      mark();
      continue;
    }
    // module faults: module.slow / fault / error_rate / leak_mb / crash_uptime_ms / service_ms
    if (s.module(subject)) {
      ModuleSpec& m = const_cast<ModuleSpec&>(*s.module(subject));
      bool handled = true;
      if (field == "slow") { if (!parse_double(val, &d) || d < 0.01 || d > 1000) return bad(key, val, "expected a factor in [0.01, 1000]"); s.slow[subject] = d; }
      else if (field == "fault") { auto k = parse_fault(val); if (!k) return bad(key, val, unknown_name_error("fault", val, {"none", "errors", "crash_loop", "leak"})); s.faults[subject].kind = *k; }
      else if (field == "error_rate") { if (!parse_double(val, &d) || d < 0 || d > 1) return bad(key, val, "expected [0,1]"); s.faults[subject].kind = FaultSpec::Kind::Errors; s.faults[subject].error_rate = d; }
      else if (field == "leak_mb") { if (!parse_double(val, &d) || d <= 0) return bad(key, val, "expected MB per call > 0"); s.faults[subject].kind = FaultSpec::Kind::Leak; s.faults[subject].leak_mb_per_call = d; }
      else if (field == "crash_uptime_ms") { if (!parse_double(val, &d) || d < 10) return bad(key, val, "expected ms >= 10"); s.faults[subject].crash_uptime_us = static_cast<Time>(d * 1000); }
      else if (field == "service_ms") { if (!parse_double(val, &d) || d <= 0) return bad(key, val, "expected ms > 0"); m.work.mean_ms = d; }
      else handled = false;
      if (handled) { mark(); continue; }
    }
    // deployable options: replicas / workers / queue_limit / lb / autoscale / min / max / target_cpu / startup_s / health
    if (DeployableSpec* dp = s.deployable(subject)) {
      if (field == "replicas") { if (!parse_int(val, &i) || i < 1 || i > 64) return bad(key, val, "expected 1..64"); dp->replicas = static_cast<int>(i); }
      else if (field == "workers") { if (!parse_int(val, &i) || i < 1 || i > 1024) return bad(key, val, "expected 1..1024"); dp->workers = static_cast<int>(i); }
      else if (field == "cores") { if (!parse_int(val, &i) || i < 0 || i > 1024) return bad(key, val, "expected 0..1024 (0 = as many as workers)"); dp->cores = static_cast<int>(i); }
      else if (field == "queue_limit") { if (!parse_int(val, &i) || i < 0) return bad(key, val, "expected >= 0"); dp->queue_limit = static_cast<int>(i); }
      else if (field == "lb") { auto p = parse_lb(val); if (!p) return bad(key, val, unknown_name_error("lb policy", val, {"round_robin", "least_outstanding", "p2c"})); dp->lb = *p; }
      else if (field == "autoscale") { if (!parse_bool(val, &b)) return bad(key, val, "expected on/off"); dp->autoscale_on = b; }
      else if (field == "min_replicas") { if (!parse_int(val, &i) || i < 1 || i > 64) return bad(key, val, "expected 1..64"); dp->autoscale.min_replicas = static_cast<int>(i); }
      else if (field == "max_replicas") { if (!parse_int(val, &i) || i < 1 || i > 64) return bad(key, val, "expected 1..64"); dp->autoscale.max_replicas = static_cast<int>(i); }
      else if (field == "target_cpu") { if (!parse_double(val, &d) || d <= 0 || d > 1) return bad(key, val, "expected (0,1]"); dp->autoscale.target_utilization = d; }
      else if (field == "scale_down_window_s") { if (!parse_double(val, &d) || d < 0) return bad(key, val, "expected s >= 0"); dp->autoscale.scale_down_window_us = static_cast<Time>(d * 1e6); }
      else if (field == "sync_period_s") { if (!parse_double(val, &d) || d < 1) return bad(key, val, "expected s >= 1"); dp->autoscale.sync_period_us = static_cast<Time>(d * 1e6); }
      else if (field == "startup_s") { if (!parse_double(val, &d) || d < 0) return bad(key, val, "expected s >= 0"); dp->startup_us = static_cast<Time>(d * 1e6); }
      else if (field == "health_checks") { if (!parse_bool(val, &b)) return bad(key, val, "expected on/off"); dp->health_checks = b; }
      else return bad(key, val, unknown_name_error("option", field, {"replicas", "workers", "cores", "queue_limit", "lb", "autoscale", "min_replicas", "max_replicas", "target_cpu", "scale_down_window_s", "sync_period_s", "startup_s", "health_checks", "slow", "fault", "error_rate", "leak_mb", "crash_uptime_ms", "service_ms"}));
      mark();
      continue;
    }
    static const std::vector<std::string> kDeployableFields = {"replicas", "workers", "cores", "queue_limit", "lb", "autoscale", "min_replicas", "max_replicas", "target_cpu", "scale_down_window_s", "sync_period_s", "startup_s", "health_checks"};
    if (s.module(subject) && std::find(kDeployableFields.begin(), kDeployableFields.end(), field) == kDeployableFields.end()) {
      return bad(key, val, unknown_name_error("option", field, {"slow", "fault", "error_rate", "leak_mb", "crash_uptime_ms", "service_ms"}));
    }
    // Unknown subject: leave it for the caller, which reports every unused key.
  }
  return "";
}

}  // namespace topo::svc
