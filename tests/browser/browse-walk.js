#!/usr/bin/env node
// A visitor on the portal's public side in headless Chromium
// (playwright-core), without logging in: finds a department by name from
// the home page, opens two of its years, compares them with a peer,
// downloads a table's CSV from the comparison and the region-year's zip;
// ranks the year's departments and opens the year's spending by COFOG division.
// The pages are walked at phone width, then shot again at desktop width.
// Prints TAP.
//
//   node browse-walk.js CONFIG.json OUTDIR
//
// CONFIG: {"base": "http://127.0.0.1:PORT", "query": "部门名称的一部分", "dept": "code",
//          "years": [2024, 2023], "peer": "code-year", "zip_sha256": "…",
//          "phases": "/2024/code/" (a department-year with its 预算 and 决算 published)}
// Screenshots (OUTDIR/browse-*.png) are kept as artifacts.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const {
  TIMEOUT_MS, PHONE, ok, start, run, watch, shot, overflow,
} = require('./walk');

const DESKTOP = { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 };
const { cfg, outdir } = start();

async function fits(page, what) {
  const out = await page.evaluate(overflow);
  ok(out.length === 0, `phone: ${what} fits the screen (wide tables scroll in their boxes)`, out.join(', '));
}

async function follow(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

async function download(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const file = path.join(outdir, dl.suggestedFilename());
  await dl.saveAs(file);
  return { name: dl.suggestedFilename(), data: fs.readFileSync(file) };
}

run(async (browser) => {
  const visited = {};
  const ctx = await browser.newContext({ ...PHONE, acceptDownloads: true });
  const page = await ctx.newPage();
  watch(page);
  page.setDefaultTimeout(TIMEOUT_MS);

  // finds the department from the home page, by name
  await page.goto(`${cfg.base}/`);
  await follow(page, 'main a[href="/departments/"]');
  ok(new URL(page.url()).pathname === '/departments/', 'the home page leads to the departments');
  await shot(page, 'browse-phone-departments.png');
  await fits(page, 'the departments');
  visited.departments = new URL(page.url()).pathname;
  await page.fill('form.search input[name=q]', cfg.query);
  await follow(page, 'form.search button');
  const found = await page.locator('main table th[scope=row] a').count();
  ok(found === 1, `searching "${cfg.query}" finds one department (${found})`);
  await follow(page, `main a[href="/departments/${cfg.dept}/"]`);
  ok(new URL(page.url()).pathname === `/departments/${cfg.dept}/`, 'its page opens');
  const charts = await page.locator('svg.chart').count();
  ok(charts >= 4, `its key figures are drawn as charts (${charts})`);
  await shot(page, 'browse-phone-department.png');
  await fits(page, "the department's page");
  visited.department = new URL(page.url()).pathname;

  // opens two of its years
  for (const year of cfg.years) {
    await follow(page, `main a[href="/${year}/${cfg.dept}/"]`);
    const text = await page.textContent('main');
    ok(text.includes(`${year} 年度部门决算`) && text.includes('公开日期'), `its ${year} report's page opens`);
    await page.goBack();
  }

  // a department-year with both phases: its 预算 vs 决算 table, and its 预算
  await page.goto(`${cfg.base}${cfg.phases}`);
  const rows = await page.locator('main table.phases tbody tr').count();
  ok(rows >= 5, `${cfg.phases}: the 预算 vs 决算 table (${rows} figures)`);
  await shot(page, 'browse-phone-phases.png');
  await fits(page, 'the 预算 vs 决算 table');
  visited.phases = new URL(page.url()).pathname;
  await follow(page, `main a[href="${cfg.phases}budget/"]`);
  const budget = await page.textContent('main');
  ok(budget.includes('年度部门预算') && budget.includes('预算批复'), 'the page links its 预算, which opens');
  await shot(page, 'browse-phone-budget.png');
  await fits(page, 'the 预算 page');
  visited.budget = new URL(page.url()).pathname;

  // compares them with a peer: the form, two years and the peer
  await page.goto(`${cfg.base}/compare/`);
  await page.selectOption('select[name=a1]', `${cfg.dept}-${cfg.years[0]}`);
  await page.selectOption('select[name=a2]', `${cfg.dept}-${cfg.years[1]}`);
  await page.selectOption('select[name=a3]', cfg.peer);
  await follow(page, 'main form button[type=submit]');
  const want = `/compare/${cfg.dept}-${cfg.years[0]},${cfg.dept}-${cfg.years[1]},${cfg.peer}/`;
  ok(new URL(page.url()).pathname === want, `the comparison has its own address (${new URL(page.url()).pathname})`);
  const cmp = await page.textContent('main');
  ok(cmp.includes('（比较基准）') && cmp.includes('公开01表') && cmp.includes('公开09表'),
    'the comparison shows the nine tables side by side');
  ok((await page.locator('span.chg').count()) > 10, 'with the changes from the basis');
  await shot(page, 'browse-phone-compare.png');
  await fits(page, 'the comparison');
  visited.compare = new URL(page.url()).pathname;

  // downloads a table's CSV
  const csv = await download(page, 'main a[href$="table-01.csv"]');
  const text = csv.data.toString('utf8');
  ok(csv.name === 'compare-table-01.csv' && text.startsWith('\ufefftable,code,name,column,department,year,value_wan') &&
    text.split('\n').length > 10, `table 01's CSV downloads (${csv.name}, ${csv.data.length} bytes)`, text.slice(0, 120));

  // and the region-year's zip
  await page.goto(`${cfg.base}/departments/`);
  const zip = await download(page, `main a[href="/api/v1/years/${cfg.years[0]}/bundle.zip"]`);
  const sha = crypto.createHash('sha256').update(zip.data).digest('hex');
  ok(zip.data.subarray(0, 2).toString() === 'PK' && sha === cfg.zip_sha256,
    `the ${cfg.years[0]} zip downloads, its SHA-256 the published one (${zip.name})`, sha);

  // a ranking of the region-year
  await page.goto(`${cfg.base}/rank/${cfg.years[0]}/`);
  await follow(page, `main a[href="/rank/${cfg.years[0]}/jiben/"]`);
  ok((await page.locator('main table tbody tr').count()) >= 3, 'the departments ranked by 基本支出');
  await shot(page, 'browse-phone-rank.png');
  await fits(page, 'the ranking');
  visited.rank = new URL(page.url()).pathname;

  // the region-year's spending by COFOG division, linked from the ranking index
  await page.goto(`${cfg.base}/rank/${cfg.years[0]}/`);
  await follow(page, `main a[href="/cofog/${cfg.years[0]}/"]`);
  const divisions = await page.locator('main table tbody tr').count();
  ok(divisions >= 3, `the year's spending by COFOG division (${divisions} rows)`);
  await shot(page, 'browse-phone-cofog.png');
  await fits(page, 'the COFOG view');
  visited.cofog = new URL(page.url()).pathname;
  await ctx.close();

  // the same pages at desktop width
  const wide = await browser.newContext(DESKTOP);
  const wpage = await wide.newPage();
  watch(wpage);
  wpage.setDefaultTimeout(TIMEOUT_MS);
  for (const [name, where] of Object.entries(visited)) {
    await wpage.goto(`${cfg.base}${where}`);
    await shot(wpage, `browse-desktop-${name}.png`);
  }
  await wide.close();
});
