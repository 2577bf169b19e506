import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { OccurrenceKind, PerspectiveTarget, SkipReason } from '../db/schema.js';
import { type ValidAar, VERDICT_LABELS } from './after-action.js';
import type { ExportPeriod } from './export-period.js';
import { hypothesisSentence, type ValidBar } from './review.js';
import { isoWeekKey } from './time.js';

/** What the author wrote, as validated when the review was saved. */
export type ExportReview = Omit<ValidBar, 'people' | 'channelId'> & {
  id: string;
  createdAt: Date;
  authorId: string;
  status: 'open' | 'closed';
  people: readonly string[];
};

export type ExportAfterAction = Omit<ValidAar, 'people' | 'channelId' | 'questionId'> & {
  id: string;
  createdAt: Date;
  authorId: string;
  reviewId: string | null;
  /** The action of the before-action review it looked back on, while that review exists. */
  action: string | null;
  people: readonly string[];
};

export interface ExportPerspective {
  id: string;
  createdAt: Date;
  /** Null when anonymous. */
  userId: string | null;
  target: PerspectiveTarget;
  /** Null when the review it answered was deleted by its author. */
  reviewId: string | null;
  answers: Record<string, string>;
  /**
   * The action of the review it answered, for an export where that review is not itself exported (one
   * person's words); a channel's export finds it among its own reviews.
   */
  action?: string | null;
}

export interface ExportAnswer {
  id: string;
  createdAt: Date;
  kind: 'thread' | 'private' | 'anonymous';
  /** Set only for replies in a thread, which the channel saw with their author's name. */
  authorId: string | null;
  text: string;
  /** A pre-action check-in's 1 to 5, instead of words. */
  confidence: number | null;
  occurrenceKind: OccurrenceKind;
  prompt: string | null;
}

export interface ExportSkip {
  id: string;
  createdAt: Date;
  reason: SkipReason;
}

export interface ExportNote {
  id: string;
  createdAt: Date;
  userId: string;
  text: string;
}

/** How one item of a digest was received: counts only, never who voted. */
export interface ExportDigestItem {
  itemKey: string;
  useful: number;
  notUseful: number;
}

export interface ExportDigest {
  id: string;
  createdAt: Date;
  weekKey: string;
  edition: number;
  status: 'posting' | 'posted';
  /** Only the items someone voted on. */
  items: readonly ExportDigestItem[];
}

export interface ExportQuestion {
  id: string;
  createdAt: Date;
  createdBy: string;
  text: string;
  retiredAt: Date | null;
}

/** What the database holds for a channel, as an export reads it. */
export interface StoredHistory {
  questions: readonly ExportQuestion[];
  reviews: readonly ExportReview[];
  afterActionReviews: readonly ExportAfterAction[];
  perspectives: readonly ExportPerspective[];
  answers: readonly ExportAnswer[];
  skips: readonly ExportSkip[];
  notes: readonly ExportNote[];
  digests: readonly ExportDigest[];
}

export interface ChannelHistory extends StoredHistory {
  channelId: string;
  /** The channel's name as Slack gave it; null when Slack would not say (the id stands in). */
  channelName: string | null;
  generatedAt: Date;
  /** The days the export covers, in the channel's time zone. */
  period: ExportPeriod;
  /**
   * People's names by id, as Slack gave them when the export was made. Someone missing (left the
   * workspace, or Slack did not answer) is shown by id alone.
   */
  names: ReadonlyMap<string, string>;
  /** The channel's own zone for dates and weeks; UTC when it never set a rhythm. */
  timeZone: string;
  /** The learning history file sent beside the export, when there is one. */
  learningHistory?: LearningHistoryNote;
  historyCanvas?: HistoryCanvasState;
}

const SKIP_REASONS: Record<SkipReason, string> = {
  not_relevant: 'Not relevant this week',
  no_capacity: 'No capacity this week',
  not_safe: 'Not safe to say',
  other: 'Another reason',
};

const CHECK_IN_NAMES: Partial<Record<OccurrenceKind, string>> = {
  pre_check_in: 'Pre-action check-in',
  post_check_in: 'Time to look back',
  aar_reminder: 'Still open',
};

const ANSWER_LABELS: Record<string, string> = {
  intendedResults: 'Intended results',
  anticipatedChallenges: 'Anticipated challenges',
  lessonsFromBefore: 'Lessons from before',
  successFactors: 'What will make us successful',
  whatHappened: 'What actually happened',
  whyDifferent: 'Why the difference',
  sustain: 'What to sustain',
  change: 'What to change',
};

