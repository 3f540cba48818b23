#!/usr/bin/env node
/**
 * `node build/icons.mjs`: renders build/icon.svg to the PNG sizes desktops look up
 * (build/icons/<n>x<n>.png, the hicolor theme's sizes; electron-builder installs each one under
 * /usr/share/icons/hicolor/<n>x<n>/apps) and build/icon.png (512 px, for macOS and Windows), with
 * Debian's Chromium through playwright-core. Run it after changing the SVG and commit the result.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = fileURLToPath(new URL('.', import.meta.url));
export const ICON_SIZES = [16, 22, 24, 32, 48, 64, 128, 256, 512];

const svg = readFileSync(join(here, 'icon.svg'), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage();
  mkdirSync(join(here, 'icons'), { recursive: true });
  for (const size of ICON_SIZES) {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(
      `<html><body style="margin:0;background:transparent"><img width="${size}" height="${size}" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}"></body></html>`,
    );
    const png = await page.screenshot({ omitBackground: true });
    writeFileSync(join(here, 'icons', `${size}x${size}.png`), png);
    if (size === 512) writeFileSync(join(here, 'icon.png'), png);
  }
} finally {
  await browser.close();
}
