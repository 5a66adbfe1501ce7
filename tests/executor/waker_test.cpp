// The waker: vtable behaviour, reference counts, double and stale wakes, queue bounds.
#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "test_support.hpp"

namespace ht = hypertick;
using ht::test::small_config;

namespace {

// A hand-operated op: the test decides when it is ready and holds the task's waker.
struct gate {
    bool open = false;
    ht::waker parked;
    int arms = 0;
};
struct gate_op {
    gate* g;
    bool try_complete(ht::executor&) noexcept { return g->open; }
    void arm(ht::executor&, ht::waker w) noexcept {
        g->parked = std::move(w);
        ++g->arms;
    }
    void disarm(ht::executor&) noexcept { g->parked.reset(); }
    void take(ht::executor&) noexcept {}
};

ht::task<void> wait_on_gate(gate& g, int& resumed) {
    co_await gate_op{&g};
    ++resumed;
}

ht::task<void> wait_event(ht::event& ev, int& resumed) {
    co_await ev.wait();
    ++resumed;
}

}  // namespace

TEST(Waker, PacksIndexGenerationAndExecutor) {
    const ht::task_ref ref{0xABCDEF, 0x12345678, 0x9A};
    EXPECT_EQ(ht::unpack_task_ref(ht::pack_task_ref(ref)), ref);
}

TEST(Waker, DoubleWakeQueuesOnceAndEarlyWakeDoesNotResume) {
    ht::virtual_clock clock;
    ht::executor ex(small_config(), clock);
    gate g;
    int resumed = 0;
    ASSERT_EQ(ex.spawn_detached(wait_on_gate, std::ref(g), std::ref(resumed)),
              ht::spawn_error::none);
    ex.run_until_idle();
    ASSERT_TRUE(g.parked);
    const auto wakes_before = ex.stats().wakes;
    g.parked.wake_by_ref();
    g.parked.wake_by_ref();  // already queued: must not be queued twice
    EXPECT_EQ(ex.run_queue_depth(), 1u);
    EXPECT_EQ(ex.stats().wakes, wakes_before + 1);
    EXPECT_EQ(ex.stats().wakes_redundant, 1u);
    ex.run_until_idle();
    // The gate is still shut: the poll found the op not ready and left the task parked.
    EXPECT_EQ(resumed, 0);
    EXPECT_EQ(ex.stats().spurious_polls, 1u);
    g.open = true;
    std::move(g.parked).wake();
    ex.run_until_idle();
    EXPECT_EQ(resumed, 1);
    EXPECT_EQ(ex.tasks_alive(), 0u);
}

TEST(Waker, StaleWakerAfterSlotReuseIsInert) {
    ht::virtual_clock clock;
    ht::executor ex(small_config(1), clock);  // one slot: reuse is certain
    gate first;
    int first_resumed = 0;
    auto a = ex.spawn(wait_on_gate, std::ref(first), std::ref(first_resumed));
    ASSERT_TRUE(a.ok());
    ex.run_until_idle();
    ht::waker stale = first.parked;  // a clone that outlives the task
    const ht::task_ref old_ref = a.handle().ref();
    ASSERT_TRUE(a.handle().cancel());
    a.handle().detach();
    EXPECT_EQ(ex.tasks_alive(), 0u);

    gate second;
    int second_resumed = 0;
    auto b = ex.spawn(wait_on_gate, std::ref(second), std::ref(second_resumed));
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(b.handle().ref().index, old_ref.index);
    EXPECT_NE(b.handle().ref().generation, old_ref.generation);
    ex.run_until_idle();
    const auto polls = ex.stats().polls;
    stale.wake_by_ref();
    std::move(stale).wake();
    EXPECT_EQ(ex.stats().wakes_stale, 2u);
    EXPECT_EQ(ex.run_queue_depth(), 0u);
    ex.run_until_idle();
    EXPECT_EQ(ex.stats().polls, polls);
    EXPECT_EQ(first_resumed, 0);
    EXPECT_EQ(second_resumed, 0);
    second.open = true;
    second.parked.wake_by_ref();
    ex.run_until_idle();
    EXPECT_EQ(second_resumed, 1);
}

