// What the browser walks share (portal-walk.js, browse-walk.js): Debian's
// Chromium and its flags, TAP lines, a watchdog, console errors (a CSP
// violation is one), screenshots kept in OUTDIR, and the check that
// nothing sticks out of a phone's screen outside a scroll box.
'use strict';

const fs = require('fs');
const path = require('path');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TIMEOUT_MS = 60000;
const WATCHDOG_MS = 240000;
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

let n = 0;
let failed = 0;
let outdir = '.';
const consoleErrors = [];

function ok(cond, name, reason) {
  n += 1;
  if (!cond) failed += 1;
  let line = `${cond ? 'ok' : 'not ok'} ${n} - ${name}`;
  if (!cond && reason) line += ` -- ${String(reason).replace(/\s+/g, ' ').slice(0, 300)}`;
  console.log(line);
  return cond;
}

function finish() {
  console.log(`1..${n}`);
  process.exit(failed || n === 0 ? 1 : 0);
}

// The walk's arguments (CONFIG.json OUTDIR): its configuration; starts the watchdog.
function start() {
  const [configPath, dir] = process.argv.slice(2);
  outdir = dir;
  fs.mkdirSync(outdir, { recursive: true });
  setTimeout(() => { ok(false, 'the walk finished within the watchdog'); finish(); }, WATCHDOG_MS).unref();
  return { cfg: JSON.parse(fs.readFileSync(configPath, 'utf8')), outdir };
}

function watch(page) {
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`${page.url()}: ${m.text()}`); });
  page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
}

async function shot(page, name, fullPage = true) {
  const file = path.join(outdir, name);
  await page.screenshot({ path: file, fullPage, timeout: TIMEOUT_MS });
  ok(fs.statSync(file).size > 0, `screenshot ${name}`);
}

// Evaluated in the page: elements sticking out to the right of the
// viewport, outside scroll boxes.
function overflow() {
  const w = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= w + 1) continue;
    let boxed = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o === 'auto' || o === 'scroll') boxed = true;
    }
    if (!boxed) out.push(`${el.tagName.toLowerCase()}.${el.className} (${Math.round(r.right)}px)`);
  }
  return out.slice(0, 5);
}

// Debian's Chromium through playwright-core (the walk ends, failed, when
// playwright-core cannot be loaded).
async function launch() {
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch (e) {
    ok(false, 'playwright-core loads', e.message);
    finish();
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS, timeout: 30000 });
}

// Runs the walk body(browser), then checks that no page logged an error,
// closes the browser and prints the plan.
async function run(body) {
  const browser = await launch();
  try {
    await body(browser);
    ok(consoleErrors.length === 0, 'no console errors (no CSP violation) on any page', consoleErrors.slice(0, 3).join(' | '));
  } catch (e) {
    ok(false, 'the walk runs through', e.stack || e.message);
  } finally {
    await browser.close();
  }
  finish();
}

module.exports = { TIMEOUT_MS, PHONE, ok, start, run, watch, shot, overflow };
