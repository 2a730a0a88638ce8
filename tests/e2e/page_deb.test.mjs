// The desktop package: the .deb from scripts/package unpacks into a temporary root (dpkg -x), holds
// the app, the CLI and the lessons under usr/share/topolab/lessons, and its own CLI validates every
// bundled lesson (`topolab-cli check`). The .tar.gz holds the same files. Skips when dist/ has no
// package (run scripts/package desktop).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from './browser.mjs';

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
        'usr/share/applications/topolab.desktop']) {
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
  });
