// The generated reference at the end of lessons/FORMAT.md: every action, every scenario
// parameter and every value key of every scenario, read from the declarations (CommandSpec,
// ScenarioInfo::params, Model::value_decls and the engine's). `topolab-cli check --reference`
// prints it; tests/lessons/run.sh compares it with the committed FORMAT.md.
#pragma once

#include <string>

namespace topo::lesson {

/// The Markdown from "## Every action" to the end of FORMAT.md.
std::string reference_markdown();

/// `scenarios --params NAME`: one line per parameter ("name  type, unit, range, default D: help").
/// Empty if the scenario does not exist.
std::string describe_params(const std::string& scenario);

}  // namespace topo::lesson
