"""Rectification ledgers (整改台账) in and out of Excel, as pure code (no Django).

``read.read_ledger(bytes)`` parses the workbooks offices keep; ``write.write_ledger(ledger)``
writes ours. The facts in between are the dataclasses of :mod:`xuncha.ledgers.model`.
"""
