// Electron fuses for the packaged app (docs/architecture.md#electron-hardening), flipped by
// electron-builder's afterPack hook (electron-builder.yml), before the app is signed. Each fuse is
// a switch compiled into the Electron binary that no environment variable or argument can undo.
// test/fuses.test.ts checks this configuration; the flip itself needs Electron's binary.
import { join } from 'node:path';
import fuses from '@electron/fuses';

const { FuseV1Options, FuseVersion, flipFuses } = fuses;

/** Every fuse @electron/fuses 1.8 knows is set explicitly (strictlyRequireAllFuses), so none is left at Electron's default by omission. */
export const MOVELOG_FUSES = Object.freeze({
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  // ELECTRON_RUN_AS_NODE=1 would turn the signed app into a plain Node interpreter.
  [FuseV1Options.RunAsNode]: false,
  // Cookies and local storage encrypted with the OS keystore key.
  [FuseV1Options.EnableCookieEncryption]: true,
  // NODE_OPTIONS could preload any script into main.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  // --inspect and friends would open a debugger on main.
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // app.asar must match the hash electron-builder embeds (macOS and Windows; Linux has no such check yet).
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  // Never load an app folder placed next to (or instead of) app.asar.
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  // The renderer is served from app://, so file:// needs none of its historical extra privileges.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
});

/** The Electron executable inside electron-builder's output for one platform. */
export function electronBinaryPath(context) {
  const name = context.packager.appInfo.productFilename;
  switch (context.electronPlatformName) {
    case 'darwin':
    case 'mas':
      return join(context.appOutDir, `${name}.app`);
    case 'win32':
      return join(context.appOutDir, `${name}.exe`);
    case 'linux':
      return join(context.appOutDir, context.packager.executableName);
    default:
      throw new Error(`no fuses for platform ${context.electronPlatformName}`);
  }
}

/** electron-builder's afterPack hook. `flip` is replaceable for the test only. */
export default async function afterPack(context, flip = flipFuses) {
  // Flipping a fuse breaks a macOS binary's ad-hoc signature; it is re-signed now (and properly signed after this hook).
  const darwin = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas';
  await flip(electronBinaryPath(context), { ...MOVELOG_FUSES, resetAdHocDarwinSignature: darwin });
}
