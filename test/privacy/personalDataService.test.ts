import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { DEFAULT_OTP_POLICY } from '../../src/identity/otpPolicy.js';
import { OtpService } from '../../src/identity/otpService.js';
import { MemberService } from '../../src/membership/memberService.js';
import { KEPT_BY_LAW, MembershipService } from '../../src/membership/membershipService.js';
import type { Repository } from '../../src/model/repository.js';
import { memberSchema } from '../../src/model/schema.js';
import { Notifier } from '../../src/notify/notifier.js';
import {
  ErasureBlockedError,
  NoPersonalDataError,
  PersonalDataService,
  type ConversationCopies,
} from '../../src/privacy/personalDataService.js';
import { openDataStore } from '../../src/store/json/dataStore.js';
import { JsonRepository } from '../../src/store/json/jsonRepository.js';
import { instance, rawQuery, seededDatabase } from '../store/postgres/postgresFixture.js';
import { canonical, seedDocument } from '../store/repositoryContract.js';
import { testSealer } from '../support/sealer.js';
import { scratchDir } from '../support/testConfig.js';

const NOW = '2026-11-24T02:00:00.000Z';

interface Engine {
  repo: Repository;
  /** Everything the engine keeps on disk or in its tables, as text: what a person reading the files would see. */
  rawText(): Promise<string>;
  close(): Promise<void>;
}

const ENGINES: [string, () => Promise<Engine>][] = [
  [
    'the JSON store',
    async () => {
      const file = join(scratchDir(), 'db.json');
      const store = await openDataStore(file, 'data/seed.json');
      const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
      return {
        repo: await JsonRepository.open(store, testSealer()),
        rawText: async () => {
          await store.settled();
          return [file, `${file}.journal`, `${file}.journal.old`].map(read).join('\n');
        },
        close: () => store.close(),
      };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const url = await seededDatabase();
      const repo = instance(url);
      const tables = ['members', 'memberships', 'cancellations', 'audit', 'outbox', 'otp_challenges', 'handoffs'];
      return {
        repo,
        rawText: async () => {
          const rows = await Promise.all(
            tables.map((t) => rawQuery<{ row: string }>(url, `SELECT row_to_json(t)::text AS row FROM ${t} t`)),
          );
          return rows
            .flat()
            .map((r) => r.row)
            .join('\n');
        },
        close: () => repo.close(),
      };
    },
  ],
];

