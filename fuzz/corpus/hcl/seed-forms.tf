# Every way a policy is written in a resource: jsonencode, a heredoc, a
# string template, file(), locals and variable defaults.

resource "aws_kms_key" "jsonencoded" {
  description = "jsonencode with a wildcard principal and no condition"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Admins"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${var.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "Everyone"
        Effect    = "Allow"
        Principal = "*"
        Action    = ["kms:Decrypt"]
        Resource  = "*"
      },
    ]
  })
}

resource "aws_iam_policy" "heredoc" {
  name   = "heredoc"
  policy = <<EOT
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "kms:Decrypt",
      "Resource": "arn:aws:kms:us-east-1:${var.account_id}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    },
    {
      "Effect": "Allow",
      "Action": "kms:Decript",
      "Resource": "*"
    }
  ]
}
EOT
}

resource "aws_kms_key_policy" "from_file" {
  key_id = aws_kms_key.jsonencoded.id
  policy = file("${path.module}/key-policy.json")
}

resource "aws_iam_role_policy" "from_locals" {
  name   = "from-locals"
  role   = "app"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = local.statements
  })
}

resource "aws_iam_user_policy" "indented_heredoc" {
  name   = "indented"
  user   = "ci"
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*", "Principal": {"AWS": "*"}}]
    }
  EOT
}

resource "aws_iam_group_policy" "count" {
  count  = var.enabled ? 1 : 0
  name   = "counted"
  group  = "ops"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "kms:GenerateDataKey", Resource = "*" }]
  })
}

resource "aws_iam_group_policy" "disabled" {
  count  = var.enabled ? 0 : 1
  name   = "never created: not linted"
  group  = "ops"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "kms:Nothing", Resource = "*" }] })
}
