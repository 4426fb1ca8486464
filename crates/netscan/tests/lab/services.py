#!/usr/bin/env python3
"""Small fake services for the namespace lab of praxcheck's network tests (test helper, not
shipped). Usage: services.py KIND BIND_IP PORT

KIND:
  rdp-standard  X.224 Connection Confirm selecting standard RDP security (no NLA)
  rdp-nla       RDP_NEG_FAILURE HYBRID_REQUIRED_BY_SERVER (NLA required)
  vnc-none      RFB 3.8 offering only security type None (no password)
  vnc-auth      RFB 3.8 offering only VNC authentication (type 2)
  hl7           HL7 MLLP: answers a message with an ACK
  banner:TEXT   sends TEXT (Python escapes allowed) and closes after 0.5 s
  reply:TEXT    reads one message, answers TEXT (Python escapes allowed), closes after 0.5 s

Every connection is handled in a daemon thread with a 10 s socket timeout; the process ends
when the test harness kills its process group.
"""
import socket
import sys
import threading
import time

kind, ip, port = sys.argv[1], sys.argv[2], int(sys.argv[3])


def rdp_standard(c):
    if c.recv(1024)[:1] == b'\x03':
        # TPKT len 19, X.224 CC, RDP_NEG_RSP selectedProtocol PROTOCOL_RDP (0)
        c.sendall(bytes.fromhex('030000130ed000001234000200080000000000'))


def rdp_nla(c):
    if c.recv(1024)[:1] == b'\x03':
        # TPKT len 19, X.224 CC, RDP_NEG_FAILURE HYBRID_REQUIRED_BY_SERVER (5)
        c.sendall(bytes.fromhex('030000130ed000001234000300080005000000'))


def vnc(types):
    def handler(c):
        c.sendall(b'RFB 003.008\n')
        c.recv(12)
        c.sendall(bytes([len(types)] + types))
        c.recv(1)
    return handler


def hl7(c):
    d = c.recv(65536)
    if d.startswith(b'\x0b'):
        msh = d[1:].split(b'\r')[0].split(b'|')
        ctrl = msh[9] if len(msh) > 9 else b'0'
        ack = b'MSH|^~\\&|LAB-HL7|PRAXIS|||20250101000000||ACK|' + ctrl + b'|P|2.5\rMSA|AA|' + ctrl + b'\r'
        c.sendall(b'\x0b' + ack + b'\x1c\x0d')


def reply(c):
    if c.recv(65536):
        banner(c)


def banner(c):
    c.sendall(kind.split(':', 1)[1].encode().decode('unicode_escape').encode('latin1'))
    time.sleep(0.5)


handler = {
    'rdp-standard': rdp_standard,
    'rdp-nla': rdp_nla,
    'vnc-none': vnc([1]),
    'vnc-auth': vnc([2]),
    'hl7': hl7,
    'reply': reply,
}.get(kind.split(':')[0], banner)

s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((ip, port))
s.listen(16)


def run(c):
    try:
        c.settimeout(10)
        handler(c)
    except Exception:
        pass
    finally:
        c.close()


while True:
    conn, _ = s.accept()
    threading.Thread(target=run, args=(conn,), daemon=True).start()
