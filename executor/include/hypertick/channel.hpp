// A bounded channel between tasks of one executor.
//
// Capacity is fixed at construction; the ring lives in the executor's channel storage. When the
// ring is full a sender waits; when it is empty a receiver waits. Values are handed over
// directly to a waiting party (a receiver waiting on an empty ring gets the value itself; a
// sender waiting on a full ring has its value moved in as soon as a slot frees), so a woken task
// always finds its operation already done and FIFO order holds for waiters too.
// close(): senders get send_status::closed; receivers drain what is left, then get nullopt.
#pragma once

#include <cstdint>
#include <new>
#include <optional>
#include <utility>

#include "hypertick/op.hpp"
#include "hypertick/waiter.hpp"

namespace hypertick {

enum class send_status : std::uint8_t { ok, closed };

struct channel_stats {
    std::uint64_t sent = 0;
    std::uint64_t received = 0;
    std::uint64_t sender_waits = 0;    // a send found the ring full and parked
    std::uint64_t receiver_waits = 0;  // a receive found the ring empty and parked
    std::uint32_t depth_peak = 0;
};

template <class T>
class channel {
    struct recv_waiter : waiter_node {
        std::optional<T> value;
    };
    struct send_waiter : waiter_node {
        std::optional<T>* value = nullptr;
        bool closed = false;
    };

  public:
    // Takes capacity * sizeof(T) bytes of the executor's channel storage. valid() is false when
    // the capacity is 0 or the storage is exhausted.
    channel(executor& ex, std::uint32_t capacity) noexcept {
        if (capacity == 0) return;
        void* memory = ex.allocate_channel_storage(sizeof(T) * capacity, alignof(T));
        if (memory == nullptr) return;
        ring_ = static_cast<T*>(memory);
        capacity_ = capacity;
    }
    channel(const channel&) = delete;
    channel& operator=(const channel&) = delete;
    ~channel() {
        HT_ASSERT(receivers_.empty() && senders_.empty());
        while (count_ != 0) (void)pop();
    }

    [[nodiscard]] bool valid() const noexcept { return ring_ != nullptr; }
    [[nodiscard]] std::uint32_t size() const noexcept { return count_; }
    [[nodiscard]] std::uint32_t capacity() const noexcept { return capacity_; }
    [[nodiscard]] bool closed() const noexcept { return closed_; }
    [[nodiscard]] const channel_stats& stats() const noexcept { return stats_; }

    // Non-waiting forms. try_send moves from `value` only when it returns true.
    bool try_send(T&& value) noexcept {
        HT_ASSERT(valid());
        if (closed_) return false;
        return deliver(value);
    }
    std::optional<T> try_recv() noexcept {
        HT_ASSERT(valid());
        if (count_ == 0) return std::nullopt;
        return receive_one();
    }

    void close() noexcept {
        closed_ = true;
        // Receivers only wait on an empty ring: they get the end of the stream.
        while (list_node* node = receivers_.front()) static_cast<recv_waiter*>(node)->complete();
        while (list_node* node = senders_.front()) {
            auto* sender = static_cast<send_waiter*>(node);
            sender->closed = true;
            sender->complete();
        }
    }

    class send_op {
      public:
        send_op(channel& ch, T&& value) noexcept : channel_(&ch), value_(std::move(value)) {}
        send_op(send_op&&) noexcept = default;

        bool try_complete(executor&) noexcept {
            if (node_.done) {
                status_ = node_.closed ? send_status::closed : send_status::ok;
                return true;
            }
            if (node_.linked()) return false;  // queued behind other senders: wait our turn
            if (channel_->closed_) {
                status_ = send_status::closed;
                return true;
            }
            return channel_->deliver(*value_);
        }
        void arm(executor&, waker w) noexcept {
            node_.set_waker(std::move(w));
            queue_behind_senders();
        }
        void arm_task(executor& ex, std::uint32_t index) noexcept {
            node_.set_task(ex, index);
            queue_behind_senders();
        }
        void disarm(executor&) noexcept {
            node_.unlink();
            node_.clear();
        }
        send_status take(executor&) noexcept {
            if (node_.done) status_ = node_.closed ? send_status::closed : send_status::ok;
            return status_;
        }
        // Once armed, the wait ends only by a hand-off or close(), each setting this first.
        [[nodiscard]] const bool* completion_flag() const noexcept { return &node_.done; }