TEST(Waker, CloneAndDropKeepAPlainReferenceCount) {
    ht::virtual_clock clock;
    ht::executor ex(small_config(), clock);
    gate g;
    int resumed = 0;
    auto r = ex.spawn(wait_on_gate, std::ref(g), std::ref(resumed));
    ex.run_until_idle();
    const auto index = r.handle().ref().index;
    EXPECT_EQ(ex.slot(index).waker_refs, 1u);  // the one the gate holds
    {
        ht::waker a = g.parked;
        ht::waker b = a;
        EXPECT_TRUE(a.will_wake(g.parked));
        EXPECT_EQ(ex.slot(index).waker_refs, 3u);
    }
    EXPECT_EQ(ex.slot(index).waker_refs, 1u);
    g.open = true;
    std::move(g.parked).wake();  // wake() consumes the reference
    EXPECT_FALSE(g.parked);
    ex.run_until_idle();
    EXPECT_EQ(resumed, 1);
}

TEST(Waker, EveryTaskWakingAtOnceNeverOverflowsTheQueue) {
    constexpr std::uint32_t tasks = 1024;
    ht::virtual_clock clock;
    auto config = small_config(tasks);
    config.run_queue_capacity = tasks;  // the tightest legal ring
    ht::executor ex(config, clock);
    ht::event ev;
    int resumed = 0;
    std::vector<ht::join_handle<void>> handles;
    for (std::uint32_t i = 0; i < tasks; ++i) {
        auto r = ex.spawn(wait_event, std::ref(ev), std::ref(resumed));
        ASSERT_TRUE(r.ok());
        handles.push_back(r.take_handle());
    }
    EXPECT_EQ(ex.run_queue_depth(), tasks);  // all queued at spawn: the ring is exactly full
    ex.run_until_idle();
    ev.set();  // every task woken in one call
    EXPECT_EQ(ex.run_queue_depth(), tasks);
    for (auto& h : handles) {  // and woken again while queued: still one entry each
        ex.wake(h.ref());
    }
    EXPECT_EQ(ex.run_queue_depth(), tasks);
    EXPECT_EQ(ex.stats().run_queue_peak, tasks);
    ex.run_until_idle();
    EXPECT_EQ(resumed, static_cast<int>(tasks));
}

namespace {
ht::task<void> wait_notify(ht::notify& n, int& resumed) {
    co_await n.wait();
    ++resumed;
}
}  // namespace

// Ops that expose a completion flag (notify, event, channel) are checked through the flag, not a
// callback: an early wake must still leave the task parked.
TEST(Waker, EarlyWakeOfAFlagParkedTaskDoesNotResume) {
    ht::virtual_clock clock;
    ht::executor ex(small_config(), clock);
    ht::notify n;
    int resumed = 0;
    auto r = ex.spawn(wait_notify, std::ref(n), std::ref(resumed));
    ex.run_until_idle();
    ASSERT_TRUE(n.has_waiter());
    ex.wake(r.handle().ref());  // nobody notified: a spurious wake
    ex.run_until_idle();
    EXPECT_EQ(resumed, 0);
    EXPECT_EQ(ex.stats().spurious_polls, 1u);
    EXPECT_TRUE(n.has_waiter());
    n.notify_one();
    ex.run_until_idle();
    EXPECT_EQ(resumed, 1);
}

namespace {
ht::task<void> wait_notify_or_timeout(ht::notify& n, int& resumed) {
    co_await ht::with_timeout(std::chrono::seconds(1), n.wait());
    ++resumed;
}
ht::task<void> wait_event_or_timeout(ht::event& ev, std::vector<int>& order, int id) {
    co_await ht::with_timeout(std::chrono::seconds(1), ev.wait());
    order.push_back(id);
}
ht::task<void> wait_event_noting(ht::event& ev, std::vector<int>& order, int id) {
    co_await ev.wait();
    order.push_back(id);
}
}  // namespace

