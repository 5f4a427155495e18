import { HttpStatus } from '@nestjs/common';
import { INTENT_STATUSES, type IntentStatus, LIVE_INTENT_STATUSES } from '../../../domain/trading';
import { ProblemException } from '../../common/problem';
import { canTransition, illegalTransition, INTENT_TRANSITIONS, statusesLeadingTo } from './intent-status';

/** Every legal move, written out once more by hand: the table must say exactly this. */
const LEGAL = new Set([
  'draft>submitted',
  'draft>cancelled',
  'submitted>open',
  'submitted>partially_filled',
  'submitted>filled',
  'submitted>cancelled',
  'submitted>rejected',
  'open>partially_filled',
  'open>filled',
  'open>cancelled',
  'open>rejected',
  'partially_filled>filled',
  'partially_filled>cancelled',
]);

const ALL_PAIRS = INTENT_STATUSES.flatMap((from) =>
  INTENT_STATUSES.map((to) => [from, to] as [IntentStatus, IntentStatus]),
);

describe('trade intent status machine', () => {
  it('covers every status', () => {
    expect(Object.keys(INTENT_TRANSITIONS).sort()).toEqual([...INTENT_STATUSES].sort());
  });

  it.each(ALL_PAIRS)('%s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(LEGAL.has(`${from}>${to}`));
    expect(statusesLeadingTo(to).includes(from)).toBe(LEGAL.has(`${from}>${to}`));
  });

  it('answers an illegal move with a 409 that says where the intent stands', () => {
    const error = illegalTransition('rejected', 'open');
    expect(error).toBeInstanceOf(ProblemException);
    expect(error.getStatus()).toBe(HttpStatus.CONFLICT);
    expect(error.detail).toContain('is rejected');
  });

  it('has final states that lead nowhere', () => {
    for (const final of ['filled', 'cancelled', 'rejected'] as const) expect(INTENT_TRANSITIONS[final]).toEqual([]);
  });

  it('lists where a move may start from', () => {
    expect(statusesLeadingTo('submitted')).toEqual(['draft']);
    expect(statusesLeadingTo('cancelled')).toEqual(['draft', 'submitted', 'open', 'partially_filled']);
    expect(statusesLeadingTo('filled')).toEqual(['submitted', 'open', 'partially_filled']);
    expect(statusesLeadingTo('draft')).toEqual([]);
  });

  it('calls live exactly the intents past the draft that can still be cancelled (their order may be working)', () => {
    expect(LIVE_INTENT_STATUSES).toEqual(statusesLeadingTo('cancelled').filter((s) => s !== 'draft'));
  });

  it('words the conflict by the action', () => {
    expect(illegalTransition('filled', 'cancelled').detail).toBe('The trade intent is filled; it cannot be cancelled.');
    expect(illegalTransition('open', 'submitted').detail).toBe('The trade intent is open; it cannot be submitted.');
    expect(illegalTransition('filled', 'open').detail).toBe('The trade intent is filled; it cannot move to open.');
  });
});
