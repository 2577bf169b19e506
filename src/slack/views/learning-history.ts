import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { Verdict } from '../../db/schema.js';
import { VERDICT_LABELS } from '../../domain/after-action.js';
import type { MessageRef, Quote } from '../../domain/digest/analyse.js';
import type {
  ChallengeTrend,
  Evidence,
  HypothesisTested,
  QuarterPortrait,
  QuestionEvidence,
} from '../../domain/portrait.js';
import type { HistoryOutcome } from '../../services/learning-history.js';
import { messageKey, type Permalinks } from './digest.js';
import { escapeMrkdwn, foldMrkdwn, foldPlain } from './text.js';

/*
 * The learning history as Markdown: the channel's living canvas (the questions, then a section per
 * quarter) and the standalone document `/learning history` shares, organised by learning question.
 * Everything people wrote goes through `markdownWords`, so no answer can become a heading, a link,
 * a table or a mention.
 */

/** Where the words in a history were written, read as the channel's own calendar. */
export interface HistoryCalendar {
  timeZone: string;
}

/** Longest a quote or an item runs before it is folded; its link leads to the whole of it. */
const WORDS_SHOWN = 500;
const LABEL_SHOWN = 200;

/** Characters that would start a link, an emphasis, code, a table cell, a heading or HTML anywhere in a line. */
const INLINE_MARKUP = /[\\`*_~[\]<>|#]/g;

/**
 * People's words on one line, shown as written: markup characters are escaped, whitespace (line breaks
 * included) becomes single spaces so nothing starts a block of its own, and a long text is folded.
 */
export function markdownWords(text: string, limit = WORDS_SHOWN): string {
  const oneLine = foldPlain(text.replace(/\s+/g, ' ').trim(), limit);
  return oneLine
    .replace(INLINE_MARKUP, (character) => `\\${character}`)
    .replace(/^[-+=]/, (marker) => `\\${marker}`)
    .replace(/^(\d+)([.)])(?=\s|$)/, '$1\\$2');
}

/** A Slack permalink made safe inside `(…)`: spaces and brackets would end the link early. */
function linkTarget(url: string): string {
  return url.replace(/[\s()<>]/g, (character) => encodeURIComponent(character));
}

/** `label` (already Markdown) linked to where it was written, or left as it is when there is no link. */
function linked(label: string, ref: MessageRef | null, permalinks: Permalinks): string {
  const url = ref ? permalinks.get(messageKey(ref)) : undefined;
  return url ? `[${label}](${linkTarget(url)})` : label;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function dayOf(instant: Date, calendar: HistoryCalendar): string {
  return format(new TZDate(instant, calendar.timeZone), 'd MMM yyyy');
}

function verdictWords(verdict: Verdict | null): string {
  return verdict ? VERDICT_LABELS[verdict] : 'No verdict yet';
}

/** A quote as a block quote of its own, never with a name, with a link to where it was said. */
function quoteBlock(quote: Quote, permalinks: Permalinks): string {
  const source = linked('where it was said', quote.link, permalinks);
  const words = `“${markdownWords(quote.text)}”`;
  return source === 'where it was said' ? `> ${words}` : `> ${words} (${source})`;
}

/** Each thing said once: the same words from two loops are one quote, linked to where they were first found. */
function distinctQuotes(quotes: readonly Quote[]): Quote[] {
  const seen = new Set<string>();
  return quotes.filter((quote) => {
    const words = quote.text.replace(/\s+/g, ' ').trim().toLowerCase();
    if (seen.has(words)) return false;
    seen.add(words);
    return true;
  });
}

/** Paragraphs joined with the blank lines Markdown needs between blocks. */
function blocks(parts: readonly (string | null | undefined | false)[]): string {
  return parts.filter((part): part is string => typeof part === 'string' && part !== '').join('\n\n');
}

function list(lines: readonly string[]): string {
  return lines.join('\n');
}

// ---------------------------------------------------------------------------
// The learning questions
// ---------------------------------------------------------------------------

function questionLine(question: QuestionEvidence, permalinks: Permalinks, calendar: HistoryCalendar): string {
  const text = `**${markdownWords(question.text, LABEL_SHOWN)}**`;
  if (question.pieces === 0 || !question.latest) return `- ${text} — nothing tied to it yet`;
  const latest = question.latest;
  const piece = linked(`“${markdownWords(latest.text, LABEL_SHOWN)}”`, latest.link, permalinks);
  return `- ${text} — ${plural(question.pieces, 'piece')} of evidence; the latest, ${dayOf(latest.at, calendar)}: ${piece}`;
}

/**
 * The header of the canvas's questions section: worded so that a lookup for it finds no header people
 * wrote themselves (a plain "Learning questions" of theirs stays theirs).
 */
export const QUESTIONS_HEADER = 'The learning questions we are working on';

/** The questions section: what the team is working on, with how much evidence each has and its latest piece. */
export function questionsSectionMarkdown(
  questions: readonly QuestionEvidence[],
  permalinks: Permalinks = new Map(),
  calendar: HistoryCalendar = { timeZone: 'UTC' },
): string {
  const body =
    questions.length === 0
      ? 'No learning questions yet. `/learning questions` sets the one to five the team is working on.'
      : list(questions.map((question) => questionLine(question, permalinks, calendar)));
  return blocks([`## ${QUESTIONS_HEADER}`, body]);
}

