// Electronegativity 1.10 calls commander's pre-7 API (`program.version(…)` on the module itself)
// but does not list commander among its dependencies, so it gets whichever commander is hoisted to
// the top of node_modules — Movelog's own CLI's commander 14, whose module is not a program. This
// preload, used only when scripts/electronegativity.mjs runs the tool, resolves `commander` for the
// tool's own files to the commander 5 that @electron/asar (one of its dependencies) brings.
/* eslint-disable @typescript-eslint/no-require-imports -- a --require preload is CommonJS: it patches require's resolution */
const Module = require('node:module');
const { dirname } = require('node:path');

const tool = dirname(require.resolve('@doyensec/electronegativity/package.json'));
const asar = require.resolve('@electron/asar', { paths: [tool] });
const commander = require.resolve('commander', { paths: [dirname(asar)] });
const original = Module._resolveFilename;
Module._resolveFilename = function resolve(request, parent, ...rest) {
  if (request === 'commander' && parent?.filename?.startsWith(tool)) return commander;
  return original.call(this, request, parent, ...rest);
};
