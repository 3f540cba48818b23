/**
 * Offline dependency audit: every package version installed by package-lock.json (all nested
 * copies too) against the advisories listed in build/advisories.json. `npm audit` needs the
 * registry's audit endpoint, which the mirror these machines use refuses; this check needs no
 * network. A version inside an advisory's range fails, unless the entry is marked `reviewed`
 * with the reason Tokensmith is not exposed.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import * as z from 'zod';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const advisoryList = z.object({
  refreshed: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  advisories: z.array(
    z.object({
      package: z.string().min(1),
      vulnerable: z.string().refine((r) => semver.validRange(r) !== null, 'not a semver range'),
      id: z.string().min(1),
      summary: z.string().min(1),
      fixed: z.string().optional(),
      source: z.string().url(),
      reviewed: z.object({ reason: z.string().min(20), date: z.string() }).optional(),
    }),
  ),
});
type AdvisoryList = z.infer<typeof advisoryList>;

interface Lock {
  packages: Record<string, { version?: string; link?: boolean }>;
}

interface Finding {
  package: string;
  version: string;
  path: string;
  advisory: string;
  reviewed?: string;
}

/** The package name of a lock entry path: `node_modules/a/node_modules/@s/b` → `@s/b`. */
function packageName(path: string): string {
  const i = path.lastIndexOf('node_modules/');
  return path.slice(i + 'node_modules/'.length);
}

/** Every installed copy of a listed package that falls inside a listed range. */
function audit(lock: Lock, list: AdvisoryList): Finding[] {
  const findings: Finding[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path.includes('node_modules/') || !entry.version || entry.link) continue;
    const name = packageName(path);
    for (const advisory of list.advisories) {
      if (advisory.package !== name) continue;
      if (!semver.satisfies(entry.version, advisory.vulnerable, { includePrerelease: true }))
        continue;
      findings.push({
        package: name,
        version: entry.version,
        path,
        advisory: advisory.id,
        ...(advisory.reviewed ? { reviewed: advisory.reviewed.reason } : {}),
      });
    }
  }
  return findings;
}

const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as Lock;
const list = advisoryList.parse(
  JSON.parse(readFileSync(join(root, 'build', 'advisories.json'), 'utf8')),
);

describe('dependency advisories (offline)', () => {
  it('no installed version falls inside an advisory range that is not reviewed', () => {
    const findings = audit(lock, list);
    const open = findings.filter((f) => !f.reviewed);
    expect(
      open,
      open.map((f) => `${f.path}@${f.version}: ${f.advisory}`).join('\n') || 'none',
    ).toEqual([]);
  });

  it('lists the installed versions of every package the advisory list names', () => {
    const names = [...new Set(list.advisories.map((a) => a.package))];
    const installed = Object.entries(lock.packages)
      .filter(([path, e]) => path.includes('node_modules/') && e.version)
      .map(([path, e]) => ({ name: packageName(path), version: e.version as string, path }));
    for (const name of names) {
      const copies = installed.filter((i) => i.name === name);
      // An entry for a package that is not installed is dead: a typo or a removed dependency.
      expect(
        copies.length,
        `${name} is in build/advisories.json but not installed`,
      ).toBeGreaterThan(0);
      const ranges = list.advisories.filter((a) => a.package === name).length;
      console.info(
        `advisories: ${name} ${copies.map((c) => c.version).join(', ')} checked against ${ranges} advisories`,
      );
    }
  });

  it('the check itself: a version in range fails, a reviewed entry passes, ranges are npm semver', () => {
    const synthetic: Lock = {
      packages: {
        '': { version: '0.1.0' },
        'node_modules/node-forge': { version: '1.3.1' },
        'node_modules/jks-js/node_modules/node-forge': { version: '1.4.3' },
        'node_modules/@scope/pkg': { version: '2.0.0-beta.1' },
        'node_modules/linked': { link: true },
      },
    };
    const entry = (
      pkg: string,
      vulnerable: string,
      reviewed?: string,
    ): AdvisoryList['advisories'][number] => ({
      package: pkg,
      vulnerable,
      id: `TEST-${pkg}-${vulnerable}`,
      summary: 'test',
      source: 'https://example.test/advisory',
      ...(reviewed ? { reviewed: { reason: reviewed, date: '2026-12-01' } } : {}),
    });
    const findings = audit(synthetic, {
      refreshed: '2026-12-01',
      advisories: [
        entry('node-forge', '<1.3.2'),
        entry('node-forge', '<=1.4.3', 'Tokensmith never calls the affected function at all.'),
        entry('@scope/pkg', '>=2.0.0-alpha <2.0.0'),
        entry('linked', '*'),
      ],
    });
    expect(findings).toEqual([
      {
        package: 'node-forge',
        version: '1.3.1',
        path: 'node_modules/node-forge',
        advisory: 'TEST-node-forge-<1.3.2',
      },
      {
        package: 'node-forge',
        version: '1.3.1',
        path: 'node_modules/node-forge',
        advisory: 'TEST-node-forge-<=1.4.3',
        reviewed: 'Tokensmith never calls the affected function at all.',
      },
      {
        package: 'node-forge',
        version: '1.4.3',
        path: 'node_modules/jks-js/node_modules/node-forge',
        advisory: 'TEST-node-forge-<=1.4.3',
        reviewed: 'Tokensmith never calls the affected function at all.',
      },
      {
        package: '@scope/pkg',
        version: '2.0.0-beta.1',
        path: 'node_modules/@scope/pkg',
        advisory: 'TEST-@scope/pkg->=2.0.0-alpha <2.0.0',
      },
    ]);
    expect(() =>
      advisoryList.parse({
        refreshed: '2026-12-01',
        advisories: [{ ...entry('x', 'not a range') }],
      }),
    ).toThrow(/not a semver range/);
  });
});
