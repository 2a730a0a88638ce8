// Loads the lab: checks for WebAssembly and WebGL2, downloads and compiles topolab.wasm as it
// streams in (with a real byte progress bar) while topolab.js loads, starts the emscripten module
// on the full-window canvas, and exposes the test and page hooks as Module.topolab.state() /
// Module.topolab.command({...}). When the server sends the
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
    problem(t('This browser has no WebAssembly support (or it is switched off).'));
    return;
  }
  const probe = document.createElement('canvas');
  if (!probe.getContext('webgl2')) {
    problem(t('This browser cannot create a WebGL2 context (WebGL may be switched off or blocked for this graphics card).'));
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
      ? TopolabI18n.fmt(t('%s of %s MB'), (loaded / 1048576).toFixed(2), (total / 1048576).toFixed(2))
      : `${(loaded / 1048576).toFixed(2)} MB`;
  }

  // The module's download starts at once and topolab.js loads meanwhile; when topolab.js asks for
  // the module (Module.instantiateWasm), it is compiled while its bytes stream in, counted on the
  // way for the progress bar.
  const wasmResponse = fetch('topolab.wasm').then((resp) => {
    if (!resp.ok) throw new Error(`topolab.wasm: HTTP ${resp.status}`);
    let total = Number(resp.headers.get('Content-Length')) || 0;
    // A compressed transfer: Content-Length counts compressed bytes, the stream gives plain ones.
    const encoded = (resp.headers.get('Content-Encoding') || 'identity') !== 'identity';
    const plainTotal = () => (buildInfo && buildInfo.wasm_bytes) || 0;
    if (encoded) total = plainTotal();
    if (!resp.body || typeof TransformStream !== 'function') return resp;
    let loaded = 0;
    const counted = resp.body.pipeThrough(new TransformStream({
      transform(chunk, ctl) {
        loaded += chunk.length;
        if (encoded && !total) total = plainTotal();
        setProgress(loaded, total && loaded <= total ? total : 0);
        ctl.enqueue(chunk);
      },
    }));
    return new Response(counted, { headers: { 'Content-Type': 'application/wasm' } });
  });

  function instantiateWasm(imports, receive) {
    wasmResponse
      .then(async (resp) => {
        if (typeof WebAssembly.instantiateStreaming === 'function') return WebAssembly.instantiateStreaming(resp, imports);
        return WebAssembly.instantiate(await resp.arrayBuffer(), imports);
      })
      .then((r) => {
        $('loading-text').textContent = t('Starting…');
        receive(r.instance, r.module);
      })
      .catch((e) => problem(t('Could not download the lab:') + ' ' + e.message));
    return {};   // the exports arrive later, through receive()
  }

  const canvas = $('canvas');
  window.Module = {
    canvas,
    print: (t) => console.log(t),
    printErr: (t) => console.warn(t),
    onAbort: (what) => problem(t('The lab stopped with an error:') + ' ' + what),
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

  Module.instantiateWasm = instantiateWasm;
  $('loading-text').textContent = t('Downloading the lab…');
  const script = document.createElement('script');
  script.src = 'topolab.js';
  script.onerror = () => problem(t('Could not load topolab.js from the server.'));
  document.body.appendChild(script);
})();
