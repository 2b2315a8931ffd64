import { ACTS, type Act } from '../../src/nlu/acts.js';
import { ACTION_POLICY, blockingAct, permits, type Action } from '../../src/nlu/actionPolicy.js';

const ACTIONS = Object.keys(ACTION_POLICY) as Action[];
const none = { yes: false, named: false, command: false };

/** Walks the table: each action's evidence and each act that stops it. */
describe.each(ACTIONS)('the action policy for %s', (action) => {
  const rule = ACTION_POLICY[action];

  it('acts on its own evidence with no doubt, and never on nothing', () => {
    expect(permits(action, none, new Set())).toBe(false);
    expect(permits(action, { ...none, [rule.evidence]: true }, new Set())).toBe(true);
  });

  it('takes a bare yes only where the table says so', () => {
    expect(permits(action, { ...none, yes: true }, new Set())).toBe(rule.evidence === 'yes');
  });

  it.each(ACTS)('is stopped by %s exactly when the table lists it', (act: Act) => {
    const support = { yes: true, named: true, command: true };
    expect(permits(action, support, new Set([act]))).toBe(!rule.blockedBy.includes(act));
    expect(blockingAct(action, new Set([act]))).toBe(rule.blockedBy.includes(act) ? act : undefined);
  });
});

describe('the table itself', () => {
  it('asks every irreversible or data-moving action for no doubt at all', () => {
    const doubts: Act[] = [
      'question',
      'negation',
      'condition',
      'hedge',
      'tentative',
      'deferral',
      'narrowed',
      'otherPerson',
    ];
    for (const action of ACTIONS.filter((a) => ACTION_POLICY[a].irreversible))
      expect([action, [...ACTION_POLICY[action].blockedBy].sort()]).toEqual([action, [...doubts].sort()]);
  });

  it('lets "probably" choose what can be undone, and nothing that cannot', () => {
    const tentative = new Set<Act>(['tentative']);
    expect(permits('cancelAtPeriodEnd', { ...none, yes: true }, tentative)).toBe(true);
    for (const action of ACTIONS.filter((a) => ACTION_POLICY[a].irreversible))
      expect([action, permits(action, { yes: true, named: true, command: false }, tentative)]).toEqual([action, false]);
  });

  it('lets a bare yes choose nothing irreversible but the one action a yes/no question names', () => {
    const byYes = ACTIONS.filter((a) => ACTION_POLICY[a].evidence === 'yes').sort();
    expect(byYes).toEqual(['cancelAtPeriodEnd', 'eraseData', 'exportData', 'undoCancellation']);
    expect(ACTION_POLICY.cancelNow.evidence).toBe('named');
  });

  it('never lets politeness stop or start anything', () => {
    for (const action of ACTIONS) expect(ACTION_POLICY[action].blockedBy).not.toContain('politeness');
  });
});