// ---------------------------------------------------------------------------
// A quarter
// ---------------------------------------------------------------------------

function hypothesisWords(tested: Pick<HypothesisTested, 'hypothesis' | 'action'>): string {
  return tested.hypothesis.trim() !== ''
    ? markdownWords(tested.hypothesis)
    : `${markdownWords(tested.action, LABEL_SHOWN)} (no hypothesis written)`;
}

/** A verdict and the hypothesis it was on, linked to the after-action review that gave it. */
/**
 * Loops that read the same (a hypothesis tested again and again, the same change each time) are one
 * line, the first linked in full and the others by number, so a history shows what varied.
 */
function sameOnce<T extends { link: MessageRef | null }>(
  items: readonly T[],
  wordsOf: (item: T) => string,
): { item: T; others: T[] }[] {
  const groups = new Map<string, { item: T; others: T[] }>();
  for (const item of items) {
    const key = wordsOf(item).replace(/\s+/g, ' ').trim().toLowerCase();
    const group = groups.get(key);
    if (group) group.others.push(item);
    else groups.set(key, { item, others: [] });
  }
  return [...groups.values()];
}

function alsoIn(others: readonly { link: MessageRef | null }[], permalinks: Permalinks): string {
  if (others.length === 0) return '';
  const refs = others.map((other, index) => linked(String(index + 2), other.link, permalinks));
  return ` — in ${others.length + 1} loops (also ${refs.join(', ')})`;
}

function testedLine(
  tested: HypothesisTested,
  permalinks: Permalinks,
  others: readonly HypothesisTested[] = [],
): string {
  const hypothesis = linked(hypothesisWords(tested), tested.link, permalinks);
  return `- **${verdictWords(tested.verdict)}:** ${hypothesis}${alsoIn(others, permalinks)}`;
}

function testedLines(tested: readonly HypothesisTested[], permalinks: Permalinks): string[] {
  return sameOnce(tested, (item) => `${item.verdict}:${hypothesisWords(item)}`).map(({ item, others }) =>
    testedLine(item, permalinks, others),
  );
}

/** What the team did with a verdict: the hypothesis it will test next, and what it changed. */
function madeOfLines(tested: HypothesisTested, permalinks: Permalinks): string[] {
  const lines: string[] = [];
  if (tested.revisedHypothesis?.trim()) {
    lines.push(`  - Revised to: ${linked(markdownWords(tested.revisedHypothesis), tested.link, permalinks)}`);
  }
  if (tested.change.trim()) lines.push(`  - Changing: ${markdownWords(tested.change)}`);
  return lines;
}

function verdictCounts(portrait: QuarterPortrait): string {
  const verdicts = portrait.hypotheses.verdicts;
  const counted = (Object.keys(VERDICT_LABELS) as Verdict[])
    .filter((verdict) => verdicts[verdict] > 0)
    .map((verdict) => `${VERDICT_LABELS[verdict].toLowerCase()} ${verdicts[verdict]}`);
  return counted.length > 0 ? ` (${counted.join(', ')})` : '';
}

function hypothesesPart(portrait: QuarterPortrait, permalinks: Permalinks): string {
  const tested = portrait.hypotheses.tested;
  const body =
    tested.length === 0
      ? 'No hypothesis was looked back on this quarter.'
      : blocks([
          `${plural(tested.length, 'hypothesis', 'hypotheses')} looked back on${verdictCounts(portrait)}.`,
          list(testedLines(tested, permalinks)),
        ]);
  return blocks(['### Hypotheses and verdicts', body]);
}

