// Jest runs botbuilder's packages as `npm start` does: with native async functions (nativeAsync.cjs).
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { nativeAsync } = require('./nativeAsync.cjs');

const version = createHash('sha256')
  .update(readFileSync(require.resolve('./nativeAsync.cjs')))
  .digest('hex');

module.exports = {
  process(source, path) {
    return { code: nativeAsync(source, path) };
  },
  getCacheKey(source, path) {
    return createHash('sha256').update(version).update(path).update(source).digest('hex');
  },
};
