import type { SkipReason, Verdict } from '../../src/db/schema.js';
import { textFeatures } from '../../src/domain/digest/text.js';
import { seededRandom } from './seeded-random.js';
import {
  FRAMES,
  type SyntheticAfterAction,
  type SyntheticAnswer,
  type SyntheticReview,
  type SyntheticSkip,
  type SyntheticTeam,
  TOPICS,
  WEEK_MS,
} from './synthetic-team.js';

/**
 * A bank of made-up quarters for measuring a digest's quality: "planted" quarters, each holding a few
 * patterns in known weeks with the words a reader should see, and "quiet" quarters of ordinary weeks in
 * which a digest should raise nothing. Every wording is drawn with the quarter's seed from pools of
 * phrasings, so no fixed sentence exists for an analysis to recognise; the same bank comes out every time.
 */

const DAY_MS = 86_400_000;
export const BANK_WEEKS = 13;
export const BANK_START = new Date('2026-09-18T16:00:00Z');
export const ROSTER = [
  'U0ADA',
  'U0BEN',
  'U0CAL',
  'U0DEV',
  'U0EVE',
  'U0FIN',
  'U0GUS',
  'U0HAL',
  'U0IVY',
  'U0JON',
  'U0KAT',
  'U0LEO',
] as const;

export const PATTERN_KINDS = [
  'new_theme',
  'rising_theme',
  'small_team_topic',
  'synonym_theme',
  'recurring_challenge',
  'two_challenges',
  'surprise',
  'surprise_shared_word',
  'refuted_hypothesis',
  'breadth_drop',
  'rising_theme_dropped_week',
  'skip_spike',
  'privately_raised',
  'strength_cause',
] as const;
export type PatternKind = (typeof PATTERN_KINDS)[number];

/** Kinds a digest should NOT report: found means left out of the surprises and challenges. */
export const NON_PATTERN_KINDS: ReadonlySet<PatternKind> = new Set(['strength_cause']);

export interface PlantedPattern {
  kind: PatternKind;
  /** The week whose digest (or the next one's) should show it. */
  week: number;
  /** What a reader should see, matched by its words (see `mentions`). For a strength, the words that
   *  would show it was wrongly reported. For a drop or a spike, a description only. */
  phrase: string;
  /** Other wordings of the same theme, any of which may name it. */
  synonyms: readonly string[];
  /** The second challenge named in the same field, to be told apart from the first. */
  second: string | null;
}

export interface BankAnswer extends SyntheticAnswer {
  /** What the answer is about: a background topic, or the planted phrase. */
  about: string;
  plant: PatternKind | null;
}

export interface BankTeam extends SyntheticTeam {
  answers: BankAnswer[];
}

export interface BankQuarter {
  id: string;
  seed: number;
  quiet: boolean;
  people: readonly string[];
  team: BankTeam;
  plants: readonly PlantedPattern[];
}

export interface QuarterSpec {
  id: string;
  seed: number;
  size: number;
  /** Chance that each person answers in an ordinary week. */
  answerRate: number;
  /** When set, each week's number of people answering is drawn evenly from this share of the team to
   *  all of it ("4 to 8 of 8"), instead of each person deciding alone. */
  voicesFloor: number | null;
  plants: readonly { kind: PatternKind; week: number }[];
}

// ---- matching words ----

const PHRASE_STOP_WORDS: ReadonlySet<string> = new Set(
  'a an and are as at be by could for from in is it its may might more most new of on or our so the this to too up us was we were with again through'.split(
    ' ',
  ),
);

/** Lower-case words of a text: letters only, so "double-booked" is "double" and "booked". */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/\p{L}+/gu) ?? [];
}

/** The words of a phrase that carry its meaning. */
export function phraseWords(phrase: string): string[] {
  return wordsOf(phrase).filter((word) => !PHRASE_STOP_WORDS.has(word));
}

/** Two words are the same word in another inflection when they share a short prefix: "referrals" and
 *  "referral", "hire" and "hiring", "booked" and "book". Crude on purpose: no stemmer to disagree with. */
export function sameWord(left: string, right: string): boolean {
  if (left === right) return true;
  const length = Math.max(3, Math.min(5, Math.min(left.length, right.length) - 1));
  return left.length >= length && right.length >= length && left.slice(0, length) === right.slice(0, length);
}

/** Whether a text holds every meaningful word of a phrase, in any order and inflection. */
export function mentions(text: string, phrase: string): boolean {
  const wanted = phraseWords(phrase);
  if (wanted.length === 0) return false;
  const words = wordsOf(text);
  return wanted.every((word) => words.some((candidate) => sameWord(candidate, word)));
}

/** Whether a text holds any meaningful word of a phrase. */
export function mentionsAny(text: string, phrase: string): boolean {
  const words = wordsOf(text);
  return phraseWords(phrase).some((word) => words.some((candidate) => sameWord(candidate, word)));
}

// ---- what people write ----

/** More ordinary sentences beside the synthetic team's, so weeks vary in shape as well as topic. */
export const MORE_FRAMES = [
  (topic: string) => `Gave an evening to the ${topic} with two of the regulars.`,
  (topic: string) => `Nobody had touched the ${topic} since the spring.`,
  (topic: string) => `The ${topic} is fine for now, fingers crossed.`,
  (topic: string) => `Turns out the ${topic} was never on anyone's list.`,
  (topic: string) => `A retired teacher offered to help with the ${topic}.`,
  (topic: string) => `The ${topic} is over the budget line again.`,
  (topic: string) => `I learned that the ${topic} has a long history here.`,
  (topic: string) => `We tried a different approach to the ${topic} and it worked.`,
  (topic: string) => `Half the morning went on the ${topic}.`,
  (topic: string) => `The ${topic} came up over tea and biscuits.`,
  (topic: string) => `Enquired about the ${topic}; nobody knew the answer.`,
  (topic: string) => `Finally found the paperwork for the ${topic}.`,
  (topic: string) => `I keep forgetting to chase the ${topic}.`,
  (topic: string) => `The ${topic} is easier with someone alongside.`,
  (topic: string) => `Small win: the ${topic} is done.`,
  (topic: string) => `The ${topic} wants a proper look before winter.`,
];
const ORDINARY_FRAMES = [...FRAMES, ...MORE_FRAMES].map((frame) => ({
  frame,
  words: textFeatures(frame('')).terms,
}));

