/** Lengths in characters (code points), as `PasswordsService.check()` counts them. */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

/**
 * The password policy as clients read it: the register DTO's description and its 422's. It is
 * built from the limits that `PasswordsService.check()` enforces, so the two cannot drift apart.
 */
export const PASSWORD_POLICY = `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters, not the email, not a well-known common password`;
