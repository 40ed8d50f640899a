#!/usr/bin/env python3
"""Write the shared corpus as one file per policy: the AWS managed policies
(split out of their one JSON object) and the key policies (top level and
statement fragments). Usage: split_corpus.py SHARED_DIR OUT_DIR"""
import json
import pathlib
import shutil
import sys

shared, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
managed = json.loads((shared / "corpus/aws-managed-policies.json").read_text())
(out / "managed").mkdir(parents=True, exist_ok=True)
for name, document in managed.items():
    (out / "managed" / f"{name}.json").write_text(json.dumps(document, indent=2) + "\n")
key_dir = shared / "corpus/keypolicies"
(out / "keypolicies").mkdir(parents=True, exist_ok=True)
count = 0
for path in sorted(key_dir.glob("*.json")) + sorted((key_dir / "statements").glob("*.json")):
    if path.name == "INDEX.json":
        continue
    prefix = "statement-" if path.parent.name == "statements" else ""
    shutil.copy(path, out / "keypolicies" / f"{prefix}{path.name}")
    count += 1
print(f"{len(managed)} managed policies, {count} key policies -> {out}")
