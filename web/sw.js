// The offline service worker: once the lab was visited, the app shell, the module
// (topolab.js/.wasm), the lesson list, every bundled lesson file, the languages' catalogues and
// translated lessons come from a cache, so the lab
// and its lessons work with the network off. The cache is named after the build (BUILD below is
// replaced by a hash of the site's files when the site is assembled, cmake/stamp_site.cmake), so
// a new build changes this file, the browser installs the new worker, which fills a new cache and
// deletes the old one; the page then offers a reload. Unstamped ('dev') sites are served
// network-first so a developer always sees fresh files. Teacher lessons fetched from elsewhere
// (?lesson_url=) are network-first with a copy kept for offline use.
'use strict';
const BUILD = 'dev';
const CACHE = 'topolab-' + BUILD;
const RUNTIME = 'topolab-runtime';
// Everything the page needs to start; install fails (and the old worker stays) if one is missing.
const SHELL = ['./', 'index.html', 'css/lab.css', 'js/i18n.js', 'js/store.js', 'js/links.js', 'js/page.js', 'js/lesson.js', 'js/loader.js',
  'topolab.js', 'topolab.wasm', 'ui-font.ttf'];
// Nice to have offline; a missing one does not stop the install.
const OPTIONAL = ['manifest.webmanifest', 'icon.svg', 'build.json', 'lessons/index.json', 'locale/languages.json'];

async function precache() {
  const cache = await caches.open(CACHE);
  await cache.addAll(SHELL.map((u) => new Request(u, { cache: 'reload' })));
  const optional = OPTIONAL.slice();
  try {
    const r = await fetch(new Request('lessons/index.json', { cache: 'reload' }));
    if (r.ok) {
      const data = await r.clone().json();
      const list = Array.isArray(data) ? data : (data && data.lessons) || [];
      for (const l of list) if (l && l.file) optional.push('lessons/' + l.file);
    }
  } catch (e) { /* no lesson list: the shell still works offline */ }
  // Every language's catalogue (locale/LANG.mo) and translated lessons (lessons/LANG/).
  try {
    const r = await fetch(new Request('locale/languages.json', { cache: 'reload' }));
    for (const l of (r.ok ? await r.json() : [])) {
      if (!l || !l.code || l.code === 'en' || l.code === 'qps') continue;
      optional.push('locale/' + l.code + '.mo');
      if (!l.lessons) continue;
      const idx = await fetch(new Request('lessons/' + l.code + '/index.json', { cache: 'reload' }));
      if (!idx.ok) continue;
      optional.push('lessons/' + l.code + '/index.json');
      for (const x of await idx.json()) if (x && x.file) optional.push('lessons/' + l.code + '/' + x.file);
    }
  } catch (e) { /* no translations offline: English still works */ }
  await Promise.all(optional.map(async (u) => {
    try {
      const r = await fetch(new Request(u, { cache: 'reload' }));
      if (r.ok) await cache.put(u, r);
    } catch (e) { /* optional */ }
  }));
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('topolab-') && name !== CACHE && name !== RUNTIME) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// The page asks which build controls it; a page from an older build then offers a reload.
self.addEventListener('message', (event) => {
  if (event.data === 'build?' && event.source) event.source.postMessage({ topolabBuild: BUILD });
});

async function fromCache(request, navigate) {
  const cache = await caches.open(CACHE);
  if (navigate) return (await cache.match('index.html')) || (await cache.match('./'));
  return cache.match(request, { ignoreSearch: true });
}

async function networkThenCache(request, cacheName) {
  try {
    const r = await fetch(request);
    if (r.ok && cacheName) {
      const cache = await caches.open(cacheName);
      await cache.put(request, r.clone());
    }
    return r;
  } catch (e) {
    const hit = (await caches.match(request, { ignoreSearch: false })) ||
                (await caches.match(request, { ignoreSearch: true }));
    if (hit) return hit;
    throw e;
  }
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  const sameOrigin = url.origin === self.location.origin;
  const navigate = req.mode === 'navigate';
  const lessonFile = /\.toml$/i.test(url.pathname);
  if (!sameOrigin) {
    // Teacher-hosted lessons from other servers: fresh when online, the last copy offline.
    if (lessonFile) event.respondWith(networkThenCache(req, RUNTIME));
    return;
  }
  if (url.pathname.endsWith('/sw.js')) return;
  event.respondWith((async () => {
    if (BUILD !== 'dev') {
      const hit = await fromCache(req, navigate);
      if (hit) return hit;
    }
    try {
      return await networkThenCache(req, lessonFile ? RUNTIME : null);
    } catch (e) {
      const hit = await fromCache(req, navigate);
      if (hit) return hit;
      return new Response('Topolab is offline and this file was not saved for offline use: ' + url.pathname,
        { status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
    }
  })());
});
