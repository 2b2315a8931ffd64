// Tests run as CommonJS through ts-jest (transpile only: `npm test` type-checks with tsc first), so
// jest needs no experimental VM flags; the ESM-only packages (lowdb, steno) are transformed too,
// and botbuilder's packages get native async functions as in the bundle (src/botframework/nativeAsync.cjs).
const { DOWNLEVELLED } = require('./src/botframework/nativeAsync.cjs');

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    [DOWNLEVELLED.source]: '<rootDir>/src/botframework/jestNativeAsync.cjs',
    '^.+\\.(t|j)s$': [
      'ts-jest',
      {
        tsconfig: {
          isolatedModules: true,
          module: 'commonjs',
          moduleResolution: 'node',
          target: 'es2022',
          allowJs: true,
          esModuleInterop: true,
          verbatimModuleSyntax: false,
        },
        diagnostics: false,
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(lowdb|steno|botbuilder|botframework))'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  globalSetup: '<rootDir>/test/support/postgresGlobalSetup.mjs',
  globalTeardown: '<rootDir>/test/support/postgresGlobalTeardown.mjs',
  setupFiles: ['<rootDir>/test/support/propertySeed.cjs'],
  testTimeout: 20000,
};
