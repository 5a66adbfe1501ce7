#include "gateway/gateway_harness.hpp"
