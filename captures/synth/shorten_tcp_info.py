#!/usr/bin/env python3
"""Make an older kernel's capture from a recorded ss capture: every INET_DIAG_INFO attribute
(struct tcp_info) is cut to LEN bytes, as a kernel whose struct ends there sends it, and the
message and attribute lengths are fixed up. Nothing else changes.

usage: captures/synth/shorten_tcp_info.py IN.pcap OUT.pcap [LEN]     (default LEN 104: the
       struct of Linux 3.x/4.0, ending after tcpi_total_retrans)

Layouts: pcap (24-byte header, 16-byte record headers, native byte order), the 16-byte cooked
header of LINKTYPE_NETLINK, struct nlmsghdr (16 bytes), struct inet_diag_msg (72 bytes), then
struct nlattr {u16 len; u16 type} attributes padded to 4 bytes; INET_DIAG_INFO is type 2.
"""
import struct
import sys

NLMSG_HDRLEN, INET_DIAG_MSG_LEN, INET_DIAG_INFO, SOCK_DIAG_BY_FAMILY = 16, 72, 2, 20


def align(n):
    return (n + 3) & ~3


def shorten_message(msg, length):
    kind, flags = struct.unpack_from("=HH", msg, 4)
    if kind != SOCK_DIAG_BY_FAMILY or flags & 1:  # replies only, not requests
        return msg
    head, attrs, at = msg[:NLMSG_HDRLEN + INET_DIAG_MSG_LEN], b"", NLMSG_HDRLEN + INET_DIAG_MSG_LEN
    while at + 4 <= len(msg):
        alen, atype = struct.unpack_from("=HH", msg, at)
        if alen < 4:
            break
        payload = msg[at + 4:at + alen]
        if atype & 0x3FFF == INET_DIAG_INFO:
            payload = payload[:length]
        attr = struct.pack("=HH", 4 + len(payload), atype) + payload
        attrs += attr + b"\0" * (align(len(attr)) - len(attr))
        at += align(alen)
    out = bytearray(head + attrs)
    struct.pack_into("=I", out, 0, len(out))
    return bytes(out)


def shorten_datagram(data, length):
    out, at = b"", 0
    while at + NLMSG_HDRLEN <= len(data):
        (mlen,) = struct.unpack_from("=I", data, at)
        if mlen < NLMSG_HDRLEN:
            break
        out += shorten_message(data[at:at + mlen], length)
        at += align(mlen)
    return out


def main(src, dst, length):
    raw = open(src, "rb").read()
    out, at = bytearray(raw[:24]), 24
    while at + 16 <= len(raw):
        sec, usec, incl, _orig = struct.unpack_from("=IIII", raw, at)
        packet = raw[at + 16:at + 16 + incl]
        packet = packet[:16] + shorten_datagram(packet[16:], length)
        out += struct.pack("=IIII", sec, usec, len(packet), len(packet)) + packet
        at += 16 + incl
    open(dst, "wb").write(out)


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) == 4 else 104)