/** A hypothesis tested, revised and tested again, step by step. */
function chainLine(chain: QuarterPortrait['hypotheses']['chains'][number], permalinks: Permalinks): string {
  const steps = chain.steps.map((step) => {
    const words = step.hypothesis.trim() ? markdownWords(step.hypothesis, LABEL_SHOWN) : 'a hypothesis';
    return `${linked(words, step.link, permalinks)} (${verdictWords(step.verdict).toLowerCase()})`;
  });
  return `- ${steps.join(' → ')}`;
}

function changesPart(portrait: QuarterPortrait, permalinks: Permalinks): string {
  const changed = portrait.hypotheses.tested.filter(
    (item) => item.change.trim() !== '' || item.revisedHypothesis?.trim(),
  );
  const lines = sameOnce(changed, (item) => `${item.change}:${item.revisedHypothesis ?? ''}`).flatMap(
    ({ item, others }) => {
      const what = item.change.trim()
        ? linked(markdownWords(item.change), item.link, permalinks)
        : `A new hypothesis after ${markdownWords(item.action, LABEL_SHOWN)}`;
      const revised = item.revisedHypothesis?.trim()
        ? [`  - Next hypothesis: ${markdownWords(item.revisedHypothesis)}`]
        : [];
      return [`- ${what}${alsoIn(others, permalinks)}`, ...revised];
    },
  );
  const chains = portrait.hypotheses.chains.filter((chain) => chain.steps.length > 1);
  const body =
    lines.length === 0 && chains.length === 0
      ? 'Nothing was written down as changing this quarter.'
      : blocks([
          list(lines),
          chains.length > 0 && 'Hypotheses tested, revised and tested again:',
          chains.length > 0 && list(chains.map((chain) => chainLine(chain, permalinks))),
        ]);
  return blocks(['### What changed as a result', body]);
}

const CHALLENGE_STATE: Record<ChallengeTrend['state'], string> = {
  advancing: 'Advancing',
  circling: 'Still circling',
};

function challengeLines(
  challenge: ChallengeTrend,
  permalinks: Permalinks,
  calendar: HistoryCalendar,
): string {
  const seen = linked(`last ${dayOf(challenge.lastSeen, calendar)}`, challenge.link, permalinks);
  const line = `- **${CHALLENGE_STATE[challenge.state]}:** ${markdownWords(challenge.label, LABEL_SHOWN)} — came up in ${plural(challenge.loops, 'loop')}, ${seen}`;
  return blocks([line, ...distinctQuotes(challenge.quotes).map((quote) => quoteBlock(quote, permalinks))]);
}

function challengesPart(
  portrait: QuarterPortrait,
  permalinks: Permalinks,
  calendar: HistoryCalendar,
): string {
  // Circling first: what keeps coming back is what the team most needs to see.
  const ordered = [...portrait.challenges].sort(
    (a, b) => Number(a.state === 'advancing') - Number(b.state === 'advancing') || b.loops - a.loops,
  );
  const body =
    ordered.length === 0
      ? 'No challenge came up in more than one loop.'
      : blocks(ordered.map((challenge) => challengeLines(challenge, permalinks, calendar)));
  return blocks(['### Challenges advancing or circling', body]);
}

function themesPart(portrait: QuarterPortrait): string {
  const body =
    portrait.themes.length === 0
      ? 'Too few answers this quarter to see what they were about.'
      : list(
          portrait.themes.map(
            (theme) =>
              `- ${markdownWords(theme.label, LABEL_SHOWN)}: ${plural(theme.answers, 'answer')} from ${plural(theme.voices, 'voice')}`,
          ),
        );
  return blocks(['### Themes', body]);
}

function noteLine(note: Evidence, permalinks: Permalinks, calendar: HistoryCalendar): string {
  return `- ${dayOf(note.at, calendar)}: ${linked(markdownWords(note.text), note.link, permalinks)}`;
}

function notesPart(portrait: QuarterPortrait, permalinks: Permalinks, calendar: HistoryCalendar): string {
  const body =
    portrait.notes.length === 0
      ? 'No learning notes: replies in a digest’s thread become notes here.'
      : list(portrait.notes.map((note) => noteLine(note, permalinks, calendar)));
  return blocks(['### Learning notes', body]);
}

