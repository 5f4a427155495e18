/** What an account may do: `admin` also reads every user's audit trail and the import rollout. */
export const USER_ROLES = ['user', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/**
 * A `disabled` account cannot sign in or refresh its session. An `erased` one was deleted by its
 * user (or support): its row stays without anything that identifies the person, so that its ids
 * are never reused.
 */
export const USER_STATUSES = ['active', 'disabled', 'erased'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
