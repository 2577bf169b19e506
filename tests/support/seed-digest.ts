import type { Database } from '../../src/db/client.js';
import type { WorkspaceScope } from '../../src/db/queries/scope.js';
import {
  afterActionReviews,
  beforeActionReviews,
  occurrences,
  responses,
  skips,
} from '../../src/db/schema.js';
import { textFeatures } from '../../src/domain/digest/text.js';
import type { SyntheticTeam } from './synthetic-team.js';

export interface SeededMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  text: string;
}

function tsOf(date: Date, sequence: number): string {
  return `${Math.floor(date.getTime() / 1000)}.${String(sequence).padStart(6, '0')}`;
}

/**
 * Stores a synthetic team's records the way the app would have: a prompt a week, answers with the
 * terms and tone worked out on saving, skips, reviews and their after-action reviews. Returns the
 * channel messages those records point at, so a fake Slack can hold them too.
 */
export async function seedSyntheticTeam(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
  team: SyntheticTeam,
): Promise<SeededMessage[]> {
  const messages: SeededMessage[] = [];
  let sequence = 0;
  // Slack's ts values are unique per channel: the sequence keeps two records in one second apart.
  const nextTs = (date: Date) => {
    sequence += 1;
    return tsOf(date, sequence);
  };
  const promptOf = new Map<number, { id: string; ts: string }>();
  for (let week = 1; week <= team.weeks; week += 1) {
    const dueAt = new Date(team.digestAt(week).getTime() - 7 * 86_400_000);
    const ts = nextTs(dueAt);
    const [row] = await db
      .insert(occurrences)
      .values({
        teamId: scope.teamId,
        channelId,
        kind: 'mid_week',
        dueAt,
        status: 'posted',
        messageTs: ts,
        postedAt: dueAt,
      })
      .returning({ id: occurrences.id });
    promptOf.set(week, { id: row?.id as string, ts });
    messages.push({ channel: channelId, ts, text: `Mid-week reflection, week ${week}` });
  }
  const answerRows = team.answers.map((answer) => {
    const promptMessage = promptOf.get(answer.week) as { id: string; ts: string };
    const ts = nextTs(answer.createdAt);
    if (answer.kind === 'thread')
      messages.push({ channel: channelId, ts, threadTs: promptMessage.ts, text: answer.text });
    const features = textFeatures(answer.text);
    return {
      teamId: scope.teamId,
      channelId,
      occurrenceId: promptMessage.id,
      userId: answer.userId,
      kind: answer.kind,
      text: answer.text,
      terms: features.terms,
      sentiment: features.sentiment,
      quotable: answer.quotable,
      sourceKey:
        answer.kind === 'thread' ? `message:${ts}` : answer.kind === 'private' ? `view:V${ts}` : null,
      createdAt: answer.createdAt,
      updatedAt: answer.createdAt,
    };
  });
  for (let start = 0; start < answerRows.length; start += 500)
    await db.insert(responses).values(answerRows.slice(start, start + 500));
  if (team.skips.length > 0)
    await db.insert(skips).values(
      team.skips.map((skip) => ({
        teamId: scope.teamId,
        channelId,
        occurrenceId: (promptOf.get(skip.week) as { id: string }).id,
        userId: skip.userId,
        reason: skip.reason,
        createdAt: skip.createdAt,
      })),
    );
  const reviewIds = new Map<string, string>();
  for (const review of team.reviews) {
    const summaryTs = nextTs(review.createdAt);
    messages.push({ channel: channelId, ts: summaryTs, text: `Before-action review: ${review.action}` });
    const [row] = await db
      .insert(beforeActionReviews)
      .values({
        teamId: scope.teamId,
        channelId,
        authorId: 'U0ADA',
        action: review.action,
        intendedResults: review.intendedResults,
        anticipatedChallenges: review.anticipatedChallenges,
        successFactors: review.successFactors,
        hypothesisIf: review.hypothesisIf,
        hypothesisThen: review.hypothesisThen,
        lookBackOn: review.lookBackOn,
        timeZone: 'UTC',
        status: review.status,
        sourceViewId: `V-${channelId}-${review.key}`,
        summaryTs,
        createdAt: review.createdAt,
        updatedAt: review.createdAt,
      })
      .returning({ id: beforeActionReviews.id });
    reviewIds.set(review.key, row?.id as string);
  }
  for (const after of team.afterActions) {
    const summaryTs = nextTs(after.createdAt);
    messages.push({ channel: channelId, ts: summaryTs, text: 'After-action review' });
    await db.insert(afterActionReviews).values({
      teamId: scope.teamId,
      channelId,
      reviewId: reviewIds.get(after.reviewKey) ?? null,
      authorId: 'U0BEN',
      whatHappened: after.whatHappened,
      whyDifferent: after.whyDifferent,
      sustain: 'Keep the early start.',
      change: 'Send the reminder sooner.',
      verdict: after.verdict,
      sourceViewId: `V-${channelId}-after-${after.reviewKey}`,
      summaryTs,
      createdAt: after.createdAt,
      updatedAt: after.createdAt,
    });
  }
  return messages;
}
