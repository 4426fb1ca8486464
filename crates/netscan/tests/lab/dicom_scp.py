#!/usr/bin/env python3
"""DICOM Verification SCP (C-ECHO) with pynetdicom for praxcheck's namespace lab (test helper).
Usage: dicom_scp.py BIND_IP PORT AE_TITLE any|strict
`any` accepts an association for any called AE title (pynetdicom's default, the risky
setting); `strict` rejects one whose called AE title is not AE_TITLE."""
import sys

from pynetdicom import AE
from pynetdicom.sop_class import Verification

ip, port, aet, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
ae = AE(ae_title=aet)
ae.require_called_aet = mode == 'strict'
ae.add_supported_context(Verification)
ae.start_server((ip, port), block=True)
