import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BillingUnansweredError, HttpBilling } from '../../src/billing/httpBilling.js';
import type { ChargeRequest } from '../../src/membership/billing.js';

const REQUEST: ChargeRequest = {
  idempotencyKey: 'ms-2007:2026-12-05T00:00:00-08:00',
  memberId: 'm-1006',
  membershipId: 'ms-2007',
  planId: 'fitness-pro-monthly',
  amount: 1499,
  currency: 'USD',
  periodStart: '2026-12-05T00:00:00-08:00',
  periodEnd: '2027-01-05T00:00:00-08:00',
};

/** A loopback billing provider that charges each key once and answers as `reply` says. */
async function provider(reply: (req: IncomingMessage, body: string) => { status: number; body: string }) {
  const seen: { headers: IncomingMessage['headers']; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ headers: req.headers, body });
      const answer = reply(req, body);
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/billing`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('HttpBilling', () => {
  it('posts the charge with its idempotency key and key, and the same key gets the same charge', async () => {
    const charged = new Map<string, string>();
    const p = await provider((req) => {
      const key = String(req.headers['idempotency-key']);
      if (!charged.has(key)) charged.set(key, `ch_${charged.size + 1}`);
      return { status: 201, body: JSON.stringify({ status: 'charged', chargeId: charged.get(key) }) };
    });
    try {
      const billing = new HttpBilling({ url: p.url, apiKey: 'bk_test', timeoutMs: 5000 });
      expect(await billing.charge(REQUEST)).toEqual({ status: 'charged', chargeId: 'ch_1' });
      expect(await billing.charge(REQUEST)).toEqual({ status: 'charged', chargeId: 'ch_1' });
      expect(charged.size).toBe(1);
      expect(p.seen[0].headers).toMatchObject({
        'idempotency-key': REQUEST.idempotencyKey,
        authorization: 'Bearer bk_test',
      });
      expect(JSON.parse(p.seen[0].body)).toEqual(REQUEST);
    } finally {
      await p.close();
    }
  });

  it('passes a refusal on, and takes a 5xx or an odd body for no answer', async () => {
    const replies = [
      { status: 200, body: JSON.stringify({ status: 'refused', reason: 'card_declined' }) },
      { status: 503, body: '{}' },
      { status: 200, body: JSON.stringify({ status: 'maybe' }) },
    ];
    const p = await provider(() => replies.shift()!);
    try {
      const billing = new HttpBilling({ url: p.url, timeoutMs: 5000 });
      expect(await billing.charge(REQUEST)).toEqual({ status: 'refused', reason: 'card_declined' });
      await expect(billing.charge(REQUEST)).rejects.toThrow(BillingUnansweredError);
      await expect(billing.charge(REQUEST)).rejects.toThrow('the body was not a charge outcome');
    } finally {
      await p.close();
    }
  });
});
