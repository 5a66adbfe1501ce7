#!/usr/bin/env python3
"""Book dumps for bench/anchors/run.sh.

  levels.py from-snapshot SNAPSHOT.json OUT.txt
      book_replay's snapshot as one line per level, "locate side price shares orders",
      books in locate order, bids best (highest) first, then asks best (lowest) first.
  levels.py compare OURS.txt THEIRS.txt
      prints "exact", "exact (prices and shares; no order counts)" or "INEXACT: ..." for a
      contender's dump in the same format (orders "-" where the contender keeps no counts).
      Exit status 0 when exact, 1 when not, 2 on bad usage or an unreadable file.
"""
import json
import sys


def from_snapshot(snapshot_path, out_path):
    with open(snapshot_path) as f:
        books = json.load(f)["books"]
    rows = []
    for book in books.values():
        locate = book["locate"]
        for side, key in (("B", "bids"), ("S", "asks")):
            for price, shares, orders in book[key]:
                rows.append((locate, side, price, shares, orders))
    rows.sort(key=lambda r: (r[0], r[1], -r[2] if r[1] == "B" else r[2]))
    with open(out_path, "w") as out:
        for r in rows:
            out.write("%d %s %d %d %d\n" % r)


def read_levels(path):
    levels = {}
    with open(path) as f:
        for number, line in enumerate(f, 1):
            fields = line.split()
            if len(fields) != 5 or fields[1] not in ("B", "S"):
                raise ValueError("%s:%d: expected 'locate side price shares orders', got %r" % (path, number, line))
            levels[(int(fields[0]), fields[1], int(fields[2]))] = (int(fields[3]), fields[4])
    return levels


def compare(ours_path, theirs_path):
    ours, theirs = read_levels(ours_path), read_levels(theirs_path)
    counts_known = all(orders != "-" for _, orders in theirs.values())
    missing = [k for k in ours if k not in theirs]
    extra = [k for k in theirs if k not in ours]
    wrong = [k for k in ours if k in theirs and (ours[k][0] != theirs[k][0] or
                                                 (counts_known and ours[k][1] != theirs[k][1]))]
    if not missing and not extra and not wrong:
        print("exact" if counts_known else "exact (prices and shares; no order counts)")
        return 0
    example = (missing or extra or wrong)[0]
    print("INEXACT: %d of our %d levels missing, %d extra (e.g. empty levels kept), %d differ; first: "
          "locate %d side %s price %d ours %s theirs %s" %
          (len(missing), len(ours), len(extra), len(wrong), example[0], example[1], example[2],
           ours.get(example), theirs.get(example)))
    return 1


def main(argv):
    try:
        if len(argv) == 4 and argv[1] == "from-snapshot":
            from_snapshot(argv[2], argv[3])
            return 0
        if len(argv) == 4 and argv[1] == "compare":
            return compare(argv[2], argv[3])
    except (OSError, ValueError, KeyError) as error:
        print("levels.py: %s" % error, file=sys.stderr)
        return 2
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
