import { createHmac } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import {
  AAR_INPUTS,
  ACTIONS,
  BAR_EXTRA_INPUTS,
  BAR_INPUTS,
  CALLBACKS,
  PERSPECTIVE_INPUTS,
  PROMPT_ANSWER_INPUTS,
  PROMPT_INPUTS,
  QUESTION_INPUTS,
  RHYTHM_INPUTS,
  rhythmInput,
} from '../../src/slack/ids.js';
import { PERSPECTIVE_QUESTIONS } from '../../src/slack/views/perspectives.js';
import { barAnswers, barStateValues, rhythmStateValues } from './factories.js';
import { SIGNING_SECRET } from './slack-requests.js';

/*
 * Hostile and broken requests for the fuzz test. Everything is drawn from one seeded PRNG, so a failing
 * run can be replayed exactly by its seed and the index of the request that failed.
 */

/** mulberry32: small, fast and good enough to spread payloads over every branch. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(probability: number): boolean {
    return this.next() < probability;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  uuid(): string {
    const hex = () => this.int(0, 15).toString(16);
    const part = (n: number) => Array.from({ length: n }, hex).join('');
    return `${part(8)}-${part(4)}-4${part(3)}-${this.pick(['8', '9', 'a', 'b'])}${part(3)}-${part(12)}`;
  }
}

/**
 * Ids that belong to another workspace installed in the same database (the victim): forging them must
 * reach nothing. The victim's team id is named only where Bolt never looks for the team that authorises
 * a request (see `authorisingTeams`): a request Slack signed and Bolt authorises as the victim is the
 * victim's own, and may rightly act on its data.
 */
export interface ForeignIds {
  teamId: string;
  reviewId: string;
  aarId: string;
  perspectiveId: string;
  occurrenceId: string;
  questionId: string;
  /** The ts of that workspace's prompt and review summary, to aim thread replies at. */
  messageTs: string[];
}

export type Signing =
  | 'valid'
  /** Signed over the body as Bolt decodes it (invalid UTF-8 turned into U+FFFD), so parsing is reached. */
  | 'valid_over_decoded_text'
  | 'wrong_secret'
  | 'stale'
  | 'missing_signature'
  | 'missing_timestamp'
  | 'missing_both'
  | 'malformed_signature'
  | 'tampered_body'
  | 'non_numeric_timestamp';

export const BAD_SIGNINGS: readonly Signing[] = [
  'wrong_secret',
  'stale',
  'missing_signature',
  'missing_timestamp',
  'missing_both',
  'malformed_signature',
  'tampered_body',
  'non_numeric_timestamp',
];

export interface FuzzRequest {
  category: string;
  body: Buffer;
  contentType: string | undefined;
  signing: Signing;
}

export interface SentFuzz {
  status: number;
  ms: number;
}

/** Signs at send time, so a long run never drifts into the five-minute staleness window. */
export function signedHeaders(request: FuzzRequest, nowSeconds = Math.floor(Date.now() / 1000)) {
  const headers: Record<string, string> = {};
  if (request.contentType !== undefined) headers['content-type'] = request.contentType;
  const hmac = (timestamp: string, body: Buffer | string, secret = SIGNING_SECRET) =>
    `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex')}`;
  const now = String(nowSeconds);
  let body = request.body;
  switch (request.signing) {
    case 'valid':
      headers['x-slack-request-timestamp'] = now;
      headers['x-slack-signature'] = hmac(now, request.body);
      break;
    case 'valid_over_decoded_text':
      headers['x-slack-request-timestamp'] = now;
      headers['x-slack-signature'] = hmac(now, request.body.toString('utf8'));
      break;
    case 'wrong_secret':
      headers['x-slack-request-timestamp'] = now;
      headers['x-slack-signature'] = hmac(now, request.body, '0000000000000000aaaaaaaaaaaaaaaa');
      break;
    case 'stale': {
      const old = String(nowSeconds - 301 - (request.body.length % 86_400));
      headers['x-slack-request-timestamp'] = old;
      headers['x-slack-signature'] = hmac(old, request.body);
      break;
    }
    case 'missing_signature':
      headers['x-slack-request-timestamp'] = now;
      break;
    case 'missing_timestamp':
      headers['x-slack-signature'] = hmac(now, request.body);
      break;
    case 'missing_both':
      break;
    case 'malformed_signature': {
      const good = hmac(now, request.body);
      headers['x-slack-request-timestamp'] = now;
      const forms = [
        good.replace('v0=', 'v1='),
        good.slice(3),
        good.toUpperCase(),
        `${good}00`,
        good.slice(0, -2),
        'v0=',
        '',
        'v0',
        `v0=${'0'.repeat(64)}`,
      ];
      headers['x-slack-signature'] = forms[request.body.length % forms.length] as string;
      break;
    }
    case 'tampered_body':
      headers['x-slack-request-timestamp'] = now;
      headers['x-slack-signature'] = hmac(now, request.body);
      body = Buffer.concat([request.body, Buffer.from(request.body.length % 2 ? ' ' : '&x=1')]);
      break;
    case 'non_numeric_timestamp':
      headers['x-slack-request-timestamp'] = `${now}abc`;
      headers['x-slack-signature'] = hmac(now, request.body);
      break;
  }
  return { headers, body };
}

/**
 * Idle sockets are closed by this side after two seconds, well before the server's five: otherwise a
 * request can go out on a socket the server is closing, and come back as a reset that is nobody's fault.
 */
const agent = new Agent({ keepAlive: true, timeout: 2_000, maxSockets: 512 });