/** Where an answer's visibility is written down: the digest's own words for the three ways to answer. */
const VISIBILITY: Record<ExportAnswer['kind'], string> = {
  thread: 'public',
  private: 'private',
  anonymous: 'anonymous',
};

function hypothesisOf(review: ExportReview): string {
  return hypothesisSentence({
    action: review.hypothesisIf,
    expectation: review.hypothesisThen,
    because: review.hypothesisBecause,
  });
}

function reviewAnswers(review: ExportReview): Array<[string, string]> {
  return [
    ['Intended results', review.intendedResults],
    ['Anticipated challenges', review.anticipatedChallenges],
    ['Lessons from before', review.lessonsFromBefore],
    ['What will make us successful', review.successFactors],
  ];
}

function afterActionAnswers(aar: ExportAfterAction): Array<[string, string]> {
  return [
    ...(aar.reviewId ? [] : ([['What we intended', aar.intended]] as Array<[string, string]>)),
    ['What actually happened', aar.whatHappened],
    ['Why the difference', aar.whyDifferent],
    ['What we will sustain', aar.sustain],
    ['What we will change', aar.change],
  ];
}

function perspectiveAnswers(perspective: ExportPerspective): Array<[string, string]> {
  return Object.entries(perspective.answers)
    .filter(([, text]) => text.trim() !== '')
    .map(([key, text]) => [ANSWER_LABELS[key] ?? key, text]);
}

function labelled(pairs: ReadonlyArray<[string, string]>): string {
  return pairs
    .filter(([, text]) => text.trim() !== '')
    .map(([label, text]) => `${label}: ${text}`)
    .join('\n');
}

// ---------------------------------------------------------------------------
// CSV (RFC 4180)
// ---------------------------------------------------------------------------

export const CSV_COLUMNS = [
  'kind',
  'id',
  'created_at',
  'week',
  'author',
  'author_name',
  'visibility',
  'text',
  'hypothesis',
  'verdict',
  'revised_hypothesis',
  'reason',
  'confidence',
  'people',
  'people_names',
  'related_id',
  'context',
  'useful',
  'not_useful',
] as const;

export type CsvColumn = (typeof CSV_COLUMNS)[number];
export type CsvRecord = Partial<Record<CsvColumn, string>>;

/** A spreadsheet runs a cell starting with one of these as a formula (OWASP adds tab and carriage return). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: defused if a spreadsheet would run it, quoted when it holds a quote, comma or line break. */
export function csvCell(value: string): string {
  const defused = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(defused) ? `"${defused.replace(/"/g, '""')}"` : defused;
}

/**
 * Every person an export names: authors and the people named in reviews. Anonymous and private entries
 * carry no id, so they can never be looked up.
 */
export function peopleIn(history: StoredHistory): string[] {
  const ids = [
    ...history.questions.map((question) => question.createdBy),
    ...history.reviews.flatMap((review) => [review.authorId, ...review.people]),
    ...history.afterActionReviews.flatMap((aar) => [aar.authorId, ...aar.people]),
    ...history.perspectives.map((perspective) => perspective.userId),
    ...history.answers.map((answer) => answer.authorId),
    ...history.notes.map((note) => note.userId),
  ];
  // An empty id stands where someone asked to be forgotten.
  return [...new Set(ids.filter((id): id is string => Boolean(id)))];
}

/** The day of the oldest record, in the channel's time zone; undefined when there is none. */
export function firstRecordDay(history: StoredHistory, timeZone: string): string | undefined {
  const instants = [
    ...history.questions,
    ...history.reviews,
    ...history.afterActionReviews,
    ...history.perspectives,
    ...history.answers,
    ...history.skips,
    ...history.notes,
    ...history.digests,
  ].map((row) => row.createdAt.getTime());
  if (instants.length === 0) return undefined;
  return format(new TZDate(Math.min(...instants), timeZone), 'yyyy-MM-dd');
}

/** The export's files are named after the channel and the days they cover, so several sit side by side. */
export function exportFileName(
  history: Pick<ChannelHistory, 'channelId' | 'channelName' | 'period'>,
  extension: string,
): string {
  const channel = (history.channelName ?? '')
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}_-]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return `learning-thread-${channel || history.channelId}-${history.period.from}-to-${history.period.to}.${extension}`;
}

