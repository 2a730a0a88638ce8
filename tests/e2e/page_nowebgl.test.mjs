// A browser without WebGL2 (switched off, or a blocked graphics card): the page says so in its
// problem card (role=alert), names what is missing, and the lab's main() never runs. The WebGL2
// check runs after the catalogue is painted (web/js/loader.js, issue 21), so this also proves the
// deferred check still stops the lab: the module downloads, but waits for the check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newPage, shot, siteSuite } from './page_util.mjs';

const env = siteSuite();
const { skip } = env;

test('without WebGL2 the page says why, and the lab does not start', { skip }, async () => {
  const { context, page } = await newPage(env.browser);
  await page.addInitScript(() => {
    const real = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
      return kind === 'webgl2' ? null : real.call(this, kind, ...rest);
    };
  });
  await page.goto(env.lab.url);
  await page.waitForSelector('#problem:not(.hidden)', { timeout: 30000 });
  assert.match(await page.textContent('#problem-text'), /cannot create a WebGL2 context/);
  assert.equal(await page.getAttribute('#problem', 'role'), 'alert');
  // The module may download and initialise meanwhile, but main() waits for the check: no frame.
  await page.waitForTimeout(1500);
  const timings = await page.evaluate(() => window.topolabPage.timings);
  assert.ok(timings.webgl_ms > 0, 'the check ran');
  assert.ok(!timings.main_ms && !timings.first_frame_drawn_ms, `main() did not run: ${JSON.stringify(timings)}`);
  await shot(page, 'page-no-webgl.png');
  await context.close();
});