export function sendFuzz(baseUrl: string, request: FuzzRequest): Promise<SentFuzz> {
  const { headers, body } = signedHeaders(request);
  const url = new URL('/slack/events', baseUrl);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': String(body.length) } },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, ms: performance.now() - started }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

// ---------------------------------------------------------------------------
// Strings
// ---------------------------------------------------------------------------

const ODD = [
  '\u202E', // right-to-left override
  '\u200B', // zero-width space
  '\u200D',
  '\uFEFF',
  '\u0000',
  '\u0007',
  '\r\n',
  '\t',
  '\uD800', // lone high surrogate
  '\uDFFF', // lone low surrogate
  '\uFFFF',
  '\uFFFD',
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈',
  'e\u0301\u0301\u0301',
  'Z̴̡̛͎a̷̢͚l̶̡g̸o̵',
  '漢字かな',
  'مرحبا',
  'שלום',
  '<!channel>',
  '<!here|here>',
  '<@U0AUTHOR>',
  '<#C0TEAM|team>',
  '<https://evil.example|https://slack.com>',
  '*bold* _it_ ~s~ `code` ```block```',
  '&amp;&lt;&gt;',
  '%00%FF%',
  '+&=;?#',
  '__proto__',
  'constructor',
  '{"a":1}',
  "'; drop table responses; --",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4j-style probe, meant literally
  '${jndi:ldap://x}',
  '../../etc/passwd',
  'null',
  'undefined',
  'NaN',
  '-0',
  '1e309',
];

const ASCII =
  'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;!?-_/|\\@#$%^&*()[]{}<>"\'`~+=';

/**
 * Mostly short and odd; one in three hundred is huge. A payload draws dozens of these, so more would
 * spend the run parsing megabytes rather than trying shapes.
 */
export function randomText(rng: Rng, maxLength = 200): string {
  const kind = rng.int(0, 299);
  if (kind < 15) return '';
  if (kind < 45) return rng.pick(ODD);
  if (kind < 90) return Array.from({ length: rng.int(1, 12) }, () => rng.pick(ODD)).join('');
  if (kind < 91) return hugeText(rng);
  const length = rng.int(1, maxLength);
  let out = '';
  for (let i = 0; i < length; i += 1) {
    out += rng.chance(0.08) ? rng.pick(ODD) : ASCII[rng.int(0, ASCII.length - 1)];
  }
  return out;
}

/** Up to ~100 KB, mostly far past every Slack limit the views enforce. */
export function hugeText(rng: Rng): string {
  const size = rng.pick([3_001, 10_000, 40_000, 100_000]);
  const unit = rng.pick(['a', 'ß', '漢', '👩‍👩‍👧‍👦', '<!channel> ', 'word ', '\u202E']);
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

/** Values of any JSON type, for fields that expect one shape and get another. */
export function junkValue(rng: Rng, depth = 0): unknown {
  const kind = rng.int(0, depth > 2 ? 6 : 9);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return rng.int(-1_000_000, 1_000_000);
    case 2:
      return rng.chance(0.5);
    case 3:
      return rng.pick([0, -1, 1.5, 1e308, Number.MAX_SAFE_INTEGER]);
    case 4:
    case 5:
    case 6:
      return randomText(rng, 40);
    case 7:
      return Array.from({ length: rng.int(0, 4) }, () => junkValue(rng, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: rng.int(0, 4) }, () => [randomText(rng, 12), junkValue(rng, depth + 1)]),
      );
  }
}

/**
 * A signed body that parses to JSON `null` kills the process (see the fuzz test, which exercises it on
 * its own in a child process), so the in-process run never sends one.
 */
export function parsesToNull(text: string): boolean {
  try {
    return JSON.parse(text) === null;
  } catch {
    return false;
  }
}

function jsonWithoutTopLevelNull(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined || parsesToNull(text) ? '{}' : text;
}

// ---------------------------------------------------------------------------
// Fields shared by every kind of request
// ---------------------------------------------------------------------------

/** The sender: the installed workspace the fuzzed requests come from, when they name one that exists. */
export const FUZZ_TEAM = 'T0FAKETEAM';
const FUZZ_CHANNEL = 'C0TEAM';

/**
 * Mostly the sender, whose installation answers, so that the rest of the payload reaches the listeners;
 * otherwise a team no installation answers to.
 */
function teamId(rng: Rng): unknown {
  if (rng.chance(0.75)) return FUZZ_TEAM;
  return rng.pick<unknown>([`T${rng.int(0, 99999)}`, '', 't0faketeam', `${FUZZ_TEAM}\u0000`, junkValue(rng)]);
}

function stringTeamId(rng: Rng): string {
  if (rng.chance(0.75)) return FUZZ_TEAM;
  return rng.pick([`T${rng.int(0, 99999)}`, '', 't0faketeam', `${FUZZ_TEAM}\u0000`]);
}

function userId(rng: Rng): unknown {
  return rng.pick<unknown>([
    'U0AUTHOR',
    'U0TEAMMATE',
    `U${rng.int(0, 99999)}`,
    'W0ENTERPRISE',
    '',
    'U0FAKEBOT',
    junkValue(rng),
  ]);
}

function channelId(rng: Rng): unknown {
  return rng.pick<unknown>([
    FUZZ_CHANNEL,
    FUZZ_CHANNEL,
    'G0PRIVATE',
    'D0DIRECT',
    `C${rng.int(0, 99999)}`,
    'c0team',
    '',
    [FUZZ_CHANNEL],
    junkValue(rng),
  ]);
}

/** A channel id as Slack would send one, or one it never would, but always a string. */
function stringChannelId(rng: Rng): string {
  return rng.pick([
    FUZZ_CHANNEL,
    FUZZ_CHANNEL,
    'G0PRIVATE',
    'D0DIRECT',
    `C${rng.int(0, 99999)}`,
    'c0team',
    '',
  ]);
}

/** A value forged for a button or select: random text, random uuids, or another workspace's real ids. */
function forgedValue(rng: Rng, foreign: ForeignIds): unknown {
  const id = rng.pick([
    foreign.reviewId,
    foreign.aarId,
    foreign.perspectiveId,
    foreign.occurrenceId,
    foreign.questionId,
    rng.uuid(),
  ]);
  return rng.pick<unknown>([
    id,
    `before:${rng.pick([foreign.reviewId, rng.uuid()])}`,
    `after:${rng.pick([foreign.aarId, rng.uuid()])}`,
    `${rng.pick(['before', 'after', 'perspective', 'other'])}:${randomText(rng, 40)}`,
    `${rng.pick([foreign.occurrenceId, rng.uuid(), 'x'])}|${rng.pick(['not_safe', 'no_capacity', 'other', '3', '5', '0', '9', 'x'])}`,
    `${rng.pick(['edit', 'delete', 'destroy'])}:${rng.pick(['before', 'after', 'perspective'])}:${id}`,
    `${rng.pick([FUZZ_CHANNEL, 'D0DIRECT', 'C0OTHER', ''])}|${rng.pick(['1', '0', '99', '100', 'x', '1|2'])}`,
    FUZZ_CHANNEL,
    `${id}${randomText(rng, 4)}`,
    id.toUpperCase(),
    randomText(rng),
    rng.chance(0.2) ? hugeText(rng) : randomText(rng, 3_000),
    junkValue(rng),
  ]);
}

