import type { Understanding } from '../../src/nlu/understanding.js';
import { loadUnderstanding } from '../support/understanding.js';

let understanding: Understanding;
beforeAll(async () => {
  understanding = await loadUnderstanding();
});

describe('the reason a free answer to "why did you leave?" gives', () => {
  it.each([
    ['way too pricey for what it is', 'expensive'],
    ['my brother kept logging into my account without asking', 'security'],
    ['there was a payment on my card that I never authorised', 'security'],
    ['好像有别人在用我的账号', 'security'],
    ['not enough new series', 'service'],
    ['the catalogue is tiny', 'service'],
    ['播放老是掉线', 'service'],
    ['唔系贵，系片太少', 'service'],
    ['最近手头紧', 'expensive'],
    ['💸💸💸', 'expensive'],
    ['俾人盜咗號', 'security'],
    ['太桂了', 'expensive'],
    ['the app keeps freezing', 'service'],
    ['not the price, the service is just bad', 'service'],
    ['贵倒不贵 就是服务太烂', 'service'],
    ['服务不是很满意', 'service'],
    ['someone hacked my account', 'security'],
    ['moving abroad', 'other'],
    ['无可奉告', 'skip'],
    // Not using it is no complaint about the service.
    ['honestly I just never use it', 'other'],
    ['最近太忙很少用', 'other'],
    ['there is nothing good to watch', 'service'],
    ['somebody changed my password without telling me', 'security'],
    ['密码可能被泄露了', 'security'],
    ['none of your business lol', 'skip'],
  ])('%s → %s', (text, reason) => {
    expect(understanding.reasonOf(text)).toBe(reason);
  });

  it.each(["it's not the price", '不是因为贵'])('a reason denied and none given is no answer yet: %s', (text) => {
    expect(understanding.reasonOf(text)).toBeUndefined();
  });
});
