// The c10d pieces federation and data-parallel training share: the TCPStore rendezvous, a
// Gloo process group on the right network device, and waits that turn a peer's failure into
// Error(Io). Includes c10d headers (torch): only fed/*.cpp include it.
#pragma once

#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace kg::fed {

std::chrono::milliseconds toMs(double seconds);
// The server (rank 0 / coordinator) hosts the store; Error(Io) when it cannot listen or reach it.
c10::intrusive_ptr<c10d::Store> openStore(const std::string& host, int port, bool server, int workers, double timeout);
// GLOO_SOCKET_IFNAME picks the interface; a loopback host keeps everything on 127.0.0.1.
// Error(Io) when a member does not connect within the timeout.
c10::intrusive_ptr<c10d::ProcessGroupGloo> makeGroup(const c10::intrusive_ptr<c10d::Store>& store, int rank, int size,
                                                     const std::string& host, double timeout);
// Blocks for a key (up to `wait`, else the store's own timeout); Error(Io) naming `what` on
// timeout or when the store's host is gone.
std::vector<uint8_t> getKey(c10d::Store& store, const std::string& key, const std::string& what,
                            std::optional<std::chrono::milliseconds> wait = std::nullopt);
// Waits for a collective; a peer gone or silent past `timeout` becomes Error(Io) naming `step`.
void waitWork(const c10::intrusive_ptr<c10d::Work>& work, const std::string& step, double timeout);

} // namespace kg::fed
