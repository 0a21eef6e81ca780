#!/usr/bin/env python3
"""Turn the netlink traffic of a program traced with strace into a LINKTYPE_NETLINK pcap.

For kernels without the nlmon module, this records what iproute2 itself exchanged with the
kernel: the exact request bytes it sent and reply bytes it received, as strace dumped them.

usage: strace -f -ttt -e trace=socket,sendto,sendmsg,recvmsg,recvfrom -e read=all -e write=all \
           -s 0 -o TRACE PROGRAM...
       captures/strace2pcap.py TRACE OUT.pcap

Requests (sendto/sendmsg) become packets of type 6 (from user space), replies (recvmsg/recvfrom,
except MSG_PEEK looks) packets of type 7 (from the kernel), behind the 16-byte cooked header
that nlmon captures have. Only netlink sockets are kept; their protocol comes from the
socket() call.
"""
import re
import struct
import sys

PROTOCOLS = {"NETLINK_ROUTE": 0, "NETLINK_SOCK_DIAG": 4, "NETLINK_INET_DIAG": 4,
             "NETLINK_GENERIC": 16}
ARPHRD_NETLINK = 824

call = re.compile(r"^(\d+)\s+(\d+\.\d+)\s+(\w+)\((\d+),(.*)=\s*(-?\d+)")
sock = re.compile(r"^(\d+)\s+\d+\.\d+\s+socket\(AF_NETLINK, [^,]+, (\w+)\)\s*=\s*(\d+)")
# " | 00010  00 00 04 03 01 00 00 00  49 00 01 ...  ascii |": 16 bytes in a 49-column field
hexline = re.compile(r"^ \| [0-9a-f]{5}  (.{1,49})")
hexbyte = re.compile(r"\b[0-9a-f]{2}\b")


def main(trace, out):
    netlink_fds = {}          # (pid, fd) -> protocol
    packets = []              # (time, packet type, protocol, bytes)
    current = None            # the packet being filled from hex dump lines
    for line in open(trace):
        m = sock.match(line)
        if m:
            netlink_fds[(m[1], int(m[3]))] = PROTOCOLS.get(m[2], 0)
            current = None
            continue
        m = call.match(line)
        if m:
            pid, t, name, fd = m[1], float(m[2]), m[3], int(m[4])
            current = None
            if (pid, fd) not in netlink_fds or int(m[6]) <= 0 or "MSG_PEEK" in m[5]:
                continue
            if name in ("sendto", "sendmsg"):
                kind = 6
            elif name in ("recvmsg", "recvfrom"):
                kind = 7
            else:
                continue
            current = [t, kind, netlink_fds[(pid, fd)], bytearray()]
            packets.append(current)
            continue
        m = hexline.match(line)
        if m and current is not None:
            current[3] += bytes.fromhex("".join(hexbyte.findall(m[1])))
    with open(out, "wb") as f:
        # pcap header: native byte order, v2.4, microseconds, snaplen 256 KiB, LINKTYPE_NETLINK
        f.write(struct.pack("=IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 256 * 1024, 253))
        for t, kind, protocol, data in packets:
            cooked = struct.pack(">HHH8sH", kind, ARPHRD_NETLINK, 0, b"", protocol)
            sec, usec = int(t), int(round((t - int(t)) * 1e6))
            if usec == 1000000:
                sec, usec = sec + 1, 0
            f.write(struct.pack("=IIII", sec, usec, len(data) + 16, len(data) + 16))
            f.write(cooked + bytes(data))
    print(f"{out}: {len(packets)} datagrams")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
