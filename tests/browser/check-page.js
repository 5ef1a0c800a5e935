#!/usr/bin/env node
// Opens one self-contained HTML page in headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core) at a phone and an A4 width
// and checks it the way a reader would see it. Prints TAP; exits 1 on any
// failure.
//
//   node check-page.js PAGE.html OUTDIR
//
// Writes OUTDIR/phone.png, OUTDIR/a4.png (full-page screenshots) and
// OUTDIR/print.pdf (A4). CHROMIUM=/path overrides the browser.
'use strict';

const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// What this machine's closed network needs: without the background-networking
// flags Chromium keeps trying (and failing) to reach Google's hosts.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const TIMEOUT_MS = 90000;   // per navigation / action (waits on events; generous for a loaded machine)
// A full-page screenshot of the whole report at a phone's device scale is
// some 80,000 pixels tall: on a loaded machine it takes its time.
const SHOT_TIMEOUT_MS = 120000;
const WATCHDOG_MS = 280000; // the whole run

const VIEWPORTS = [
  {
    name: 'phone',
    shot: 'phone.png',
    context: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
    media: 'screen',
  },
  {
    // A4 is 210 mm = 793.7 CSS px wide, 297 mm = 1122.5 px tall; laid out
    // with print media, as on paper.
    name: 'a4',
    shot: 'a4.png',
    context: { viewport: { width: 794, height: 1123 }, deviceScaleFactor: 1 },
    media: 'print',
    pdf: 'print.pdf',
  },
];

// ---- TAP -------------------------------------------------------------------
let n = 0;
let failed = 0;
function oneLine(s) {
  return String(s).replace(/\s+/g, ' ').trim();
}
function ok(cond, name, reason) {
  n += 1;
  if (!cond) failed += 1;
  let line = `${cond ? 'ok' : 'not ok'} ${n} - ${oneLine(name)}`;
  if (!cond && reason) line += ` -- ${oneLine(reason)}`;
  console.log(line);
  return cond;
}
function note(s) {
  console.log(`# ${oneLine(s)}`);
}
function finish() {
  console.log(`1..${n}`);
  process.exit(failed || n === 0 ? 1 : 0);
}
function clip(s, max = 200) {
  s = oneLine(s);
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}
function listUpTo10(items) {
  const shown = items.slice(0, 10).join('; ');
  return items.length > 10 ? `${shown}; … and ${items.length - 10} more` : shown;
}

// ---- in-page probes (run inside the page by page.evaluate) ----------------

// Visible text length and whether anything at all is drawn.
function probeContent() {
  const text = (document.body && document.body.innerText) || '';
  let visible = 0;
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility !== 'visible' || cs.display === 'none' || Number(cs.opacity) === 0) continue;
    visible += 1;
  }
  return { textLength: text.trim().length, visible };
}

// Elements whose right edge passes the viewport and that are not inside a
// scroll box (an ancestor with overflow-x auto or scroll; <html> and <body>
// do not count, since their overflow is the page's own, which is exactly the
// sideways scrolling this check is about). Lists the outermost offenders.
function probeOverflow(limit) {
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    const cls = typeof el.className === 'string' ? el.className : (el.className && el.className.baseVal) || '';
    for (const c of cls.split(/\s+/).filter(Boolean)) s += '.' + c;
    if (!el.id) {
      // Name where it is: the nearest ancestor with an id, and a table's caption.
      for (let a = el.parentElement; a; a = a.parentElement) {
        if (a.id) { s = `#${a.id} ${s}`; break; }
      }
      const cap = el.tagName === 'TABLE' && el.caption ? el.caption.textContent.trim() : '';
      if (cap) s += ` "${cap.length > 24 ? cap.slice(0, 23) + '…' : cap}"`;
    }
    return s;
  };
  const root = document.documentElement;
  const inScrollBox = (el) => {
    for (let a = el.parentElement; a && a !== document.body && a !== root; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o === 'auto' || o === 'scroll') return true;
    }
    return false;
  };
  const sx = window.scrollX;
  const bad = new Set();
  const out = [];
  for (const el of document.querySelectorAll('body, body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right + sx <= limit + 1) continue;
    if (inScrollBox(el)) continue;
    bad.add(el);
    let outer = true;
    for (let a = el.parentElement; a; a = a.parentElement) if (bad.has(a)) { outer = false; break; }
    if (outer) out.push(`${describe(el)} (${Math.round(r.width)}px wide, right edge ${Math.round(r.right + sx)}px)`);
  }
  // Scroll boxes that hide part of their content: fine on a screen, cut off
  // on paper.
  const clipped = [];
  for (const el of document.querySelectorAll('body *')) {
    const o = getComputedStyle(el).overflowX;
    if ((o === 'auto' || o === 'scroll' || o === 'hidden') && el.scrollWidth > el.clientWidth + 1) {
      clipped.push(`${describe(el)} (${el.scrollWidth}px of content in ${el.clientWidth}px)`);
    }
  }
  return {
    total: bad.size,
    outermost: out,
    clipped,
    innerWidth: window.innerWidth,
    metaViewport: [...document.querySelectorAll('meta[name="viewport" i]')]
      .some((m) => /width\s*=\s*device-width/i.test(m.content || '')),
    clientWidth: root.clientWidth,
    scrollWidth: root.scrollWidth,
  };
}

