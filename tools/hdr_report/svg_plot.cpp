#include "svg_plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "hypertick/stats/percentile_distribution.hpp"

namespace hdr_report {

namespace {

constexpr double width = 960, height = 560;
constexpr double left = 90, right = 230, top = 50, bottom = 70;
constexpr double plot_w = width - left - right, plot_h = height - top - bottom;
constexpr const char* palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                   "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};
// Deeper than 99.9999999% there is nothing a latency report can say.
constexpr int max_decades = 9;

struct point {
    double decades;  // log10(1 / (1 - p))
    double value;    // in the chosen unit
};

std::string num(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", v);
    return text;
}

std::string xml_escape(const std::string& text) {
    std::string out;
    for (const char c : text) {
        if (c == '&')
            out += "&amp;";
        else if (c == '<')
            out += "&lt;";
        else if (c == '>')
            out += "&gt;";
        else if (c == '"')
            out += "&quot;";
        else
            out += c;
    }
    return out;
}

std::vector<point> spectrum(const hypertick::stats::histogram& h, const report_options& options) {
    std::vector<point> points;
    for (const auto& step :
         hypertick::stats::percentile_steps(h, options.ticks_per_half_distance)) {
        if (step.percentile >= 100.0) continue;
        const double decades = std::log10(1.0 / (1.0 - step.percentile / 100.0));
        if (decades > max_decades) break;
        points.push_back({decades, static_cast<double>(step.value) / options.unit_ratio});
    }
    return points;
}

// A round step (1, 2 or 5 times a power of ten) giving about six ticks up to `max`.
double tick_step(double max) {
    const double raw = max / 6.0;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double m : {1.0, 2.0, 5.0})
        if (raw <= m * power) return m * power;
    return 10.0 * power;
}

// The latency axis: linear from 0 with round steps, or (--log-y) logarithmic between the
// powers of ten around the smallest positive and the largest value, one tick per power.
struct value_axis {
    bool log = false;
    double bottom = 0.0, top = 1.0, step = 1.0;

    static value_axis fit(double min_positive, double max_value, bool log_scale) {
        value_axis axis;
        axis.log = log_scale;
        if (log_scale) {
            axis.bottom =
                std::pow(10.0, std::floor(std::log10(min_positive > 0 ? min_positive : 1.0)));
            axis.top = std::pow(10.0, std::ceil(std::log10(std::max(max_value, axis.bottom))));
            if (axis.top <= axis.bottom) axis.top = axis.bottom * 10.0;
        } else {
            axis.step = tick_step(max_value > 0 ? max_value : 1.0);
            axis.top = std::ceil((max_value > 0 ? max_value : 1.0) / axis.step) * axis.step;
        }
        return axis;
    }
    // 0 at the bottom of the plot, 1 at the top (values below a log axis sit on its bottom).
    [[nodiscard]] double fraction(double v) const {
        if (!log) return v / top;
        return (std::log10(std::max(v, bottom)) - std::log10(bottom)) /
               (std::log10(top) - std::log10(bottom));
    }
    [[nodiscard]] std::vector<double> ticks() const {
        std::vector<double> values;
        if (log) {
            for (double v = bottom; v <= top * (1 + 1e-9); v *= 10.0) values.push_back(v);
        } else {
            for (double v = 0; v <= top * (1 + 1e-9); v += step) values.push_back(v);
        }
        return values;
    }
};

std::string percent_label(int decade) {
    if (decade == 0) return "0%";
    if (decade == 1) return "90%";
    if (decade == 2) return "99%";
    return "99." + std::string(static_cast<std::size_t>(decade - 2), '9') + "%";
}

}  // namespace

