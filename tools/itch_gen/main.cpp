// itch_gen: a deterministic NASDAQ TotalView-ITCH 5.0 / MoldUDP64 feed generator. See --help.
#include <cstdio>
#include <string>

#include "generator.hpp"
#include "options.hpp"
#include "tool_cli.hpp"

namespace {

int run(int argc, char** argv) {
    itch_gen::generator_options options;
    std::string error;
    switch (itch_gen::parse_options(argc, argv, options, error)) {
        case itch_gen::parse_result::help:
            std::fputs(itch_gen::usage_text(), stdout);
            return 0;
        case itch_gen::parse_result::version:
            hypertick::tool_cli::print_version(stdout, "itch_gen");
            return 0;
        case itch_gen::parse_result::error:
            return hypertick::tool_cli::usage_error("itch_gen", error);
        case itch_gen::parse_result::ok:
            break;
    }
    itch_gen::generated_capture capture;
    if (!itch_gen::generate(options, capture, error)) {
        std::fprintf(stderr, "itch_gen: --from-historical: %s\n", error.c_str());
        return 1;
    }
    const int status = itch_gen::write_outputs(options, capture);
    if (status == 0) {
        const auto& feed = capture.expected.feed;
        std::fprintf(stderr,
                     "itch_gen: %llu messages; A line: %llu packets received, %llu delivered, "
                     "%llu gaps (%llu missing), next_seq %llu\n",
                     static_cast<unsigned long long>(capture.messages.size()),
                     static_cast<unsigned long long>(feed.packets),
                     static_cast<unsigned long long>(feed.messages),
                     static_cast<unsigned long long>(feed.gaps),
                     static_cast<unsigned long long>(feed.missing_messages),
                     static_cast<unsigned long long>(feed.next_seq));
    }
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    return hypertick::tool_cli::finish_output("itch_gen", run(argc, argv));
}
