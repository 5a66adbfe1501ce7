// The memory plan from a configuration alone: every pool, and per lcore what its worker makes.
// (tests/gateway/gateway_memory_plan_test.cpp compares it with what DPDK actually allocates.)
#include <gtest/gtest.h>

#include "config/config_loader.hpp"
#include "contract/latency_probe.hpp"
#include "contract/worker_shared.hpp"
#include "hypertick/book/book_capacities.hpp"
#include "memory/memory_plan.hpp"
#include "worker/worker.hpp"

namespace gw = hypertick::gw;

namespace {

// Two feeds on worker lcores 1 and 2 over virtual devices, publishing from each.
constexpr const char* publishing_config = R"(eal:
  lcores: "0@0,1@1,2@2"
  memory_mb: 768
ports:
  - {name: in0, device: "net_null_in0", rx_queues: 2, mempool_mbufs: 32767}
  - {name: out0, device: "net_null_out0", tx_queues: 2, mempool_mbufs: 1023, mempool_cache: 64}
feeds:
  - {name: a, port: in0, rx_queue: 0, lcore: 1}
  - {name: b, port: in0, rx_queue: 1, lcore: 2}
publisher:
  port: out0
)";

// One A/B feed with re-requests and no publisher: its re-requests need a TX pool all the same.
constexpr const char* recovery_only_config = R"(eal:
  lcores: "0@0,1@1"
  memory_mb: 512
ports:
  - {name: lineA, device: "net_null_a"}
  - {name: lineB, device: "net_null_b"}
  - {name: rr0, device: "net_null_rr", mempool_mbufs: 2047, mempool_cache: 64}
feeds:
  - name: itch
    lcore: 1
    lines:
      - {port: lineA}
      - {port: lineB}
    recovery: {port: rr0, server_ip: 198.18.0.1, server_port: 26500, source_ip: 198.18.0.2, source_port: 26501}
latency: {enabled: false}
publisher: {enabled: false}
)";

gw::gateway_config config(const std::string& yaml) {
    gw::config_result r = gw::parse_config(yaml, "test.yaml", {});
    EXPECT_TRUE(r.ok) << r.error.to_string();
    return r.config;
}

}  // namespace

TEST(MemoryPlan, CountsEveryAllocationOfEveryLcore) {
    const gw::gateway_config c = config(publishing_config);
    const gw::memory_plan m = gw::plan_memory(c);
    ASSERT_EQ(m.rx_pools.size(), 2u);
    EXPECT_EQ(m.rx_pools[0].name, "ht_rx_in0");
    EXPECT_EQ(m.rx_pools[0].bytes(), 32767u * 2368u + m.rx_pools[0].header_bytes());
    EXPECT_EQ(m.rx_pools[1].bytes(), 1023u * 2368u + m.rx_pools[1].header_bytes());
    ASSERT_EQ(m.lcores.size(), 2u);
    hypertick::book::book_capacities books;
    books.symbols = c.books.max_symbols;
    books.orders = c.books.max_orders;
    books.levels_per_side = c.books.max_levels_per_side;
    std::uint64_t lcores = 0;
    for (const gw::lcore_memory_plan& l : m.lcores) {
        ASSERT_EQ(l.feeds.size(), 1u);
        EXPECT_EQ(l.book_bytes(), hypertick::book::reserved_bytes(books));
        EXPECT_EQ(l.hold_bytes(), 0u);  // one line, no recovery: no hold window
        EXPECT_EQ(l.tx_pool.mbufs, gw::tx_pool_mbufs);
        EXPECT_EQ(l.tx_pool.bytes(), gw::tx_pool_mbufs * 1856u + l.tx_pool.header_bytes());
        EXPECT_GT(l.executor_bytes, 0u);
        EXPECT_EQ(l.executor_bytes, hypertick::executor::required_bytes(l.executor));
        EXPECT_EQ(l.latency_bytes, gw::latency_probe::required_bytes(
                                       {1, c.latency.highest_ns, c.latency.significant_digits}) +
                                       sizeof(gw::latency_probe));
        EXPECT_EQ(l.event_ring_entries, c.worker.event_ring_size);
        EXPECT_GE(l.event_ring_bytes, c.worker.event_ring_size * 64u);
        EXPECT_EQ(l.shared_bytes, sizeof(gw::worker_shared));
        EXPECT_EQ(l.worker_bytes, sizeof(gw::worker) + sizeof(gw::feed_pipeline));
        lcores += l.bytes();
    }
    EXPECT_EQ(m.lcores[0].lcore, 1u);
    EXPECT_EQ(m.lcores[1].lcore, 2u);
    EXPECT_EQ(m.socket_bytes(), m.rx_pool_bytes() + lcores + gw::eal_allowance_bytes);
    EXPECT_LT(m.socket_bytes(), std::uint64_t{768} << 20);
}

