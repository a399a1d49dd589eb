// tests/browser/program.test.js - the Program page of `crest serve` (issue 9) in Debian's
// headless Chromium: the workflow map, a pilot's report with its interval, the quick time-log
// form, an override refused in the browser for an analyst without the authority (the server's
// 403 message shown, the recommendation still open), the same override done by a trained
// manager, and the audit log with its verified hash chain. Screenshots go to the artifacts
// directory.
//
// Usage: node program.test.js CREST_BINARY [ARTIFACTS_DIR]   (run.sh exits 77 when it cannot run)
'use strict';

const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const h = require('./lib.js').harness('program');
const { check, crest, login, logout } = h;

async function main() {
  // CR_BROWSER_DB: a PostgreSQL database from run.sh (browser.*.pg); else a SQLite file
  const db = process.env.CR_BROWSER_DB || path.join(h.work, 'program.db');
  crest(['--db', db, '-q', 'init']); // an empty workspace: the only time logs are the ones below
  crest(['--db', db, 'user', 'add', 'analyst@example.com', '--role', 'analyst'], 'pass-analyst-123\n');
  crest(['--db', db, 'user', 'add', 'lead@example.com', '--role', 'manager'], 'pass-lead-12345\n');
  crest(['--db', db, 'training', 'record', 'lead@example.com', 'interpretation']);
  // a 30-day pilot on vetting: 31 and 33 minutes before, 21 and 23 with the tool
  const logs = [['2027-02-08', 31, 0], ['2027-02-15', 33, 0], ['2027-03-08', 21, 1], ['2027-03-15', 23, 1]];
  for (const [at, min, tool] of logs)
    crest(['--db', db, 'timelog', 'add', 'vetting', String(min), '--task', 'vet creator', '--at', at,
      '--user', 'analyst@example.com', tool ? '--with-tool' : '--without-tool']);
  crest(['--db', db, 'pilot', 'start', 'vetting', '--days', '30', '--start', '2027-03-01', '--rate', '60 USD']);
  const rec = JSON.parse(crest(['--db', db, '--json', 'recommend', 'add', 'vetting_verdict',
    'instagram/maya.runs', 'reject', '--detail', 'fake followers 31%'])).id;
  const base = await h.startServer(db);

  const page = await h.launch({ width: 1280, height: 900 });
  const problems = [];
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => {
    // the 403 of the refused override and the 400 of the refused escalation are logged by
    // Chromium as failed loads
    if (m.type() === 'error' && !/status of (400|401|403)/.test(m.text()))
      problems.push('console: ' + m.text());
  });

  // the analyst opens the Program page from the nav
  await login(page, base, 'analyst@example.com', 'pass-analyst-123', true);
  await page.getByRole('link', { name: 'Program' }).click();
  await page.waitForSelector('#workflow tbody tr');
  const first = await page.$$eval('#workflow tbody tr:first-child td', (tds) => tds.map((t) => t.textContent));
  await check('workflow map: vetting ranks first', () => assert.deepEqual(first.slice(0, 3), ['1', 'vetting', '4']));
  await check('calendar from the pilot start', async () =>
    assert.match(await page.textContent('#calendar'), /2027-04-01.*monthly/));

  // the pilot's report: (31+33)/2 - (21+23)/2 = 10 minutes saved per task
  await page.click('#pilots button:has-text("Report")');
  await page.waitForSelector('#pilot-report');
  await check('pilot report', async () =>
    assert.match(await page.textContent('#pilot-report'), /10\.00 minutes saved per task \(95% bootstrap interval/));

  // the quick time-log form adds a task to the map
  await page.selectOption('#tl-stage', 'outreach');
  await page.fill('#tl-minutes', '14');
  await page.fill('#tl-errors', '1');
  await page.click('#timelog-form button[type=submit]');
  await page.waitForFunction(() => [...document.querySelectorAll('#workflow tbody tr')]
    .some((tr) => tr.children[1].textContent === 'outreach' && tr.children[2].textContent === '1'));
  h.checks++;

  // the analyst may not override a vetting verdict: refused in the browser with the reason
  const item = page.locator('#queue li[data-id="' + rec + '"]');
  await item.getByLabel('Override with').fill('approve');
  await item.getByLabel('Reason').fill('I know this creator');
  await item.getByRole('button', { name: 'Override' }).click();
  await item.locator('.error').waitFor();
  await check('override refused in the browser', async () =>
    assert.match(await item.locator('.error').textContent(), /override refused: the role analyst may not override a vetting_verdict/));
  await page.screenshot({ path: path.join(h.ARTIFACTS, '10-program-override-refused.png'), fullPage: true });
  const still = JSON.parse(crest(['--db', db, '--json', 'recommend', 'list']));
  await check('the recommendation is still open', () =>
    assert.equal(still.find((r) => r.id === rec).status, 'open'));

  // so the analyst escalates it: not to themselves (no authority either), but to the manager
  await item.getByLabel('Escalate to').fill('analyst@example.com');
  await item.getByRole('button', { name: 'Escalate' }).click();
  await item.locator('.error').filter({ hasText: 'may not decide' }).waitFor();
  h.checks++;
  await item.getByLabel('Escalate to').fill('lead@example.com');
  await item.getByLabel('Why (optional)').fill('needs someone trained');
  await item.getByRole('button', { name: 'Escalate' }).click();
  await page.waitForFunction((id) => {
    const li = document.querySelector('#queue li[data-id="' + id + '"]');
    return li && /escalated to lead@example\.com/.test(li.textContent);
  }, rec);
  h.checks++;
  const esc = JSON.parse(crest(['--db', db, '--json', 'recommend', 'list']));
  await check('escalated in the store', () => {
    const r = esc.find((x) => x.id === rec);
    assert.equal(r.status, 'escalated');
    assert.equal(r.escalated_to, 'lead@example.com');
  });
  await page.screenshot({ path: path.join(h.ARTIFACTS, '10b-program-escalated.png'), fullPage: true });
  await logout(page);

  // a trained manager may
  await login(page, base, 'lead@example.com', 'pass-lead-12345', true);
  await page.goto(base + '/#/program');
  await page.waitForSelector('#queue li[data-id="' + rec + '"]');
  const item2 = page.locator('#queue li[data-id="' + rec + '"]');
  await item2.getByLabel('Override with').fill('approve');
  await item2.getByLabel('Reason').fill('audience checked by hand');
  await item2.getByRole('button', { name: 'Override' }).click();
  await page.waitForFunction((id) => !document.querySelector('#queue li[data-id="' + id + '"]'), rec);
  h.checks++;
  await check('audit log shows the refusal and the override', async () => {
    const t = await page.textContent('#audit');
    assert.match(t, /override_refused vetting_verdict/);
    assert.match(t, /escalate vetting_verdict.*lead@example\.com.*needs someone trained/);
    assert.match(t, /override vetting_verdict.*audience checked by hand/);
  });
  await check('hash chain verified', async () =>
    assert.match(await page.textContent('#audit-status'), /3 entries; hash chain verified/));
  await page.screenshot({ path: path.join(h.ARTIFACTS, '11-program.png'), fullPage: true });

  // tampering shows on the page
  const tamper = "UPDATE program_audit SET reason = 'x' WHERE id = 2";
  if (db.startsWith('postgres:')) execFileSync('psql', ['-q', db, '-c', tamper]);
  else execFileSync('sqlite3', [db, tamper]);
  await page.reload();
  await page.waitForSelector('#audit-status');
  await check('tampering shown', async () =>
    assert.match(await page.textContent('#audit-status'), /entry 2 does not match/));

  await check('no page errors', () => assert.deepEqual(problems, []));
}


h.run(main);
