// The offline shell: the page's own files are kept so Aide opens without a connection (and says it cannot reach
// the server). Always the network first, so a new version shows at once; the API is never cached.
const CACHE = 'aide-shell-v2';
const SHELL = ['/', '/index.html', '/css/app.css', '/js/app.js', '/js/format.js', '/js/text.js', '/js/vendor.js',
  '/js/voice.js', '/js/pages/today.js', '/js/pages/calendar.js', '/js/pages/money.js', '/js/pages/lists.js',
  '/js/pages/memories.js', '/js/pages/documents.js', '/js/pages/settings.js',
  '/manifest.webmanifest', '/icon.svg'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then(cache => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then(keys => Promise.all(keys.filter(k => k !== CACHE).map(k => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  event.respondWith(fetch(event.request)
    .then(response => {
      if (response.ok && SHELL.includes(url.pathname)) {
        const copy = response.clone();
        caches.open(CACHE).then(cache => cache.put(event.request, copy));
      }
      return response;
    })
    .catch(() => caches.match(event.request).then(hit => hit || caches.match('/index.html'))));
});
