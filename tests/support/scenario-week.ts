const DAY_MS = 86_400_000;

export interface ScenarioWeek {
  /** Saturday 10:00 UTC before the week: rhythms are set. */
  saturday: Date;
  /** Monday 09:30 UTC: the week-ahead check-in falls due. */
  mondayPrompt: Date;
  /** Monday 10:00 UTC: people answer it. */
  monday: Date;
  /** Wednesday 09:30 UTC: a check-in set for Wednesdays falls due. */
  wednesdayPrompt: Date;
  /** Friday 15:00 UTC, an hour before the digest. */
  fridayBefore: Date;
  /** Friday 16:00:30 UTC, just after the digest slot. */
  fridaySlot: Date;
  /** A date three weeks after the Saturday, for look-back dates. */
  lookBackOn: string;
}

/**
 * A working week in UTC, from the Saturday before it to its Friday 16:00 digest. Tests pin the app's
 * clock to these instants, and every row is stamped with that clock, so the week is the same whatever day
 * the suite runs.
 */
export function scenarioWeek(friday = new Date('2026-11-27T16:00:00Z')): ScenarioWeek {
  const at = (days: number, hours: number, minutes = 0) =>
    new Date(friday.getTime() + days * DAY_MS + (hours - 16) * 3_600_000 + minutes * 60_000);
  return {
    saturday: at(-6, 10),
    mondayPrompt: at(-4, 9, 30),
    monday: at(-4, 10),
    wednesdayPrompt: at(-2, 9, 30),
    fridayBefore: at(0, 15),
    fridaySlot: new Date(friday.getTime() + 30_000),
    lookBackOn: at(15, 12).toISOString().slice(0, 10),
  };
}
