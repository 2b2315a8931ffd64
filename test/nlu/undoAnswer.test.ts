import type { Understanding } from '../../src/nlu/understanding.js';
import { loadUnderstanding } from '../support/understanding.js';

let understanding: Understanding;
beforeAll(async () => {
  understanding = await loadUnderstanding();
});

describe('the answer to "undo the cancellation and keep the membership?"', () => {
  it.each([
    'yes',
    '👍',
    '好的',
    'keep my membership',
    '保留会员',
    '不取消了',
    'please restore my membership',
    'i want my membership back',
    'i cancelled it by mistake',
    '撤消',
    '帮我恢复会员',
    'it would be lovely if you could reinstate it',
    'please switch the auto renewal back on',
    'uncancel it',
    '幫我開返',
  ])('%s undoes', (text) => {
    expect(understanding.undoAnswer(text)).toBe(true);
  });
  it.each([
    'no',
    'nope',
    '不用了',
    '算了',
    'I want to end my membership',
    '我还是要取消会员',
    '不要撤销',
    "don't restore it",
    'leave it as it is',
    'no, let it expire',
    'noo',
    'nope, still want it gone',
    '不用了，就这样吧',
    '唔使喇，照取消',
  ])('%s leaves it cancelled', (text) => {
    expect(understanding.undoAnswer(text)).toBe(false);
  });
  it.each(['不扣钱的话就撤销', 'undo it if I am not charged', '我再想想，不急着撤销'])(
    '%s is a condition or a hedge: no answer',
    (text) => {
      expect(understanding.undoAnswer(text)).toBeUndefined();
    },
  );
  it.each(['my husband wants it back so yes', '我老婆说要继续用 那就恢复吧'])(
    "%s takes advice as the member's own: undoes",
    (text) => {
      expect(understanding.undoAnswer(text)).toBe(true);
    },
  );
  it.each(['my husband wants it back', "my husband wants to keep it but i don't"])(
    "%s is not the member's answer",
    (text) => {
      expect(understanding.undoAnswer(text)).not.toBe(true);
    },
  );
  it.each(['keep it', 'keep it please', 'keep', '保留', '留着吧', "don't cancel it", '别取消'])(
    '%s says not whether the membership or the cancellation is kept: asked again',
    (text) => {
      expect(understanding.undoAnswer(text)).toBeUndefined();
    },
  );
  it.each(['i think undo it', 'probably restore it', '应该是恢复吧', '应该恢复吧'])(
    '%s is tentative: asked again',
    (text) => {
      expect(understanding.undoAnswer(text)).toBeUndefined();
    },
  );
  it.each(['no, i still want it cancelled', '先不要'])('%s leaves it cancelled', (text) => {
    expect(understanding.undoAnswer(text)).toBe(false);
  });
  it.each(['yes cancel it', '好的取消吧', 'ok cancel'])('%s says yes and "cancel" at once: no answer', (text) => {
    expect(understanding.undoAnswer(text)).toBeUndefined();
  });
  it.each(['yes?', 'what happens if I undo?', 'what does undoing cost me', '撤销的话要补钱吗'])(
    '%s is a question, answered before asking again',
    (text) => {
      expect(understanding.undoAnswer(text)).toBe('question');
    },
  );
  it.each(['🤔', 'asdf', 'maybe undo it next month', "undo my wife's cancellation", 'if it is cheaper, undo it'])(
    '%s is not an answer',
    (text) => {
      expect(understanding.undoAnswer(text)).toBeUndefined();
    },
  );
});

describe('a worry beside the answer', () => {
  it.each(['不是不想删 就是怕删了出问题', "yes restore it, i'm worried it charges me twice"])(
    '%s: no answer',
    (text) => {
      expect(understanding.undoAnswer(text)).toBeUndefined();
      expect(understanding.confirmation(text, 'eraseData')).toBeUndefined();
    },
  );
});
