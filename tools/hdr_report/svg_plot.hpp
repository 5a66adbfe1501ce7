// The percentile spectrum as an SVG picture: latency (linear, chosen unit) against percentile
// on a log 1/(1-p) axis labelled 0%, 90%, 99%, 99.9%..., one curve per tag, with a legend.
#pragma once

#include <string>

#include "log_selection.hpp"
#include "options.hpp"

namespace hdr_report {

std::string percentile_plot_svg(const log_selection& selection, const report_options& options);

}  // namespace hdr_report
