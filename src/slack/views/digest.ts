import type { KnownBlock, ModalView, SectionBlock } from '@slack/types';
import { voicesChartTitle } from '../../charts/digest-chart.js';
import type { DigestTallies } from '../../db/queries/digest-feedback.js';
import type { SkipReason } from '../../db/schema.js';
import { VERDICT_LABELS } from '../../domain/after-action.js';
import type {
  ChallengeStatus,
  DigestAnalysis,
  MessageRef,
  Quote,
  Theme,
} from '../../domain/digest/analyse.js';
import { type Highlight, highlightsOf } from '../../domain/digest/highlights.js';
import { shortDay } from '../../domain/time.js';
import { ACTIONS, CALLBACKS } from '../ids.js';
import { slackDate, slackDateFormatted } from './dates.js';
import {
  type DigestItem,
  digestItemKey,
  feedbackButtons,
  lastDigestFeedbackLine,
  withinMessageBlocks,
} from './digest-feedback.js';
import type { SlackMessage } from './message.js';
import { escapeMrkdwn, foldMrkdwn, foldPlain, LIMITS } from './text.js';

/** Links resolved for the records quoted, keyed by `messageKey`. */
export type Permalinks = ReadonlyMap<string, string>;

export function messageKey(ref: MessageRef): string {
  return `${ref.channelId}:${ref.ts}`;
}

export interface DigestView {
  analysis: DigestAnalysis;
  /** "14 Nov – 20 Nov", in the channel's time zone (see `digestPeriod`). */
  period: string;
  /** The channel's zone: the day a date belongs to there. */
  timeZone: string;
  /** Asked for by hand: it covers up to the minute it was asked, and its period says so. */
  askedByHand?: boolean;
  /** Short labels for the weeks `analysis.voices.weeks` holds, oldest first. */
  weekLabels: readonly string[];
  permalinks: Permalinks;
}

/** "10:42": a time of day on the 24-hour clock in `timeZone`, for text Slack cannot format. */
function clockTime(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(instant);
}

/**
 * A digest's period as plain text in the channel's zone, for headers and notifications, which cannot
 * format dates: "20 Nov – 27 Nov" for a week's slot, and with the time it was asked for a digest asked
 * for by hand, which covers up to that minute: "20 Nov – 27 Nov, up to 10:42".
 */
export function digestPeriod(
  window: { start: Date; end: Date },
  timeZone: string,
  askedByHand = false,
): string {
  const from = shortDay(window.start, timeZone);
  if (askedByHand)
    return `${from} – ${shortDay(window.end, timeZone)}, up to ${clockTime(window.end, timeZone)}`;
  // A week's slot at midnight ends with the day before it.
  return `${from} – ${shortDay(new Date(window.end.getTime() - 60_000), timeZone)}`;
}

/** The period's two ends as Slack shows them to each reader; the end has its time when it was asked for by hand. */
function periodEnds(view: DigestView): { from: string; to: string } {
  const { start, end } = view.analysis.window;
  const from = slackDateFormatted(start, '{date_short}', shortDay(start, view.timeZone));
  if (!view.askedByHand) {
    const lastMinute = new Date(end.getTime() - 60_000);
    return { from, to: slackDateFormatted(lastMinute, '{date_short}', shortDay(lastMinute, view.timeZone)) };
  }
  const fallback = `${shortDay(end, view.timeZone)}, ${clockTime(end, view.timeZone)}`;
  return { from, to: slackDateFormatted(end, '{date_short} {time}', fallback) };
}

/**
 * Said only when the whole period held nothing: no answers, reviews, skips, notes or verdicts, and no
 * loop waiting past its look-back date (`analysis.quiet`).
 */
export function nothingHappenedSentence(view: DigestView, channelId: string): string {
  const { from, to } = periodEnds(view);
  return `Nothing has happened in <#${channelId}> between ${from} and ${to}`;
}

/** Anonymous answers' hour is all that is kept of when they came; a digest asked mid-hour must not tell more. */
export const ANONYMOUS_HOUR_NOTE =
  'Anonymous answers show once the hour they were given in is over, so when they came in stays private.';

/** What the person previewing reads above the digest: only they see it, which period it covers, and how to post it. */
export function digestPreviewNote(view: DigestView, channelId: string): string[] {
  const { from, to } = periodEnds(view);
  const note = view.analysis.quiet
    ? `Only you can see this. ${nothingHappenedSentence(view, channelId)}, so no digest would be posted.`
    : `Only you can see this: <#${channelId}>’s digest for ${from} – ${to}, as it stands now. \`/learning digest post\` posts it.`;
  return view.askedByHand ? [note, ANONYMOUS_HOUR_NOTE] : [note];
}

