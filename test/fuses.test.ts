import { readFileSync } from 'node:fs';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import type { FuseConfig } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import afterPack, { electronBinaryPath, MOVELOG_FUSES } from '../scripts/fuses.mjs';

// Flipping fuses needs Electron's binary, which cannot be had here: this checks the configuration
// the packaging step passes, and that the hook is the one electron-builder runs.
const context = (platform: string) => ({
  appOutDir: '/build/out',
  electronPlatformName: platform,
  arch: 1,
  packager: { appInfo: { productFilename: 'Movelog' }, executableName: 'movelog' },
});

describe('Electron fuses of the packaged app', () => {
  it('turns off RunAsNode, NODE_OPTIONS and inspect; turns on cookie encryption, asar integrity and asar-only loading', () => {
    expect(MOVELOG_FUSES).toMatchObject({
      version: FuseVersion.V1,
      strictlyRequireAllFuses: true,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
  });

  it('sets every fuse the library knows, none by omission', () => {
    const known = Object.values(FuseV1Options).filter((v) => typeof v === 'number');
    for (const fuse of known) expect(typeof (MOVELOG_FUSES as Record<number, unknown>)[fuse], `fuse ${String(fuse)}`).toBe('boolean');
  });

  it('flips the fuses of the Electron executable of each platform', async () => {
    const flipped: [string, FuseConfig][] = [];
    const flip = (path: string, config: FuseConfig) => Promise.resolve(flipped.push([path, config]));
    await afterPack(context('linux'), flip);
    await afterPack(context('win32'), flip);
    await afterPack(context('darwin'), flip);
    expect(flipped.map(([path]) => path)).toEqual(['/build/out/movelog', '/build/out/Movelog.exe', '/build/out/Movelog.app']);
    expect(flipped.map(([, config]) => config.resetAdHocDarwinSignature)).toEqual([false, false, true]);
    for (const [, config] of flipped) expect(config).toMatchObject(MOVELOG_FUSES);
    expect(() => electronBinaryPath(context('sunos'))).toThrow(/no fuses/);
  });

  it('is the afterPack hook of electron-builder.yml, and the app is packed into an asar', () => {
    const config = readFileSync(new URL('../electron-builder.yml', import.meta.url), 'utf8');
    expect(config).toMatch(/^afterPack: \.\/scripts\/fuses\.mjs$/m);
    expect(config).toMatch(/^asar: true$/m);
  });
});
