// The page's layout and keyboard use: the canvas fills the window at the device pixel ratio and
// follows resizes; the catalogue works with Tab/Enter (keys in the page's own controls do not
// reach the lab), Escape goes back to the lab; the lab buttons have accessible names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newPage, gotoPage, labState, visible, shot, frames, siteSuite } from './page_util.mjs';

const env = siteSuite();
const { skip } = env;

const canvasSize = (page) => page.evaluate(() => {
  const c = document.getElementById('canvas');
  return { w: c.width, h: c.height, cssW: c.clientWidth, cssH: c.clientHeight, dpr: devicePixelRatio };
});

test('the canvas fills the window at the device pixel ratio and follows resizes', { skip }, async () => {
  const { context, page, errors } = await newPage(env.browser, { deviceScaleFactor: 2 });
  await gotoPage(page, env.lab.url + '?scenario=ping');
  let c = await canvasSize(page);
  assert.deepEqual(c, { w: 2560, h: 1600, cssW: 1280, cssH: 800, dpr: 2 });
  await page.setViewportSize({ width: 900, height: 600 });
  await page.waitForFunction(() => document.getElementById('canvas').width === 1800, null, { timeout: 10000 });
  await frames(page, 3);
  c = await canvasSize(page);
  assert.deepEqual(c, { w: 1800, h: 1200, cssW: 900, cssH: 600, dpr: 2 });
  await shot(page, 'page-hidpi-900x600.png');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the catalogue works with the keyboard; Escape returns to the lab; buttons are named', { skip }, async () => {
  const { context, page } = await newPage(env.browser);
  await gotoPage(page, env.lab.url);
  assert.ok(await visible(page, '#catalogue'));
  const before = (await labState(page)).playing;
  // Tab moves between the catalogue's buttons; Space there must not reach the lab (play/pause).
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.tagName);
  assert.equal(focused, 'BUTTON');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  assert.equal((await labState(page)).playing, before, 'keys in the catalogue do not toggle the lab');
  // "Free play" with the keyboard, back with the Lessons button, then Escape.
  await page.focus('#cat-sandbox');
  await page.keyboard.press('Enter');
  assert.ok(!(await visible(page, '#catalogue')));
  assert.equal(await page.evaluate(() => document.activeElement.id), 'canvas', 'the lab has the keyboard');
  await page.click('#btn-lessons');
  assert.ok(await visible(page, '#catalogue'));
  assert.ok(await visible(page, '#cat-close'), '"Back to the lab" is offered');
  await page.keyboard.press('Escape');
  assert.ok(!(await visible(page, '#catalogue')));
  const names = await page.$$eval('#topbar button', (bs) => bs.map((b) => b.textContent.trim()));
  assert.deepEqual(names, ['Lessons', 'Open lesson file…', 'Share this moment', 'Reset progress', 'Record a lesson']);
  await context.close();
});
