// A student does lesson 01 from its first step to its end with the keyboard alone, finding every
// control by its role and name as a screen reader does (getByRole, getByText), never through
// Module.topolab: reads the step text, answers the predicts and the quiz, does the tasks from the
// machine list, and finishes (issue 16).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteSuite, newPage, gotoPage, shot, tabTo, press } from './page_util.mjs';

const env = siteSuite();
const skip = env.skip;
const LESSON01 = '01-one-system-many-computers';

test('lesson 01 from start to end with the keyboard alone, found by role and text', { skip, timeout: 600000 }, async () => {
  const { context, page, errors } = await newPage(env.browser);
  await gotoPage(page, env.lab.url + '?lesson=' + LESSON01);
  const panel = page.getByRole('complementary', { name: 'One system, many computers' });
  await panel.waitFor({ timeout: 30000 });
  const steps = panel.getByRole('navigation', { name: 'Lesson steps' });
  const next = steps.getByRole('button', { name: /^(Next|Finish)$/ });
  const stepTitle = (name) => panel.getByRole('heading', { level: 2, name });

  // The lab runs in slow motion at half speed: from the canvas (F6 moves there and back), M turns
  // slow motion off and "=" speeds the clock up, as the Help menu says.
  await stepTitle('What the clients see').waitFor();
  await page.keyboard.press('F6');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'canvas');
  await page.keyboard.press('m');
  for (let i = 0; i < 3; i++) await page.keyboard.press('Equal');
  await page.keyboard.press('F6');
  assert.ok(await stepTitle('What the clients see').evaluate((e) => e === document.activeElement), 'F6 brings the keyboard back to the step');

  // Step 1: the step's text is there as text a screen reader reads.
  await panel.getByText('To them the store is').waitFor();
  assert.ok(await panel.getByText('Step 1 of 7').isVisible());
  await press(page, next);
  // Step 2: a goal that completes by itself.
  await stepTitle('Behind the curtain: five computers').waitFor();
  await press(page, next);
  // Step 3: the predict's choices are buttons.
  await stepTitle('One computer fails').waitFor();
  await press(page, panel.getByRole('button', { name: 'Nothing: they keep getting answers.' }));
  await panel.getByText('your prediction').waitFor();
  await press(page, next);
  // Step 4: the task, done from the machine list.
  await stepTitle('Your turn: crash another one').waitFor();
  await press(page, panel.getByRole('button', { name: 'Crash n2' }));
  await panel.getByRole('button', { name: 'Restart n2' }).waitFor();
  await press(page, next);
  // Step 5: the quiz is a radio group: Tab into it, arrows choose, then "Check answer".
  await stepTitle('How many can fail?').waitFor();
  const group = panel.getByRole('group', { name: /How many of the five servers/ });
  const first = group.getByRole('radio').first();
  await tabTo(page, first);
  await page.keyboard.press('Space');
  assert.ok(await group.getByRole('radio', { name: /^2: the other 3/ }).isChecked(), 'the first radio is "2: ..."');
  await press(page, panel.getByRole('button', { name: 'Check answer' }));
  await panel.getByText('Right.', { exact: false }).first().waitFor();
  await press(page, next);
  // Step 6: a second predict.
  await stepTitle('One too many').waitFor();
  await press(page, panel.getByRole('button', { name: 'Their requests stop being answered.' }));
  await press(page, next);
  // Step 7: restart the three crashed servers from the machine list, then finish.
  await stepTitle('Repair').waitFor();
  for (const n of ['n1', 'n2', 'n4']) await press(page, panel.getByRole('button', { name: 'Restart ' + n }));
  await press(page, next);
  await panel.getByRole('heading', { name: 'Lesson complete. Well done!' }).waitFor();
  assert.ok(await panel.getByText('All 7 steps done').isVisible());
  await shot(page, 'a11y-lesson01-complete.png');
  assert.deepEqual(errors, []);
  await context.close();
});
