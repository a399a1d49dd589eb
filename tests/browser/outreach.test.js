// tests/browser/outreach.test.js - the Outreach page of `crest serve` (issue 7) in Debian's
// headless Chromium, on the demo workspace: the template editor's live preview (a creator's
// fields filled in, an unfilled variable named by the lint, HTML escaping of a name), saving a
// template, the pipeline board of a campaign, a creator's timeline, a state change and a note
// from the page (checked in the store through the CLI), and the page at 375 px without
// horizontal scrolling. Screenshots go to the artifacts directory.
//
// Usage: node outreach.test.js CREST_BINARY [ARTIFACTS_DIR]   (run.sh exits 77 when it cannot run)
'use strict';

const assert = require('node:assert/strict');
const path = require('node:path');

const h = require('./lib.js').harness('outreach');
const { check, crest, login } = h;

async function main() {
  // CR_BROWSER_DB: a PostgreSQL database from run.sh (browser.*.pg); else a SQLite file
  const db = process.env.CR_BROWSER_DB || path.join(h.work, 'outreach.db');
  crest(['--db', db, '-q', 'demo']); // templates, the launch sequence, a pipeline of prospects
  crest(['--db', db, 'user', 'add', 'lead@example.com', '--role', 'manager'], 'pass-lead-12345\n');
  const base = await h.startServer(db, ['--no-outreach']);

  const page = await h.launch({ width: 1280, height: 900 });
  const problems = [];
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => {
    // the 400 of the refused state change is logged by Chromium as a failed load
    if (m.type() === 'error' && !/status of (400)/.test(m.text()))
      problems.push('console: ' + m.text());
  });

  await login(page, base, 'lead@example.com', 'pass-lead-12345', true);
  await page.getByRole('link', { name: 'Outreach' }).click();
  await page.waitForSelector('#tpl-form');
  await page.waitForSelector('#pv-ok, #pv-problems');

  // the campaign of the first pipeline card, and the creator the preview is for
  const cards = JSON.parse(crest(['--db', db, '--json', 'outreach', 'pipeline']));
  const list = Array.isArray(cards) ? cards : (cards.cards || cards.pipeline || []);
  assert.ok(list.length > 0, 'the demo has a pipeline');
  const camp = list[0].campaign_id;
  await page.selectOption('#or-campaign', String(camp));
  await page.waitForSelector('#or-board .board-col[data-state="prospect"] li');
  await page.waitForFunction(() => document.querySelector('#tpl-creator').options.length > 0);
  const who = await page.$eval('#tpl-creator', (s) => s.options[s.selectedIndex].textContent);
  const name = who.split(' – ')[1] || '';
  const first = name.split(' ')[0];

  // the live preview: the creator's first name filled in, then a variable that does not exist
  await page.fill('#tpl-subject', 'A note for {{creator.first_name}}');
  await page.fill('#tpl-text', 'Hi {{creator.first_name}},\nabout {{campaign.name}} and {{post.nowhere}}.');
  await page.waitForSelector('#pv-problems');
  await check('lint names the unfilled variable', async () =>
    assert.match(await page.textContent('#pv-problems'), /text 2:\d+: \{\{post\.nowhere\}\} is missing/));
  await check('preview filled with the creator', async () => {
    assert.equal(await page.textContent('#pv-subject'), 'A note for ' + first);
    assert.match(await page.textContent('#pv-text'), new RegExp('^Hi ' + first + ',\\nabout .+ and \\.$'));
  });
  await page.screenshot({ path: path.join(h.ARTIFACTS, '20-outreach-lint.png'), fullPage: true });
  // the variable removed: the message could be sent; HTML in the text is escaped in the HTML part
  await page.fill('#tpl-text', 'Hi {{creator.first_name}} <b>&</b>');
  await page.waitForSelector('#pv-ok');
  await check('HTML part escaped', async () =>
    assert.match(await page.textContent('#pv-html'), /Hi .* &lt;b&gt;&amp;&lt;\/b&gt;/));

  // a new template, saved and listed by the CLI
  await page.selectOption('#tpl-pick', '');
  await page.fill('#tpl-name', 'browser-hello');
  await page.fill('#tpl-subject', 'Hello {{creator.first_name}}');
  await page.fill('#tpl-text', 'Hi {{creator.first_name}}, a quick hello.');
  await page.click('#tpl-form button[type=submit]');
  await page.waitForSelector('#tpl-saved .success');
  await check('template stored', () =>
    assert.match(crest(['--db', db, 'outreach', 'template', 'list']), /browser-hello/));

  // the pipeline board, then a creator's timeline from a card
  await check('board has every state', async () =>
    assert.equal(await page.$$eval('#or-board .board-col', (c) => c.length), 9));
  await page.screenshot({ path: path.join(h.ARTIFACTS, '21-outreach.png'), fullPage: true });
  const link = page.locator('#or-board .board-col[data-state="prospect"] li a').first();
  const handle = (await link.textContent()).replace(/^@/, '');
  await link.click();
  await page.waitForSelector('#timeline, #tl-partnerships');
  await check('timeline of the creator', async () =>
    assert.match(await page.textContent('h1'), new RegExp('@' + handle.replace(/\./g, '\\.'))));

  // move the partnership in that campaign to contacted, then add a note
  const form = page.locator('#tl-partnerships form[data-campaign="' + camp + '"]');
  await form.locator('select').selectOption('contacted');
  await form.getByRole('button', { name: 'Move' }).click();
  await page.waitForFunction(() => /: Contacted/.test((document.querySelector('#tl-partnerships') || {}).textContent || ''));
  await check('state change on the timeline', async () =>
    assert.match(await page.textContent('#timeline'), /state.*prospect -> contacted/));
  // a move backwards is refused with the server's reason
  const form2 = page.locator('#tl-partnerships form[data-campaign="' + camp + '"]');
  await form2.locator('select').selectOption('prospect');
  await form2.getByRole('button', { name: 'Move' }).click();
  await form2.locator('.error').waitFor();
  await check('backwards move refused', async () =>
    assert.match(await form2.locator('.error').textContent(), /cannot move from contacted to prospect/));
  await page.fill('#note-text', 'Spoke on the phone: send the brief');
  await page.click('#note-form button[type=submit]');
  await page.waitForFunction(() => /Spoke on the phone/.test((document.querySelector('#timeline') || {}).textContent || ''));
  h.checks++;
  await page.screenshot({ path: path.join(h.ARTIFACTS, '22-outreach-timeline.png'), fullPage: true });
  await check('the store has the state and the note', () => {
    const t = crest(['--db', db, 'outreach', 'timeline', '@' + handle]);
    assert.match(t, /contacted/);
    assert.match(t, /Spoke on the phone: send the brief/);
  });

  // 375 px: no horizontal scrolling of the page (the board scrolls inside itself)
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(base + '/#/outreach');
  await page.waitForSelector('#or-board');
  await check('fits 375 px', async () =>
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375),
      'the page is wider than 375 px'));
  await page.screenshot({ path: path.join(h.ARTIFACTS, '23-outreach-375.png'), fullPage: true });

  await check('no page errors', () => assert.deepEqual(problems, []));
}


h.run(main);
