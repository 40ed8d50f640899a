// keyward for VS Code: starts `keyward lsp` and hands it the JSON and YAML
// files of the workspace. The server decides what is a key policy, an IAM
// policy, a CloudFormation template, a Terraform plan or a scenario file,
// and stays silent on every other file.

import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

import { documentSelector, serverCommand } from "./selector";

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand("keyward.restart", restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("keyward.path")) {
        void restart();
      }
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await stop();
}

async function start(): Promise<void> {
  const configured = vscode.workspace.getConfiguration("keyward").get<string>("path");
  const { command, args } = serverCommand(configured);
  // `TransportKind.stdio` adds `--stdio`, which `keyward lsp` accepts.
  const serverOptions: ServerOptions = { command, args, transport: TransportKind.stdio };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
    outputChannelName: "keyward",
  };
  client = new LanguageClient("keyward", "keyward", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    client = undefined;
    void vscode.window.showErrorMessage(
      `keyward: could not start \`${command} ${args.join(" ")}\` (${String(error)}). ` +
        "Install keyward (cargo install --path crates/cli) or set \"keyward.path\".",
    );
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    await running.stop();
  }
}

async function restart(): Promise<void> {
  await stop();
  await start();
}