// A task awaiting notify, event or channel directly is parked by its executor and slot, with no
// waker built; the same op inside another op (with_timeout) is armed with a waker.
TEST(Waker, ATaskAwaitingAPrimitiveDirectlyHoldsNoWaker) {
    ht::virtual_clock clock;
    ht::executor ex(small_config(), clock);
    ht::notify direct, wrapped;
    int resumed = 0;
    auto a = ex.spawn(wait_notify, std::ref(direct), std::ref(resumed));
    auto b = ex.spawn(wait_notify_or_timeout, std::ref(wrapped), std::ref(resumed));
    ex.run_until_idle();
    ASSERT_TRUE(direct.has_waiter() && wrapped.has_waiter());
    EXPECT_EQ(ex.slot(a.handle().ref().index).waker_refs, 0u);
    EXPECT_EQ(ex.slot(b.handle().ref().index).waker_refs, 2u);  // the notify's and the timer's
    const auto wakes_before = ex.stats().wakes;
    direct.notify_one();
    EXPECT_EQ(ex.stats().wakes, wakes_before + 1);
    EXPECT_EQ(ex.run_queue_depth(), 1u);
    wrapped.notify_one();
    ex.run_until_idle();
    EXPECT_EQ(resumed, 2);
    EXPECT_EQ(ex.stats().wakes_stale, 0u);
}

// Cancelling a task parked on a notify unhooks it: a notify that comes after the slot was
// reused leaves a permit and wakes nobody, least of all the slot's next task.
TEST(Waker, ANotifyAfterItsWaiterWasCancelledWakesNoLaterTaskOfTheSlot) {
    ht::virtual_clock clock;
    ht::executor ex(small_config(1), clock);
    ht::notify first, second;
    int first_resumed = 0, second_resumed = 0;
    auto a = ex.spawn(wait_notify, std::ref(first), std::ref(first_resumed));
    ex.run_until_idle();
    const auto index = a.handle().ref().index;
    ASSERT_TRUE(a.handle().cancel());
    a.handle().detach();
    EXPECT_FALSE(first.has_waiter());
    auto b = ex.spawn(wait_notify, std::ref(second), std::ref(second_resumed));
    ASSERT_TRUE(b.ok());
    ASSERT_EQ(b.handle().ref().index, index);  // the same slot, a new task
    ex.run_until_idle();
    const auto wakes_before = ex.stats().wakes;
    first.notify_one();
    EXPECT_EQ(ex.stats().wakes, wakes_before);
    EXPECT_EQ(ex.run_queue_depth(), 0u);
    ex.run_until_idle();
    EXPECT_EQ(second_resumed, 0);
    EXPECT_EQ(first_resumed, 0);
    second.notify_one();
    ex.run_until_idle();
    EXPECT_EQ(second_resumed, 1);
}

// Waiters parked by slot and waiters parked by waker share an event's list and wake in order.
TEST(Waker, AnEventWakesTasksParkedBySlotAndByWakerInOrder) {
    ht::virtual_clock clock;
    ht::executor ex(small_config(), clock);
    ht::event ev;
    std::vector<int> order;
    for (int i = 0; i < 4; ++i) {
        const auto error =
            i % 2 == 0 ? ex.spawn_detached(wait_event_noting, std::ref(ev), std::ref(order), i)
                       : ex.spawn_detached(wait_event_or_timeout, std::ref(ev), std::ref(order), i);
        ASSERT_EQ(error, ht::spawn_error::none);
    }
    ex.run_until_idle();
    EXPECT_TRUE(order.empty());
    ev.set();
    ex.run_until_idle();
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
    EXPECT_EQ(ex.tasks_alive(), 0u);
}