const THEME_WORDS: Record<Theme['trend'], string> = {
  new: 'new',
  rising: 'rising',
  dominant: 'filled the week',
  persistent: 'persistent',
  fading: 'fading',
};

const CHALLENGE_WORDS: Record<ChallengeStatus, string> = {
  first: 'recurring from this week',
  again: 'back again this week',
  circling: 'nothing new this week',
};

const SKIP_SHORT: Record<SkipReason, string> = {
  not_relevant: 'not relevant',
  no_capacity: 'no capacity',
  not_safe: 'not safe to say',
  other: 'another reason',
};

export const DIGEST_QUESTION = 'What do you notice? What surprised you?';

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** Keeps whole lines while they fit a section, so a long list never breaks Slack's limit mid-link. */
function section(lines: readonly string[]): SectionBlock {
  let text = '';
  for (const line of lines) {
    const next = text ? `${text}\n${line}` : line;
    if (next.length > LIMITS.sectionText - 2) {
      text = `${text}\n…`;
      break;
    }
    text = next;
  }
  return { type: 'section', text: { type: 'mrkdwn', text: text || ' ' } };
}

function linked(label: string, ref: MessageRef | null, permalinks: Permalinks): string {
  const url = ref ? permalinks.get(messageKey(ref)) : undefined;
  return url ? `<${url}|${label}>` : label;
}

/** A quote never carries a name: anonymity and private answers depend on it, and names add nothing to a pattern. */
function quoteLine(quote: Quote, permalinks: Permalinks): string {
  const source = linked('source', quote.link, permalinks);
  return `> ${foldMrkdwn(quote.text, 300)} ${source === 'source' ? '' : `(${source})`}`.trimEnd();
}

export function themeLabel(theme: Theme): string {
  return theme.trend === 'persistent'
    ? `persistent, ${plural(theme.weeks, 'week')}`
    : THEME_WORDS[theme.trend];
}

function numbersLine(analysis: DigestAnalysis): string {
  const numbers = analysis.numbers;
  const people =
    numbers.members !== null
      ? `${numbers.voices} of ${plural(numbers.members, 'person', 'people')} in the channel`
      : plural(numbers.voices, 'person', 'people');
  const anonymous =
    numbers.anonymousAnswers > 0 ? ` (and ${plural(numbers.anonymousAnswers, 'anonymous answer')})` : '';
  const skips = (Object.keys(SKIP_SHORT) as SkipReason[])
    .filter((reason) => numbers.skips[reason] > 0)
    .map((reason) => `${numbers.skips[reason]} ${SKIP_SHORT[reason]}`);
  return [
    `*${plural(numbers.answers, 'answer')}* from ${people}${anonymous}`,
    `${plural(numbers.barsOpened, 'before-action review')} opened · ${plural(numbers.aarsClosed, 'after-action review')} closed · ${plural(numbers.openLoopsPastLookBack, 'loop')} still open past ${numbers.openLoopsPastLookBack === 1 ? 'its' : 'their'} look-back date`,
    `Skips: ${skips.length > 0 ? skips.join(', ') : 'none'}`,
  ].join('\n');
}

function themeCount(theme: { answers: number; voices: number }): string {
  return `${plural(theme.answers, 'answer')} from ${plural(theme.voices, 'person', 'people')}`;
}

/** One line a team can act on, its subject linked to the evidence. */
function highlightLine(highlight: Highlight, permalinks: Permalinks): string {
  switch (highlight.kind) {
    case 'hypothesis':
      return `• A hypothesis was not borne out: ${linked(foldMrkdwn(highlight.action, 150), highlight.link, permalinks)}. What would we try instead?`;
    case 'surprise':
      return `• Nobody saw this coming in ${linked(foldMrkdwn(highlight.action, 150), highlight.link, permalinks)}: _${escapeMrkdwn(highlight.words.join(' '))}_`;
    case 'challenge': {
      const name = linked(`*${escapeMrkdwn(highlight.label)}*`, highlight.link, permalinks);
      return highlight.recurring === 'first'
        ? `• ${name} keeps coming back: now in ${plural(highlight.loops, 'review')}. Are we solving it, or circling it?`
        : `• ${name} came back again: ${plural(highlight.loops, 'review')} so far.`;
    }
    case 'theme': {
      const name = linked(`*${escapeMrkdwn(highlight.label)}*`, highlight.link, permalinks);
      if (highlight.raisedPrivately)
        return `• Raised privately, not yet in the channel: ${name} (${plural(highlight.answers, 'answer')}).`;
      if (highlight.trend === 'dominant') {
        if (!highlight.everyone)
          return `• Most of this week’s answers were about ${name} (${themeCount(highlight)}).`;
        return highlight.voices === 2
          ? `• Both people who answered this week wrote about ${name}.`
          : `• Everyone who answered this week wrote about ${name}.`;
      }
      return `• ${highlight.trend === 'new' ? 'New this week' : 'Rising'}: ${name} (${themeCount(highlight)}).`;
    }
    case 'voices':
      return `• Fewer voices than usual: ${plural(highlight.current, 'person', 'people')} answered; usually about ${highlight.usual}.`;
    case 'skips':
      return `• ${skipSpikeSentence(highlight)}`;
  }
}

