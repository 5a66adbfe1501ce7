#include "control/log_output.hpp"

#include "control/counted_log_sink.hpp"

#include <spdlog/pattern_formatter.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace hypertick::gw {
namespace {

// %* in a pattern: "<N>", N the journal priority of the message's level.
class journal_priority_flag final : public spdlog::custom_flag_formatter {
  public:
    void format(const spdlog::details::log_msg& msg, const std::tm&,
                spdlog::memory_buf_t& dest) override {
        const char text[] = {'<', static_cast<char>('0' + journal_priority(msg.level)), '>'};
        dest.append(text, text + sizeof text);
    }
    [[nodiscard]] std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<journal_priority_flag>();
    }
};

// Reads one unsigned decimal number of `text` up to `end`; false on anything else.
bool parse_number(const char* text, char end, unsigned long long& out, const char*& rest) {
    if (*text < '0' || *text > '9') return false;
    char* stop = nullptr;
    errno = 0;
    out = std::strtoull(text, &stop, 10);
    if (errno != 0 || *stop != end) return false;
    rest = stop;
    return true;
}

}  // namespace

int journal_priority(spdlog::level::level_enum level) noexcept {
    switch (level) {
        case spdlog::level::critical:
            return 2;
        case spdlog::level::err:
            return 3;
        case spdlog::level::warn:
            return 4;
        case spdlog::level::info:
            return 6;
        case spdlog::level::debug:
        case spdlog::level::trace:
            return 7;
        default:
            return 6;  // level::off never reaches a sink
    }
}

bool is_journal_stream(int fd, const char* journal_stream) {
    if (journal_stream == nullptr) return false;
    unsigned long long device = 0;
    unsigned long long inode = 0;
    const char* rest = nullptr;
    if (!parse_number(journal_stream, ':', device, rest) ||
        !parse_number(rest + 1, '\0', inode, rest))
        return false;
    struct stat st {};
    if (::fstat(fd, &st) != 0) return false;
    return static_cast<unsigned long long>(st.st_dev) == device &&
           static_cast<unsigned long long>(st.st_ino) == inode;
}

void set_log_layout(spdlog::logger& log, bool journal) {
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    if (journal) {
        formatter->add_flag<journal_priority_flag>('*').set_pattern("%*%-5l %v");
    } else {
        formatter->set_pattern("%Y-%m-%d %H:%M:%S.%e %-5l %v");
    }
    log.set_formatter(std::move(formatter));
}

std::shared_ptr<spdlog::logger> make_logger(const logging_settings& settings, std::string& error) {
    auto sink = settings.file.empty() ? std::make_shared<counted_log_sink>()
                                      : std::make_shared<counted_log_sink>(settings.file);
    if (!sink->is_open()) {
        error = "logging.file: cannot open \"" + settings.file + "\": " + sink->open_error();
        return nullptr;
    }
    auto log = std::make_shared<spdlog::logger>("hypertick", std::move(sink));
    set_log_layout(*log, settings.file.empty() &&
                             is_journal_stream(STDOUT_FILENO, std::getenv("JOURNAL_STREAM")));
    log->set_level(spdlog::level::from_str(settings.level));
    log->flush_on(spdlog::level::info);
    return log;
}

std::string log_loss(const spdlog::logger& log) {
    std::string text;
    for (const spdlog::sink_ptr& sink : log.sinks())
        if (const auto counted = std::dynamic_pointer_cast<counted_log_sink>(sink))
            if (const std::string lost = counted->loss_text(); !lost.empty())
                text += (text.empty() ? "" : "; ") + lost;
    return text;
}

}  // namespace hypertick::gw
