import { chromium } from 'playwright-core';
const url = process.argv[2]!;
const width = Number(process.env.W ?? 1280);
const shots = process.argv.slice(3);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync'] });
const page = await browser.newPage({ viewport: { width, height: 900 } });
page.on('console', (m) => console.log('console:', m.type(), m.text()));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
for (const [i, path] of shots.entries()) {
  await page.goto(url + path);
  await page.waitForTimeout(2500);
  await page.screenshot({ path: `.scratch/shot${i}.png`, fullPage: true });
  console.log('shot', i, path);
}
await browser.close();