// ---- one viewport ------------------------------------------------------------
async function checkViewport(browser, vp, pageUrl, outdir) {
  const P = vp.name;
  const consoleErrors = [];
  const pageErrors = [];
  const fetched = [];
  const otherFiles = [];

  const context = await browser.newContext({ ...vp.context, javaScriptEnabled: true });
  // Nothing may leave the file: record every request, and stop the ones that
  // would go out so a bad page cannot hang on a closed network.
  const allowed = (u) => /^(file|data|about):/i.test(u);
  context.on('request', (req) => {
    const u = req.url();
    if (!allowed(u)) fetched.push(u);
    else if (/^file:/i.test(u) && u.split('#')[0] !== pageUrl) otherFiles.push(u);
  });
  await context.route((u) => !allowed(u.href), (route) => route.abort('blockedbyclient'));

  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(`console.error: ${clip(msg.text())}`);
  });
  page.on('pageerror', (err) => pageErrors.push(`page error: ${clip(err.message)}`));
  page.on('websocket', (ws) => fetched.push(ws.url()));
  await page.emulateMedia({ media: vp.media });

  let loaded = false;
  let loadError = '';
  try {
    await page.goto(pageUrl, { waitUntil: 'load', timeout: TIMEOUT_MS });
    await page.evaluate(() => document.fonts.ready.then(() => true));
    // Let late scripts (timers after load) report their errors too.
    await page.waitForTimeout(200);
    loaded = true;
  } catch (e) {
    loadError = clip(e.message);
  }
  const w = vp.context.viewport.width;
  ok(loaded, `${P} (${w}px, ${vp.media}): page loads`, loadError);

  const errs = [...pageErrors, ...consoleErrors];
  ok(errs.length === 0, `${P}: no console errors or page errors`, `${errs.length}: ${listUpTo10(errs)}`);
  ok(fetched.length === 0, `${P}: nothing fetched (only file:, data:, about: requests)`,
    `${fetched.length} request(s): ${listUpTo10(fetched.map((u) => clip(u, 120)))}`);
  ok(otherFiles.length === 0, `${P}: self-contained (no file loaded besides the page)`,
    `${otherFiles.length} file(s): ${listUpTo10(otherFiles.map((u) => clip(u, 120)))}`);

  if (loaded) {
    const c = await page.evaluate(probeContent);
    const blank = [];
    if (c.textLength < 200) blank.push(`body.innerText is ${c.textLength} characters (< 200)`);
    if (c.visible === 0) blank.push('no visible element');
    ok(blank.length === 0, `${P}: not blank (${c.textLength} characters, ${c.visible} visible elements)`, blank.join('; '));

    // Measure against the viewport we asked for: a phone page without
    // <meta name="viewport" content="width=device-width"> is laid out 980px
    // wide and shrunk, and its innerWidth would hide the problem.
    const o = await page.evaluate(probeOverflow, w);
    const why = [];
    if (vp.context.isMobile && !o.metaViewport) {
      why.push(`no <meta name="viewport" content="width=device-width, initial-scale=1">, so a phone lays the page out ${o.innerWidth}px wide and shrinks it`);
    } else if (o.innerWidth > w) {
      why.push(`the browser widened the layout to ${o.innerWidth}px to fit the content`);
    }
    if (o.total) why.push(`${o.total} element(s), outermost: ${listUpTo10(o.outermost)}`);
    ok(why.length === 0, `${P}: nothing wider than ${w}px outside a scroll box`, why.join('; '));
    if (vp.media === 'print' && o.clipped.length) {
      note(`${P}: on paper these scroll boxes cut off content: ${listUpTo10(o.clipped)}`);
    }
  } else {
    ok(false, `${P}: not blank`, 'page did not load');
    ok(false, `${P}: nothing wider than ${w}px outside a scroll box`, 'page did not load');
  }

  const shot = path.join(outdir, vp.shot);
  try {
    await page.screenshot({ path: shot, fullPage: true, timeout: SHOT_TIMEOUT_MS });
    const size = fs.statSync(shot).size;
    ok(size > 0, `${P}: full-page screenshot ${shot} (${size} bytes)`, 'empty file');
  } catch (e) {
    ok(false, `${P}: full-page screenshot ${shot}`, clip(e.message));
  }

  if (vp.pdf) {
    const pdf = path.join(outdir, vp.pdf);
    try {
      await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true, timeout: SHOT_TIMEOUT_MS });
      const buf = fs.readFileSync(pdf);
      const pages = (buf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
      const good = buf.length > 1000 && buf.subarray(0, 5).toString('latin1') === '%PDF-' && pages > 0;
      ok(good, `${P}: A4 PDF ${pdf} (${buf.length} bytes, ${pages} page(s))`,
        `not a non-empty PDF (${buf.length} bytes, starts ${JSON.stringify(buf.subarray(0, 5).toString('latin1'))}, ${pages} pages)`);
    } catch (e) {
      ok(false, `${P}: A4 PDF ${pdf}`, clip(e.message));
    }
  }

  await context.close();
}

