// The desktop package: the .deb from scripts/package unpacks into a temporary root (dpkg -x), holds
// the app, the CLI and the lessons under usr/share/topolab/lessons, its own CLI validates every
// bundled lesson (`topolab-cli check`), and its app starts (Xvfb, a fresh HOME) on the catalogue of
// the package's own lessons. The .tar.gz holds the same files and its app, unpacked anywhere, finds
// the lessons beside it. Skips when dist/ has no package (run scripts/package desktop).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from './browser.mjs';

/// Runs the desktop app for a few frames under Xvfb with a fresh HOME in `tmp`; returns its state.
function startApp(app, tmp) {
  const home = fs.mkdtempSync(path.join(tmp, 'home-'));
  const state = path.join(home, 'state.json');
  const env = { ...process.env, HOME: home, XDG_DATA_HOME: '' };
  delete env.TOPOLAB_LESSONS;
  const r = spawnSync('xvfb-run', ['-a', '-s', '-screen 0 1280x800x24', app, '--frames', '5', '--state', state],
    { encoding: 'utf8', env, timeout: 60000 });
  assert.equal(r.status, 0, `${app} did not start:\n${r.stdout}${r.stderr}`);
  return JSON.parse(fs.readFileSync(state, 'utf8'));
}

const dist = path.resolve(process.env.TOPOLAB_DIST || path.join(root, 'dist'));
const find = (re) => (fs.existsSync(dist) ? fs.readdirSync(dist).filter((f) => re.test(f)).map((f) => path.join(dist, f)) : []);
const debs = find(/^topolab_.*\.deb$/);
const tgzs = find(/^topolab-.*-linux-.*\.tar\.gz$/);

test('the .deb installs into a temporary root and its CLI validates the bundled lessons',
  { skip: debs.length ? false : `no dist/topolab_*.deb: run scripts/package desktop` }, () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'topolab-deb-'));
    try {
      execFileSync('dpkg', ['-x', debs[0], tmp]);
      const info = execFileSync('dpkg-deb', ['--field', debs[0], 'Package', 'Version', 'Depends']).toString();
      assert.match(info, /Package: topolab/);
      for (const f of ['usr/bin/topolab', 'usr/bin/topolab-cli', 'usr/share/topolab/lessons/index.json',
        'usr/share/applications/topolab.desktop', 'usr/share/doc/topolab/classroom.md']) {
        assert.ok(fs.existsSync(path.join(tmp, f)), `${f} is in the package`);
      }
      const dir = path.join(tmp, 'usr/share/topolab/lessons');
      const lessons = fs.readdirSync(dir).filter((f) => f.endsWith('.toml')).map((f) => path.join(dir, f));
      assert.ok(lessons.length >= 1, 'the package has lessons');
      const cli = path.join(tmp, 'usr/bin/topolab-cli');
      assert.match(execFileSync(cli, ['--version']).toString(), /^topolab-cli /);
      const r = spawnSync(cli, ['check', ...lessons], { encoding: 'utf8' });
      assert.equal(r.status, 0, `topolab-cli check failed:\n${r.stdout}${r.stderr}`);
      assert.match(r.stdout, new RegExp(`${lessons.length} lesson file\\(s\\) valid`));  // check reports on stdout
      // The index in the package lists exactly the lessons in it.
      const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8'));
      assert.deepEqual(index.map((l) => l.file).sort(), lessons.map((f) => path.basename(f)).sort());
      // The installed app starts (a new user, no display but Xvfb) on its catalogue, with the
      // package's own lessons.
      const s = startApp(path.join(tmp, 'usr/bin/topolab'), tmp);
      assert.equal(s.catalogue.shown, true);
      assert.equal(s.catalogue.bundled_dir, dir);
      assert.equal(s.catalogue.lessons.filter((l) => l.source === 'bundled' && !l.error).length, lessons.length);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

test('the .tar.gz holds the app, the CLI and the lessons',
  { skip: tgzs.length ? false : `no dist/topolab-*-linux-*.tar.gz: run scripts/package desktop` }, () => {
    const list = execFileSync('tar', ['-tzf', tgzs[0]]).toString().split('\n');
    for (const f of ['bin/topolab', 'bin/topolab-cli', 'share/topolab/lessons/index.json']) {
      assert.ok(list.some((l) => l.endsWith('/' + f)), `${f} is in the archive`);
    }
    // Unpacked anywhere, the app finds the lessons beside it.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'topolab-tgz-'));
    try {
      execFileSync('tar', ['-xzf', tgzs[0], '-C', tmp]);
      const app = list.find((l) => l.endsWith('/bin/topolab'));
      const s = startApp(path.join(tmp, app), tmp);
      assert.equal(s.catalogue.bundled_dir, path.join(tmp, path.dirname(path.dirname(app)), 'share/topolab/lessons'));
      assert.ok(s.catalogue.lessons.filter((l) => l.source === 'bundled' && !l.error).length >= 16);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
