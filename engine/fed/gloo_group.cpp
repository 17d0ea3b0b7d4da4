#include "fed/gloo_group.h"

#include <cstdlib>

#include "core/error.h"

namespace kg::fed {

std::chrono::milliseconds toMs(double seconds) { return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000)); }

namespace {

// A c10::Error's message without the C++ backtrace it carries (users read these), or what().
std::string reason(const std::exception& e)
{
    if (const auto* c = dynamic_cast<const c10::Error*>(&e))
        return c->what_without_backtrace();
    return e.what();
}

} // namespace

void waitWork(const c10::intrusive_ptr<c10d::Work>& work, const std::string& step, double timeout)
{
    auto failed = [&](const char* detail) {
        return Error(Errc::Io, step + ": a peer left or did not answer within " +
                                   std::to_string(static_cast<int>(timeout)) + " s (" + detail + ")");
    };
    try {
        work->wait();
    } catch (const c10::Error& e) {
        throw failed(e.what_without_backtrace());
    } catch (const std::exception& e) { // gloo's own IoException: a connection closed
        throw failed(e.what());
    }
}

c10::intrusive_ptr<c10d::ProcessGroupGloo> makeGroup(const c10::intrusive_ptr<c10d::Store>& store, int rank, int size,
                                                     const std::string& host, double timeout)
{
    auto options = c10d::ProcessGroupGloo::Options::create(toMs(timeout));
    // GLOO_SOCKET_IFNAME picks the interface (as in PyTorch); a loopback coordinator means a
    // federation on this machine; otherwise the address this host's name resolves to.
    if (const char* iface = std::getenv("GLOO_SOCKET_IFNAME"); iface && *iface)
        options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(iface));
    else if (host == "localhost" || host.rfind("127.", 0) == 0)
        options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
    else
        options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
    options->threads = 2;
    try {
        return c10::make_intrusive<c10d::ProcessGroupGloo>(store, rank, size, options);
    } catch (const std::exception& e) { // c10::Error or gloo's own: a member never connected
        throw Error(Errc::Io, "forming a group of " + std::to_string(size) + " failed: a peer left or did not answer within " +
                                  std::to_string(static_cast<int>(timeout)) + " s (" + reason(e) + ")");
    }
}

c10::intrusive_ptr<c10d::Store> openStore(const std::string& host, int port, bool server, int workers, double timeout)
{
    if (port <= 0 || port > 65535)
        throw Error(Errc::InvalidArgument, "port " + std::to_string(port) + " is out of range");
    c10d::TCPStoreOptions o;
    o.port = static_cast<uint16_t>(port);
    o.isServer = server;
    if (server)
        o.numWorkers = static_cast<size_t>(workers);
    o.waitWorkers = false;
    o.timeout = toMs(timeout);
    try {
        return c10::make_intrusive<c10d::TCPStore>(host, o);
    } catch (const std::exception& e) {
        throw Error(Errc::Io, std::string(server ? "cannot listen on " : "cannot reach the coordinator at ") + host +
                                  ":" + std::to_string(port) + " (" + reason(e) + ")");
    }
}

std::vector<uint8_t> getKey(c10d::Store& store, const std::string& key, const std::string& what,
                            std::optional<std::chrono::milliseconds> wait)
{
    try {
        if (wait)
            store.wait({key}, *wait);
        return store.get(key);
    } catch (const std::exception& e) {
        throw Error(Errc::Io, "waiting for " + what + ": " + reason(e));
    }
}

} // namespace kg::fed
