// The learner's saved progress in localStorage: per lesson the runner's opaque progress blob
// (state().progress, given back with ui.restore_progress) and a small summary for the catalogue
// (step, steps, steps done, complete), plus which lesson was open last. Every call survives a
// browser with storage switched off (private mode, blocked cookies): it then keeps nothing.
'use strict';
window.TopolabStore = (function () {
  const PREFIX = 'topolab:';
  const mem = new Map();   // fallback when localStorage throws
  function get(key) {
    try { return window.localStorage.getItem(PREFIX + key); } catch (e) { return mem.has(key) ? mem.get(key) : null; }
  }
  function set(key, value) {
    try { window.localStorage.setItem(PREFIX + key, value); } catch (e) { mem.set(key, value); }
  }
  function remove(key) {
    try { window.localStorage.removeItem(PREFIX + key); } catch (e) { /* storage off */ }
    mem.delete(key);
  }
  function getJson(key) {
    const t = get(key);
    if (!t) return null;
    try { return JSON.parse(t); } catch (e) { return null; }
  }
  function keys() {
    const out = new Set(mem.keys());
    try {
      for (let i = 0; i < window.localStorage.length; i++) {
        const k = window.localStorage.key(i);
        if (k && k.startsWith(PREFIX)) out.add(k.slice(PREFIX.length));
      }
    } catch (e) { /* storage off */ }
    return [...out];
  }

  return {
    /// The runner's progress blob for lesson `id`, or null.
    progress: (id) => get('progress:' + id),
    /// The catalogue summary for lesson `id`: {step, steps, done, complete, title, at} or null.
    summary: (id) => getJson('summary:' + id),
    /// Saves lesson `id`'s blob and summary; returns true when something changed.
    save(id, blob, summary) {
      let changed = false;
      if (typeof blob === 'string' && blob && get('progress:' + id) !== blob) { set('progress:' + id, blob); changed = true; }
      const s = JSON.stringify(summary);
      const old = getJson('summary:' + id);
      if (!old || JSON.stringify(Object.assign({}, old, { at: 0 })) !== JSON.stringify(Object.assign({}, summary, { at: 0 }))) {
        set('summary:' + id, s);
        changed = true;
      }
      return changed;
    },
    /// The last lesson open: {kind: 'bundled'|'url'|'file', id, url, title, step} or null.
    last: () => getJson('last'),
    setLast: (v) => set('last', JSON.stringify(v)),
    /// Forgets lesson `id` (blob and summary); the "last lesson" stays.
    reset(id) { remove('progress:' + id); remove('summary:' + id); },
    /// Forgets everything this page saved.
    resetAll() { for (const k of keys()) remove(k); },
  };
})();
