# Values only a plan knows: nothing is reported about them (no false
# alarm), and a note says what was not checked (no false pass).

variable "admin_arn" {
  type = string
}

variable "policy" {
  type = string
}

resource "aws_iam_role" "app" {
  name = "app"
}

data "aws_caller_identity" "current" {}

resource "aws_kms_key" "unknown_principals" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Admin"
        Effect    = "Allow"
        Principal = { AWS = var.admin_arn }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "App"
        Effect    = "Allow"
        Principal = { AWS = [aws_iam_role.app.arn, "*"] }
        Action    = "kms:Decrypt"
        Resource  = "*"
      },
      {
        Sid       = "Account"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:Decrypt"
        Resource  = "*"
      },
    ]
  })
}

resource "aws_kms_key" "whole_policy_unknown" {
  policy = var.policy
}

resource "aws_kms_key" "heredoc_with_holes" {
  policy = <<EOT
{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": "${var.admin_arn}"}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "Condition", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
     "Condition": {"StringEquals": {"aws:PrincipalAccount": "${data.aws_caller_identity.current.account_id}"}}},
    {"Sid": "Open", "Effect": "Allow", "Principal": "*", "Action": "kms:Encrypt", "Resource": "*"}
  ]
}
EOT
}

data "aws_iam_policy_document" "unknown_count" {
  dynamic "statement" {
    for_each = toset(var.extra_statements)
    content {
      effect    = statement.value.effect
      actions   = statement.value.actions
      resources = ["*"]
      principals {
        type        = "AWS"
        identifiers = ["*"]
      }
    }
  }
}

variable "extra_statements" {
  type = list(any)
}

resource "aws_kms_key" "dynamic_unknown" {
  policy = data.aws_iam_policy_document.unknown_count.json
}
