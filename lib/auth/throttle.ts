import { type RateLimiterAbstract, RateLimiterRes } from "rate-limiter-flexible";
import { configuredDatabaseUrl } from "../env";
import { type LimiterStore, openLimiterStore } from "./rate-limit-store";

/**
 * Consecutive failures for one key: `free` of them within `windowSec`, then a
 * pause of `firstPauseSec` that doubles with each further pause (up to
 * `maxPauseSec`), until a success resets it. Pauses are remembered for
 * `memorySec`. Nothing is ever locked for good: the longest wait is one pause.
 */
export type BackoffPolicy = {
  free: number;
  windowSec: number;
  firstPauseSec: number;
  maxPauseSec: number;
  memorySec: number;
};

/** At most `points` failures per fixed window of `durationSec`. */
export type WindowPolicy = { points: number; durationSec: number };

export type ThrottleSettings = {
  signIn: {
    /** One email from one address: a guesser at one place, or its owner mistyping. */
    accountAddress: BackoffPolicy;
    /** One address, any email: a guesser spraying accounts (higher: offices share an address). */
    address: WindowPolicy;
    /** One email from addresses it never signed in from: a guess spread over many addresses. */
    account: WindowPolicy;
  };
  /** Bearer-token failures from one address. */
  token: BackoffPolicy;
};

/**
 * Five wrong passwords in a row cost a 30 s wait, then 1, 2, 4, 8, 15 min…
 * (about 25 guesses an hour for one account from one address); 50 failures
 * in 15 min from one address, or 50 in an hour against one account from
 * addresses it never used, wait for the window to end. The owner signing in
 * from an address they used in the last 30 days is exempt from the account
 * limit, so an attacker cannot keep them out by failing on purpose.
 */
export const THROTTLE_DEFAULTS: ThrottleSettings = {
  signIn: {
    accountAddress: {
      free: 5,
      windowSec: 15 * 60,
      firstPauseSec: 30,
      maxPauseSec: 15 * 60,
      memorySec: 86_400,
    },
    address: { points: 50, durationSec: 15 * 60 },
    account: { points: 50, durationSec: 3600 },
  },
  token: { free: 20, windowSec: 10 * 60, firstPauseSec: 60, maxPauseSec: 15 * 60, memorySec: 86_400 },
};

type Take = { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number };

/** `consume`, with the library's rejection (a RateLimiterRes, not an Error) turned into a value. */
async function take(limiter: RateLimiterAbstract, key: string, windowSec: number): Promise<Take> {
  try {
    const res = await limiter.consume(key);
    return { allowed: true, remaining: res.remainingPoints };
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    // msBeforeNext is -1 for a key that never expires, which these limiters never write.
    return {
      allowed: false,
      retryAfterMs: rejection.msBeforeNext >= 0 ? rejection.msBeforeNext : windowSec * 1000,
    };
  }
}

class Backoff {
  private readonly attempts: RateLimiterAbstract;
  private readonly pauses: RateLimiterAbstract;

  constructor(
    store: LimiterStore,
    name: string,
    private readonly policy: BackoffPolicy,
  ) {
    this.attempts = store.limiter({ keyPrefix: name, points: policy.free, durationSec: policy.windowSec });
    // Counts pauses; never refuses (the attempts limiter does).
    this.pauses = store.limiter({
      keyPrefix: `${name}-pauses`,
      points: Number.MAX_SAFE_INTEGER,
      durationSec: policy.memorySec,
    });
  }

  /** One attempt, counted atomically before it is checked: concurrent guesses cannot all get in. */
  take(key: string): Promise<Take> {
    return take(this.attempts, key, this.policy.windowSec);
  }

  /** Milliseconds left of the key's pause, or null when not paused (reads only). */
  async pausedFor(key: string): Promise<number | null> {
    const res = await this.attempts.get(key);
    return res && res.consumedPoints > this.policy.free && res.msBeforeNext > 0 ? res.msBeforeNext : null;
  }

  /** After a failure that used the last free attempt: pause the key, longer than the last time. */
  async pause(key: string): Promise<number> {
    const strikes = await this.pauses.penalty(key);
    const sec = Math.min(
      this.policy.maxPauseSec,
      this.policy.firstPauseSec * 2 ** (strikes.consumedPoints - 1),
    );
    await this.attempts.block(key, sec);
    return sec;
  }

  /** Gives back an attempt another limit refused (it was never checked). */
  async refund(key: string) {
    await this.attempts.reward(key);
  }

  async reset(key: string) {
    await Promise.all([this.attempts.delete(key), this.pauses.delete(key)]);
  }
}

class Window {
  private readonly limiter: RateLimiterAbstract;

  constructor(
    store: LimiterStore,
    name: string,
    private readonly policy: WindowPolicy,
  ) {
    this.limiter = store.limiter({ keyPrefix: name, points: policy.points, durationSec: policy.durationSec });
  }

  take(key: string): Promise<Take> {
    return take(this.limiter, key, this.policy.durationSec);
  }

  async refund(key: string) {
    await this.limiter.reward(key);
  }
}

export type SignInAttempt = {
  email: string;
  address: string | null;
  /** The account signed in from this address recently: the per-account limit does not apply. */
  knownAddress: boolean;
};

