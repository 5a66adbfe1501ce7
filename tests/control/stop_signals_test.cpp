// The stop signals: the first of SIGINT, SIGTERM and SIGHUP is caught (a clean stop follows);
// a second one ends the process as by default, so a blocked start-up or stop can still be ended.
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>

#include "control/control_plane.hpp"

namespace hypertick::gw {
namespace {

TEST(StopSignals, TheFirstIsCaughtAndTheSecondEndsTheProcess) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(
        {
            install_stop_signal_handlers();
            std::raise(SIGTERM);  // caught: the process goes on
            std::raise(SIGINT);   // the second: default action
            std::_Exit(0);        // reached only when the second was caught too
        },
        testing::KilledBySignal(SIGINT), "");
}

TEST(StopSignals, AHangupAfterATerminateEndsTheProcess) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(
        {
            install_stop_signal_handlers();
            std::raise(SIGTERM);
            std::raise(SIGHUP);
            std::_Exit(0);
        },
        testing::KilledBySignal(SIGHUP), "");
}

TEST(StopSignals, OneSignalAloneDoesNotEndTheProcess) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(
        {
            install_stop_signal_handlers();
            std::raise(SIGHUP);
            std::_Exit(7);
        },
        testing::ExitedWithCode(7), "");
}

}  // namespace
}  // namespace hypertick::gw
