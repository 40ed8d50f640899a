# aws_iam_policy_document: statements, principals, conditions, the
# default effect, &{...} variables, and source/override documents merged
# by Sid.

data "aws_iam_policy_document" "key" {
  statement {
    sid       = "Root"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }

  statement {
    sid       = "AnyoneDecrypts"
    actions   = ["kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }

  statement {
    sid       = "ViaS3InOrg"
    actions   = ["kms:GenerateDataKey"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-a1b2c3d4e5"]
    }
  }
}

resource "aws_kms_key" "documented" {
  description = "policy from a data source"
  policy      = data.aws_iam_policy_document.key.json
}

data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Shared"
    actions   = ["kms:Decrypt"]
    resources = ["*"]
  }
  statement {
    sid       = "Replaced"
    actions   = ["kms:Decript"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "override" {
  statement {
    sid       = "Replaced"
    actions   = ["kms:Encrypt"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "merged" {
  source_policy_documents   = [data.aws_iam_policy_document.base.json]
  override_policy_documents = [data.aws_iam_policy_document.override.json]

  statement {
    actions   = ["kms:ListAliases"]
    resources = ["arn:aws:kms:us-east-1:111122223333:key/&{aws:username}"]
  }
}

resource "aws_iam_policy" "merged" {
  name   = "merged"
  policy = data.aws_iam_policy_document.merged.json
}

data "aws_iam_policy_document" "dynamic" {
  dynamic "statement" {
    for_each = var.readers
    content {
      sid       = "Read${statement.key}"
      actions   = ["kms:Decrypt"]
      resources = ["*"]
      principals {
        type        = "AWS"
        identifiers = [statement.value]
      }
    }
  }
  statement {
    sid       = "Root"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }
}

variable "readers" {
  default = ["arn:aws:iam::111122223333:role/a", "*"]
}

resource "aws_kms_key" "dynamic" {
  policy = data.aws_iam_policy_document.dynamic.json
}

resource "aws_kms_grant" "bad" {
  name              = "bad-operations"
  key_id            = aws_kms_key.documented.key_id
  grantee_principal = "arn:aws:iam::111122223333:role/app"
  operations        = ["Encrypt", "Decrypt", "PutKeyPolicy"]
  constraints {
    encryption_context_equals = {
      Department = "Finance"
    }
  }
}
