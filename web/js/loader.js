// Loads the lab: checks for WebAssembly and WebGL2, downloads topolab.wasm with a real byte
// progress bar, starts the emscripten module on the full-window canvas, and exposes the test and
// page hooks as Module.topolab.state() / Module.topolab.command({...}). When the server sends the
// wasm gzip-compressed (Content-Length is then the compressed size), the uncompressed size comes
// from build.json, written next to the module when the site is assembled (cmake/stamp_site.cmake).
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);

  function problem(text) {
    $('loading').classList.add('hidden');
    $('problem-text').textContent = text;
    $('problem').classList.remove('hidden');
  }

  if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
    problem('This browser has no WebAssembly support (or it is switched off).');
    return;
  }
  const probe = document.createElement('canvas');
  if (!probe.getContext('webgl2')) {
    problem('This browser cannot create a WebGL2 context (WebGL may be switched off or blocked for this graphics card).');
    return;
  }

  // Fetched alongside the wasm; tiny, so it is normally back before the first wasm bytes.
  let buildInfo = null;
  fetch('build.json', { cache: 'no-cache' }).then((r) => (r.ok ? r.json() : null))
    .then((j) => { buildInfo = j; }, () => { buildInfo = null; });

  function setProgress(loaded, total) {
    const pct = total ? Math.min(100, (100 * loaded) / total) : 0;
    $('loading-bar').style.width = pct.toFixed(1) + '%';
    const pb = $('loading-progress');
    if (pb) pb.setAttribute('aria-valuenow', pct.toFixed(0));
    $('loading-bytes').textContent = total
      ? `${(loaded / 1048576).toFixed(2)} of ${(total / 1048576).toFixed(2)} MB`
      : `${(loaded / 1048576).toFixed(2)} MB`;
  }

  async function fetchWithProgress(url) {
    const resp = await fetch(url);
    if (!resp.ok) throw new Error(`${url}: HTTP ${resp.status}`);
    let total = Number(resp.headers.get('Content-Length')) || 0;
    // A compressed transfer: Content-Length counts compressed bytes, the reader gives plain ones.
    const encoded = (resp.headers.get('Content-Encoding') || 'identity') !== 'identity';
    const plainTotal = () => (buildInfo && buildInfo.wasm_bytes) || 0;
    if (encoded) total = plainTotal();
    if (!resp.body || !resp.body.getReader) return new Uint8Array(await resp.arrayBuffer());
    const reader = resp.body.getReader();
    const chunks = [];
    let loaded = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.length;
      if (encoded && !total) total = plainTotal();
      setProgress(loaded, total && loaded <= total ? total : 0);
    }
    const out = new Uint8Array(loaded);
    let at = 0;
    for (const c of chunks) { out.set(c, at); at += c.length; }
    return out;
  }

  const canvas = $('canvas');
  window.Module = {
    canvas,
    print: (t) => console.log(t),
    printErr: (t) => console.warn(t),
    onAbort: (what) => problem('The lab stopped with an error: ' + what),
    onRuntimeInitialized() {
      Module.topolab = {
        state: () => JSON.parse(Module.ccall('topolab_state', 'string', [], [])),
        command: (cmd) => JSON.parse(Module.ccall('topolab_command', 'string', ['string'],
          [typeof cmd === 'string' ? cmd : JSON.stringify(cmd)])),
      };
      $('loading').classList.add('hidden');
      canvas.focus();
      window.dispatchEvent(new Event('topolab-ready'));
    },
  };

  $('loading-text').textContent = 'Downloading the lab…';
  fetchWithProgress('topolab.wasm')
    .then((bytes) => {
      Module.wasmBinary = bytes;
      $('loading-text').textContent = 'Starting…';
      const s = document.createElement('script');
      s.src = 'topolab.js';
      s.onerror = () => problem('Could not load topolab.js from the server.');
      document.body.appendChild(s);
    })
    .catch((e) => problem('Could not download the lab: ' + e.message));
})();
