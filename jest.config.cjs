// Tests run as CommonJS through ts-jest (transpile only: `npm test` type-checks with tsc first), so
// jest needs no experimental VM flags; the ESM-only packages (lowdb, steno) are transformed too.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)s$': ['ts-jest', {
      tsconfig: { isolatedModules: true, module: 'commonjs', moduleResolution: 'node', target: 'es2022', allowJs: true, esModuleInterop: true, verbatimModuleSyntax: false },
      diagnostics: false,
    }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(lowdb|steno)/)'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testTimeout: 20000,
};
