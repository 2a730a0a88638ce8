// The engine's built-in commands: crash, restart, slow, partition, heal, set_link. Models add
// their own with World::register_command.
#include "sim/world_internal.h"

#include "util/text.h"
#include "util/i18n.h"

namespace topo {

using util::split;
using util::trim;

namespace {

NodeId node_arg(const World& w, const Command& c, const std::string& key) {
  return *w.find_node(c.arg(key));  // validated by apply() before the handler runs
}

double num_arg(const Command& c, const std::string& key, double fallback) {
  double d = fallback;
  auto it = c.args.find(key);
  if (it != c.args.end()) parse_number(it->second, &d);
  return d;
}

}  // namespace

void World::register_builtins() {
  World& w = *this;
  w.register_command({"crash", N_("Crash a node: its process and volatile state are lost, its disk is kept."),
                      {{"node", "node", true, N_("the node to crash")}},
                      [](World& world, const Command& c) {
                        const NodeId id = node_arg(world, c, "node");
                        if (world.node(id).status == NodeStatus::Crashed)
                          return CommandResult::fail("crash: node \"" + c.arg("node") + "\" is already crashed");
                        world.crash(id);
                        return CommandResult::success();
                      }});
  w.register_command({"restart", N_("Restart a node (an up node reboots): after delay_ms it is up with a new process."),
                      {{"node", "node", true, N_("the node to restart")},
                       {"delay_ms", "duration", false, N_("time spent restarting"), "ms", ">= 0", "0"}},
                      [](World& world, const Command& c) {
                        const NodeId id = node_arg(world, c, "node");
                        if (world.node(id).status == NodeStatus::Restarting)
                          return CommandResult::fail("restart: node \"" + c.arg("node") + "\" is already restarting");
                        world.restart(id, ms_to_us(num_arg(c, "delay_ms", 0)));
                        return CommandResult::success();
                      }});
  w.register_command({"slow", N_("Slow a node's CPU: factor F makes work take F times longer (1 restores)."),
                      {{"node", "node", true, N_("the node to slow")},
                       {"factor", "number", true, N_("slow-down factor, > 0 (1 = normal speed)"), "x", "> 0, at most 1000000"}},
                      [](World& world, const Command& c) {
                        const double f = num_arg(c, "factor", 1);
                        if (!(f > 0) || f > 1e6)
                          return CommandResult::fail("slow: factor= must be > 0 and <= 1e6 (got " + c.arg("factor") + ")");
                        world.set_cpu_speed(node_arg(world, c, "node"), 1.0 / f);
                        return CommandResult::success();
                      }});
  w.register_command({"partition", N_("Split the network into groups: messages between groups are dropped."),
                      {{"groups", "groups", true, N_("groups of nodes, e.g. \"n1,n2|n3,n4\"; unlisted nodes form one more group")}},
                      [](World& world, const Command& c) {
                        std::vector<int> g(world.nodes().size(), -1);
                        int gid = 0;
                        for (const auto& grp : split(c.arg("groups"), '|')) {
                          ++gid;
                          for (const auto& name : split(grp, ',')) {
                            const NodeId id = *world.find_node(trim(name));
                            if (g[static_cast<size_t>(id)] != -1)
                              return CommandResult::fail("partition: node \"" + trim(name) + "\" is listed twice");
                            g[static_cast<size_t>(id)] = gid;
                          }
                        }
                        ++gid;
                        for (auto& x : g)
                          if (x == -1) x = gid;  // the unlisted nodes
                        world.set_partition(std::move(g));
                        return CommandResult::success();
                      }});
  w.register_command({"heal", N_("Heal every partition."), {},
                      [](World& world, const Command&) {
                        world.heal();
                        return CommandResult::success();
                      }});
  w.register_command(
      {"set_link",
       N_("Change network links: the default (no from/to/node), both directions between from and to, or every link of node."),
       {{"from", "node", false, N_("one end of a pair (needs to=)")},
        {"to", "node", false, N_("the other end of the pair")},
        {"node", "node", false, N_("every link to and from this node")},
        {"latency_ms", "duration", false, N_("one-way base latency"), "ms", ">= 0"},
        {"jitter_ms", "duration", false, N_("extra delay, uniform in [0, jitter_ms]"), "ms", ">= 0"},
        {"loss", "prob", false, N_("probability a message is lost"), "", "0..1"},
        {"duplicate", "prob", false, N_("probability a message is delivered twice"), "", "0..1"},
        {"reorder", "prob", false, N_("probability a message is delayed by up to 5 x latency"), "", "0..1"},
        {"bandwidth_kbps", "number", false, N_("link bandwidth (0 = unlimited)"), "kbit/s", ">= 0"}},
       [](World& world, const Command& c) {
         const bool has_from = c.args.count("from") > 0, has_to = c.args.count("to") > 0,
                    has_node = c.args.count("node") > 0;
         if (has_from != has_to) return CommandResult::fail("set_link: from= and to= go together");
         if (has_node && has_from) return CommandResult::fail("set_link: give either node= or from=/to=, not both");
         LinkPatch p;
         if (c.args.count("latency_ms")) p.latency_us = ms_to_us(num_arg(c, "latency_ms", 0));
         if (c.args.count("jitter_ms")) p.jitter_us = ms_to_us(num_arg(c, "jitter_ms", 0));
         if (c.args.count("loss")) p.loss = num_arg(c, "loss", 0);
         if (c.args.count("duplicate")) p.duplicate = num_arg(c, "duplicate", 0);
         if (c.args.count("reorder")) p.reorder = num_arg(c, "reorder", 0);
         if (c.args.count("bandwidth_kbps")) {
           const double kbps = num_arg(c, "bandwidth_kbps", 0);
           if (kbps < 0 || kbps > 1e12)
             return CommandResult::fail("set_link: bandwidth_kbps= must be >= 0 (got " + c.arg("bandwidth_kbps") + ")");
           p.bandwidth = static_cast<int64_t>(std::floor(kbps * 1000.0 / 8.0 + 0.5));
           if (kbps > 0 && *p.bandwidth == 0) p.bandwidth = 1;
         }
         if (p.empty())
           return CommandResult::fail(
               "set_link: nothing to set (give latency_ms, jitter_ms, loss, duplicate, reorder or bandwidth_kbps)");
         world.patch_links(has_from ? node_arg(world, c, "from") : kNoNode,
                           has_to ? node_arg(world, c, "to") : kNoNode,
                           has_node ? node_arg(world, c, "node") : kNoNode, &p);
         return CommandResult::success();
       }});
}

}  // namespace topo
