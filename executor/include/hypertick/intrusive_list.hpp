// A circular doubly linked list whose nodes live inside the objects they link.
//
// Waiters (timer entries, channel and event waiters) derive from list_node and sit inside awaiters,
// which sit inside coroutine frames that never move. Linking them intrusively means arming or
// cancelling a wait is O(1) pointer surgery with no allocation.
#pragma once

#include "hypertick/base/assert.hpp"

namespace hypertick {

struct list_node {
    list_node* prev = nullptr;
    list_node* next = nullptr;

    [[nodiscard]] bool linked() const noexcept { return next != nullptr; }

    // Removes this node from whatever list holds it. Safe on an unlinked node.
    void unlink() noexcept {
        if (!linked()) return;
        prev->next = next;
        next->prev = prev;
        prev = next = nullptr;
    }
};

// The list head is a sentinel node pointing at itself when empty.
class intrusive_list {
  public:
    intrusive_list() noexcept { head_.prev = head_.next = &head_; }
    intrusive_list(const intrusive_list&) = delete;
    intrusive_list& operator=(const intrusive_list&) = delete;
    ~intrusive_list() { HT_ASSERT(empty()); }

    [[nodiscard]] bool empty() const noexcept { return head_.next == &head_; }

    void push_back(list_node& node) noexcept {
        HT_ASSERT(!node.linked());
        node.prev = head_.prev;
        node.next = &head_;
        head_.prev->next = &node;
        head_.prev = &node;
    }

    // Returns the first node, unlinked, or nullptr when empty.
    list_node* pop_front() noexcept {
        if (empty()) return nullptr;
        list_node* node = head_.next;
        node->unlink();
        return node;
    }

    [[nodiscard]] list_node* front() const noexcept { return empty() ? nullptr : head_.next; }

    // Moves every node of `other` to the end of this list in O(1).
    void splice_back(intrusive_list& other) noexcept {
        if (other.empty()) return;
        list_node* first = other.head_.next;
        list_node* last = other.head_.prev;
        first->prev = head_.prev;
        last->next = &head_;
        head_.prev->next = first;
        head_.prev = last;
        other.head_.prev = other.head_.next = &other.head_;
    }

  private:
    list_node head_;
};

}  // namespace hypertick
