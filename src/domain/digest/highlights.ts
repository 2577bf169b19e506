import type { SkipReason } from '../../db/schema.js';
import type { DigestAnalysis, MessageRef, ThemeTrend } from './analyse.js';

/**
 * What a team could act on this week, most pressing first: the channel message leads with these, one
 * line each, and the thread keeps the evidence.
 */
export type Highlight =
  | { kind: 'hypothesis'; afterActionId: string; action: string; link: MessageRef | null }
  | { kind: 'surprise'; afterActionId: string; action: string; words: string[]; link: MessageRef | null }
  | { kind: 'challenge'; label: string; loops: number; recurring: 'first' | 'again'; link: MessageRef | null }
  | {
      kind: 'theme';
      label: string;
      trend: ThemeTrend;
      answers: number;
      voices: number;
      everyone: boolean;
      raisedPrivately: boolean;
      link: MessageRef | null;
    }
  | { kind: 'voices'; current: number; usual: number }
  | { kind: 'skips'; reason: SkipReason; count: number; usual: number };

export const MAX_HIGHLIGHTS = 3;

/** The order a team would want them in: a hypothesis that failed says most about what to change. */
export function highlightsOf(analysis: DigestAnalysis): Highlight[] {
  const all: Highlight[] = [
    ...analysis.hypotheses.closed
      .filter((closed) => closed.verdict === 'not_borne_out')
      .map((closed) => ({
        kind: 'hypothesis' as const,
        afterActionId: closed.afterActionId,
        action: closed.action,
        link: closed.link,
      })),
    ...analysis.hypotheses.surprises.map((surprise) => ({
      kind: 'surprise' as const,
      afterActionId: surprise.afterActionId,
      action: surprise.action,
      words: surprise.unanticipated,
      link: surprise.quote.link,
    })),
    ...analysis.recurringChallenges.flatMap((challenge) =>
      challenge.status === 'circling'
        ? []
        : [
            {
              kind: 'challenge' as const,
              label: challenge.label,
              loops: challenge.loops,
              recurring: challenge.status,
              link: challenge.quotes[0]?.link ?? null,
            },
          ],
    ),
    ...analysis.themes
      .filter((theme) => theme.trend === 'new' || theme.trend === 'rising' || theme.trend === 'dominant')
      .map((theme) => ({
        kind: 'theme' as const,
        label: theme.label,
        trend: theme.trend,
        answers: theme.answers,
        voices: theme.voices,
        everyone: theme.everyone,
        raisedPrivately: theme.raisedPrivately,
        link: theme.quotes[0]?.link ?? null,
      })),
    ...(analysis.voices.drop ? [{ kind: 'voices' as const, ...analysis.voices.drop }] : []),
    ...analysis.skipSpikes.map((spike) => ({ kind: 'skips' as const, ...spike })),
  ];
  return all.slice(0, MAX_HIGHLIGHTS);
}
