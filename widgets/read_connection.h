// A read-only connection to a project for one worker thread: the thread that calls open()
// owns it. Opened on first use and again when the path changes; reset() closes it (call it
// on that thread, as the owner's destructor posts it last).
#pragma once

#include <memory>
#include <string>

#include "store/project.h"

namespace kgw {

class ReadConnection {
public:
    kg::Project& open(const std::string& path)
    {
        if (!project_ || project_->path() != path)
            project_ = kg::Project::open(path, kg::Project::OpenMode::ReadOnly);
        return *project_;
    }
    void reset() { project_.reset(); }

private:
    std::unique_ptr<kg::Project> project_;
};

} // namespace kgw
