// What the extension hands to the server, kept free of the `vscode` module
// so that it can be tested with plain Node.

/** A document filter, as `vscode-languageclient` takes it. */
export interface Filter {
  scheme: string;
  language?: string;
  pattern?: string;
}

/**
 * Saved and unsaved JSON (with or without comments) and YAML files, and
 * Terraform configurations (`.tf`, whatever language an extension gives them).
 */
export function documentSelector(): Filter[] {
  const filters: Filter[] = [];
  for (const scheme of ["file", "untitled"]) {
    for (const language of ["json", "jsonc", "yaml"]) {
      filters.push({ scheme, language });
    }
  }
  filters.push({ scheme: "file", pattern: "**/*.tf" });
  return filters;
}

/** The command that starts the server: `keyward lsp`, or the configured binary. */
export function serverCommand(configured: string | undefined): { command: string; args: string[] } {
  const command = configured && configured.trim() !== "" ? configured.trim() : "keyward";
  return { command, args: ["lsp"] };
}
