/**
 * How long a console session lasts without being used: the session cookie's
 * lifetime (next-auth `session.maxAge`) and the row's sliding `expiresAt`.
 */
export const SESSION_MAX_AGE_SEC = 7 * 24 * 3600;

/** `lastSeenAt` is a hint for people, not an access log: refreshed at most this often. */
export const LAST_SEEN_RESOLUTION_MS = 60_000;

/**
 * Ended sessions are kept this long (the addresses a user signed in from
 * exempt them from the per-account sign-in limit), then deleted.
 */
export const SESSION_RETENTION_MS = 30 * 24 * 3600 * 1000;