/** Sentences a planted topic is written into; `np` is a noun phrase such as "the referral backlog". */
const PLANT_FRAMES: readonly ((np: string, fill: Fill) => string)[] = [
  (np) => `${capital(np)} came up again at the coffee morning.`,
  (np, fill) => `I spent ${fill.duration} on ${np}.`,
  (np) => `We need a proper plan for ${np}.`,
  (np) => `${capital(np)} is worrying me more than anything else right now.`,
  (np) => `Two of the mums I spoke to asked about ${np}.`,
  (np) => `Can we make time to talk about ${np}?`,
  (np, fill) => `${capital(np)} kept ${fill.name} busy most of ${fill.day}.`,
  (np) => `Nobody seems to own ${np}, and it shows.`,
  (np) => `I suspect ${np} will get worse before it gets better.`,
  (np, fill) => `Had a long phone call with ${fill.name} about ${np}.`,
  (np) => `If I could fix one thing it would be ${np}.`,
  (np) => `${capital(np)} took up half of our catch-up.`,
  (np) => `Honestly, ${np} is wearing everyone down.`,
  (np) => `I had not realised how much ${np} matters to the regulars.`,
  (np) => `We should write up what we know about ${np}.`,
  (np, fill) => `Still thinking about ${np} after ${fill.day}.`,
];

interface Fill {
  name: string;
  day: string;
  duration: string;
}
const FILL_NAMES = ['Priya', 'Tom', 'Sam', 'Jo', 'Kwame', 'Ruth', 'Aled', 'Niamh'];
const FILL_DAYS = ['Monday', 'Wednesday', 'Thursday', 'Saturday'];
const FILL_DURATIONS = ['most of the morning', 'two hours', 'half of Wednesday', 'far too long'];

export interface ThemeTopic {
  phrase: string;
  /** Noun phrases that each hold every word of the phrase, in varied order and inflection. */
  nounPhrases: readonly string[];
}

/** Topics a planted theme is about: none of their words is in the ordinary sentences or topics. */
export const THEME_TOPICS: readonly ThemeTopic[] = [
  {
    phrase: 'referral backlog',
    nounPhrases: [
      'the referral backlog',
      'the backlog of referrals',
      'our backlog of new referrals',
      'the referrals backlog from the surgery',
    ],
  },
  {
    phrase: 'parcel shortage',
    nounPhrases: [
      'the shortage of food parcels',
      'the food parcel shortage',
      'the parcel shortage at the pantry',
      'a shortage of parcels for Friday',
    ],
  },
  {
    phrase: 'safeguarding training',
    nounPhrases: [
      'the safeguarding training',
      'safeguarding training for new starters',
      'the overdue safeguarding training',
      'training on safeguarding',
    ],
  },
  {
    phrase: 'damp storeroom',
    nounPhrases: [
      'the damp in the storeroom',
      'the damp storeroom',
      'damp coming through the storeroom wall',
    ],
  },
  {
    phrase: 'energy bill',
    nounPhrases: ['the energy bills', 'our energy bill for the hall', 'the jump in the energy bill'],
  },
  {
    phrase: 'grant deadline',
    nounPhrases: [
      'the grant deadline',
      'the deadline for the lottery grant',
      'the grant application deadline',
      'the looming grant deadline',
    ],
  },
  {
    phrase: 'wheelchair access',
    nounPhrases: [
      'wheelchair access at the side door',
      'access for wheelchair users',
      'the wheelchair access ramp',
    ],
  },
  {
    phrase: 'rent increase',
    nounPhrases: ['the rent increase', "the landlord's rent increase", 'the increase in our rent'],
  },
  {
    phrase: 'youth club',
    nounPhrases: ['the youth club', 'numbers at the youth club', 'the Friday youth club'],
  },
  {
    phrase: 'data protection',
    nounPhrases: ['data protection', 'the data protection rules', 'data protection for the sign-in sheets'],
  },
  {
    phrase: 'lunch club',
    nounPhrases: ['the lunch club', 'the lunch club menu', 'cover for the lunch club'],
  },
  {
    phrase: 'translation',
    nounPhrases: [
      'requests for translation',
      'the translation requests',
      'translation for the Polish speakers',
    ],
  },
  {
    phrase: 'heating fault',
    nounPhrases: ['the heating fault', 'the fault with the heating', 'the heating fault in the annexe'],
  },
  {
    phrase: 'fire safety',
    nounPhrases: ['the fire safety check', 'fire safety in the kitchen', 'the fire safety inspection'],
  },
  {
    phrase: 'benefit appeal',
    nounPhrases: [
      'benefit appeals',
      'the benefit appeal for a widower we support',
      'appeals against benefit decisions',
    ],
  },
  {
    phrase: 'holiday cover',
    nounPhrases: ['holiday cover', 'cover over the school holidays', 'the holiday cover arrangements'],
  },
];

/** One topic in different words: a theme should gather them, whichever it is named by. */
export const SYNONYM_FAMILIES: readonly (readonly ThemeTopic[])[] = [
  [
    {
      phrase: 'recruitment',
      nounPhrases: ['recruitment', 'the recruitment drive', 'recruitment for the new year'],
    },
    {
      phrase: 'hiring',
      nounPhrases: ['hiring', 'the hiring for the coordinator post', 'hiring another cook'],
    },
    {
      phrase: 'recruiting new volunteers',
      nounPhrases: [
        'recruiting new volunteers',
        'recruiting volunteers for the late shift',
        'recruiting more volunteers',
      ],
    },
  ],
  [
    {
      phrase: 'fundraising',
      nounPhrases: ['fundraising', 'the fundraising target', 'fundraising for the roof'],
    },
    {
      phrase: 'raising money',
      nounPhrases: ['raising money', 'raising money for the trip', 'raising enough money'],
    },
    { phrase: 'donations', nounPhrases: ['donations', 'the drop in donations', 'begging for donations'] },
  ],
  [
    {
      phrase: 'loneliness',
      nounPhrases: ['loneliness', 'loneliness among the older members', 'the loneliness some carers feel'],
    },
    { phrase: 'isolation', nounPhrases: ['isolation', 'isolation after dark', 'how isolated some are'] },
    {
      phrase: 'feeling alone',
      nounPhrases: ['residents feeling alone', 'carers feeling alone', 'feeling alone at weekends'],
    },
  ],
  [
    { phrase: 'transport', nounPhrases: ['transport', 'transport to the centre', 'the transport question'] },
    {
      phrase: 'lifts',
      nounPhrases: ['lifts to the centre', 'lifts for the older members', 'organising lifts'],
    },
    {
      phrase: 'travel',
      nounPhrases: ['travel for the day trips', 'travel to appointments', 'travel for those out of town'],
    },
  ],
];

// ---- what reviews say ----

interface ChallengeEntry {
  phrase: string;
  anticipated: readonly string[];
  /** Causes that say the anticipated challenge happened, in its words. */
  causes: readonly string[];
}

