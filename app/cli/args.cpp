#include "args.h"

namespace kgcli {

Args::Args(int argc, char** argv, int start, const std::set<std::string>& valueOptions,
           const std::set<std::string>& flagOptions)
{
    bool onlyPositional = false;
    for (int i = start; i < argc; ++i) {
        std::string a = argv[i];
        if (onlyPositional || a.size() < 2 || a.rfind("--", 0) != 0) {
            positional_.push_back(a);
            continue;
        }
        if (a == "--") {
            onlyPositional = true;
            continue;
        }
        std::string name = a.substr(2);
        std::optional<std::string> inlineValue;
        if (const auto eq = name.find('='); eq != std::string::npos) {
            inlineValue = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        if (valueOptions.count(name)) {
            if (inlineValue) {
                values_[name].push_back(*inlineValue);
            } else {
                if (i + 1 >= argc)
                    throw UsageError("option --" + name + " needs a value");
                values_[name].push_back(argv[++i]);
            }
        } else if (flagOptions.count(name) && !inlineValue) {
            flags_.insert(name);
        } else {
            throw UsageError("unknown option --" + name);
        }
    }
}

std::optional<std::string> Args::value(const std::string& name) const
{
    auto it = values_.find(name);
    if (it == values_.end() || it->second.empty())
        return std::nullopt;
    return it->second.back();
}

std::vector<std::string> Args::values(const std::string& name) const
{
    auto it = values_.find(name);
    return it == values_.end() ? std::vector<std::string>{} : it->second;
}

double Args::realValue(const std::string& name, double fallback) const
{
    const auto v = value(name);
    if (!v)
        return fallback;
    try {
        size_t used = 0;
        const double x = std::stod(*v, &used);
        if (used != v->size())
            throw std::invalid_argument("trailing characters");
        return x;
    } catch (const std::exception&) {
        throw UsageError("--" + name + " expects a number, got '" + *v + "'");
    }
}

int Args::intValue(const std::string& name, int fallback) const
{
    const auto v = value(name);
    if (!v)
        return fallback;
    try {
        size_t used = 0;
        const int n = std::stoi(*v, &used);
        if (used != v->size())
            throw std::invalid_argument("trailing characters");
        return n;
    } catch (const std::exception&) {
        throw UsageError("--" + name + " expects an integer, got '" + *v + "'");
    }
}

} // namespace kgcli
