// What differs between the desktop and the browser build of the lab UI, in one place (as Dear
// ImGui keeps its web difference in one small header): where the bundled lessons are, whether
// lesson files on disk can be watched for edits, whether the app can quit itself.
#pragma once

#include <string>

namespace topo::ui::platform {

/// The folder of the bundled lessons: /lessons in the page's virtual file system; on the
/// desktop $TOPOLAB_LESSONS, else share/topolab/lessons next to an installed binary, else the
/// source tree's lessons/ (a build from source).
std::string bundled_lesson_dir();
/// True where lesson files live on a real disk and can be reloaded when edited (the desktop).
bool watches_files();
/// True where the app owns its window and a File > Quit makes sense (the desktop).
bool can_quit();

}  // namespace topo::ui::platform
