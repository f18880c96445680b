import { describe, expect, it } from 'vitest';
import { defaultDataDir } from './paths.js';

describe('defaultDataDir', () => {
  it('follows MOVELOG_DATA, then the platform convention Electron uses for userData', () => {
    expect(defaultDataDir({ MOVELOG_DATA: '/srv/clinic' }, 'linux')).toBe('/srv/clinic');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/home/a/.cfg' }, 'linux')).toBe('/home/a/.cfg/Movelog');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toMatch(/Roaming[\\/]Movelog$/);
    expect(defaultDataDir({}, 'darwin')).toMatch(/Library\/Application Support\/Movelog$/);
  });
});
