#include "config/eal_options.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

#include "hypertick/base/assert.hpp"

namespace hypertick::gw {
namespace {

enum class takes : unsigned char { nothing, value, optional_value };

struct eal_option {
    const char* name;  // "--name" or "-x"
    takes argument;
    const char* owner;  // the configuration key that sets it, or nullptr when extra_args may
};

// DPDK 22.11's EAL options (eal_common_options.c); the ones hypertick-gw builds itself name the
// key that does, so a second, conflicting value cannot sneak in through extra_args.
constexpr std::array<eal_option, 48> options = {{
    {"--base-virtaddr", takes::value, nullptr},
    {"--create-uio-dev", takes::nothing, nullptr},
    {"--force-max-simd-bitwidth", takes::value, nullptr},
    {"--huge-dir", takes::value, nullptr},
    {"--huge-worker-stack", takes::optional_value, nullptr},
    {"--iova-mode", takes::value, nullptr},
    {"--legacy-mem", takes::nothing, nullptr},
    {"--match-allocations", takes::nothing, nullptr},
    {"--mbuf-pool-ops-name", takes::value, nullptr},
    {"--no-hpet", takes::nothing, nullptr},
    {"--proc-type", takes::value, nullptr},
    {"--single-file-segments", takes::nothing, nullptr},
    {"--socket-limit", takes::value, nullptr},
    {"--syslog", takes::optional_value, nullptr},
    {"--trace", takes::value, nullptr},
    {"--trace-bufsz", takes::value, nullptr},
    {"--trace-dir", takes::value, nullptr},
    {"--trace-mode", takes::value, nullptr},
    {"--vfio-intr", takes::value, nullptr},
    {"--vfio-vf-token", takes::value, nullptr},
    {"--vmware-tsc-map", takes::nothing, nullptr},
    {"-b", takes::value, nullptr},
    {"--block", takes::value, nullptr},
    {"-d", takes::value, nullptr},
    {"-n", takes::value, nullptr},
    {"-r", takes::value, nullptr},
    {"-s", takes::value, nullptr},
    {"-S", takes::value, nullptr},
    {"--lcores", takes::value, "eal.lcores"},
    {"-l", takes::value, "eal.lcores"},
    {"-c", takes::value, "eal.lcores"},
    {"--main-lcore", takes::value, "eal.main_lcore"},
    {"--file-prefix", takes::value, "eal.file_prefix"},
    {"--log-level", takes::value, "eal.log_level"},
    {"--telemetry", takes::nothing, "eal.telemetry"},
    {"--no-telemetry", takes::nothing, "eal.telemetry"},
    {"-a", takes::value, "eal.pci"},
    {"--allow", takes::value, "eal.pci"},
    {"--no-pci", takes::nothing, "eal.pci"},
    {"--vdev", takes::value, "ports[].device"},
    {"-m", takes::value, "eal.memory_mb"},
    {"--socket-mem", takes::value, "eal.memory_mb"},
    {"--no-huge", takes::nothing, "eal.hugepages"},
    {"--huge-unlink", takes::optional_value, "eal.hugepages"},
    {"--in-memory", takes::nothing, "eal.hugepages"},
    {"--no-shconf", takes::nothing, "eal.hugepages"},
    {"--help", takes::nothing, "the command line (hypertick-gw --help)"},
    {"--version", takes::nothing, "the command line (hypertick-gw --version)"},
}};

const eal_option* find_option(const std::string& name) {
    const auto it = std::find_if(options.begin(), options.end(),
                                 [&](const eal_option& o) { return name == o.name; });
    return it == options.end() ? nullptr : &*it;
}

// -n (memory channels) and -r (memory ranks) change the padding of every mempool object and
// so the memory plan: their values are read here and must be whole numbers EAL accepts.
constexpr std::uint32_t max_memory_channels = 64;
constexpr std::uint32_t max_memory_ranks = 16;  // EAL's own limit

// The value of the short option at args[index] (glued on, or the next element), or empty.
std::string short_option_value(const std::vector<std::string>& args, std::size_t index) {
    if (args[index].size() > 2) return args[index].substr(2);
    return index + 1 < args.size() ? args[index + 1] : std::string{};
}

// 1..limit, or 0 when `text` is not a whole number in that range.
std::uint32_t bounded_count(const std::string& text, std::uint32_t limit) {
    if (text.empty() || text.size() > 3) return 0;
    std::uint32_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return 0;
        value = value * 10 + static_cast<std::uint32_t>(c - '0');
    }
    return value >= 1 && value <= limit ? value : 0;
}

}  // namespace

