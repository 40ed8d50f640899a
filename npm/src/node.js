// Node: the module is compiled when this file is imported, so every
// function can be called at once.
import { readFileSync } from 'node:fs';

import { bind } from './engine.js';
import * as raw from './wasm/keyward_wasm.js';

raw.initSync({ module: readFileSync(new URL('./wasm/keyward_wasm_bg.wasm', import.meta.url)) });
const engine = bind(raw);

/** Resolves to the API (here it is ready already): code shared with browsers awaits it. */
export async function load() {
  return engine;
}

export const { version, parse, lint, query, runScenario, check, matrix, actions } = engine;
