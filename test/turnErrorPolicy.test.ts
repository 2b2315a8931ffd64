import { MemoryStorage, TestAdapter, type TurnContext } from 'botbuilder';
import { PlainConversationState } from '../src/botframework/plainConversationState.js';
import { enUS as en } from '../src/i18n/catalog.en-US.js';
import type { Logger } from '../src/log.js';
import { CommitOutcomeUnknownError } from '../src/model/repositoryErrors.js';
import { DatabaseUnreachableError } from '../src/store/postgres/pool.js';
import { TurnLockTimeoutError } from '../src/store/postgres/postgresTurnLock.js';
import { StateConflictError, StateUnavailableError } from '../src/store/stateTextStorage.js';
import { StoreWriteError } from '../src/store/storeErrors.js';
import { turnErrorHandler, turnErrorVerdict } from '../src/turnErrorPolicy.js';

const DATA = 'data/db.json';
const full = Object.assign(new Error('no space left'), { code: 'ENOSPC' });
/** How botbuilder-dialogs wraps a step's error. */
const wrapped = (error: Error) => Object.assign(new Error('dialog failed'), { error });

describe('turnErrorVerdict', () => {
  it.each([
    ['the data file cannot be written', new StoreWriteError(DATA, full), 'error.storeUnavailable'],
    ['its journal cannot be written', new StoreWriteError(`${DATA}.journal`, full), 'error.storeUnavailable'],
    ['only the state file cannot be written', new StoreWriteError('data/state.json', full), 'error.stateUnavailable'],
    ['a commit broke off', new CommitOutcomeUnknownError(new Error('reset')), 'error.outcomeUnknown'],
    [
      'the database is down',
      new DatabaseUnreachableError('postgres://x/y', new Error('refused')),
      'error.storeUnavailable',
    ],
    ['the state cannot be read', new StateUnavailableError(new Error('refused')), 'error.stateUnavailable'],
    ['another turn saved first', new StateConflictError('conv'), 'error.turnOverlap'],
    ['another turn held the lock', new TurnLockTimeoutError('conv', 10_000), 'error.turnOverlap'],
  ] as const)('keeps the conversation when %s, wrapped or not', (_, error, say) => {
    for (const thrown of [error, wrapped(error)]) {
      const verdict = turnErrorVerdict(thrown, DATA);
      expect(verdict.say).toBe(say);
      expect(verdict.clearConversation).toBe(false);
    }
  });

  it('clears the conversation after an error it does not know', () => {
    expect(turnErrorVerdict(new Error('disk on fire'), DATA)).toMatchObject({
      say: 'error.turn',
      level: 'error',
      clearConversation: true,
    });
  });

  it('logs an overlap as a warning, never as a failure', () => {
    expect(turnErrorVerdict(new StateConflictError('conv'), DATA).level).toBe('warn');
  });
});

describe('turnErrorHandler', () => {
  const logger = () => ({ error: jest.fn(), warn: jest.fn() }) as unknown as Logger & Record<string, jest.Mock>;

  /** Runs one turn that saves a count and then throws; returns what the member saw and what the state holds. */
  async function failedTurn(error: Error) {
    const storage = new MemoryStorage();
    const state = new PlainConversationState(storage);
    const log = logger();
    const adapter = new TestAdapter(async (context: TurnContext) => {
      await state.createProperty<number>('turns').set(context, 1);
      await state.saveChanges(context);
      throw error;
    });
    adapter.onTurnError = turnErrorHandler({
      logger: log,
      defaultLocale: 'en-US',
      dataFile: DATA,
      conversationState: state,
    });
    const replies: string[] = [];
    await adapter.send({ type: 'message', text: 'hi', locale: 'en-US' }).assertReply((a) => void replies.push(a.text!));
    const key = `${adapter.conversation.channelId}/conversations/${adapter.conversation.conversation.id}/`;
    const stored = (await storage.read([key]))[key] as { turns?: number } | undefined;
    return { replies, log, turns: stored?.turns };
  }

  it('says the turn failed in the member language and starts the conversation afresh', async () => {
    const { replies, log, turns } = await failedTurn(new Error('disk on fire'));
    expect(replies).toEqual([en['error.turn']]);
    expect(turns).toBeUndefined();
    expect(log.error).toHaveBeenCalledWith(expect.objectContaining({ err: expect.any(Error) }), 'turn failed');
  });

  it('tells the member their data could not be saved and keeps the conversation where it was', async () => {
    const { replies, log, turns } = await failedTurn(new StoreWriteError(DATA, full));
    expect(replies).toEqual([en['error.storeUnavailable']]);
    expect(turns).toBe(1);
    expect(log.error).toHaveBeenCalledWith(
      expect.objectContaining({ file: DATA, errno: 'ENOSPC' }),
      'turn failed: the data cannot be written',
    );
  });
});