/** Everyday challenges, each named in words no other uses, so none recurs unless planted. */
export const ORDINARY_CHALLENGES: readonly ChallengeEntry[] = [
  {
    phrase: 'volunteers',
    anticipated: ['Not enough volunteers on the day.', 'We may be short of volunteers.'],
    causes: ['We were two volunteers short, as we feared.', 'Fewer volunteers came than we needed.'],
  },
  {
    phrase: 'weather',
    anticipated: ['The weather could turn.', 'Wet weather might keep visitors indoors.'],
    causes: ['The weather turned, as we thought it might.', 'Wet weather kept visitors indoors.'],
  },
  {
    phrase: 'materials funding',
    anticipated: ['Funding for the materials is not agreed yet.', 'The materials funding is uncertain.'],
    causes: [
      'The funding for the materials only just came through.',
      'We scaled back the materials to match the funding.',
    ],
  },
  {
    phrase: 'email',
    anticipated: ['Parents may not read the email in time.', 'The email might go to spam.'],
    causes: ['Half the parents never saw the email.', 'The email went to spam for several parents.'],
  },
  {
    phrase: 'format',
    anticipated: ['We have not tried this format before.', 'The format is unfamiliar to everyone.'],
    causes: ['The unfamiliar format took some explaining.', 'The format confused a few at first.'],
  },
  {
    phrase: 'printer',
    anticipated: ['The printer keeps jamming.', 'The printer is almost out of toner.'],
    causes: ['The printer jammed halfway through the handouts.', 'The printer had no toner left.'],
  },
  {
    phrase: 'competing event',
    anticipated: ['Competing events in the same fortnight.', 'A competing event that weekend.'],
    causes: ['A competing event drew some regulars away.', 'The competing event took half our regulars.'],
  },
  {
    phrase: 'caretaker',
    anticipated: ['The caretaker goes home early on Fridays.', 'The caretaker may lock up early.'],
    causes: ['The caretaker locked up early again.', 'We had to stop when the caretaker went home.'],
  },
  {
    phrase: 'translator',
    anticipated: ['Our translator is away.', 'We may have no translator.'],
    causes: [
      'Without our translator some conversations stalled.',
      'No translator, so introductions dragged.',
    ],
  },
  {
    phrase: 'parking',
    anticipated: ['Parking nearby is a nightmare.', 'There is hardly any parking.'],
    causes: ['Parking was as tight as ever.', 'Several latecomers blamed the parking.'],
  },
  {
    phrase: 'microphone',
    anticipated: ['The microphone may cut out.', 'The old microphone is unreliable.'],
    causes: ['The microphone cut out twice.', 'The microphone gave out, so we shouted.'],
  },
  {
    phrase: 'childcare',
    anticipated: ['Childcare for the evening is not sorted.', 'Childcare may fall through.'],
    causes: ['Childcare fell through for two families.', 'Without childcare some could not stay.'],
  },
  {
    phrase: 'caterer',
    anticipated: ['The caterer has not confirmed numbers.', 'The caterer might bring too little food.'],
    causes: ['The caterer brought food for twenty, not forty.', 'The caterer underestimated the food.'],
  },
  {
    phrase: 'keys',
    anticipated: ['Nobody is sure who has the keys.', 'The keys may not be handed over.'],
    causes: ['Forty minutes passed before the keys appeared.', 'The keys were with someone away on holiday.'],
  },
  {
    phrase: 'entrance',
    anticipated: ['The entrance is tucked away.', 'The side entrance has no sign.'],
    causes: ['Newcomers could not find the entrance.', 'The entrance signs blew down.'],
  },
  {
    phrase: 'wifi',
    anticipated: ['The wifi in the annexe keeps failing.', 'The wifi may vanish mid-session.'],
    causes: ['The wifi vanished while people registered.', 'No wifi, so we took names on paper.'],
  },
  {
    phrase: 'chairs',
    anticipated: ['We might not have enough chairs.', 'There may be too few chairs.'],
    causes: ['We had too few chairs by seven.', 'Not enough chairs, so some squeezed onto benches.'],
  },
  {
    phrase: 'guest speaker',
    anticipated: ['The guest speaker has not replied.', 'Our guest speaker may cancel.'],
    causes: ['The guest speaker cancelled the day before.', 'The guest speaker was an hour behind.'],
  },
  {
    phrase: 'permit',
    anticipated: [
      'The council permit may not arrive in time.',
      'The council permit is still being processed.',
    ],
    causes: ['The permit arrived on the morning itself.', 'Without the permit we set up in the car park.'],
  },
  {
    phrase: 'pantry stock',
    anticipated: ['Pantry stock is dwindling.', 'The pantry may be empty by noon.'],
    causes: ['The pantry stock was gone by noon.', 'We had to ration the pantry stock.'],
  },
  {
    phrase: 'building noise',
    anticipated: [
      'Building work across the road may be noisy.',
      'Noise from the building site could drown us out.',
    ],
    causes: [
      'The building work was as noisy as we guessed.',
      'Noise from the building site drowned out the talks.',
    ],
  },
  {
    phrase: 'school run',
    anticipated: ['The start time collides with the school run.', 'The school run may keep some away.'],
    causes: ['The school run ate into the opening.', 'The school run pushed back the opening.'],
  },
];

/** Challenges planted to recur: the phrase's words are in every wording. */
export const RECURRING_CHALLENGES: readonly ChallengeEntry[] = [
  {
    phrase: 'finance approval',
    anticipated: [
      'Finance approval could hold us up again.',
      'We are still waiting for approval from finance.',
      'Finance approval for the spend may be late.',
      'The finance approval might not come through in time.',
    ],
    causes: [
      'Finance approval held us up again.',
      'We lost a week waiting for finance approval.',
      'Approval from finance came too late for the coach.',
    ],
  },
  {
    phrase: 'room too small',
    anticipated: [
      'The room may be too small.',
      'The room could be too small for everyone.',
      'We might not all fit in the small room.',
    ],
    causes: [
      'The room was too small and some sat on the stairs.',
      'Too small a room: some had to stand outside.',
    ],
  },
  {
    phrase: 'minibus driver',
    anticipated: [
      'We may not have a minibus driver.',
      'The minibus driver could drop out again.',
      'Getting a minibus driver is the tricky part.',
    ],
    causes: ['No minibus driver, so the trip was off.', 'Our minibus driver pulled out at the last moment.'],
  },
  {
    phrase: 'DBS checks',
    anticipated: [
      'DBS checks for the new helpers may not come back in time.',
      'DBS checks are slow again.',
      'New starters may be stuck without DBS checks.',
    ],
    causes: [
      'Two DBS checks had not come back.',
      'A DBS check was still pending, so one helper could not start.',
    ],
  },
  {
    phrase: 'rota gaps',
    anticipated: [
      'There are gaps in the rota again.',
      'The rota has gaps on Saturdays.',
      'Rota gaps over half term.',
    ],
    causes: ['The gaps in the rota showed on the day.', 'Nobody was on the desk because of a rota gap.'],
  },
  {
    phrase: 'storage space',
    anticipated: [
      'We have no storage space for the donated coats.',
      'Storage space is nearly full.',
      'Not enough storage space in the back office.',
    ],
    causes: ['With no storage space, boxes filled the corridor.', 'Storage space was full again.'],
  },
  {
    phrase: 'supplier delay',
    anticipated: [
      'Supplier delays could empty the shelves.',
      'Another delay from the supplier is likely.',
      'The supplier may delay the delivery again.',
    ],
    causes: [
      'The supplier delayed the delivery by two days.',
      'No fresh fruit, because of a supplier delay.',
    ],
  },
];

