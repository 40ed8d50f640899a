#!/usr/bin/env python3
"""List the policy files parliament cannot analyze (it raises an exception,
which ends a `parliament --directory` run). Usage: parliament_crashes.py DIR"""
import pathlib
import sys

from parliament import analyze_policy_string

for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.json")):
    try:
        analyze_policy_string(path.read_text(), filepath=str(path))
    except Exception as error:  # noqa: BLE001 - any crash excludes the file
        print(f"{path}\t{type(error).__name__}: {error}")
