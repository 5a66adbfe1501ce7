#!/usr/bin/env python3
"""Sends each COMMAND to a DPDK telemetry socket and prints, per command, the reply's size in
bytes and the reply exactly as DPDK sent it (one line each), so that tests see what
dpdk-telemetry.py would reformat. Exits 1 when a reply is not JSON.

usage: telemetry_query.py SOCKET COMMAND...
"""
import json
import socket
import sys


def main():
    path, commands = sys.argv[1], sys.argv[2:]
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    sock.connect(path)
    hello = json.loads(sock.recv(1 << 16).decode())
    print("max_output_len", hello["max_output_len"])
    status = 0
    for command in commands:
        sock.send(command.encode())
        reply = sock.recv(1 << 16)
        print("bytes", len(reply))
        print(reply.decode(errors="replace"))
        try:
            json.loads(reply)
        except ValueError as error:
            print("not JSON:", error)
            status = 1
    sock.close()
    return status


if __name__ == "__main__":
    sys.exit(main())
