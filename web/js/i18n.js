// The page's words in the student's language: the same gettext catalogues the lab reads
// (assets/po/LANG.po, compiled to locale/LANG.mo next to the page), read here for the page's own
// HTML and JavaScript. t('...') and tn(singular, plural, n) are what scripts/i18n extracts;
// elements marked data-i18n (their text) and data-i18n-attr="title,aria-label" (those
// attributes) in index.html are translated in place. The language: ?lang=CODE, else the one
// chosen last (localStorage), else the browser's languages, else English; <html lang> follows.
'use strict';
window.TopolabI18n = (function () {
  const KEY = 'topolab:lang';
  let lang = 'en';
  let messages = new Map();
  let plural = (n) => (n !== 1 ? 1 : 0);
  let languages = [{ code: 'en', name: 'English' }];
  const listeners = [];

  /// A gettext .mo file -> Map(msgid -> [forms]) and its header.
  function parseMo(buf) {
    const dv = new DataView(buf);
    const magic = dv.getUint32(0, true);
    const le = magic === 0x950412de;
    if (!le && dv.getUint32(0, false) !== 0x950412de) throw new Error('not a .mo file');
    const u32 = (o) => dv.getUint32(o, le);
    const n = u32(8), origAt = u32(12), transAt = u32(16);
    const dec = new TextDecoder('utf-8');
    const str = (len, off) => dec.decode(new Uint8Array(buf, off, len));
    const out = new Map();
    let header = '';
    for (let i = 0; i < n; i++) {
      const id = str(u32(origAt + 8 * i), u32(origAt + 8 * i + 4));
      const tr = str(u32(transAt + 8 * i), u32(transAt + 8 * i + 4));
      if (id === '') { header = tr; continue; }
      out.set(id.split('\0')[0], tr.split('\0'));
    }
    return { messages: out, header };
  }

  /// Plural-Forms' C expression, allowed only when it is made of n, digits and operators.
  function pluralFrom(header) {
    const m = /plural\s*=\s*([^;\n]+)/.exec(header || '');
    if (!m || !/^[n0-9\s()?:<>=!&|%+\-*/]+$/.test(m[1])) return (n) => (n !== 1 ? 1 : 0);
    try {
      const f = new Function('n', 'return +(' + m[1] + ');');   // eslint-disable-line no-new-func
      f(1);
      return f;
    } catch (e) { return (n) => (n !== 1 ? 1 : 0); }
  }

  function t(s) {
    const v = messages.get(s);
    return v && v[0] ? v[0] : s;
  }
  function tn(s, p, n) {
    const v = messages.get(s);
    const i = plural(n);
    return v && v[i] ? v[i] : (n === 1 ? s : p);
  }
  /// printf-style placeholders (%s, %d, %zu, %2$s) filled with args, as the C++ side does.
  function fmt(s, ...args) {
    let i = 0;
    return String(s).replace(/%(?:(\d+)\$)?[-+ #0]*\d*(?:\.\d+)?(?:ll|l|z)?([diusf%])/g,
      (m, pos, c) => (c === '%' ? '%' : String(args[pos ? Number(pos) - 1 : i++])));
  }

  /// Translates the marked elements of `root` (their English is kept in data-i18n-src*).
  function apply(root) {
    const scope = root || document;
    for (const e of scope.querySelectorAll('[data-i18n]')) {
      if (e.dataset.i18nSrc === undefined) e.dataset.i18nSrc = e.textContent.trim().replace(/\s+/g, ' ');
      e.textContent = t(e.dataset.i18nSrc);
    }
    for (const e of scope.querySelectorAll('[data-i18n-attr]')) {
      for (const a of e.getAttribute('data-i18n-attr').split(',').map((x) => x.trim()).filter(Boolean)) {
        const k = 'i18nSrc' + a.replace(/(^|-)(\w)/g, (m, d, c) => c.toUpperCase());
        if (e.dataset[k] === undefined && e.hasAttribute(a)) e.dataset[k] = e.getAttribute(a);
        if (e.dataset[k] !== undefined) e.setAttribute(a, t(e.dataset[k]));
      }
    }
    document.documentElement.lang = lang === 'qps' ? 'en-XA' : lang;
  }

  function stored() { try { return window.localStorage.getItem(KEY); } catch (e) { return null; } }
  function store(v) { try { window.localStorage.setItem(KEY, v); } catch (e) { /* storage off */ } }

  /// The language to start in (a code the site has, or 'en').
  function initial() {
    const have = (c) => languages.some((l) => l.code === c);
    const pick = (c) => {
      if (!c) return null;
      if (have(c)) return c;
      const two = String(c).slice(0, 2).toLowerCase();
      return have(two) ? two : null;
    };
    const q = new URLSearchParams(window.location.search).get('lang');
    return pick(q) || pick(stored()) || (navigator.languages || [navigator.language]).map(pick).find(Boolean) || 'en';
  }

  /// The .mo files downloaded so far, by code: the lab's module reads the same bytes (page.js
  /// writes them to /locale in its file system), so no language is downloaded twice.
  const catalogues = new Map();

  /// Switches to `code`: loads its catalogue, translates the page, tells listeners (the
  /// catalogue re-renders, the lab switches too). Resolves to the code in use.
  async function set(code, { remember = true } = {}) {
    if (code === 'en') {
      messages = new Map();
      plural = (n) => (n !== 1 ? 1 : 0);
      lang = 'en';
    } else {
      try {
        const r = await fetch('locale/' + encodeURIComponent(code) + '.mo');
        if (!r.ok) throw new Error('HTTP ' + r.status);
        const buf = await r.arrayBuffer();
        const mo = parseMo(buf);
        catalogues.set(code, new Uint8Array(buf));
        messages = mo.messages;
        plural = pluralFrom(mo.header);
        lang = code;
      } catch (e) {
        console.warn('topolab: language ' + code + ' could not be loaded (' + e.message + '); staying in ' + lang);
        return lang;
      }
    }
    if (remember && code !== 'qps') store(lang);
    apply();
    for (const f of listeners) f(lang);
    return lang;
  }

  const ready = fetch('locale/languages.json')
    .then((r) => (r.ok ? r.json() : []), () => [])
    .then((list) => {
      if (Array.isArray(list)) for (const l of list) if (l && l.code && !languages.some((x) => x.code === l.code)) languages.push(l);
      const code = initial();
      return code === 'en' ? (apply(), 'en') : set(code, { remember: false });
    });

  return {
    t, tn, fmt, apply, set, ready, parseMo,
    language: () => lang,
    /// The downloaded catalogue of `code` (bytes of its .mo), or undefined.
    catalogue: (code) => catalogues.get(code),
    /// The languages the site has ({code, name}); the pseudo-locale only when it is in use.
    languages: () => languages.filter((l) => l.code !== 'qps' || lang === 'qps'),
    onChange: (f) => listeners.push(f),
  };
})();
// The names page scripts use (and scripts/i18n extracts).
window.t = window.TopolabI18n.t;
window.tn = window.TopolabI18n.tn;
