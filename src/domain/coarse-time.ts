const HOUR_MS = 60 * 60 * 1000;

/**
 * The start of the hour `at` falls in. Anonymous rows keep only this much of when they arrived, so their
 * time cannot be matched to the moment someone pressed a button.
 */
export function startOfUtcHour(at: Date): Date {
  return new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
}

/**
 * Anonymous answers a digest asked for at `now` may count: those kept under an hour that is already over.
 * A digest can be asked for at any minute, and one given this hour would appear in it the minute it was
 * given, so someone asking every few minutes would learn that minute despite the coarse time it is kept
 * under. Counted from the end of their hour, all of an hour's anonymous answers appear at once.
 */
export function anonymousAnswersKeptBefore(now: Date): Date {
  return startOfUtcHour(now);
}
