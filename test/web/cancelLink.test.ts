import { CancelLinks } from '../../src/web/cancelLink.js';

const links = new CancelLinks('s'.repeat(32), 'https://members.example.com/chat');
const NOW = new Date('2026-11-28T08:00:00Z');

describe('CancelLinks', () => {
  it('names the membership in a signed parameter, and nothing personal', () => {
    const link = links.link('ms-2007', '2026-12-05T08:00:00Z');
    const url = new URL(link);
    expect(url.origin + url.pathname).toBe('https://members.example.com/chat');
    expect([...url.searchParams.keys()]).toEqual(['cancel']);
    expect(link).not.toMatch(/emily|\+1415|@/i);
    expect(links.read(url.searchParams.get('cancel'), NOW)).toBe('ms-2007');
  });

  it('refuses a parameter past its time, changed, signed with another key, or malformed', () => {
    const token = new URL(links.link('ms-2007', '2026-12-05T08:00:00Z')).searchParams.get('cancel')!;
    expect(links.read(token, new Date('2026-12-05T08:00:00Z'))).toBeNull();
    const [, exp, mac] = token.split('.');
    const other = Buffer.from('ms-2001').toString('base64url');
    expect(links.read(`${other}.${exp}.${mac}`, NOW)).toBeNull();
    const foreign = new CancelLinks('t'.repeat(32), 'https://members.example.com/chat');
    expect(foreign.read(token, NOW)).toBeNull();
    expect(links.read('ms-2007', NOW)).toBeNull();
    expect(links.read(42, NOW)).toBeNull();
  });
});