/** One record per stored row, oldest first within each kind. */
export function historyRecords(
  history: StoredHistory & Pick<ChannelHistory, 'names' | 'timeZone'>,
): CsvRecord[] {
  const week = (instant: Date) => isoWeekKey(instant, history.timeZone);
  // A name beside each id; someone Slack would not name keeps their id there too.
  const nameOf = (id: string | null) => (id ? (history.names.get(id) ?? id) : '');
  const by = (id: string | null) => ({ author: id ?? '', author_name: nameOf(id) });
  const involved = (people: readonly string[]) => ({
    people: people.join(' '),
    people_names: people.map(nameOf).join('; '),
  });
  const common = (kind: string, row: { id: string; createdAt: Date }) => ({
    kind,
    id: row.id,
    created_at: row.createdAt.toISOString(),
    week: week(row.createdAt),
  });
  return [
    ...history.questions.map((question) => ({
      ...common('learning_question', question),
      ...by(question.createdBy),
      visibility: 'public',
      text: question.text,
      context: question.retiredAt ? `retired ${question.retiredAt.toISOString()}` : 'active',
    })),
    ...history.reviews.map((review) => ({
      ...common('before_action_review', review),
      ...by(review.authorId),
      visibility: 'public',
      text: labelled([['What we are about to do', review.action], ...reviewAnswers(review)]),
      hypothesis: hypothesisOf(review),
      ...involved(review.people),
      context: `look back on ${review.lookBackOn}; ${review.status === 'closed' ? 'looked back' : 'open'}`,
    })),
    ...history.afterActionReviews.map((aar) => ({
      ...common('after_action_review', aar),
      ...by(aar.authorId),
      visibility: 'public',
      text: labelled(afterActionAnswers(aar)),
      verdict: aar.verdict ? VERDICT_LABELS[aar.verdict] : '',
      revised_hypothesis: aar.revisedHypothesis ?? '',
      ...involved(aar.people),
      related_id: aar.reviewId ?? '',
      context: aar.action ?? '',
    })),
    ...history.perspectives.map((perspective) => ({
      ...common('perspective', perspective),
      ...by(perspective.userId),
      visibility: perspective.userId ? 'public' : 'anonymous',
      text: labelled(perspectiveAnswers(perspective)),
      related_id: perspective.reviewId ?? '',
      context: `on ${perspective.target === 'before' ? 'a before' : 'an after'}-action review${
        perspective.action ? `: ${perspective.action}` : ''
      }`,
    })),
    ...history.answers.map((answer) => ({
      ...common(answer.confidence === null ? 'answer' : 'confidence', answer),
      ...by(answer.authorId),
      visibility: answer.confidence === null ? VISIBILITY[answer.kind] : 'private',
      text: answer.text,
      confidence: answer.confidence === null ? '' : String(answer.confidence),
      context: answer.prompt ?? CHECK_IN_NAMES[answer.occurrenceKind] ?? '',
    })),
    ...history.skips.map((skip) => ({
      ...common('skip', skip),
      visibility: 'private',
      reason: SKIP_REASONS[skip.reason],
    })),
    ...history.notes.map((note) => ({
      ...common('learning_note', note),
      ...by(note.userId),
      visibility: 'public',
      text: note.text,
    })),
    ...history.digests.map((digest) => ({
      ...common('digest', digest),
      week: digest.weekKey,
      context: `edition ${digest.edition}, ${digest.status}`,
    })),
    // One row per voted item, keyed by the item and its digest; the counts are all that leaves.
    ...history.digests.flatMap((digest) =>
      digest.items.map((item) => ({
        kind: 'digest_item',
        id: item.itemKey,
        created_at: digest.createdAt.toISOString(),
        week: digest.weekKey,
        related_id: digest.id,
        useful: String(item.useful),
        not_useful: String(item.notUseful),
      })),
    ),
  ];
}

/**
 * Excel reads a CSV without a byte order mark in the computer's legacy code page, so "Tomás" would open
 * as "TomÃ¡s"; with it, Excel, Numbers, LibreOffice and Google Sheets all read UTF-8.
 */
const UTF8_BOM = '\uFEFF';

/** The whole history as CSV: a byte order mark, a header row, then one row per record, CRLF line endings. */
export function historyCsv(history: ChannelHistory): string {
  const rows = [
    CSV_COLUMNS.join(','),
    ...historyRecords(history).map((record) =>
      CSV_COLUMNS.map((column) => csvCell(record[column] ?? '')).join(','),
    ),
  ];
  return `${UTF8_BOM}${rows.join('\r\n')}\r\n`;
}

