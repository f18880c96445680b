import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The design's reasons live in the repository (docs/architecture.md#layers and the rest of that
 * page): comments cite `docs/architecture.md#<section>` or `docs/ledger-format.md §N`, never a
 * file outside the repository, and every cited section exists. A renamed heading or a merge that
 * brings back an old citation fails here, not in a maintainer's browser.
 */
const ROOT = join(import.meta.dirname, '../..');
const SKIP_DIRS = new Set(['node_modules', '.git', 'out', 'dist', 'test-results', 'playwright-report', 'fixtures']);
const TEXT = /\.(ts|tsx|js|mjs|cjs|json|md|yml|yaml|html|css)$/;
const SKIP_FILES = new Set(['package-lock.json', 'docs/ledger-vectors.json']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return SKIP_DIRS.has(d.name) ? [] : sourceFiles(path);
    const rel = relative(ROOT, path).split('\\').join('/');
    return d.isFile() && TEXT.test(d.name) && !SKIP_FILES.has(rel) ? [rel] : [];
  });
}

/** Heading anchors as GitHub makes them: lowercase, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6} (.+)$/.exec(line);
    if (!heading?.[1]) continue;
    const base = heading[1]
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    let anchor = base;
    for (let n = 1; anchors.has(anchor); n++) anchor = `${base}-${String(n)}`;
    anchors.add(anchor);
  }
  return anchors;
}

/** Numbered sections of docs/ledger-format.md: "## 3. Canonical JSON" gives "3", "### 3.3 Acceptance" gives "3.3". */
function formatSections(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^#{2,4} (\d+(?:\.\d+)*)\.? /gm)].map((m) => m[1] as string));
}

const files = sourceFiles(ROOT);
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const THIS_FILE = 'test/docs/citations.test.ts';

describe('design citations', () => {
  it('finds the files it checks', () => {
    expect(files).toContain('docs/architecture.md');
    expect(files).toContain('main/ledger/ledger.ts');
    expect(files.length).toBeGreaterThan(100);
  });

  it('makes GitHub anchors from headings', () => {
    expect([
      ...headingAnchors('# Architecture (as built)\n## Sign-in, sessions and roles\n```\n## not a heading\n```\n## Ledger\n## Ledger'),
    ]).toEqual(['architecture-as-built', 'sign-in-sessions-and-roles', 'ledger', 'ledger-1']);
  });

  it('cites no design file outside the repository', () => {
    const outside = /\bDESIGN(\.md)?\b|\bSTYLE\.md\b|\.\.\/shared\/[A-Z]+\.md/;
    const offenders = files.filter((f) => f !== THIS_FILE).flatMap((f) => (outside.test(read(f)) ? [f] : []));
    expect(offenders).toEqual([]);
  });

  it('cites only sections that docs/architecture.md has', () => {
    const architecture = read('docs/architecture.md');
    const anchors = headingAnchors(architecture);
    const cited = files.flatMap((f) => [...read(f).matchAll(/docs\/architecture\.md#([\w-]+)/g)].map((m) => `${f}: #${m[1] as string}`));
    const ownLinks = [...architecture.matchAll(/\]\(#([\w-]+)\)/g)].map((m) => `docs/architecture.md: #${m[1] as string}`);
    expect(cited.length).toBeGreaterThan(30);
    expect([...cited, ...ownLinks].filter((c) => !anchors.has(c.slice(c.indexOf('#') + 1)))).toEqual([]);
  });

  it('links from the other pages of docs/ only to sections that docs/architecture.md has', () => {
    const anchors = headingAnchors(read('docs/architecture.md'));
    const pages = files.filter((f) => f.startsWith('docs/') && f.endsWith('.md') && f !== 'docs/architecture.md');
    const linked = pages.flatMap((f) => [...read(f).matchAll(/\]\(architecture\.md#([\w-]+)\)/g)].map((m) => `${f}: #${m[1] as string}`));
    expect(linked.length).toBeGreaterThan(30);
    expect(linked.filter((c) => !anchors.has(c.slice(c.indexOf('#') + 1)))).toEqual([]);
  });

  it('cites only sections that docs/ledger-format.md has', () => {
    const sections = formatSections(read('docs/ledger-format.md'));
    expect(sections).toContain('3.3');
    const cited = files.flatMap((f) =>
      [...read(f).matchAll(/docs\/ledger-format\.md`? (§[\d.]+(?:(?:,| and) §[\d.]+)*)/g)].flatMap((m) =>
        [...(m[1] as string).matchAll(/§(\d+(?:\.\d+)*)/g)].map((s) => `${f}: §${s[1] as string}`),
      ),
    );
    expect(cited.length).toBeGreaterThan(0);
    expect(cited.filter((c) => !sections.has(c.slice(c.indexOf('§') + 1)))).toEqual([]);
  });
});