interface SurpriseEntry {
  phrase: string;
  causes: readonly string[];
}

/** Causes far from anything a team would anticipate. */
export const SURPRISES: readonly SurpriseEntry[] = [
  {
    phrase: 'water main',
    causes: [
      'A burst water main closed the road outside.',
      'The water main burst and the street was shut.',
      'A water main burst overnight, so half the families could not get through.',
    ],
  },
  {
    phrase: 'fire alarm',
    causes: [
      'A fire alarm emptied the building halfway through.',
      'The fire alarm went off and everyone had to leave.',
    ],
  },
  {
    phrase: 'power cut',
    causes: ['A power cut left us in the dark for an hour.', 'There was a power cut across the estate.'],
  },
  {
    phrase: 'film crew',
    causes: [
      'A film crew had taken over the car park.',
      'A film crew was shooting outside and blocked the way in.',
    ],
  },
  {
    phrase: 'radio mention',
    causes: [
      'A mention on local radio brought twice the usual crowd.',
      'The radio mention doubled the turnout.',
    ],
  },
  {
    phrase: 'funeral',
    causes: [
      'The church next door held a funeral and asked us to keep quiet.',
      'A funeral next door meant we started an hour later.',
    ],
  },
  {
    phrase: 'gas leak',
    causes: [
      'A gas leak on the street meant the police closed it.',
      'A gas leak nearby closed the road for the afternoon.',
    ],
  },
  {
    phrase: 'bin lorry',
    causes: [
      'A broken-down bin lorry blocked the lane.',
      'The bin lorry blocked the only way in for an hour.',
    ],
  },
];

interface CollisionEntry extends SurpriseEntry {
  /** The one word the cause shares with what was anticipated. */
  shared: string;
  anticipated: readonly string[];
}

/** Surprises that share one word with what was anticipated: the shared word is not the surprise. */
export const SHARED_WORD_SURPRISES: readonly CollisionEntry[] = [
  {
    phrase: 'venue double-booked',
    shared: 'room',
    anticipated: ['The room may be too small.', 'We might outgrow the room.', 'The room could be cramped.'],
    causes: [
      'The venue was double-booked and we moved rooms.',
      'The venue had double-booked us, so we ended up in another room.',
      'We had to change rooms because the venue was double-booked.',
    ],
  },
  {
    phrase: 'stolen',
    shared: 'projector',
    anticipated: ['The projector might not work.', 'The projector bulb may go.'],
    causes: [
      'The projector was stolen from the cupboard overnight.',
      'Someone had stolen the projector, so we talked without slides.',
    ],
  },
  {
    phrase: 'gas supply',
    shared: 'kitchen',
    anticipated: [
      'The kitchen may be too cramped for the cooking class.',
      'The kitchen is small for twelve cooks.',
    ],
    causes: [
      "The landlord cut off the kitchen's gas supply.",
      'The gas supply to the kitchen was switched off for repairs.',
    ],
  },
  {
    phrase: 'flooded',
    shared: 'hall',
    anticipated: ['The hall may be cold in the evening.', 'The hall might be chilly.'],
    causes: [
      'The hall flooded overnight after the storm.',
      'A storm flooded the hall, so we met in the café.',
    ],
  },
  {
    phrase: 'strike',
    shared: 'bus',
    anticipated: ['The bus may be late.', 'The bus timetable is patchy.'],
    causes: ['A bus strike meant half the families stayed at home.', 'Bus staff were on strike.'],
  },
];

interface StrengthEntry {
  /** Words that, in a surprise or a challenge, would show the strength was taken for a problem. */
  phrase: string;
  causes: readonly string[];
}

/** What went well, written in the cause field as people do. */
export const STRENGTHS: readonly StrengthEntry[] = [
  {
    phrase: 'preparation agenda',
    causes: ['Good preparation and a clear agenda.', 'Careful preparation and a clear agenda.'],
  },
  {
    phrase: 'reminder',
    causes: ['Thanks to the reminder, almost everyone came on time.', 'Sending the reminder twice paid off.'],
  },
  {
    phrase: 'smoothly',
    causes: [
      'Well-defined roles made the day go smoothly.',
      'Everyone knew their part, so it went smoothly.',
    ],
  },
  {
    phrase: 'brilliant',
    causes: [
      'The sixth-formers were brilliant with the children.',
      'Our sixth-formers were brilliant all day.',
    ],
  },
  {
    phrase: 'welcome',
    causes: [
      'A warm welcome at the door made a real difference.',
      'The warm welcome at the door put everyone at ease.',
    ],
  },
  {
    phrase: 'teamwork',
    causes: ['Strong teamwork between the two shifts.', 'Great teamwork across both shifts.'],
  },
  {
    phrase: 'walk',
    causes: [
      'The walk-through the day before was worth it.',
      'Doing a walk-through beforehand helped a lot.',
    ],
  },
];

/** Causes that say nothing much was different. */
const NEUTRAL_CAUSES = [
  'Not much was different from what we expected.',
  'Much as we thought it would go.',
  'Nothing really; it went to plan.',
  'No real difference this time.',
];

interface ReviewPlan {
  action: string;
  intendedResults: string;
  hypothesisIf: string;
  hypothesisThen: string;
  whatHappened: string;
}

const ORDINARY_REVIEWS: readonly ReviewPlan[] = [
  {
    action: 'Run the Saturday drop-in',
    intendedResults: 'More families come along and stay for the whole session.',
    hypothesisIf: 'we send a reminder the day before',
    hypothesisThen: 'more families will come',
    whatHappened: 'About as many families came as last time.',
  },
  {
    action: 'Hold the coffee morning for carers',
    intendedResults: 'Twelve carers come and half stay for the talk.',
    hypothesisIf: 'we offer a lift to anyone who asks',
    hypothesisThen: 'more carers will come',
    whatHappened: 'Nine carers came and most stayed.',
  },
  {
    action: 'Run the community session',
    intendedResults: 'Everyone who signs up gets a follow-up call.',
    hypothesisIf: 'we take phone numbers at the door',
    hypothesisThen: 'follow-ups will be easier',
    whatHappened: 'We took most numbers and called them back.',
  },
  {
    action: 'Host the parents’ evening at the primary school',
    intendedResults: 'Thirty parents hear about the summer scheme.',
    hypothesisIf: 'we hold it straight after pick-up',
    hypothesisThen: 'parents will stay on',
    whatHappened: 'Around twenty parents stayed.',
  },
  {
    action: 'Try the new sign-up table at the market',
    intendedResults: 'Ten new sign-ups in a morning.',
    hypothesisIf: 'we stand near the fruit stall',
    hypothesisThen: 'more shoppers will stop',
    whatHappened: 'Seven people signed up.',
  },
];

