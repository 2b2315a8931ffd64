import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemberService } from '../../../src/membership/memberService.js';
import { MembershipService } from '../../../src/membership/membershipService.js';
import { OutboxDispatcher } from '../../../src/notify/outboxDispatcher.js';
import { openDataStore } from '../../../src/store/json/dataStore.js';
import { domain } from '../../support/domain.js';
import { scratchDir } from '../../support/testConfig.js';

const openJournalled = (file: string, seedFile?: string) => openDataStore(file, seedFile, 100_000);

/** Copies the data file and its journal elsewhere, as a crash would leave them. */
function asIfCrashed(file: string): string {
  const copy = join(scratchDir(), 'db.json');
  copyFileSync(file, copy);
  copyFileSync(`${file}.journal`, `${copy}.journal`);
  return copy;
}

describe('the data file journal', () => {
  it('replays to exactly what was in memory, after every kind of change the services make', async () => {
    const file = join(scratchDir(), 'db.json');
    const store = await openJournalled(file, 'data/seed.json');
    const d = await domain({ store, policy: { maxAttempts: 1, resendSeconds: 0 } });
    const members = new MemberService(d.repo, d.clock, d.random);
    const snapshotBefore = readFileSync(file, 'utf8');

    const zhang = { kind: 'phone', value: '+8613812345678' } as const;
    const dead = await d.otp.requestCode(zhang);
    if (dead.status === 'sent') await d.otp.verify(dead.challengeId, 'xxxxxx');
    await d.otp.requestCode({ kind: 'phone', value: '+8613999999999' });
    const sent = await d.otp.requestCode(zhang);
    const code = /\d{6}/.exec(store.data.outbox.filter((m) => m.template === 'otp').at(-1)!.text)![0];
    if (sent.status === 'sent') await d.otp.verify(sent.challengeId, code);
    const { cancellation } = await d.memberships.cancel({
      memberId: 'm-1001',
      membershipId: 'ms-2001',
      option: 'period_end',
      requestId: 'a',
    });
    await d.memberships.recordReason('m-1001', cancellation.reference, 'privacy');
    await d.memberships.cancel({ memberId: 'm-1002', membershipId: 'ms-2003', option: 'immediate', requestId: 'b' });
    await d.memberships.undo('m-1003', 'ms-2004');
    await d.memberships.recordAudit({ type: 'cancellation.quote_shown', memberId: 'm-1001' });
    await members.rememberConversation('m-1009', { conversation: { id: 'conv-9' }, channelId: 'webchat' });
    await members.requestHandoff('conv-9', 'zh-CN', 'm-1009');
    let calls = 0;
    await new OutboxDispatcher(
      d.repo,
      () => ({
        send: async () => {
          calls += 1;
          if (calls === 2) throw new Error('down');
        },
      }),
      d.clock,
      { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, leaseMs: 60_000 },
    ).deliverDue();
    d.clock.advance(100 * 86_400_000);
    await d.memberships.sweep();
    await d.otp.requestCode(zhang);
    // Retention: audit entries past 30 days go (cancellation ones stay), ended challenges go.
    const auditBefore = store.data.audit.length;
    await new MembershipService(d.repo, d.notifier, d.clock, d.random, 30).sweep();
    expect(store.data.audit.length).toBeLessThan(auditBefore);
    d.clock.advance(86_400_000 + 11 * 60_000);
    await d.otp.purgeStale();
    expect(store.data.otpChallenges).toEqual([]);
    expect(store.data.outbox.filter((m) => m.template === 'otp').map((m) => m.status)).toEqual(['pending']);

    expect(readFileSync(file, 'utf8')).toBe(snapshotBefore);
    const recovered = await openJournalled(asIfCrashed(file));
    expect(recovered.data).toEqual(JSON.parse(JSON.stringify(store.data)));
    await recovered.close();
    await store.close();
  });

  it('ignores a transaction cut short by a crash and reports damage anywhere else, leaving the files as they were', async () => {
    const file = join(scratchDir(), 'db.json');
    const store = await openJournalled(file, 'data/seed.json');
    const d = await domain({ store });
    await d.memberships.cancel({ memberId: 'm-1001', membershipId: 'ms-2001', option: 'period_end', requestId: 'a' });
    await d.memberships.cancel({ memberId: 'm-1006', membershipId: 'ms-2007', option: 'period_end', requestId: 'b' });
    const torn = asIfCrashed(file);
    const lines = readFileSync(`${torn}.journal`, 'utf8').split('\n');
    writeFileSync(`${torn}.journal`, `${lines[0]}\n${lines[1].slice(0, 40)}`);
    const recovered = await openJournalled(torn);
    expect(recovered.data.memberships.find((m) => m.id === 'ms-2001')?.status).toBe('pending_cancel');
    expect(recovered.data.memberships.find((m) => m.id === 'ms-2007')?.status).toBe('active');
    expect(recovered.data.cancellations).toHaveLength(3);
    await recovered.close();

    const damaged = asIfCrashed(file);
    const text = readFileSync(`${damaged}.journal`, 'utf8').replace('"status":"pending_cancel"', '"status":"gone"');
    writeFileSync(`${damaged}.journal`, text);
    await expect(openJournalled(damaged)).rejects.toThrow(`Cannot load ${damaged}.journal: a change does not apply`);
    expect(readFileSync(`${damaged}.journal`, 'utf8')).toBe(text);
    await store.close();
  });
});
