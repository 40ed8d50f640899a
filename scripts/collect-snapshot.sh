#!/usr/bin/env bash
# Collect an account snapshot for keyward (docs/snapshot-format.md), with
# read-only AWS CLI calls only (sts get-*, iam get-*, ec2/kms/organizations
# list-*/describe-*/get-*).
#
#   scripts/collect-snapshot.sh [--profile P] [--regions R1,R2,...] OUT
#
# Writes OUT/accounts/<account>/… for the profile's account and, when the
# caller may read it, OUT/organization/… (the management account or a
# delegated administrator can walk the tree). Run it once per account
# (profile) into the same OUT to snapshot several accounts. Without
# --regions, every Region enabled for the account is collected.
#
# A call that fails (access denied…) leaves its file out and is reported;
# `keyward snapshot check OUT` then says what is missing, and answers that
# depend on it are incomplete. Exit 0 when every call succeeded, 1 when some
# failed (the snapshot is partial), 2 on bad arguments.
set -uo pipefail

usage() {
  echo "usage: $0 [--profile PROFILE] [--regions R1,R2,...] OUT" >&2
  exit 2
}

PROFILE=""
REGIONS=""
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) [ $# -ge 2 ] || usage; PROFILE=$2; shift 2 ;;
    --regions) [ $# -ge 2 ] || usage; REGIONS=$2; shift 2 ;;
    -h|--help) usage ;;
    -*) echo "unknown option: $1" >&2; usage ;;
    *) [ -z "$OUT" ] || usage; OUT=$1; shift ;;
  esac
done
[ -n "$OUT" ] || usage

AWS=(aws --output json)
[ -n "$PROFILE" ] && AWS+=(--profile "$PROFILE")
failures=0

# call FILE ARGS...: run a read-only call, writing its output to FILE.
call() {
  local file=$1; shift
  mkdir -p "$(dirname "$file")"
  if "${AWS[@]}" "$@" >"$file.part" 2>"$file.err"; then
    mv "$file.part" "$file"
    rm -f "$file.err"
  else
    echo "warning: aws $* failed: $(tr '\n' ' ' <"$file.err")" >&2
    rm -f "$file.part" "$file.err"
    failures=$((failures + 1))
    return 1
  fi
}

# text ARGS...: a call whose `--query … --output text` answer is a list of
# words (one per line on output).
text() {
  local out
  if out=$("${AWS[@]}" "$@" --output text 2>/dev/null); then
    printf '%s\n' "$out" | tr -s '\t ' '\n\n' | sed '/^$/d; /^None$/d'
  else
    echo "warning: aws $* failed" >&2
    failures=$((failures + 1))
    return 1
  fi
}

account=$(text sts get-caller-identity --query Account) || { echo "error: cannot tell which account the credentials belong to" >&2; exit 1; }
acct="$OUT/accounts/$account"
echo "collecting account $account into $OUT" >&2

# IAM: authorization details, page by page (`--max-items`), so that no file is huge.
iam="$acct/iam"
mkdir -p "$iam"
rm -f "$iam"/authorization-details*.json
token=""
page=1
while :; do
  args=(iam get-account-authorization-details --max-items 1000)
  [ -n "$token" ] && args+=(--starting-token "$token")
  call "$iam/authorization-details.$page.json" "${args[@]}" || break
  token=$(sed -n 's/^    "NextToken": "\(.*\)",\{0,1\}$/\1/p' "$iam/authorization-details.$page.json")
  [ -n "$token" ] || break
  page=$((page + 1))
done
if [ "$page" -eq 1 ] && [ -f "$iam/authorization-details.1.json" ]; then
  mv "$iam/authorization-details.1.json" "$iam/authorization-details.json"
fi

# KMS: every Region asked for, or every Region enabled for the account.
if [ -n "$REGIONS" ]; then
  regions=$(printf '%s\n' "$REGIONS" | tr ',' '\n' | sed '/^$/d')
else
  regions=$(text ec2 describe-regions --query 'Regions[].RegionName') || regions=""
fi
for region in $regions; do
  dir="$acct/kms/$region"
  mkdir -p "$dir"
  call "$dir/aliases.json" kms list-aliases --region "$region"
  keys=$(text kms list-keys --region "$region" --query 'Keys[].KeyId') || continue
  for key in $keys; do
    k="$dir/keys/$key"
    call "$k/describe-key.json" kms describe-key --region "$region" --key-id "$key"
    call "$k/key-policy.json" kms get-key-policy --region "$region" --key-id "$key" --policy-name default
    call "$k/grants.json" kms list-grants --region "$region" --key-id "$key"
    call "$k/tags.json" kms list-resource-tags --region "$region" --key-id "$key"
  done
done

# Organizations: the description, then the tree (where each SCP and RCP is
# attached) and the policies, when the caller may walk it.
org="$OUT/organization"
if "${AWS[@]}" organizations describe-organization >"$org.describe.part" 2>/dev/null; then
  mkdir -p "$org/policies"
  mv "$org.describe.part" "$org/describe-organization.json"
  # policies TARGET: the SCP and RCP ids attached to TARGET, as a JSON list.
  policies() {
    local ids="" id filter
    for filter in SERVICE_CONTROL_POLICY RESOURCE_CONTROL_POLICY; do
      # A policy type the organization does not use fails: it attaches nothing.
      for id in $("${AWS[@]}" organizations list-policies-for-target --target-id "$1" --filter "$filter" \
          --query 'Policies[].Id' --output text 2>/dev/null | tr -s '\t ' '\n\n'); do
        [ "$id" = "None" ] && continue
        ids="$ids${ids:+, }\"$id\""
      done
    done
    printf '[%s]' "$ids"
  }
  # node ID INDENT: the JSON of the root or an OU, its children walked.
  node() {
    local id=$1 pad=$2 children="" child ous accounts
    ous=$(text organizations list-organizational-units-for-parent --parent-id "$id" --query 'OrganizationalUnits[].Id') || return 1
    accounts=$(text organizations list-accounts-for-parent --parent-id "$id" --query 'Accounts[].Id') || return 1
    for child in $ous; do
      local sub
      sub=$(node "$child" "$pad  ") || return 1
      children="$children${children:+,}
$pad  {\"ou\": \"$child\", \"policies\": $(policies "$child"), \"children\": [$sub
$pad  ]}"
    done
    for child in $accounts; do
      children="$children${children:+,}
$pad  {\"account\": \"$child\", \"policies\": $(policies "$child")}"
    done
    printf '%s' "$children"
  }
  if root=$(text organizations list-roots --query 'Roots[0].Id') && [ -n "$root" ] \
      && body=$(node "$root" "  "); then
    printf '{"root": {"id": "%s", "policies": %s, "children": [%s\n]}}\n' "$root" "$(policies "$root")" "$body" >"$org/tree.json"
    for id in $(grep -o '"p-[0-9A-Za-z_]*"' "$org/tree.json" | tr -d '"' | sort -u); do
      call "$org/policies/$id.json" organizations describe-policy --policy-id "$id"
    done
  else
    echo "note: the organization's tree could not be walked (only the management account or a delegated administrator may): every account's SCPs and RCPs will be unknown" >&2
  fi
else
  rm -f "$org.describe.part"
  echo "note: no organization (or describe-organization is not permitted): the snapshot has no SCPs or RCPs" >&2
fi

if [ "$failures" -gt 0 ]; then
  echo "done with $failures failed calls: run \`keyward snapshot check $OUT\` to see what is missing" >&2
  exit 1
fi
echo "done: run \`keyward snapshot check $OUT\`" >&2
