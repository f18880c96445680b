import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { judge, parseCsv } from '../scripts/electronegativity.mjs';

// The fixtures are Electronegativity 1.10.3's own CSV and SARIF reports on app/main/index.ts as it
// was before the hardening (no CSP, no permission handler, Auxclick on, any https URL opened).
const fixture = (name: string) => fileURLToPath(new URL(`fixtures/electronegativity/${name}`, import.meta.url));
const csv = readFileSync(fixture('before-hardening.csv'), 'utf8');
const sarif = readFileSync(fixture('before-hardening.sarif'), 'utf8');
const header = csv.split('\n')[0]!;

describe('the Electronegativity stage', () => {
  it('reads severities from the CSV report', () => {
    expect(parseCsv(csv).map((f) => `${f.severity} ${f.id}`)).toEqual([
      'MEDIUM CSP_GLOBAL_CHECK',
      'MEDIUM PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK',
      'MEDIUM AUXCLICK_JS_CHECK',
      'MEDIUM PRELOAD_JS_CHECK',
      'MEDIUM OPEN_EXTERNAL_JS_CHECK',
    ]);
  });

  it('fails on medium findings that were not reviewed', () => {
    const verdict = judge(csv, sarif);
    expect(verdict.incomplete).toBe(false);
    expect(verdict.failures.map((f) => f.id)).toEqual(['PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK', 'AUXCLICK_JS_CHECK', 'OPEN_EXTERNAL_JS_CHECK']);
  });

  it('fails on every medium finding when none is reviewed, and passes low ones', () => {
    expect(judge(csv, sarif, []).failures).toHaveLength(5);
    const low = `${header}\nCSP_GLOBAL_CHECK,"LOW","TENTATIVE","N/A","0:0",N/A,"weak CSP",x\n`;
    const lowSarif = JSON.stringify({
      runs: [{ results: [{ ruleId: 'CSP_GLOBAL_CHECK', locations: [{ physicalLocation: { artifactLocation: { uri: 'file:///' } } }] }] }],
    });
    expect(judge(low, lowSarif, [])).toMatchObject({ incomplete: false, failures: [] });
  });

  it('allows a reviewed finding only as many times as it was reviewed', () => {
    const twice = csv.replace(/^(PRELOAD_JS_CHECK.*)$/m, '$1\n$1');
    const sarifTwice = JSON.parse(sarif) as { runs: [{ results: { ruleId: string }[] }] };
    const results = sarifTwice.runs[0].results;
    results.push(results.find((r) => r.ruleId === 'PRELOAD_JS_CHECK')!);
    expect(judge(twice, JSON.stringify(sarifTwice)).failures.map((f) => f.id)).toContain('PRELOAD_JS_CHECK');
  });

  it('trusts no CSV report that lost findings (its writer races) or lost its header', () => {
    expect(judge(`${header}\n`, sarif).incomplete).toBe(true);
    const garbled = csv.split('\n');
    garbled[1] = 'ted in the target application",https://github.com/doyensec/electronegativity/wiki/CSP_GLOBAL_CHECK';
    expect(judge(garbled.join('\n'), sarif).incomplete).toBe(true);
    expect(() => judge(csv.slice(10), sarif)).toThrow(/not an Electronegativity CSV/);
  });

  it('exits 1 on the fixture with medium findings, naming each', () => {
    const run = spawnSync(
      process.execPath,
      ['scripts/electronegativity.mjs', '--reports', fixture('before-hardening.csv'), fixture('before-hardening.sarif')],
      {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('FINDING   MEDIUM AUXCLICK_JS_CHECK main/index.ts:18');
    expect(run.stdout).toContain('Electronegativity: 3 high or medium finding(s), 2 reviewed');
  });
});
