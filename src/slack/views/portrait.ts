import type { KnownBlock } from '@slack/types';
import type { Verdict } from '../../db/schema.js';
import type { MessageRef } from '../../domain/digest/analyse.js';
import type { Evidence, QuarterPortrait } from '../../domain/portrait.js';
import { formatLongDate } from '../../domain/time.js';
import { HOME_ACTIONS } from '../ids.js';
import { messageKey } from './digest.js';
import { foldMrkdwn, foldPlain, LIMITS } from './text.js';

/** Links shown on one line: enough to read the evidence, few enough to read the line. */
export const LINKS_PER_LINE = 3;
const LINK_TEXT = 40;
/** The static_select's own limit. */
const MAX_PICKER_CHANNELS = 100;

export interface PortraitChannel {
  id: string;
  name: string | null;
}

export interface HomePortrait {
  channels: readonly PortraitChannel[];
  channelId: string;
  /** The person chose this channel, rather than being shown the one they were last active in. */
  picked?: boolean;
  current: QuarterPortrait;
  previous: QuarterPortrait;
  /** Keyed by messageKey. */
  permalinks: ReadonlyMap<string, string>;
  /** The channel's calendar date now: the current quarter is read up to it. */
  today: string;
}

const VERDICT_WORDS: Record<Exclude<Verdict, 'too_early'>, string> = {
  borne_out: 'Borne out',
  partly: 'Partly borne out',
  not_borne_out: 'Not borne out',
};

/** Every message the portrait's lines link to, so only those are looked up. */
export function portraitLinks(current: QuarterPortrait): MessageRef[] {
  const refs: (MessageRef | null)[] = [
    ...latest(current.loops.openedEvidence).map((item) => item.link),
    ...latest(current.loops.closedEvidence).map((item) => item.link),
    ...latest(current.loops.openEvidence).map((item) => item.link),
    ...(['borne_out', 'partly', 'not_borne_out'] as const).flatMap((verdict) =>
      latest(current.hypotheses.tested.filter((tested) => tested.verdict === verdict)).map(
        (tested) => tested.link,
      ),
    ),
    ...current.hypotheses.chains.slice(-LINKS_PER_LINE).map((chain) => chain.steps.at(-1)?.link ?? null),
    ...current.challenges.map((challenge) => challenge.link),
    ...current.questions.map((question) => question.latest?.link ?? null),
    ...current.notes.slice(0, LINKS_PER_LINE).map((note) => note.link),
  ];
  const unique = new Map<string, MessageRef>();
  for (const ref of refs) if (ref) unique.set(messageKey(ref), ref);
  return [...unique.values()];
}

/** The newest few, newest first. */
function latest<T extends { at: Date }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, LINKS_PER_LINE);
}

function linkTo(
  permalinks: ReadonlyMap<string, string>,
  ref: MessageRef | null,
  text: string,
): string | undefined {
  const url = ref ? permalinks.get(messageKey(ref)) : undefined;
  if (!url) return undefined;
  // A link's words cannot hold "|" or ">" unescaped: foldMrkdwn escapes what Slack would read as markup.
  return `<${url}|${foldMrkdwn(text.replace(/\|/g, '/'), LINK_TEXT)}>`;
}

function links(
  permalinks: ReadonlyMap<string, string>,
  items: readonly { link: MessageRef | null; text: string }[],
) {
  const shown = items.flatMap((item) => linkTo(permalinks, item.link, item.text) ?? []);
  return shown.length > 0 ? `: ${shown.join(', ')}` : '';
}

function beside(current: number | string, previous: number | string): string {
  return `*${current}*, last quarter ${previous}`;
}

/**
 * When loops closed, against their look-back date, in plain words: "on the look-back day", "2 days
 * after the look-back date". `again` is for a second mention in the same line: "1 day before it".
 */
export function lookBackTiming(days: number | null, again = false): string {
  if (days === null) return 'none closed';
  // Whole days, or a half where a median falls between two.
  const rounded = Math.round(days * 2) / 2;
  if (rounded === 0) return 'on the look-back day';
  const size = Math.abs(rounded);
  const amount = size === 0.5 ? 'half a day' : `${size} ${size === 1 ? 'day' : 'days'}`;
  return `${amount} ${rounded > 0 ? 'after' : 'before'} ${again ? 'it' : 'the look-back date'}`;
}

function evidenceItems(items: readonly Evidence[]) {
  return latest(items).map((item) => ({ link: item.link, text: item.text }));
}

function section(title: string, lines: readonly string[]): KnownBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: fitted(`*${title}*\n${lines.map((line) => `• ${line}`).join('\n')}`) },
  };
}

/** A section's text stays inside Slack's limit by dropping whole lines from the end, never a link half-cut. */
function fitted(text: string): string {
  if (text.length <= LIMITS.sectionText) return text;
  const lines = text.split('\n');
  while (lines.join('\n').length > LIMITS.sectionText - 2) lines.pop();
  return `${lines.join('\n')}\n…`;
}

function trendWords(current: number, previous: number): string {
  const now = current.toFixed(1);
  const before = previous.toFixed(1);
  if (now === before) return `*${now}* people a week, the same as last quarter`;
  return `*${now}* people a week, ${current > previous ? 'up' : 'down'} from ${before} last quarter`;
}

/** "on the look-back day, last quarter 2 days after it": the second mention leans on the first. */
export function medianLine(current: number | null, previous: number | null): string {
  return `After-action reviews came, at the median: *${lookBackTiming(current)}*, last quarter ${lookBackTiming(previous, current !== null)}`;
}

