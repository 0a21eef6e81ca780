#!/usr/bin/env python3
"""Write every RTM_NEWQDISC message of a LINKTYPE_NETLINK pcap as raw netlink messages, the
input of nlreplay.c.

usage: captures/synth/pcap2nl.py CAPTURE.pcap OUT.nl       (Python 3 standard library only)
"""
import struct
import sys

RTM_NEWQDISC = 36
PCAP_HEADER = 24
RECORD_HEADER = 16
COOKED_HEADER = 16

data = open(sys.argv[1], 'rb').read()
with open(sys.argv[2], 'wb') as out:
    off = PCAP_HEADER
    while off + RECORD_HEADER <= len(data):
        _, _, incl, _ = struct.unpack_from('<IIII', data, off)
        off += RECORD_HEADER
        packet = data[off:off + incl]
        off += incl
        messages = packet[COOKED_HEADER:]
        at = 0
        while at + 16 <= len(messages):
            length, kind, _, _, _ = struct.unpack_from('<IHHII', messages, at)
            if length < 16:
                break
            if kind == RTM_NEWQDISC:
                out.write(messages[at:at + ((length + 3) & ~3)])
            at += (length + 3) & ~3