/** One line of what the quarter came to: loops, and how many people took part (never who). */
function quarterSummary(portrait: QuarterPortrait): string {
  const { loops, voices, reviewsWithoutPrompt } = portrait;
  const parts = [
    `${plural(loops.opened, 'before-action review')} opened, ${plural(loops.closed, 'loop')} closed with an after-action review`,
    loops.stillOpen > 0 ? `${loops.stillOpen} still open` : null,
    voices.averagePerWeek > 0
      ? `${Math.round(voices.averagePerWeek * 10) / 10} voices a week on average${voices.members ? ` of ${voices.members} members` : ''}`
      : null,
    reviewsWithoutPrompt.count > 0
      ? `${reviewsWithoutPrompt.count} of ${reviewsWithoutPrompt.of} reviews started by the team unprompted`
      : null,
  ].filter((part): part is string => part !== null);
  return `${parts.join('; ')}.`;
}

/**
 * `## <quarter>` and its parts at ### only, so looking the quarter's header up in a canvas finds exactly
 * this section, and replacing it touches nothing else.
 */
export function quarterSectionMarkdown(
  portrait: QuarterPortrait,
  permalinks: Permalinks = new Map(),
  calendar: HistoryCalendar = { timeZone: 'UTC' },
): string {
  return blocks([
    `## ${portrait.quarter.label}`,
    quarterSummary(portrait),
    hypothesesPart(portrait, permalinks),
    changesPart(portrait, permalinks),
    challengesPart(portrait, permalinks, calendar),
    themesPart(portrait),
    notesPart(portrait, permalinks, calendar),
  ]);
}

function channelWords(channelName: string): string {
  return `#${markdownWords(channelName, 80)}`;
}

/** The channel's own canvas: the questions, then each quarter, oldest first. */
export function channelCanvasMarkdown(input: {
  channelName: string;
  questions: readonly QuestionEvidence[];
  portraits: readonly QuarterPortrait[];
  permalinks: Permalinks;
  calendar?: HistoryCalendar;
}): string {
  const calendar = input.calendar ?? { timeZone: 'UTC' };
  const oldestFirst = [...input.portraits].sort(
    (a, b) => a.quarter.start.getTime() - b.quarter.start.getTime(),
  );
  return `${blocks([
    `# Learning history of ${channelWords(input.channelName)}`,
    'What this channel set out to learn, what it tried, and what it made of it, quarter by quarter. Each quarter is brought up to date after its digest; every item links to the words it came from.',
    questionsSectionMarkdown(input.questions, input.permalinks, calendar),
    ...oldestFirst.map((portrait) => quarterSectionMarkdown(portrait, input.permalinks, calendar)),
  ])}\n`;
}

// ---------------------------------------------------------------------------
// The history a team shares: by learning question
// ---------------------------------------------------------------------------

/** A tested hypothesis, with the learning question its reviews were tagged with when the portrait knows it. */
type TaggedHypothesis = HypothesisTested & { questionId?: string | null };

interface QuestionStory {
  id: string;
  text: string;
  pieces: number;
  quotes: Quote[];
  tested: HypothesisTested[];
}

/**
 * Each learning question across the period's quarters, in the order the team keeps them (the latest
 * quarter's first), with its words and verdicts gathered from every quarter.
 */
function questionStories(portraits: readonly QuarterPortrait[]): QuestionStory[] {
  const stories = new Map<string, QuestionStory>();
  const newestFirst = [...portraits].sort((a, b) => b.quarter.start.getTime() - a.quarter.start.getTime());
  for (const portrait of newestFirst) {
    for (const question of portrait.questions) {
      const story = stories.get(question.id) ?? {
        id: question.id,
        text: question.text,
        pieces: 0,
        quotes: [],
        tested: [],
      };
      story.pieces += question.pieces;
      story.quotes.push(...question.quotes);
      stories.set(question.id, story);
    }
  }
  for (const portrait of [...newestFirst].reverse()) {
    for (const tested of portrait.hypotheses.tested as readonly TaggedHypothesis[]) {
      const story = tested.questionId ? stories.get(tested.questionId) : undefined;
      story?.tested.push(tested);
    }
  }
  return [...stories.values()];
}

function madeOfBlock(tested: readonly HypothesisTested[], permalinks: Permalinks): string {
  const groups = sameOnce(
    tested,
    (item) => `${item.verdict}:${hypothesisWords(item)}:${item.change}:${item.revisedHypothesis ?? ''}`,
  );
  return list(
    groups.flatMap(({ item, others }) => [
      testedLine(item, permalinks, others),
      ...madeOfLines(item, permalinks),
    ]),
  );
}

function questionChapter(story: QuestionStory, permalinks: Permalinks): string {
  const heading = `## ${markdownWords(story.text, LABEL_SHOWN)}`;
  if (story.pieces === 0 && story.quotes.length === 0 && story.tested.length === 0) {
    return blocks([
      heading,
      'Nothing was tagged with this question in this period: no answers, reviews or after-action reviews.',
    ]);
  }
  const said =
    story.quotes.length === 0
      ? 'No words on this question could be quoted in this period.'
      : blocks(distinctQuotes(story.quotes).map((quote) => quoteBlock(quote, permalinks)));
  const madeOf =
    story.tested.length === 0
      ? 'No hypothesis tied to this question was looked back on in this period.'
      : madeOfBlock(story.tested, permalinks);
  return blocks([
    heading,
    `${plural(story.pieces, 'piece')} of evidence in this period: answers, reviews and after-action reviews tagged with this question.`,
    '### What people said',
    said,
    '### What the team made of it',
    madeOf,
  ]);
}

