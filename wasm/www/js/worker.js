// The engine's thread. The page posts {id, op, args}; the worker answers
// {id, result} where result is the export's envelope ({ok, value} or
// {ok: false, error}). A trap inside the module (a bug: the release build
// aborts on panic) is answered as an `internal` error, after which this
// worker closes and the page starts a fresh one.

const started = performance.now();
// Fetch the module while its JavaScript glue loads, not after.
const wasm = fetch(new URL('../pkg/keyward_wasm_bg.wasm', import.meta.url));
let kw = null;
const ready = import('../pkg/keyward_wasm.js').then(async (glue) => {
  await glue.default({ module_or_path: wasm });
  kw = glue;
  return performance.now() - started;
});

// The compare module (the request-space analysis) is a second wasm module,
// fetched the first time the compare, who-can or what-can view asks.
let compareGlue = null;
let compareReady = null;
function compareModule() {
  compareReady ??= import('../pkg/keyward_compare.js').then(async (glue) => {
    await glue.default({ module_or_path: fetch(new URL('../pkg/keyward_compare_bg.wasm', import.meta.url)) });
    compareGlue = glue;
    return glue;
  });
  return compareReady;
}

/** Call an export with JSON in and out; a build without that export answers an error value. */
const call = (fn, input) =>
  typeof fn === 'function'
    ? JSON.parse(input === null ? fn() : fn(JSON.stringify(input)))
    : { ok: false, error: { code: 'internal', message: 'this build of keyward lacks that export' } };

const ops = {
  /** Load the module; answers how long it took, and the version. */
  async hello() {
    const ms = await ready;
    const actions = call(kw.actions, null);
    return { ok: true, value: { version: kw.version(), loadMs: ms, actions: actions.ok ? actions.value : [] } };
  },

  /** The scenario's matrix and expectations, and the answer to the request form. */
  scenario({ workspace, actions, request }) {
    const t0 = performance.now();
    const scenario = call(kw.runScenario, { workspace, actions });
    const answer = request ? call(kw.evaluate, { workspace, request }) : null;
    return { ok: true, value: { scenario, answer, ms: performance.now() - t0 } };
  },

  /** Each policy file's parse diagnostics and lint findings, by path. */
  lint({ workspace, lintFiles, accounts }) {
    const t0 = performance.now();
    const files = {};
    for (const { path, kind } of lintFiles) {
      const text = workspace.files[path];
      if (typeof text === 'string') files[path] = call(kw.lint, { text, kind, name: path, accounts });
    }
    return { ok: true, value: { files, ms: performance.now() - t0 } };
  },

  /** One policy before and after: the access gained and lost (loads the compare module). */
  async compare(input) {
    const t0 = performance.now();
    let glue;
    try {
      glue = await compareModule();
    } catch (err) {
      compareReady = null; // try again next time
      return { ok: false, error: { code: 'internal', message: `the compare module did not load: ${err?.message ?? err}` } };
    }
    const result = call(glue.compare, input);
    return { ok: true, value: { result, ms: performance.now() - t0 } };
  },

  /** Who can use a key, or what a principal can do (`query`: `who-can` or `what-can`; loads the analysis module). */
  async reverse({ query, input }) {
    const t0 = performance.now();
    let glue;
    try {
      glue = await compareModule();
    } catch (err) {
      compareReady = null; // try again next time
      return { ok: false, error: { code: 'internal', message: `the analysis module did not load: ${err?.message ?? err}` } };
    }
    const result = call(query === 'what-can' ? glue.whatCan : glue.whoCan, input);
    return { ok: true, value: { result, ms: performance.now() - t0 } };
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
      message = (op === 'compare' || op === 'reverse' ? compareGlue : kw)?.lastPanic() ?? message;
    } catch {
      // the instance is gone; keep the JavaScript error
    }
    self.postMessage({ id, result: { ok: false, error: { code: 'internal', message } }, crashed: true });
    self.close();
  }
};
