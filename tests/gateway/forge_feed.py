#!/usr/bin/env python3
"""Builds hostile MoldUDP64 captures from an itch_gen capture, for the feed integrity tests.

  forge_feed.py inject IN OUT (--after N | --at-end) [--copy R] [--sequence-offset K]
                                [--sequence-of-next] [--claim C] [--session S]
                                [--source IP:PORT] [--sequence-zero] [--forge]
      IN with one extra datagram after its N-th record (1-based; --at-end: after the last):
      a copy of record R (default N) changed as asked: its sequence number moved by K, or
      with --sequence-of-next the number the next record of IN starts at (at the end: the
      session's end, one past its last message); its header's message count set to C
      whatever it carries (+N, -N: that many more or fewer than it carries; 65535 makes it
      an end of session, without a body); another session; another source; sequence 0;
      its add orders' prices forged to 999.99.
  forge_feed.py cut IN OUT --after N --types LETTERS --bytes B
      IN with one message damaged: in the first datagram after the N-th record that holds a
      message of one of the types LETTERS, the first such message is cut to B bytes (its
      length prefix says B; the datagram keeps its count and other messages).
  forge_feed.py rewrite IN OUT --session S
      IN with every datagram's session replaced.
  forge_feed.py answers IN OUT --first F --count C --destination IP:PORT --source IP:PORT
                                [--session S] [--sequence-zero] [--forge]
      One re-request answer carrying messages F..F+C-1 of IN, addressed like a retransmission
      server's unicast reply (--append adds it to OUT).
  forge_feed.py delay IN OUT --after N --seconds S
      IN with every record after the N-th S seconds later: a silent (stale) period.
  forge_feed.py tail IN OUT --after N
      IN without its first N records: a receiver joining the session late.
  forge_feed.py count IN --types LETTERS
      Prints how many messages of IN have one of the message types LETTERS (e.g. AFECXDUR,
      what the books apply): an independent count to check the gateway's counters against.

Frames are Ethernet (optionally one 802.1Q tag) / IPv4 / UDP; the IPv4 checksum is recomputed
and the UDP checksum is 0, as itch_gen writes them.
"""
import argparse
import struct
import sys


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    header, body = data[:24], data[24:]
    records = []
    at = 0
    while at + 16 <= len(body):
        ts_sec, ts_frac, incl, orig = struct.unpack_from("<IIII", body, at)
        records.append([ts_sec, ts_frac, bytearray(body[at + 16:at + 16 + incl])])
        at += 16 + incl
    return header, records


def write_pcap(path, header, records):
    with open(path, "wb") as f:
        f.write(header)
        for ts_sec, ts_frac, frame in records:
            f.write(struct.pack("<IIII", ts_sec, ts_frac, len(frame), len(frame)))
            f.write(frame)


def offsets(frame):
    """(ip offset, udp offset, payload offset) of an Ethernet/IPv4/UDP frame."""
    ip = 14
    if frame[12:14] == b"\x81\x00":
        ip = 18
    ihl = (frame[ip] & 0x0F) * 4
    return ip, ip + ihl, ip + ihl + 8


def ipv4_checksum(header):
    total = 0
    for i in range(0, len(header), 2):
        total += (header[i] << 8) | header[i + 1]
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def fix_lengths(frame):
    ip, udp, payload = offsets(frame)
    struct.pack_into(">H", frame, ip + 2, len(frame) - ip)
    struct.pack_into(">H", frame, udp + 4, len(frame) - udp)
    struct.pack_into(">H", frame, udp + 6, 0)
    struct.pack_into(">H", frame, ip + 10, 0)
    struct.pack_into(">H", frame, ip + 10, ipv4_checksum(frame[ip:udp]))


def address(text):
    host, port = text.split(":")
    return bytes(int(x) for x in host.split(".")), int(port)


def set_source(frame, source):
    ip, udp, _ = offsets(frame)
    host, port = source
    frame[ip + 12:ip + 16] = host
    struct.pack_into(">H", frame, udp, port)


def set_destination(frame, destination):
    ip, udp, _ = offsets(frame)
    host, port = destination
    frame[ip + 16:ip + 20] = host
    struct.pack_into(">H", frame, udp + 2, port)


def messages_of(frame):
    """(first sequence, [message bytes]) of a MoldUDP64 datagram."""
    _, _, p = offsets(frame)
    sequence, count = struct.unpack_from(">QH", frame, p + 10)
    out, at = [], p + 20
    for _ in range(0 if count == 0xFFFF else count):
        (length,) = struct.unpack_from(">H", frame, at)
        out.append(bytearray(frame[at + 2:at + 2 + length]))
        at += 2 + length
    return sequence, out


def forge(message):
    """Add orders (A, F) get the price 999.99: a fake bid or offer the books must never show."""
    if message[:1] in (b"A", b"F"):
        struct.pack_into(">I", message, 32, 9999900)
    return message