      private:
        void queue_behind_senders() noexcept {
            node_.value = &value_;
            channel_->senders_.push_back(node_);
            ++channel_->stats_.sender_waits;
        }

        channel* channel_;
        std::optional<T> value_;
        send_waiter node_;
        send_status status_ = send_status::ok;
    };

    class recv_op {
      public:
        explicit recv_op(channel& ch) noexcept : channel_(&ch) {}
        recv_op(recv_op&&) noexcept = default;

        bool try_complete(executor&) noexcept {
            if (node_.done) return true;
            if (node_.linked()) return false;
            if (channel_->count_ != 0) {
                node_.value = channel_->receive_one();
                return true;
            }
            return channel_->closed_;  // closed and drained: the end
        }
        void arm(executor&, waker w) noexcept {
            node_.set_waker(std::move(w));
            queue_behind_receivers();
        }
        void arm_task(executor& ex, std::uint32_t index) noexcept {
            node_.set_task(ex, index);
            queue_behind_receivers();
        }
        void disarm(executor&) noexcept {
            node_.unlink();
            node_.clear();
        }
        // Rebuilt from its parts rather than copied whole: the value and the flag were just
        // stored separately, and one wide load across both would miss store forwarding.
        std::optional<T> take(executor&) noexcept {
            if (!node_.value.has_value()) return std::nullopt;
            return std::optional<T>(std::in_place, std::move(*node_.value));
        }
        // Once armed, the wait ends only by a hand-off or close(), each setting this first.
        [[nodiscard]] const bool* completion_flag() const noexcept { return &node_.done; }

      private:
        void queue_behind_receivers() noexcept {
            channel_->receivers_.push_back(node_);
            ++channel_->stats_.receiver_waits;
        }

        channel* channel_;
        recv_waiter node_;
    };

    [[nodiscard]] send_op send(T value) noexcept { return send_op(*this, std::move(value)); }
    [[nodiscard]] recv_op recv() noexcept { return recv_op(*this); }

  private:
    // Hands `value` to a waiting receiver or puts it in the ring; false when the ring is full.
    bool deliver(T& value) noexcept {
        if (list_node* node = receivers_.front()) {
            HT_ASSERT(count_ == 0);  // receivers only wait on an empty ring
            auto* receiver = static_cast<recv_waiter*>(node);
            receiver->value.emplace(std::move(value));
            ++stats_.sent;
            ++stats_.received;
            receiver->complete();
            return true;
        }
        if (count_ == capacity_) return false;
        push(std::move(value));
        ++stats_.sent;
        return true;
    }

    // Takes the oldest value, then refills the freed slot from the first waiting sender.
    T receive_one() noexcept {
        T value = pop();
        ++stats_.received;
        if (list_node* node = senders_.front()) {
            auto* sender = static_cast<send_waiter*>(node);
            push(std::move(**sender->value));
            ++stats_.sent;
            sender->complete();
        }
        return value;
    }

    void push(T&& value) noexcept {
        HT_ASSERT(count_ < capacity_);
        std::uint32_t tail = head_ + count_;
        if (tail >= capacity_) tail -= capacity_;
        new (&ring_[tail]) T(std::move(value));
        ++count_;
        if (count_ > stats_.depth_peak) stats_.depth_peak = count_;
    }
    T pop() noexcept {
        HT_ASSERT(count_ > 0);
        T value = std::move(ring_[head_]);
        ring_[head_].~T();
        if (++head_ == capacity_) head_ = 0;
        --count_;
        return value;
    }

    T* ring_ = nullptr;
    std::uint32_t capacity_ = 0;
    std::uint32_t head_ = 0;
    std::uint32_t count_ = 0;
    bool closed_ = false;
    intrusive_list receivers_;
    intrusive_list senders_;
    channel_stats stats_;
};

}  // namespace hypertick
