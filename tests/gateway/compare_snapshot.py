#!/usr/bin/env python3
"""Compares gateway outputs with independent expectations (used by the gateway tests).

  compare_snapshot.py books ACTUAL.json EXPECTED.json
      The books (every symbol, every level) and the feed figures of the schema must be equal.
  compare_snapshot.py bbo FINAL.json SNAPSHOT.json
      bbo_dump --final output: each symbol's last published top of book must be the
      snapshot's best level on each side (zeros for an empty side).
Prints the first difference and exits 1, or exits 0.
"""
import json
import sys

FEED_KEYS = ["session", "packets", "messages", "next_seq", "gaps", "missing_messages"]


def fail(message):
    print("MISMATCH: " + message)
    sys.exit(1)


def compare_books(actual, expected):
    for key in FEED_KEYS:
        if actual["feed"].get(key) != expected["feed"].get(key):
            fail(f"feed.{key}: {actual['feed'].get(key)!r} != expected {expected['feed'].get(key)!r}")
    a, e = actual["books"], expected["books"]
    if sorted(a) != sorted(e):
        fail(f"symbols differ: only in actual {sorted(set(a) - set(e))[:5]}, only in expected {sorted(set(e) - set(a))[:5]}")
    for symbol in sorted(e):
        for field in ["locate", "bids", "asks"]:
            if a[symbol][field] != e[symbol][field]:
                fail(f"{symbol}.{field}: {str(a[symbol][field])[:200]} != expected {str(e[symbol][field])[:200]}")
    print(f"ok: {len(e)} books, {actual['feed']['messages']} messages")


def compare_bbo(final, snapshot):
    books = snapshot["books"]
    for symbol, top in final.items():
        if symbol not in books:
            fail(f"{symbol} published but not in the snapshot")
        for side, levels in (("bid", books[symbol]["bids"]), ("ask", books[symbol]["asks"])):
            best = levels[0] if levels else [0, 0, 0]
            if top[side] != best:
                fail(f"{symbol} last published {side} {top[side]} != snapshot best {best}")
    print(f"ok: {len(final)} symbols")


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("books", "bbo"):
        print(__doc__)
        sys.exit(2)
    with open(sys.argv[2]) as f:
        first = json.load(f)
    with open(sys.argv[3]) as f:
        second = json.load(f)
    (compare_books if sys.argv[1] == "books" else compare_bbo)(first, second)


if __name__ == "__main__":
    main()
