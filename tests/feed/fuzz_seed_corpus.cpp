// Writes the fuzzer's generated seed corpus: frames of a small itch_gen capture (every message
// type, heartbeats, end of session, a VLAN tag) one file per frame, into the directory given.
#include <cstdio>
#include <filesystem>
#include <string>

#include "generator.hpp"
#include "hypertick/feed/file_bytes.hpp"
#include "hypertick/feed/pcap_file.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: fuzz_seed_corpus DIR\n");
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    std::filesystem::create_directories(dir);
    itch_gen::generator_options options;
    options.seed = 3;
    options.symbols = 3;
    options.messages = 4000;
    options.per_packet = 8;
    options.heartbeat_every = 20;
    options.vlan = 141;
    options.out = "(memory)";
    itch_gen::generated_capture capture;
    std::string error;
    hypertick::feed::pcap_reader reader;
    if (!itch_gen::generate(options, capture, error) || !reader.open_bytes(capture.pcap_a)) {
        std::fprintf(stderr, "fuzz_seed_corpus: %s %s\n", error.c_str(), reader.error().c_str());
        return 1;
    }
    hypertick::feed::pcap_record record;
    uint32_t written = 0;
    // Every 7th frame keeps the corpus small while still covering every message type.
    for (uint32_t i = 0; reader.next(record); ++i) {
        if (i % 7 != 0 && i > 3) continue;
        hypertick::feed::output_file file;
        if (!file.open((dir / ("frame_" + std::to_string(i))).string(), error)) {
            std::fprintf(stderr, "fuzz_seed_corpus: %s\n", error.c_str());
            return 1;
        }
        file.write(record.data, record.captured_length);
        if (!file.close()) return 1;
        ++written;
    }
    std::printf("fuzz_seed_corpus: %u frames in %s\n", written, dir.string().c_str());
    return 0;
}
