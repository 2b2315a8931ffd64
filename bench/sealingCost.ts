// What sealing personal data costs (src/store/sealedRecords.ts): per field, per member put and
// read, and the JSON store's first start on a plain file of 100k members (sealing every member,
// then rewriting the snapshot) against a later start, which decrypts nothing. Prints JSON.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../src/core/random.js';
import { syntheticDb } from '../src/devtools/syntheticData.js';
import { FieldCipher } from '../src/privacy/fieldCipher.js';
import { openDataStore } from '../src/store/json/dataStore.js';
import { JsonRepository } from '../src/store/json/jsonRepository.js';
import { RecordSealer } from '../src/store/sealedRecords.js';
import { benchSealer } from './benchSealer.js';
import { percentile } from './loadClient.js';

export interface SealingCost {
  /** Microseconds an operation, median of 5 passes of 20,000. */
  sealFieldUs: number;
  openFieldUs: number;
  blindIndexUs: number;
  sealMemberUs: number;
  openMemberUs: number;
  members: number;
  firstStartMs: number;
  laterStartMs: number;
  lookupByPhoneUs: number;
}

const OPS = 20_000;
const PASSES = 5;

function perOp(run: (i: number) => void): number {
  const passes: number[] = [];
  for (let pass = 0; pass < PASSES; pass++) {
    const t0 = performance.now();
    for (let i = 0; i < OPS; i++) run(i);
    passes.push(((performance.now() - t0) * 1000) / OPS);
  }
  return Math.round(percentile(passes, 50) * 100) / 100;
}

async function measure(): Promise<SealingCost> {
  const sealer = benchSealer();
  const cipher = new FieldCipher([{ id: 'bench', key: Buffer.alloc(32, 1) }], Buffer.alloc(32, 2));
  const db = syntheticDb(1000, seededRandom(1));
  const member = db.members[0];
  const sealed = cipher.seal(member.phone, 'members/m/phone');
  const stored = sealer.sealMember(member);
  const field = {
    sealFieldUs: perOp(() => cipher.seal(member.phone, 'members/m/phone')),
    openFieldUs: perOp(() => cipher.open(sealed, 'members/m/phone')),
    blindIndexUs: perOp(() => cipher.index('phone', member.phone)),
    sealMemberUs: perOp(() => sealer.sealMember(member)),
    openMemberUs: perOp(() => sealer.openMember(stored)),
  };

  const members = 100_000;
  const dir = mkdtempSync(join(tmpdir(), 'sealing-'));
  try {
    const data = syntheticDb(members, seededRandom(2));
    const file = join(dir, 'db.json');
    writeFileSync(file, JSON.stringify(data));
    const keys = new RecordSealer(new FieldCipher([{ id: 'bench', key: Buffer.alloc(32, 1) }], Buffer.alloc(32, 2)));
    let t0 = performance.now();
    const first = await openDataStore(file);
    await JsonRepository.open(first, keys);
    await first.close();
    const firstStartMs = Math.round(performance.now() - t0);
    t0 = performance.now();
    const later = await openDataStore(file);
    const repo = await JsonRepository.open(later, keys);
    const laterStartMs = Math.round(performance.now() - t0);
    const phones = data.members.slice(0, 2000).map((m) => m.phone);
    t0 = performance.now();
    for (const phone of phones) await repo.memberByPhone(phone);
    const lookupByPhoneUs = Math.round(((performance.now() - t0) * 1000) / phones.length);
    await later.close();
    return { ...field, members, firstStartMs, laterStartMs, lookupByPhoneUs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

measure().then(
  (cost) => process.stdout.write(`${JSON.stringify(cost)}\n`),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
