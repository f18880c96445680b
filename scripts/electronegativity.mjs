// `npm test` stage "electronegativity": scans the Electron shell (app/) with Electronegativity and
// fails on any high or medium finding that is not in REVIEWED below
// (docs/architecture.md#electron-hardening). The tool exits 0 whatever it finds, so its report
// is read instead. Its CSV report (the one that carries severities) is written by two racing
// writes, header and rows, which can lose or garble rows; so the SARIF report, written at once,
// is produced too, and the CSV is trusted only when it holds every finding the SARIF lists.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Findings read and accepted, each with its reason. A finding matches by check and file, at most
 * `count` times; one more of the same kind fails the stage.
 */
export const REVIEWED = [
  {
    id: 'CSP_GLOBAL_CHECK',
    file: 'N/A',
    count: 1,
    reason:
      'The CSP is a response header of every app:// response (app/security/protocol.ts rendererHeaders, shared/csp.ts; tested in app/security/harden.test.ts); Electronegativity only looks for webRequest.onHeadersReceived and <meta>.',
  },
  {
    id: 'PRELOAD_JS_CHECK',
    file: 'main/index.ts',
    count: 1,
    reason: 'The one sandboxed preload exposes one named function, never ipcRenderer (app/preload/preload.test.ts); every call is checked in main.',
  },
  {
    id: 'OPEN_EXTERNAL_JS_CHECK',
    file: 'security/harden.ts',
    count: 1,
    reason: 'openExternal is reached only for https links on an allow-listed origin (app/security/policy.ts isAllowedExternalLink; policy.test.ts).',
  },
];

const FAILING = new Set(['HIGH', 'MEDIUM']);
const HEADER = 'issue, severity, confidence, filename, location, sample, description, url';
// The first five fields of a row never hold free text, so a row is recognised by them alone.
const ROW = /^([A-Z0-9_]+),"([A-Z]+)","([A-Z]+)",(N\/A|"(?:[^"]|"")*"),"(\d+):(\d+)",/;

/** Rows of Electronegativity's CSV report. Throws when the header is not the first line. */
export function parseCsv(text) {
  const lines = text.split(/\r?\n/);
  if (lines[0] !== HEADER) throw new Error('not an Electronegativity CSV report (header missing or garbled)');
  const findings = [];
  for (const line of lines.slice(1)) {
    const match = ROW.exec(line);
    if (!match) continue; // the rest of a row whose sample spans lines
    const [, id, severity, confidence, file, lineNo] = match;
    findings.push({ id, severity, confidence, file: file === 'N/A' ? 'N/A' : file.slice(1, -1).replaceAll('""', '"'), line: Number(lineNo) });
  }
  return findings;
}

/** Results of Electronegativity's SARIF report: which check fired in which file. */
export function parseSarif(text) {
  const sarif = JSON.parse(text);
  const results = sarif?.runs?.[0]?.results;
  if (!Array.isArray(results)) throw new Error('not an Electronegativity SARIF report');
  return results.map((result) => {
    const uri = result.locations?.[0]?.physicalLocation?.artifactLocation?.uri;
    return { id: String(result.ruleId), file: uri === 'file:///' || uri === undefined ? 'N/A' : String(uri) };
  });
}

const key = (finding) => `${finding.id} ${finding.file}`;

function tally(findings) {
  const counts = new Map();
  for (const finding of findings) counts.set(key(finding), (counts.get(key(finding)) ?? 0) + 1);
  return counts;
}

/**
 * The stage's verdict. `incomplete` when the CSV lacks findings the SARIF has (the race above);
 * `failures` are high and medium findings beyond what REVIEWED accepts.
 */
export function judge(csvText, sarifText, reviewed = REVIEWED) {
  const findings = parseCsv(csvText);
  const listed = tally(parseSarif(sarifText));
  const read = tally(findings);
  const missing = [...listed].filter(([k, n]) => (read.get(k) ?? 0) !== n).map(([k]) => k);
  if (missing.length > 0 || read.size !== listed.size) return { incomplete: true, failures: [], accepted: [], findings };
  const allowance = new Map(reviewed.map((r) => [key(r), r.count]));
  const failures = [];
  const accepted = [];
  for (const finding of findings) {
    if (!FAILING.has(finding.severity)) continue;
    const left = allowance.get(key(finding)) ?? 0;
    if (left > 0) {
      allowance.set(key(finding), left - 1);
      accepted.push(finding);
    } else failures.push(finding);
  }
  return { incomplete: false, failures, accepted, findings };
}

function scan(input, output) {
  const require = createRequire(import.meta.url);
  const cli = join(require.resolve('@doyensec/electronegativity/package.json'), '..', 'dist', 'index.js');
  return new Promise((resolve, reject) => {
    // -e: the Electron version in package.json (it cannot detect one from TypeScript sources).
    const child = spawn(
      process.execPath,
      [
        '--require',
        fileURLToPath(new URL('./electronegativity-commander.cjs', import.meta.url)),
        cli,
        '-i',
        input,
        '-r',
        '-e',
        electronVersion(),
        '-o',
        output,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`electronegativity exited ${code}: ${stderr.slice(0, 500)}`))));
  });
}

function electronVersion() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies.electron;
}

async function main(argv) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  let verdict = null;
  if (argv[0] === '--reports') {
    // Judges two reports already written (the tests' fixtures).
    verdict = judge(readFileSync(argv[1], 'utf8'), readFileSync(argv[2], 'utf8'));
  } else {
    for (let attempt = 1; attempt <= 3 && (verdict === null || verdict.incomplete); attempt++) {
      const dir = mkdtempSync(join(tmpdir(), 'movelog-electronegativity-'));
      try {
        const csv = join(dir, 'report.csv');
        const sarif = join(dir, 'report.sarif');
        await Promise.all([scan(join(root, 'app'), csv), scan(join(root, 'app'), sarif)]);
        verdict = judge(readFileSync(csv, 'utf8'), readFileSync(sarif, 'utf8'));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  if (verdict.incomplete) {
    process.stdout.write('Electronegativity: its CSV report lost findings three times over; nothing can be concluded.\n');
    return 1;
  }
  for (const finding of verdict.accepted) {
    const why = REVIEWED.find((r) => key(r) === key(finding))?.reason ?? '';
    process.stdout.write(`reviewed  ${finding.severity} ${finding.id} ${finding.file}:${finding.line}: ${why}\n`);
  }
  for (const finding of verdict.failures) process.stdout.write(`FINDING   ${finding.severity} ${finding.id} ${finding.file}:${finding.line}\n`);
  const others = verdict.findings.length - verdict.accepted.length - verdict.failures.length;
  process.stdout.write(
    `Electronegativity: ${verdict.failures.length} high or medium finding(s), ${verdict.accepted.length} reviewed, ${others} low or informational.\n`,
  );
  return verdict.failures.length > 0 ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`Electronegativity could not run: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