/** What served no learning question: hypotheses, challenges, themes and the team's own notes. */
function beyondTheQuestions(
  portraits: readonly QuarterPortrait[],
  questionIds: ReadonlySet<string>,
  permalinks: Permalinks,
  calendar: HistoryCalendar,
): string {
  const untagged = portraits.flatMap((portrait) =>
    (portrait.hypotheses.tested as readonly TaggedHypothesis[]).filter(
      (tested) => !tested.questionId || !questionIds.has(tested.questionId),
    ),
  );
  const challenges = portraits.flatMap((portrait) => portrait.challenges);
  const themes = portraits.flatMap((portrait) => portrait.themes);
  const notes = portraits.flatMap((portrait) => portrait.notes);
  return blocks([
    '## Beyond the questions',
    untagged.length > 0 && '### Other hypotheses looked back on',
    untagged.length > 0 && madeOfBlock(untagged, permalinks),
    challenges.length > 0 && '### Challenges advancing or circling',
    challenges.length > 0 &&
      blocks(challenges.map((challenge) => challengeLines(challenge, permalinks, calendar))),
    themes.length > 0 && '### What answers were about',
    themes.length > 0 &&
      list(
        themes.map(
          (theme) =>
            `- ${markdownWords(theme.label, LABEL_SHOWN)}: ${plural(theme.answers, 'answer')} from ${plural(theme.voices, 'voice')}`,
        ),
      ),
    notes.length > 0 && '### Learning notes',
    notes.length > 0 && list(notes.map((note) => noteLine(note, permalinks, calendar))),
    untagged.length + challenges.length + themes.length + notes.length === 0 &&
      'Everything in this period served one of the learning questions.',
  ]);
}

function periodSummary(portraits: readonly QuarterPortrait[]): string {
  const opened = portraits.reduce((sum, portrait) => sum + portrait.loops.opened, 0);
  const closed = portraits.reduce((sum, portrait) => sum + portrait.loops.closed, 0);
  const tested = portraits.reduce((sum, portrait) => sum + portrait.hypotheses.tested.length, 0);
  return `${plural(opened, 'before-action review')} opened, ${plural(closed, 'loop')} closed, ${plural(tested, 'hypothesis', 'hypotheses')} looked back on.`;
}

/**
 * `/learning history`: the period's learning, one chapter per learning question (people's words
 * beside the verdicts, revised hypotheses and changes the team came to), then what served none.
 * Quotes come already chosen under the digest's privacy rules and never carry a name.
 */
