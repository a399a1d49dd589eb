// tests/browser/reviews.test.js - the partner review pages (web/reviews.js) in Debian's headless
// Chromium on the demo workspace: the cycles, the cohort's distribution and nine-box, the
// ratings preview of a reviewer, the review form with the evidence panel (a 2 without evidence
// refused with the server's message, then stored), a scorecard's trend arrows, a creator
// account's own page (released reviews unnamed, a self-assessment saved), and the signed link
// (a forged one refused). Screenshots go to the artifacts directory.
//
// Usage: node reviews.test.js CREST_BINARY [ARTIFACTS_DIR]   (run.sh exits 77 when it cannot run)
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const h = require('./lib.js').harness('reviews');
const { check, crest, login, logout, shot } = h;
const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 740 };

async function main() {
  // CR_BROWSER_DB: a PostgreSQL database from run.sh (browser.*.pg); else a SQLite file
  const db = process.env.CR_BROWSER_DB || path.join(h.work, 'reviews.db');
  crest(['--db', db, 'demo', '-q']);
  for (const role of ['reviewer', 'creator'])
    crest(['--db', db, 'user', 'add', role + '@example.com', '--role', role], 'pass-' + role + '-123\n');
  // the demo's partners; the creator account is the first one's, a new cycle has the second
  const demo = JSON.parse(crest(['--db', db, 'review', 'show', 'demo-2026-10', '--json']));
  const mine = demo.partners[0], other = demo.partners[1];
  const mineRef = mine.platform + '/' + mine.handle, otherRef = other.platform + '/' + other.handle;
  crest(['--db', db, 'review', 'account', 'creator@example.com', mineRef]);
  fs.writeFileSync(path.join(h.work, 'cycle.yaml'), 'name: browser-cycle\nperiod: 2026-11\npartners: [' + otherRef + ']\n');
  crest(['--db', db, 'review', 'start', path.join(h.work, 'cycle.yaml')]);
  const token = JSON.parse(crest(['--db', db, 'review', 'link', mineRef, '--json'])).token;
  const base = await h.startServer(db);

  const page = await h.launch(LAPTOP);
  const problems = [];
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => {
    // the refusals the pages expect (a score without evidence, a forged link) are logged as failed loads
    if (m.type() === 'error' && !/status of (400|401|403|422)/.test(m.text()))
      problems.push('console: ' + m.text());
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:'))
      problems.push('request outside crest serve: ' + r.url());
  });

  // a reviewer: the cycles, the cohort's distribution and nine-box
  await login(page, base, 'reviewer@example.com', 'pass-reviewer-123');
  await page.waitForSelector('#campaigns li.campaign');
  await page.getByRole('link', { name: 'Reviews' }).click();
  await page.waitForSelector('#cycles');
  const names = await page.$$eval('#cycles tbody tr td:first-child', (l) => l.map((x) => x.textContent));
  await check('the cycles', () => assert.deepEqual(names, ['demo-2026-08', 'demo-2026-09', 'demo-2026-10', 'browser-cycle']));
  await check('the distribution', async () => assert.match(await page.textContent('#distribution'), /1: \d+.*5: \d+/s));
  await check('the nine-box', async () => assert.equal(await page.$$eval('#ninebox tr', (l) => l.length), 8));
  await shot(page, 'r01-reviews');

  // the ratings preview: he reviewed no demo partner, so every review is hidden
  await page.getByRole('link', { name: 'demo-2026-10' }).click();
  await page.waitForSelector('section.partner');
  await check('preview hides the others', async () => {
    assert.equal(await page.$$eval('section.partner table', (l) => l.length), 0);
    assert.equal(await page.$$eval('.hidden-note', (l) => l.length), 8);
  });

  // the review form next to the evidence panel
  await page.goto(base + '/#/reviews/cycles/browser-cycle');
  await page.getByRole('link', { name: 'Write your review' }).click();
  await page.waitForSelector('#review-form');
  await page.waitForSelector('#evidence');
  await check('evidence panel', async () => {
    const t = await page.textContent('#evidence');
    assert.match(t, /Evidence: /);
    assert.match(t, /engagement rate/);
    assert.match(t, /95% interval/);
  });
  const criteria = await page.$$eval('#review-form fieldset legend', (l) => l.map((x) => x.textContent));
  await check('nine criteria with five anchors', async () => {
    assert.equal(criteria.length, 9);
    assert.equal(await page.$$eval('#review-form input[type=radio]', (l) => l.length), 45);
  });
  for (const c of criteria) await page.getByLabel(c + ' 4', { exact: true }).check();
  await page.getByLabel('Storytelling 2', { exact: true }).check();
  await page.getByRole('button', { name: 'Submit review' }).click();
  await page.waitForSelector('#form-msg .error');
  await check('a 2 without evidence is refused with the field', async () =>
    assert.match(await page.textContent('#form-msg'), /scores\.storytelling: a score of 2 needs evidence/));
  await shot(page, 'r02-review-form');
  await page.getByLabel('Storytelling evidence').fill('The hook came after the product shot in both reels.');
  await page.getByRole('button', { name: 'Submit review' }).click();
  await page.waitForSelector('section.partner');
  await check('the review is stored', async () =>
    assert.match(await page.textContent('section.partner'), /you reviewed this partner/));

  // a scorecard with its trend row
  await page.goto(base + '/#/reviews/creators/' + mine.creator_id);
  await page.waitForSelector('#scorecard');
  await check('scorecard', async () => {
    assert.equal(await page.$$eval('#scorecard tbody tr', (l) => l.length), 4);
    const arrows = await page.$$eval('#scorecard .arrow', (l) => l.map((x) => x.textContent));
    assert.equal(arrows.length, 5);
    for (const a of arrows) assert.match(a, /^[↑↓→·]$/);
  });
  await shot(page, 'r03-scorecard');
  await logout(page);

  // the calibration view, for the demo's admin: four reviewers with severities and errors
  await login(page, base, 'admin@demo.example', 'crest-demo-admin');
  await page.waitForSelector('#campaigns li.campaign');
  await page.goto(base + '/#/reviews/cycles/demo-2026-10');
  await page.waitForSelector('#severities tbody tr');
  await check('calibration view', async () => {
    const rows = await page.$$eval('#severities tbody tr', (l) => l.map((tr) => [...tr.children].map((td) => td.textContent)));
    assert.equal(rows.length, 4);
    for (const r of rows) assert.match(r[3], /^[+-]?[0-9.]+$/);
    assert.equal(await page.$$eval('#fair tbody tr', (l) => l.length), 8);
    assert.match(await page.textContent('#calibration'), /The design is connected/);
  });
  await shot(page, 'r05-calibration');
  await logout(page);

  // the creator account: only its own partnership; released cycles show unnamed reviews
  await login(page, base, 'creator@example.com', 'pass-creator-123');
  await page.waitForSelector('#refused');
  await page.getByRole('link', { name: 'Your partner reviews' }).click();
  await page.waitForSelector('section.cycle');
  await check('the creator sees his own partnership', async () => {
    assert.match(await page.textContent('h1'), new RegExp(mineRef.replace('.', '\\.')));
    const t = await page.textContent('#main');
    assert.ok(!t.includes(otherRef), 'another partner is shown');
    assert.ok(!t.includes('@demo.example'), 'a reviewer is named');
  });
  await check('released and unreleased cycles', async () => {
    assert.match(await page.textContent('section.cycle[data-cycle="demo-2026-08"]'), /Reviewer 1/);
    assert.match(await page.textContent('section.cycle[data-cycle="demo-2026-10"]'), /not released yet/);
  });
  const open = page.locator('section.cycle[data-cycle="demo-2026-10"]');
  await open.getByLabel('Strengths').fill('Fast turnaround on drafts.');
  await open.getByLabel('Growth areas').fill('Stronger first seconds.');
  await open.getByLabel('Development plan').fill('Script three hooks per video.');
  await open.getByRole('button', { name: 'Save self-assessment' }).click();
  await open.getByText('Saved.').waitFor();
  await check('the self-assessment is stored', () => {
    const d = JSON.parse(crest(['--db', db, 'review', 'show', 'demo-2026-10', '--json']));
    assert.equal(d.partners.find((p) => p.creator_id === mine.creator_id).self_assessment.strengths, 'Fast turnaround on drafts.');
  });
  await shot(page, 'r04-creator');
  await page.goto(base + '/#/reviews/mine');
  await logout(page);

  // the signed link without an account; a forged one is refused on the page
  await page.goto(base + '/#/review-link/' + token);
  await page.waitForSelector('section.cycle');
  await check('the link opens the creator\'s forms', async () =>
    assert.match(await page.textContent('h1'), /Your partner reviews/));
  await page.goto(base + '/#/review-link/' + token.replace(/.$/, (c) => (c === '0' ? '1' : '0')));
  await page.waitForSelector('#main .error');
  await check('a forged link', async () => assert.match(await page.textContent('#main .error'), /not a valid review link/));

  await check('no page errors', () => assert.deepEqual(problems, []));
}


h.run(main);