const REFUTED_REVIEWS: readonly ReviewPlan[] = [
  {
    action: 'Open the homework club on Thursdays',
    intendedResults: 'Ten children a week by the end of the month.',
    hypothesisIf: 'we open on Thursdays',
    hypothesisThen: 'ten children will come each week',
    whatHappened: 'Only two children came.',
  },
  {
    action: 'Move the coffee morning to Saturdays',
    intendedResults: 'More working parents come along.',
    hypothesisIf: 'we move it to Saturdays',
    hypothesisThen: 'working parents will join',
    whatHappened: 'Numbers halved on Saturdays.',
  },
  {
    action: 'Send reminders by text instead of email',
    intendedResults: 'Fewer no-shows at appointments.',
    hypothesisIf: 'we text the day before',
    hypothesisThen: 'no-shows will fall',
    whatHappened: 'No-shows stayed the same.',
  },
  {
    action: 'Run the advice drop-in at the library',
    intendedResults: 'Reach residents who never come to the centre.',
    hypothesisIf: 'we go to the library',
    hypothesisThen: 'new faces will come',
    whatHappened: 'Only our regulars came.',
  },
  {
    action: 'Offer a free breakfast at the job club',
    intendedResults: 'Twenty at the job club each week.',
    hypothesisIf: 'we offer breakfast',
    hypothesisThen: 'attendance will double',
    whatHappened: 'Attendance did not change.',
  },
];

const SUCCESS_FACTORS = [
  'Clear roles and an early start.',
  'Enough hands on the day.',
  'A short, friendly welcome.',
  'Everything set up the night before.',
];

// ---- drawing ----

interface Draw {
  random: () => number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  between(low: number, high: number): number;
  shuffled<T>(items: readonly T[]): T[];
  sample<T>(items: readonly T[], count: number): T[];
}

