#!/usr/bin/env python3
"""Compare the KMS findings of keyward (`lint --format json`) and checkov
(`-o json`) on the same Terraform folder: per concept, the resources each
reports that the other does not.

    compare.py KEYWARD_JSON CHECKOV_JSON ROOT
"""
import collections
import json
import sys

kw = json.load(open(sys.argv[1]))
ck = json.load(open(sys.argv[2]))
root = sys.argv[3].rstrip("/")
if isinstance(ck, list):
    ck = next(r for r in ck if r.get("check_type") == "terraform")
failed = ck["results"]["failed_checks"]


def name(address):
    """`aws_kms_key.s3_1`, `data.aws_iam_policy_document.s3_1`,
    `aws_iam_policy_document.s3_1` -> `s3_1`; module instances stay whole."""
    if address.startswith("module."):
        return ".".join(address.split(".")[:2])
    return address.split(".")[-1].split("[")[0]


def place(path, address):
    path = path.replace(root, "").lstrip("/")
    folder = path.rsplit("/", 1)[0]
    return f"{folder}:{name(address)}"


keyward = collections.defaultdict(set)
for f in kw["findings"]:
    pointer = (f.get("pointer") or "/").split("/")[1]
    if not pointer or f["code"].startswith("terraform::"):
        continue
    folder = f["file"].replace(root, "").lstrip("/").rsplit("/", 1)[0]
    if pointer.startswith("module."):
        where = f"{[x for x in f['file'].split('/')][-2]}:{name(pointer)}"
        # A finding inside a module instance: name the calling module.
        where = f"caller:{name(pointer)}"
    else:
        where = f"{folder}:{name(pointer)}"
    keyward[f["code"]].add(where)
# Grants carry no pointer: use the file and line.
for f in kw["findings"]:
    if f["code"] == "KW109":
        folder = f["file"].replace(root, "").lstrip("/").rsplit("/", 1)[0]
        keyward["KW109"].add(f"{folder}:line {f['start']['line']}")

checkov = collections.defaultdict(set)
for f in failed:
    checkov[f["check_id"]].add(place(f["file_path"], f["resource"]))

print("keyward findings by rule:", {k: len(v) for k, v in sorted(keyward.items())})
print("checkov findings by check:", {k: len(v) for k, v in sorted(checkov.items())})

wildcard_kw = keyward["KW201"]
wildcard_ck = checkov["CKV_AWS_33"] | checkov["CKV_AWS_283"]
print()
print("wildcard principal (keyward KW201 vs checkov CKV_AWS_33 + CKV_AWS_283):")
print(f"  both: {len(wildcard_kw & wildcard_ck)}")
only_kw = sorted(wildcard_kw - wildcard_ck)
only_ck = sorted(wildcard_ck - wildcard_kw)
print(f"  only keyward ({len(only_kw)}): {', '.join(only_kw)}")
print(f"  only checkov ({len(only_ck)}): {', '.join(only_ck)}")
print()
rotation_kw = keyward["KW211"]
rotation_ck = checkov["CKV_AWS_7"]
print("key rotation disabled (keyward KW211 vs checkov CKV_AWS_7):")
print(f"  both: {len(rotation_kw & rotation_ck)}")
print(f"  only keyward ({len(rotation_kw - rotation_ck)}): {', '.join(sorted(rotation_kw - rotation_ck))}")
print(f"  only checkov ({len(rotation_ck - rotation_kw)}): {', '.join(sorted(rotation_ck - rotation_kw))}")
print()
print("KMS findings with no counterpart in the other tool:")
for code, what in [
    ("KW109", "grant operation that is not a grant operation (keyward)"),
    ("KW302", "misspelled KMS action (keyward)"),
    ("KW309", "statement that adds nothing (keyward)"),
]:
    found = keyward.get(code) or checkov.get(code) or set()
    print(f"  {code}: {len(found)} - {what}")
iam = ["CKV_AWS_109", "CKV_AWS_111", "CKV_AWS_356", "CKV_AWS_289", "CKV_AWS_290", "CKV_AWS_355"]
print("  " + ", ".join(f"{c}: {len(checkov[c])}" for c in iam)
      + " - checkov's generic IAM checks, here fired by kms: statements on \"*\"")
