import type { Verdict } from '../db/schema.js';
import type { AnswerRecord, MessageRef, NoteRecord, Quote } from './digest/analyse.js';
import type { Quarter } from './quarters.js';

/**
 * The team's portrait of a quarter: what its loops, hypotheses, challenges, learning questions and
 * voices came to, each count with the records behind it so a person can read the evidence.
 * Pure: the records come in, the portrait goes out.
 */

/** Something the portrait counts, with where to read it. */
export interface Evidence {
  id: string;
  text: string;
  at: Date;
  link: MessageRef | null;
}

export interface HypothesisTested {
  afterActionId: string;
  reviewId: string | null;
  /** The before-action review's action (or the after-action review's). */
  action: string;
  /** As the team wrote it ("If we …, then we expect …, because …"), '' if none. */
  hypothesis: string;
  verdict: Verdict | null;
  revisedHypothesis: string | null;
  /** The after-action review's "what will we change" ('' if none). */
  change: string;
  at: Date;
  link: MessageRef | null;
}

/** A hypothesis revised and tested again: reviews linked by fromAfterActionReviewId, oldest first. */
export interface HypothesisChain {
  steps: { reviewId: string; hypothesis: string; verdict: Verdict | null; link: MessageRef | null }[];
}

export interface ChallengeTrend {
  /** The challenge in the team's words, as the digest labels recurring challenges. */
  label: string;
  /** Loops it came up in, over both quarters. */
  loops: number;
  lastSeen: Date;
  /** advancing: a review changed something and it has not come back since; circling: still coming back. */
  state: 'advancing' | 'circling';
  /** The latest place it came up. */
  link: MessageRef | null;
  /** At most 2, under the digest's privacy rules. */
  quotes: Quote[];
}

export interface QuestionEvidence {
  id: string;
  text: string;
  /** Answers, reviews and after-action reviews tagged with the question in the quarter. */
  pieces: number;
  latest: Evidence | null;
  /** People's words on it, under the digest's privacy rules (no names), at most 3. */
  quotes: Quote[];
}

export interface VoicesWeekCount {
  start: Date;
  voices: number;
  anonymous: number;
}

export interface QuarterPortrait {
  quarter: Quarter;
  loops: {
    opened: number;
    closed: number;
    medianDaysLookBackToAfterAction: number | null;
    stillOpen: number;
    openedEvidence: Evidence[];
    closedEvidence: Evidence[];
    openEvidence: Evidence[];
  };
  hypotheses: { tested: HypothesisTested[]; verdicts: Record<Verdict, number>; chains: HypothesisChain[] };
  challenges: ChallengeTrend[];
  /** Every learning question active in the quarter; one with no evidence has pieces 0. */
  questions: QuestionEvidence[];
  /** Breadth only: never names. */
  voices: { weeks: VoicesWeekCount[]; averagePerWeek: number; members: number | null };
  /** Reviews opened with no app prompt or check-in in the channel in the 24 h before them. */
  reviewsWithoutPrompt: { count: number; of: number };
  /** What the quarter's answers were about. */
  themes: { label: string; answers: number; voices: number }[];
  /** Learning notes (replies in a digest's thread), newest first. */
  notes: Evidence[];
}

/** A before-action review as the portrait reads it. */
export interface PortraitReview {
  id: string;
  action: string;
  anticipatedChallenges: string;
  hypothesis: string;
  status: 'open' | 'closed';
  /** The channel's calendar date the team meant to look back on. */
  lookBackOn: string;
  questionId: string | null;
  /** The after-action review whose revised hypothesis this review started from. */
  fromAfterActionReviewId: string | null;
  createdAt: Date;
  link: MessageRef | null;
}

/** An after-action review as the portrait reads it. */
export interface PortraitAfterAction {
  id: string;
  reviewId: string | null;
  action: string;
  whyDifferent: string;
  verdict: Verdict | null;
  revisedHypothesis: string | null;
  change: string;
  questionId: string | null;
  createdAt: Date;
  link: MessageRef | null;
}

/** Everything a portrait reads for a channel, as plain records, covering every quarter asked for. */
export interface PortraitInput {
  timeZone: string;
  /** Now: the current quarter is read up to here. */
  now: Date;
  answers: readonly AnswerRecord[];
  /** Reviews created in the quarters, any still open, and those a chain or an after-action review needs. */
  reviews: readonly PortraitReview[];
  afterActions: readonly PortraitAfterAction[];
  /** When the app posted a prompt or a check-in in the channel. */
  promptsAt: readonly Date[];
  notes: readonly NoteRecord[];
  questions: readonly { id: string; text: string; createdAt: Date; retiredAt: Date | null }[];
  members: number | null;
  privacy: { minVoicesForAnonymousQuotes: number };
}

export function portraitOfQuarter(input: PortraitInput, quarter: Quarter): QuarterPortrait {
  void input;
  return {
    quarter,
    loops: {
      opened: 0,
      closed: 0,
      medianDaysLookBackToAfterAction: null,
      stillOpen: 0,
      openedEvidence: [],
      closedEvidence: [],
      openEvidence: [],
    },
    hypotheses: {
      tested: [],
      verdicts: { borne_out: 0, partly: 0, not_borne_out: 0, too_early: 0 },
      chains: [],
    },
    challenges: [],
    questions: [],
    voices: { weeks: [], averagePerWeek: 0, members: input.members },
    reviewsWithoutPrompt: { count: 0, of: 0 },
    themes: [],
    notes: [],
  };
}
