#!/usr/bin/env node
// The `movelog` command. The CLI itself is TypeScript compiled by `npm run build`.
import { existsSync } from 'node:fs';

const entry = new URL('../out/node/main/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('movelog: this copy is not built yet. Run "npm run build" in the Movelog folder, then try again.\n');
  process.exit(2);
}
const { run } = await import(entry.href);
await run(process.argv.slice(2));
