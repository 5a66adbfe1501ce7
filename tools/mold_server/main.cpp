// mold_server: answers MoldUDP64 re-requests from a capture over a real UDP socket, so tests and
// demos exercise the gateway's gap recovery across a real network stack (docs/protocol.md).
// A tool, not a data-path worker: plain blocking POSIX sockets, allocation is fine.
#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "hypertick/base/byte_order.hpp"
#include "message_index.hpp"
#include "options.hpp"
#include "tool_cli.hpp"

namespace ms = hypertick::mold_server;
namespace feed = hypertick::feed;
namespace base = hypertick::base;
using clock_type = std::chrono::steady_clock;

namespace {

// Messages per answer are capped like a real server's: one datagram's worth.
constexpr std::size_t answer_message_bytes = 1400;
// Answers waiting for --delay-ms: anyone can send requests, so the wait is bounded (about
// 100 MiB of answers); a request that finds it full is dropped and counted.
constexpr std::size_t max_waiting_answers = 65536;

volatile sig_atomic_t g_stop = 0;
void on_signal(int) {
    g_stop = 1;
}

struct counters {
    std::uint64_t requests = 0;  // every datagram received
    std::uint64_t refused = 0;   // from a source outside --allow
    std::uint64_t answered = 0;
    std::uint64_t messages = 0;
    std::uint64_t bad = 0;        // not 20 bytes, another session, or count 0
    std::uint64_t unknown = 0;    // first sequence not in the capture
    std::uint64_t dropped = 0;    // --never-answer / --drop-every
    std::uint64_t wait_full = 0;  // max_waiting_answers were already waiting
    std::uint64_t send_errors = 0;
};

struct pending {
    clock_type::time_point due;
    sockaddr_in to;
    std::vector<std::uint8_t> datagram;
};

// The answer to a valid request: header + consecutive messages from `first`, at most `count`.
std::vector<std::uint8_t> build_answer(const ms::message_index& index,
                                       const feed::mold_session& session, std::uint64_t first,
                                       std::uint16_t count, std::uint16_t& included) {
    std::vector<std::uint8_t> out(feed::mold_header_length);
    std::memcpy(out.data(), session.name.data(), feed::mold_session_length);
    base::store_be64(out.data() + 10, first);
    std::size_t body = 0;
    included = 0;
    while (included < count) {
        const std::optional<std::string_view> found = index.find(first + included);
        if (!found || body + feed::mold_length_prefix + found->size() > answer_message_bytes) break;
        const std::string_view m = *found;
        const std::size_t at = out.size();
        out.resize(at + feed::mold_length_prefix + m.size());
        base::store_be16(out.data() + at, static_cast<std::uint16_t>(m.size()));
        std::memcpy(out.data() + at + feed::mold_length_prefix, m.data(), m.size());
        body += feed::mold_length_prefix + m.size();
        ++included;
    }
    base::store_be16(out.data() + 18, included);
    return out;
}

int run(int argc, char** argv) {
    ms::options o;
    const std::string problem = ms::parse_options(argc, argv, o);
    if (o.help) {
        ms::print_usage(stdout);
        return 0;
    }
    if (o.version) {
        hypertick::tool_cli::print_version(stdout, "mold_server");
        return 0;
    }
    if (!problem.empty()) return hypertick::tool_cli::usage_error("mold_server", problem);
    ms::message_index index;
    std::string error;
    const std::optional<feed::mold_session> wanted =
        o.session ? std::optional(feed::mold_session::from_text(*o.session)) : std::nullopt;
    if (!index.load(o.capture, wanted ? &*wanted : nullptr, error)) {
        std::fprintf(stderr, "mold_server: %s\n", error.c_str());
        return 1;
    }
    const feed::mold_session session = index.session();

    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || ::bind(fd, reinterpret_cast<const sockaddr*>(&o.listen), sizeof o.listen) != 0) {
        std::fprintf(stderr, "mold_server: cannot listen on %s: %s\n", o.listen_text.c_str(),
                     std::strerror(errno));
        return 1;
    }
    // No SA_RESTART: poll() returns EINTR and the loop sees the flag at once.
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    ::sigaction(SIGTERM, &sa, nullptr);
    ::sigaction(SIGINT, &sa, nullptr);

