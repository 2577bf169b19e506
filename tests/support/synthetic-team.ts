import type { SkipReason, Verdict } from '../../src/db/schema.js';
import {
  type DigestInput,
  type SkipCounts,
  summariseWeek,
  type WeekSummary,
} from '../../src/domain/digest/analyse.js';
import { seededRandom } from './seeded-random.js';

/**
 * Months of a made-up team's reflections, generated from a seed: ordinary weeks of varied answers,
 * with optional planted patterns a digest should notice. The same seed always gives the same team.
 */

const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;
export const PEOPLE = ['U0ADA', 'U0BEN', 'U0CAL', 'U0DEV', 'U0EVE', 'U0FIN', 'U0GUS', 'U0HAL'] as const;

/** Ordinary work, one thing per answer: 120 distinct things so that no word piles up by chance. */
export const TOPICS = [
  'newsletter',
  'spreadsheet',
  'printer',
  'minibus',
  'allotment',
  'kettle',
  'noticeboard',
  'website',
  'leaflet',
  'banner',
  'stall',
  'raffle',
  'laptop',
  'projector',
  'microphone',
  'gazebo',
  'trolley',
  'freezer',
  'invoice',
  'receipt',
  'postcode',
  'voucher',
  'badge',
  'lanyard',
  'clipboard',
  'stapler',
  'whiteboard',
  'calendar',
  'podcast',
  'survey',
  'petition',
  'mural',
  'garden',
  'greenhouse',
  'compost',
  'bicycle',
  'helmet',
  'ladder',
  'paintbrush',
  'curtain',
  'carpet',
  'radiator',
  'boiler',
  'plumber',
  'electrician',
  'locksmith',
  'insurance',
  'mortgage',
  'pension',
  'payroll',
  'auditor',
  'treasurer',
  'chairperson',
  'secretary',
  'trustee',
  'constitution',
  'agenda',
  'minutes',
  'quiz',
  'karaoke',
  'bingo',
  'choir',
  'orchestra',
  'theatre',
  'cinema',
  'museum',
  'gallery',
  'archive',
  'scrapbook',
  'photograph',
  'camera',
  'tripod',
  'drone',
  'map',
  'compass',
  'tent',
  'sleeping',
  'lantern',
  'torch',
  'battery',
  'charger',
  'cable',
  'router',
  'password',
  'inbox',
  'calendar invite',
  'hashtag',
  'flyer',
  'poster',
  'sticker',
  'mug',
  'apron',
  'oven',
  'toaster',
  'sandwich',
  'soup',
  'biscuit',
  'cake',
  'pizza',
  'picnic',
  'barbecue',
  'festival',
  'parade',
  'marathon',
  'swimming',
  'tennis',
  'cricket',
  'football',
  'rugby',
  'chess',
  'knitting',
  'pottery',
  'woodwork',
  'sewing',
  'gardening',
  'beekeeping',
  'recycling',
  'litter',
  'graffiti',
  'pothole',
  'streetlight',
  'bench',
];

export const FRAMES = [
  (topic: string) => `We spent most of Tuesday sorting out the ${topic}.`,
  (topic: string) => `The ${topic} went better than I expected.`,
  (topic: string) => `I was unsure who owned the ${topic} this time.`,
  (topic: string) => `Still waiting to hear back about the ${topic}.`,
  (topic: string) => `Had a useful conversation about the ${topic} with a neighbour.`,
  (topic: string) => `The ${topic} took longer than planned.`,
  (topic: string) => `Glad we finally finished the ${topic}.`,
  (topic: string) => `Worth writing down how we handled the ${topic}.`,
  (topic: string) => `Maria showed me a quicker way to do the ${topic}.`,
  (topic: string) => `The ${topic} needs a second pair of hands.`,
  (topic: string) => `Our volunteers enjoyed the ${topic} more than last month.`,
  (topic: string) => `I underestimated the cost of the ${topic}.`,
  (topic: string) => `Somebody from the council asked about the ${topic}.`,
  (topic: string) => `We should ask the families what they think of the ${topic}.`,
  (topic: string) => `The ${topic} is on hold until January.`,
  (topic: string) => `Quiet week apart from the ${topic}.`,
];

