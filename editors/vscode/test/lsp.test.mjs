// `keyward lsp` driven by the official LSP client library of VS Code
// (vscode-languageserver-protocol over vscode-jsonrpc, the same code the
// extension's client runs): initialize → didOpen → publishDiagnostics →
// hover → completion → codeAction → didChange → codeLens → shutdown → exit.
//
// The binary is $KEYWARD_BIN, else target/debug/keyward of the repository.

import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import test from "node:test";
import assert from "node:assert/strict";

const require = createRequire(import.meta.url);
const rpc = require("vscode-languageserver-protocol/node");

const here = path.dirname(fileURLToPath(import.meta.url));
const binary = process.env.KEYWARD_BIN ?? path.resolve(here, "../../../target/debug/keyward");

const POLICY_URI = "file:///workspace/policies/key.json";
// A non-ASCII Sid before the typo: UTF-16 columns differ from bytes there.
const POLICY = `{
  "Version": "2012-10-17",
  "Statement": [{"Sid": "Schlüssel 🔑", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:Decrpyt", "Resource": "*"}]
}
`;

/** Start the server and a client connection to it. */
function start() {
  assert.ok(existsSync(binary), `no keyward binary at ${binary} (cargo build -p keyward-cli)`);
  const child = spawn(binary, ["lsp", "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
  const connection = rpc.createProtocolConnection(
    new rpc.StreamMessageReader(child.stdout),
    new rpc.StreamMessageWriter(child.stdin),
  );
  const published = [];
  const waiters = [];
  connection.onNotification(rpc.PublishDiagnosticsNotification.type, (params) => {
    published.push(params);
    for (const w of waiters.splice(0)) w();
  });
  connection.listen();
  const exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
  /** The diagnostics of `uri` at `version`, when they come. */
  async function diagnostics(uri, version) {
    const deadline = Date.now() + 20000;
    for (;;) {
      const found = published.find((p) => p.uri === uri && p.version === version);
      if (found) return found.diagnostics;
      assert.ok(Date.now() < deadline, `no diagnostics for ${uri} v${version}`);
      await new Promise((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }
  return { child, connection, diagnostics, exited };
}

/** UTF-16 column of `needle` on line 2 of the policy (JS strings are UTF-16). */
function column(needle) {
  return POLICY.split("\n")[2].indexOf(needle);
}

test("an editing session with a real LSP client", async (t) => {
  const { child, connection, diagnostics, exited } = start();
  // A failed assertion must not leave the server running.
  t.after(() => {
    connection.dispose();
    if (child.exitCode === null) child.kill();
  });
  const init = await connection.sendRequest(rpc.InitializeRequest.type, {
    processId: process.pid,
    rootUri: null,
    capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true } } } },
  });
  assert.equal(init.capabilities.positionEncoding, "utf-16");
  assert.equal(init.capabilities.textDocumentSync.change, rpc.TextDocumentSyncKind.Incremental);
  assert.equal(init.serverInfo.name, "keyward");
  await connection.sendNotification(rpc.InitializedNotification.type, {});

  // didOpen → publishDiagnostics
  await connection.sendNotification(rpc.DidOpenTextDocumentNotification.type, {
    textDocument: { uri: POLICY_URI, languageId: "json", version: 1, text: POLICY },
  });
  const first = await diagnostics(POLICY_URI, 1);
  const typo = first.find((d) => d.code === "KW302");
  assert.ok(typo, JSON.stringify(first));
  const at = column('"kms:Decrpyt"');
  assert.deepEqual(typo.range, { start: { line: 2, character: at }, end: { line: 2, character: at + 13 } });
  assert.match(typo.codeDescription.href, /docs\/rules\/KW302\.md$/);
  assert.equal(typo.severity, rpc.DiagnosticSeverity.Warning);

  // hover
  const hover = await connection.sendRequest(rpc.HoverRequest.type, {
    textDocument: { uri: POLICY_URI },
    position: { line: 2, character: column("Principal") + 2 },
  });
  assert.equal(hover, null, "a plain element name has no hover");
  const onAction = await connection.sendRequest(rpc.HoverRequest.type, {
    textDocument: { uri: POLICY_URI },
    position: { line: 2, character: at + 4 },
  });
  assert.match(onAction.contents.value, /did you mean `kms:Decrypt`\?/);
  assert.match(onAction.contents.value, /catalog: @cloud-copilot\/iam-data/);

  // completion
  const completion = await connection.sendRequest(rpc.CompletionRequest.type, {
    textDocument: { uri: POLICY_URI },
    position: { line: 2, character: at + 8 },
  });
  const labels = completion.map((item) => item.label);
  assert.ok(labels.includes("kms:Decrypt"), labels.join(" "));
  assert.ok(labels.includes("kms:Generate*"));

  // codeAction → the edit the quick fix proposes
  const actions = await connection.sendRequest(rpc.CodeActionRequest.type, {
    textDocument: { uri: POLICY_URI },
    range: typo.range,
    context: { diagnostics: [typo] },
  });
  assert.equal(actions.length, 1);
  const edit = actions[0].edit.changes[POLICY_URI][0];
  assert.equal(edit.newText, "kms:Decrypt");

  // didChange (incremental) → new diagnostics without the typo
  await connection.sendNotification(rpc.DidChangeTextDocumentNotification.type, {
    textDocument: { uri: POLICY_URI, version: 2 },
    contentChanges: [{ range: edit.range, text: edit.newText }],
  });
  const second = await diagnostics(POLICY_URI, 2);
  assert.ok(!second.some((d) => d.code === "KW302"), JSON.stringify(second));

  // A scenario: each expectation's decision as a code lens.
  const scenarioUri = "file:///workspace/scenarios/ops.json";
  await connection.sendNotification(rpc.DidOpenTextDocumentNotification.type, {
    textDocument: {
      uri: scenarioUri,
      languageId: "json",
      version: 1,
      text: JSON.stringify(
        {
          principals: { ops: { arn: "arn:aws:iam::111122223333:user/ops" } },
          keys: {
            K: {
              arn: "arn:aws:kms:us-east-1:111122223333:key/k",
              policy: {
                Version: "2012-10-17",
                Statement: [{ Sid: "OpsUse", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:user/ops" }, Action: "kms:Decrypt", Resource: "*" }],
              },
            },
          },
          expect: [{ principal: "ops", action: "kms:Decrypt", key: "K", decision: "allow" }],
        },
        null,
        2,
      ),
    },
  });
  const lenses = await connection.sendRequest(rpc.CodeLensRequest.type, { textDocument: { uri: scenarioUri } });
  assert.deepEqual(
    lenses.map((l) => l.command.title),
    ["✓ allow — by `OpsUse`"],
  );

  // shutdown → exit: the server ends with status 0.
  await connection.sendRequest(rpc.ShutdownRequest.type);
  await connection.sendNotification(rpc.ExitNotification.type);
  assert.equal(await exited, 0);
});
