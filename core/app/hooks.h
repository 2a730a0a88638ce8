// The app's state/command hooks as C functions, so the page (JavaScript) and browser tests can
// read what is on screen and drive the lab: topolab_state() and topolab_command(json). The app
// registers itself with set_hook_target() at start.
#pragma once

namespace topo::ui { class LabApp; }

namespace topo::app {
void set_hook_target(topo::ui::LabApp* app);
}

extern "C" {
/// The lab's state as JSON (valid until the next call).
const char* topolab_state();
/// Runs a command given as flat JSON; returns {"ok":true} or {"ok":false,"error":"..."}.
const char* topolab_command(const char* json);
}
