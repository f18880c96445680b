// `npm test`: every check the project has, in order (format, lint, import loops, typecheck, Electronegativity, build,
// unit + integration, e2e), stopping at the first failing stage, then one closing line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
mkdirSync(`${root}test-results`, { recursive: true });

const stages = [
  ['format', ['prettier', '--check', '.']],
  ['lint', ['eslint', '--max-warnings=0', '.']],
  [
    'import loops',
    [
      'depcruise',
      '--config',
      '.dependency-cruiser.cjs',
      '--output-type',
      'err',
      'main',
      'shared',
      'app',
      'renderer',
      'test',
      'e2e',
      'bench',
      'scripts',
    ],
  ],
  ['typecheck', ['tsc', '-p', 'tsconfig.node.json', '--noEmit']],
  ['typecheck (app)', ['tsc', '-p', 'tsconfig.app.json', '--noEmit']],
  ['typecheck (renderer)', ['tsc', '-p', 'tsconfig.web.json', '--noEmit']],
  ['typecheck (tests)', ['tsc', '-p', 'tsconfig.test.json', '--noEmit']],
  // Fails on any high or medium finding in the Electron shell that was not reviewed (the tool itself exits 0).
  ['electronegativity', ['node', 'scripts/electronegativity.mjs']],
  ['build', ['electron-vite', 'build']],
  ['build (node)', ['tsc', '-p', 'tsconfig.node.json']],
  ['unit + integration', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json']],
  ['e2e', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: 'test-results/playwright.json' }],
];

let failedStage = null;
for (const [name, args, env] of stages) {
  const started = Date.now();
  process.stdout.write(`\n=== ${name}: ${args.join(' ')}\n`);
  const [command, commandArgs] = args[0] === 'node' ? [process.execPath, args.slice(1)] : [npx, args];
  const run = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  process.stdout.write(`=== ${name}: ${run.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  if (run.status !== 0) {
    failedStage = name;
    break;
  }
}

function count(file, read) {
  try {
    return read(JSON.parse(readFileSync(`${root}${file}`, 'utf8')));
  } catch {
    return { passed: 0, failed: 0 };
  }
}
const vitest = count('test-results/vitest.json', (r) => ({ passed: r.numPassedTests, failed: r.numFailedTests }));
const e2e = count('test-results/playwright.json', (r) => ({ passed: r.stats.expected, failed: r.stats.unexpected + r.stats.flaky }));
const passed = vitest.passed + e2e.passed;
const failed = vitest.failed + e2e.failed + (failedStage && vitest.failed + e2e.failed === 0 ? 1 : 0);
if (failedStage) process.stdout.write(`\nStage "${failedStage}" failed.\n`);
process.stdout.write(`\ntests: ${passed} passed, ${failed} failed\n`);
process.exit(failedStage ? 1 : 0);