/** Themes and challenges worth naming that are not this week's news: one short line each. */
function backgroundLines(analysis: DigestAnalysis): string[] {
  const lines: string[] = [];
  const steady = analysis.themes.filter((theme) => theme.trend === 'persistent' || theme.trend === 'fading');
  if (steady.length > 0)
    lines.push(
      `Also in your words: ${steady.map((theme) => `${escapeMrkdwn(theme.label)} (${themeLabel(theme)})`).join(' · ')}`,
    );
  const circling = analysis.recurringChallenges.filter((challenge) => challenge.status === 'circling');
  if (circling.length > 0)
    lines.push(
      `Still circling: ${circling.map((challenge) => `${escapeMrkdwn(challenge.label)}, ${plural(challenge.loops, 'review')}`).join(' · ')}`,
    );
  if (analysis.strengths.length > 0)
    lines.push(
      `What keeps working: ${analysis.strengths.map((strength) => escapeMrkdwn(strength.text.charAt(0).toLowerCase() + strength.text.slice(1))).join(', ')}`,
    );
  return lines;
}

/**
 * The compact message in the channel: the week in numbers, then at most three things the team could act
 * on, each linked to its evidence, then the question back. Everything else stays in the thread.
 */
export function buildDigestTop(view: DigestView): SlackMessage {
  const { analysis, permalinks } = view;
  const highlights = highlightsOf(analysis);
  const background = backgroundLines(analysis);
  const nothing = analysis.baselineTooShort
    ? 'Nothing stands out yet. Themes are judged against this channel’s own earlier weeks, so a few more weeks of answers are needed.'
    : 'Nothing stands out from the usual this week.';
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: foldPlain(`Weekly learning digest · ${view.period}`, LIMITS.headerText),
      },
    },
    section([numbersLine(analysis)]),
    section(
      highlights.length > 0
        ? ['*Worth acting on*', ...highlights.map((highlight) => highlightLine(highlight, permalinks))]
        : [background.length > 0 ? '*Nothing new stands out this week*' : nothing],
    ),
    ...(background.length > 0 ? [section(background)] : []),
    section([
      `*${DIGEST_QUESTION}*`,
      'Reply in this thread: replies are kept as learning notes and come back in next week’s digest.',
    ]),
    {
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: 'Evidence, quotes and trends are in the thread. Quotes never carry names.' },
      ],
    },
  ];
  const first = highlights[0];
  const headline = first ? ` ${highlightLine(first, new Map()).replace(/^• /, '').replace(/[*_]/g, '')}` : '';
  return {
    text: foldPlain(
      `Weekly learning digest, ${view.period}: ${plural(analysis.numbers.answers, 'answer')}.${headline}`,
      LIMITS.fallbackText,
    ),
    blocks,
  };
}

function themeSection(theme: Theme, permalinks: Permalinks, baselineTooShort: boolean): SectionBlock {
  const tone = theme.tone === 'mixed' ? '' : `, said in a mostly ${theme.tone} tone`;
  // A channel with too few earlier answers has no "before" to compare with; saying "0% before" would
  // claim one.
  const before = baselineTooShort ? '' : `, ${percent(theme.baselineShare)} before`;
  const detail =
    theme.trend === 'fading'
      ? `in ${plural(theme.answers, 'answer')} this week (${percent(theme.share)}), against ${percent(theme.baselineShare)} before`
      : `in ${plural(theme.answers, 'answer')} (${percent(theme.share)} of the week${before})${tone}`;
  return section([
    `*${escapeMrkdwn(theme.label)}*: ${themeLabel(theme)}, ${detail}`,
    ...(theme.raisedPrivately
      ? ['Raised in private and anonymous answers, not yet in the channel’s thread.']
      : []),
    ...theme.quotes.map((quote) => quoteLine(quote, permalinks)),
  ]);
}

