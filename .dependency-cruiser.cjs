// @ts-check
/**
 * Import rules that ESLint cannot see: `import-x/no-cycle` skips type-only imports, but a
 * type-only loop is still a loop in the design (docs/architecture.md#layers-inside-main).
 * dependency-cruiser reads TypeScript before compilation (`tsPreCompilationDeps`), so `import
 * type` counts here. `npm run lint` runs it after ESLint.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'No import loops, type-only ones included: a module and everything it imports form a tree.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|out|dist|test-results|playwright-report)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.test.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.tsx', '.js', '.mjs'],
    },
    moduleSystems: ['es6', 'cjs'],
  },
};
