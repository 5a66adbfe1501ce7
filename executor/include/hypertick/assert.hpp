// HT_ASSERT and HT_DEBUG_ASSERT, under the executor's own include path: the definitions live in
// hypertick::base (hypertick/base/assert.hpp), which the executor links publicly.
#pragma once

#include "hypertick/base/assert.hpp"
