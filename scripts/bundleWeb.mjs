// Bundles the chat page's script (web/client/main.ts with Web Chat from node_modules) and its
// stylesheet into dist/web/, each beside a Brotli and a gzip copy that the server sends to browsers
// that accept them (called by scripts/build.mjs). Prints the sizes; docs/PERFORMANCE.md has the figures.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const out = 'dist/web';

/** Writes the page's script and stylesheet; resolves to the files they were made from and the files written. */
export async function bundleWeb() {
  await mkdir(out, { recursive: true });
  const script = await build({
    entryPoints: ['web/client/main.ts'],
    outfile: `${out}/chat.js`,
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['chrome100', 'safari15', 'firefox100'],
    platform: 'browser',
    jsx: 'automatic',
    // Web Chat's sources are JSX in .js files.
    loader: { '.js': 'jsx' },
    // Web Chat's sources read these Node-only settings; a browser has no process.
    define: {
      'process.env.NODE_ENV': '"production"',
      'process.env.node_env': '"production"',
      'process.env.LANG': 'undefined',
      global: 'globalThis',
    },
    legalComments: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  const style = await build({
    entryPoints: ['web/client/chat.css'],
    outfile: `${out}/chat.css`,
    bundle: true,
    minify: true,
    metafile: true,
    logLevel: 'warning',
  });
  const compressed = [];
  for (const name of ['chat.js', 'chat.css']) {
    const file = `${out}/${name}`;
    const body = await readFile(file);
    const br = brotliCompressSync(body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    });
    const gz = gzipSync(body, { level: 9 });
    await writeFile(`${file}.br`, br);
    await writeFile(`${file}.gz`, gz);
    compressed.push(`${file}.br`, `${file}.gz`);
    console.log(`${name}: ${body.length} bytes, br ${br.length}, gzip ${gz.length}`);
  }
  return {
    inputs: [script, style].flatMap((r) => Object.keys(r.metafile.inputs)),
    outputs: [...[script, style].flatMap((r) => Object.keys(r.metafile.outputs)), ...compressed],
  };
}
