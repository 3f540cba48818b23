/**
 * A RECORDING STAND-IN for fpm, the tool electron-builder runs to make the .deb — not fpm (its
 * binary is downloaded from GitHub, which these machines cannot reach). build/dist-check.ts points
 * electron-builder at it (CUSTOM_FPM_PATH) to check what the deb target would be built with: its
 * arguments (maintainer, homepage, Depends) and the .desktop file it would install. It builds no
 * package. Writes JSON to the file named by FPM_STAND_IN_RECORD.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const desktop = {};
for (const arg of args) {
  // Files are passed as `<source>=<target path in the package>`.
  const match = /^(.+)=(\/usr\/share\/applications\/[^/]+\.desktop)$/.exec(arg);
  if (match) desktop[match[2]] = readFileSync(match[1], 'utf8');
}
writeFileSync(process.env.FPM_STAND_IN_RECORD, JSON.stringify({ args, desktop }, null, 2));