function drawing(seed: number): Draw {
  const random = seededRandom(seed);
  const shuffled = <T>(items: readonly T[]): T[] => {
    const copy = [...items];
    for (let index = copy.length - 1; index > 0; index -= 1) {
      const other = Math.floor(random() * (index + 1));
      [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
    }
    return copy;
  };
  return {
    random,
    chance: (probability) => random() < probability,
    pick: (items) => items[Math.floor(random() * items.length)] as (typeof items)[number],
    between: (low, high) => low + Math.floor(random() * (high - low + 1)),
    shuffled,
    sample: (items, count) => shuffled(items).slice(0, Math.max(0, count)),
  };
}

/** Draws without putting back, and starts a fresh shuffle when empty: everything comes round evenly. */
function deck<T>(draw: Draw, items: readonly T[]) {
  let left: T[] = [];
  return (avoid: (item: T) => boolean = () => false): T => {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      if (left.length === 0) left = draw.shuffled(items);
      const index = left.findIndex((item) => !avoid(item));
      if (index >= 0) return left.splice(index, 1)[0] as T;
      left = [];
    }
    return draw.pick(items);
  };
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

// ---- one quarter ----

interface PlannedAnswer {
  text: string;
  about: string;
  plant: PatternKind;
  kind: SyntheticAnswer['kind'];
  /** Said beside the person's ordinary answer rather than instead of it. */
  besides: boolean;
}

interface WeekPlan {
  /** Exactly these many people answer (a drop), or everyone (a small team's week). */
  voices: number | 'everyone' | null;
  /** At least this many people answer. */
  minVoices: number;
  /** Groups of answers, each group said by different people. */
  groups: PlannedAnswer[][];
  notSafe: number;
  noAnonymous: boolean;
}

/** Builds one quarter from its spec: the same spec always gives the same quarter. */
export function bankQuarter(spec: QuarterSpec, quiet = spec.plants.length === 0): BankQuarter {
  const draw = drawing(spec.seed);
  const people = ROSTER.slice(0, spec.size);
  const style = {
    secondAnswer: 0.2 + draw.random() * 0.4,
    privateShare: 0.06 + draw.random() * 0.16,
    anonymousShare: draw.random() * 0.1,
    reviewRate: 0.55 + draw.random() * 0.35,
    skipRate: 0.15 + draw.random() * 0.2,
    secondSentence: 0.15 + draw.random() * 0.2,
  };
  const at = (week: number, fraction: number) =>
    new Date(BANK_START.getTime() + (week - 1) * WEEK_MS + Math.floor(fraction * (WEEK_MS - 3_600_000)));

  const weeks = new Map<number, WeekPlan>();
  const weekPlan = (week: number): WeekPlan => {
    let plan = weeks.get(week);
    if (!plan) {
      plan = { voices: null, minVoices: 0, groups: [], notSafe: 0, noAnonymous: false };
      weeks.set(week, plan);
    }
    return plan;
  };
  const plantFrames = new Map<number, () => (np: string, fill: Fill) => string>();
  const plantSentence = (week: number, np: string) => {
    let frames = plantFrames.get(week);
    if (!frames) {
      frames = deck(draw, PLANT_FRAMES);
      plantFrames.set(week, frames);
    }
    const fill = {
      name: draw.pick(FILL_NAMES),
      day: draw.pick(FILL_DAYS),
      duration: draw.pick(FILL_DURATIONS),
    };
    return frames()(np, fill);
  };
  const said = (
    week: number,
    topic: ThemeTopic,
    plant: PatternKind,
    kind: SyntheticAnswer['kind'] = 'thread',
    besides = false,
  ): PlannedAnswer => ({
    text: plantSentence(week, draw.pick(topic.nounPhrases)),
    about: topic.phrase,
    plant,
    kind,
    besides,
  });
  /** A topic at a low rate before `week`: in two earlier weeks for certain, the week before, and now and then. */
  const lowRateBefore = (week: number, topic: ThemeTopic, plant: PatternKind) => {
    const certain = draw.sample(
      Array.from({ length: Math.max(0, week - 3) }, (_, index) => index + 1),
      2,
    );
    for (let earlier = 1; earlier < week; earlier += 1)
      if (certain.includes(earlier) || earlier === week - 1 || draw.chance(0.15))
        weekPlan(earlier).groups.push([said(earlier, topic, plant)]);
  };

  const themeTopics = deck(draw, THEME_TOPICS);
  const families = deck(draw, SYNONYM_FAMILIES);
  const recurringDeck = deck(draw, RECURRING_CHALLENGES);
  const surpriseDeck = deck(draw, SURPRISES);
  const collisionDeck = deck(draw, SHARED_WORD_SURPRISES);
  const strengthDeck = deck(draw, STRENGTHS);
  const refutedDeck = deck(draw, REFUTED_REVIEWS);
  const challengeDeck = deck(draw, ORDINARY_CHALLENGES);
  const neutralDeck = deck(draw, NEUTRAL_CAUSES);

  const plants: PlantedPattern[] = [];
  const plant = (kind: PatternKind, week: number, phrase: string, more: Partial<PlantedPattern> = {}) =>
    plants.push({ kind, week, phrase, synonyms: [], second: null, ...more });

  interface PlannedReview {
    week: number;
    anticipated: string;
    cause: string | null;
    verdict: Verdict;
    plan: ReviewPlan;
  }
  const plannedReviews: PlannedReview[] = [];
  const ordinaryVerdict = (): Verdict =>
    draw.pick(
      quiet
        ? (['borne_out', 'partly', 'partly', 'too_early', 'not_borne_out'] as const)
        : (['borne_out', 'partly', 'partly', 'too_early'] as const),
    );
  const usedChallengeWords = new Set<string>();
  const ordinaryChallenge = () => {
    const entry = challengeDeck((candidate) =>
      phraseWords(candidate.phrase).some((word) => usedChallengeWords.has(word)),
    );
    return entry;
  };

  const byWeek = [...spec.plants].sort((a, b) => a.week - b.week);
  // Challenges first, so the shared-word surprises can keep clear of their words.
  for (const { kind, week } of byWeek.filter(
    (entry) => entry.kind === 'recurring_challenge' || entry.kind === 'two_challenges',
  )) {
    const first = recurringDeck();
    const second = kind === 'two_challenges' ? recurringDeck((entry) => entry === first) : null;
    for (const word of [...phraseWords(first.phrase), ...(second ? phraseWords(second.phrase) : [])])
      usedChallengeWords.add(word);
    const loopWeeks = [week - 4, week - 2, week];
    // One loop of a single challenge may be a cause that got in the way rather than a challenge foreseen.
    const causeLoop = kind === 'recurring_challenge' && draw.chance(0.5) ? draw.pick([0, 1]) : -1;
    loopWeeks.forEach((loopWeek, index) => {
      if (index === causeLoop) {
        plannedReviews.push({
          week: loopWeek,
          anticipated: draw.pick(ordinaryChallenge().anticipated),
          cause: draw.pick(first.causes),
          verdict: 'partly',
          plan: draw.pick(ORDINARY_REVIEWS),
        });
        return;
      }
      const named = draw.pick(first.anticipated);
      const anticipated = second ? bothChallenges(draw, named, draw.pick(second.anticipated)) : named;
      plannedReviews.push({
        week: loopWeek,
        anticipated,
        cause: draw.chance(0.5) ? draw.pick(first.causes) : neutralDeck(),
        verdict: draw.pick(['borne_out', 'partly', 'too_early'] as const),
        plan: draw.pick(ORDINARY_REVIEWS),
      });
    });
    plant(kind, week, first.phrase, { second: second?.phrase ?? null });
  }

  for (const { kind, week } of byWeek) {
    switch (kind) {
      case 'new_theme': {
        const topic = themeTopics();
        const plan = weekPlan(week);
        plan.minVoices = Math.max(plan.minVoices, 4);
        const group = Array.from({ length: draw.between(3, 5) }, () => said(week, topic, kind));
        plan.groups.push(group);
        if (week < BANK_WEEKS && draw.chance(0.5))
          weekPlan(week + 1).groups.push([said(week + 1, topic, kind)]);
        plant(kind, week, topic.phrase);
        break;
      }
      case 'rising_theme':
      case 'rising_theme_dropped_week': {
        const topic = themeTopics();
        lowRateBefore(week, topic, kind);
        const plan = weekPlan(week);
        if (kind === 'rising_theme') {
          plan.minVoices = Math.max(plan.minVoices, 5);
          plan.groups.push(Array.from({ length: draw.between(4, 5) }, () => said(week, topic, kind)));
        } else plan.groups.push(Array.from({ length: 3 }, () => said(week, topic, kind)));
        plant(kind, week, topic.phrase);
        break;
      }
      case 'small_team_topic': {
        const topic = themeTopics();
        const plan = weekPlan(week);
        plan.voices = 'everyone';
        plan.groups.push(people.map(() => said(week, topic, kind)));
        plant(kind, week, topic.phrase);
        break;
      }
      case 'synonym_theme': {
        const family = families();
        const order = draw.shuffled(family);
        const wording = (index: number) => order[index % order.length] as ThemeTopic;
        weekPlan(week - 2).groups.push([said(week - 2, wording(1), kind)]);
        weekPlan(week - 1).groups.push([said(week - 1, wording(2), kind), said(week - 1, wording(2), kind)]);
        const plan = weekPlan(week);
        plan.minVoices = Math.max(plan.minVoices, 5);
        // No wording is said three times, so only their shared meaning makes a theme.
        plan.groups.push(draw.shuffled([0, 0, 1, 1, 2]).map((index) => said(week, wording(index), kind)));
        const [named, ...others] = family.map((member) => member.phrase);
        plant(kind, week, named as string, { synonyms: others });
        break;
      }
      case 'privately_raised': {
        const topic = themeTopics();
        const plan = weekPlan(week);
        plan.minVoices = Math.max(plan.minVoices, 6);
        plan.groups.push(
          Array.from({ length: draw.between(3, 4) }, () =>
            said(week, topic, kind, draw.chance(0.6) ? 'private' : 'anonymous', true),
          ),
        );
        plant(kind, week, topic.phrase);
        break;
      }
      case 'breadth_drop': {
        const plan = weekPlan(week);
        const collision = byWeek.some(
          (other) => other.kind === 'rising_theme_dropped_week' && other.week === week,
        );
        plan.voices = collision ? 3 : 2;
        plan.noAnonymous = true;
        plant(kind, week, `${plan.voices} of ${spec.size} voices`);
        break;
      }
      case 'skip_spike': {
        const plan = weekPlan(week);
        plan.notSafe = draw.between(3, 5);
        plant(kind, week, 'not safe to say');
        break;
      }
      case 'surprise': {
        const entry = surpriseDeck();
        plannedReviews.push({
          week,
          anticipated: draw.pick(ordinaryChallenge().anticipated),
          cause: draw.pick(entry.causes),
          verdict: draw.pick(['borne_out', 'partly', 'too_early'] as const),
          plan: draw.pick(ORDINARY_REVIEWS),
        });
        plant(kind, week, entry.phrase);
        break;
      }
      case 'surprise_shared_word': {
        const entry = collisionDeck((candidate) =>
          [...phraseWords(candidate.phrase), candidate.shared].some((word) =>
            [...usedChallengeWords].some((used) => sameWord(used, word)),
          ),
        );
        plannedReviews.push({
          week,
          anticipated: draw.pick(entry.anticipated),
          cause: draw.pick(entry.causes),
          verdict: draw.pick(['partly', 'too_early'] as const),
          plan: draw.pick(ORDINARY_REVIEWS),
        });
        plant(kind, week, entry.phrase);
        break;
      }
      case 'refuted_hypothesis': {
        const plan = refutedDeck();
        const challenge = ordinaryChallenge();
        plannedReviews.push({
          week,
          anticipated: draw.pick(challenge.anticipated),
          cause: draw.pick(challenge.causes),
          verdict: 'not_borne_out',
          plan,
        });
        plant(kind, week, plan.action);
        break;
      }
      case 'strength_cause': {
        const entry = strengthDeck();
        plannedReviews.push({
          week,
          anticipated: draw.pick(ordinaryChallenge().anticipated),
          cause: draw.pick(entry.causes),
          verdict: 'borne_out',
          plan: draw.pick(ORDINARY_REVIEWS),
        });
        plant(kind, week, entry.phrase);
        break;
      }
      case 'recurring_challenge':
      case 'two_challenges':
        break;
    }
  }

  // ---- the weeks ----
  const answers: BankAnswer[] = [];
  const skips: SyntheticSkip[] = [];
  const reviews: SyntheticReview[] = [];
  const afterActions: SyntheticAfterAction[] = [];
  const topicDeck = deck(draw, TOPICS);
  const lastTopic = new Map<string, string>();
  for (let week = 1; week <= BANK_WEEKS; week += 1) {
    const plan = weekPlan(week);
    let speakers: string[];
    if (plan.voices === 'everyone') speakers = [...people];
    else if (typeof plan.voices === 'number') speakers = draw.sample(people, plan.voices);
    else if (spec.voicesFloor !== null)
      speakers = draw.sample(
        people,
        draw.between(Math.ceil(spec.voicesFloor * people.length), people.length),
      );
    else speakers = people.filter(() => draw.chance(spec.answerRate));
    if (speakers.length < plan.minVoices)
      speakers = [
        ...speakers,
        ...draw.sample(
          people.filter((person) => !speakers.includes(person)),
          plan.minVoices - speakers.length,
        ),
      ];
    speakers = people.filter((person) => speakers.includes(person));

    // "Not safe to say" comes from people who then say nothing; first from those who were not answering.
    const silent = people.filter((person) => !speakers.includes(person));
    const unsafe = [...draw.shuffled(silent), ...draw.shuffled(speakers)].slice(0, plan.notSafe);
    speakers = speakers.filter((person) => !unsafe.includes(person));
    for (const userId of unsafe)
      skips.push({ week, userId, reason: 'not_safe', createdAt: at(week, draw.random()) });
    for (const userId of people)
      if (!speakers.includes(userId) && !unsafe.includes(userId) && draw.chance(style.skipRate)) {
        const reason: SkipReason = draw.chance(0.03)
          ? 'not_safe'
          : draw.pick(['not_relevant', 'no_capacity', 'no_capacity', 'other'] as const);
        skips.push({ week, userId, reason, createdAt: at(week, draw.random()) });
      }

    // Planted answers: each group's answers by different people, as far as the week's people allow.
    const planned = new Map<string, PlannedAnswer[]>(speakers.map((person) => [person, []]));
    for (const group of plan.groups) {
      const order = draw
        .shuffled(speakers)
        .sort((a, b) => (planned.get(a)?.length ?? 0) - (planned.get(b)?.length ?? 0));
      group.forEach((answer, index) => {
        const person = order[index % Math.max(1, order.length)];
        if (person) planned.get(person)?.push(answer);
      });
    }

    const usedTopics = new Set<string>();
    const usedWords = new Set<string>();
    const frames = deck(draw, ORDINARY_FRAMES);
    // A week's sentences share no word when the week allows it: a sentence shape is nobody's topic.
    const sentence = (topic: string) => {
      const { frame, words } = frames((candidate) => candidate.words.some((word) => usedWords.has(word)));
      for (const word of words) usedWords.add(word);
      return frame(topic);
    };
    const ordinaryText = (person: string) => {
      const previous = lastTopic.get(person);
      const topic =
        previous && !usedTopics.has(previous) && draw.chance(0.12)
          ? previous
          : topicDeck((candidate) => usedTopics.has(candidate));
      usedTopics.add(topic);
      lastTopic.set(person, topic);
      let text = sentence(topic);
      if (draw.chance(style.secondSentence)) {
        const another = topicDeck((candidate) => usedTopics.has(candidate));
        usedTopics.add(another);
        text = `${text} ${sentence(another)}`;
      }
      return { text, about: topic };
    };
    const ordinaryKind = (): SyntheticAnswer['kind'] => {
      if (plan.noAnonymous) return 'thread';
      const roll = draw.random();
      return roll < style.anonymousShare
        ? 'anonymous'
        : roll < style.anonymousShare + style.privateShare
          ? 'private'
          : 'thread';
    };
    for (const person of speakers) {
      const mine = planned.get(person) ?? [];
      const instead = mine.filter((answer) => !answer.besides);
      const ordinaryCount = Math.max(
        mine.some((answer) => answer.besides) ? 1 : 0,
        1 + (draw.chance(style.secondAnswer) ? 1 : 0) - instead.length,
      );
      const written: {
        text: string;
        about: string;
        plant: PatternKind | null;
        kind: SyntheticAnswer['kind'];
      }[] = [
        ...mine,
        ...Array.from({ length: ordinaryCount }, () => ({
          ...ordinaryText(person),
          plant: null,
          kind: ordinaryKind(),
        })),
      ];
      for (const answer of draw.shuffled(written)) {
        const kind = answer.kind;
        answers.push({
          week,
          userId: kind === 'anonymous' ? null : person,
          kind,
          quotable: kind === 'private' && draw.chance(0.5),
          text: answer.text,
          createdAt: at(week, draw.random()),
          about: answer.about,
          plant: answer.plant,
        });
      }
    }

    // An ordinary before-action review most weeks, looked back on the same week.
    const thisWeek: PlannedReview[] = plannedReviews.filter((review) => review.week === week);
    if (draw.chance(style.reviewRate)) {
      const challenge = ordinaryChallenge();
      const roll = draw.random();
      const cause =
        roll < 0.65
          ? draw.pick(challenge.causes)
          : roll < 0.85
            ? draw.pick(strengthDeck().causes)
            : neutralDeck();
      thisWeek.unshift({
        week,
        anticipated: draw.pick(challenge.anticipated),
        cause: draw.chance(0.9) ? cause : null,
        verdict: ordinaryVerdict(),
        plan: draw.pick(ORDINARY_REVIEWS),
      });
    }
    thisWeek.forEach((review, index) => {
      const key = `review-${week}-${index}`;
      const createdAt = at(week, 0.05 + draw.random() * 0.25);
      reviews.push({
        key,
        week,
        action: review.plan.action,
        intendedResults: review.plan.intendedResults,
        anticipatedChallenges: review.anticipated,
        successFactors: draw.pick(SUCCESS_FACTORS),
        hypothesisIf: review.plan.hypothesisIf,
        hypothesisThen: review.plan.hypothesisThen,
        lookBackOn: isoDate(new Date(createdAt.getTime() + 5 * DAY_MS)),
        status: review.cause === null ? 'open' : 'closed',
        createdAt,
      });
      if (review.cause !== null)
        afterActions.push({
          reviewKey: key,
          week,
          whatHappened: review.plan.whatHappened,
          whyDifferent: review.cause,
          verdict: review.verdict,
          createdAt: at(week, 0.6 + draw.random() * 0.35),
        });
    });
  }

  return {
    id: spec.id,
    seed: spec.seed,
    quiet,
    people,
    plants: plants.sort((a, b) => a.week - b.week || (a.kind < b.kind ? -1 : 1)),
    team: {
      start: BANK_START,
      weeks: BANK_WEEKS,
      answers,
      reviews,
      afterActions,
      skips,
      digestAt: (week) => new Date(BANK_START.getTime() + week * WEEK_MS),
    },
  };
}

/** Two challenges in one field, joined as people join them. */
function bothChallenges(draw: Draw, first: string, second: string): string {
  const [one, two] = draw.chance(0.5) ? [first, second] : [second, first];
  const bare = (text: string) => text.replace(/[.!]+$/, '');
  const lower = (text: string) =>
    /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
  return draw.pick([
    `${bare(one)}; ${lower(two)}`,
    `${one} ${two}`,
    `${bare(one)}, and ${lower(two)}`,
    `${one} Also, ${lower(two)}`,
  ]);
}

// ---- the bank ----

export const PLANTED_QUARTERS = 30;
export const QUIET_QUARTERS = 30;

const THEME_ROTATION: readonly PatternKind[] = [
  'new_theme',
  'rising_theme',
  'synonym_theme',
  'privately_raised',
];
const SINGLE_REVIEW_PLANTS: readonly PatternKind[] = [
  'surprise',
  'surprise_shared_word',
  'refuted_hypothesis',
  'strength_cause',
];
const QUIET_SIZES = [
  2, 3, 4, 5, 6, 7, 8, 8, 9, 10, 11, 12, 2, 3, 5, 6, 8, 8, 10, 12, 2, 3, 4, 6, 7, 8, 8, 9, 11, 12,
];

/** The specs of the whole bank: small teams, middling ones and large ones, each with its own patterns. */
export function bankSpecs(): QuarterSpec[] {
  const specs: QuarterSpec[] = [];
  const themesPlanted = new Map<PatternKind, number>();
  /** The theme kind planted least so far that suits the team; ties go in rotation order. */
  const nextTheme = (size: number): PatternKind => {
    // Something said privately needs enough people around it to be more than one person's view.
    const allowed = THEME_ROTATION.filter((kind) => kind !== 'privately_raised' || size >= 6);
    const kind = allowed.reduce((best, candidate) =>
      (themesPlanted.get(candidate) ?? 0) < (themesPlanted.get(best) ?? 0) ? candidate : best,
    );
    themesPlanted.set(kind, (themesPlanted.get(kind) ?? 0) + 1);
    return kind;
  };
  for (let index = 0; index < PLANTED_QUARTERS; index += 1) {
    const plants: { kind: PatternKind; week: number }[] = [];
    let size: number;
    let answerRate: number;
    if (index < 8) {
      size = index % 2 === 0 ? 2 : 3;
      answerRate = 0.8 + (index % 4) * 0.05;
      plants.push(
        { kind: 'small_team_topic', week: 6 + (index % 2) },
        { kind: 'small_team_topic', week: 10 + (index % 2) },
      );
    } else if (index < 19) {
      size = 4 + ((index - 8) % 4);
      answerRate = 0.65 + ((index - 8) % 6) * 0.05;
      for (const week of [5, 8, 11]) plants.push({ kind: nextTheme(size), week });
    } else {
      size = 8 + ((index - 19) % 5);
      answerRate = 0.88 + ((index - 19) % 3) * 0.03;
      plants.push(
        { kind: nextTheme(size), week: 5 },
        { kind: 'breadth_drop', week: 7 },
        { kind: 'skip_spike', week: 9 },
        { kind: 'breadth_drop', week: 12 },
        { kind: 'rising_theme_dropped_week', week: 12 },
      );
    }
    // Reviews: a challenge that recurs over three loops, and two single-week patterns apart from its loops.
    const recurringWeek = index % 2 === 0 ? 8 : 11;
    plants.push({
      kind: Math.floor(index / 2) % 2 === 0 ? 'recurring_challenge' : 'two_challenges',
      week: recurringWeek,
    });
    const singleWeeks = recurringWeek === 8 ? [5, 10] : [6, 12];
    for (const [position, week] of singleWeeks.entries())
      plants.push({
        kind: SINGLE_REVIEW_PLANTS[(index * 2 + position) % SINGLE_REVIEW_PLANTS.length] as PatternKind,
        week,
      });
    specs.push({
      id: `planted-${index + 1}`,
      seed: 1001 + index,
      size,
      answerRate,
      voicesFloor: null,
      plants,
    });
  }
  QUIET_SIZES.slice(0, QUIET_QUARTERS).forEach((size, index) => {
    specs.push({
      id: `quiet-${index + 1}`,
      seed: 2001 + index,
      size,
      answerRate: size <= 3 ? 0.8 + (index % 3) * 0.07 : 0.6 + (index % 6) * 0.07,
      // Every third larger team's voices wander from half of it to all of it, week to week.
      voicesFloor: size >= 4 && index % 3 === 0 ? 0.5 : null,
      plants: [],
    });
  });
  return specs;
}

/** The whole bank: thirty planted quarters, then thirty quiet ones. */
export function digestBank(): BankQuarter[] {
  return bankSpecs().map((spec) => bankQuarter(spec));
}
