// Completion of entity keys in a line edit, from the project's full-text search (typed text
// of two or more characters; best 15 matches).
#pragma once

#include <functional>
#include <memory>

class QLineEdit;

namespace kg {
class Project;
}

namespace kgw {

// `project` is asked on every edit, so the completer follows the open project.
void attachEntityCompleter(QLineEdit* edit, std::function<std::shared_ptr<kg::Project>()> project);

} // namespace kgw
