#!/usr/bin/env bash
# Install a cargo tool, pinned by its own Cargo.lock (`--locked`) when this
# registry can honour it. The crates.io mirror here lacks some locked
# dependency versions (see ../shared/toolchain.md), so `--locked` can fail
# while resolving; then the tool is installed with current dependency
# versions instead, and one line says so, rather than cargo's red error
# followed by a silent retry. Any other failure is shown and fails.
#
#   scripts/cargo-install-tool.sh CRATE [cargo install arguments...]
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: scripts/cargo-install-tool.sh CRATE [ARGS...]" >&2; exit 2; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if cargo install "$@" --locked >"$log" 2>&1; then
  tail -n 2 "$log"
  exit 0
fi
if grep -q "failed to select a version" "$log"; then
  missing=$(grep -m1 -Eo 'requirement `?[^ ]+ = "[^"]+"`?( \(locked to [^)]+\))?' "$log" || true)
  echo "note: \`cargo install $* --locked\` cannot resolve on this registry mirror (${missing:-a locked version is missing}); installing with current dependency versions"
  cargo install "$@"
else
  cat "$log" >&2
  exit 1
fi