std::uint32_t eal_memory_spread(const std::vector<std::string>& args) {
    std::uint32_t channels = 4;
    std::uint32_t ranks = 1;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string name = args[i].substr(0, 2);
        if (args[i].rfind("--", 0) == 0 || (name != "-n" && name != "-r")) continue;
        const std::string value = short_option_value(args, i);
        if (name == "-n")
            channels = bounded_count(value, max_memory_channels);
        else
            ranks = bounded_count(value, max_memory_ranks);
        HT_ASSERT(channels != 0 && ranks != 0);  // eal_extra_args_problem refused it
    }
    return channels * ranks;
}

std::string eal_log_level_problem(const std::string& text) {
    static const char* const names[] = {"emergency", "alert",  "critical", "error",
                                        "warning",   "notice", "info",     "debug"};
    const std::size_t colon = text.rfind(':');
    const std::string level = colon == std::string::npos ? text : text.substr(colon + 1);
    const bool named =
        std::any_of(std::begin(names), std::end(names), [&](const char* n) { return level == n; });
    const bool numbered = level.size() == 1 && level[0] >= '1' && level[0] <= '8';
    if (colon == 0) return "empty log type before ':' in \"" + text + "\"";
    if (named || numbered) return {};
    return "unknown log level \"" + level +
           "\" (expected emergency, alert, critical, error, warning, notice, info, "
           "debug or 1-8, optionally after TYPE:, e.g. pmd.net.pcap:debug)";
}

std::string eal_file_prefix_problem(const std::string& prefix) {
    // NAME_MAX (255) less "map_" and the ten digits an int file number can take.
    constexpr std::size_t longest = 255 - 4 - 10;
    if (prefix == "." || prefix == "..") return "\"" + prefix + "\" is a folder, not a name";
    if (prefix.size() > longest)
        return "is " + std::to_string(prefix.size()) + " characters; EAL names hugepage files " +
               "\"<prefix>map_<n>\", so at most " + std::to_string(longest) + " fit a file name";
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(prefix[i]);
        const bool letter_or_digit =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!letter_or_digit && c != '.' && c != '_' && c != '-') {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02x", c);
            return std::string("character ") + std::to_string(i + 1) + " (" + hex +
                   ") is not a letter, digit, '.', '_' or '-' (EAL makes a folder of the prefix)";
        }
    }
    return {};
}

std::string eal_extra_args_problem(const std::vector<std::string>& args, std::size_t& index) {
    for (index = 0; index < args.size(); ++index) {
        const std::string& arg = args[index];
        const bool long_form = arg.rfind("--", 0) == 0;
        const std::size_t equals = long_form ? arg.find('=') : std::string::npos;
        // Short options may carry their value glued on: -n4.
        const std::string name = long_form ? arg.substr(0, equals) : arg.substr(0, 2);
        const eal_option* o = arg.size() >= 2 && arg[0] == '-' ? find_option(name) : nullptr;
        if (o == nullptr) return "\"" + arg + "\" is not a DPDK 22.11 EAL option";
        if (o->owner != nullptr)
            return "\"" + name + "\" is set by " + std::string(o->owner) + ", not in extra_args";
        const bool has_value = long_form ? equals != std::string::npos : arg.size() > 2;
        if (o->argument == takes::nothing && has_value) return "\"" + name + "\" takes no value";
        if (o->argument == takes::value && !has_value) {
            if (index + 1 >= args.size())
                return "\"" + name + "\" needs a value (the next element, or " + name +
                       (long_form ? "=VALUE" : "VALUE") + ")";
            ++index;  // the value: anything, EAL reads it
        }
        if (!long_form && (name == "-n" || name == "-r")) {
            const std::uint32_t limit = name == "-n" ? max_memory_channels : max_memory_ranks;
            const std::string value = arg.size() > 2 ? arg.substr(2) : args[index];
            if (bounded_count(value, limit) == 0)
                return "\"" + name + "\" needs a whole number of memory " +
                       (name == "-n" ? "channels" : "ranks") + " from 1 to " +
                       std::to_string(limit) + ", not \"" + value + "\"";
        }
    }
    return {};
}

std::string device_argument_problem(const std::string& text) {
    for (const char c : text) {
        if (c == ',' || c == '=' || c == '[' || c == ']') return std::string("'") + c + "'";
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "a control character";
    }
    return {};
}

std::string canonical_pci_address(const std::string& text) {
    const std::string address = text.substr(0, text.find(','));
    // Shapes: 2 hex ':' 2 hex '.' 1 hex, with an optional "4 hex:" domain in front.
    const std::string full = address.size() == 7 ? "0000:" + address : address;
    if (full.size() != 12) return {};
    static const char shape[] = "xxxx:xx:xx.x";
    std::string out;
    for (std::size_t i = 0; i < full.size(); ++i) {
        const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(full[i])));
        const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        if (shape[i] == 'x' ? !hex : c != shape[i]) return {};
        out += c;
    }
    return out;
}

}  // namespace hypertick::gw
