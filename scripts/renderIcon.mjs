#!/usr/bin/env node
// Renders media/icon.svg to media/icon.png (256×256), the icon of the .vsix and the Marketplace:
// vsce refuses SVG icons. Run it after changing the SVG: node scripts/renderIcon.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './vscodeEnv.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const size = 256;
const svg = fs.readFileSync(path.join(root, 'media', 'icon.svg'), 'utf8');
const browser = await launchChromium(process.env.AIP_CHROMIUM || '/usr/bin/chromium');
try {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(`<html><body style="margin:0">${svg}</body></html>`);
  await page.screenshot({ path: path.join(root, 'media', 'icon.png'), omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
} finally {
  await browser.close();
}
console.log('media/icon.png written');