/** The planted theme: a problem with the Saturday handover that starts in week five. */
const HANDOVER_LINES = [
  'The Saturday handover was messy again and nobody had the keys.',
  'Handover notes were missing so the afternoon shift started blind.',
  'We lost an hour at the handover working out what was already done.',
  'The handover between shifts needs a checklist.',
  'Another rough handover: the morning shift left before we arrived.',
  'I think the handover is where most of our mistakes start.',
  'Could we write the handover on the whiteboard?',
  'The handover took twenty minutes because the rota was unclear.',
  'Handover from the food bank team arrived without the stock count.',
  'We need one person who owns the handover each week.',
];
/** Planted handover answers per week (week 1 first): nothing, then a rise from week five. */
const HANDOVER_BY_WEEK = [0, 0, 0, 0, 4, 8, 6, 6, 4];

/** Each review names something different, so nothing recurs unless planted. */
const VARIED_CHALLENGES = [
  'Not enough volunteers on the day.',
  'The weather could turn.',
  'Funding for the materials is not confirmed.',
  'The venue booking might fall through.',
  'Families may not read the email in time.',
  'We have not tried this format before.',
  'The printer keeps jamming.',
  'Competing events in the same fortnight.',
  'The caretaker leaves early on Fridays.',
  'Our translator is away.',
];
const VARIED_CAUSES = [
  'The reminder went out late.',
  'Rain kept the older visitors at home.',
  'A football match drew the teenagers away.',
  'The side door was locked.',
  'Our poster was hidden behind the noticeboard.',
  'Two helpers fell ill.',
  'The bus diversion confused people.',
  'A birthday party booked the main room.',
  'Nobody brought the projector cable.',
];
const PARKING_CHALLENGE = 'Parking near the hall is a problem and the permits take weeks.';

export interface SyntheticAnswer {
  week: number;
  userId: string | null;
  kind: 'thread' | 'private' | 'anonymous';
  quotable: boolean;
  text: string;
  createdAt: Date;
}

export interface SyntheticReview {
  key: string;
  week: number;
  action: string;
  intendedResults: string;
  anticipatedChallenges: string;
  successFactors: string;
  hypothesisIf: string;
  hypothesisThen: string;
  lookBackOn: string;
  status: 'open' | 'closed';
  createdAt: Date;
}

export interface SyntheticAfterAction {
  reviewKey: string;
  week: number;
  whatHappened: string;
  whyDifferent: string;
  verdict: Verdict;
  createdAt: Date;
}

export interface SyntheticSkip {
  week: number;
  userId: string;
  reason: SkipReason;
  createdAt: Date;
}

export interface SyntheticTeam {
  start: Date;
  weeks: number;
  answers: SyntheticAnswer[];
  reviews: SyntheticReview[];
  afterActions: SyntheticAfterAction[];
  skips: SyntheticSkip[];
  /** The instant a digest covering week `week` (1-based) is computed at. */
  digestAt(week: number): Date;
}

export interface Plants {
  risingTheme: boolean;
  recurringChallenge: boolean;
  failedHypothesis: boolean;
  breadthDrop: boolean;
  notSafeSpike: boolean;
}

/** The quiet month the database and end-to-end tests use. */
export const QUIET_SEED = 3;

