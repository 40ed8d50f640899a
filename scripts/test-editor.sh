#!/usr/bin/env bash
# The editor integration (docs/editor.md): `keyward lsp` driven from Node by
# VS Code's own LSP client library (vscode-languageserver-protocol over
# vscode-jsonrpc), and the extension's pure parts. Installs the extension's
# npm packages from its lock file. About 15 s once the binary is built.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q -p keyward-cli
cd editors/vscode
npm ci --no-audit --no-fund
KEYWARD_BIN="$PWD/../../target/debug/keyward" npm test
