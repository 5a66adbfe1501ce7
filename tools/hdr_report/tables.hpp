// The compact summary (one line per tag) and the per-interval timeline, as text or CSV.
#pragma once

#include <string>

#include "log_selection.hpp"
#include "options.hpp"

namespace hdr_report {

std::string summary_table(const log_selection& selection, const report_options& options);
std::string timeline_table(const log_selection& selection, const report_options& options);

}  // namespace hdr_report