export const NO_PLANTS: Plants = {
  risingTheme: false,
  recurringChallenge: false,
  failedHypothesis: false,
  breadthDrop: false,
  notSafeSpike: false,
};
export const ALL_PLANTS: Plants = {
  risingTheme: true,
  recurringChallenge: true,
  failedHypothesis: true,
  breadthDrop: true,
  notSafeSpike: true,
};

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function syntheticTeam(options: {
  seed: number;
  weeks?: number;
  start?: Date;
  plants: Plants;
}): SyntheticTeam {
  const weeks = options.weeks ?? 9;
  const start = options.start ?? new Date('2026-09-18T16:00:00Z');
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const at = (week: number, fraction: number) =>
    new Date(start.getTime() + (week - 1) * WEEK_MS + Math.floor(fraction * (WEEK_MS - 3_600_000)));

  const answers: SyntheticAnswer[] = [];
  const skips: SyntheticSkip[] = [];
  const reviews: SyntheticReview[] = [];
  const afterActions: SyntheticAfterAction[] = [];
  const last = weeks;

  for (let week = 1; week <= weeks; week += 1) {
    const dropped = options.plants.breadthDrop && week === last;
    const speakers = dropped ? PEOPLE.slice(0, 3) : PEOPLE.filter(() => random() < 0.85);
    const answerers = speakers.length >= 4 || dropped ? speakers : PEOPLE.slice(0, 5);
    const handover = options.plants.risingTheme ? (HANDOVER_BY_WEEK[week - 1] ?? 4) : 0;
    let handoverLeft = handover;
    for (const [index, userId] of answerers.entries()) {
      const count = dropped ? 2 : 1 + (random() < 0.6 ? 1 : 0);
      for (let answer = 0; answer < count; answer += 1) {
        const roll = random();
        // One planted answer per person first, so the theme has as many voices as it can.
        const peopleAfter = answerers.length - index - 1;
        const useHandover = handoverLeft > 0 && (answer === 0 || handoverLeft > peopleAfter);
        // Planted answers, and those of the few who remain in the week voices drop, are said openly
        // in the thread, so each planted pattern is beyond doubt.
        const kind: SyntheticAnswer['kind'] =
          dropped || useHandover || roll < 0.7 ? 'thread' : roll < 0.85 ? 'private' : 'anonymous';
        const text = useHandover
          ? (HANDOVER_LINES[(week * 3 + handoverLeft) % HANDOVER_LINES.length] as string)
          : pick(FRAMES)(pick(TOPICS));
        if (useHandover) handoverLeft -= 1;
        answers.push({
          week,
          userId: kind === 'anonymous' ? null : userId,
          kind,
          quotable: kind === 'private' && random() < 0.5,
          text,
          createdAt: at(week, random()),
        });
      }
    }
    // A skip now and then, for ordinary reasons; "not safe to say" is rare until the planted spike.
    // One skip per person per prompt, as the app keeps them.
    const unsafe =
      options.plants.notSafeSpike && week === last ? PEOPLE.slice(3, 8) : week === 3 ? ['U0HAL'] : [];
    for (const userId of unsafe)
      skips.push({ week, userId, reason: 'not_safe', createdAt: at(week, random()) });
    for (const userId of PEOPLE) {
      const skipped = random() < 0.1;
      if (skipped && !unsafe.includes(userId))
        skips.push({
          week,
          userId,
          reason: pick(['not_relevant', 'no_capacity'] as const),
          createdAt: at(week, random()),
        });
    }

    // A before-action review most weeks; the planted challenge comes back in weeks 2, 5 and 8.
    if (week % 3 !== 0 || week === last) {
      const planted = options.plants.recurringChallenge && [2, 5, 8].includes(week);
      const createdAt = at(week, 0.1);
      reviews.push({
        key: `review-${week}`,
        week,
        action: `Run the week ${week} community session`,
        intendedResults: 'More families come along and stay for the whole session.',
        anticipatedChallenges: planted
          ? PARKING_CHALLENGE
          : (VARIED_CHALLENGES[(week + options.seed) % VARIED_CHALLENGES.length] as string),
        successFactors: 'Clear roles and an early start.',
        hypothesisIf: 'we send a reminder the day before',
        hypothesisThen: 'more families will come',
        lookBackOn: isoDate(new Date(createdAt.getTime() + 5 * DAY_MS)),
        status: week === last ? 'open' : 'closed',
        createdAt,
      });
      if (week !== last)
        afterActions.push({
          reviewKey: `review-${week}`,
          week,
          whatHappened: 'About as many families came as last time.',
          whyDifferent: VARIED_CAUSES[(week * 2 + options.seed) % VARIED_CAUSES.length] as string,
          verdict: 'partly',
          createdAt: at(week, 0.8),
        });
    }
  }
  if (options.plants.failedHypothesis) {
    const week = last;
    const createdAt = at(week - 1, 0.2);
    reviews.push({
      key: 'review-holiday',
      week: week - 1,
      action: 'Open the homework club on Thursdays',
      intendedResults: 'Ten children a week by the end of the month.',
      anticipatedChallenges: 'Finding enough volunteers who can tutor maths.',
      successFactors: 'Pairing each volunteer with two children.',
      hypothesisIf: 'we open on Thursdays',
      hypothesisThen: 'ten children will come each week',
      lookBackOn: isoDate(new Date(createdAt.getTime() + 7 * DAY_MS)),
      status: 'closed',
      createdAt,
    });
    afterActions.push({
      reviewKey: 'review-holiday',
      week,
      whatHappened: 'Only two children came.',
      whyDifferent: 'The school holiday started that week and the bus timetable changed.',
      verdict: 'not_borne_out',
      createdAt: at(week, 0.6),
    });
  }
  return {
    start,
    weeks,
    answers,
    reviews,
    afterActions,
    skips,
    digestAt: (week) => new Date(start.getTime() + week * WEEK_MS),
  };
}

