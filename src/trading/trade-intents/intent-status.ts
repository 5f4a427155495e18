import { INTENT_STATUSES, type IntentStatus } from '../../../domain/trading';
import { conflict, type ProblemException } from '../../common/problem';

/**
 * The status machine of a trade intent: each status and the ones it may move to. A draft is
 * submitted through a broker, which opens (or rejects, or at once fills) the order; fills move
 * it on; until it is filled it can be cancelled. `filled`, `cancelled` and `rejected` are final.
 * Any move not listed is illegal (409).
 */
export const INTENT_TRANSITIONS: Readonly<Record<IntentStatus, readonly IntentStatus[]>> = {
  draft: ['submitted', 'cancelled'],
  submitted: ['open', 'partially_filled', 'filled', 'cancelled', 'rejected'],
  open: ['partially_filled', 'filled', 'cancelled', 'rejected'],
  partially_filled: ['filled', 'cancelled'],
  filled: [],
  cancelled: [],
  rejected: [],
};

export function canTransition(from: IntentStatus, to: IntentStatus): boolean {
  return INTENT_TRANSITIONS[from].includes(to);
}

/** The statuses an intent may be in to move to `to`: the condition of a conditional UPDATE. */
export function statusesLeadingTo(to: IntentStatus): IntentStatus[] {
  return INTENT_STATUSES.filter((from) => canTransition(from, to));
}

const VERBS: Partial<Record<IntentStatus, string>> = { submitted: 'submitted', cancelled: 'cancelled' };

/** The 409 of an illegal move, saying where the intent stands. */
export function illegalTransition(from: IntentStatus, to: IntentStatus): ProblemException {
  const what = VERBS[to] ? `be ${VERBS[to]}` : `move to ${to}`;
  return conflict(`The trade intent is ${from}; it cannot ${what}.`);
}
