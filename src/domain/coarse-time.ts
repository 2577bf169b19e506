const HOUR_MS = 60 * 60 * 1000;

/**
 * The start of the hour `at` falls in. Anonymous rows keep only this much of when they arrived, so their
 * time cannot be matched to the moment someone pressed a button.
 */
export function startOfUtcHour(at: Date): Date {
  return new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
}
