// Browsers and bundlers: `await load()` fetches and compiles the module
// (`wasm/keyward_wasm_bg.wasm` beside this file, found through
// `import.meta.url`, which webpack 5, Vite, Rollup and esbuild understand),
// or give `load` the module yourself (a URL, a Response, bytes or a
// WebAssembly.Module). The functions can be called once it has resolved.
import { bind, NAMES } from './engine.js';
import init, * as raw from './wasm/keyward_wasm.js';

let engine;
let loading;

export function load(module) {
  loading ??= init(module === undefined ? undefined : { module_or_path: module }).then(() => {
    engine = bind(raw);
    return engine;
  });
  return loading;
}

function ready(name) {
  return (...args) => {
    if (engine === undefined) {
      throw new Error(`keyward: \`await load()\` before calling \`${name}\``);
    }
    return engine[name](...args);
  };
}

export const [version, parse, lint, query, runScenario, check, matrix, actions] = NAMES.map(ready);
