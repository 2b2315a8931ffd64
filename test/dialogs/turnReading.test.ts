import { Classifier } from '../../src/nlu/classifier.js';
import * as normalize from '../../src/nlu/normalize.js';
import * as identifier from '../../src/identity/identifier.js';
import { PROMPTS, reach, type PromptId } from '../support/prompts.js';

/** Digits alone, words in each language, a question, a plain yes. */
const MESSAGES = ['12', '我没收到验证码', 'what does that mean?', 'yes'];
/** The prompts that expect digits: a phone number, a code. */
const DIGIT_PROMPTS: readonly PromptId[] = ['identifierPrompt', 'codePrompt'];
/** At most the answer model and, for a question, the intent model. */
const MODEL_RUNS: Record<PromptId, number> = {
  identifierPrompt: 0,
  codePrompt: 0,
  membershipPrompt: 0,
  confirmPrompt: 2,
  reasonPrompt: 1,
  undoPrompt: 0,
};

describe.each(PROMPTS)('one turn at %s', (prompt) => {
  it.each(MESSAGES)('reads "%s" once: normalised once, parsed and classified at most once', async (text) => {
    const { c } = await reach(prompt, 'en-US');
    const normalized = jest.spyOn(normalize, 'normalizeText');
    const classified = jest.spyOn(Classifier.prototype, 'classify');
    const parsed = jest.spyOn(identifier, 'parseIdentifier');
    try {
      const replies = await c.say(text);
      expect(replies.length).toBeGreaterThan(0);
      // The language check, the interruption check, the prompt and the consent rule share one reading.
      expect(normalized.mock.calls.filter(([t]) => t === text)).toHaveLength(1);
      expect(parsed.mock.calls.length).toBeLessThanOrEqual(DIGIT_PROMPTS.includes(prompt) ? 1 : 0);
      // Digits at a prompt that expects them run no model; digits elsewhere run the answer model at most.
      const limit = DIGIT_PROMPTS.includes(prompt)
        ? 0
        : text === '12'
          ? Math.min(1, MODEL_RUNS[prompt])
          : MODEL_RUNS[prompt];
      const models = classified.mock.calls.length;
      expect(models).toBeLessThanOrEqual(limit);
      // Each model reads the message once.
      expect(new Set(classified.mock.instances).size).toBe(models);
    } finally {
      normalized.mockRestore();
      classified.mockRestore();
      parsed.mockRestore();
    }
  });
});

describe('one turn with nothing in progress', () => {
  it.each(['hello', 'I want to cancel, my number is 13812345678', '2'])(
    'reads "%s" once: normalised once, the intent model once',
    async (text) => {
      const { c } = await reach('identifierPrompt', 'en-US');
      await c.say('quit');
      const normalized = jest.spyOn(normalize, 'normalizeText');
      const classified = jest.spyOn(Classifier.prototype, 'classify');
      const parsed = jest.spyOn(identifier, 'parseIdentifier');
      try {
        expect((await c.say(text)).length).toBeGreaterThan(0);
        expect(normalized.mock.calls.filter(([t]) => t === text)).toHaveLength(1);
        expect(classified.mock.calls.length).toBeLessThanOrEqual(1);
        expect(parsed.mock.calls.length).toBeLessThanOrEqual(1);
      } finally {
        normalized.mockRestore();
        classified.mockRestore();
        parsed.mockRestore();
      }
    },
  );
});
