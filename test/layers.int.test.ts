import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { runNode } from './support/cli.js';
import { PACKAGE_ROOT } from './support/host.js';

// The layer rules of docs/architecture.md#layers-inside-main must actually fire: each case adds one
// forbidden import (type-only, the kind `import-x/no-cycle` does not see) to a real file's text and
// lints it with the project's own configuration.
// Under CI=true typescript-eslint assumes a single run over files on disk and would parse the file
// as saved, not the text given here; this test lints edited text, so it asks for a normal run.
process.env.TSESTREE_SINGLE_RUN = 'false';
const eslint = new ESLint({ cwd: PACKAGE_ROOT });

async function layerErrors(file: string, addedImport: string): Promise<string[]> {
  const text = `${readFileSync(join(PACKAGE_ROOT, file), 'utf8')}\n${addedImport}\n`;
  const [result] = await eslint.lintText(text, { filePath: join(PACKAGE_ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'import-x/no-restricted-paths').map((m) => m.message);
}

describe('lint keeps the layers of main/ apart', () => {
  it('refuses sync → core, even as a type-only import', async () => {
    const errors = await layerErrors('main/sync/rooms.ts', "import type { Movelog } from '../core.js';\nexport type Whole = Movelog;");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('main/sync imports neither services, host, cli nor core');
  });

  it('refuses store → ledger', async () => {
    const errors = await layerErrors('main/store/db.ts', "import type { Entry } from '../ledger/entry.js';\nexport type Stored = Entry;");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('main/store is the bottom layer');
  });

  it('refuses ledger → services', async () => {
    const errors = await layerErrors(
      'main/ledger/status.ts',
      "import type { CallContext } from '../services/context.js';\nexport type Ctx = CallContext;",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('main/ledger imports neither');
  });

  it('accepts the file as it is', async () => {
    expect(await layerErrors('main/sync/rooms.ts', '')).toEqual([]);
  });
});

describe('the dependency check sees type-only import loops', () => {
  const dir = mkdtempSync(join(tmpdir(), 'movelog-loop-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails on a loop made only of `import type`, and passes without it', async () => {
    writeFileSync(join(dir, 'a.ts'), "import type { B } from './b.js';\nexport interface A { b?: B }\n");
    writeFileSync(join(dir, 'b.ts'), "import type { A } from './a.js';\nexport interface B { a?: A }\n");
    const depcruise = ['node_modules/dependency-cruiser/bin/dependency-cruise.mjs', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'];
    const looped = await runNode([...depcruise, dir]);
    expect(looped.code).toBe(1);
    expect(looped.stdout).toContain('no-cycle');

    writeFileSync(join(dir, 'b.ts'), 'export interface B { a?: unknown }\n');
    const clean = await runNode([...depcruise, dir]);
    expect(clean.stdout + clean.stderr).not.toContain('no-cycle');
    expect(clean.code).toBe(0);
  });
});
