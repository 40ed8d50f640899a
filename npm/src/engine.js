// The typed API over the wasm-bindgen exports (wasm/src/lib.rs): objects in,
// parsed JSON answers out. Every answer is an Envelope: `{ok: true, value}`
// or `{ok: false, error: {code, message}}`; bad input is a value, never an
// exception.
//
// A trap in the module (a bug in keyward: the wasm build aborts on panic)
// becomes an `internal` error with the panic's message, and every later call
// answers `internal` too: an instance that trapped is never asked again.

const broken = { reason: undefined };

function internal(message) {
  return { ok: false, error: { code: 'internal', message } };
}

/** The API over `raw`, the module's exports after initialization. */
export function bind(raw) {
  function call(fn, argument) {
    if (broken.reason !== undefined) {
      return internal(`keyward crashed earlier in this process (${broken.reason}); load the module again`);
    }
    let text;
    try {
      text = argument === undefined ? fn() : fn(argument);
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) {
        broken.reason = raw.lastPanic() ?? e.message;
        return internal(broken.reason);
      }
      return { ok: false, error: { code: 'bad-input', message: String(e && e.message ? e.message : e) } };
    }
    return JSON.parse(text);
  }
  function text(fn) {
    return (input) =>
      typeof input === 'string'
        ? call(fn, input)
        : { ok: false, error: { code: 'bad-input', message: `expected the text of a policy, not ${typeof input}` } };
  }
  function json(fn) {
    return (input) => {
      let encoded;
      try {
        encoded = JSON.stringify(input);
      } catch (e) {
        return { ok: false, error: { code: 'bad-input', message: `the input is not JSON: ${e.message}` } };
      }
      return call(fn, encoded ?? 'null');
    };
  }
  return Object.freeze({
    version: () => raw.version(),
    parse: text(raw.parse),
    lint: json(raw.lint),
    query: json(raw.evaluate),
    runScenario: json(raw.runScenario),
    check: json(raw.check),
    matrix: json(raw.matrix),
    actions: () => call(raw.actions),
  });
}

/** The names of the API's functions, for the entry points. */
export const NAMES = ['version', 'parse', 'lint', 'query', 'runScenario', 'check', 'matrix', 'actions'];
