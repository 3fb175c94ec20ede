// The layout's rules, checked on every `npm run lint`: which folder may import which. Type-only
// imports count (tsPreCompilationDeps): a screen that imports the engine's types is tied to the
// engine as surely as one that calls it. Paths are relative to the repository's root; package.json
// "imports" aliases (#contract/*, #engine/*, #db/*) resolve to the files they name, so a rule
// holds whichever way the import is written.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'renderer-imports-only-contract',
      comment:
        'The screens talk to the engine through the contract alone: they import contract/, their own files and npm packages; not electron/ or db/, not the electron package (the preload is their only way out), not Node built-ins (in serve mode a browser runs them).',
      severity: 'error',
      from: { path: '^renderer/' },
      to: {
        pathNot: ['^renderer/', '^contract/', '(^|/)node_modules/(?!electron/)', '^electron/shell/bridge\\.ts$'],
      },
    },
    {
      name: 'renderer-bridge-type-only',
      comment: "The screens may name the shell's IPC bridge type (electron/shell/bridge.ts) but not run its code.",
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^electron/shell/bridge\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'engine-not-electron',
      comment:
        'The engine runs under plain Node (and in tests): it never imports the electron package, nor the shell that does (electron/main.ts, preload.ts, shell/).',
      severity: 'error',
      from: { path: '^electron/engine/' },
      to: { path: ['(^|/)node_modules/electron/', '^electron/(shell/|main\\.ts$|preload\\.ts$)'] },
    },
    {
      name: 'engine-not-renderer',
      comment: 'The engine never imports the screens; what both need lives in contract/.',
      severity: 'error',
      from: { path: '^electron/engine/' },
      to: { path: '^renderer/' },
    },
    {
      name: 'services-not-devices',
      comment:
        'Services never import devices: the hardware is reached through the container (container.ts), so a service can be run and tested without it.',
      severity: 'error',
      from: { path: '^electron/engine/services/' },
      to: { path: '^electron/engine/devices/' },
    },
    {
      name: 'db-imports-nothing-of-the-app',
      comment:
        'db/ is the storage underneath: it imports nothing from electron/ or renderer/. It may take a vocabulary from contract/ (tax codes, sold-by), so a column and the screens share one list.',
      severity: 'error',
      from: { path: '^db/' },
      to: { path: '^(electron|renderer)/' },
    },
    {
      name: 'contract-stands-alone',
      comment:
        'contract/ is shared by the screens and the engine: zod schemas and pure helpers that import only contract/ and npm packages (no Node built-ins: the screens run it in a browser too).',
      severity: 'error',
      from: { path: '^contract/' },
      to: { pathNot: ['^contract/', '(^|/)node_modules/(?!electron/)'] },
    },
    {
      name: 'no-circular-services-devices',
      comment: 'No cycle runs through both services/ and devices/ (any such cycle passes through a service, where it is caught).',
      severity: 'error',
      from: { path: '^electron/engine/services/' },
      to: { circular: true, via: { path: '^electron/engine/devices/' } },
    },
    {
      name: 'no-circular',
      comment: 'No import cycle inside the engine: a cycle makes load order matter and the parts impossible to take apart.',
      severity: 'error',
      from: { path: '^electron/engine/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules/' },
    exclude: { path: '^(dist|\\.build|coverage|test-results|\\.pos-data|\\.scratch)/' },
    moduleSystems: ['es6', 'cjs'],
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.cjs'],
    },
    skipAnalysisNotInRules: true,
  },
};
