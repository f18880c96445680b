// `npm start`: build, then launch the Electron app; where Electron's binary cannot be had (it is
// downloaded on first launch, and some machines cannot reach the download), say so plainly and
// start the browser host instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const passthrough = process.argv.slice(2);

if (process.env.MOVELOG_SKIP_BUILD !== '1') {
  const build = spawnSync(npm, ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) {
    process.stderr.write('Movelog could not be built (see the messages above). Run "npm install" first if you have not.\n');
    process.exit(1);
  }
}

/** Asks the electron package for its binary in a child process, so its download attempt and any stack trace stay out of sight. */
function findElectron() {
  if (process.env.MOVELOG_NO_ELECTRON === '1') return { path: null, why: 'MOVELOG_NO_ELECTRON=1 is set.' };
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: 10 * 60 * 1000,
  });
  const path = probe.status === 0 ? probe.stdout.trim() : '';
  if (path && existsSync(path)) return { path, why: '' };
  const firstLine = (probe.stderr || probe.stdout || '').split('\n').find((line) => /error|fail/i.test(line)) ?? '';
  return { path: null, why: firstLine.trim() };
}

const electron = findElectron();
if (electron.path) {
  const child = spawn(electron.path, ['.', ...passthrough], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  process.stdout.write(
    '\nThe Electron desktop window is not available on this computer: its binary is downloaded the first time ' +
      'Movelog starts, and that download did not succeed (for example because this machine can reach only the ' +
      'npm registry). Movelog will run in browser mode instead, with the same features and the same data: open ' +
      'the address below in Chromium, Chrome, Edge or Firefox on this computer.' +
      (electron.why ? `\n(Electron said: ${electron.why})` : '') +
      '\n\n',
  );
  const host = spawn(process.execPath, ['bin/movelog.js', 'serve', ...passthrough], { cwd: root, stdio: 'inherit' });
  const forward = (signal) => host.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  host.on('exit', (code) => process.exit(code ?? 0));
}
