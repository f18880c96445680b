import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from './support/host.js';

// README "Requirements" promises that Node 20.19 runs everything except the Electron window and
// packaging, and names the packages whose engines say otherwise (npm warns about each of them on
// Node 20). This keeps that statement true: a new dependency that needs a newer Node fails here
// until the README says so, or until it is replaced.
const OLDEST_NODE = '20.19.0';

interface LockedPackage {
  readonly version?: string;
  readonly engines?: { readonly node?: string };
  readonly optional?: boolean;
}

describe('which Node runs what', () => {
  const lock = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> };
  const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
  const requirements = readme.slice(readme.indexOf('## Requirements'), readme.indexOf('## ', readme.indexOf('## Requirements') + 3));

  const tooNew = [
    ...new Set(
      Object.entries(lock.packages)
        // Optional packages are platform builds that npm skips where they do not fit.
        .filter(([path, p]) => path !== '' && !p.optional && p.engines?.node !== undefined)
        .filter(([, p]) => !semver.satisfies(OLDEST_NODE, p.engines?.node ?? '*'))
        .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)),
    ),
  ].sort();

  it('package.json and the README name the same oldest Node', () => {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(semver.minVersion(pkg.engines.node)?.version).toBe(OLDEST_NODE);
    expect(requirements).toContain('Node.js 20.19 or newer');
  });

  it('every installed package that needs a newer Node is named in the README, and only those', () => {
    const sentence = requirements.slice(requirements.indexOf('For the Electron desktop window'));
    const named = [...sentence.slice(0, sentence.indexOf('\n- ') === -1 ? undefined : sentence.indexOf('\n- ')).matchAll(/`(@?[a-z0-9/._-]+)`/g)]
      .map((m) => m[1])
      .filter((n) => n !== 'npm install' && n !== 'npm start');
    expect(tooNew.length).toBeGreaterThan(0);
    expect([...named].sort()).toEqual(tooNew);
  });
});