// ---- main --------------------------------------------------------------------
async function main() {
  const [pageArg, outdir] = process.argv.slice(2);
  if (!pageArg || !outdir) {
    console.error('usage: node check-page.js PAGE.html OUTDIR');
    process.exit(2);
  }
  const watchdog = setTimeout(() => {
    console.log(`Bail out! check-page.js took longer than ${WATCHDOG_MS / 1000}s`);
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();

  const file = path.resolve(pageArg);
  if (!ok(fs.existsSync(file) && fs.statSync(file).isFile(), `page ${file} exists`, 'no such file')) finish();
  fs.mkdirSync(outdir, { recursive: true });
  for (const vp of VIEWPORTS) {
    for (const f of [vp.shot, vp.pdf].filter(Boolean)) fs.rmSync(path.join(outdir, f), { force: true });
  }

  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch (e) {
    ok(false, 'playwright-core is installed', `${clip(e.message)} (run npm ci in ${__dirname})`);
    finish();
  }

  let browser;
  try {
    // launch() gives the browser a fresh, temporary user-data-dir of its own
    // and removes it on close.
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS, timeout: 30000 });
  } catch (e) {
    ok(false, `Chromium starts (${CHROMIUM})`, clip(e.message, 400));
    finish();
  }
  note(`Chromium ${browser.version()} (${CHROMIUM}), playwright-core ${require('playwright-core/package.json').version}`);

  const pageUrl = pathToFileURL(file).href;
  try {
    for (const vp of VIEWPORTS) await checkViewport(browser, vp, pageUrl, outdir);
  } catch (e) {
    ok(false, 'the checks ran to the end', clip(e.stack || e.message, 400));
  } finally {
    await browser.close().catch(() => {});
  }
  finish();
}

main().catch((e) => {
  ok(false, 'check-page.js ran', clip(e.stack || e.message, 400));
  finish();
});
