// Skips a build stage whose inputs and outputs are byte for byte what its last successful run saw
// and left. A stage's stamp (dist/.build/<stage>.json) keeps the hash of both and the files its
// run reported reading, so an import added later is watched from then on; a file that appears in a
// watched folder, a changed lock file or a deleted output all run the stage again.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export const STAMP_DIR = 'dist/.build';

/** Every file under `dir` whose name passes `keep`, as paths relative to `root`; none when `dir` is missing. */
export function filesUnder(root, dir, keep = () => true) {
  const found = [];
  const walk = (rel) => {
    let entries;
    try {
      entries = readdirSync(join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && keep(entry.name)) found.push(path);
    }
  };
  walk(dir);
  return found;
}

/**
 * `paths` (absolute or relative) as paths relative to `root`, without those in node_modules (the
 * lock files stand for them), those outside the repository (Node's own, the type libraries) and
 * esbuild's names of modules it left out ("(disabled):fs").
 */
export function ownFiles(root, paths) {
  return paths
    .filter((p) => !p.startsWith('('))
    .map((p) => (isAbsolute(p) ? relative(root, p) : p).split(sep).join('/'))
    .filter((p) => !p.startsWith('../') && !p.split('/').includes('node_modules'));
}

/**
 * Content hashes already computed, by file, with the file's identity when hashed (inode, size,
 * modification and change times in nanoseconds), kept in dist/.build/hashes.json: a start with
 * nothing changed stats the files instead of reading dist/'s 30 MB again. As git does with its index,
 * a file modified less than a second before its hash was taken is hashed again (an edit within the
 * file system's timestamp granularity would otherwise keep the old identity).
 */
const RACY_MS = 1000;
const hashCaches = new Map();

function hashCache(root) {
  let cache = hashCaches.get(root);
  if (!cache) {
    const file = join(root, STAMP_DIR, 'hashes.json');
    cache = { file, entries: readStamp(file) ?? {}, changed: false };
    hashCaches.set(root, cache);
  }
  return cache;
}

/** Writes the hashes computed by this run beside the stamps (renamed into place: a build beside it reads whole files). */
function saveHashCache(root) {
  const cache = hashCache(root);
  if (!cache.changed) return;
  mkdirSync(dirname(cache.file), { recursive: true });
  const partial = `${cache.file}.${process.pid}`;
  writeFileSync(partial, JSON.stringify(cache.entries));
  renameSync(partial, cache.file);
  cache.changed = false;
}

/** One file's content hash, or a marker of its absence (a missing input or output counts as a change). */
function fileHash(root, file) {
  const path = resolve(root, file);
  const stat = existsSync(path) ? statSync(path, { bigint: true }) : null;
  if (!stat?.isFile()) return 'missing';
  const identity = `${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
  const cache = hashCache(root);
  const known = cache.entries[file];
  if (known?.identity === identity) return known.hash;
  const hash = createHash('sha256').update(readFileSync(path)).digest('hex');
  if (Number(stat.mtimeMs) < Date.now() - RACY_MS) {
    cache.entries[file] = { identity, hash };
    cache.changed = true;
  }
  return hash;
}

/** One hash over the files' names and contents, in a fixed order. */
function digest(root, files, known = new Map()) {
  const hash = createHash('sha256');
  for (const file of [...new Set(files)].sort()) {
    hash.update(`${file}\0${known.get(file) ?? fileHash(root, file)}\n`);
  }
  return hash.digest('hex');
}

function readStamp(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

const stampFile = (root, name) => join(root, STAMP_DIR, `${name}.json`);

/** The files whose change runs `stage` again: those it declares now and those its last run read. */
export function watchedFiles(root, stage) {
  const stamp = readStamp(stampFile(root, stage.name));
  return [...new Set([...stage.inputs(), ...(stamp?.recorded ?? [])])].sort();
}

/** How the stamp compares: whether the inputs and the outputs are as the last successful run left them. */
function compare(root, stage) {
  const stamp = readStamp(stampFile(root, stage.name));
  if (!stamp) return { inputs: false, outputs: false };
  return {
    inputs: digest(root, [...stage.inputs(), ...stamp.recorded]) === stamp.inputHash,
    outputs: digest(root, stamp.outputs) === stamp.outputHash,
  };
}

/** Whether `stage` would be skipped: its stamp matches its inputs (declared now, recorded then) and outputs. */
export function isFresh(root, stage) {
  const same = compare(root, stage);
  saveHashCache(root);
  return same.inputs && same.outputs;
}

/**
 * Runs `stage` unless it is fresh. A stage is `{ name, inputs(), run() }`: `inputs()` names the files
 * it depends on that are known before it runs (relative to `root`); `run({ outputsIntact })` does the
 * work (told whether its last outputs are untouched, for a tool that keeps state of its own) and
 * resolves to `{ inputs, outputs }`, the files it read (as found, e.g. from a compiler's file list)
 * and wrote. The declared inputs are hashed before the run, so an edit made while it runs is
 * seen next time. A run that throws leaves no stamp. Resolves to "fresh" or "built".
 */
export async function runStage(root, stage) {
  const same = compare(root, stage);
  saveHashCache(root);
  if (same.inputs && same.outputs) return 'fresh';
  const file = stampFile(root, stage.name);
  rmSync(file, { force: true });
  const declared = stage.inputs();
  const before = new Map(declared.map((f) => [f, fileHash(root, f)]));
  const { inputs, outputs } = await stage.run({ outputsIntact: same.outputs });
  const recorded = ownFiles(root, inputs).filter((f) => !before.has(f));
  const own = ownFiles(root, outputs);
  const stamp = {
    inputHash: digest(root, [...declared, ...recorded], before),
    outputHash: digest(root, own),
    recorded: [...new Set(recorded)].sort(),
    outputs: [...new Set(own)].sort(),
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(stamp, null, 1)}\n`);
  saveHashCache(root);
  return 'built';
}
