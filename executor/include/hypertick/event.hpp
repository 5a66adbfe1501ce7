// Single-thread synchronisation primitives without allocation.
//
// event:  one-shot. set() releases every current and future waiter.
// notify: auto-reset, one waiter. notify_one() wakes the waiter, or leaves a permit that the
//         next wait() consumes at once. This is how a poller hands readiness to its task.
#pragma once

#include "hypertick/op.hpp"
#include "hypertick/waiter.hpp"

namespace hypertick {

class event {
  public:
    event() noexcept = default;
    event(const event&) = delete;
    event& operator=(const event&) = delete;

    void set() noexcept {
        is_set_ = true;
        while (list_node* node = waiters_.front()) static_cast<waiter_node*>(node)->complete();
    }
    [[nodiscard]] bool is_set() const noexcept { return is_set_; }

    class wait_op {
      public:
        explicit wait_op(event& ev) noexcept : event_(&ev) {}
        bool try_complete(executor&) noexcept { return event_->is_set_; }
        void arm(executor&, waker w) noexcept {
            node_.set_waker(std::move(w));
            event_->waiters_.push_back(node_);
        }
        void arm_task(executor& ex, std::uint32_t index) noexcept {
            node_.set_task(ex, index);
            event_->waiters_.push_back(node_);
        }
        void disarm(executor&) noexcept {
            node_.unlink();
            node_.clear();
        }
        void take(executor&) noexcept {}
        // Once armed, only set() completes the wait, and it sets this before waking.
        [[nodiscard]] const bool* completion_flag() const noexcept { return &node_.done; }

      private:
        event* event_;
        waiter_node node_;
    };
    [[nodiscard]] wait_op wait() noexcept { return wait_op(*this); }

  private:
    bool is_set_ = false;
    intrusive_list waiters_;
};

class notify {
  public:
    notify() noexcept = default;
    notify(const notify&) = delete;
    notify& operator=(const notify&) = delete;
    ~notify() { HT_ASSERT(waiter_ == nullptr); }

    // Always inline: it is the whole wake, and a call around it costs a round trip its
    // prologue, epilogue and reloads (g++ leaves it out of line inside a coroutine).
    [[gnu::always_inline]] void notify_one() noexcept {
        if (waiter_ == nullptr) {
            permit_ = true;
            return;
        }
        waiter* w = waiter_;
        waiter_ = nullptr;
        w->complete();
    }
    [[nodiscard]] bool has_waiter() const noexcept { return waiter_ != nullptr; }

    class wait_op {
      public:
        explicit wait_op(notify& n) noexcept : notify_(&n) {}
        bool try_complete(executor&) noexcept {
            if (node_.done) return true;
            // A permit is left only while nobody waits, so this waiter, armed, finds none.
            HT_DEBUG_ASSERT(!notify_->permit_ || notify_->waiter_ == nullptr);
            if (!notify_->permit_) return false;
            notify_->permit_ = false;
            return true;
        }
        void arm(executor&, waker w) noexcept {
            HT_ASSERT(notify_->waiter_ == nullptr);  // one waiter at a time
            node_.set_waker(std::move(w));
            notify_->waiter_ = &node_;
        }
        void arm_task(executor& ex, std::uint32_t index) noexcept {
            HT_ASSERT(notify_->waiter_ == nullptr);  // one waiter at a time
            node_.set_task(ex, index);
            notify_->waiter_ = &node_;
        }
        void disarm(executor&) noexcept {
            if (notify_->waiter_ == &node_) notify_->waiter_ = nullptr;
            node_.clear();
        }
        void take(executor&) noexcept {}
        // Once armed, only notify_one() completes the wait, and it sets this before waking.
        [[nodiscard]] const bool* completion_flag() const noexcept { return &node_.done; }

      private:
        notify* notify_;
        waiter node_;
    };
    [[nodiscard]] wait_op wait() noexcept { return wait_op(*this); }

  private:
    waiter* waiter_ = nullptr;
    bool permit_ = false;  // only while waiter_ is null
};

}  // namespace hypertick
