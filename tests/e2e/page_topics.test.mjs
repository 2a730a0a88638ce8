// Topics: the catalogue's Topic picker lists the lessons' tags (translated) and shows only the
// lessons about the one picked, says how many in its status line, and a ?topic= link opens the
// catalogue already filtered (a teacher's "all the use cases" link); an unknown topic shows all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteDir, siteLessons, newPage, gotoPage, shot, siteSuite } from './page_util.mjs';

const site = siteDir();
const env = siteSuite();
const { skip } = env;

const cards = (page) => page.$$eval('#lesson-list li.lesson', (ls) => ls.map((l) => l.dataset.lesson));

test('the Topic picker filters the catalogue, by keyboard and by link', { skip }, async () => {
  const lessons = siteLessons(site);
  const about = (tag) => lessons.filter((l) => (l.tags || []).includes(tag)).map((l) => l.id);
  const useCases = about('use case');
  assert.ok(useCases.length >= 2 && useCases.length < lessons.length, 'the bundled lessons tag some use cases');

  const { context, page, errors } = await newPage(env.browser);
  await gotoPage(page, env.lab.url);
  await page.waitForSelector('#lesson-list li.lesson');
  assert.deepEqual(await cards(page), lessons.map((l) => l.id));
  const options = await page.$$eval('#cat-topic option', (os) => os.map((o) => o.value));
  assert.equal(options[0], '', 'first "All topics"');
  for (const l of lessons) for (const tag of l.tags || []) assert.ok(options.includes(tag), `topic ${tag} offered`);

  // Pick "use case" with the keyboard: only those lessons, and the status line says how many.
  await page.focus('#cat-topic');
  await page.selectOption('#cat-topic', 'use case');
  assert.deepEqual(await cards(page), useCases);
  assert.match(await page.textContent('#cat-status'), new RegExp(`^${useCases.length} lessons about “use case”`));
  await shot(page, 'page-topics.png');
  await page.selectOption('#cat-topic', '');
  assert.deepEqual(await cards(page), lessons.map((l) => l.id));
  await context.close();

  // A link with ?topic= opens the catalogue filtered; in Spanish the topics are translated.
  const es = await newPage(env.browser);
  await gotoPage(es.page, env.lab.url + '?topic=' + encodeURIComponent('fault tolerance') + '&lang=es');
  await es.page.waitForSelector('#lesson-list li.lesson');
  await es.page.waitForFunction(() => document.documentElement.lang === 'es');
  assert.equal(await es.page.$eval('#cat-topic', (s) => s.value), 'fault tolerance');
  assert.equal(await es.page.$eval('#cat-topic', (s) => s.selectedOptions[0].textContent), 'tolerancia a fallos');
  const shown = await cards(es.page);
  assert.ok(shown.length > 0 && shown.every((id) => about('fault tolerance').includes(id)), 'only lessons about fault tolerance');
  assert.match(await es.page.textContent('#cat-status'), /lecciones sobre «tolerancia a fallos»/);
  await es.context.close();

  // An unknown topic shows every lesson.
  const odd = await newPage(env.browser);
  await gotoPage(odd.page, env.lab.url + '?topic=knitting');
  await odd.page.waitForSelector('#lesson-list li.lesson');
  assert.equal((await cards(odd.page)).length, lessons.length);
  await odd.context.close();
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
});