export function learningHistoryDocument(input: {
  channelName: string;
  periodLabel: string;
  portraits: readonly QuarterPortrait[];
  permalinks: Permalinks;
  calendar?: HistoryCalendar;
}): string {
  const calendar = input.calendar ?? { timeZone: 'UTC' };
  const stories = questionStories(input.portraits);
  const questionIds = new Set(stories.map((story) => story.id));
  return `${blocks([
    `# Learning history of ${channelWords(input.channelName)}`,
    `**${markdownWords(input.periodLabel, LABEL_SHOWN)}.** What the team asked, what people said, and what the team made of it. Quotes carry no names; each links to where it was said.`,
    periodSummary(input.portraits),
    stories.length === 0 &&
      'The team had no learning questions in this period. `/learning questions` sets the one to five it is working on.',
    ...stories.map((story) => questionChapter(story, input.permalinks)),
    beyondTheQuestions(input.portraits, questionIds, input.permalinks, calendar),
  ])}\n`;
}

/** Every message a history links to, once each, for asking Slack their permalinks. */
export function historyLinks(portraits: readonly QuarterPortrait[]): MessageRef[] {
  const refs = new Map<string, MessageRef>();
  const add = (ref: MessageRef | null | undefined) => {
    if (ref) refs.set(messageKey(ref), ref);
  };
  for (const portrait of portraits) {
    for (const question of portrait.questions) {
      add(question.latest?.link);
      for (const quote of question.quotes) add(quote.link);
    }
    for (const tested of portrait.hypotheses.tested) add(tested.link);
    for (const chain of portrait.hypotheses.chains) for (const step of chain.steps) add(step.link);
    for (const challenge of portrait.challenges) {
      add(challenge.link);
      for (const quote of challenge.quotes) add(quote.link);
    }
    for (const note of portrait.notes) add(note.link);
  }
  return [...refs.values()];
}

// ---------------------------------------------------------------------------
// Sharing it
// ---------------------------------------------------------------------------

/** "Learning history · #team · October – December 2026". */
export function historyTitle(channelName: string, periodLabel: string): string {
  return foldPlain(`Learning history · #${channelName} · ${periodLabel}`, 255);
}

/** "learning-history-team-2026-10-01-to-2026-12-31.md": the days it covers, whatever the label says. */
export function historyFileName(
  channelName: string,
  period: { quarters: readonly { firstDay: string; lastDay: string }[] },
): string {
  const slug =
    channelName
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'channel';
  const first = period.quarters[0]?.firstDay;
  const last = period.quarters[period.quarters.length - 1]?.lastDay;
  return first && last ? `learning-history-${slug}-${first}-to-${last}.md` : `learning-history-${slug}.md`;
}

/** Why Slack would not make a canvas, as a person would say it: one sentence, without its full stop. */
export function canvasRefusalWords(error: string): string {
  if (error.startsWith('free_team') || error.startsWith('team_tier')) {
    return 'This workspace’s Slack plan doesn’t let apps make canvases';
  }
  if (error.startsWith('canvas_disabled')) return 'Canvases are turned off in this workspace';
  if (error === 'missing_scope' || error === 'not_allowed_token_type') {
    return 'The app hasn’t been allowed to make canvases (a workspace admin can reinstall it to allow that)';
  }
  if (error === 'restricted_action') return 'This workspace’s settings don’t let apps share canvases';
  if (error === 'not_in_channel' || error === 'channel_not_found') {
    return 'A canvas couldn’t be shared with this channel';
  }
  return 'Slack didn’t make the canvas just now';
}

/** What the person who asked is told, once, only to them. */
export function historyOutcomeMessage(
  outcome: HistoryOutcome,
  channelId: string,
  periodLabel: string,
): string {
  const history = `The learning history of <#${channelId}> for ${escapeMrkdwn(periodLabel)}`;
  switch (outcome.outcome) {
    case 'canvas':
      return outcome.url
        ? `${history} is a canvas shared with the channel: <${outcome.url}|${escapeMrkdwn(outcome.title)}>.`
        : `${history} is a canvas shared with the channel, titled “${escapeMrkdwn(outcome.title)}”: search Slack for that title to open it.`;
    case 'file':
      return `${canvasRefusalWords(outcome.canvasError)}, so the learning history of <#${channelId}> for ${escapeMrkdwn(periodLabel)} is in the channel as a Markdown file instead.`;
    case 'failed':
      return outcome.error === 'not_in_channel' || outcome.error === 'channel_not_found'
        ? `I can’t post in <#${channelId}>. Invite me with \`/invite @Learning Thread\`, then try \`/learning history\` again.`
        : 'The learning history could not be shared just now. Please try `/learning history` again in a minute.';
  }
}

/** A period that could not be read: what was typed, why, and what works. */
export function historyPeriodNotRead(typed: string, problem: string, examples: readonly string[]): string {
  return `I couldn’t read “${foldMrkdwn(typed, 120)}”: ${escapeMrkdwn(problem)}. Try ${examples.join(', ')}.`;
}
