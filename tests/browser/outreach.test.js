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
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const CREST = path.resolve(process.argv[2] || path.join(__dirname, '../../build/crest'));
const ARTIFACTS = path.resolve(process.argv[3] || path.join(__dirname, '../../build/browser-artifacts'));
const CHROMIUM = process.env.CR_CHROMIUM || '/usr/bin/chromium';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'crest-browser-outreach-'));
let server = null;
let context = null;
let checks = 0;

async function check(what, fn) {
  try {
    await fn();
  } catch (e) {
    e.message = what + ': ' + e.message;
    throw e;
  }
  checks++;
}

function cleanup() {
  if (server && server.exitCode === null) server.kill('SIGTERM');
  fs.rmSync(work, { recursive: true, force: true });
}

// CR_TEST_TIME_FACTOR (scripts/test sets 3 for the sanitizer build) stretches every wait
const SLOW = Number(process.env.CR_TEST_TIME_FACTOR || 1);
const watchdog = setTimeout(() => {
  console.error('outreach.test.js: timed out after ' + 150 * SLOW + ' s');
  cleanup();
  process.exit(1);
}, 150000 * SLOW);

function crest(args, input) {
  return execFileSync(CREST, args, { input, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
}

function start_server(db) {
  return new Promise((resolve, reject) => {
    server = spawn(CREST, ['--db', db, 'serve', '--listen', '127.0.0.1:0', '-q', '--no-outreach'],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    server.stderr.on('data', (d) => {
      err += d.toString();
      const m = err.match(/listening on (http:\/\/127\.0\.0\.1:[0-9]+)/);
      if (m) resolve(m[1]);
    });
    server.on('exit', (code) => reject(new Error('crest serve exited ' + code + ': ' + err)));
  });
}

async function login(page, base, email, password) {
  await page.goto(base + '/');
  await page.waitForSelector('#login-form');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForSelector('#nav:not([hidden])');
}

async function logout(page) {
  await page.click('#logout');
  await page.waitForSelector('#login-form');
}

async function main() {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  // CR_BROWSER_DB: a PostgreSQL database from run.sh (browser.*.pg); else a SQLite file
  const db = process.env.CR_BROWSER_DB || path.join(work, 'outreach.db');
  crest(['--db', db, '-q', 'demo']); // templates, the launch sequence, a pipeline of prospects
  crest(['--db', db, 'user', 'add', 'lead@example.com', '--role', 'manager'], 'pass-lead-12345\n');
  const base = await start_server(db);

  context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(15000 * SLOW);
  const problems = [];
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => {
    // the 400 of the refused state change is logged by Chromium as a failed load
    if (m.type() === 'error' && !/status of (400)/.test(m.text()))
      problems.push('console: ' + m.text());
  });

  await login(page, base, 'lead@example.com', 'pass-lead-12345');
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
  await page.screenshot({ path: path.join(ARTIFACTS, '20-outreach-lint.png'), fullPage: true });
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
  await page.screenshot({ path: path.join(ARTIFACTS, '21-outreach.png'), fullPage: true });
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
  checks++;
  await page.screenshot({ path: path.join(ARTIFACTS, '22-outreach-timeline.png'), fullPage: true });
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
  await page.screenshot({ path: path.join(ARTIFACTS, '23-outreach-375.png'), fullPage: true });

  await check('no page errors', () => assert.deepEqual(problems, []));
  console.log('outreach.test.js: all ' + checks + ' checks passed; screenshots in ' + ARTIFACTS);
}

main().then(async () => {
  await context.close();
  clearTimeout(watchdog);
  cleanup();
  process.exit(0);
}, async (e) => {
  console.error('outreach.test.js: FAIL: ' + (e && e.stack ? e.stack : e));
  try {
    if (context) await context.close();
  } catch (e2) {
    /* the failure above is the one to report */
  }
  clearTimeout(watchdog);
  cleanup();
  process.exit(1);
});
