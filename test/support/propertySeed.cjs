// Property tests run on a fixed seed, so that CI is deterministic; PROPERTY_SEED explores others.
const fc = require('fast-check');

fc.configureGlobal({ seed: Number(process.env.PROPERTY_SEED ?? 20261124) });
