// keyward's service worker: makes the playground work offline once loaded.
// It keeps a copy of every file the build lists (pkg/manifest.json) and of
// every same-origin response, and answers from that copy only when the
// network fails. Online, the network always wins, so a new build is never
// hidden behind a stale cache. It sees only file requests: the state in the
// URL fragment is never part of a request.

const CACHE = 'keyward-playground';

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const manifest = await (await fetch('pkg/manifest.json', { cache: 'no-store' })).json();
      const cache = await caches.open(CACHE);
      await cache.addAll(['pkg/manifest.json', ...manifest.files]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        const response = await fetch(request);
        if (response.ok) event.waitUntil(cache.put(request, response.clone()));
        return response;
      } catch (err) {
        const copy = await cache.match(request, { ignoreSearch: true });
        if (copy) return copy;
        throw err;
      }
    })(),
  );
});