/** What `admitSignIn` hands out and `signInSucceeded` / `signInFailed` take back. */
export type SignInTicket = { pairKey: string; addressKey: string; accountKey: string | null; last: boolean };

export type Admission =
  | { admitted: true; ticket: SignInTicket }
  | { admitted: false; retryAfterSec: number; limit: "account-address" | "address" | "account" };

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Sign-in and API-token throttling, on counters shared by every console
 * process (rate-limiter-flexible on runops' database). Every key is counted
 * whether or not the account exists, so the throttle's answers say nothing
 * about which emails have accounts.
 */
export class Throttle {
  private readonly pair: Backoff;
  private readonly address: Window;
  private readonly account: Window;
  private readonly token: Backoff;

  constructor(
    private readonly store: LimiterStore,
    settings: ThrottleSettings = THROTTLE_DEFAULTS,
  ) {
    this.pair = new Backoff(store, "signin-account-address", settings.signIn.accountAddress);
    this.address = new Window(store, "signin-address", settings.signIn.address);
    this.account = new Window(store, "signin-account", settings.signIn.account);
    this.token = new Backoff(store, "token-address", settings.token);
  }

  /**
   * Before a password is checked: the attempt takes its share of each limit,
   * in order, and is refused by the first one that is spent (the earlier ones
   * get their share back: a refused attempt was never a guess).
   */
  async admitSignIn(attempt: SignInAttempt): Promise<Admission> {
    const address = attempt.address ?? "unknown";
    const ticket: SignInTicket = {
      pairKey: `${address} ${attempt.email}`,
      addressKey: address,
      accountKey: attempt.knownAddress ? null : attempt.email,
      last: false,
    };
    const pair = await this.pair.take(ticket.pairKey);
    if (!pair.allowed)
      return { admitted: false, retryAfterSec: seconds(pair.retryAfterMs), limit: "account-address" };
    ticket.last = pair.remaining === 0;
    const byAddress = await this.address.take(ticket.addressKey);
    if (!byAddress.allowed) {
      await this.pair.refund(ticket.pairKey);
      return { admitted: false, retryAfterSec: seconds(byAddress.retryAfterMs), limit: "address" };
    }
    if (ticket.accountKey) {
      const byAccount = await this.account.take(ticket.accountKey);
      if (!byAccount.allowed) {
        await Promise.all([this.pair.refund(ticket.pairKey), this.address.refund(ticket.addressKey)]);
        return { admitted: false, retryAfterSec: seconds(byAccount.retryAfterMs), limit: "account" };
      }
    }
    return { admitted: true, ticket };
  }

  /** The right password: this email and address start afresh; the wider limits get this attempt back. */
  async signInSucceeded(ticket: SignInTicket) {
    await Promise.all([
      this.pair.reset(ticket.pairKey),
      this.address.refund(ticket.addressKey),
      ticket.accountKey ? this.account.refund(ticket.accountKey) : undefined,
    ]);
  }

  /** A wrong password. Returns the pause (seconds) it started, if it used the last free attempt. */
  async signInFailed(ticket: SignInTicket): Promise<number | null> {
    return ticket.last ? this.pair.pause(ticket.pairKey) : null;
  }

  /** Seconds to wait when bearer tokens from this address are paused, else null. */
  async tokenPaused(address: string | null): Promise<number | null> {
    const ms = await this.token.pausedFor(address ?? "unknown");
    return ms === null ? null : seconds(ms);
  }

  /**
   * A bad bearer token from this address. Returns seconds to wait when this
   * failure is over the limit (answer 429), else null (answer 401; the
   * failure that spends the last free attempt starts the pause for the next).
   */
  async tokenFailed(address: string | null): Promise<number | null> {
    const key = address ?? "unknown";
    const attempt = await this.token.take(key);
    if (!attempt.allowed) return seconds(attempt.retryAfterMs);
    if (attempt.remaining === 0) await this.token.pause(key);
    return null;
  }

  close() {
    return this.store.close();
  }
}

/** "30 seconds", "2 minutes": the wait as the sign-in form says it. */
export function waitText(sec: number): string {
  if (sec < 60) return `${sec} second${sec === 1 ? "" : "s"}`;
  const min = Math.ceil(sec / 60);
  return `${min} minute${min === 1 ? "" : "s"}`;
}

const globalForThrottle = globalThis as typeof globalThis & {
  __runopsThrottle?: { url: string; throttle: Throttle };
};

/** The process-wide throttle on $DATABASE_URL (like getDb, one per process and URL). */
export function getThrottle(): Throttle {
  const url = configuredDatabaseUrl();
  const current = globalForThrottle.__runopsThrottle;
  if (current?.url === url) return current.throttle;
  // Only tests switch DATABASE_URL within a process; the old store is closed.
  void current?.throttle.close();
  const throttle = new Throttle(openLimiterStore(url));
  globalForThrottle.__runopsThrottle = { url, throttle };
  return throttle;
}

/** Closes and forgets the process-wide throttle (tests, next to closeDb). */
export async function closeThrottle(): Promise<void> {
  const current = globalForThrottle.__runopsThrottle;
  globalForThrottle.__runopsThrottle = undefined;
  await current?.throttle.close();
}