/** Closed hypotheses listed one by one, each with its own buttons; any more share one list. */
export const MAX_HYPOTHESES_ONE_BY_ONE = 3;

/**
 * The evidence, posted in the digest's thread so the channel sees one compact message. With the
 * posted digest's id, each item carries "Useful" and "Not useful" buttons; the preview has none.
 */
export function buildDigestDetails(view: DigestView, feedback?: { digestId: string }): SlackMessage {
  const { analysis, permalinks } = view;
  const blocks: KnownBlock[] = [];
  const heading = (text: string) => blocks.push(section([`*${text}*`]));
  const item = (block: SectionBlock, about: DigestItem) => {
    blocks.push(block);
    const buttons = feedback ? feedbackButtons(feedback.digestId, digestItemKey(about)) : undefined;
    if (buttons) blocks.push(buttons);
  };

  if (analysis.themes.length > 0) {
    heading('Themes, with the words behind them');
    for (const theme of analysis.themes)
      item(themeSection(theme, permalinks, analysis.baselineTooShort), { kind: 'theme', term: theme.term });
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: analysis.baselineTooShort
            ? 'This channel has too few earlier answers to call a theme new or rising yet; a theme here filled this week. Near-identical answers count once.'
            : 'New and rising are judged against up to eight earlier weeks of this channel with a log-likelihood test that keeps the chance of any false alarm near 5%. Near-identical answers count once.',
        },
      ],
    });
  }

  if (analysis.recurringChallenges.length > 0) {
    heading('Challenges that keep coming back (last 90 days)');
    for (const challenge of analysis.recurringChallenges)
      item(
        section([
          `*${escapeMrkdwn(challenge.label)}*: ${CHALLENGE_WORDS[challenge.status]}, named in ${plural(challenge.loops, 'review')} across ${plural(challenge.weeks, 'week')}. Are we solving it, or circling it?`,
          ...(challenge.status === 'circling'
            ? []
            : challenge.quotes.map((quote) => quoteLine(quote, permalinks))),
        ]),
        { kind: 'challenge', term: challenge.label },
      );
  }

  const ledger = analysis.hypotheses;
  if (ledger.closed.length > 0) {
    const counts = (Object.keys(VERDICT_LABELS) as (keyof typeof VERDICT_LABELS)[])
      .filter((verdict) => ledger.verdicts[verdict] > 0)
      .map((verdict) => `${ledger.verdicts[verdict]} ${VERDICT_LABELS[verdict].toLowerCase()}`);
    const closedLine = (closed: (typeof ledger.closed)[number]) =>
      `• ${linked(foldMrkdwn(closed.action, 150), closed.link, permalinks)}: ${closed.verdict ? VERDICT_LABELS[closed.verdict] : 'no verdict'}`;
    blocks.push(
      section([
        '*Hypothesis ledger*',
        counts.length > 0
          ? `This week: ${counts.join(', ')}.`
          : 'This week’s after-action reviews gave no verdict yet.',
      ]),
    );
    for (const closed of ledger.closed.slice(0, MAX_HYPOTHESES_ONE_BY_ONE))
      item(section([closedLine(closed)]), { kind: 'hypothesis', afterActionId: closed.afterActionId });
    if (ledger.closed.length > MAX_HYPOTHESES_ONE_BY_ONE)
      blocks.push(section(ledger.closed.slice(MAX_HYPOTHESES_ONE_BY_ONE).map(closedLine)));
    if (ledger.surprises.length > 0) {
      blocks.push(
        section([
          '*Surprises*: causes an after-action review named that its before-action review never anticipated',
        ]),
      );
      for (const surprise of ledger.surprises)
        item(
          section([
            `• ${linked(foldMrkdwn(surprise.action, 150), surprise.quote.link, permalinks)}: _${escapeMrkdwn(surprise.unanticipated.join(' '))}_`,
            quoteLine(surprise.quote, permalinks),
          ]),
          { kind: 'surprise', afterActionId: surprise.afterActionId },
        );
    }
  }

  if (analysis.quietQuestions.length > 0)
    blocks.push(
      section([
        '*Learning questions with no evidence this week*',
        ...analysis.quietQuestions.map((question) => `• ${foldMrkdwn(question.text, 300)}`),
      ]),
    );

  item(
    section([
      `*${voicesChartTitle(analysis.voices.weeks.length)}*`,
      voicesTrendLine(view),
      'Breadth matters more than volume: who else has a view we have not heard?',
    ]),
    { kind: 'voices' },
  );

  for (const spike of analysis.skipSpikes)
    item(
      section([
        `*${skipSpikeSentence(spike)}* Skipping is fine, and it tells us something: what is behind these?`,
      ]),
      { kind: 'skips', reason: spike.reason },
    );

  if (analysis.openLoops.length > 0)
    blocks.push(
      section([
        '*Loops still open past their look-back date*',
        ...analysis.openLoops.map(
          (loop) =>
            `• ${linked(foldMrkdwn(loop.action, 150), loop.link, permalinks)}: the look-back was due ${slackDate(loop.lookBackOn, view.timeZone)}`,
        ),
      ]),
    );

  if (analysis.notes.length > 0)
    blocks.push(
      section([
        '*Your notes from last week’s digest*',
        ...analysis.notes.map((note) => quoteLine(note, permalinks)),
      ]),
    );

  return {
    text: `Digest details for ${view.period}`,
    blocks: withinMessageBlocks(blocks),
  };
}

