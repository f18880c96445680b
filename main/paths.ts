import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Movelog keeps its data when no `--data` is given: the same folder Electron uses for
 * `app.getPath('userData')` (app name "Movelog"), so the desktop app and the browser host open
 * the same clinic. `MOVELOG_DATA` overrides it.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.MOVELOG_DATA) return env.MOVELOG_DATA;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Movelog');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Movelog');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Movelog');
}
