#!/usr/bin/env node
// Walks the portal's path in headless Chromium (playwright-core): a
// preparer uploads a workbook, sees its findings, explains them and
// submits; a reviewer returns it with a comment; the preparer uploads again
// and resubmits; the reviewer approves; a publisher publishes; an anonymous
// visitor opens the published report at phone and A4 widths. Prints TAP.
//
//   node portal-walk.js CONFIG.json OUTDIR
//
// CONFIG: {"base": "http://127.0.0.1:PORT", "workbook": "x.zip", "dept": "code",
//          "preparer": [login, password], "reviewer": [...], "publisher": [...]}
// Screenshots (OUTDIR/portal-*.png) are kept as artifacts.
'use strict';

const {
  TIMEOUT_MS, PHONE, ok, start, run, watch, shot, overflow,
} = require('./walk');

const A4 = { viewport: { width: 794, height: 1123 }, deviceScaleFactor: 1 };
const { cfg } = start();

async function login(browser, who, device) {
  const ctx = await browser.newContext(device || PHONE);
  const page = await ctx.newPage();
  watch(page);
  page.setDefaultTimeout(TIMEOUT_MS);
  await page.goto(`${cfg.base}/login`);
  await page.fill('input[name=login]', cfg[who][0]);
  await page.fill('input[name=password]', cfg[who][1]);
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
  ok(!page.url().endsWith('/login'), `${who} logs in (lands on ${new URL(page.url()).pathname})`);
  return { ctx, page };
}

async function submitForm(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

async function uploadAndSubmit(page, round) {
  await page.goto(`${cfg.base}/work/`);
  await page.setInputFiles('input[name=file]', cfg.workbook);
  await submitForm(page, 'form[action="/work/upload"] button[type=submit]');
  const url = page.url();
  ok(/\/version\/\d+$/.test(url), `round ${round}: the upload lands on the version's page`, url);
  const body = await page.textContent('main');
  ok(body.includes('审核发现') && body.includes('核实') && body.includes('位置：'),
    `round ${round}: the findings are shown, located, in Chinese`);
  if (round === 1) {
    ok((await page.evaluate(overflow)).length === 0, 'the findings page fits a phone screen', await page.evaluate(overflow));
    await shot(page, 'portal-phone-findings.png');
  }
  const forms = await page.locator('form.explain').count();
  ok(forms >= 1, `round ${round}: ${forms} 核实 findings ask for an explanation`);
  for (let i = 0; i < forms; i++) {
    await page.locator('form.explain textarea').nth(i).fill(`第${round}轮说明：已核实，数据无误。`);
    await Promise.all([page.waitForNavigation(), page.locator('form.explain button').nth(i).click()]);
  }
  await submitForm(page, 'form[action$="/submit"] button');
  ok((await page.textContent('dd.state')).includes('待审核'), `round ${round}: submitted (待审核)`);
  return url;
}

run(async (browser) => {
  const prep = await login(browser, 'preparer');
  const rev = await login(browser, 'reviewer', A4);
  const pub = await login(browser, 'publisher', A4);

  const first = await uploadAndSubmit(prep.page, 1);
  await rev.page.goto(`${cfg.base}/review/`);
  await Promise.all([rev.page.waitForNavigation(), rev.page.click(`a[href="${new URL(first).pathname}"]`)]);
  const review = await rev.page.textContent('main');
  ok(review.includes('第1轮说明') && review.includes('与上一版本的差异'), 'the reviewer sees the explanations and the differences');
  await shot(rev.page, 'portal-a4-review.png');
  await rev.page.fill('form[action$="/return"] textarea', '请核对第19行的负数支出并补充说明。');
  await submitForm(rev.page, 'form[action$="/return"] button');
  ok((await rev.page.textContent('dd.state')).includes('已退回'), 'the reviewer returns it with a comment');

  await prep.page.goto(first);
  ok((await prep.page.textContent('main')).includes('请核对第19行的负数支出'), 'the preparer reads the comment');
  const second = await uploadAndSubmit(prep.page, 2);

  await rev.page.goto(second);
  await submitForm(rev.page, 'form[action$="/approve"] button');
  ok((await rev.page.textContent('dd.state')).includes('已审核'), 'the reviewer approves');

  await pub.page.goto(second);
  await submitForm(pub.page, 'form[action$="/publish"] button');
  const published = pub.page.url();
  ok(new RegExp(`/2024/${cfg.dept}/v\\d+/$`).test(published), `the publisher publishes (${new URL(published).pathname})`);

  for (const [name, device] of [['phone', PHONE], ['a4', A4]]) {
    const ctx = await browser.newContext(device);
    const page = await ctx.newPage();
    watch(page);
    page.setDefaultTimeout(TIMEOUT_MS);
    await page.goto(`${cfg.base}/2024/${cfg.dept}/`);
    const text = await page.textContent('main');
    ok(text.includes('公开日期') && text.includes('按时公开'), `${name}: the department's page shows the date and 按时公开`);
    if (name === 'phone')
      ok((await page.evaluate(overflow)).length === 0, 'phone: the department page fits', await page.evaluate(overflow));
    await shot(page, `portal-${name}-department.png`);
    await Promise.all([page.waitForNavigation(), page.click('p.big a')]);
    ok(page.url().endsWith('/report.html'), `${name}: the report opens from it`);
    const report = await page.textContent('body');
    ok(report.includes('部门决算') && !report.includes('草稿'), `${name}: the published report, not marked 草稿`);
    if (name === 'a4')
      await page.emulateMedia({ media: 'print' });
    await shot(page, `portal-${name}-report.png`);
    await shot(page, `portal-${name}-report-first-screen.png`, false);
    await ctx.close();
  }
});