    std::printf("mold_server: listening on %s, session '%.*s', %zu messages (%" PRIu64 "..%" PRIu64
                "), %" PRIu64 " datagrams of other sessions skipped\n",
                o.listen_text.c_str(), static_cast<int>(feed::mold_session_length),
                session.name.data(), index.size(), index.first(), index.last(),
                index.other_session_datagrams());
    std::fflush(stdout);

    counters c;
    std::deque<pending> queue;  // answers waiting for --delay-ms, in arrival order
    const auto started = clock_type::now();
    const char* reason = "signal";
    for (;;) {
        const auto now = clock_type::now();
        while (!queue.empty() && queue.front().due <= now) {
            const pending& p = queue.front();
            if (::sendto(fd, p.datagram.data(), p.datagram.size(), 0,
                         reinterpret_cast<const sockaddr*>(&p.to), sizeof p.to) < 0)
                ++c.send_errors;
            queue.pop_front();
        }
        if (g_stop) break;
        if (o.duration_s > 0 &&
            std::chrono::duration<double>(now - started).count() >= o.duration_s) {
            reason = "--duration reached";
            break;
        }
        if (o.max_requests != 0 && c.requests >= o.max_requests && queue.empty()) {
            reason = "--max-requests reached";
            break;
        }
        // Wake for the next delayed answer, and at least every 50 ms to check the deadlines.
        int wait_ms = 50;
        if (!queue.empty()) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(queue.front().due - now)
                    .count();
            wait_ms = static_cast<int>(left < 0 ? 0 : left < wait_ms ? left : wait_ms);
        }
        pollfd pfd{fd, POLLIN, 0};
        if (::poll(&pfd, 1, wait_ms) <= 0) continue;  // timeout or EINTR
        if (o.max_requests != 0 && c.requests >= o.max_requests)
            continue;  // draining the delayed answers

        std::uint8_t request[64];
        sockaddr_in from{};
        socklen_t from_length = sizeof from;
        const ssize_t n = ::recvfrom(fd, request, sizeof request, 0,
                                     reinterpret_cast<sockaddr*>(&from), &from_length);
        if (n < 0) continue;
        ++c.requests;
        if ((ntohl(from.sin_addr.s_addr) & o.allow_mask) != o.allow_network) {
            ++c.refused;
            continue;
        }
        const feed::mold_header h{request};
        if (n != feed::mold_header_length || h.session() != session || h.count() == 0 ||
            h.count() == feed::mold_end_of_session_count) {
            ++c.bad;
            continue;
        }
        if ((o.never_answer) || (o.drop_every != 0 && c.requests % o.drop_every == 0)) {
            ++c.dropped;
            continue;
        }
        if (queue.size() >= max_waiting_answers) {
            ++c.wait_full;
            continue;
        }
        std::uint16_t included = 0;
        std::vector<std::uint8_t> answer =
            build_answer(index, session, h.sequence(), h.count(), included);
        if (included == 0) {  // nothing to give from there: a real server would not answer either
            ++c.unknown;
            continue;
        }
        ++c.answered;
        c.messages += included;
        queue.push_back(
            {clock_type::now() + std::chrono::milliseconds(o.delay_ms), from, std::move(answer)});
    }
    ::close(fd);
    std::printf("mold_server: stopping (%s): requests %" PRIu64 ", answered %" PRIu64
                ", messages sent %" PRIu64 ", bad requests %" PRIu64 ", unknown sequence %" PRIu64
                ", dropped %" PRIu64 ", dropped with %zu answers waiting %" PRIu64
                ", send errors %" PRIu64 ", refused (not --allow) %" PRIu64 "\n",
                reason, c.requests, c.answered, c.messages, c.bad, c.unknown, c.dropped,
                max_waiting_answers, c.wait_full, c.send_errors, c.refused);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    return hypertick::tool_cli::finish_output("mold_server", run(argc, argv));
}
