#include "layout/layout_process.h"

#include <csignal>
#include <fcntl.h>
#include <cstdlib>
#include <filesystem>
#include <poll.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

#include "core/error.h"

namespace kg::layout {

std::string serializeInput(const LayoutInput& in)
{
    std::ostringstream out;
    out.precision(10);
    out << "KGI2 " << algorithmName(in.algorithm) << ' ' << in.nodes.size() << ' ' << in.edges.size() << '\n';
    for (const auto& n : in.nodes) {
        out << n.id << ' ' << n.width << ' ' << n.height << ' ' << (n.pinned ? 1 : 0);
        if (n.pinned)
            out << ' ' << n.pinned->x << ' ' << n.pinned->y;
        out << '\n';
    }
    for (const auto& e : in.edges)
        out << e.id << ' ' << e.from << ' ' << e.to << '\n';
    return out.str();
}

LayoutInput deserializeInput(const std::string& text)
{
    std::istringstream in(text);
    std::string magic, algo;
    size_t nodes = 0, edges = 0;
    in >> magic >> algo >> nodes >> edges;
    const auto a = parseAlgorithm(algo);
    if (!in || (magic != "KGI1" && magic != "KGI2") || !a || nodes > text.size() || edges > text.size())
        throw Error(Errc::Format, "layout input has a bad header");
    LayoutInput out;
    out.algorithm = *a;
    out.nodes.resize(nodes);
    for (auto& n : out.nodes) {
        in >> n.id >> n.width >> n.height;
        int pinned = 0;
        if (magic == "KGI2" && (in >> pinned) && pinned) {
            Point p;
            in >> p.x >> p.y;
            n.pinned = p;
        }
    }
    out.edges.resize(edges);
    for (auto& e : out.edges)
        in >> e.id >> e.from >> e.to;
    if (!in)
        throw Error(Errc::Format, "layout input is truncated");
    return out;
}

std::string layoutHelperPath()
{
    namespace fs = std::filesystem;
    if (const char* env = std::getenv("KGWB_LAYOUT_HELPER"); env && *env)
        return env;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec && fs::exists(exe.parent_path() / "kgwb-layout"))
        return (exe.parent_path() / "kgwb-layout").string();
#ifdef KGWB_LAYOUT_HELPER_BUILD_PATH
    if (fs::exists(KGWB_LAYOUT_HELPER_BUILD_PATH))
        return KGWB_LAYOUT_HELPER_BUILD_PATH;
#endif
    return {};
}

LayoutResult computeLayoutIsolated(const LayoutInput& input, const CancelToken* cancel)
{
    if (cancel)
        cancel->throwIfCancelled();
    if (input.nodes.empty())
        return {};
    const std::string helper = layoutHelperPath();
    if (helper.empty())
        throw Error(Errc::NotFound, "the layout helper kgwb-layout was not found next to the program");
    // O_CLOEXEC: a helper started by another thread at the same moment must not inherit
    // these ends (it would keep our child's stdin open, and our child would wait forever).
    int toChild[2], fromChild[2];
    if (pipe2(toChild, O_CLOEXEC) != 0 || pipe2(fromChild, O_CLOEXEC) != 0)
        throw Error(Errc::Io, "cannot create pipes for the layout helper");
    const pid_t pid = fork();
    if (pid < 0)
        throw Error(Errc::Io, "cannot start the layout helper");
    if (pid == 0) { // child: only async-signal-safe calls until exec
        dup2(toChild[0], 0);
        dup2(fromChild[1], 1);
        close(toChild[0]), close(toChild[1]), close(fromChild[0]), close(fromChild[1]);
        execl(helper.c_str(), helper.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    close(toChild[0]);
    close(fromChild[1]);
    const std::string request = serializeInput(input);
    std::string response;
    size_t written = 0;
    bool killed = false;
    std::signal(SIGPIPE, SIG_IGN);
    // Feed the request and read the response without blocking, checking `cancel` meanwhile.
    while (true) {
        pollfd fds[2] = {{fromChild[0], POLLIN, 0}, {toChild[1], POLLOUT, 0}};
        const int nfds = written < request.size() ? 2 : 1;
        if (poll(fds, static_cast<nfds_t>(nfds), 50) < 0)
            continue;
        if (cancel && cancel->cancelled()) {
            kill(pid, SIGKILL);
            killed = true;
            break;
        }
        if (nfds == 2 && (fds[1].revents & (POLLOUT | POLLERR))) {
            const ssize_t n = write(toChild[1], request.data() + written, std::min<size_t>(65536, request.size() - written));
            if (n > 0)
                written += static_cast<size_t>(n);
            if (n < 0 || written == request.size()) {
                close(toChild[1]);
                written = request.size();
            }
        }
        if (fds[0].revents & (POLLIN | POLLHUP)) {
            char buf[65536];
            const ssize_t n = read(fromChild[0], buf, sizeof buf);
            if (n <= 0)
                break;
            response.append(buf, static_cast<size_t>(n));
        }
    }
    if (written < request.size())
        close(toChild[1]);
    close(fromChild[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (killed)
        throw Error(Errc::Cancelled, "layout cancelled");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw Error(Errc::Library, std::string("the layout helper failed (") +
                                       (WIFSIGNALED(status) ? "signal " + std::to_string(WTERMSIG(status))
                                                            : "exit " + std::to_string(WEXITSTATUS(status))) +
                                       ")");
    return deserialize(response);
}

} // namespace kg::layout