/** Deletes or replaces a few top-level fields, so required ones go missing or change type. */
function mutate(rng: Rng, payload: Record<string, unknown>, rate = 0.5): Record<string, unknown> {
  if (!rng.chance(rate)) return payload;
  const copy: Record<string, unknown> = { ...payload };
  const keys = Object.keys(copy);
  for (let i = rng.int(1, 3); i > 0; i -= 1) {
    const key = rng.pick(keys);
    if (rng.chance(0.5)) delete copy[key];
    else copy[key] = junkValue(rng);
  }
  return copy;
}

function form(fields: Array<[string, unknown]>): Buffer {
  const params = new URLSearchParams();
  for (const [key, value] of fields) {
    if (value === undefined) continue;
    params.append(key, typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));
  }
  return Buffer.from(params.toString());
}

/** Form-encodes like Slack, lone surrogates included (encodeURIComponent throws on those). */
function formEncode(text: string): string {
  return new URLSearchParams({ x: text }).toString().slice(2);
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

// ---------------------------------------------------------------------------
// Slash commands
// ---------------------------------------------------------------------------

const KNOWN_COMMANDS = ['/bar', '/aar', '/learning'] as const;
const LEARNING_WORDS = ['help', 'rhythm', 'prompts', 'questions', 'digest', 'digest post', 'HELP', 'Rhythm'];

/** Invalid UTF-8: stray continuations, overlong forms, encoded surrogates and truncated sequences. */
function invalidUtf8(rng: Rng): Buffer {
  const pieces = [
    [0xff],
    [0xfe, 0xff],
    [0xc3, 0x28],
    [0xc0, 0xaf],
    [0xe0, 0x80, 0xaf],
    [0xed, 0xa0, 0x80],
    [0x80],
    [0xf4, 0x90, 0x80, 0x80],
    [0xe2, 0x82],
    [0xf0, 0x9f, 0x98],
  ];
  return Buffer.from(Array.from({ length: rng.int(1, 6) }, () => rng.pick(pieces)).flat());
}

export function slashCommand(rng: Rng): FuzzRequest {
  const known = rng.chance(0.97);
  const command = known
    ? rng.pick(KNOWN_COMMANDS)
    : rng.pick(['/bars', '/BAR', '/', '', 'bar', '/learning help', '/aar\u0000', randomText(rng, 20)]);
  const text =
    command === '/learning' && rng.chance(0.6)
      ? `${rng.pick(LEARNING_WORDS)}${rng.chance(0.3) ? ` ${randomText(rng, 30)}` : ''}`
      : rng.chance(0.05)
        ? hugeText(rng)
        : randomText(rng);
  let fields: Array<[string, unknown]> = [
    ['token', 'deprecated-verification-token'],
    ['team_id', teamId(rng)],
    ['team_domain', 'example'],
    ['channel_id', channelId(rng)],
    ['channel_name', randomText(rng, 20)],
    ['user_id', userId(rng)],
    ['user_name', randomText(rng, 20)],
    ['command', command],
    ['text', text],
    ['api_app_id', 'A0FAKEAPP'],
    ['is_enterprise_install', rng.pick(['false', 'true', '', 'yes'])],
    ['response_url', rng.pick(['http://127.0.0.1:9/commands/response', '', 'not a url', undefined])],
    ['trigger_id', rng.pick(['trigger-fuzz', 'trigger-fuzz', '', undefined, randomText(rng, 10)])],
  ];
  if (rng.chance(0.05)) fields.push(['enterprise_id', randomText(rng, 12)]);
  if (rng.chance(0.15)) fields = fields.filter(() => !rng.chance(0.2));
  // A repeated key makes the parsed field an array: a shape no listener expects.
  if (rng.chance(0.04)) fields.push([rng.pick(fields)?.[0] ?? 'text', randomText(rng, 10)]);
  let body = form(fields);
  let signing: Signing = 'valid';
  if (rng.chance(0.05)) {
    // Raw bytes that are not UTF-8 spliced into the text field.
    body = Buffer.concat([body, Buffer.from('&text='), invalidUtf8(rng)]);
    signing = rng.chance(0.5) ? 'valid' : 'valid_over_decoded_text';
  }
  return { category: 'slash command', body, contentType: FORM, signing };
}

// ---------------------------------------------------------------------------
// Interactions
// ---------------------------------------------------------------------------

const ACTION_IDS = Object.values(ACTIONS);

/**
 * Who acts. Mostly well-formed strings (odd ones included), since a malformed id is refused before
 * any listener runs and would leave the rest of the payload untried.
 */
function actor(rng: Rng, foreign: ForeignIds) {
  if (rng.chance(0.92)) {
    const team = stringTeamId(rng);
    const user = rng.pick([
      'U0AUTHOR',
      'U0TEAMMATE',
      `U${rng.int(0, 99999)}`,
      'W0ENTERPRISE',
      '',
      'U0FAKEBOT',
    ]);
    // No team of its own, as from an org-wide install: Bolt takes the user's team instead.
    if (rng.chance(0.2))
      return { team: null, user: { id: user, username: 'someone', name: 'someone', team_id: team } };
    // Beside a team of its own, the user may claim the victim's: Bolt does not read it.
    return {
      team: { id: team, domain: 'example' },
      user: rng.pick<unknown>([
        { id: user, username: 'someone', name: 'someone', team_id: rng.chance(0.3) ? foreign.teamId : team },
        { id: user },
      ]),
    };
  }
  return {
    team: rng.pick<unknown>([{ id: junkValue(rng) }, junkValue(rng), undefined]),
    user: rng.pick<unknown>([{ id: junkValue(rng), team_id: junkValue(rng) }, junkValue(rng), undefined]),
  };
}

/**
 * Where shuffling took away the payload's own team, Bolt takes the user's: a user claiming the victim's
 * team is then the sender's again, so the victim never authorises a fuzzed request.
 */
function neverAuthorisedAs(payload: Record<string, unknown>, victim: string): Record<string, unknown> {
  const user = payload.user as { team_id?: unknown } | null | undefined;
  if ((payload.team === undefined || payload.team === null) && user?.team_id === victim)
    return { ...payload, user: { ...user, team_id: FUZZ_TEAM } };
  return payload;
}

function interaction(payload: Record<string, unknown>, category: string): FuzzRequest {
  return {
    category,
    body: form([['payload', jsonWithoutTopLevelNull(payload)]]),
    contentType: FORM,
    signing: 'valid',
  };
}

export function blockActions(rng: Rng, foreign: ForeignIds): FuzzRequest {
  const known = rng.chance(0.95);
  const actionId = known
    ? rng.pick(ACTION_IDS)
    : rng.pick(['unknown_action', '', `${rng.pick(ACTION_IDS)}_x`, randomText(rng, 20)]);
  const kind = rng.pick(['button', 'static_select', 'overflow', 'datepicker', 'users_select', 'x']);
  const value = forgedValue(rng, foreign);
  const action: Record<string, unknown> = mutate(
    rng,
    {
      type: kind,
      action_id: actionId,
      block_id: rng.pick(['b', '', randomText(rng, 10)]),
      action_ts: '1.2',
      ...(kind === 'button'
        ? { value, text: { type: 'plain_text', text: 'x' } }
        : {
            selected_option: rng.pick<unknown>([
              { text: { type: 'plain_text', text: 'x' }, value },
              { value },
              null,
              junkValue(rng),
            ]),
          }),
    },
    0.1,
  );
  const channel = rng.chance(0.95) ? stringChannelId(rng) : channelId(rng);
  const base = mutate(
    rng,
    {
      type: 'block_actions',
      ...actor(rng, foreign),
      api_app_id: 'A0FAKEAPP',
      token: 'deprecated-verification-token',
      trigger_id: rng.chance(0.95)
        ? rng.pick(['trigger-fuzz', 'trigger-fuzz', '', randomText(rng, 60)])
        : junkValue(rng),
      container: rng.pick<unknown>([
        { type: 'message', channel_id: channel, message_ts: rng.pick(foreign.messageTs) },
        { type: 'view', view_id: 'VHOME' },
        junkValue(rng),
      ]),
      channel: rng.chance(0.95) ? rng.pick([{ id: channel, name: 'team' }, undefined]) : junkValue(rng),
      message: rng.pick<unknown>([undefined, { ts: rng.pick(foreign.messageTs), text: 'x' }, junkValue(rng)]),
      response_url: rng.pick<unknown>(['http://127.0.0.1:9/actions', undefined, 'nope']),
      actions: rng.chance(0.9)
        ? rng.pick([[action], [action], [action, action]])
        : rng.pick<unknown>([[], junkValue(rng)]),
      is_enterprise_install: rng.pick<unknown>([false, true, 'false', junkValue(rng)]),
    },
    0.12,
  );
  return interaction(neverAuthorisedAs(base, foreign.teamId), 'block_actions');
}

const SUBMITTED_CALLBACKS = [
  CALLBACKS.barModal,
  CALLBACKS.rhythmSettings,
  CALLBACKS.channelPrompts,
  CALLBACKS.promptAnswer,
  CALLBACKS.aarModal,
  CALLBACKS.perspectiveModal,
  CALLBACKS.confirmDelete,
  CALLBACKS.learningQuestions,
] as const;
type SubmittedCallback = (typeof SUBMITTED_CALLBACKS)[number];

const CHANNEL_FORMS: ReadonlySet<string> = new Set([
  CALLBACKS.rhythmSettings,
  CALLBACKS.channelPrompts,
  CALLBACKS.learningQuestions,
]);

/** Whether a channel form's metadata is readable, naming a channel the form would be saved for. */
function namesAChannel(metadata: unknown): boolean {
  try {
    const channel =
      typeof metadata === 'string' ? (JSON.parse(metadata) as { channelId?: unknown }).channelId : undefined;
    return typeof channel === 'string' && /^[CG][A-Z0-9]+$/.test(channel);
  } catch {
    return false;
  }
}

/** Inputs of each form, to fill with values of the wrong shape under the right ids. */
const FORM_INPUTS: Record<SubmittedCallback, Array<{ block: string; action: string }>> = {
  [CALLBACKS.barModal]: [...Object.values(BAR_INPUTS), ...Object.values(BAR_EXTRA_INPUTS)],
  [CALLBACKS.rhythmSettings]: [
    ...Object.values(RHYTHM_INPUTS),
    ...['week_ahead', 'mid_week', 'look_back', 'digest'].flatMap((kind) =>
      (['days', 'time'] as const).map((part) => rhythmInput(kind, part)),
    ),
  ],
  [CALLBACKS.channelPrompts]: Object.values(PROMPT_INPUTS),
  [CALLBACKS.promptAnswer]: Object.values(PROMPT_INPUTS),
  [CALLBACKS.aarModal]: Object.values(AAR_INPUTS),
  [CALLBACKS.perspectiveModal]: [
    ...[...PERSPECTIVE_QUESTIONS.before, ...PERSPECTIVE_QUESTIONS.after].map(([key]) =>
      PERSPECTIVE_INPUTS.answer(key),
    ),
    PERSPECTIVE_INPUTS.anonymous,
  ],
  [CALLBACKS.confirmDelete]: [],
  [CALLBACKS.learningQuestions]: [QUESTION_INPUTS.add, QUESTION_INPUTS.retire],
};

/** An element value of the wrong type: never a string where the form reads text. */
function wrongShape(rng: Rng): unknown {
  return rng.pick<unknown>([
    null,
    0,
    true,
    [],
    {},
    { type: 'plain_text_input' },
    { type: 'plain_text_input', value: rng.int(0, 9) },
    { type: 'plain_text_input', value: ['a', 'b'] },
    { value: { nested: 'x' } },
    { selected_options: 'x' },
    { selected_options: [{ value: 1 }, null] },
    { selected_option: 'x' },
    { selected_date: 20261130 },
    { selected_users: 'U0AUTHOR' },
    { selected_conversation: ['C0TEAM'] },
    { selected_time: {} },
    junkValue(rng),
  ]);
}

function wrongShapeValues(rng: Rng, callback: SubmittedCallback): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const input of FORM_INPUTS[callback]) {
    if (rng.chance(0.3)) continue;
    values[input.block] = rng.chance(0.9) ? { [input.action]: wrongShape(rng) } : junkValue(rng);
  }
  return values;
}

