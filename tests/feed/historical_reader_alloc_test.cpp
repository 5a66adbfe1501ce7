// historical_reader::next runs once per message of files of millions of messages: reading a
// whole file must make no heap call, and the words of an error are built only when it stops.
//
// This binary links the counting allocator (hypertick::alloc_counter), so it is its own
// executable.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "alloc_counter.hpp"
#include "hypertick/feed/historical_file.hpp"

namespace {

using hypertick::feed::historical_reader;
using hypertick::testing::thread_alloc_scope;

// `messages` system-event messages ('S', 12 bytes), each behind its 2-byte length.
std::vector<uint8_t> historical_bytes(uint32_t messages) {
    std::vector<uint8_t> bytes;
    for (uint32_t i = 0; i < messages; ++i) {
        bytes.push_back(0);
        bytes.push_back(12);
        bytes.push_back('S');
        bytes.insert(bytes.end(), 11, static_cast<uint8_t>(i));
    }
    return bytes;
}

TEST(HistoricalReaderAlloc, ReadingEveryMessageMakesNoHeapCall) {
    if (!hypertick::testing::alloc_counting_active())
        GTEST_SKIP() << "the counting allocator is not in place in this build";
    historical_reader reader;
    ASSERT_TRUE(reader.open_bytes(historical_bytes(10000)));
    const uint8_t* message = nullptr;
    uint16_t length = 0;
    uint32_t read = 0;
    thread_alloc_scope scope;
    while (reader.next(message, length)) {
        ++read;
        ASSERT_EQ(length, 12u);
    }
    EXPECT_EQ(scope.counts().total(), 0u);
    EXPECT_EQ(read, 10000u);
    EXPECT_TRUE(reader.error().empty());
}

TEST(HistoricalReaderAlloc, ACutLengthIsStillReportedAfterManyMessages) {
    std::vector<uint8_t> bytes = historical_bytes(1000);
    bytes.push_back(0);  // one byte of the next message's 2-byte length
    historical_reader reader;
    ASSERT_TRUE(reader.open_bytes(bytes));
    const uint8_t* message = nullptr;
    uint16_t length = 0;
    uint32_t read = 0;
    while (reader.next(message, length)) ++read;
    EXPECT_EQ(read, 1000u);
    EXPECT_EQ(reader.error(),
              "read 1000 messages (14000 of 14001 bytes); message 1001 at byte 14000 is cut: 1 "
              "byte of its 2-byte length; the last 1 bytes are not read");
    EXPECT_FALSE(reader.next(message, length));  // stays stopped
}

}  // namespace