function voicesTrendLine(view: DigestView): string {
  const weeks = view.analysis.voices.weeks;
  const cells = weeks.map((week, index) => {
    const label = view.weekLabels[index] ?? '';
    const anonymous = week.anonymous > 0 ? ` +${week.anonymous} anon.` : '';
    return `${label}: ${week.voices}${anonymous}`;
  });
  return `People who answered each week, oldest first: ${cells.join(' · ')}`;
}

/**
 * A skip spike in a sentence. Skips are counted, not people: someone can skip more than one prompt a week.
 * The usual is a weekly mean, so under half a skip a week is "none".
 */
export function skipSpikeSentence(spike: { reason: SkipReason; count: number; usual: number }): string {
  const usually = spike.usual < 0.5 ? 'none' : `about ${Math.round(spike.usual)}`;
  return `${plural(spike.count, 'skip')} for “${SKIP_SHORT[spike.reason]}” this week; usually ${usually}.`;
}

/** Alt text for the chart: its title and the same numbers, for anyone who cannot see the image. */
export function voicesChartAltText(view: DigestView): string {
  const weeks = view.analysis.voices.weeks;
  const described = weeks
    .map(
      (week, index) =>
        `${view.weekLabels[index] ?? ''}: ${plural(week.voices, 'person', 'people')}${week.anonymous > 0 ? ` and ${plural(week.anonymous, 'anonymous answer')}` : ''}`,
    )
    .join('; ');
  const members = view.analysis.numbers.members;
  return foldPlain(
    `${voicesChartTitle(weeks.length)}: a bar chart of how many people answered each week, oldest first. ${described}.${members !== null ? ` The channel has ${plural(members, 'member')}.` : ''}`,
    1000,
  );
}

export function buildDigestLoading(): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACKS.digestPreview,
    title: { type: 'plain_text', text: 'Digest preview' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [section(['Reading this week’s answers…'])],
  };
}

/**
 * The digest as the channel would see it, for one person's eyes only, with how the channel's last
 * digest was received when there was one.
 */
export function buildDigestPreview(
  view: DigestView,
  note: string | readonly string[],
  lastDigest?: DigestTallies,
): ModalView {
  const top = buildDigestTop(view);
  const details = buildDigestDetails(view);
  const received = lastDigestFeedbackLine(lastDigest);
  const lines = typeof note === 'string' ? [note] : note;
  const blocks: KnownBlock[] = [
    {
      type: 'context',
      elements: [...lines, ...(received ? [received] : [])].map((text) => ({
        type: 'mrkdwn' as const,
        text,
      })),
    },
    ...top.blocks,
    { type: 'divider' },
    ...details.blocks,
  ];
  return {
    type: 'modal',
    callback_id: CALLBACKS.digestPreview,
    title: { type: 'plain_text', text: 'Digest preview' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: blocks.slice(0, LIMITS.modalBlocks),
  };
}

/** Asked before a second digest goes to the channel in one week. */
export function buildPostAgainQuestion(
  channelId: string,
  link: string | undefined,
  nextEdition: number,
): SlackMessage {
  const already = link ? `<${link}|This week’s digest>` : 'This week’s digest';
  return {
    text: 'This week’s digest is already in the channel. Post another one?',
    blocks: [
      section([`${already} is already in <#${channelId}>. Post another one with what has come in since?`]),
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: ACTIONS.postDigestAgain,
            text: { type: 'plain_text', text: 'Post another digest' },
            value: `${channelId}|${nextEdition}`,
          },
        ],
      },
    ],
  };
}
