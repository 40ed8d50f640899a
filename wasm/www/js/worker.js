// The engine's thread. The page posts {id, op, args}; the worker answers
// {id, result} where result is the export's envelope ({ok, value} or
// {ok: false, error}). A trap inside the module (a bug: the release build
// aborts on panic) is answered as an `internal` error, after which this
// worker closes and the page starts a fresh one.

import init, * as kw from '../pkg/keyward_wasm.js';

const started = performance.now();
const ready = init({ module_or_path: new URL('../pkg/keyward_wasm_bg.wasm', import.meta.url) }).then(
  () => performance.now() - started,
);

const call = (fn, input) => JSON.parse(fn(JSON.stringify(input)));

const ops = {
  /** Load the module; answers how long it took, and the version. */
  async hello() {
    const ms = await ready;
    return { ok: true, value: { version: kw.version(), loadMs: ms } };
  },

  /**
   * Everything the page shows after an edit: each policy file's diagnostics
   * (parse + lint), the scenario's matrix and expectations, and the answer
   * to the request form. Each part is its own envelope.
   */
  analyze({ workspace, lintFiles, actions, request }) {
    const t0 = performance.now();
    const files = {};
    for (const { path, kind } of lintFiles) {
      const text = workspace.files[path];
      if (typeof text === 'string') files[path] = call(kw.lint, { text, kind, name: path });
    }
    const scenario = call(kw.runScenario, { workspace, actions });
    const answer = request ? call(kw.evaluate, { workspace, request }) : null;
    return { ok: true, value: { files, scenario, answer, ms: performance.now() - t0 } };
  },

  /** One request. */
  evaluate({ workspace, request }) {
    return call(kw.evaluate, { workspace, request });
  },

  /** Decisions per second over the scenario's matrix, timed here in the browser. */
  bench({ workspace, actions, rounds }) {
    const t0 = performance.now();
    const result = call(kw.benchmark, { workspace, actions, rounds });
    const seconds = (performance.now() - t0) / 1000;
    if (!result.ok) return result;
    return { ok: true, value: { ...result.value, seconds, perSecond: result.value.decisions / seconds } };
  },
};

self.onmessage = async ({ data: { id, op, args } }) => {
  try {
    await ready;
    const fn = ops[op];
    const result = fn ? await fn(args) : { ok: false, error: { code: 'bad-input', message: `unknown operation \`${op}\`` } };
    self.postMessage({ id, result });
  } catch (err) {
    let message = String(err?.message ?? err);
    try {
      message = kw.lastPanic() ?? message;
    } catch {
      // the instance is gone; keep the JavaScript error
    }
    self.postMessage({ id, result: { ok: false, error: { code: 'internal', message } }, crashed: true });
    self.close();
  }
};
