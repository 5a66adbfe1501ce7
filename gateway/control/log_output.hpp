// The control plane's logger: standard output, a file (logging.file), or the systemd journal.
//
// Under systemd, standard output is a stream to journald and JOURNAL_STREAM names it
// ("<device>:<inode>"). journald reads a "<N>" prefix on each line as the line's syslog
// priority, so every line starts with the priority of its spdlog level and
// `journalctl -p warning` shows warnings and worse; the journal stamps each line itself, so the
// timestamp is left out. Elsewhere (a terminal, a pipe, a file) the lines carry a timestamp and
// no prefix.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <string>

#include "config/settings.hpp"

namespace hypertick::gw {

// syslog(3) priority of an spdlog level: critical 2 (LOG_CRIT), error 3, warning 4, info 6,
// debug and trace 7 (LOG_DEBUG).
int journal_priority(spdlog::level::level_enum level) noexcept;

// True when `journal_stream` (JOURNAL_STREAM's value, or null) names the file open on `fd`, as
// systemd's documentation prescribes: a redirected output inherits the variable but not the
// stream.
bool is_journal_stream(int fd, const char* journal_stream);

// The line layout: "<N>level message" for the journal, "date time level message" otherwise.
void set_log_layout(spdlog::logger& log, bool journal);

// The logger logging_settings asks for, writing through a counted_log_sink; null with `error`
// naming the setting when the file cannot be opened.
std::shared_ptr<spdlog::logger> make_logger(const logging_settings& settings, std::string& error);

// Empty when every line `log` was given reached its file; else where, why and how many were
// lost (make_logger's loggers only).
std::string log_loss(const spdlog::logger& log);

}  // namespace hypertick::gw