describe.each(ENGINES)('a member’s personal data over %s', (_name, open) => {
  let engine: Engine;
  let repo: Repository;
  let clock: ManualClock;
  let privacy: PersonalDataService;
  let otp: OtpService;
  let memberships: MembershipService;
  let members: MemberService;
  /** What each erasure asked the conversation copies to forget; the web page's conversations ("wc-") are kept there. */
  let forgotten: string[][];
  const copies: ConversationCopies = {
    forget: async (ids) => {
      forgotten.push(ids);
      return ids.filter((id) => id.startsWith('wc-'));
    },
  };

  beforeEach(async () => {
    forgotten = [];
    engine = await open();
    repo = engine.repo;
    clock = new ManualClock(NOW);
    const random = seededRandom(7);
    const notifier = new Notifier(clock, random);
    otp = new OtpService(repo, notifier, clock, random, DEFAULT_OTP_POLICY, 'k'.repeat(32));
    privacy = new PersonalDataService(
      repo,
      notifier,
      clock,
      random,
      (member) => otp.challengeIdentifiers(member),
      copies,
    );
    memberships = new MembershipService(repo, notifier, clock, random, 30);
    members = new MemberService(repo, clock, random);
  });
  afterEach(async () => {
    await engine.close();
  });

  /** 刘洋 (m-1004): a cancelled membership with its cancellation record, a code asked for his phone. */
  async function withCodeSent(): Promise<string> {
    const sent = await otp.requestCode({ kind: 'phone', value: '+8615800003333' }, { conversationId: 'conv-1' });
    expect(sent.status).toBe('sent');
    const [message] = await repo.outboxOf('m-1004');
    return /\d{6}/.exec(message.text)![0];
  }

  it('exports: a masked summary for the chat, the full copy (no code, no one else) queued for the member’s own channel, kept out of the data files', async () => {
    const code = await withCodeSent();
    const result = await privacy.export('m-1004', 'conv-1');

    expect(result.summary).toEqual({
      name: '刘洋',
      maskedPhone: '158****3333',
      maskedEmail: 'l***@example.com',
      locale: 'zh-CN',
      notifyChannel: 'sms',
      memberships: [{ id: 'ms-2005', plan: '音乐轻享月卡', status: 'cancelled' }],
      cancellations: [
        {
          reference: 'CX-20261020-9P2D',
          membershipId: 'ms-2005',
          receivedAt: expect.any(String) as string,
          option: 'period_end',
          undone: false,
        },
      ],
      notices: { count: 1, codes: 1 },
    });
    // The member reads text messages, but a copy is thousands of characters: it goes by e-mail,
    // and a short text message says where.
    expect(result).toMatchObject({ channel: 'email', maskedAddress: 'l***@example.com' });

    const copy = (await repo.outboxOf('m-1004')).find((m) => m.template === 'data-export')!;
    expect(copy).toMatchObject({ channel: 'email', to: 'liu.yang@example.com', locale: 'zh-CN', status: 'pending' });
    const pointer = (await repo.outboxOf('m-1004')).find((m) => m.template === 'data-export-sent')!;
    expect(pointer).toMatchObject({
      channel: 'sms',
      to: '+8615800003333',
      text: '您申请的个人信息副本已通过邮件发送至l***@example.com。副本内容较长，不通过短信发送。',
    });
    expect(pointer.text.length).toBeLessThan(70);
    const document = JSON.parse(copy.text.slice(copy.text.indexOf('{'))) as Record<string, unknown>;
    expect(document.member).toEqual({
      id: 'm-1004',
      name: '刘洋',
      phone: '+8615800003333',
      email: 'liu.yang@example.com',
      locale: 'zh-CN',
      notifyChannel: 'sms',
    });
    expect((document.cancellations as unknown[]).map(canonical)).toEqual([
      canonical(seedDocument().cancellations.find((c) => c.reference === 'CX-20261020-9P2D')),
    ]);
    expect(document.notices).toEqual([expect.objectContaining({ template: 'otp', status: 'pending' })]);
    expect(document.notices).toEqual([expect.not.objectContaining({ text: expect.anything() as unknown })]);
    expect(copy.text).not.toContain(code);
    for (const other of ['m-1001', '张伟', '+8613812345678', 'ms-2001']) expect(copy.text).not.toContain(other);
    expect(copy.text).not.toContain('codeHash');

    // Held like a code: the copy's text never rests in the data files.
    const raw = await engine.rawText();
    expect(raw).toContain('data-export');
    expect(raw).not.toContain('exportedAt');
    expect((await repo.auditEntries()).map((a) => [a.type, a.memberId, a.data])).toContainEqual([
      'member.exported',
      'm-1004',
      { channel: 'email' },
    ]);
  });

  it('erases: personal fields become placeholders, notices and challenges lose addresses, cancellation records stay, nothing of it left in the data files', async () => {
    await withCodeSent();
    await privacy.export('m-1004', 'conv-1');
    const [sentOne] = await repo.claimOutbox(NOW, 60_000, 10);
    await repo.transact(async (tx) => tx.put('outbox', { ...sentOne, status: 'sent', sentAt: NOW }));
    const cancellationBefore = canonical(await repo.cancellationByReference('CX-20261020-9P2D'));

    const sealedBefore = new Set((await engine.rawText()).match(/pd1\.[\w-]+\.[\w-]+/g));
    const result = await privacy.erase('m-1004', 'conv-9');

    expect(result).toEqual({
      keptCancellations: ['CX-20261020-9P2D'],
      erasedNotices: 3,
      erasedChallenges: 1,
      erasedConversationReference: false,
      closedChats: [],
    });
    expect(forgotten).toEqual([['conv-9']]);
    const member = await repo.memberById('m-1004');
    expect(member).toEqual({
      id: 'm-1004',
      name: 'erased-m-1004',
      phone: 'erased-m-1004',
      email: 'erased-m-1004@erased.invalid',
      locale: 'zh-CN',
      notifyChannel: 'sms',
    });
    expect(memberSchema.safeParse(member).success).toBe(true);
    expect(await repo.memberByPhone('+8615800003333')).toBeUndefined();
    expect(await repo.memberByEmail('liu.yang@example.com')).toBeUndefined();
    for (const filedUnder of otp.challengeIdentifiers({ phone: '+8615800003333', email: 'liu.yang@example.com' }))
      expect(await repo.challengesFor(filedUnder)).toEqual([]);
    expect((await repo.challengesFor('erased-m-1004')).map((c) => [c.memberId, c.state])).toEqual([['m-1004', 'dead']]);
    // The one sent keeps its status; the one not yet sent is never sent.
    expect((await repo.outboxOf('m-1004')).map((m) => [m.status, m.to, m.text, m.redacted])).toEqual([
      ['sent', '', '', true],
      ['failed', '', '', true],
      ['failed', '', '', true],
    ]);
    expect(await repo.claimOutbox(NOW, 60_000, 10)).toEqual([]);
    expect(canonical(await repo.cancellationByReference('CX-20261020-9P2D'))).toEqual(cancellationBefore);
    expect((await repo.membership('ms-2005'))?.status).toBe('cancelled');

    // The note of the erasure outlives the audit retention, as cancellation entries do.
    clock.advance(40 * 24 * 3600_000);
    await memberships.sweep();
    // (member.exported went with the 30 days' retention.)
    const his = (await repo.auditEntries()).filter((a) => a.memberId === 'm-1004');
    expect(his.map((a) => [a.type, a.conversationId, a.data])).toEqual([
      ['member.erased', 'conv-9', { keptCancellations: 1, erasedNotices: 3 }],
    ]);
    expect(KEPT_BY_LAW).toContain('member.erased');

    const raw = await engine.rawText();
    for (const personal of ['刘洋', '+8615800003333', '15800003333', 'liu.yang@example.com'])
      expect(raw).not.toContain(personal);
    expect(raw).toContain('CX-20261020-9P2D');
    // Sealed, the old values were never in plain text; their ciphertexts are gone too, while
    // everyone else's data is where it was.
    const sealedAfter = new Set(raw.match(/pd1\.[\w-]+\.[\w-]+/g));
    expect([...sealedBefore].filter((s) => !sealedAfter.has(s)).length).toBeGreaterThanOrEqual(3);
    expect((await repo.memberById('m-1001'))?.name).toBe('张伟');
  });

  it('erases the copies of every conversation the data reached: this one, those on record, and those in-app notices went to (a copy of the data among them)', async () => {
    const page = (id: string) => ({ channelId: 'webchat', conversation: { id } });
    await repo.transact(async (tx) =>
      tx.put('members', { ...(await tx.memberById('m-1005'))!, notifyChannel: 'in-app' }),
    );
    await members.rememberConversation('m-1005', page('wc-export'));
    await privacy.export('m-1005', 'wc-export');
    await members.rememberConversation('m-1005', page('wc-later'));
    await members.rememberConversation('m-1005', { channelId: 'emulator', conversation: { id: 'emu-now' } });

    const result = await privacy.erase('m-1005', 'emu-now');

    expect(forgotten).toEqual([['emu-now', 'wc-later', 'wc-export']]);
    expect(result).toMatchObject({
      erasedNotices: 1,
      erasedConversationReference: true,
      closedChats: ['wc-later', 'wc-export'],
    });
    // The in-app copy's address (the page it went to) is blank now, with its text.
    expect((await repo.outboxOf('m-1005')).map((m) => [m.template, m.channel, m.to, m.text])).toEqual([
      ['data-export', 'in-app', '', ''],
    ]);
    expect((await repo.memberById('m-1005'))?.conversationReference).toBeUndefined();
  });

  it('refuses to erase while a membership runs, and changes nothing', async () => {
    await expect(privacy.erasureBlockers('m-1002')).resolves.toEqual(['ms-2002', 'ms-2003']);
    await expect(privacy.erasureBlockers('m-1003')).resolves.toEqual(['ms-2004']);
    await expect(privacy.erase('m-1003')).rejects.toEqual(new ErasureBlockedError(['ms-2004']));
    expect((await repo.memberById('m-1003'))?.name).toBe('王芳');
    expect(await repo.auditEntries()).toEqual([]);
    await expect(privacy.erasureBlockers('m-1004')).resolves.toEqual([]);
  });

  it('has nothing to export or erase for an erased or unknown member', async () => {
    await privacy.erase('m-1008');
    await expect(privacy.export('m-1008')).rejects.toBeInstanceOf(NoPersonalDataError);
    await expect(privacy.erase('m-1008')).rejects.toBeInstanceOf(NoPersonalDataError);
    await expect(privacy.export('m-9999')).rejects.toBeInstanceOf(NoPersonalDataError);
    expect((await repo.auditEntries()).map((a) => a.type)).toEqual(['member.erased']);
  });
});