/** The team's portrait: this quarter beside the one before, each line linked to its evidence. */
export function portraitBlocks(home: HomePortrait): KnownBlock[] {
  const { current, previous, permalinks } = home;
  const heading: KnownBlock = {
    type: 'section',
    text: { type: 'mrkdwn', text: `*How <#${home.channelId}> is learning*` },
  };
  if (home.channels.length > 1) {
    const options = home.channels.slice(0, MAX_PICKER_CHANNELS).map((channel) => ({
      text: {
        type: 'plain_text' as const,
        text: foldPlain(channel.name ? `#${channel.name}` : channel.id, LIMITS.optionText),
      },
      value: channel.id,
    }));
    const chosen = options.find((option) => option.value === home.channelId);
    heading.accessory = {
      type: 'static_select',
      action_id: HOME_ACTIONS.portraitChannel,
      placeholder: { type: 'plain_text', text: 'Choose a channel' },
      options,
      ...(chosen ? { initial_option: chosen } : {}),
    };
  }
  const blocks: KnownBlock[] = [
    { type: 'divider' },
    heading,
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `This quarter, ${current.quarter.label}${home.today <= current.quarter.lastDay ? ` (up to ${formatLongDate(home.today)})` : ''}, beside last quarter, ${previous.quarter.label}.`,
        },
      ],
    },
  ];

  const loops = current.loops;
  blocks.push(
    section('Loops', [
      `Before-action reviews opened: ${beside(loops.opened, previous.loops.opened)}${links(permalinks, evidenceItems(loops.openedEvidence))}`,
      `After-action reviews, loops closed: ${beside(loops.closed, previous.loops.closed)}${links(permalinks, evidenceItems(loops.closedEvidence))}`,
      medianLine(loops.medianDaysLookBackToAfterAction, previous.loops.medianDaysLookBackToAfterAction),
      `Loops still open: ${beside(loops.stillOpen, previous.loops.stillOpen)}${links(permalinks, evidenceItems(loops.openEvidence))}`,
    ]),
  );

  const tested = current.hypotheses.tested;
  const verdictLines = (['borne_out', 'partly', 'not_borne_out'] as const).map((verdict) => {
    const these = tested.filter((item) => item.verdict === verdict);
    return `${VERDICT_WORDS[verdict]}: ${beside(these.length, previous.hypotheses.verdicts[verdict])}${links(
      permalinks,
      latest(these).map((item) => ({ link: item.link, text: item.action })),
    )}`;
  });
  const chains = current.hypotheses.chains;
  blocks.push(
    section('Hypotheses', [
      `Tested: ${beside(tested.length, previous.hypotheses.tested.length)}`,
      ...verdictLines,
      `Revised and tested again: ${beside(chains.length, previous.hypotheses.chains.length)}${links(
        permalinks,
        chains.slice(-LINKS_PER_LINE).map((chain) => {
          const last = chain.steps.at(-1);
          return { link: last?.link ?? null, text: `${chain.steps.length} tries: ${last?.hypothesis ?? ''}` };
        }),
      )}`,
    ]),
  );

  const advancing = current.challenges.filter((challenge) => challenge.state === 'advancing');
  const circling = current.challenges.filter((challenge) => challenge.state === 'circling');
  const count = (portrait: QuarterPortrait, state: 'advancing' | 'circling') =>
    portrait.challenges.filter((challenge) => challenge.state === state).length;
  blocks.push(
    section('Challenges', [
      `Advancing, a review changed something and it has not come back: ${beside(advancing.length, count(previous, 'advancing'))}${links(
        permalinks,
        advancing
          .slice(0, LINKS_PER_LINE)
          .map((challenge) => ({ link: challenge.link, text: challenge.label })),
      )}`,
      `Circling, still coming back: ${beside(circling.length, count(previous, 'circling'))}${links(
        permalinks,
        circling
          .slice(0, LINKS_PER_LINE)
          .map((challenge) => ({ link: challenge.link, text: challenge.label })),
      )}`,
    ]),
  );

  const before = new Map(previous.questions.map((question) => [question.id, question.pieces]));
  const questionLines =
    current.questions.length === 0
      ? ['No learning questions yet: `/learning questions` in the channel sets up to five.']
      : current.questions.map((question) => {
          const words = `_${foldMrkdwn(question.text, 150)}_ ${beside(question.pieces, before.get(question.id) ?? 0)} pieces of evidence`;
          if (!question.latest) return `${words}. None yet this quarter.`;
          const latestLink = linkTo(permalinks, question.latest.link, question.latest.text);
          return `${words}. Latest: ${latestLink ?? foldMrkdwn(question.latest.text, LINK_TEXT)}`;
        });
  blocks.push(section('Learning questions', questionLines));

  const members = current.voices.members;
  blocks.push(
    section('Voices', [
      `${trendWords(current.voices.averagePerWeek, previous.voices.averagePerWeek)}${members ? `, of ${members} in the channel` : ''}`,
      `Reviews started without a prompt from the app: *${current.reviewsWithoutPrompt.count} of ${current.reviewsWithoutPrompt.of}*, last quarter ${previous.reviewsWithoutPrompt.count} of ${previous.reviewsWithoutPrompt.of}`,
    ]),
  );

  blocks.push(
    section('Learning notes', [
      `From replies to the digest: ${beside(current.notes.length, previous.notes.length)}${links(
        permalinks,
        current.notes.slice(0, LINKS_PER_LINE).map((note) => ({ link: note.link, text: note.text })),
      )}`,
    ]),
  );
  return blocks;
}

/** For someone in no team channel the app knows: the first step, rather than an empty portrait. */
export function noPortraitBlocks(): KnownBlock[] {
  return [
    { type: 'divider' },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: '*Your team’s portrait*\nOnce your team’s channel has a review or a reflection rhythm, how it is learning shows here, quarter by quarter. To begin, type `/learning rhythm` in the channel, or `/bar` before your next piece of work.',
      },
    },
  ];
}
