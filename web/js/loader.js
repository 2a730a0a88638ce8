// Loads the lab: checks for WebAssembly and WebGL2, downloads and compiles topolab.wasm as it
// streams in (with a real byte progress bar) while topolab.js loads, starts the emscripten module
// on the full-window canvas, and exposes the test and page hooks as Module.topolab.state() /
// Module.topolab.command({...}). When the server sends the
// wasm gzip-compressed (Content-Length is then the compressed size), the uncompressed size comes
// from build.json, written next to the module when the site is assembled (cmake/stamp_site.cmake).
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  // Start-up marks, milliseconds since navigation start (topolabPage.timings; docs/performance.md
  // "First frame"): when each step of loading the module finished.
  const mark = (name) => {
    const t = window.topolabPage && window.topolabPage.timings;
    if (t && !t[name]) t[name] = performance.now();
    if (performance.mark) performance.mark('topolab:' + name);   // seen in a browser trace
  };
  mark('loader_ms');

  function problem(text) {
    $('loading').classList.add('hidden');
    $('problem-text').textContent = text;
    $('problem').classList.remove('hidden');
  }

  if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
    problem(t('This browser has no WebAssembly support (or it is switched off).'));
    return;
  }

  // Fetched alongside the wasm; tiny, so it is normally back before the first wasm bytes.
  let buildInfo = null;
  fetch('build.json', { cache: 'no-cache' }).then((r) => (r.ok ? r.json() : null))
    .then((j) => { buildInfo = j; }, () => { buildInfo = null; });

  // The UI font (about 100 KB; gzip-compressed by the server when it can) is not in the module:
  // it downloads alongside and is written to /fonts in the module's file system before main()
  // runs (a run dependency holds main back until then). Without it the lab starts in ImGui's
  // own font.
  const fontBytes = fetch('ui-font.ttf').then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error('HTTP ' + r.status))))
    .then((b) => new Uint8Array(b), (e) => { console.warn('topolab: ui-font.ttf could not be downloaded:', e.message); return null; });
  function installFont() {
    Module.addRunDependency('ui-font');
    fontBytes.then((bytes) => {
      if (bytes) {
        try { Module.FS.mkdir('/fonts'); } catch (e) { /* already there */ }
        Module.FS.writeFile('/fonts/ui-font.ttf', bytes);
      }
      mark('font_ms');
    }).finally(() => Module.removeRunDependency('ui-font'));
  }

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
    mark('wasm_response_ms');
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
      flush() { mark('wasm_downloaded_ms'); },
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
        mark('instantiated_ms');
        $('loading-text').textContent = t('Starting…');
        receive(r.instance, r.module);
      })
      .catch((e) => problem(t('Could not download the lab:') + ' ' + e.message));
    return {};   // the exports arrive later, through receive()
  }

  // WebGL2, checked once the downloads are under way and, when the lesson list comes quickly,
  // after the catalogue has been painted: the first context of a page starts the browser's GPU
  // side, which blocks this thread for 50-150 ms in software rendering, and the catalogue is
  // what the learner looks at first. The check creates the lab's own context, on its canvas, with
  // the attributes the module asks for (core/app/web_platform.cpp): the module then gets this
  // context back instead of creating a second one. main() waits for it (a run dependency).
  const canvas = $('canvas');
  const webglChecked = new Promise((resolve) => {
    const check = () => {
      // The drawing buffer is made at the size the lab will use (its CSS size times the pixel
      // ratio, as web_platform.cpp's fit_canvas computes it): resizing it later, in main(), made
      // the GPU process reallocate it while main() waited (about 80 ms in software rendering).
      const box = canvas.getBoundingClientRect();
      const ratio = window.devicePixelRatio || 1;
      if (box.width > 0 && box.height > 0) {
        canvas.width = Math.round(box.width * ratio);
        canvas.height = Math.round(box.height * ratio);
      }
      const webglOk = !!canvas.getContext('webgl2', { alpha: false, depth: false, stencil: false, antialias: false });
      mark('webgl_ms');
      if (!webglOk) problem(t('This browser cannot create a WebGL2 context (WebGL may be switched off or blocked for this graphics card).'));
      resolve(webglOk);
    };
    const soon = new Promise((r) => setTimeout(r, 200));
    Promise.race([window.topolabIndexRequest || null, soon])
      .then(() => requestAnimationFrame(() => setTimeout(check, 0)));
  });
  function waitForWebGL() {
    Module.addRunDependency('webgl');
    // Without WebGL2 the dependency stays: main() never runs, the problem card says why.
    webglChecked.then((ok) => { if (ok) Module.removeRunDependency('webgl'); });
  }
  window.Module = {
    canvas,
    print: (t) => console.log(t),
    printErr: (t) => console.warn(t),
    onAbort: (what) => problem(t('The lab stopped with an error:') + ' ' + what),
    preRun: [installFont, waitForWebGL],
    onRuntimeInitialized() {
      mark('runtime_ms');
      Module.topolab = {
        state: () => JSON.parse(Module.ccall('topolab_state', 'string', [], [])),
        command: (cmd) => JSON.parse(Module.ccall('topolab_command', 'string', ['string'],
          [typeof cmd === 'string' ? cmd : JSON.stringify(cmd)])),
      };
      $('loading').classList.add('hidden');
      // The catalogue may be open already (shown while the module loaded): leave the focus there.
      if (!document.activeElement || document.activeElement === document.body) canvas.focus();
      window.dispatchEvent(new Event('topolab-ready'));
    },
  };

  Module.instantiateWasm = instantiateWasm;
  $('loading-text').textContent = t('Downloading the lab…');
  const script = document.createElement('script');
  script.src = 'topolab.js';
  script.onload = () => mark('js_loaded_ms');
  script.onerror = () => problem(t('Could not load topolab.js from the server.'));
  document.body.appendChild(script);
})();
