// The extension's pure parts, compiled from src/selector.ts (`npm run compile`).

import { createRequire } from "node:module";
import test from "node:test";
import assert from "node:assert/strict";

const require = createRequire(import.meta.url);
const { documentSelector, serverCommand } = require("../out/selector.js");

test("JSON and YAML documents, saved or not, go to the server", () => {
  const selector = documentSelector();
  for (const language of ["json", "jsonc", "yaml"]) {
    for (const scheme of ["file", "untitled"]) {
      assert.ok(selector.some((f) => f.language === language && f.scheme === scheme), `${scheme} ${language}`);
    }
  }
  assert.ok(selector.some((f) => f.pattern === "**/*.tf"), "Terraform configurations");
});

test("the server is `keyward lsp`, or the configured binary", () => {
  assert.deepEqual(serverCommand(undefined), { command: "keyward", args: ["lsp"] });
  assert.deepEqual(serverCommand("  "), { command: "keyward", args: ["lsp"] });
  assert.deepEqual(serverCommand("/opt/keyward/bin/keyward"), { command: "/opt/keyward/bin/keyward", args: ["lsp"] });
});
