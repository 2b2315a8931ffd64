import { signatureHeader, verifySignature } from '../../src/webhooks/webhookSignature.js';

const OLD = 'old-secret-old-secret-old-secret-0000';
const NEW = 'new-secret-new-secret-new-secret-1111';
const AT = new Date('2026-12-07T22:00:00.000Z');
const later = (seconds: number) => new Date(AT.getTime() + seconds * 1000);
const BODY = '{"id":"evt_000000000000000000000001","type":"member.erased"}';

describe('webhook signatures', () => {
  it('signs timestamp and body: valid within the replay window, refused after it or when anything changed', () => {
    const header = signatureHeader(BODY, [NEW], AT);
    expect(header).toMatch(/^t=\d{10},v1=[0-9a-f]{64}$/);
    expect(verifySignature(BODY, header, [NEW], later(300))).toBe('valid');
    expect(verifySignature(BODY, header, [NEW], later(301))).toBe('outside_window');
    expect(verifySignature(BODY.replace('erased', 'updated'), header, [NEW], AT)).toBe('bad_signature');
    // The timestamp is signed too: moving it forward to pass the window breaks the signature.
    const moved = header.replace(/^t=\d+/, `t=${Math.floor(later(600).getTime() / 1000)}`);
    expect(verifySignature(BODY, moved, [NEW], later(600))).toBe('bad_signature');
    expect(verifySignature(BODY, 'v1=zz', [NEW], AT)).toBe('malformed');
  });

  it('carries one signature per secret while one is rotated, so receivers holding either accept', () => {
    const header = signatureHeader(BODY, [NEW, OLD], AT);
    expect(header.split(',').filter((p) => p.startsWith('v1='))).toHaveLength(2);
    expect(verifySignature(BODY, header, [OLD], AT)).toBe('valid');
    expect(verifySignature(BODY, header, [NEW], AT)).toBe('valid');
    expect(verifySignature(BODY, signatureHeader(BODY, [NEW], AT), [OLD], AT)).toBe('bad_signature');
  });
});
