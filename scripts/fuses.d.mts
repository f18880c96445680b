// Types for scripts/fuses.mjs (an ES module electron-builder loads as is), for test/fuses.test.ts.
import type { FuseConfig } from '@electron/fuses';

export interface PackContext {
  readonly appOutDir: string;
  readonly electronPlatformName: string;
  readonly arch: number;
  readonly packager: { readonly appInfo: { readonly productFilename: string }; readonly executableName: string };
}

export declare const MOVELOG_FUSES: Readonly<FuseConfig>;
export declare function electronBinaryPath(context: PackContext): string;
export default function afterPack(context: PackContext, flip?: (path: string, config: FuseConfig) => Promise<unknown>): Promise<void>;
