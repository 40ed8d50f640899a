#!/usr/bin/env python3
"""Write a Terraform module set of about 5,000 lines for the checkov
comparison: KMS keys and IAM policies in every form keyward reads (jsonencode,
heredocs, aws_iam_policy_document with dynamic blocks, locals, variable
defaults, a shared local module, grants). Deterministic: the same seed gives
the same files.

    gen.py OUT_DIR [LINES]
"""
import os
import random
import sys

out = sys.argv[1]
target = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
rng = random.Random(16)

SHARED = '''variable "readers" {
  type    = list(string)
  default = []
}

variable "account_id" {
  type    = string
  default = "111122223333"
}

data "aws_iam_policy_document" "key" {
  statement {
    sid       = "Root"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.account_id}:root"]
    }
  }

  dynamic "statement" {
    for_each = length(var.readers) > 0 ? [1] : []
    content {
      sid       = "Readers"
      actions   = ["kms:Decrypt", "kms:DescribeKey"]
      resources = ["*"]
      principals {
        type        = "AWS"
        identifiers = var.readers
      }
    }
  }
}

resource "aws_kms_key" "this" {
  description         = "shared module key"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.key.json
}
'''

def principal(bad):
    return '"*"' if bad else '{ AWS = "arn:aws:iam::${var.account_id}:root" }'

def jsonencode_key(name, bad, rotation):
    return f'''resource "aws_kms_key" "{name}" {{
  description         = "{name}"
  enable_key_rotation = {str(rotation).lower()}
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Sid       = "Root"
        Effect    = "Allow"
        Principal = {{ AWS = "arn:aws:iam::${{var.account_id}}:root" }}
        Action    = "kms:*"
        Resource  = "*"
      }},
      {{
        Sid       = "Use"
        Effect    = "Allow"
        Principal = {principal(bad)}
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"]
        Resource  = "*"
      }},
    ]
  }})
}}
'''

def document_key(name, bad, conditioned):
    ident = '"*"' if bad else '"arn:aws:iam::${var.account_id}:role/app"'
    cond = '''
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-a1b2c3d4e5"]
    }''' if conditioned else ''
    return f'''data "aws_iam_policy_document" "{name}" {{
  statement {{
    sid       = "Root"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {{
      type        = "AWS"
      identifiers = ["arn:aws:iam::${{var.account_id}}:root"]
    }}
  }}
  statement {{
    sid       = "App"
    actions   = ["kms:Decrypt"]
    resources = ["*"]
    principals {{
      type        = "AWS"
      identifiers = [{ident}]
    }}{cond}
  }}
}}

resource "aws_kms_key" "{name}" {{
  description         = "{name}"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.{name}.json
}}
'''

def heredoc_policy(name, wide, typo):
    action = '"kms:Decrpyt"' if typo else '"kms:Decrypt"'
    resource = '"*"' if wide else '"arn:aws:kms:us-east-1:${var.account_id}:key/1234abcd-12ab-34cd-56ef-1234567890ab"'
    return f'''resource "aws_iam_policy" "{name}" {{
  name   = "{name}"
  policy = <<EOT
{{
  "Version": "2012-10-17",
  "Statement": [
    {{
      "Effect": "Allow",
      "Action": [{action}, "kms:GenerateDataKey"],
      "Resource": {resource}
    }}
  ]
}}
EOT
}}
'''

def locals_policy(name, admin):
    actions = '["kms:*"]' if admin else 'local.read_actions'
    return f'''resource "aws_iam_role_policy" "{name}" {{
  name = "{name}"
  role = "app"
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = {actions}, Resource = "*" }}]
  }})
}}
'''

def grant(name, bad):
    ops = '["Encrypt", "Decrypt", "PutKeyPolicy"]' if bad else '["Encrypt", "Decrypt"]'
    return f'''resource "aws_kms_grant" "{name}" {{
  name              = "{name}"
  key_id            = "1234abcd-12ab-34cd-56ef-1234567890ab"
  grantee_principal = "arn:aws:iam::${{var.account_id}}:role/app"
  operations        = {ops}
}}
'''

def module_call(name, bad):
    readers = '["*"]' if bad else '["arn:aws:iam::111122223333:role/reader"]'
    return f'''module "{name}" {{
  source  = "../shared"
  readers = {readers}
}}
'''

os.makedirs(os.path.join(out, "shared"), exist_ok=True)
with open(os.path.join(out, "shared", "main.tf"), "w") as f:
    f.write(SHARED)
lines = SHARED.count("\n")
n = 0
while lines < target:
    d = os.path.join(out, f"service{n:02d}")
    os.makedirs(d, exist_ok=True)
    variables = '''variable "account_id" {
  type    = string
  default = "111122223333"
}

locals {
  read_actions = ["kms:Decrypt", "kms:DescribeKey"]
}
'''
    parts = []
    for i in range(4):
        kind = rng.randrange(6)
        name = f"s{n}_{i}"
        if kind == 0:
            parts.append(jsonencode_key(name, rng.random() < 0.3, rng.random() < 0.7))
        elif kind == 1:
            parts.append(document_key(name, rng.random() < 0.4, rng.random() < 0.5))
        elif kind == 2:
            parts.append(heredoc_policy(name, rng.random() < 0.5, rng.random() < 0.2))
        elif kind == 3:
            parts.append(locals_policy(name, rng.random() < 0.3))
        elif kind == 4:
            parts.append(grant(name, rng.random() < 0.3))
        else:
            parts.append(module_call(name, rng.random() < 0.3))
    main = "\n".join(parts)
    with open(os.path.join(d, "variables.tf"), "w") as f:
        f.write(variables)
    with open(os.path.join(d, "main.tf"), "w") as f:
        f.write(main)
    lines += variables.count("\n") + main.count("\n")
    n += 1
print(f"{n} modules, {lines} lines in {out}")
