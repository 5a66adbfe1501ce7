#include "contract/worker_event.hpp"

namespace hypertick::gw {

const char* to_string(worker_event_kind kind) {
    switch (kind) {
        case worker_event_kind::worker_started:
            return "worker_started";
        case worker_event_kind::feed_stale:
            return "feed_stale";
        case worker_event_kind::feed_recovered:
            return "feed_recovered";
        case worker_event_kind::gap:
            return "gap";
        case worker_event_kind::session_started:
            return "session_started";
        case worker_event_kind::end_of_session:
            return "end_of_session";
        case worker_event_kind::book_degraded:
            return "book_degraded";
        case worker_event_kind::stall:
            return "stall";
        case worker_event_kind::recovery_state:
            return "recovery_state";
        case worker_event_kind::books_invalid:
            return "books_invalid";
        case worker_event_kind::worker_stopped:
            return "worker_stopped";
    }
    return "unknown";
}

}  // namespace hypertick::gw