// ---------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------

/** What people wrote, shown as written: nothing in it becomes a heading, a link, emphasis or HTML. */
export function markdownText(text: string): string {
  return text
    .replace(/[\\`*_[\]<>]/g, (character) => `\\${character}`)
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(/^(\s*)([#+-])/, '$1\\$2').replace(/^(\s*\d+)([.)])/, '$1\\$2'))
    .join('\n  ');
}

function oneLine(text: string): string {
  return markdownText(text.replace(/\s+/g, ' ').trim());
}

/** "#team", or the id when Slack would not name the channel. */
function channelLabel(history: Pick<ChannelHistory, 'channelId' | 'channelName'>): string {
  return history.channelName ? `#${oneLine(history.channelName)}` : `channel ${history.channelId}`;
}

/** What the export covers, in words: the same days its file names carry. */
export function periodWords(period: ExportPeriod): string {
  return period.everything
    ? `everything stored, from ${period.from} (the first record) to ${period.to}`
    : `${period.from} to ${period.to}, both days included`;
}

/** The learning history file sent beside the export, and whether the channel keeps its history in a canvas. */
export interface LearningHistoryNote {
  /** The file's name, and the days it covers in words. */
  fileName: string;
  covers: string;
  /** Set when the export's days reach further back than a learning history does: the quarters it kept. */
  latestQuarters?: number;
}

/**
 * The channel's learning history canvas: brought up to date after each digest (`on`), on but refused by
 * Slack (the history goes to the channel as a file instead), turned off, or never turned on.
 */
export type HistoryCanvasState = 'on' | 'refused' | 'off' | 'never';

const CANVAS_WORDS: Record<HistoryCanvasState, string> = {
  on: 'The channel’s learning history canvas is on: it is brought up to date after each digest.',
  refused:
    'The channel’s learning history canvas is on, but Slack refuses canvases in this workspace, so after each digest the history goes to the channel as a Markdown file instead.',
  off: 'The channel’s learning history canvas is off: a steward turned it off.',
  never: 'The channel’s learning history canvas is off: a steward can turn it on with `/learning canvas`.',
};

/** The lines that point at the learning history file and say whether the canvas is on. */
function learningHistoryLines(
  file: LearningHistoryNote | undefined,
  canvas: HistoryCanvasState | undefined,
): string[] {
  const lines: string[] = [];
  if (file) {
    const cut = file.latestQuarters
      ? ` A learning history reaches back at most ${file.latestQuarters} quarters, so it covers ${file.covers}.`
      : '';
    lines.push(
      `What the team asked, what people said and what it made of it, organised by learning question, is in the file ${file.fileName} beside this one.${cut}`,
    );
  }
  if (canvas) lines.push(CANVAS_WORDS[canvas]);
  return lines.length > 0 ? [...lines, ''] : [];
}

/** What a section writer needs: the records, and how people, days and the time zone are shown. */
type SectionSource = Pick<
  ChannelHistory,
  'reviews' | 'afterActionReviews' | 'perspectives' | 'answers' | 'skips' | 'notes' | 'timeZone'
>;

interface SectionStyle {
  /** The heading level of each section ("##"); each record's own heading is one deeper. */
  depth: number;
  person: (userId: string | null | undefined) => string;
  /**
   * One person's own export: every answer is theirs, so each says how it was given rather than who
   * gave it, each skip is listed on its day with its reason, and a kind they never wrote is left out.
   */
  own: boolean;
}

/** Reviews, after-action reviews, perspectives, answers by week, skips and learning notes, in Markdown. */
function recordSections(history: SectionSource, style: SectionStyle): string[] {
  const day = (instant: Date) => format(new TZDate(instant, history.timeZone), 'yyyy-MM-dd');
  const { person } = style;
  const heading = '#'.repeat(style.depth);
  const itemHeading = '#'.repeat(style.depth + 1);
  const out: string[] = [];
  const section = (title: string, count: number) => {
    if (count > 0 || !style.own) out.push(`${heading} ${title} (${count})`, '');
  };
  const bullets = (pairs: ReadonlyArray<[string, string]>) => {
    for (const [label, text] of pairs)
      if (text.trim() !== '') out.push(`- **${label}:** ${markdownText(text)}`);
    out.push('');
  };

  const actions = new Map<string, string>();
  section('Before-action reviews', history.reviews.length);
  for (const review of history.reviews) {
    actions.set(review.id, review.action);
    out.push(
      `${itemHeading} ${oneLine(review.action)}`,
      '',
      `Started by ${person(review.authorId)} on ${day(review.createdAt)}; people involved: ${
        review.people.map(person).join(', ') || 'none named'
      }; look back on ${review.lookBackOn} (${review.status === 'closed' ? 'looked back' : 'open'}).`,
      '',
    );
    bullets([...reviewAnswers(review), ['Hypothesis', hypothesisOf(review)]]);
  }

  section('After-action reviews', history.afterActionReviews.length);
  for (const aar of history.afterActionReviews) {
    actions.set(aar.id, aar.action ?? aar.intended);
    out.push(
      `${itemHeading} ${oneLine(aar.action ?? (aar.intended || 'A review without a before-action review'))}`,
      '',
      `Reviewed by ${person(aar.authorId)} on ${day(aar.createdAt)}; people involved: ${
        aar.people.map(person).join(', ') || 'none named'
      }.`,
      '',
    );
    bullets([
      ...afterActionAnswers(aar),
      ['Verdict', aar.verdict ? VERDICT_LABELS[aar.verdict] : aar.reviewId ? 'No verdict' : ''],
      ['Revised hypothesis', aar.revisedHypothesis ?? ''],
    ]);
  }

  section('Perspectives', history.perspectives.length);
  for (const perspective of history.perspectives) {
    const on = perspective.reviewId ? (perspective.action ?? actions.get(perspective.reviewId)) : undefined;
    const review = `${perspective.target === 'before' ? 'before' : 'after'}-action review`;
    const where = on ? `the ${review} “${oneLine(on)}”` : `an ${review} since deleted`;
    const who = perspective.userId ? person(perspective.userId) : '*anonymous*';
    out.push(`${itemHeading} ${day(perspective.createdAt)}, ${who}, on ${where}`, '');
    bullets(perspectiveAnswers(perspective));
  }

  const weeks = new Map<string, ExportAnswer[]>();
  for (const answer of history.answers) {
    const key = isoWeekKey(answer.createdAt, history.timeZone);
    weeks.set(key, [...(weeks.get(key) ?? []), answer]);
  }
  section('Answers by week', history.answers.length);
  for (const [week, answers] of weeks) {
    out.push(`${itemHeading} ${week} (${answers.length})`, '');
    for (const answer of answers) {
      const given = answer.confidence === null ? VISIBILITY[answer.kind] : 'private';
      const who = style.own
        ? `*${given === 'public' ? 'in the thread' : given}*`
        : answer.confidence === null && answer.authorId
          ? person(answer.authorId)
          : `*${given}*`;
      const asked = answer.prompt ?? CHECK_IN_NAMES[answer.occurrenceKind];
      const to = asked ? ` (to “${oneLine(asked)}”)` : '';
      const said =
        answer.confidence === null ? markdownText(answer.text) : `confidence ${answer.confidence} of 5`;
      out.push(`- ${day(answer.createdAt)}, ${who}${to}: ${said}`);
    }
    out.push('');
  }

  section('Skips', history.skips.length);
  if (style.own) {
    for (const skip of history.skips) out.push(`- ${day(skip.createdAt)}: ${SKIP_REASONS[skip.reason]}`);
    out.push('');
  } else if (history.skips.length > 0) {
    out.push('| Reason | Skips |', '| --- | --- |');
    for (const reason of Object.keys(SKIP_REASONS) as SkipReason[]) {
      const count = history.skips.filter((skip) => skip.reason === reason).length;
      if (count > 0) out.push(`| ${SKIP_REASONS[reason]} | ${count} |`);
    }
    out.push('');
  }

  section('Learning notes', history.notes.length);
  for (const note of history.notes) {
    out.push(`- ${day(note.createdAt)}, ${person(note.userId)}: ${markdownText(note.text)}`);
  }
  out.push('');
  return out;
}

/** "Ada Author (U0AUTHOR)", the id alone for someone Slack would not name, or the words for someone forgotten. */
function personWords(names: ReadonlyMap<string, string>) {
  return (userId: string | null | undefined): string => {
    if (!userId) return 'someone who asked to be forgotten';
    const name = names.get(userId);
    return name ? `${oneLine(name)} (${userId})` : userId;
  };
}

/** Blank lines run together once, and the file ends with one line break. */
function document(lines: readonly string[]): string {
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

export function historyMarkdown(history: ChannelHistory): string {
  const day = (instant: Date) => format(new TZDate(instant, history.timeZone), 'yyyy-MM-dd');
  const time = (instant: Date) => format(new TZDate(instant, history.timeZone), 'yyyy-MM-dd HH:mm');
  const channel = channelLabel(history);
  const out: string[] = [
    `# Learning history of ${channel}`,
    '',
    `Covers ${periodWords(history.period)}. Channel ${history.channelId}.`,
    `Exported ${time(history.generatedAt)} (${history.timeZone}); dates and weeks below are in that time zone.`,
    'Anonymous entries carry no name: nothing links them to anyone. Private answers, confidence and skips are',
    'shown without names, as the weekly digest shows them. People appear by their name in Slack, with their user',
    'id; someone Slack could not name (they may have left the workspace) by their id alone.',
    '',
    ...learningHistoryLines(history.learningHistory, history.historyCanvas),
  ];
  const section = (title: string, count: number) => out.push(`## ${title} (${count})`, '');

  section('Learning questions', history.questions.length);
  for (const question of history.questions) {
    const state = question.retiredAt ? `retired ${day(question.retiredAt)}` : 'active';
    out.push(`- ${oneLine(question.text)} (${state})`);
  }
  out.push('');

  out.push(...recordSections(history, { depth: 2, person: personWords(history.names), own: false }));

  section('Digests', history.digests.length);
  if (history.digests.some((digest) => digest.items.length > 0))
    out.push(
      'Under each digest, the items people voted on: how many found each useful, and how many not.',
      '',
    );
  for (const digest of history.digests) {
    const edition = digest.edition === 0 ? 'the week’s digest' : `further digest ${digest.edition}`;
    out.push(
      `- ${digest.weekKey}: ${edition}, ${digest.status === 'posted' ? 'posted' : 'not confirmed as posted'} ${day(digest.createdAt)}`,
      ...digest.items.map(
        (item) => `  - ${oneLine(item.itemKey)}: ${item.useful} useful, ${item.notUseful} not useful`,
      ),
    );
  }
  out.push('');
  return document(out);
}

// ---------------------------------------------------------------------------
// One person's own words
// ---------------------------------------------------------------------------

export type InChannel<T> = T & { channelId: string };

/**
 * Everything one person wrote in a workspace, each record with its channel. Answers are only those with
 * their name on them (in a thread or private): an anonymous answer carries nothing that leads to them.
 */
export interface StoredWords {
  reviews: readonly InChannel<ExportReview>[];
  afterActionReviews: readonly InChannel<ExportAfterAction>[];
  perspectives: readonly InChannel<ExportPerspective>[];
  answers: readonly InChannel<ExportAnswer>[];
  skips: readonly InChannel<ExportSkip>[];
  notes: readonly InChannel<ExportNote>[];
}

/** One channel's part of a person's words. */
export type ChannelWords = Pick<
  StoredHistory,
  'reviews' | 'afterActionReviews' | 'perspectives' | 'answers' | 'skips' | 'notes'
> & { channelId: string };

export interface MyWords {
  userId: string;
  generatedAt: Date;
  /** The person's own time zone, from their Slack profile. */
  timeZone: string;
  /** The person and everyone named in their reviews, by id, as Slack gave them. */
  names: ReadonlyMap<string, string>;
  /** Channels' names by id; a channel Slack would not name keeps its id. */
  channelNames: ReadonlyMap<string, string>;
  channels: readonly ChannelWords[];
}

/** A person's words split by channel, the channel they wrote in first coming first. */
export function wordsByChannel(words: StoredWords): ChannelWords[] {
  interface Gathering {
    channelId: string;
    first: number;
    reviews: ExportReview[];
    afterActionReviews: ExportAfterAction[];
    perspectives: ExportPerspective[];
    answers: ExportAnswer[];
    skips: ExportSkip[];
    notes: ExportNote[];
  }
  const channels = new Map<string, Gathering>();
  const into = (channelId: string, at: Date): Gathering => {
    const channel = channels.get(channelId) ?? {
      channelId,
      first: at.getTime(),
      reviews: [],
      afterActionReviews: [],
      perspectives: [],
      answers: [],
      skips: [],
      notes: [],
    };
    channel.first = Math.min(channel.first, at.getTime());
    channels.set(channelId, channel);
    return channel;
  };
  const byAge = <T extends { createdAt: Date }>(rows: readonly T[]) =>
    [...rows].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  for (const { channelId, ...row } of byAge(words.reviews)) into(channelId, row.createdAt).reviews.push(row);
  for (const { channelId, ...row } of byAge(words.afterActionReviews))
    into(channelId, row.createdAt).afterActionReviews.push(row);
  for (const { channelId, ...row } of byAge(words.perspectives))
    into(channelId, row.createdAt).perspectives.push(row);
  for (const { channelId, ...row } of byAge(words.answers)) into(channelId, row.createdAt).answers.push(row);
  for (const { channelId, ...row } of byAge(words.skips)) into(channelId, row.createdAt).skips.push(row);
  for (const { channelId, ...row } of byAge(words.notes)) into(channelId, row.createdAt).notes.push(row);
  return [...channels.values()]
    .sort((a, b) => a.first - b.first || a.channelId.localeCompare(b.channelId))
    .map(({ first: _first, ...channel }) => channel);
}

/** The person and everyone named in their reviews: the ids the files show beside names. */
export function peopleInWords(userId: string, channels: readonly ChannelWords[]): string[] {
  return [
    ...new Set([
      userId,
      ...channels.flatMap((channel) => peopleIn({ ...channel, questions: [], digests: [] })),
    ]),
  ];
}

/** The person's files carry the day they were made, so a later export sits beside an earlier one. */
export function myWordsFileName(day: string, extension: string): string {
  return `learning-thread-my-words-${day}.${extension}`;
}

/** A channel's export columns, with the channel first; a digest's counts are the team's, not theirs. */
export const MY_WORDS_CSV_COLUMNS = [
  'channel',
  'channel_name',
  ...CSV_COLUMNS.filter((column) => column !== 'useful' && column !== 'not_useful'),
] as const;

export type MyWordsColumn = (typeof MY_WORDS_CSV_COLUMNS)[number];

/** One record per thing the person wrote, channel by channel, each kind oldest first. */
export function myWordsRecords(mine: MyWords): Array<Partial<Record<MyWordsColumn, string>>> {
  return mine.channels.flatMap((channel) =>
    historyRecords({
      ...channel,
      questions: [],
      digests: [],
      names: mine.names,
      timeZone: mine.timeZone,
    }).map((record) => ({
      channel: channel.channelId,
      channel_name: mine.channelNames.get(channel.channelId) ?? '',
      ...record,
    })),
  );
}

/** The person's words as CSV, read like the channel export: a byte order mark, CRLF, defused cells. */
export function myWordsCsv(mine: MyWords): string {
  const rows = [
    MY_WORDS_CSV_COLUMNS.join(','),
    ...myWordsRecords(mine).map((record) =>
      MY_WORDS_CSV_COLUMNS.map((column) => csvCell(record[column] ?? '')).join(','),
    ),
  ];
  return `${UTF8_BOM}${rows.join('\r\n')}\r\n`;
}

/** The person's words in Markdown: a heading for each channel, then what they wrote there, by kind. */
export function myWordsMarkdown(mine: MyWords): string {
  const time = (instant: Date) => format(new TZDate(instant, mine.timeZone), 'yyyy-MM-dd HH:mm');
  const person = personWords(mine.names);
  const out: string[] = [
    '# What you wrote in Learning Thread',
    '',
    `Everything this workspace stores with your name on it, ${person(mine.userId)}, in ${
      mine.channels.length === 1 ? 'one channel' : `${mine.channels.length} channels`
    }: your before- and after-action reviews, your perspectives, your answers in threads and private ones, your skips with their reasons, and your learning notes.`,
    `Exported ${time(mine.generatedAt)} (${mine.timeZone}); dates and weeks below are in that time zone.`,
    'Your anonymous answers and perspectives are not here: nothing links them to you or to anyone, so they cannot be found, even for you.',
    'People named in your reviews appear by their name in Slack, with their user id.',
    '',
  ];
  for (const channel of mine.channels) {
    const name = mine.channelNames.get(channel.channelId);
    out.push(
      name ? `## #${oneLine(name)} (${channel.channelId})` : `## Channel ${channel.channelId}`,
      '',
      ...recordSections({ ...channel, timeZone: mine.timeZone }, { depth: 3, person, own: true }),
    );
  }
  return document(out);
}
