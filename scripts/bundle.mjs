// Bundles the compiled server into one ES module (dist/server.mjs), which `npm start` runs
// (called by scripts/build.mjs).
// botbuilder's async functions become native ones on the way (src/botframework/nativeAsync.cjs).
// The bundle starts faster than dist/src/main.js: it skips module resolution and the CommonJS
// export lexer. Minifying made it slower: V8 compiles the bundle lazily either way, and the short
// names cost nothing (bench/analysis.md, change 4).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const { nativeAsync, DOWNLEVELLED } = createRequire(import.meta.url)('../src/botframework/nativeAsync.cjs');

/** botbuilder's async functions as native ones (src/botframework/nativeAsync.cjs says why). */
const nativeAsyncPlugin = {
  name: 'native-async',
  setup(pluginBuild) {
    // esbuild's filters are Go regular expressions, without the look-ahead DOWNLEVELLED uses.
    pluginBuild.onLoad({ filter: /node_modules[\\/](botbuilder|botframework)/ }, async (args) => {
      if (!DOWNLEVELLED.test(args.path)) return undefined;
      return { contents: nativeAsync(await readFile(args.path, 'utf8'), args.path), loader: 'js' };
    });
  },
};

/**
 * restify requires spdy at load for its HTTP/2-over-SPDY option, which this server never sets; spdy
 * loads http-deceiver, whose process.binding('http_parser') prints DEP0111 at every start. In its
 * place the bundle gets a module that refuses to serve SPDY, and the warning is never printed.
 */
const noSpdyPlugin = {
  name: 'no-spdy',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^spdy$/ }, () => ({ path: 'spdy', namespace: 'no-spdy' }));
    pluginBuild.onLoad({ filter: /.*/, namespace: 'no-spdy' }, () => ({
      contents:
        "exports.createServer = () => { throw new Error('SPDY is not part of this build: leave restify\\'s spdy option unset.'); };",
      loader: 'js',
    }));
  },
};

const shared = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // restify's optional DTrace probes are a native addon; pino-pretty is loaded from node_modules as it is.
  external: ['dtrace-provider', 'pino-pretty'],
  // The bundled CommonJS packages call require() for Node's own modules.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  plugins: [nativeAsyncPlugin, noSpdyPlugin],
  metafile: true,
  logLevel: 'warning',
};

/** Writes the bundles; resolves to the files they were made from and the files written. */
export async function bundleServer() {
  const results = await Promise.all([
    build({ ...shared, entryPoints: ['dist/src/main.js'], outfile: 'dist/server.mjs' }),
    // The benchmark's echo floor run the way the server runs (ECHO_PLUMBING=ours); dist/bench/echoServer.js is botbuilder as shipped.
    build({ ...shared, entryPoints: ['dist/bench/echoServer.js'], outfile: 'dist/bench/echoServer.mjs' }),
  ]);
  return {
    inputs: results.flatMap((r) => Object.keys(r.metafile.inputs)),
    outputs: results.flatMap((r) => Object.keys(r.metafile.outputs)),
  };
}
