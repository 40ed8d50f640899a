// A static file server for the browser test, which must be able to stop and
// restart it (to check that the page works offline) on the same port.

import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

/** Serve `root` on 127.0.0.1: `{url, stop(), start(), closed}`. */
export async function serve(root) {
  const sockets = new Set();
  let server = null;
  let port = 0;
  const handle = async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const rel = normalize(path.endsWith('/') ? `${path}index.html` : path).replace(/^[/\\]+/, '');
    if (rel.split(sep).includes('..')) {
      res.writeHead(400).end();
      return;
    }
    try {
      const body = await readFile(join(root, rel));
      res.writeHead(200, { 'content-type': TYPES[extname(rel)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  };
  const handleSafely = (req, res) => {
    handle(req, res).catch(() => res.destroy());
  };
  const api = {
    closed: true,
    url: '',
    async start() {
      server = createServer(handleSafely);
      server.on('connection', (s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
      port = server.address().port;
      api.url = `http://127.0.0.1:${port}/`;
      api.closed = false;
    },
    async stop() {
      if (api.closed) return;
      api.closed = true;
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  await api.start();
  return api;
}
