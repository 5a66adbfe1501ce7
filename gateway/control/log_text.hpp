// Text from the network (MoldUDP64 session names, ITCH symbols) made safe for a log line or a
// terminal: printable ASCII stays as it is; every other byte (newline, escape sequences, NUL,
// bytes >= 0x80) and the backslash itself become \xNN. A session name with a newline then
// cannot forge a second log line, and the escaped form still shows the exact bytes received.
#pragma once

#include <string>
#include <string_view>

namespace hypertick::gw {

std::string printable_text(std::string_view bytes);

}  // namespace hypertick::gw