def set_payload(frame, session, sequence, messages, count=None):
    _, _, p = offsets(frame)
    body = bytearray(session) + struct.pack(">QH", sequence, len(messages) if count is None else count)
    for m in messages:
        body += struct.pack(">H", len(m)) + m
    del frame[p:]
    frame += body
    fix_lengths(frame)


def session_bytes(text):
    return text.encode().ljust(10, b" ")[:10]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["inject", "cut", "rewrite", "answers", "tail", "delay", "count"])
    parser.add_argument("--seconds", type=int, default=0)
    parser.add_argument("--bytes", type=int)
    parser.add_argument("input")
    parser.add_argument("output", nargs="?")
    parser.add_argument("--after", type=int, default=1)
    parser.add_argument("--sequence-offset", type=int, default=0)
    parser.add_argument("--session")
    parser.add_argument("--source")
    parser.add_argument("--destination")
    parser.add_argument("--sequence-zero", action="store_true")
    parser.add_argument("--forge", action="store_true")
    parser.add_argument("--first", type=int)
    parser.add_argument("--count", type=int)
    parser.add_argument("--types", default="")
    parser.add_argument("--append", action="store_true", help="answers: add to OUT instead of replacing it")
    parser.add_argument("--at-end", action="store_true")
    parser.add_argument("--copy", type=int)
    parser.add_argument("--sequence-of-next", action="store_true")
    parser.add_argument("--claim", help="inject: the header's message count (+N, -N: relative)")
    a = parser.parse_args()
    header, records = read_pcap(a.input)
    if a.mode == "count":
        types = a.types.encode()
        print(sum(1 for _, _, frame in records for m in messages_of(frame)[1] if m[:1] and m[0] in types))
        return 0
    if a.output is None:
        parser.error("OUT is required in mode " + a.mode)
    if a.mode == "delay":
        for r in records[a.after:]:
            r[0] += a.seconds
        write_pcap(a.output, header, records)
        return 0
    if a.mode == "tail":
        write_pcap(a.output, header, records[a.after:])
        return 0
    if a.mode == "cut":
        types = a.types.encode()
        for r in records[a.after:]:
            sequence, messages = messages_of(r[2])
            hit = next((i for i, m in enumerate(messages) if m[:1] and m[0] in types), None)
            if hit is None:
                continue
            messages[hit] = messages[hit][:a.bytes]
            _, _, p = offsets(r[2])
            set_payload(r[2], bytes(r[2][p:p + 10]), sequence, messages)
            write_pcap(a.output, header, records)
            return 0
        parser.error("no message of types %s after record %d" % (a.types, a.after))
    if a.mode == "rewrite":
        for r in records:
            _, _, p = offsets(r[2])
            r[2][p:p + 10] = session_bytes(a.session)
        write_pcap(a.output, header, records)
        return 0
    if a.mode == "inject":
        after = len(records) if a.at_end else a.after
        if not 1 <= after <= len(records):
            parser.error("--after %d: IN has %d records" % (after, len(records)))
        ts_sec, ts_frac, _ = records[after - 1]
        frame = bytearray(records[(a.copy or after) - 1][2])
        _, _, p = offsets(frame)
        sequence, messages = messages_of(frame)
        session = session_bytes(a.session) if a.session else bytes(frame[p:p + 10])
        if a.forge:
            messages = [forge(m) for m in messages]
        if a.sequence_of_next:
            if after < len(records):
                sequence = messages_of(records[after][2])[0]
            else:
                sequence = max(first + len(ms) for first, ms in (messages_of(r[2]) for r in records))
        sequence = 0 if a.sequence_zero else sequence + a.sequence_offset
        claim = None
        if a.claim is not None:
            claim = len(messages) + int(a.claim) if a.claim[0] in "+-" else int(a.claim)
            if not 0 <= claim <= 0xFFFF:
                parser.error("--claim %s: the count would be %d" % (a.claim, claim))
        if claim == 0xFFFF:
            messages = []
        set_payload(frame, session, sequence, messages, claim)
        if a.source:
            set_source(frame, address(a.source))
            fix_lengths(frame)
        records.insert(after, [ts_sec, ts_frac, frame])
        write_pcap(a.output, header, records)
        return 0
    # answers: the messages F..F+C-1, in one datagram
    wanted = {}
    session = None
    for _, _, frame in records:
        sequence, messages = messages_of(frame)
        _, _, p = offsets(frame)
        session = session or bytes(frame[p:p + 10])
        for i, m in enumerate(messages):
            if a.first <= sequence + i < a.first + a.count:
                wanted[sequence + i] = m
    messages = [forge(wanted[n]) if a.forge else wanted[n] for n in sorted(wanted)]
    frame = bytearray(records[0][2])
    set_source(frame, address(a.source))
    set_destination(frame, address(a.destination))
    set_payload(frame, session_bytes(a.session) if a.session else session, 0 if a.sequence_zero else a.first, messages)
    kept = read_pcap(a.output)[1] if a.append else []
    write_pcap(a.output, header, kept + [[records[0][0], records[0][1], frame]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