/** The engine's input for the digest of `week`, built straight from the synthetic records. */
export function digestInputFor(team: SyntheticTeam, week: number, channelId = 'C0TEAM'): DigestInput {
  const end = team.digestAt(week);
  const window = { start: new Date(end.getTime() - WEEK_MS), end };
  const records = team.answers.map((answer, index) => ({
    id: `answer-${index}`,
    kind: answer.kind,
    userId: answer.userId,
    text: answer.text,
    createdAt: answer.createdAt,
    questionId: null,
    quotable: answer.quotable,
    link: {
      channelId,
      ts: `${Math.floor(answer.createdAt.getTime() / 1000)}.${String(index).padStart(6, '0')}`,
    },
  }));
  const history: WeekSummary[] = [];
  for (let earlier = Math.max(1, week - 8); earlier < week; earlier += 1) {
    const weekEnd = team.digestAt(earlier);
    const weekStart = new Date(weekEnd.getTime() - WEEK_MS);
    const inWeek = records.filter((record) => record.createdAt >= weekStart && record.createdAt < weekEnd);
    history.push(summariseWeek(weekStart, inWeek, skipsOf(team, weekStart, weekEnd)));
  }
  const reviewIds = new Map(team.reviews.map((review) => [review.key, `review-${review.key}`]));
  return {
    window,
    today: end.toISOString().slice(0, 10),
    answers: records.filter((record) => record.createdAt >= window.start && record.createdAt < end),
    history,
    reviews: team.reviews
      .filter((review) => review.createdAt < end)
      .map((review) => ({
        id: reviewIds.get(review.key) as string,
        action: review.action,
        intendedResults: review.intendedResults,
        anticipatedChallenges: review.anticipatedChallenges,
        successFactors: review.successFactors,
        hypothesis: `${review.hypothesisIf} ${review.hypothesisThen}`,
        status: review.status,
        lookBackOn: review.lookBackOn,
        questionId: null,
        createdAt: review.createdAt,
        link: null,
      })),
    afterActions: team.afterActions
      .filter((after) => after.createdAt < end)
      .map((after, index) => ({
        id: `after-${index}`,
        reviewId: reviewIds.get(after.reviewKey) ?? null,
        action: team.reviews.find((review) => review.key === after.reviewKey)?.action ?? '',
        whyDifferent: after.whyDifferent,
        verdict: after.verdict,
        questionId: null,
        createdAt: after.createdAt,
        link: null,
      })),
    skips: skipsOf(team, window.start, end),
    notes: [],
    questions: [],
    members: PEOPLE.length,
    privacy: { minVoicesForAnonymousQuotes: 3 },
  };
}

function skipsOf(team: SyntheticTeam, start: Date, end: Date): SkipCounts {
  const counts: SkipCounts = {};
  for (const skip of team.skips)
    if (skip.createdAt >= start && skip.createdAt < end) counts[skip.reason] = (counts[skip.reason] ?? 0) + 1;
  return counts;
}
