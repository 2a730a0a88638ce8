// The app's state/command hooks: see hooks.h. Exported to JavaScript in the web build.
#include "app/hooks.h"

#include <string>

#include "ui/lab_app.h"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#define TOPOLAB_EXPORT EMSCRIPTEN_KEEPALIVE
#else
#define TOPOLAB_EXPORT
#endif

namespace {
topo::ui::LabApp* g_app = nullptr;
std::string g_state;
std::string g_result;
}  // namespace

void topo::app::set_hook_target(topo::ui::LabApp* app) { g_app = app; }

extern "C" TOPOLAB_EXPORT const char* topolab_state() {
  g_state = g_app ? g_app->state_json() : std::string("{\"error\":\"the lab is not running\"}");
  return g_state.c_str();
}

extern "C" TOPOLAB_EXPORT const char* topolab_command(const char* json) {
  g_result = g_app ? g_app->command_json(json ? json : "") : std::string("{\"ok\":false,\"error\":\"the lab is not running\"}");
  return g_result.c_str();
}
