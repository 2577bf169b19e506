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
 * The week, in UTC, whose Friday 16:00 digest comes next after `realNow`. Rows are stamped by the
 * database's own clock (`now()`, and the hour of an anonymous answer), which tests cannot pin; the app's
 * clock is pinned to this week so that what people answer today falls inside the week that digest
 * covers, whatever day the suite runs.
 */
export function scenarioWeek(realNow = new Date()): ScenarioWeek {
  const friday = new Date(
    Date.UTC(realNow.getUTCFullYear(), realNow.getUTCMonth(), realNow.getUTCDate(), 16),
  );
  friday.setUTCDate(friday.getUTCDate() + ((5 - friday.getUTCDay() + 7) % 7));
  // Answers are stamped a minute or so after this is read and must land before the slot; in the last
  // minutes before a Friday 16:00 no choice of week is safe, so the next one is taken.
  if (friday.getTime() - realNow.getTime() < 10 * 60_000) friday.setUTCDate(friday.getUTCDate() + 7);
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
