// tests/browser/lib.js - what the browser tests share: the crest binary and artifacts
// directory from the command line, a scratch directory, `crest serve` on a free loopback
// port, Debian's headless Chromium, log in and out, numbered checks, a watchdog, and one way
// to finish (exit 0, or exit 1 with the error, the server's stderr and a screenshot).
//
//   const h = require('./lib.js').harness('ui');   // names the scratch dir and the messages
//   h.run(async () => { const db = ...; const base = await h.startServer(db); ... });
'use strict';

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function harness(name) {
  const file = name + '.test.js';
  const h = {
    CREST: path.resolve(process.argv[2] || path.join(__dirname, '../../build/crest')),
    ARTIFACTS: path.resolve(process.argv[3] || path.join(__dirname, '../../build/browser-artifacts')),
    CHROMIUM: process.env.CR_CHROMIUM || '/usr/bin/chromium',
    // CR_TEST_TIME_FACTOR (scripts/test sets 3 for the sanitizer build) stretches every wait
    SLOW: Number(process.env.CR_TEST_TIME_FACTOR || 1),
    work: fs.mkdtempSync(path.join(os.tmpdir(), 'crest-browser-' + name + '-')),
    checks: 0,
    server: null,
    serverLog: '', // the server's stderr, printed when the test fails
    context: null,
  };

  function cleanup() {
    if (h.server && h.server.exitCode === null) h.server.kill('SIGTERM');
    fs.rmSync(h.work, { recursive: true, force: true });
  }

  const watchdog = setTimeout(() => {
    console.error(file + ': timed out after ' + 150 * h.SLOW + ' s');
    cleanup();
    process.exit(1);
  }, 150000 * h.SLOW);

  // check WHAT FN: run FN (may be async); a failure names WHAT; counts the checks passed
  h.check = async (what, fn) => {
    try {
      await fn();
    } catch (e) {
      e.message = what + ': ' + e.message;
      throw e;
    }
    h.checks++;
  };

  // crest ARGS [INPUT]: run the binary, return its stdout (throws on a non-zero exit)
  h.crest = (args, input) =>
    execFileSync(h.CREST, args, { input, stdio: ['pipe', 'pipe', 'pipe'] }).toString();

  // startServer DB [ARGS]: `crest serve` on 127.0.0.1:0; resolves to its base URL
  h.startServer = (db, args = []) => new Promise((resolve, reject) => {
    h.server = spawn(h.CREST, ['--db', db, 'serve', '--listen', '127.0.0.1:0', '-q', ...args],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    h.server.stderr.on('data', (d) => {
      h.serverLog += d.toString();
      const m = h.serverLog.match(/listening on (http:\/\/127\.0\.0\.1:[0-9]+)/);
      if (m) resolve(m[1]);
    });
    h.server.on('exit', (code) => reject(new Error('crest serve exited ' + code + ': ' + h.serverLog)));
  });

  // launch VIEWPORT: Chromium with a profile in the scratch dir; resolves to its first page
  h.launch = async (viewport) => {
    fs.mkdirSync(h.ARTIFACTS, { recursive: true });
    h.context = await chromium.launchPersistentContext(path.join(h.work, 'profile'), {
      executablePath: h.CHROMIUM,
      headless: true,
      viewport,
      args: LAUNCH_ARGS,
    });
    const page = h.context.pages()[0] || await h.context.newPage();
    page.setDefaultTimeout(15000 * h.SLOW);
    return page;
  };

  h.shot = async (page, shotName) => {
    await page.screenshot({ path: path.join(h.ARTIFACTS, shotName + '.png'), fullPage: true });
  };

  // login PAGE BASE EMAIL PASSWORD [WAIT]: the login form; WAIT true also waits for the menu
  h.login = async (page, base, email, password, wait = false) => {
    await page.goto(base + '/');
    await page.waitForSelector('#login-form');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    if (wait) await page.waitForSelector('#nav:not([hidden])');
  };

  h.logout = async (page) => {
    await page.click('#logout, #main button:has-text("Log out")');
    await page.waitForSelector('#login-form');
  };

  // run MAIN: exit 0 when it resolves; else print the error and the server's stderr, take a
  // screenshot of the page and exit 1. Cleans up either way.
  h.run = (main) => main().then(async () => {
    console.log(file + ': all ' + h.checks + ' checks passed; screenshots in ' + h.ARTIFACTS);
    await h.context.close();
    clearTimeout(watchdog);
    cleanup();
    process.exit(0);
  }, async (e) => {
    console.error(file + ': FAIL: ' + (e && e.stack ? e.stack : e));
    if (h.serverLog) console.error('crest serve said:\n' + h.serverLog.slice(-4000));
    try {
      const p = h.context && h.context.pages()[0];
      if (p) await h.shot(p, name + '-failure');
      if (h.context) await h.context.close();
    } catch (e2) {
      /* the failure above is the one to report */
    }
    clearTimeout(watchdog);
    cleanup();
    process.exit(1);
  });

  return h;
}

module.exports = { harness };