TEST(MemoryPlan, RecoveryWithoutPublisherStillPlansTheTxPool) {
    const gw::gateway_config c = config(recovery_only_config);
    const gw::memory_plan m = gw::plan_memory(c);
    ASSERT_EQ(m.lcores.size(), 1u);
    const gw::lcore_memory_plan& l = m.lcores[0];
    EXPECT_EQ(l.tx_pool.name, "ht_tx_1");
    EXPECT_EQ(l.tx_pool.mbufs, gw::tx_pool_mbufs);
    EXPECT_GT(l.tx_pool.bytes(), 0u);
    EXPECT_EQ(l.latency_bytes, 0u);
    ASSERT_EQ(l.feeds.size(), 1u);
    EXPECT_EQ(l.feeds[0].hold_messages, c.feeds[0].recovery.hold_capacity);
    EXPECT_EQ(l.feeds[0].verify_messages, c.feeds[0].verify_window);
    EXPECT_EQ(l.hold_bytes(), std::uint64_t{c.feeds[0].recovery.hold_capacity} * 64u +
                                  std::uint64_t{c.feeds[0].verify_window} * 16u);
}

TEST(MemoryPlan, NoPublisherNoRecoveryNoTxPool) {
    std::string yaml = publishing_config;
    yaml.replace(yaml.find("publisher:\n  port: out0\n"), 24, "publisher: {enabled: false}\n");
    const gw::memory_plan m = gw::plan_memory(config(yaml));
    for (const gw::lcore_memory_plan& l : m.lcores) EXPECT_EQ(l.tx_pool.mbufs, 0u);
}

// A pool with a per-lcore cache carries one cache for every lcore DPDK can run, about 1 MiB
// whatever its size; its ring of free mbufs is a power of two above the count, 8 bytes each.
// (gateway_memory_plan_test checks these against the memzones DPDK reserves.)
TEST(MemoryPlan, MempoolHeadersCountTheLcoreCachesAndTheRing) {
    const std::uint64_t cached = gw::mempool_header_bytes(1023, 64);
    const std::uint64_t uncached = gw::mempool_header_bytes(1023, 0);
    EXPECT_GT(cached - uncached, std::uint64_t{1} << 20);
    EXPECT_GE(uncached, 1024u * 8u);
    EXPECT_EQ(gw::mempool_header_bytes(1024, 0) - uncached, 1024u * 8u);  // the ring doubles
    const gw::pool_plan none{"none", 0, 64, 2048};
    EXPECT_EQ(none.bytes(), 0u);
}

TEST(MemoryPlan, PartsAddUpLargestFirst) {
    const gw::memory_plan m = gw::plan_memory(config(publishing_config));
    const std::vector<gw::memory_part> parts = gw::memory_parts(m);
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        total += parts[i].bytes;
        if (i > 0) {
            EXPECT_GE(parts[i - 1].bytes, parts[i].bytes) << parts[i].what;
        }
    }
    EXPECT_EQ(total, m.socket_bytes());
    EXPECT_EQ(std::string(parts[0].what), "books, hold windows and copy rings");
}

TEST(MemoryPlan, BudgetBelowThePlanNamesThePlanTheKeyAndTheValue) {
    const gw::memory_plan m = gw::plan_memory(config(publishing_config));
    const std::uint64_t needed = gw::memory_mb_needed(m);
    EXPECT_GE(needed << 20, m.socket_bytes());
    EXPECT_LT((needed - 1) << 20, m.socket_bytes());
    EXPECT_EQ(gw::memory_budget_problem(m, static_cast<std::uint32_t>(needed)), "");
    const std::string refused =
        gw::memory_budget_problem(m, static_cast<std::uint32_t>(needed - 1));
    EXPECT_EQ(refused.rfind("eal.memory_mb: the memory plan needs ", 0), 0u) << refused;
    EXPECT_NE(refused.find("(books, hold windows and copy rings "), std::string::npos) << refused;
    EXPECT_NE(refused.find("but eal.memory_mb is " + std::to_string(needed - 1) + " MiB"),
              std::string::npos)
        << refused;
    EXPECT_NE(refused.find("raise eal.memory_mb to at least " + std::to_string(needed)),
              std::string::npos)
        << refused;
}

// --pace makes a net_ring port with an RX and a TX ring per queue: the plan holds them.
TEST(MemoryPlan, PacedReplayRingsArePlanned) {
    gw::gateway_config c = config(publishing_config);
    const std::uint64_t without = gw::plan_memory(c).socket_bytes();
    c.ports[0].created_by_gateway = true;  // 2 RX queues
    const gw::memory_plan m = gw::plan_memory(c);
    EXPECT_GE(m.paced_ring_bytes,
              2u * 8u * (gw::paced_rx_ring_entries + gw::paced_tx_ring_entries));
    EXPECT_EQ(m.socket_bytes(), without + m.paced_ring_bytes);
}
