// `topolab-cli bench-ui`: the CPU cost of one frame of the lab UI, measured headless. Dear ImGui
// runs with no platform or renderer backend (its draw data is built, nothing is drawn), the whole
// LabApp frame is built (menu, controls, timeline, canvas with every message in flight, side
// pane) for gossip worlds of 10, 100 and 1,000 nodes with about five messages in flight per node
// (5,000 at the top), and the median CPU milliseconds per frame is reported. The same command
// runs natively and in WebAssembly (topolab-cli.js under Node). Compiled only when the CLI is
// linked with the UI (TOPOLAB_CLI_UI, set by CMake with TOPOLAB_BUILD_APP); otherwise the
// subcommand says so.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "cli.h"
#include "util/parse.h"

#ifdef TOPOLAB_CLI_UI
#include <time.h>
#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif
#include "imgui.h"
#include "ui/lab_app.h"
#include "ui/style.h"
#endif

namespace topo::cli {

#ifdef TOPOLAB_CLI_UI
namespace {

struct UiCase {
  std::string name;
  std::string scenario;
  Params params;
  Time warm_us;   ///< simulated time run before measuring (the network fills up)
};

std::vector<UiCase> ui_cases() {
  auto gossip = [](int nodes) {
    // Every 100 ms each node sends to 5 peers over ~100 ms links: ~5 messages in flight per node.
    return UiCase{"gossip-" + std::to_string(nodes), "gossip",
                  Params{{"nodes", std::to_string(nodes)}, {"fanout", "5"}, {"latency_ms", "100"},
                         {"jitter_ms", "10"}, {"loss", "0.01"}},
                  1500 * kMs};
  };
  return {gossip(10), gossip(100), gossip(1000), UiCase{"shop", "shop", {}, 5 * kSec},
          UiCase{"raft-5", "raft-5", {}, 2 * kSec}};
}

/// CPU time of this process in milliseconds: what a frame costs, not how long the (shared,
/// busy) machine took to get round to it. Under Node: process.cpuUsage() (microseconds).
double cpu_ms() {
#ifdef __EMSCRIPTEN__
  return EM_ASM_DOUBLE({
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  });
#else
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
#endif
}

}  // namespace
#endif

int cmd_bench_ui(const Args& a) {
#ifndef TOPOLAB_CLI_UI
  (void)a;
  std::cerr << "bench-ui: this topolab-cli was built without the UI (configure with -DTOPOLAB_BUILD_APP=ON)\n";
  return 2;
#else
  const bool json = has_flag(a, "json");
  const std::string only = flag(a, "only");
  int64_t frames_flag = 60;
  if (!util::parse_int(flag(a, "frames", "60"), &frames_flag)) {
    std::cerr << "bench-ui: --frames needs a number\n";
    return 2;
  }
  if (frames_flag < 1 || frames_flag > 100000) {
    std::cerr << "bench-ui: --frames must be between 1 and 100000\n";
    return 2;
  }
  const int frames = static_cast<int>(frames_flag);
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(1280, 800);
  io.IniFilename = nullptr;
  io.DeltaTime = 1.0f / 60.0f;
  ui::setup_style(1.0f, ui::Theme::Dark);   // the app's font and theme
  unsigned char* px = nullptr;
  int tw = 0, th = 0;
  io.Fonts->GetTexDataAsRGBA32(&px, &tw, &th);
  if (!json) std::printf("%-14s %7s %9s %12s %12s %10s\n", "world", "nodes", "messages", "cpu ms/frame", "wall ms", "vertices");
  int ran = 0;
  for (const UiCase& c : ui_cases()) {
    if (!only.empty() && c.name != only) continue;
    ++ran;
    ui::LabApp app({"ping", 1, ""});
    if (!app.open_scenario(c.scenario, 1, c.params)) {
      std::cerr << "bench-ui: cannot open " << c.name << "\n";
      ImGui::DestroyContext();
      return 2;
    }
    app.command_json(R"({"op":"ui.pause"})");
    app.command_json("{\"op\":\"ui.run_ms\",\"value\":" + std::to_string(c.warm_us / kMs) + "}");
    const World& w = *app.world();
    const size_t messages = w.in_flight().size();
    std::vector<double> cpu, wall;
    int vertices = 0;
    for (int f = 0; f < frames + 5; ++f) {
      const double c0 = cpu_ms();
      const auto t0 = std::chrono::steady_clock::now();
      ImGui::NewFrame();
      app.frame(1.0 / 60.0);
      ImGui::Render();
      const auto t1 = std::chrono::steady_clock::now();
      const double c1 = cpu_ms();
      if (f >= 5) {   // 5 warm-up frames
        cpu.push_back(c1 - c0);
        wall.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      }
      vertices = ImGui::GetDrawData()->TotalVtxCount;
    }
    std::sort(cpu.begin(), cpu.end());
    std::sort(wall.begin(), wall.end());
    char buf[64], wbuf[64];
    std::snprintf(buf, sizeof buf, "%.3f", cpu[cpu.size() / 2]);
    std::snprintf(wbuf, sizeof wbuf, "%.3f", wall[wall.size() / 2]);
    if (json)
      std::printf("{\"name\":\"%s\",\"nodes\":%zu,\"messages\":%zu,\"ms_per_frame\":%s,\"wall_ms_per_frame\":%s,"
                  "\"frames\":%d,\"vertices\":%d}\n",
                  c.name.c_str(), w.nodes().size(), messages, buf, wbuf, frames, vertices);
    else
      std::printf("%-14s %7zu %9zu %12s %12s %10d\n", c.name.c_str(), w.nodes().size(), messages, buf, wbuf, vertices);
    std::fflush(stdout);
  }
  ImGui::DestroyContext();
  if (!ran) {
    std::cerr << "bench-ui: no case named \"" << only << "\"\n";
    return 2;
  }
  return 0;
#endif
}

// ---- Flag table (args.cpp checks every command line against it). -------------------------
const Command kBenchUi = {"bench-ui", cmd_bench_ui, nullptr, "CPU milliseconds per UI frame (headless ImGui)",
    {{"json", nullptr, "one JSON object per world size"},
     {"frames", "N", "frames measured per world (1-100000, default 60)"},
     {"only", "NAME", "measure one world size only"}}};

}  // namespace topo::cli
