// Deep links and shared links. A link names what to open and, for a shared moment, how to
// rebuild the exact world a student saw (the world is a pure function of scenario or lesson,
// seed and command log):
//   ?lesson=ID&step=N            a bundled lesson at a step (1-based)
//   ?lesson_url=URL&step=N       a teacher-hosted lesson file (same origin or CORS)
//   ?scenario=NAME               a built-in scenario (free play)
//   &seed=N                      the world's seed
//   #at=T                        the shared moment: simulated microseconds to run to
//   #log=z.<base64url>           the command log (state().share.log), deflate-raw compressed
//   #log=t.<base64url>           the same, uncompressed (browsers without CompressionStream)
// The log goes in the fragment so it never reaches the server (and has no length limit there).
'use strict';
window.TopolabLinks = (function () {
  function b64urlFromBytes(bytes) {
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  function bytesFromB64url(s) {
    const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4);
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  async function pipe(bytes, stream) {
    const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
    return new Uint8Array(await out.arrayBuffer());
  }

  /// The command log text -> the fragment value (without "log=").
  async function encodeLog(text) {
    const bytes = new TextEncoder().encode(text);
    if (typeof CompressionStream === 'function') {
      try { return 'z.' + b64urlFromBytes(await pipe(bytes, new CompressionStream('deflate-raw'))); } catch (e) { /* fall through */ }
    }
    return 't.' + b64urlFromBytes(bytes);
  }
  /// The fragment value -> the command log text; throws with a readable message when damaged.
  async function decodeLog(value) {
    const kind = value.slice(0, 2), body = value.slice(2);
    let bytes;
    try { bytes = bytesFromB64url(body); } catch (e) { throw new Error('the command log in the link is damaged (not base64url)'); }
    if (kind === 't.') return new TextDecoder().decode(bytes);
    if (kind === 'z.') {
      if (typeof DecompressionStream !== 'function') throw new Error('this browser cannot read compressed links (no DecompressionStream)');
      try { return new TextDecoder().decode(await pipe(bytes, new DecompressionStream('deflate-raw'))); } catch (e) {
        throw new Error('the command log in the link is damaged (cannot decompress it)');
      }
    }
    throw new Error('the command log in the link has an unknown format');
  }

  function intParam(p, name) {
    const v = p.get(name);
    if (v === null || v === '') return null;
    return /^\d+$/.test(v) ? Number(v) : NaN;
  }

  /// Reads a location (or URL string) -> {lesson, lesson_url, scenario, step, seed, at, log_encoded,
  /// any}. `step`/`seed`/`at` are null when absent and NaN when not a whole number.
  function parse(loc) {
    const u = new URL(typeof loc === 'string' ? loc : loc.href);
    const p = u.searchParams;
    const frag = new URLSearchParams(u.hash.replace(/^#/, ''));
    const out = {
      lesson: p.get('lesson') || null,
      lesson_url: p.get('lesson_url') || null,
      scenario: p.get('scenario') || null,
      step: intParam(p, 'step'),
      seed: intParam(p, 'seed'),
      at: intParam(frag, 'at'),
      log_encoded: frag.get('log') || null,
      // Scenario parameters, as the desktop's links carry them: set=KEY=VALUE (repeatable).
      params: p.getAll('set').filter((kv) => /^[^=\s]+=\S*$/.test(kv)).join(' '),
    };
    out.any = !!(out.lesson || out.lesson_url || out.scenario || out.log_encoded);
    out.shared = out.log_encoded !== null;
    return out;
  }

  /// Builds a link on `base` (the page's URL without query) from
  /// {lesson, lesson_url, scenario, step, seed, params ("k=v k2=v2"), at, log}; `log` is plain
  /// text and gets encoded.
  /// A shared moment names its scenario even for a lesson (the replay rebuilds that world).
  async function build(base, what) {
    const u = new URL(base);
    u.search = '';
    u.hash = '';
    if (what.lesson) u.searchParams.set('lesson', what.lesson);
    else if (what.lesson_url) u.searchParams.set('lesson_url', what.lesson_url);
    if (what.scenario) u.searchParams.set('scenario', what.scenario);
    if (what.step != null) u.searchParams.set('step', String(what.step));
    if (what.seed != null) u.searchParams.set('seed', String(what.seed));
    for (const kv of (what.params || '').split(/\s+/).filter(Boolean)) u.searchParams.append('set', kv);
    const frag = [];
    if (what.at != null) frag.push('at=' + what.at);
    if (what.log != null) frag.push('log=' + (await encodeLog(what.log)));
    u.hash = frag.join('&');
    return u.href;
  }

  return { parse, build, encodeLog, decodeLog };
})();