function junkValues(rng: Rng): unknown {
  return rng.pick<unknown>([
    {},
    junkValue(rng),
    Object.fromEntries(
      Array.from({ length: rng.int(1, 5) }, () => [randomText(rng, 20), { value: junkValue(rng) }]),
    ),
  ]);
}

/** A before-action review that validation must refuse: one answer broken, whichever it is. */
function invalidBarValues(rng: Rng): Record<string, unknown> {
  const broken = rng.pick<Partial<Parameters<typeof barAnswers>[0]>>([
    { intendedResults: '' },
    { action: '' },
    { hypothesisIf: '' },
    { lookBackOn: '1999-01-01' },
    { lookBackOn: '2999-01-01' },
    { lookBackOn: 'not-a-date' },
    { intendedResults: ' \n\t ' },
    { people: Array.from({ length: 31 }, (_, i) => `U${i}`) },
    { channelId: '' },
    { successFactors: hugeText(rng) },
  ]);
  return barStateValues(barAnswers({ lookBackOn: '2026-12-18', ...broken }));
}

function text(value: unknown) {
  return { value: { type: 'plain_text_input', value } };
}

function metadataFor(rng: Rng, callback: SubmittedCallback, foreign: ForeignIds): unknown {
  const forged: Record<SubmittedCallback, () => unknown> = {
    [CALLBACKS.barModal]: () =>
      rng.pick<unknown>([
        { timeZone: 'UTC', editReviewId: foreign.reviewId },
        { timeZone: randomText(rng, 80), editReviewId: rng.uuid() },
        { timeZone: 'Europe/London', fromAfterActionReviewId: foreign.aarId, editReviewId: rng.uuid() },
        { timeZone: 'UTC' },
        { timeZone: 42 },
      ]),
    [CALLBACKS.aarModal]: () =>
      rng.pick<unknown>([
        { reviewId: foreign.reviewId, channelId: FUZZ_CHANNEL },
        { editId: foreign.aarId, channelId: FUZZ_CHANNEL },
        { editId: rng.uuid() },
        { reviewId: rng.uuid() },
        {},
        { channelId: 'C'.repeat(41) },
      ]),
    [CALLBACKS.perspectiveModal]: () =>
      rng.pick<unknown>([
        { target: 'after', id: foreign.aarId },
        { target: 'before', id: foreign.reviewId },
        { target: 'after', id: foreign.aarId, editId: foreign.perspectiveId },
        { target: 'before', id: rng.uuid() },
        { target: 'sideways', id: foreign.aarId },
      ]),
    [CALLBACKS.promptAnswer]: () =>
      rng.pick<unknown>([
        { occurrenceId: foreign.occurrenceId, mode: 'anonymous' },
        { occurrenceId: foreign.occurrenceId, mode: 'private' },
        { occurrenceId: rng.uuid(), mode: 'private' },
        { occurrenceId: foreign.occurrenceId, mode: 'public' },
      ]),
    [CALLBACKS.confirmDelete]: () =>
      rng.pick<unknown>([
        { thing: 'before', id: foreign.reviewId },
        { thing: 'after', id: foreign.aarId },
        { thing: 'perspective', id: foreign.perspectiveId },
        { thing: 'before', id: rng.uuid() },
        { thing: 'everything', id: foreign.reviewId },
      ]),
    [CALLBACKS.rhythmSettings]: () => ({ channelId: channelId(rng) }),
    [CALLBACKS.channelPrompts]: () => ({ channelId: channelId(rng) }),
    [CALLBACKS.learningQuestions]: () => ({ channelId: channelId(rng) }),
  };
  return rng.pick<unknown>([
    JSON.stringify(forged[callback]()),
    JSON.stringify(forged[callback]()),
    JSON.stringify(forged[callback]()),
    randomText(rng),
    '',
    'null',
    '[]',
    '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
    `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
    JSON.stringify({
      ...(forged[callback]() as object),
      padding: rng.chance(0.2) ? hugeText(rng) : 'x'.repeat(3_001),
    }),
    junkValue(rng),
  ]);
}

/**
 * Values for a known form. Complete, valid answers are sent only where the metadata names something
 * this workspace does not own, so that refusing is the only right outcome and nothing may be written.
 */
function valuesFor(
  rng: Rng,
  callback: SubmittedCallback,
  metadata: unknown,
  foreignIds: ForeignIds,
): unknown {
  const parsed = (() => {
    try {
      return typeof metadata === 'string' ? (JSON.parse(metadata) as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  })();
  const namesAnother = Boolean(
    parsed &&
      typeof parsed === 'object' &&
      (parsed.editReviewId || parsed.editId || parsed.id || parsed.occurrenceId),
  );
  // A channel's settings need only a readable channel to be saved, and a save, even of nothing, may
  // rightly record who looks after the channel: those forms get only answers that validation refuses.
  const choice = CHANNEL_FORMS.has(callback) && namesAChannel(metadata) ? 2 : rng.int(0, 3);
  if (choice === 0) return junkValues(rng);
  if (choice === 1) return wrongShapeValues(rng, callback);
  switch (callback) {
    case CALLBACKS.barModal:
      return namesAnother && parsed?.editReviewId && choice === 3
        ? barStateValues(barAnswers({ lookBackOn: '2026-12-18' }))
        : invalidBarValues(rng);
    case CALLBACKS.aarModal:
      return namesAnother && parsed?.editId && choice === 3
        ? {
            [AAR_INPUTS.whatHappened.block]: text('Forged'),
            [AAR_INPUTS.whyDifferent.block]: text('Forged'),
            [AAR_INPUTS.sustain.block]: text('Forged'),
            [AAR_INPUTS.change.block]: text('Forged'),
            [AAR_INPUTS.verdict.block]: {
              value: { type: 'radio_buttons', selected_option: { value: 'borne_out' } },
            },
          }
        : {
            // What happened is left empty, so the form is refused whatever else it says.
            [AAR_INPUTS.whatHappened.block]: text(rng.pick(['', '   ', null])),
            [AAR_INPUTS.whyDifferent.block]: text(randomText(rng)),
            [AAR_INPUTS.verdict.block]: { value: { type: 'radio_buttons', selected_option: junkValue(rng) } },
          };
    case CALLBACKS.perspectiveModal:
      return {
        [PERSPECTIVE_INPUTS.answer(rng.pick(['whatHappened', 'intendedResults', 'successFactors', 'x']))
          .block]: text(rng.chance(0.05) ? hugeText(rng) : randomText(rng)),
        [PERSPECTIVE_INPUTS.anonymous.block]: {
          value: { type: 'checkboxes', selected_options: rng.pick([[{ value: 'anonymous' }], [], 'x']) },
        },
      };
    case CALLBACKS.promptAnswer:
      return {
        [PROMPT_ANSWER_INPUTS.answer.block]: {
          [PROMPT_ANSWER_INPUTS.answer.action]: {
            type: 'plain_text_input',
            value: rng.chance(0.05) ? hugeText(rng) : randomText(rng),
          },
        },
        [PROMPT_ANSWER_INPUTS.questionId.block]: {
          [PROMPT_ANSWER_INPUTS.questionId.action]: {
            selected_option: { value: rng.pick([foreignIds.questionId, 'x']) },
          },
        },
      };
    case CALLBACKS.rhythmSettings:
      // A time zone that does not exist: every other field may be fine, the form is still refused.
      return rhythmStateValues({
        timeZone: rng.pick(['Mars/Olympus_Mons', randomText(rng, 30), 'Europe/Londo']),
        workDays: rng.pick([[1, 2, 3, 4, 5], [], [0, 8, -1]]),
        pauseUntil: rng.pick([null, '1999-01-01', 'x']),
        skipDates: randomText(rng, 100),
        rhythms: {
          week_ahead: { enabled: rng.chance(0.5), days: [1], time: rng.pick(['09:30', '25:99', '']) },
        },
      });
    case CALLBACKS.channelPrompts:
      // One line past the prompt length limit refuses the whole change.
      return {
        [PROMPT_INPUTS.add.block]: {
          [PROMPT_INPUTS.add.action]: {
            type: 'plain_text_input',
            value: `${randomText(rng, 40)}\n${'x'.repeat(301 + rng.int(0, 3_000))}`,
          },
        },
      };
    case CALLBACKS.learningQuestions:
      // Six new questions: more than a channel may keep, so the save is refused.
      return {
        [QUESTION_INPUTS.add.block]: {
          [QUESTION_INPUTS.add.action]: {
            type: 'plain_text_input',
            value: Array.from({ length: 6 }, () => `What will it take to ${randomText(rng, 30)}?`).join('\n'),
          },
        },
      };
    case CALLBACKS.confirmDelete:
      return junkValues(rng);
  }
}

export function viewSubmission(rng: Rng, foreignIds: ForeignIds): FuzzRequest {
  const known = rng.chance(0.95);
  const callback = rng.pick(SUBMITTED_CALLBACKS);
  const callbackId = known
    ? callback
    : rng.pick([
        CALLBACKS.digestPreview,
        CALLBACKS.reviewInFull,
        CALLBACKS.rhythmSaved,
        CALLBACKS.learningQuestionsSaved,
        'unknown_modal',
        '',
        randomText(rng, 30),
      ]);
  const metadata = metadataFor(rng, callback, foreignIds);
  const state = rng.chance(0.85)
    ? { values: valuesFor(rng, callback, metadata, foreignIds) }
    : rng.pick<unknown>([junkValue(rng), undefined]);
  const view = mutate(
    rng,
    {
      id: rng.pick<unknown>([`V0FUZZ${rng.int(0, 999_999)}`, '', junkValue(rng)]),
      // The view's own team is not where Bolt looks (that is `app_installed_team_id`, never sent here).
      team_id: rng.chance(0.2) ? foreignIds.teamId : teamId(rng),
      type: 'modal',
      callback_id: callbackId,
      private_metadata: metadata,
      hash: '1',
      state,
      blocks: [],
      app_id: 'A0FAKEAPP',
      bot_id: 'B0FAKEBOT',
    },
    0.1,
  );
  // A channel's form whose refused answers were lost to the shuffling above would read as an empty save.
  if (
    CHANNEL_FORMS.has(String(view.callback_id)) &&
    namesAChannel(view.private_metadata) &&
    view.state !== state
  )
    view.private_metadata = '{"channelId":"D0DIRECT"}';
  const payload = mutate(
    rng,
    {
      type: 'view_submission',
      ...actor(rng, foreignIds),
      api_app_id: 'A0FAKEAPP',
      token: 'deprecated-verification-token',
      trigger_id: rng.chance(0.95)
        ? rng.pick(['trigger-submit', 'trigger-submit', undefined])
        : junkValue(rng),
      view: rng.chance(0.95) ? view : junkValue(rng),
      response_urls: rng.pick<unknown>([[], [{ response_url: 'http://127.0.0.1:9/r' }], junkValue(rng)]),
      is_enterprise_install: false,
    },
    0.12,
  );
  return interaction(neverAuthorisedAs(payload, foreignIds.teamId), 'view_submission');
}

/** Other interaction types the app has no listener for, payloads that are not JSON, and odd wrappers. */
export function otherInteraction(rng: Rng, foreign: ForeignIds): FuzzRequest {
  const kind = rng.int(0, 5);
  if (kind === 0) {
    const body = rng.pick([
      'payload=%7Bnot-json',
      'payload=',
      `payload=${formEncode(((t) => (parsesToNull(t) ? 'x' : t))(randomText(rng)))}`,
      'payload={"type":"block_actions",',
      'payload=%7B%22type%22%3A%22block_actions%22%7D%7D',
    ]);
    // Bodies that do not parse as JSON are refused before any listener; a few parse to a bare string.
    return {
      category: 'other interaction',
      body: Buffer.from(body),
      contentType: FORM,
      signing: 'valid',
    };
  }
  if (kind === 1) {
    // A repeated payload field parses to an array, which Bolt then treats as a plain form.
    const body = form([
      ['payload', JSON.stringify({ type: 'block_actions' })],
      ['payload', JSON.stringify({ type: 'view_submission' })],
    ]);
    return { category: 'other interaction', body, contentType: FORM, signing: 'valid' };
  }
  const type = rng.pick([
    'view_closed',
    'shortcut',
    'message_action',
    'block_suggestion',
    'interactive_message',
    'dialog_submission',
    'workflow_step_edit',
    'mystery',
    '',
  ]);
  const payload = mutate(rng, {
    type,
    ...actor(rng, foreign),
    callback_id: rng.pick([...SUBMITTED_CALLBACKS, 'x']),
    action_id: rng.pick(ACTION_IDS),
    trigger_id: 'trigger-fuzz',
    view: { id: 'V0FUZZ', callback_id: rng.pick(SUBMITTED_CALLBACKS), private_metadata: randomText(rng) },
    value: randomText(rng),
    message: junkValue(rng),
  });
  return interaction(neverAuthorisedAs(payload, foreign.teamId), 'other interaction');
}

// ---------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------

const STRANGE_SUBTYPES = [
  undefined,
  'bot_message',
  'channel_join',
  'channel_leave',
  'message_changed',
  'message_deleted',
  'message_replied',
  'thread_broadcast',
  'file_share',
  'me_message',
  'ekm_access_denied',
  'channel_topic',
  'tombstone',
  'huddle_thread',
  '',
  'MESSAGE_CHANGED',
];

function eventPayload(rng: Rng, foreign: ForeignIds): unknown {
  const type = rng.pick([
    'message',
    'message',
    'message',
    'app_home_opened',
    'member_joined_channel',
    'channel_left',
    'group_left',
    'app_mention',
    // Never app_uninstalled: it is valid whatever else a payload says, so it may legitimately act.
    'tokens_revoked',
    'grid_migration_finished',
    'reaction_added',
    '',
    randomText(rng, 20),
  ]);
  if (type === 'message') {
    const subtype = rng.pick(STRANGE_SUBTYPES);
    const event: Record<string, unknown> = {
      type,
      ...(subtype === undefined ? {} : { subtype }),
      channel: channelId(rng),
      user: userId(rng),
      text: rng.chance(0.03) ? hugeText(rng) : randomText(rng),
      ts: rng.pick<unknown>([`1795${rng.int(100000, 999999)}.000100`, '', junkValue(rng)]),
      // Aimed at the other workspace's prompt and review summary: the same channel id, another team.
      thread_ts: rng.pick<unknown>([...foreign.messageTs, undefined, junkValue(rng)]),
      channel_type: rng.pick(['channel', 'group', 'im', 'mpim', 'x']),
    };
    if (subtype === 'message_changed')
      event.message = rng.pick<unknown>([
        { ts: rng.pick(foreign.messageTs), text: randomText(rng), thread_ts: rng.pick(foreign.messageTs) },
        junkValue(rng),
        undefined,
      ]);
    if (subtype === 'message_deleted')
      event.deleted_ts = rng.pick<unknown>([...foreign.messageTs, junkValue(rng)]);
    if (rng.chance(0.1)) event.bot_id = rng.pick<unknown>(['B0FAKEBOT', junkValue(rng)]);
    // A shared channel's message names the author's and the channel's workspaces; Bolt reads neither.
    if (rng.chance(0.2)) {
      event.user_team = foreign.teamId;
      event.source_team = foreign.teamId;
    }
    return mutate(rng, event, 0.2);
  }
  if (type === 'grid_migration_finished') {
    // With a real organisation id it would move the workspace, as it should; here the id is never one.
    return { type, enterprise_id: rng.pick<unknown>(['', null, 123, {}, ['E0FUZZ'], undefined]) };
  }
  if (type === 'member_joined_channel') {
    // The app's own arrival is welcomed and recorded; here it arrives only in channels no team can have.
    const asBot = rng.chance(0.3);
    return {
      type,
      user: asBot ? 'U0FAKEBOT' : `U${rng.int(0, 99999)}`,
      channel: asBot
        ? rng.pick<unknown>(['D0DIRECT', 'c0team', '', 123, null, {}, ['C0FUZZ'], 'C0FUZZ\n'])
        : channelId(rng),
      channel_type: 'C',
      // The event's own team field is not where Bolt looks for the authorising team.
      team: rng.chance(0.2) ? foreign.teamId : teamId(rng),
    };
  }
  const event = mutate(
    rng,
    {
      type,
      user: userId(rng),
      channel: channelId(rng),
      tab: rng.pick<unknown>(['home', 'messages', 'about', '', junkValue(rng)]),
      view: junkValue(rng),
      event_ts: '1795000000.000100',
    },
    0.3,
  );
  return event;
}

export function eventRequest(rng: Rng, foreign: ForeignIds): FuzzRequest {
  const event = eventPayload(rng, foreign);
  const outer = mutate(
    rng,
    {
      token: 'deprecated-verification-token',
      team_id: teamId(rng),
      api_app_id: 'A0FAKEAPP',
      event: rng.chance(0.95) ? event : rng.pick<unknown>([undefined, 'message', [], 42, {}]),
      type: rng.pick(['event_callback', 'event_callback', 'event_callback', 'app_rate_limited', 'x']),
      // Event ids never look like Slack's (Ev + digits), and most are missing or not strings at all.
      event_id: rng.pick<unknown>([undefined, '', `Fuzz${rng.int(0, 1e9)}`, junkValue(rng), randomText(rng)]),
      event_time: rng.pick<unknown>([Math.floor(Date.now() / 1000), junkValue(rng)]),
      authorizations: rng.pick<unknown>([
        [{ team_id: teamId(rng), user_id: 'U0FAKEBOT', is_bot: true, is_enterprise_install: false }],
        [{ team_id: teamId(rng), user_id: 'U0FAKEBOT', is_bot: true, is_enterprise_install: false }],
        [{ team_id: teamId(rng), user_id: 'U0FAKEBOT', is_bot: true, is_enterprise_install: false }],
        [],
        undefined,
        junkValue(rng),
      ]),
      is_ext_shared_channel: rng.pick<unknown>([false, junkValue(rng)]),
    },
    0.2,
  );
  return {
    category: 'event',
    body: Buffer.from(jsonWithoutTopLevelNull(outer)),
    contentType: rng.chance(0.97) ? JSON_TYPE : rng.pick(['application/json; charset=utf-8', 'text/plain']),
    signing: 'valid',
  };
}

/** Slack's URL check and SSL check, with odd challenges: answered at once by the receiver itself. */
export function handshake(rng: Rng): FuzzRequest {
  if (rng.chance(0.5)) {
    const body = JSON.stringify({
      token: 'x',
      challenge: rng.pick<unknown>([randomText(rng), junkValue(rng)]),
      type: 'url_verification',
    });
    return {
      category: 'handshake',
      body: Buffer.from(body),
      contentType: JSON_TYPE,
      signing: 'valid',
    };
  }
  const body = rng.pick([
    'ssl_check=1&token=x',
    `ssl_check=1&payload=${encodeURIComponent('{"type":"block_actions"}')}`,
  ]);
  return {
    category: 'handshake',
    body: Buffer.from(body),
    contentType: FORM,
    signing: rng.pick<Signing>(['valid', 'missing_both']),
  };
}

// ---------------------------------------------------------------------------
// Content types, empty bodies and bytes that are not text
// ---------------------------------------------------------------------------

export function rawRequest(rng: Rng): FuzzRequest {
  const contentType = rng.pick<string | undefined>([
    undefined,
    'text/plain',
    'application/xml',
    'multipart/form-data; boundary=----x',
    'application/x-www-form-urlencoded; charset=utf-8',
    'APPLICATION/JSON',
    FORM,
    JSON_TYPE,
    'application/octet-stream',
    '',
    randomText(rng, 40).replace(/[^\x20-\x7e]/g, ''),
  ]);
  const kind = rng.int(0, 8);
  let body: Buffer;
  let signing: Signing = 'valid';
  switch (kind) {
    case 0:
      body = Buffer.alloc(0);
      break;
    case 1:
      body = invalidUtf8(rng);
      signing = rng.pick<Signing>(['valid', 'valid_over_decoded_text']);
      break;
    case 2:
      body = Buffer.from(Array.from({ length: rng.int(1, 2048) }, () => rng.int(0, 255)));
      signing = rng.pick<Signing>(['valid', 'valid_over_decoded_text']);
      break;
    case 3:
      body = Buffer.from(
        rng.pick(['[]', '123', '"x"', 'true', '{}', '-0', '1e999', '[null]', '{"type":null}']),
      );
      break;
    case 4:
      body = Buffer.from(`${'['.repeat(rng.pick([100, 5_000]))}${']'.repeat(rng.pick([100, 5_000]))}`);
      break;
    case 5:
      body = Buffer.from(hugeText(rng));
      break;
    case 6:
      body = Buffer.from(
        '------x\r\nContent-Disposition: form-data; name="payload"\r\n\r\n{"type":"block_actions"}\r\n------x--',
      );
      break;
    case 7:
      body = Buffer.concat([
        Buffer.from('{"type":"event_callback","event":{"type":"message","text":"'),
        invalidUtf8(rng),
        Buffer.from('"}}'),
      ]);
      signing = rng.pick<Signing>(['valid', 'valid_over_decoded_text']);
      break;
    default:
      body = Buffer.from(`${formEncode(randomText(rng, 20))}=${formEncode(randomText(rng, 40))}`);
  }
  // Whatever the body, the app may either refuse it (400) or find no listener for it (404 after a wait).
  return { category: 'content type and raw bytes', body, contentType, signing };
}

/** A correctly shaped request of any kind, signed badly: none of them may reach a listener. */
export function badlySigned(rng: Rng, foreign: ForeignIds): FuzzRequest {
  const base = rng.pick([
    slashCommand,
    (r: Rng) => blockActions(r, foreign),
    (r: Rng) => viewSubmission(r, foreign),
    (r: Rng) => eventRequest(r, foreign),
  ])(rng);
  return { ...base, category: 'bad signature', signing: rng.pick(BAD_SIGNINGS) };
}

/** The body as Bolt parses it: JSON, a form's `payload` as JSON, or a form's fields. */
function parsedBody(request: FuzzRequest): Record<string, unknown> | undefined {
  const text = request.body.toString('utf8');
  try {
    if (request.contentType?.startsWith(JSON_TYPE)) return JSON.parse(text) as Record<string, unknown>;
    const fields = new URLSearchParams(text);
    const payload = fields.get('payload');
    return payload === null
      ? Object.fromEntries(fields)
      : (JSON.parse(payload) as Record<string, unknown> | undefined);
  } catch {
    return undefined;
  }
}

const fieldOf = (value: unknown, key: string): unknown =>
  value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;

/**
 * Every team id Bolt 5 could authorise a request as (App.js `buildSource`), whatever type it takes the
 * request for: an event's first authorisation or else its `team_id`; a command's `team_id`; a view's
 * `app_installed_team_id`; an interaction's `team.id`, or its user's `team_id` when it has no team.
 */
export function teamsBoltMayAuthoriseAs(request: FuzzRequest): unknown[] {
  const body = parsedBody(request);
  if (!body || typeof body !== 'object') return [];
  const authorisations = body.authorizations;
  const team = body.team;
  return [
    body.team_id,
    Array.isArray(authorisations) ? fieldOf(authorisations[0], 'team_id') : undefined,
    team === undefined || team === null ? fieldOf(body.user, 'team_id') : fieldOf(team, 'id'),
    fieldOf(body.view, 'app_installed_team_id'),
  ].filter((team) => team !== undefined && team !== null);
}

/** The one team Bolt 5 authorises a request as, by the type it takes the request for. */
export function authorisingTeam(request: FuzzRequest): unknown {
  const body = parsedBody(request);
  if (!body || typeof body !== 'object') return undefined;
  if (body.event !== undefined) {
    const first = Array.isArray(body.authorizations) ? body.authorizations[0] : undefined;
    const authorised = fieldOf(first, 'team_id');
    return first !== undefined && authorised !== null ? authorised : body.team_id;
  }
  if (body.command !== undefined) return body.team_id;
  const installedIn =
    body.type === 'view_submission' || body.type === 'view_closed'
      ? fieldOf(body.view, 'app_installed_team_id')
      : undefined;
  if (installedIn) return installedIn;
  return body.team === undefined || body.team === null
    ? fieldOf(body.user, 'team_id')
    : fieldOf(body.team, 'id');
}

export interface FuzzPlan {
  slashCommands: number;
  blockActions: number;
  viewSubmissions: number;
  otherInteractions: number;
  events: number;
  handshakes: number;
  raw: number;
  badlySigned: number;
}

export function fuzzRequests(rng: Rng, foreign: ForeignIds, plan: FuzzPlan): FuzzRequest[] {
  const out: FuzzRequest[] = [];
  const add = (count: number, make: () => FuzzRequest) => {
    for (let i = 0; i < count; i += 1) out.push(make());
  };
  add(plan.slashCommands, () => slashCommand(rng));
  add(plan.blockActions, () => blockActions(rng, foreign));
  add(plan.viewSubmissions, () => viewSubmission(rng, foreign));
  add(plan.otherInteractions, () => otherInteraction(rng, foreign));
  add(plan.events, () => eventRequest(rng, foreign));
  add(plan.handshakes, () => handshake(rng));
  add(plan.raw, () => rawRequest(rng));
  add(plan.badlySigned, () => badlySigned(rng, foreign));
  // Shuffled, so that every kind of request is in flight beside every other.
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j] as FuzzRequest, out[i] as FuzzRequest];
  }
  return out;
}

/**
 * Runs `work` over `items`, at most `limit` at once. An item still unanswered after `patienceMs` gives
 * up its place but is still awaited, up to `outstanding` in all: Bolt holds a request no listener
 * acknowledges for three seconds of doing nothing, which would otherwise idle a place the app could be
 * working on.
 */
export async function inPool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  options: { patienceMs: number; outstanding: number } = {
    patienceMs: Number.POSITIVE_INFINITY,
    outstanding: limit,
  },
) {
  let next = 0;
  const pending = new Set<Promise<void>>();
  const worker = async () => {
    while (next < items.length) {
      while (pending.size >= options.outstanding) await Promise.race(pending);
      const item = items[next] as T;
      next += 1;
      const done = work(item).finally(() => pending.delete(done));
      pending.add(done);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        done,
        new Promise<void>((resolve) => (timer = setTimeout(resolve, options.patienceMs))),
      ]);
      clearTimeout(timer);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  await Promise.all(pending);
}
