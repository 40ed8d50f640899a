// The page's handle on the engine worker: promise-based calls, a fresh
// worker after a crash, and "latest only" scheduling so that typing fast
// never queues up stale work.

export class Engine {
  constructor() {
    this.nextId = 1;
    this.pending = new Map();
    this.onCrash = () => {};
    this.spawn();
  }

  spawn() {
    // index.html starts the first worker before the page's modules arrive.
    this.worker = globalThis.keywardEarly?.worker ?? new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    if (globalThis.keywardEarly) globalThis.keywardEarly.worker = null;
    this.worker.onmessage = ({ data }) => {
      const resolve = this.pending.get(data.id);
      this.pending.delete(data.id);
      if (data.crashed) this.restart(data.result.error.message);
      resolve?.(data.result);
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.restart(event.message || 'the engine could not start');
    };
  }

  restart(message) {
    this.worker.terminate();
    const orphans = [...this.pending.values()];
    this.pending.clear();
    for (const resolve of orphans) resolve({ ok: false, error: { code: 'internal', message } });
    this.onCrash(message);
    this.spawn();
  }

  /** Run `op` in the worker; resolves to its envelope, never rejects. */
  call(op, args = {}) {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.worker.postMessage({ id, op, args });
    });
  }

  /**
   * A caller of `op` that keeps at most one call in flight and one waiting:
   * a newer request replaces the waiting one, and `onResult` only ever sees
   * the answer to the newest request sent.
   */
  latest(op, onResult) {
    let inFlight = false;
    let waiting = null;
    const run = async (args) => {
      inFlight = true;
      const result = await this.call(op, args);
      inFlight = false;
      if (waiting) {
        const next = waiting;
        waiting = null;
        run(next);
      } else {
        onResult(result, args);
      }
    };
    return (args) => {
      if (inFlight) waiting = args;
      else run(args);
    };
  }
}
