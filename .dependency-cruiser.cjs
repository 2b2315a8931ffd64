// The dependency rule (docs/ARCHITECTURE.md): arrows point down the layers only, and nothing imports
// itself round a cycle. `npm run lint` runs it; test/houseRules/dependencyRule.test.ts shows it fails when broken.

/** The layers, top first; a file may import its own layer and any below it. */
const LAYERS = [
  {
    name: 'entry points',
    path: [
      '^src/(main|chat|chatOverHttp|dbCli)[.]ts$',
      'Cli[.]ts$',
      '^src/api/writeOpenApi[.]ts$',
      '^src/nlu/(train|evaluate)[.]ts$',
      '^src/devtools/',
      '^bench/',
    ],
  },
  { name: 'server', path: ['^src/server[.]ts$'] },
  { name: 'composition root', path: ['^src/app[.]ts$', '^src/appStorage[.]ts$', '^src/wiring/'] },
  {
    name: 'hosting',
    path: [
      '^src/(bot|turnLockMiddleware|turnErrorPolicy|activityRequest|bodyReader|serviceUrlPolicy|terminalRender|startErrors)[.]ts$',
      '^src/(web|api|transcripts)/',
    ],
  },
  { name: 'dialogs', path: ['^dialogs/'] },
  { name: 'turn plumbing', path: ['^src/botframework/', '^src/clientAddress[.]ts$'] },
  { name: 'understanding', path: ['^src/nlu/'] },
  { name: 'configuration', path: ['^src/config[.]ts$'] },
  { name: 'storage adapters', path: ['^src/store/'] },
  { name: 'log', path: ['^src/log[.]ts$'] },
  { name: 'domain', path: ['^src/(identity|membership|notify|privacy|billing)/'] },
  { name: 'languages', path: ['^src/i18n/'] },
  { name: 'model', path: ['^src/model/'] },
  { name: 'core', path: ['^src/core/'] },
];

/** One rule per layer: nothing in it imports a layer above it. A file belongs to the first layer it matches. */
const upward = LAYERS.slice(1).map((layer, index) => {
  const above = LAYERS.slice(0, index + 1).flatMap((l) => l.path);
  return {
    name: `no-upward-from-${layer.name.replace(/ /g, '-')}`,
    comment: `${layer.name} may import only its own layer and those below it (docs/ARCHITECTURE.md)`,
    severity: 'error',
    from: { path: layer.path, pathNot: above },
    to: { path: above },
  };
});

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'no-cycles',
      comment: 'a cycle makes two modules one; the lower one should not know the higher',
      severity: 'error',
      from: { path: '^(src|dialogs)/' },
      to: { circular: true },
    },
    {
      name: 'domain-knows-no-frameworks',
      comment: 'the domain works through the storage port and its own ports, never a framework or engine',
      severity: 'error',
      from: { path: LAYERS.find((l) => l.name === 'domain').path },
      to: { path: '^(node_modules/)?(botbuilder|botbuilder-[a-z-]+|botframework-[a-z-]+|restify|lowdb|pg)(/|$)' },
    },
    {
      name: 'store-shared-knows-no-engine',
      comment: 'what both engines share (src/store/*.ts) sits above them: it never imports an engine',
      severity: 'error',
      from: { path: '^src/store/[^/]+$' },
      to: { path: '^src/store/(json|postgres)/' },
    },
    {
      name: 'json-engine-knows-no-postgres',
      comment: 'the JSON engine runs without pg; PostgreSQL may read JSON files (db:import), not the reverse',
      severity: 'error',
      from: { path: '^src/store/json/' },
      to: { path: '^src/store/postgres/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|test|web|scripts)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
