// The text outputs: per-tag percentile distributions, the compact summary (one line per tag),
// the per-interval timeline and the tag list, as text or CSV.
#pragma once

#include <string>

#include "log_selection.hpp"
#include "options.hpp"

namespace hdr_report {

std::string distribution_tables(const log_selection& selection, const report_options& options);
std::string summary_table(const log_selection& selection, const report_options& options);
std::string timeline_table(const log_selection& selection, const report_options& options);
std::string tag_list(const log_selection& selection, const report_options& options);

}  // namespace hdr_report
