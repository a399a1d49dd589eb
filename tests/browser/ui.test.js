// tests/browser/ui.test.js - the web app of `crest serve` in Debian's headless Chromium:
// log in, the 5 demo campaigns with their progress badges, a campaign's chart, the live SMART
// check of the new-campaign form, an import refused with the CLI's exact message, the creators
// filter, discovery with its reasons and lookalikes, log out, and the refusal a creator-role account sees. Screenshots (laptop and
// 375px wide) go to the artifacts directory.
//
// Usage: node ui.test.js CREST_BINARY [ARTIFACTS_DIR]   (run.sh exits 77 when it cannot run)
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const h = require('./lib.js').harness('ui');
const { check, crest, login, logout, shot } = h;
const BAD_CSV = path.join(__dirname, '../cli/bad-input/03-bad-count.csv');
const BAD_EXPECT = path.join(__dirname, '../cli/bad-input/03-bad-count.expect');
const CREATORS_CSV = path.join(__dirname, '../cli/fixtures/creators.csv');
const YOUTUBE_CSV = path.join(__dirname, '../fixtures/exports/youtube.csv');
const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 740 };

async function main() {
  // CR_BROWSER_DB: a PostgreSQL database from run.sh (browser.*.pg); else a SQLite file
  const db = process.env.CR_BROWSER_DB || path.join(h.work, 'ui.db');
  crest(['--db', db, 'demo', '-q']);
  for (const role of ['admin', 'analyst', 'creator'])
    crest(['--db', db, 'user', 'add', role + '@example.com', '--role', role],
      'pass-' + role + '-123\n');
  const base = await h.startServer(db);

  const page = await h.launch(LAPTOP);
  const problems = [];
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => {
    // 401/403/422 answers the app expects are logged by Chromium as failed loads
    if (m.type() === 'error' && !/status of (401|403|422)/.test(m.text()))
      problems.push('console: ' + m.text());
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:'))
      problems.push('request outside crest serve: ' + r.url());
  });

  // log in as admin: the 5 campaigns, each with a badge per primary KPI
  await login(page, base, 'admin@example.com', 'pass-admin-123');
  await page.waitForSelector('#campaigns li.campaign');
  await page.waitForFunction(() => {
    const items = document.querySelectorAll('#campaigns li.campaign');
    return items.length === 5 && [...items].every((li) => li.querySelector('.badges .badge'));
  });
  const cards = await page.$$eval('#campaigns li.campaign', (lis) => lis.map((li) => ({
    name: li.querySelector('h2').textContent,
    badges: [...li.querySelectorAll('.badge')].map((b) => b.className),
  })));
  await check('five campaigns', () => assert.equal(cards.length, 5));
  for (const c of cards)
    await check('badges of ' + c.name, () => {
      assert.ok(c.badges.length >= 1);
      for (const b of c.badges) assert.match(b, /^badge (on-track|at-risk|off-track|benchmarking|no-data|no-target|not-started)$/);
    });
  await check('the user is shown', async () => assert.match(await page.textContent('#who'), /admin/));
  await shot(page, '01-campaigns');
  await page.setViewportSize(PHONE);
  await shot(page, '01-campaigns-375');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  await check('no sideways scrolling at 375px', () => assert.ok(overflow <= PHONE.width, 'width ' + overflow));
  await page.setViewportSize(LAPTOP);

  // a campaign: the KPI table and one bar per KPI
  await page.getByRole('link', { name: cards[4].name }).click();
  await page.waitForSelector('#kpi-chart');
  const rows = await page.$$eval('#kpi-table tbody tr', (t) => t.length);
  const bars = await page.$$eval('#kpi-chart rect.bar', (b) => b.length);
  await check('a KPI row per KPI', () => assert.ok(rows >= 2, rows + ' rows'));
  await check('a bar per KPI', () => assert.equal(bars, rows));
  await check('the chart title', async () => assert.equal(await page.textContent('h1'), cards[4].name));
  // its report panels: leaderboard, funnel, attribution, series, against the API's report
  await page.waitForSelector('#leaderboard tbody tr');
  const rep = await page.evaluate(async () => {
    const id = location.hash.split('/').pop();
    const r = await fetch('/api/v1/campaigns/' + id + '/report');
    return r.json();
  });
  const lbRows = await page.$$eval('#leaderboard tbody tr', (t) => t.map((r) =>
    r.querySelector('th').textContent));
  await check('a leaderboard row per partnership', () =>
    assert.equal(lbRows.length, rep.leaderboard.length));
  await check('the leaderboard in the report\'s order', () =>
    assert.ok(lbRows[0].startsWith(rep.leaderboard[0].platform + '/' + rep.leaderboard[0].handle)));
  await check('a funnel bar per step', async () => assert.equal(
    await page.$$eval('#funnel-chart rect.bar', (b) => b.length), rep.funnel.length));
  await check('attribution by kind', async () => assert.equal(
    await page.$$eval('#attribution tbody tr', (t) => t.length), rep.attribution.length));
  await check('the series lines', async () => assert.equal(
    await page.$$eval('#series-chart polyline', (l) => l.length), rep.series.length ? 2 : 0));
  await check('EMV labelled relative', async () =>
    assert.match(await page.textContent('#report-panels'), /EMV is a relative measure/));
  await shot(page, '02-campaign-report');
  await shot(page, '02-campaign');
  await page.setViewportSize(PHONE);
  await page.reload(); // the chart is drawn at the width it gets
  await page.waitForSelector('#kpi-chart');
  await shot(page, '02-campaign-375');
  await page.setViewportSize(LAPTOP);

  // the new-campaign form checks as one types
  await page.getByRole('link', { name: 'New campaign' }).click();
  await page.waitForSelector('#new-campaign');
  await page.getByLabel('Name').fill('Q3 referral push');
  await page.getByLabel('Primary goal').selectOption('traffic');
  await page.getByLabel('Period').pressSequentially('2027-Q3');
  await page.getByLabel('KPIs').pressSequentially('referral_sessions primary +25%\nctr primary 1.2%');
  await page.waitForFunction(() => document.querySelectorAll('#smart li').length === 5);
  const verdicts = await page.$$eval('#smart li', (lis) => lis.map((li) => ({
    letter: li.dataset.letter, verdict: li.querySelector('.badge').textContent,
  })));
  await check('S, M, A, R, T', () => assert.deepEqual(verdicts.map((v) => v.letter), ['S', 'M', 'A', 'R', 'T']));
  for (const v of verdicts)
    await check('verdict ' + v.letter, () => assert.match(v.verdict, /^(pass|warn|fail)$/));
  // adding an objective changes the R verdict live
  const rBefore = verdicts[3].verdict;
  await page.getByLabel('Business objective').fill('Grow qualified visits to the running-shoe pages');
  await page.waitForFunction((before) => {
    const r = document.querySelector('#smart li[data-letter="R"] .badge');
    return r && r.textContent !== before;
  }, rBefore);
  await shot(page, '03-new-campaign');
  await page.setViewportSize(PHONE);
  await shot(page, '03-new-campaign-375');
  await page.setViewportSize(LAPTOP);
  // creating it opens its page
  await page.getByRole('button', { name: 'Create campaign' }).click();
  await page.waitForSelector('#kpi-chart');
  await check('the created campaign', async () => assert.equal(await page.textContent('h1'), 'Q3 referral push'));
  await check('its bars', async () => assert.equal(await page.$$eval('#kpi-chart rect.bar', (b) => b.length), 2));

  // an import refused with the CLI's message, file:line:column
  const expectLine = fs.readFileSync(BAD_EXPECT, 'utf8').split('\n')
    .find((l) => l.startsWith('03-bad-count.csv:'));
  await page.getByRole('link', { name: 'Import' }).click();
  await page.getByLabel('Kind of file').selectOption('creators');
  await page.getByLabel('CSV file').setInputFiles(BAD_CSV);
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.waitForSelector('#import-result .problems li');
  const msgs = await page.$$eval('#import-result .problems li', (l) => l.map((x) => x.textContent));
  await check('the exact problem text', () => assert.deepEqual(msgs, [expectLine]));
  await check('nothing imported', async () =>
    assert.match(await page.textContent('#import-result'), /nothing was imported/));
  await shot(page, '04-import-refused');
  // uploads are multipart/form-data; auto reads the kind from the header
  await page.getByLabel('Kind of file').selectOption('auto');
  await page.getByLabel('CSV file').setInputFiles(CREATORS_CSV);
  const [upload] = await Promise.all([
    page.waitForRequest((r) => r.url().includes('/api/v1/imports/') && r.method() === 'POST'),
    page.getByRole('button', { name: 'Upload' }).click(),
  ]);
  await check('the upload is multipart', () =>
    assert.match(upload.headers()['content-type'], /^multipart\/form-data; boundary=/));
  await page.waitForSelector('#import-result .success');
  await check('auto detection shown', async () =>
    assert.match(await page.textContent('#import-result'), /creators\.csv read as creators\. creators\.csv: 5 of 5 rows imported/));
  // a platform export of one account, with the creator field
  await page.getByLabel('Kind of file').selectOption('youtube');
  await page.getByLabel('CSV file').setInputFiles(YOUTUBE_CSV);
  await page.getByLabel(/^Creator/).fill('@techwithtara');
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.waitForFunction(() => /youtube\.csv: 2 of 3 rows imported, 1 skipped/.test(
    document.querySelector('#import-result').textContent));
  await check('the export imported for its creator', async () =>
    assert.match(await page.textContent('#import-result'), /youtube\.csv: 2 of 3 rows imported, 1 skipped/));
  await check('no stray text under the result', async () =>
    assert.equal(await page.$eval('#import-result', (e) => e.childNodes.length), 1));
  await shot(page, '04b-import-export');

  // creators: the platform filter
  await page.getByRole('link', { name: 'Creators' }).click();
  await page.waitForSelector('#creators tbody tr');
  await page.getByLabel('Platform').selectOption('tiktok');
  await page.waitForFunction(() => {
    const cells = [...document.querySelectorAll('#creators tbody tr td:nth-child(2)')];
    return cells.length > 0 && cells.every((c) => c.textContent === 'tiktok');
  });
  await page.getByLabel('Min. followers').fill('1M');
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('#creators tbody tr')];
    return rows.length > 0 && rows.every((r) => r.cells[1].textContent === 'tiktok' &&
      Number(r.cells[4].textContent.replace(/,/g, '')) >= 1e6);
  });
  await shot(page, '05-creators');

  // a creator profile: the Audience Quality Score, its reasons, the flagged spike on the
  // growth chart (a creator the demo gave bought followers) and the next-post forecast
  const vets = JSON.parse(crest(['--db', db, '--json', 'vet', '--all', '--no-save']));
  const spiked = vets.find((v) => v.spikes.length === 1);
  await page.goto(base + '/#/creators/' + spiked.creator_id);
  await page.waitForSelector('#growth-chart circle.spike');
  await page.waitForSelector('#forecast table');
  await check('profile: score with its interval', async () =>
    assert.match(await page.textContent('#aqs'), /\d+ \/ 100[\s\S]*95% interval \d+ to \d+/));
  await check('profile: the spike date on the chart', async () =>
    assert.equal(await page.getAttribute('#growth-chart circle.spike', 'data-date'), spiked.spikes[0]));
  await check('profile: the spike among the reasons', async () =>
    assert.match(await page.textContent('#aqs-reasons'), new RegExp('followers on ' + spiked.spikes[0])));
  await check('profile: five components', async () =>
    assert.equal((await page.$$('#aqs-components tbody tr')).length, 5));
  await check('profile: verdict is not final', async () =>
    assert.match(await page.textContent('#aqs-verdict'), /not a final verdict/));
  await shot(page, '05b-creator-profile');
  // discover: words, ranked results with reasons, then a row's lookalikes
  await page.getByRole('link', { name: 'Discover' }).click();
  await page.waitForSelector('#discover-results > li, #main p');
  await page.getByLabel('Topic').fill('running');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForFunction(() => {
    const first = document.querySelector('#discover-results > li .reasons li');
    return first && /mention 'running'/.test(first.textContent);
  });
  const seed = await page.textContent('#discover-results > li strong');
  await page.getByRole('button', { name: 'Lookalikes' }).first().click();
  await page.waitForFunction((s) => {
    const p = document.querySelector('#main p.muted');
    return p && p.textContent.startsWith('Lookalikes of ' + s) &&
      document.querySelector('#discover-results > li .reasons li');
  }, seed);
  await check('lookalikes leave the seed out', async () => assert.ok(
    !(await page.$$eval('#discover-results > li strong', (l) => l.map((x) => x.textContent))).includes(seed)));
  await shot(page, '05-discover');

  // log out: the session is gone on the server too
  await logout(page);
  const after = await page.evaluate(() => fetch('/api/v1/kpis').then((r) => r.status));
  await check('401 after logout', () => assert.equal(after, 401));

  // a creator-role account sees the refusal
  await login(page, base, 'creator@example.com', 'pass-creator-123');
  await page.waitForSelector('#refused');
  await check('refusal message', async () =>
    assert.match(await page.textContent('#refused'), /creator role: creator accounts cannot use the dashboard/));
  await shot(page, '06-creator-refused');
  await logout(page);

  // a wrong password stays on the form with the server's message
  await login(page, base, 'analyst@example.com', 'wrong-password-1');
  await page.waitForSelector('#login-form .error');
  await check('wrong password message', async () =>
    assert.match(await page.textContent('#login-form .error'), /email or password|password/i));

  await check('no page errors', () => assert.deepEqual(problems, []));
}


h.run(main);
