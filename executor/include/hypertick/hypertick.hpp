// Everything an application of the executor needs.
#pragma once

#include "hypertick/channel.hpp"
#include "hypertick/clock.hpp"
#include "hypertick/config.hpp"
#include "hypertick/event.hpp"
#include "hypertick/executor.hpp"
#include "hypertick/op.hpp"
#include "hypertick/sleep.hpp"
#include "hypertick/task.hpp"
#include "hypertick/yield.hpp"