std::string percentile_plot_svg(const log_selection& selection, const report_options& options) {
    std::vector<std::pair<std::string, std::vector<point>>> curves;
    double max_value = 0, max_decade = 2, min_positive = 0;
    for (const auto& [tag, h] : selection.by_tag) {
        curves.emplace_back(display_tag(tag), spectrum(h, options));
        for (const point& p : curves.back().second) {
            max_value = std::max(max_value, p.value);
            max_decade = std::max(max_decade, p.decades);
            if (p.value > 0 && (min_positive == 0 || p.value < min_positive))
                min_positive = p.value;
        }
        max_value = std::max(max_value, static_cast<double>(h.max()) / options.unit_ratio);
    }
    const int decades = std::min(max_decades, static_cast<int>(std::ceil(max_decade - 1e-9)));
    const value_axis axis = value_axis::fit(min_positive, max_value, options.log_y);
    auto x_of = [&](double d) { return left + plot_w * std::min(d, double(decades)) / decades; };
    auto y_of = [&](double v) { return top + plot_h * (1.0 - axis.fraction(v)); };

    std::string svg =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
        "width=\"" +
        num(width) + "\" height=\"" + num(height) + "\" viewBox=\"0 0 " + num(width) + " " +
        num(height) + "\" font-family=\"sans-serif\" font-size=\"12\">\n";
    svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    svg += "<text x=\"" + num(left + plot_w / 2) +
           "\" y=\"28\" text-anchor=\"middle\" font-size=\"16\">Latency by percentile: " +
           xml_escape(options.log_path) + "</text>\n";
    for (int d = 0; d <= decades; ++d) {
        const std::string x = num(x_of(d));
        svg += "<line x1=\"" + x + "\" y1=\"" + num(top) + "\" x2=\"" + x + "\" y2=\"" +
               num(top + plot_h) + "\" stroke=\"#ddd\"/>\n<text x=\"" + x + "\" y=\"" +
               num(top + plot_h + 18) + "\" text-anchor=\"middle\">" + percent_label(d) +
               "</text>\n";
    }
    for (const double v : axis.ticks()) {
        const std::string y = num(y_of(v));
        char label[32];
        std::snprintf(label, sizeof label, "%g", v);
        svg += "<line x1=\"" + num(left) + "\" y1=\"" + y + "\" x2=\"" + num(left + plot_w) +
               "\" y2=\"" + y + "\" stroke=\"#ddd\"/>\n<text x=\"" + num(left - 8) + "\" y=\"" + y +
               "\" text-anchor=\"end\" dominant-baseline=\"middle\">" + label + "</text>\n";
    }
    svg += "<rect x=\"" + num(left) + "\" y=\"" + num(top) + "\" width=\"" + num(plot_w) +
           "\" height=\"" + num(plot_h) + "\" fill=\"none\" stroke=\"black\"/>\n";
    svg += "<text x=\"" + num(left + plot_w / 2) + "\" y=\"" + num(height - 20) +
           "\" text-anchor=\"middle\">Percentile (log scale of 1/(1-p))</text>\n";
    svg += "<text transform=\"translate(24 " + num(top + plot_h / 2) +
           ") rotate(-90)\" text-anchor=\"middle\">Latency (" + options.unit_name +
           (options.log_y ? ", log scale" : "") + ")</text>\n";
    for (std::size_t c = 0; c < curves.size(); ++c) {
        const char* colour = palette[c % std::size(palette)];
        std::string d;
        for (const point& p : curves[c].second)
            d += (d.empty() ? "M" : " L") + num(x_of(p.decades)) + " " + num(y_of(p.value));
        svg += "<path class=\"curve\" data-tag=\"" + xml_escape(curves[c].first) + "\" d=\"" + d +
               "\" fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"2\"/>\n";
        const double ly = top + 10 + 20.0 * static_cast<double>(c);
        svg += "<line x1=\"" + num(left + plot_w + 15) + "\" y1=\"" + num(ly) + "\" x2=\"" +
               num(left + plot_w + 40) + "\" y2=\"" + num(ly) + "\" stroke=\"" + colour +
               "\" stroke-width=\"2\"/>\n<text x=\"" + num(left + plot_w + 46) + "\" y=\"" +
               num(ly) + "\" dominant-baseline=\"middle\">" + xml_escape(curves[c].first) +
               "</text>\n";
    }
    svg += "</svg>\n";
    return svg;
}

}  // namespace hdr_report
