// Browser end-to-end through the UI itself: open a Raft cluster, find the leader through the
// state hook, right-click it and pick "Crash" from the context menu with the mouse, see a new
// leader with a higher term in state() and in the screenshot; isolate a node and heal through
// the menu; play/pause with the keyboard, single-step, rewind.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startLab, openLab, state, command, screenshot, drawnNode } from './browser.mjs';

let lab;
before(async () => { lab = await startLab(); });
after(async () => { await lab?.close(); });

const leaders = (s) => s.nodes.filter((n) => n.p_role === 'leader' && n.status === 'up');

async function waitFor(page, pred, what, ms = 20000) {
  const t0 = Date.now();
  for (;;) {
    const s = await state(page);
    if (pred(s)) return s;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}; last state time ${s.time_us}`);
    await page.waitForTimeout(100);
  }
}

async function clickMenu(page, node, label) {
  node = await drawnNode(page, node.name);
  await page.mouse.click(node.x, node.y, { button: 'right' });
  const s = await waitFor(page, (s) => s.menu.some((m) => m.label === label), `menu item ${label}`);
  const item = s.menu.find((m) => m.label === label);
  await page.mouse.click(item.x, item.y);
}

test('crash the Raft leader through its context menu; a new leader takes over', async () => {
  const { page, errors } = await openLab(lab);
  assert.equal((await command(page, { op: 'ui.scenario', name: 'raft-5', seed: 7 })).ok, true);
  await command(page, { op: 'ui.speed', value: 1 });
  const s0 = await waitFor(page, (s) => leaders(s).length === 1, 'a first leader');
  const old = leaders(s0)[0];
  await screenshot(page, 'raft-leader-elected.png');
  await command(page, { op: 'ui.pause' });
  await clickMenu(page, old, 'Crash');
  const s1 = await waitFor(page, (s) => s.nodes.find((n) => n.name === old.name).status === 'crashed', 'the crash');
  assert.ok(s1.commands >= 1, 'the crash went through the command log');
  await command(page, { op: 'ui.play' });
  const s2 = await waitFor(page, (s) => leaders(s).length === 1 && leaders(s)[0].name !== old.name, 'a new leader');
  const fresh = leaders(s2)[0];
  assert.ok(Number(fresh.p_term) > Number(old.p_term), `new term ${fresh.p_term} > old term ${old.p_term}`);
  await command(page, { op: 'ui.pause' });
  await screenshot(page, 'raft-new-leader.png');
  assert.deepEqual(errors, []);
  await page.close();
});

test('isolate a node and heal through the menu; keyboard play/pause; step; rewind', async () => {
  const { page, errors } = await openLab(lab);
  await command(page, { op: 'ui.scenario', name: 'raft-5', seed: 3 });
  await command(page, { op: 'ui.run_ms', value: 1000 });
  let s = await state(page);
  await clickMenu(page, s.nodes[1], 'Isolate (partition away)');
  s = await waitFor(page, (s) => s.commands === 1, 'the partition command');
  await screenshot(page, 'raft-partitioned.png');
  await clickMenu(page, s.nodes[1], 'Heal all partitions');
  await waitFor(page, (s) => s.commands === 2, 'the heal command');

  // Space toggles play/pause.
  const before = (await state(page)).playing;
  await page.mouse.click(5, 400);   // focus the canvas area without hitting a node
  await page.keyboard.press('Space');
  await waitFor(page, (s) => s.playing !== before, 'space to toggle play');

  // Step runs exactly one event.
  await command(page, { op: 'ui.pause' });
  const e0 = (await state(page)).events;
  assert.equal((await command(page, { op: 'ui.step' })).ok, true);
  assert.equal((await state(page)).events, e0 + 1);

  // Rewind to an earlier time and run back gives the same trace as the straight run.
  await command(page, { op: 'ui.run_ms', value: 10 });
  const t = (await state(page)).time_us;
  const hash = (await state(page)).trace_hash;
  assert.equal((await command(page, { op: 'ui.rewind_ms', value: 500 })).ok, true);
  assert.equal((await state(page)).time_us, 500000);
  await command(page, { op: 'ui.run_ms', value: (t - 500000) / 1000 });
  const back = await state(page);
  assert.equal(back.time_us, t);
  assert.equal(back.trace_hash, hash);
  assert.deepEqual(errors, []);
  await page.close();
});
