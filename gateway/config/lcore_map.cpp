#include "config/lcore_map.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>

namespace hypertick::gw {
namespace {

constexpr unsigned long max_id = 1023;  // RTE_MAX_LCORE-sized ids and CPU numbers

// "N" or "N-M" -> ids; false when it is anything else.
bool add_range(const std::string& item, std::vector<std::uint32_t>& ids) {
    char* end = nullptr;
    const unsigned long lo = std::strtoul(item.c_str(), &end, 10);
    if (item.empty() || end == item.c_str() || item[0] == '-' || item[0] == '+') return false;
    unsigned long hi = lo;
    if (*end == '-') {
        const char* start = end + 1;
        if (*start < '0' || *start > '9') return false;
        hi = std::strtoul(start, &end, 10);
    }
    if (*end != '\0' || hi < lo || hi > max_id) return false;
    for (unsigned long id = lo; id <= hi; ++id) ids.push_back(static_cast<std::uint32_t>(id));
    return true;
}

// Splits on commas outside parentheses; false on unbalanced parentheses.
bool split_top_level(const std::string& text, std::vector<std::string>& parts) {
    int depth = 0;
    std::string current;
    for (char ch : text) {
        depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
        if (depth < 0 || depth > 1) return false;
        if (ch == ',' && depth == 0) {
            parts.push_back(current);
            current.clear();
        } else {
            current += ch;
        }
    }
    parts.push_back(current);
    return depth == 0;
}

void sort_unique(std::vector<std::uint32_t>& ids) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}

}  // namespace

bool parse_cpu_list(const std::string& text, std::vector<std::uint32_t>& cpus) {
    std::string body = text;
    while (!body.empty() && (body.back() == '\n' || body.back() == ' ')) body.pop_back();
    if (!body.empty() && body.front() == '(') {
        if (body.back() != ')') return false;
        body = body.substr(1, body.size() - 2);
    }
    if (body.empty()) return true;
    std::vector<std::string> items;
    if (!split_top_level(body, items)) return false;
    for (const std::string& item : items)
        if (!add_range(item, cpus)) return false;
    sort_unique(cpus);
    return true;
}

std::string format_cpu_list(const std::vector<std::uint32_t>& cpus) {
    std::string out;
    for (std::size_t i = 0; i < cpus.size();) {
        std::size_t j = i;
        while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1) ++j;
        if (!out.empty()) out += ',';
        out += std::to_string(cpus[i]);
        if (j > i) out += '-' + std::to_string(cpus[j]);
        i = j + 1;
    }
    return out;
}

bool parse_lcore_map(const std::string& text, std::vector<lcore_placement>& placements,
                     std::string& why) {
    std::vector<std::string> elements;
    if (!split_top_level(text, elements)) {
        why = "unbalanced parentheses in \"" + text + "\"";
        return false;
    }
    std::map<std::uint32_t, std::vector<std::uint32_t>> by_lcore;
    for (const std::string& element : elements) {
        const std::size_t at = element.find('@');
        const std::string lcore_part = element.substr(0, at);
        std::vector<std::uint32_t> lcores, cpus;
        if (lcore_part.empty() || !parse_cpu_list(lcore_part, lcores) || lcores.empty()) {
            why = "cannot read lcore \"" + lcore_part + "\" in \"" + text +
                  "\" (expected N, N-M or (list)@cpus)";
            return false;
        }
        if (at != std::string::npos &&
            (!parse_cpu_list(element.substr(at + 1), cpus) || cpus.empty())) {
            why = "cannot read the CPUs \"" + element.substr(at + 1) + "\" in \"" + text + "\"";
            return false;
        }
        // EAL: without '@' a bare range places lcore n on CPU n; a group shares its whole set.
        const bool one_to_one = at == std::string::npos && lcore_part.front() != '(';
        for (std::uint32_t lcore : lcores)
            by_lcore[lcore] = one_to_one ? std::vector<std::uint32_t>{lcore}
                                         : (at == std::string::npos ? lcores : cpus);
    }
    placements.clear();
    for (auto& [lcore, cpus] : by_lcore) placements.push_back({lcore, cpus});
    return true;
}

}  // namespace hypertick::gw
