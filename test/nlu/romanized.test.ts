import { normalizeText } from '../../src/nlu/normalize.js';

describe('a message typed in pinyin', () => {
  it.each([
    ['li ji qu xiao, yao tui kuan', '立即取消要退款'],
    ['quxiao', '取消'],
    ['bu yao shan', '不要删'],
    ['che xiao ba', '撤销吧'],
    ['hai shi liu zhe ba', '还是留着吧'],
    ['qi ba er ling wu san', '782053'],
  ])('%s reads as %s', (text, characters) => {
    expect(normalizeText(text)).toBe(characters);
  });

  it.each(['no no', 'go ahead', 'ok', 'yes please', 'nanananananananananananananananananananq', 'hi'])(
    '%s stays as typed',
    (text) => {
      expect(normalizeText(text)).toBe(text);
    },
  );
});
