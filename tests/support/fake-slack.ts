import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A stand-in for the Slack Web API, served over real HTTP so that the app's own
 * WebClient / Bolt wiring (serialisation, retries, error mapping) is exercised
 * end to end instead of being mocked away. It models just enough of Slack's
 * world (channels, users, messages, views) for the answers to depend on state
 * the way they do in production, and it rejects payloads Slack would reject so
 * that a broken Block Kit layout fails a test rather than a live demo.
 */

export type Fault =
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  | { kind: 'server_error'; status?: number }
  | { kind: 'error'; error: string }
  /**
   * Slack is slow to act: the call is only handled after `delayMs`, so a client
   * that gives up first may find nothing in history yet, and the message
   * appears later anyway (it is not cancelled by the client going away).
   */
  | { kind: 'slow'; delayMs: number }
  /**
   * Slack acts at once but the answer is lost on the way back: the call is
   * handled on arrival (a message is stored straight away) and the response is
   * held for `delayMs`, so a client with a shorter timeout sees a timeout for a
   * post that did happen — the case an "outcome unknown" check must catch.
   */
  | { kind: 'lost_response'; delayMs: number }
  | { kind: 'hang' };

/**
 * The POST of a file's bytes to the `upload_url` that files.getUploadURLExternal
 * hands out is not a Web API method, but it is recorded (`callsTo('upload')`)
 * and faulted (`failNext('upload', …)`) under this name like one. It has no
 * JSON envelope, so an `error` fault answers HTTP 400 with the error as text.
 */
export const UPLOAD_METHOD = 'upload';

/** Slack's message metadata, as chat.postMessage takes it and conversations.history returns it. */
export interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

/** A message as the fake holds it; `bot_id` is set on the app's own posts. */
export interface StoredMessage {
  ts: string;
  channel: string;
  text: string;
  blocks: unknown[] | undefined;
  user: string;
  bot_id?: string;
  thread_ts?: string;
  metadata?: MessageMetadata;
  /** Set on a message files.completeUploadExternal posted to share files. */
  files?: StoredFile[];
}

/** A shared file as the message that shares it carries it. */
export interface StoredFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  size: number;
  alt_txt?: string;
}

/** A file whose bytes reached its upload URL, as uploadedFiles() reports it. */
export interface UploadedFile {
  id: string;
  filename: string;
  /** The title files.completeUploadExternal gave it; the filename until then. */
  title: string;
  altText: string | undefined;
  snippetType: string | undefined;
  bytes: Buffer;
  /** Until files.completeUploadExternal finishes it, Slack shows the file nowhere. */
  completed: boolean;
  channelId?: string;
  threadTs?: string;
  /** The ts of the message that shared it in `channelId`. */
  messageTs?: string;
}

/** What an install through OAuth hands over; `expiresIn` turns token rotation on. */
export interface OAuthGrant {
  teamId: string;
  teamName?: string;
  userId: string;
  botUserId?: string;
  enterpriseId?: string;
  isEnterpriseInstall?: boolean;
  expiresIn?: number;
}

export interface RateLimit {
  perChannelPerSecond: number;
  retryAfterSeconds: number;
}

export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  token: string | undefined;
  at: number;
  fault?: Fault['kind'];
}

export interface ChannelSeed {
  id: string;
  name?: string;
  isPrivate?: boolean;
  isArchived?: boolean;
  isMember?: boolean;
  isIm?: boolean;
  /**
   * What conversations.members lists, as given (list the bot too if it
   * matters). Without it a channel holds every user not deleted, the bot only
   * while `isMember`, so users added after the channel count as well.
   */
  members?: string[];
}

export interface UserSeed {
  id: string;
  name?: string;
  realName?: string;
  tz?: string;
  deleted?: boolean;
  isBot?: boolean;
  /** What users.info says in `is_admin`; seeding the user again changes it. */
  isAdmin?: boolean;
  /** What users.info says in `is_owner`. */
  isOwner?: boolean;
}

export interface MessageSeed {
  channel: string;
  ts?: string;
  text?: string;
  blocks?: unknown[];
  user?: string;
  threadTs?: string;
  metadata?: MessageMetadata;
}

export interface FakeSlackOptions {
  teamId?: string;
  botUserId?: string;
  botId?: string;
  /**
   * A clock for new message ts values (still strictly increasing). Without it
   * they count up from 2023-11-14, which a history lookup bounded by a
   * present-day `oldest` would never find; pass the app's own clock when a test
   * depends on that bound.
   */
  now?: () => Date;
  /** The app's OAuth credentials: oauth.v2.access refuses others as Slack does. Unset, any are accepted. */
  client?: { id: string; secret: string };
}

export interface FakeSlack {
  /** Base URL for the Web API client, e.g. `http://127.0.0.1:1234/api/`. */
  readonly url: string;
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  readonly calls: readonly RecordedCall[];
  readonly violations: readonly string[];
  callsTo(method: string): RecordedCall[];
  waitForCall(
    method: string,
    predicate?: (call: RecordedCall) => boolean,
    timeoutMs?: number,
  ): Promise<RecordedCall>;
  /** Queues `fault` for the next `times` calls to `method`, which may be UPLOAD_METHOD. */
  failNext(method: string, fault: Fault, times?: number): void;
  /**
   * Like `failNext`, for the next `times` calls to `method` whose `channel` is
   * `channel` (a channel id, or a user id for a direct message) only; it comes
   * before a fault queued for the method as a whole.
   */
  failNextIn(method: string, channel: string, fault: Fault, times?: number): void;
  /**
   * From now on every call to `method` hits `fault` with `probability`, drawn
   * from a PRNG seeded with `seed`, so the n-th call's fate is the same on
   * every run. Several may be registered per method; each draws on every call
   * and the first that hits wins. A queued `failNext` fault still comes first.
   */
  setDefaultFault(method: string, fault: Fault, probability: number, seed?: number): void;
  /**
   * Answers 429 (recorded as `rate_limited`, nothing stored) once a channel has
   * had `perChannelPerSecond` calls of `method` in the last second. Limits apply
   * when a call is actually handled, so a `slow` call is counted when its delay
   * ends and a `lost_response` call can itself be the one refused.
   */
  setRateLimit(method: string, limit: RateLimit): void;
  /** Every message in a channel (or in the DM with a user id), replies included, oldest first. */
  messagesIn(channel: string): StoredMessage[];
  /** Every message in every channel, oldest first. */
  allMessages(): StoredMessage[];
  /** Every file whose bytes reached its upload URL, completed or not, in the order uploads began. */
  uploadedFiles(): UploadedFile[];
  /** The next oauth.v2.access exchanging `code` installs the app into this workspace. */
  grantOAuthCode(code: string, grant: OAuthGrant): void;
  addChannel(channel: ChannelSeed): void;
  addUser(user: UserSeed): void;
  /** Puts a message in the world so that later chat.update / chat.delete calls can find it; returns its ts. */
  addMessage(message: MessageSeed): string;
  /**
   * Registers a view as if Slack had opened it, for tests that fabricate an
   * interaction payload; returns the stored view (id, hash…) to embed in it.
   */
  addView(view: Record<string, unknown>): Record<string, unknown>;
  /** The id of the app's DM with this user, as chat.postMessage to the user id reports it. */
  dmChannelFor(userId: string): string;
  /** Where `apps.connections.open` sends a Socket Mode client; unset, the call fails as for an HTTP-only app. */
  setSocketModeUrl(url: string): void;
  /** From now on every call made with `token` answers `error`, as for a revoked or mistyped token. */
  refuseToken(token: string, error?: string): void;
  reset(): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------
// Block Kit checking
// ---------------------------------------------------------------------------

const MESSAGE_MAX_BLOCKS = 50;
const VIEW_MAX_BLOCKS = 100;

const BLOCK_TYPES = new Set([
  'section',
  'header',
  'divider',
  'context',
  'actions',
  'input',
  'image',
  'rich_text',
  'file',
]);

const SELECTS_WITH_PLACEHOLDER = [
  'static_select',
  'multi_static_select',
  'external_select',
  'multi_external_select',
  'users_select',
  'multi_users_select',
  'conversations_select',
  'multi_conversations_select',
  'channels_select',
  'multi_channels_select',
];

// Slack only accepts a given element inside certain blocks; using e.g. a
// plain_text_input in an actions block is rejected outright.
const SECTION_ACCESSORIES = new Set([
  'button',
  'checkboxes',
  'datepicker',
  'image',
  'overflow',
  'radio_buttons',
  'timepicker',
  ...SELECTS_WITH_PLACEHOLDER,
]);
const ACTIONS_ELEMENTS = new Set([
  'button',
  'checkboxes',
  'datepicker',
  'datetimepicker',
  'overflow',
  'radio_buttons',
  'timepicker',
  'rich_text_input',
  ...SELECTS_WITH_PLACEHOLDER,
]);
const INPUT_ELEMENTS = new Set([
  'plain_text_input',
  'checkboxes',
  'radio_buttons',
  'datepicker',
  'timepicker',
  'datetimepicker',
  'email_text_input',
  'url_text_input',
  'number_input',
  'file_input',
  'rich_text_input',
  ...SELECTS_WITH_PLACEHOLDER,
]);

type Problems = string[];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function problem(out: Problems, path: string, message: string): void {
  // Same pointer notation Slack uses in response_metadata.messages, so a
  // failure points at the offending field.
  out.push(`${message} [json-pointer:${path}]`);
}

function checkString(
  value: unknown,
  path: string,
  out: Problems,
  rules: { max: number; required?: boolean; nonEmpty?: boolean },
): void {
  if (value === undefined) {
    if (rules.required) problem(out, path, 'missing required field');
    return;
  }
  if (typeof value !== 'string') {
    problem(out, path, `must be a string, got ${typeof value}`);
    return;
  }
  if (rules.nonEmpty && value.length === 0) problem(out, path, 'must be more than 0 characters');
  if (value.length > rules.max) {
    problem(out, path, `must be at most ${rules.max} characters (got ${value.length})`);
  }
}

function checkText(
  value: unknown,
  path: string,
  out: Problems,
  rules: { max: number; plainOnly?: boolean; required?: boolean },
): void {
  if (value === undefined) {
    if (rules.required) problem(out, path, 'missing required field');
    return;
  }
  if (!isRecord(value)) {
    problem(out, path, 'must be a text object {type, text}');
    return;
  }
  const { type, text } = value;
  if (type !== 'plain_text' && type !== 'mrkdwn') {
    problem(out, `${path}/type`, `must be plain_text or mrkdwn, got ${JSON.stringify(type)}`);
  } else if (rules.plainOnly && type !== 'plain_text') {
    problem(out, `${path}/type`, `must be plain_text here, got ${type}`);
  }
  if (typeof text !== 'string') {
    problem(out, `${path}/text`, 'missing required field');
  } else {
    if (text.length === 0) problem(out, `${path}/text`, 'must be more than 0 characters');
    if (text.length > rules.max) {
      problem(out, `${path}/text`, `must be at most ${rules.max} characters (got ${text.length})`);
    }
  }
  if (type === 'mrkdwn' && 'emoji' in value)
    problem(out, `${path}/emoji`, 'emoji is only allowed on plain_text');
  if (type === 'plain_text' && 'verbatim' in value) {
    problem(out, `${path}/verbatim`, 'verbatim is only allowed on mrkdwn');
  }
}

function checkArray(
  value: unknown,
  path: string,
  out: Problems,
  rules: { min?: number; max: number; required?: boolean },
): unknown[] | undefined {
  if (value === undefined) {
    if (rules.required) problem(out, path, 'missing required field');
    return undefined;
  }
  if (!Array.isArray(value)) {
    problem(out, path, 'must be an array');
    return undefined;
  }
  const min = rules.min ?? 0;
  if (value.length < min) problem(out, path, `must provide at least ${min} item${min === 1 ? '' : 's'}`);
  if (value.length > rules.max)
    problem(out, path, `must provide at most ${rules.max} items (got ${value.length})`);
  return value;
}

function checkConfirm(value: unknown, path: string, out: Problems): void {
  if (value === undefined) return;
  if (!isRecord(value)) {
    problem(out, path, 'must be a confirmation dialog object');
    return;
  }
  checkText(value.title, `${path}/title`, out, { max: 100, plainOnly: true, required: true });
  checkText(value.text, `${path}/text`, out, { max: 300, required: true });
  checkText(value.confirm, `${path}/confirm`, out, { max: 30, plainOnly: true, required: true });
  checkText(value.deny, `${path}/deny`, out, { max: 30, plainOnly: true, required: true });
}

function checkOptions(
  value: unknown,
  path: string,
  out: Problems,
  rules: { min?: number; max: number; required?: boolean; allowMrkdwn?: boolean; allowUrl?: boolean },
): unknown[] | undefined {
  const options = checkArray(value, path, out, {
    min: rules.min ?? 1,
    max: rules.max,
    required: rules.required ?? false,
  });
  options?.forEach((option, i) => {
    const at = `${path}/${i}`;
    if (!isRecord(option)) {
      problem(out, at, 'must be an option object');
      return;
    }
    checkText(option.text, `${at}/text`, out, { max: 75, plainOnly: !rules.allowMrkdwn, required: true });
    checkString(option.value, `${at}/value`, out, { max: 150, required: true });
    checkText(option.description, `${at}/description`, out, { max: 75, plainOnly: !rules.allowMrkdwn });
    if (rules.allowUrl) checkString(option.url, `${at}/url`, out, { max: 3000 });
    else if (option.url !== undefined)
      problem(out, `${at}/url`, 'url is only allowed on overflow menu options');
  });
  return options;
}

function optionKey(option: unknown): string {
  if (!isRecord(option)) return JSON.stringify(option);
  const text = isRecord(option.text) ? option.text.text : undefined;
  return JSON.stringify([option.value, text]);
}

// Slack requires initial options to be exact copies of listed ones; a stale
// label with the right value is a classic cause of invalid_blocks.
function checkInitialOptions(
  element: Record<string, unknown>,
  options: unknown[] | undefined,
  path: string,
  out: Problems,
): void {
  if (!options) return;
  const known = new Set(options.map(optionKey));
  if (element.initial_option !== undefined && !known.has(optionKey(element.initial_option))) {
    problem(out, `${path}/initial_option`, 'must match one of the provided options');
  }
  if (element.initial_options !== undefined) {
    if (!Array.isArray(element.initial_options)) {
      problem(out, `${path}/initial_options`, 'must be an array');
    } else {
      element.initial_options.forEach((option, i) => {
        if (!known.has(optionKey(option))) {
          problem(out, `${path}/initial_options/${i}`, 'must match one of the provided options');
        }
      });
    }
  }
}

function checkElement(
  element: unknown,
  path: string,
  out: Problems,
  allowed: Set<string>,
  actionIds: Set<string>,
): void {
  if (!isRecord(element)) {
    problem(out, path, 'must be an element object');
    return;
  }
  const type = element.type;
  if (typeof type !== 'string') {
    problem(out, `${path}/type`, 'missing required field');
    return;
  }
  if (!allowed.has(type)) {
    problem(out, `${path}/type`, `element type ${JSON.stringify(type)} is not allowed here`);
    return;
  }
  if (type !== 'image') {
    checkString(element.action_id, `${path}/action_id`, out, { max: 255 });
    if (typeof element.action_id === 'string') {
      if (actionIds.has(element.action_id)) {
        problem(
          out,
          `${path}/action_id`,
          `duplicate action_id ${JSON.stringify(element.action_id)} in block`,
        );
      }
      actionIds.add(element.action_id);
    }
    checkConfirm(element.confirm, `${path}/confirm`, out);
  }
  if (SELECTS_WITH_PLACEHOLDER.includes(type) || type.endsWith('input') || type.endsWith('picker')) {
    checkText(element.placeholder, `${path}/placeholder`, out, { max: 150, plainOnly: true });
  }
  switch (type) {
    case 'button':
      checkText(element.text, `${path}/text`, out, { max: 75, plainOnly: true, required: true });
      checkString(element.value, `${path}/value`, out, { max: 2000 });
      checkString(element.url, `${path}/url`, out, { max: 3000 });
      checkString(element.accessibility_label, `${path}/accessibility_label`, out, { max: 75 });
      if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') {
        problem(out, `${path}/style`, 'must be primary or danger');
      }
      break;
    case 'static_select':
    case 'multi_static_select': {
      const hasOptions = element.options !== undefined;
      const hasGroups = element.option_groups !== undefined;
      if (hasOptions === hasGroups) {
        problem(out, path, 'must provide exactly one of options or option_groups');
      }
      let all: unknown[] | undefined;
      if (hasOptions) {
        all = checkOptions(element.options, `${path}/options`, out, { max: 100 });
      } else if (hasGroups) {
        const groups = checkArray(element.option_groups, `${path}/option_groups`, out, { min: 1, max: 100 });
        all = [];
        groups?.forEach((group, i) => {
          const at = `${path}/option_groups/${i}`;
          if (!isRecord(group)) {
            problem(out, at, 'must be an option group object');
            return;
          }
          checkText(group.label, `${at}/label`, out, { max: 75, plainOnly: true, required: true });
          const options = checkOptions(group.options, `${at}/options`, out, { max: 100, required: true });
          if (options) all?.push(...options);
        });
      }
      checkInitialOptions(element, all, path, out);
      break;
    }
    case 'overflow':
      checkOptions(element.options, `${path}/options`, out, {
        min: 2,
        max: 5,
        required: true,
        allowUrl: true,
      });
      break;
    case 'checkboxes':
    case 'radio_buttons': {
      const options = checkOptions(element.options, `${path}/options`, out, {
        max: 10,
        required: true,
        allowMrkdwn: true,
      });
      checkInitialOptions(element, options, path, out);
      break;
    }
    case 'plain_text_input': {
      const max = element.max_length;
      const min = element.min_length;
      if (max !== undefined && (typeof max !== 'number' || max < 1 || max > 3000)) {
        problem(out, `${path}/max_length`, 'must be a number between 1 and 3000');
      }
      if (min !== undefined && (typeof min !== 'number' || min < 0 || min > 3000)) {
        problem(out, `${path}/min_length`, 'must be a number between 0 and 3000');
      }
      if (typeof min === 'number' && typeof max === 'number' && min > max) {
        problem(out, `${path}/min_length`, 'must not be greater than max_length');
      }
      const limit = typeof max === 'number' ? Math.min(max, 3000) : 3000;
      checkString(element.initial_value, `${path}/initial_value`, out, { max: limit });
      break;
    }
    case 'datepicker':
      if (element.initial_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(element.initial_date))) {
        problem(out, `${path}/initial_date`, 'must be formatted YYYY-MM-DD');
      }
      break;
    case 'timepicker':
      if (
        element.initial_time !== undefined &&
        !/^([01]\d|2[0-3]):[0-5]\d$/.test(String(element.initial_time))
      ) {
        problem(out, `${path}/initial_time`, 'must be formatted HH:mm');
      }
      break;
    case 'number_input':
      if (typeof element.is_decimal_allowed !== 'boolean') {
        problem(out, `${path}/is_decimal_allowed`, 'missing required field');
      }
      break;
    case 'image':
      checkImageSource(element, path, out);
      break;
  }
}

function checkImageSource(image: Record<string, unknown>, path: string, out: Problems): void {
  if (image.image_url === undefined && image.slack_file === undefined) {
    problem(out, `${path}/image_url`, 'must provide image_url or slack_file');
  }
  checkString(image.image_url, `${path}/image_url`, out, { max: 3000, nonEmpty: true });
  checkString(image.alt_text, `${path}/alt_text`, out, { max: 2000, required: true, nonEmpty: true });
}

function checkBlock(block: unknown, path: string, out: Problems, blockIds: Set<string>): boolean {
  if (!isRecord(block)) {
    problem(out, path, 'must be a block object');
    return false;
  }
  const type = block.type;
  if (typeof type !== 'string') {
    problem(out, `${path}/type`, 'missing required field');
    return false;
  }
  if (!BLOCK_TYPES.has(type)) {
    problem(out, `${path}/type`, `unknown block type ${JSON.stringify(type)}`);
    return false;
  }
  checkString(block.block_id, `${path}/block_id`, out, { max: 255, nonEmpty: true });
  if (typeof block.block_id === 'string') {
    if (blockIds.has(block.block_id))
      problem(out, `${path}/block_id`, `duplicate block_id ${JSON.stringify(block.block_id)}`);
    blockIds.add(block.block_id);
  }
  const actionIds = new Set<string>();
  switch (type) {
    case 'section': {
      if (block.text === undefined && block.fields === undefined) {
        problem(out, path, 'must provide text or fields');
      }
      checkText(block.text, `${path}/text`, out, { max: 3000 });
      const fields = checkArray(block.fields, `${path}/fields`, out, { min: 1, max: 10 });
      fields?.forEach((field, i) => {
        checkText(field, `${path}/fields/${i}`, out, { max: 2000, required: true });
      });
      if (block.accessory !== undefined) {
        checkElement(block.accessory, `${path}/accessory`, out, SECTION_ACCESSORIES, actionIds);
      }
      break;
    }
    case 'header':
      checkText(block.text, `${path}/text`, out, { max: 150, plainOnly: true, required: true });
      break;
    case 'context': {
      const elements = checkArray(block.elements, `${path}/elements`, out, {
        min: 1,
        max: 10,
        required: true,
      });
      elements?.forEach((element, i) => {
        const at = `${path}/elements/${i}`;
        if (isRecord(element) && element.type === 'image') checkImageSource(element, at, out);
        else checkText(element, at, out, { max: 3000, required: true });
      });
      break;
    }
    case 'actions': {
      const elements = checkArray(block.elements, `${path}/elements`, out, {
        min: 1,
        max: 25,
        required: true,
      });
      elements?.forEach((element, i) => {
        checkElement(element, `${path}/elements/${i}`, out, ACTIONS_ELEMENTS, actionIds);
      });
      break;
    }
    case 'input':
      checkText(block.label, `${path}/label`, out, { max: 2000, plainOnly: true, required: true });
      checkText(block.hint, `${path}/hint`, out, { max: 2000, plainOnly: true });
      if (block.element === undefined) problem(out, `${path}/element`, 'missing required field');
      else checkElement(block.element, `${path}/element`, out, INPUT_ELEMENTS, actionIds);
      if (block.optional !== undefined && typeof block.optional !== 'boolean') {
        problem(out, `${path}/optional`, 'must be a boolean');
      }
      break;
    case 'image':
      checkImageSource(block, path, out);
      checkText(block.title, `${path}/title`, out, { max: 2000, plainOnly: true });
      break;
    case 'rich_text':
      checkArray(block.elements, `${path}/elements`, out, { max: Number.POSITIVE_INFINITY, required: true });
      break;
    case 'file':
      checkString(block.external_id, `${path}/external_id`, out, {
        max: 255,
        required: true,
        nonEmpty: true,
      });
      if (block.source !== 'remote') problem(out, `${path}/source`, 'must be remote');
      break;
  }
  return type === 'input';
}

function checkBlockList(
  blocks: unknown,
  path: string,
  out: Problems,
  maxBlocks: number,
): { hasInput: boolean } {
  const list = checkArray(blocks, path, out, { max: maxBlocks, required: true });
  const blockIds = new Set<string>();
  let hasInput = false;
  list?.forEach((block, i) => {
    if (checkBlock(block, `${path}/${i}`, out, blockIds)) hasInput = true;
  });
  return { hasInput };
}

/** Problems Slack would report for a message's `blocks`; an empty list means Slack would accept them. */
export function checkMessageBlocks(blocks: unknown): string[] {
  const out: Problems = [];
  checkBlockList(blocks, '/blocks', out, MESSAGE_MAX_BLOCKS);
  return out;
}

/** Problems Slack would report for a modal or App Home `view`; an empty list means Slack would accept it. */
export function checkView(view: unknown): string[] {
  const out: Problems = [];
  if (!isRecord(view)) {
    problem(out, '/view', 'must be a view object');
    return out;
  }
  const type = view.type;
  if (type !== 'modal' && type !== 'home') {
    problem(out, '/view/type', `must be modal or home, got ${JSON.stringify(type)}`);
  }
  const { hasInput } = checkBlockList(view.blocks, '/view/blocks', out, VIEW_MAX_BLOCKS);
  if (type === 'modal') {
    checkText(view.title, '/view/title', out, { max: 24, plainOnly: true, required: true });
    checkText(view.submit, '/view/submit', out, { max: 24, plainOnly: true });
    checkText(view.close, '/view/close', out, { max: 24, plainOnly: true });
    if (hasInput && view.submit === undefined) {
      problem(out, '/view/submit', 'is required when the view contains an input block');
    }
  }
  checkString(view.private_metadata, '/view/private_metadata', out, { max: 3000 });
  checkString(view.callback_id, '/view/callback_id', out, { max: 255 });
  checkString(view.external_id, '/view/external_id', out, { max: 255 });
  for (const flag of ['clear_on_close', 'notify_on_close', 'submit_disabled'] as const) {
    if (view[flag] !== undefined && typeof view[flag] !== 'boolean') {
      problem(out, `/view/${flag}`, 'must be a boolean');
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Request parsing
// ---------------------------------------------------------------------------

// The WebClient flattens every non-scalar argument into a JSON string inside a
// form body. Free-text fields are excluded so a message that happens to look
// like JSON stays the string the app sent.
const FREE_TEXT_PARAMS = new Set([
  'text',
  'markdown_text',
  'username',
  'icon_emoji',
  'icon_url',
  'private_metadata',
  'ts',
  'thread_ts',
  'channel',
  'channel_id',
  'user',
  'user_id',
  'message_ts',
  'cursor',
  'filename',
  'title',
  'alt_text',
  'alt_txt',
  'snippet_type',
  'initial_comment',
]);

function reviveNested(params: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(params)) {
    if (typeof value !== 'string' || FREE_TEXT_PARAMS.has(key)) continue;
    const trimmed = value.trimStart();
    if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) continue;
    try {
      params[key] = JSON.parse(value);
    } catch {
      // Leave it as sent: Slack would then reject it as malformed, and so do the handlers.
    }
  }
  return params;
}

function parseBody(contentType: string | undefined, raw: string): Record<string, unknown> | undefined {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (raw.length === 0) return {};
  if (mediaType === 'application/json') {
    try {
      const parsed: unknown = JSON.parse(raw);
      return isRecord(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  if (mediaType === 'application/x-www-form-urlencoded' || mediaType === '') {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  return undefined;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

// The WebClient posts a file's bytes as a multipart form with one file part;
// curl and other SDKs post them raw. Slack takes either.
async function uploadedBytes(contentType: string | undefined, raw: Buffer): Promise<Buffer | undefined> {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType !== 'multipart/form-data') return raw;
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(raw), {
      headers: { 'content-type': contentType ?? '' },
    }).formData();
  } catch {
    return undefined;
  }
  for (const value of form.values()) {
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// The world
// ---------------------------------------------------------------------------

interface ChannelState {
  id: string;
  name: string;
  isPrivate: boolean;
  isArchived: boolean;
  isMember: boolean;
  isIm: boolean;
  imUser: string | undefined;
  created: number;
  members?: string[] | undefined;
}

interface UserState {
  id: string;
  name: string;
  realName: string;
  tz: string;
  deleted: boolean;
  isBot: boolean;
  isAdmin: boolean;
  isOwner: boolean;
}

interface MessageState {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[] | undefined;
  threadTs: string | undefined;
  user: string;
  metadata?: MessageMetadata | undefined;
  fileIds?: string[] | undefined;
}

interface FileState {
  id: string;
  filename: string;
  length: number;
  altText: string | undefined;
  snippetType: string | undefined;
  created: number;
  bytes: Buffer | undefined;
  title: string | undefined;
  completed: boolean;
  channelId: string | undefined;
  threadTs: string | undefined;
  messageTs: string | undefined;
}

interface ViewState {
  view: Record<string, unknown>;
}

type Reply = { body: Record<string, unknown>; rejectedPayload?: string[] };

const WORLD_CREATED = 1_690_000_000;
const TS_BASE_SECONDS = 1_700_000_000;

// Slack's filetype and mimetype for the extensions the app is likely to send.
const FILE_KINDS: Record<string, { filetype: string; mimetype: string }> = {
  png: { filetype: 'png', mimetype: 'image/png' },
  jpg: { filetype: 'jpg', mimetype: 'image/jpeg' },
  jpeg: { filetype: 'jpg', mimetype: 'image/jpeg' },
  gif: { filetype: 'gif', mimetype: 'image/gif' },
  svg: { filetype: 'svg', mimetype: 'image/svg+xml' },
  pdf: { filetype: 'pdf', mimetype: 'application/pdf' },
  txt: { filetype: 'text', mimetype: 'text/plain' },
  md: { filetype: 'markdown', mimetype: 'text/plain' },
  csv: { filetype: 'csv', mimetype: 'text/csv' },
  json: { filetype: 'json', mimetype: 'application/json' },
};

function fileKind(filename: string): { filetype: string; mimetype: string } {
  const extension = filename.includes('.') ? filename.split('.').pop()?.toLowerCase() : undefined;
  return FILE_KINDS[extension ?? ''] ?? { filetype: 'binary', mimetype: 'application/octet-stream' };
}

function ok(body: Record<string, unknown> = {}): Reply {
  return { body: { ok: true, ...body } };
}

function fail(error: string, extra: Record<string, unknown> = {}): Reply {
  return { body: { ok: false, error, ...extra } };
}

// Argument errors are the app's fault rather than the world's, so they are
// also collected as violations.
function rejectPayload(error: string, problems: string[], withErrorsField = false): Reply {
  const messages = problems.map((p) => `[ERROR] ${p}`);
  return {
    body: {
      ok: false,
      error,
      ...(withErrorsField ? { errors: problems } : {}),
      response_metadata: { messages },
    },
    rejectedPayload: problems.length > 0 ? problems : [error],
  };
}

function tzDetails(tz: string, at: Date): { label: string; offset: number } {
  const part = (style: 'long' | 'longOffset') =>
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: style })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(part('longOffset'));
  const offset = match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 3600 + Number(match[3]) * 60) : 0;
  return { label: part('long') || tz, offset };
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

// The WebClient sends booleans as form strings; JSON callers send real ones.
function asFlag(value: unknown): boolean {
  return value === true || value === 'true' || value === 1 || value === '1';
}

// Microseconds fit a double exactly until the year 2255, so ts values compare
// as numbers without the rounding that parseFloat("1700000000.000100") risks.
function tsMicros(ts: string): number | undefined {
  const match = /^(\d{1,11})(?:\.(\d{1,6}))?$/.exec(ts);
  if (!match?.[1]) return undefined;
  return Number(match[1]) * 1_000_000 + Number((match[2] ?? '').padEnd(6, '0'));
}

function microsToTs(micros: number): string {
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

function compareTs(a: { ts: string }, b: { ts: string }): number {
  return (tsMicros(a.ts) ?? 0) - (tsMicros(b.ts) ?? 0);
}

// Slack's own cursor format: base64 of "next_ts:" and the ts without its dot.
function encodeCursor(micros: number): string {
  return Buffer.from(`next_ts:${micros}`).toString('base64');
}

function decodeCursor(cursor: string): number | undefined {
  const match = /^next_ts:(\d{1,17})$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return match?.[1] ? Number(match[1]) : undefined;
}

// Slack's member cursors are base64 of "user:" and the next member's id.
function encodeMemberCursor(userId: string): string {
  return Buffer.from(`user:${userId}`).toString('base64');
}

function decodeMemberCursor(cursor: string): string | undefined {
  return /^user:([A-Z0-9]+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'))?.[1];
}

function pageLimit(value: unknown, fallback: number, max: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n < 1) return fallback;
  return Math.min(Math.floor(n), max);
}

// mulberry32: tiny, seedable and good enough to spread faults evenly.
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function hashSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

const FAULT_KINDS = new Set<Fault['kind']>([
  'rate_limited',
  'server_error',
  'error',
  'slow',
  'lost_response',
  'hang',
]);

function checkFault(fault: Fault, where: string): void {
  if (!isRecord(fault) || !FAULT_KINDS.has(fault.kind)) {
    throw new Error(`${where}: unknown fault ${JSON.stringify(fault)}`);
  }
  if ((fault.kind === 'slow' || fault.kind === 'lost_response') && !(fault.delayMs >= 0)) {
    throw new Error(`${where}: ${fault.kind} needs a delayMs of 0 or more`);
  }
}

function isMetadata(value: unknown): value is MessageMetadata {
  return (
    isRecord(value) &&
    typeof value.event_type === 'string' &&
    value.event_type.length > 0 &&
    isRecord(value.event_payload)
  );
}

// Checked the way Slack does: a JSON object with a string event_type and an
// object event_payload; anything else is the app's mistake.
function checkMetadata(value: unknown): Reply | undefined {
  if (value === undefined || value === '') return undefined;
  if (!isRecord(value)) {
    return rejectPayload('invalid_metadata_format', [
      'metadata must be a JSON object [json-pointer:/metadata]',
    ]);
  }
  const problems: string[] = [];
  if (typeof value.event_type !== 'string' || value.event_type.length === 0) {
    problems.push('missing required field [json-pointer:/metadata/event_type]');
  }
  if (!isRecord(value.event_payload)) {
    problems.push('must be a JSON object [json-pointer:/metadata/event_payload]');
  }
  return problems.length > 0 ? rejectPayload('invalid_metadata_schema', problems) : undefined;
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const teamId = options.teamId ?? 'T0FAKETEAM';
  const botUserId = options.botUserId ?? 'U0FAKEBOT';
  const botId = options.botId ?? 'B0FAKEBOT';
  const appId = 'A0FAKEAPP';
  const teamDomain = 'fake-workspace';

  const calls: RecordedCall[] = [];
  const violations: string[] = [];
  const faults = new Map<string, Fault[]>();
  const channelFaults = new Map<string, Fault[]>();
  const channelFaultKey = (method: string, channel: string) => `${method} ${channel}`;
  type DefaultFault = { fault: Fault; probability: number; draw: () => number };
  const defaultFaults = new Map<string, DefaultFault[]>();
  const rateLimits = new Map<string, RateLimit & { admitted: Map<string, number[]> }>();
  const channels = new Map<string, ChannelState>();
  const users = new Map<string, UserState>();
  const messages = new Map<string, MessageState>();
  const views = new Map<string, ViewState>();
  const uploads = new Map<string, FileState>();
  const homeViewIds = new Map<string, string>();
  const timers = new Set<NodeJS.Timeout>();
  type Waiter = {
    method: string;
    predicate: (call: RecordedCall) => boolean;
    resolve: (call: RecordedCall) => void;
    reject: (error: Error) => void;
    timer: NodeJS.Timeout;
  };
  const waiters = new Set<Waiter>();
  let tsCounter = 0;
  let lastTsMicros = 0;
  let viewCounter = 0;
  let fileCounter = 0;
  let hashCounter = 0;
  let closed = false;

  // Monotonic and unique across reset() so a ts can never be confused with an
  // earlier message's.
  const nextTs = () => {
    tsCounter += 1;
    const micros = options.now
      ? Math.max(options.now().getTime() * 1000, lastTsMicros + 1)
      : TS_BASE_SECONDS * 1_000_000 + tsCounter * 100;
    lastTsMicros = micros;
    return microsToTs(micros);
  };
  const nextViewId = () => {
    viewCounter += 1;
    return `V0FAKE${String(viewCounter).padStart(5, '0')}`;
  };
  const nextFileId = () => {
    fileCounter += 1;
    return `F0FAKE${String(fileCounter).padStart(5, '0')}`;
  };
  const nextHash = () => {
    hashCounter += 1;
    return `${TS_BASE_SECONDS + hashCounter}.${hashCounter.toString(16).padStart(8, '0')}`;
  };

  const addUser = (seed: UserSeed) => {
    const tz = seed.tz ?? 'Europe/London';
    tzDetails(tz, new Date()); // Throws RangeError now rather than mid-test on a bad zone.
    const name = seed.name ?? seed.id.toLowerCase();
    users.set(seed.id, {
      id: seed.id,
      name,
      realName: seed.realName ?? name,
      tz,
      deleted: seed.deleted ?? false,
      isBot: seed.isBot ?? false,
      isAdmin: seed.isAdmin ?? false,
      isOwner: seed.isOwner ?? false,
    });
  };

  const addChannel = (seed: ChannelSeed) => {
    channels.set(seed.id, {
      id: seed.id,
      name: seed.name ?? seed.id.toLowerCase(),
      isPrivate: seed.isPrivate ?? false,
      isArchived: seed.isArchived ?? false,
      isMember: seed.isMember ?? true,
      isIm: seed.isIm ?? false,
      imUser: undefined,
      created: WORLD_CREATED,
      members: seed.members ? [...seed.members] : undefined,
    });
  };

  const dmIdFor = (userId: string) => `D${userId.slice(1)}`;

  const dmChannelFor = (userId: string): string => {
    const id = dmIdFor(userId);
    if (!channels.has(id)) {
      channels.set(id, {
        id,
        name: id,
        isPrivate: true,
        isArchived: false,
        isMember: true,
        isIm: true,
        imUser: userId,
        created: WORLD_CREATED,
      });
    }
    return id;
  };

  addUser({ id: botUserId, name: 'learning-bot', realName: 'Learning Thread', isBot: true });

  const isUserId = (id: string) => /^[UW][A-Z0-9]+$/.test(id);

  const findChannel = (ref: string): ChannelState | undefined => {
    const byId = channels.get(ref);
    if (byId) return byId;
    const name = ref.startsWith('#') ? ref.slice(1) : ref;
    for (const channel of channels.values()) {
      if (!channel.isIm && channel.name === name) return channel;
    }
    return undefined;
  };

  // Where a chat.postMessage / postEphemeral would land, or why Slack refuses.
  const resolvePostTarget = (ref: unknown): ChannelState | Reply => {
    const id = asString(ref);
    if (!id) return fail('channel_not_found');
    if (isUserId(id)) {
      const user = users.get(id);
      if (!user) return fail('channel_not_found');
      if (user.isBot && user.id !== botUserId) return fail('cannot_dm_bot');
      const dm = channels.get(dmChannelFor(id));
      return dm ?? fail('channel_not_found');
    }
    const channel = findChannel(id);
    if (!channel) return fail('channel_not_found');
    if (channel.isArchived) return fail('is_archived');
    // Public channels are reachable without joining thanks to chat:write.public.
    if ((channel.isPrivate || channel.isIm) && !channel.isMember) return fail('not_in_channel');
    return channel;
  };

  // History and replies need membership even where posting does not: a bot
  // token reads only conversations the bot is in, chat:write.public or not.
  const resolveReadable = (ref: unknown): ChannelState | Reply => {
    const channel = findChannel(asString(ref) ?? '');
    if (!channel) return fail('channel_not_found');
    if (!channel.isMember) return fail('not_in_channel');
    return channel;
  };

  const sortedMessages = (filter: (m: MessageState) => boolean): MessageState[] =>
    [...messages.values()].filter(filter).sort(compareTs);

  const repliesTo = (m: MessageState): MessageState[] =>
    sortedMessages((r) => r.channel === m.channel && r.threadTs === m.ts);

  const sharedFiles = (m: MessageState): FileState[] =>
    (m.fileIds ?? []).flatMap((id) => {
      const file = uploads.get(id);
      return file ? [file] : [];
    });

  const storedFile = (f: FileState): StoredFile => ({
    id: f.id,
    name: f.filename,
    title: f.title ?? f.filename,
    mimetype: fileKind(f.filename).mimetype,
    size: f.bytes?.length ?? f.length,
    ...(f.altText ? { alt_txt: f.altText } : {}),
  });

  const fileObject = (f: FileState): Record<string, unknown> => {
    const { filetype, mimetype } = fileKind(f.filename);
    const name = encodeURIComponent(f.filename);
    const channel = f.channelId ? channels.get(f.channelId) : undefined;
    return {
      id: f.id,
      created: f.created,
      timestamp: f.created,
      name: f.filename,
      title: f.title ?? f.filename,
      mimetype,
      filetype,
      pretty_type: filetype === 'binary' ? 'Binary' : filetype.toUpperCase(),
      user: botUserId,
      user_team: teamId,
      editable: false,
      size: f.bytes?.length ?? f.length,
      mode: 'hosted',
      is_external: false,
      external_type: '',
      is_public: channel ? !channel.isPrivate && !channel.isIm : false,
      public_url_shared: false,
      display_as_bot: false,
      username: '',
      url_private: `https://files.slack.com/files-pri/${teamId}-${f.id}/${name}`,
      url_private_download: `https://files.slack.com/files-pri/${teamId}-${f.id}/download/${name}`,
      permalink: `https://${teamDomain}.slack.com/files/${botUserId}/${f.id}/${name}`,
      ...(f.altText ? { alt_txt: f.altText } : {}),
      comments_count: 0,
      is_starred: false,
      has_rich_preview: false,
      file_access: 'visible',
    };
  };

  // What a message that shares files carries on top of an ordinary one.
  const fileFields = (m: MessageState): Record<string, unknown> => {
    const shared = sharedFiles(m);
    return shared.length > 0 ? { files: shared.map(fileObject), upload: true, display_as_bot: false } : {};
  };

  const storedMessage = (m: MessageState): StoredMessage => {
    const shared = sharedFiles(m);
    return structuredClone({
      ts: m.ts,
      channel: m.channel,
      text: m.text,
      blocks: m.blocks,
      user: m.user,
      ...(m.user === botUserId ? { bot_id: botId } : {}),
      ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
      ...(m.metadata ? { metadata: m.metadata } : {}),
      ...(shared.length > 0 ? { files: shared.map(storedFile) } : {}),
    });
  };

  const withBlockIds = (blocks: unknown[]): unknown[] =>
    blocks.map((block, i) =>
      isRecord(block) && block.block_id === undefined ? { ...block, block_id: `fk${i.toString(36)}` } : block,
    );

  const checkMessagePayload = (
    params: Record<string, unknown>,
    requireContent: boolean,
  ): Reply | undefined => {
    const { text, blocks, attachments } = params;
    const hasText = typeof text === 'string' && text.length > 0;
    const hasBlocks = Array.isArray(blocks) ? blocks.length > 0 : blocks !== undefined && blocks !== '';
    const hasAttachments = attachments !== undefined && attachments !== '';
    if (requireContent && !hasText && !hasBlocks && !hasAttachments) return rejectPayload('no_text', []);
    if (typeof text === 'string' && text.length > 40_000) {
      return rejectPayload('msg_too_long', [`text must be at most 40000 characters (got ${text.length})`]);
    }
    if (blocks !== undefined) {
      if (!Array.isArray(blocks)) {
        return rejectPayload('invalid_blocks_format', ['blocks must be a JSON array [json-pointer:/blocks]']);
      }
      const problems = checkMessageBlocks(blocks);
      if (problems.length > 0) return rejectPayload('invalid_blocks', problems, true);
    }
    return undefined;
  };

  const parentUserOf = (m: MessageState): string =>
    messages.get(`${m.channel}/${m.threadTs ?? ''}`)?.user ?? m.user;

  const messageObject = (m: MessageState): Record<string, unknown> => ({
    user: m.user,
    type: 'message',
    ts: m.ts,
    bot_id: botId,
    app_id: appId,
    text: m.text,
    team: teamId,
    bot_profile: {
      id: botId,
      app_id: appId,
      name: 'Learning Thread',
      icons: {},
      deleted: false,
      updated: WORLD_CREATED,
      team_id: teamId,
    },
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.threadTs ? { thread_ts: m.threadTs, parent_user_id: parentUserOf(m) } : {}),
    ...fileFields(m),
  });

  // A message as conversations.history / replies list it: a person's message
  // carries no bot fields, a parent summarises its thread, and metadata is
  // only returned on request.
  const listedMessage = (m: MessageState, includeMetadata: boolean): Record<string, unknown> => {
    const base: Record<string, unknown> =
      m.user === botUserId
        ? messageObject(m)
        : {
            user: m.user,
            type: 'message',
            ts: m.ts,
            text: m.text,
            team: teamId,
            ...(m.blocks ? { blocks: m.blocks } : {}),
            ...(m.threadTs ? { thread_ts: m.threadTs, parent_user_id: parentUserOf(m) } : {}),
            ...fileFields(m),
          };
    const replies = m.threadTs ? [] : repliesTo(m);
    const replyUsers = [...new Set(replies.map((r) => r.user))];
    return {
      ...base,
      ...(replies.length > 0
        ? {
            thread_ts: m.ts,
            reply_count: replies.length,
            reply_users_count: replyUsers.length,
            latest_reply: replies[replies.length - 1]?.ts,
            reply_users: replyUsers,
            is_locked: false,
            subscribed: false,
          }
        : {}),
      ...(includeMetadata && m.metadata ? { metadata: structuredClone(m.metadata) } : {}),
    };
  };

  // Shared by history (newest first) and replies (oldest first): the
  // oldest/latest window, then a cursor that names the next message to return.
  const listPage = (
    ordered: MessageState[],
    params: Record<string, unknown>,
    limits: { fallback: number; max: number; newestFirst: boolean },
  ): Reply => {
    const oldestRef = asString(params.oldest);
    const latestRef = asString(params.latest);
    const oldest = oldestRef === undefined ? undefined : tsMicros(oldestRef);
    const latest = latestRef === undefined ? undefined : tsMicros(latestRef);
    if (oldestRef !== undefined && oldest === undefined) return fail('invalid_ts_oldest');
    if (latestRef !== undefined && latest === undefined) return fail('invalid_ts_latest');
    const cursorRef = asString(params.cursor);
    const cursor = cursorRef === undefined ? undefined : decodeCursor(cursorRef);
    if (cursorRef !== undefined && cursor === undefined) return fail('invalid_cursor');
    const inclusive = asFlag(params.inclusive);
    const inRange = ordered.filter((m) => {
      const at = tsMicros(m.ts) ?? 0;
      if (oldest !== undefined && (inclusive ? at < oldest : at <= oldest)) return false;
      if (latest !== undefined && (inclusive ? at > latest : at >= latest)) return false;
      if (cursor !== undefined && (limits.newestFirst ? at > cursor : at < cursor)) return false;
      return true;
    });
    const limit = pageLimit(params.limit, limits.fallback, limits.max);
    const page = inRange.slice(0, limit);
    const next = inRange[limit];
    const includeMetadata = asFlag(params.include_all_metadata);
    return ok({
      messages: page.map((m) => listedMessage(m, includeMetadata)),
      has_more: next !== undefined,
      response_metadata: { next_cursor: next ? encodeCursor(tsMicros(next.ts) ?? 0) : '' },
    });
  };

  const channelObject = (c: ChannelState): Record<string, unknown> => {
    if (c.isIm) {
      return {
        id: c.id,
        created: c.created,
        is_archived: c.isArchived,
        is_im: true,
        is_org_shared: false,
        context_team_id: teamId,
        updated: c.created * 1000,
        user: c.imUser ?? '',
        is_user_deleted: c.imUser ? (users.get(c.imUser)?.deleted ?? false) : false,
        priority: 0,
      };
    }
    const legacyGroup = c.id.startsWith('G');
    return {
      id: c.id,
      name: c.name,
      is_channel: !legacyGroup,
      is_group: legacyGroup,
      is_im: false,
      is_mpim: false,
      is_private: c.isPrivate,
      created: c.created,
      is_archived: c.isArchived,
      is_general: false,
      unlinked: 0,
      name_normalized: c.name,
      is_shared: false,
      is_org_shared: false,
      is_pending_ext_shared: false,
      pending_shared: [],
      context_team_id: teamId,
      updated: c.created * 1000,
      parent_conversation: null,
      creator: 'U0CREATOR',
      is_ext_shared: false,
      shared_team_ids: [teamId],
      pending_connected_team_ids: [],
      is_member: c.isMember,
      topic: { value: '', creator: '', last_set: 0 },
      purpose: { value: '', creator: '', last_set: 0 },
      previous_names: [],
    };
  };

  const userObject = (u: UserState): Record<string, unknown> => {
    const { label, offset } = tzDetails(u.tz, new Date());
    return {
      id: u.id,
      team_id: teamId,
      name: u.name,
      deleted: u.deleted,
      color: '9f69e7',
      real_name: u.realName,
      tz: u.tz,
      tz_label: label,
      tz_offset: offset,
      profile: {
        title: '',
        phone: '',
        skype: '',
        real_name: u.realName,
        real_name_normalized: u.realName,
        display_name: u.name,
        display_name_normalized: u.name,
        fields: null,
        status_text: '',
        status_emoji: '',
        status_expiration: 0,
        avatar_hash: 'g000000000000',
        first_name: u.realName.split(' ')[0] ?? u.realName,
        last_name: u.realName.split(' ').slice(1).join(' '),
        team: teamId,
        ...(u.isBot ? { bot_id: botId, api_app_id: appId, always_active: true } : {}),
      },
      is_admin: u.isAdmin,
      is_owner: u.isOwner,
      is_primary_owner: false,
      is_restricted: false,
      is_ultra_restricted: false,
      is_bot: u.isBot,
      is_app_user: false,
      updated: WORLD_CREATED,
      is_email_confirmed: !u.isBot,
      who_can_share_contact_card: 'EVERYONE',
    };
  };

  const viewObject = (
    id: string,
    view: Record<string, unknown>,
    extra: { rootViewId?: string; previousViewId?: string | null } = {},
  ): Record<string, unknown> => ({
    id,
    team_id: teamId,
    type: view.type,
    blocks: Array.isArray(view.blocks) ? withBlockIds(view.blocks) : [],
    private_metadata: typeof view.private_metadata === 'string' ? view.private_metadata : '',
    callback_id: typeof view.callback_id === 'string' ? view.callback_id : '',
    state: { values: {} },
    hash: nextHash(),
    title: view.title ?? null,
    clear_on_close: view.clear_on_close ?? false,
    notify_on_close: view.notify_on_close ?? false,
    close: view.close ?? null,
    submit: view.submit ?? null,
    previous_view_id: extra.previousViewId ?? null,
    root_view_id: extra.rootViewId ?? id,
    app_id: appId,
    external_id: typeof view.external_id === 'string' ? view.external_id : '',
    app_installed_team_id: teamId,
    bot_id: botId,
  });

  const checkViewPayload = (view: unknown, expectedType: 'modal' | 'home'): Reply | undefined => {
    if (view === undefined) return rejectPayload('invalid_arguments', ['missing required field: view']);
    if (!isRecord(view))
      return rejectPayload('invalid_arguments', ['view must be a JSON object [json-pointer:/view]']);
    const problems = checkView(view);
    if (view.type !== expectedType && (view.type === 'modal' || view.type === 'home')) {
      problems.push(`must be ${expectedType} for this method [json-pointer:/view/type]`);
    }
    return problems.length > 0 ? rejectPayload('invalid_arguments', problems) : undefined;
  };

  const openOrPush = (params: Record<string, unknown>): Reply => {
    if (!asString(params.trigger_id) && !asString(params.interactivity_pointer)) {
      return rejectPayload('invalid_arguments', ['missing required field: trigger_id']);
    }
    const rejected = checkViewPayload(params.view, 'modal');
    if (rejected) return rejected;
    const id = nextViewId();
    const view = viewObject(id, params.view as Record<string, unknown>);
    views.set(id, { view });
    return ok({ view });
  };

  const membersOf = (c: ChannelState): string[] => {
    if (c.isIm) return c.imUser ? [c.imUser, botUserId] : [botUserId];
    if (c.members) return [...c.members];
    return [...users.values()]
      .filter((u) => !u.deleted && (u.id !== botUserId || c.isMember))
      .map((u) => u.id);
  };

  // Unlike chat.postMessage there is no chat:write.public for files: the bot
  // must be in the channel, public or not.
  const resolveShareTarget = (ref: string): ChannelState | Reply => {
    const channel = channels.get(ref);
    if (!channel) return fail('channel_not_found');
    if (channel.isArchived) return fail('is_archived');
    if (!channel.isMember) return fail('not_in_channel');
    return channel;
  };

  let socketModeUrl: string | undefined;
  const refusedTokens = new Map<string, string>();

  // Installations made through oauth.v2.access: each access token answers auth.test as its own workspace.
  const oauthCodes = new Map<string, OAuthGrant>();
  const issuedTokens = new Map<string, OAuthGrant>();
  const refreshTokens = new Map<string, OAuthGrant>();
  let issued = 0;
  const issueTokens = (grant: OAuthGrant) => {
    issued += 1;
    const accessToken = `xoxb-${grant.teamId}-${issued}-fake`;
    issuedTokens.set(accessToken, grant);
    const rotation = grant.expiresIn
      ? { refresh_token: `xoxe-1-${grant.teamId}-${issued}-fake`, expires_in: grant.expiresIn }
      : {};
    if (rotation.refresh_token) refreshTokens.set(rotation.refresh_token, grant);
    return { access_token: accessToken, ...rotation };
  };

  const handlers: Record<string, (params: Record<string, unknown>, token?: string) => Reply> = {
    'apps.connections.open': () => (socketModeUrl ? ok({ url: socketModeUrl }) : fail('invalid_auth')),
    'auth.test': (_params, token) => {
      const grant = token ? issuedTokens.get(token) : undefined;
      if (token?.startsWith('xoxb-') && token.endsWith('-fake') && !grant) return fail('invalid_auth');
      return ok({
        url: `https://${teamDomain}.slack.com/`,
        team: grant?.teamName ?? 'Fake Workspace',
        user: users.get(botUserId)?.name ?? 'learning-bot',
        team_id: grant ? (grant.isEnterpriseInstall ? undefined : grant.teamId) : teamId,
        user_id: grant?.botUserId ?? botUserId,
        bot_id: botId,
        is_enterprise_install: grant?.isEnterpriseInstall ?? false,
        ...(grant?.enterpriseId ? { enterprise_id: grant.enterpriseId } : {}),
      });
    },
    // Exchanging an install's code, or a refresh token when token rotation is on. A refresh token works
    // once, as Slack's do; the access token it replaces keeps working until it would have expired.
    'oauth.v2.access': (params) => {
      if (!params.client_id || !params.client_secret) return fail('invalid_client_id');
      if (options.client && params.client_id !== options.client.id) return fail('invalid_client_id');
      if (options.client && params.client_secret !== options.client.secret) return fail('bad_client_secret');
      if (params.grant_type === 'refresh_token') {
        const refreshToken = asString(params.refresh_token) ?? '';
        const grant = refreshTokens.get(refreshToken);
        if (!grant) return fail('invalid_refresh_token');
        refreshTokens.delete(refreshToken);
        return ok({ token_type: 'bot', ...issueTokens(grant) });
      }
      const code = asString(params.code) ?? '';
      const grant = oauthCodes.get(code);
      if (!grant) return fail('invalid_code');
      oauthCodes.delete(code);
      return ok({
        token_type: 'bot',
        scope: 'chat:write,commands',
        bot_user_id: grant.botUserId ?? botUserId,
        app_id: 'A0FAKEAPP',
        team: grant.isEnterpriseInstall ? null : { id: grant.teamId, name: grant.teamName ?? grant.teamId },
        enterprise: grant.enterpriseId ? { id: grant.enterpriseId, name: grant.enterpriseId } : null,
        is_enterprise_install: grant.isEnterpriseInstall ?? false,
        authed_user: { id: grant.userId },
        ...issueTokens(grant),
      });
    },

    'chat.postMessage': (params) => {
      const rejected = checkMessagePayload(params, true) ?? checkMetadata(params.metadata);
      if (rejected) return rejected;
      const target = resolvePostTarget(params.channel);
      if ('body' in target) return target;
      const threadTs = asString(params.thread_ts);
      const message: MessageState = {
        channel: target.id,
        ts: nextTs(),
        text: typeof params.text === 'string' ? params.text : '',
        blocks: Array.isArray(params.blocks) ? withBlockIds(params.blocks) : undefined,
        threadTs,
        user: botUserId,
        metadata: isMetadata(params.metadata) ? structuredClone(params.metadata) : undefined,
      };
      messages.set(`${message.channel}/${message.ts}`, message);
      return ok({ channel: target.id, ts: message.ts, message: messageObject(message) });
    },

    'chat.postEphemeral': (params) => {
      if (!asString(params.user)) return rejectPayload('invalid_arguments', ['missing required field: user']);
      const rejected = checkMessagePayload(params, true);
      if (rejected) return rejected;
      const target = resolvePostTarget(params.channel);
      if ('body' in target) return target;
      const recipient = users.get(String(params.user));
      if (recipient?.deleted) return fail('user_not_in_channel');
      // Ephemeral messages are never stored by Slack, so they cannot be updated later.
      return ok({ message_ts: nextTs() });
    },

    'chat.update': (params) => {
      const rejected = checkMessagePayload(params, true) ?? checkMetadata(params.metadata);
      if (rejected) return rejected;
      const channel = findChannel(asString(params.channel) ?? '');
      if (!channel) return fail('channel_not_found');
      const ts = asString(params.ts);
      const message = ts ? messages.get(`${channel.id}/${ts}`) : undefined;
      if (!message) return fail('message_not_found');
      if (channel.isArchived) return fail('is_archived');
      if (message.user !== botUserId) return fail('cant_update_message');
      if (typeof params.text === 'string') message.text = params.text;
      if (Array.isArray(params.blocks)) message.blocks = withBlockIds(params.blocks);
      if (isMetadata(params.metadata)) message.metadata = structuredClone(params.metadata);
      return ok({ channel: channel.id, ts: message.ts, text: message.text, message: messageObject(message) });
    },

    'chat.delete': (params) => {
      const channel = findChannel(asString(params.channel) ?? '');
      if (!channel) return fail('channel_not_found');
      const ts = asString(params.ts);
      const key = `${channel.id}/${ts ?? ''}`;
      const message = messages.get(key);
      if (!message) return fail('message_not_found');
      if (message.user !== botUserId) return fail('cant_delete_message');
      messages.delete(key);
      return ok({ channel: channel.id, ts: message.ts });
    },

    'chat.getPermalink': (params) => {
      const channel = findChannel(asString(params.channel) ?? '');
      if (!channel || (channel.isPrivate && !channel.isMember)) return fail('channel_not_found');
      const ts = asString(params.message_ts);
      if (!ts) return rejectPayload('invalid_arguments', ['missing required field: message_ts']);
      const message = messages.get(`${channel.id}/${ts}`);
      if (!message) return fail('message_not_found');
      const archived = `https://${teamDomain}.slack.com/archives/${channel.id}/p${ts.replace('.', '')}`;
      // A reply's link opens its thread, so Slack names the parent too.
      const thread = message.threadTs ? `?thread_ts=${message.threadTs}&cid=${channel.id}` : '';
      return ok({ channel: channel.id, permalink: `${archived}${thread}` });
    },

    'conversations.history': (params) => {
      const channel = resolveReadable(params.channel);
      if ('body' in channel) return channel;
      const topLevel = sortedMessages((m) => m.channel === channel.id && !m.threadTs).reverse();
      return listPage(topLevel, params, { fallback: 100, max: 999, newestFirst: true });
    },

    'conversations.replies': (params) => {
      const channel = resolveReadable(params.channel);
      if ('body' in channel) return channel;
      const ts = asString(params.ts);
      if (!ts) return rejectPayload('invalid_arguments', ['missing required field: ts']);
      // Slack accepts the ts of any message in the thread, not just the parent's.
      const rootTs = messages.get(`${channel.id}/${ts}`)?.threadTs ?? ts;
      const root = messages.get(`${channel.id}/${rootTs}`);
      const thread = sortedMessages(
        (m) => m.channel === channel.id && (m.ts === rootTs || m.threadTs === rootTs),
      );
      if (!root && thread.length === 0) return fail('thread_not_found');
      return listPage(thread, params, { fallback: 1000, max: 1000, newestFirst: false });
    },

    'conversations.open': (params) => {
      const returnIm = asFlag(params.return_im);
      const answerWith = (channel: ChannelState, existed: boolean) =>
        ok({
          ...(existed ? { no_op: true, already_open: true } : {}),
          channel: returnIm ? channelObject(channel) : { id: channel.id },
        });
      const channelRef = asString(params.channel);
      if (channelRef) {
        const channel = channels.get(channelRef);
        return channel?.isIm ? answerWith(channel, true) : fail('channel_not_found');
      }
      const listed = Array.isArray(params.users) ? params.users.map(String).join(',') : params.users;
      const ids = (typeof listed === 'string' ? listed.split(',') : [])
        .map((id) => id.trim())
        .filter(Boolean);
      if (ids.length === 0) return rejectPayload('users_list_not_supplied', []);
      if (ids.length > 1) {
        return rejectPayload('not_supported_by_fake', [
          'conversations.open with several users (a group DM) is not modelled by the fake Slack',
        ]);
      }
      const user = users.get(ids[0] ?? '');
      if (!user) return fail('user_not_found');
      if (user.isBot && user.id !== botUserId) return fail('cannot_dm_bot');
      const existed = channels.has(dmIdFor(user.id));
      const channel = channels.get(dmChannelFor(user.id));
      return channel ? answerWith(channel, existed) : fail('channel_not_found');
    },

    'conversations.info': (params) => {
      const channel = findChannel(asString(params.channel) ?? '');
      // A bot cannot see private conversations it is not part of; Slack
      // answers as if they did not exist.
      if (!channel || (channel.isPrivate && !channel.isMember)) return fail('channel_not_found');
      return ok({ channel: channelObject(channel) });
    },

    'conversations.join': (params) => {
      const channel = findChannel(asString(params.channel) ?? '');
      if (!channel) return fail('channel_not_found');
      if (channel.isIm || channel.isPrivate) {
        return channel.isMember || channel.isIm
          ? fail('method_not_supported_for_channel_type')
          : fail('channel_not_found');
      }
      if (channel.isArchived) return fail('is_archived');
      if (channel.isMember) {
        return ok({
          channel: channelObject(channel),
          warning: 'already_in_channel',
          response_metadata: { warnings: ['already_in_channel'] },
        });
      }
      channel.isMember = true;
      return ok({ channel: channelObject(channel) });
    },

    'conversations.members': (params) => {
      const channel = findChannel(asString(params.channel) ?? '');
      if (!channel || (channel.isPrivate && !channel.isMember)) return fail('channel_not_found');
      const members = membersOf(channel);
      const cursorRef = asString(params.cursor);
      let start = 0;
      if (cursorRef !== undefined) {
        const next = decodeMemberCursor(cursorRef);
        start = next === undefined ? -1 : members.indexOf(next);
        if (start < 0) return fail('invalid_cursor');
      }
      const limit = pageLimit(params.limit, 100, 1000);
      const next = members[start + limit];
      return ok({
        members: members.slice(start, start + limit),
        response_metadata: { next_cursor: next ? encodeMemberCursor(next) : '' },
      });
    },

    'files.getUploadURLExternal': (params) => {
      const filename = asString(params.filename);
      const length = typeof params.length === 'number' ? params.length : Number(asString(params.length));
      const problems: string[] = [];
      if (!filename) problems.push('missing required field: filename');
      if (!Number.isInteger(length) || length < 1) {
        problems.push(`length must be a positive integer, got ${JSON.stringify(params.length ?? null)}`);
      }
      if (!filename || problems.length > 0) return rejectPayload('invalid_arguments', problems);
      const id = nextFileId();
      uploads.set(id, {
        id,
        filename,
        length,
        // The SDK sends alt_text although Slack documents alt_txt.
        altText: asString(params.alt_txt) ?? asString(params.alt_text),
        snippetType: asString(params.snippet_type),
        created: Math.floor((options.now?.().getTime() ?? Date.now()) / 1000),
        bytes: undefined,
        title: undefined,
        completed: false,
        channelId: undefined,
        threadTs: undefined,
        messageTs: undefined,
      });
      return ok({ upload_url: `${origin}/upload/${id}`, file_id: id });
    },

    'files.completeUploadExternal': (params) => {
      const entries = params.files;
      if (!Array.isArray(entries) || entries.length === 0) {
        return rejectPayload('invalid_arguments', [
          'files must be a non-empty JSON array of {id, title} [json-pointer:/files]',
        ]);
      }
      const problems: string[] = [];
      const wanted: Array<{ id: string; title: string | undefined }> = [];
      entries.forEach((entry, i) => {
        const id = isRecord(entry) ? asString(entry.id) : undefined;
        if (!id) problems.push(`missing required field [json-pointer:/files/${i}/id]`);
        else wanted.push({ id, title: isRecord(entry) ? asString(entry.title) : undefined });
      });
      if (problems.length > 0) return rejectPayload('invalid_arguments', problems);
      // Completing discards the pending upload, so a second completion finds
      // nothing either, just like an id whose bytes never arrived.
      const pending = wanted.map(({ id }) => uploads.get(id));
      if (pending.some((file) => !file?.bytes || file.completed)) return fail('file_not_found');
      const initialComment = asString(params.initial_comment);
      // Slack ignores blocks when there is an initial_comment.
      const blocks = initialComment ? undefined : params.blocks;
      const rejected = checkMessagePayload({ text: initialComment, blocks }, false);
      if (rejected) return rejected;
      const channelRef = asString(params.channel_id);
      const target = channelRef ? resolveShareTarget(channelRef) : undefined;
      if (target && 'body' in target) return target;
      const threadTs = target ? asString(params.thread_ts) : undefined;
      // Real Slack posts the sharing message a moment later; storing it at
      // once spares tests a poll.
      const message: MessageState | undefined = target
        ? {
            channel: target.id,
            ts: nextTs(),
            text: initialComment ?? '',
            blocks: Array.isArray(blocks) ? withBlockIds(blocks) : undefined,
            threadTs,
            user: botUserId,
            fileIds: wanted.map(({ id }) => id),
          }
        : undefined;
      if (message) messages.set(`${message.channel}/${message.ts}`, message);
      const completed = wanted.flatMap(({ id, title }) => {
        const file = uploads.get(id);
        if (!file) return [];
        file.completed = true;
        file.title = title ?? file.filename;
        file.channelId = target?.id;
        file.threadTs = threadTs;
        file.messageTs = message?.ts;
        return [{ id: file.id, title: file.title }];
      });
      return ok({ files: completed });
    },

    'users.info': (params) => {
      const user = users.get(asString(params.user) ?? '');
      if (!user) return fail('user_not_found');
      return ok({ user: userObject(user) });
    },

    'views.open': openOrPush,
    'views.push': openOrPush,

    'views.update': (params) => {
      const viewId = asString(params.view_id);
      const externalId = asString(params.external_id);
      if (!viewId && !externalId) {
        return rejectPayload('invalid_arguments', ['missing required field: view_id']);
      }
      const current = viewId
        ? views.get(viewId)
        : [...views.values()].find((state) => state.view.external_id === externalId);
      // Validate against the stored view's type so an App Home can be updated too.
      const currentType = current?.view.type === 'home' ? 'home' : 'modal';
      const rejected = checkViewPayload(params.view, currentType);
      if (rejected) return rejected;
      if (!current) return fail('not_found');
      const id = String(current.view.id);
      const hash = asString(params.hash);
      if (hash && hash !== current.view.hash) return fail('hash_conflict');
      const view = viewObject(id, params.view as Record<string, unknown>, {
        rootViewId: String(current.view.root_view_id ?? id),
      });
      views.set(id, { view });
      return ok({ view });
    },

    'views.publish': (params) => {
      const userId = asString(params.user_id);
      if (!userId) return rejectPayload('invalid_arguments', ['missing required field: user_id']);
      const rejected = checkViewPayload(params.view, 'home');
      if (rejected) return rejected;
      // A user's App Home keeps one view id across publishes.
      const id = homeViewIds.get(userId) ?? nextViewId();
      homeViewIds.set(userId, id);
      const current = views.get(id);
      const hash = asString(params.hash);
      if (current && hash && hash !== current.view.hash) return fail('hash_conflict');
      const view = viewObject(id, params.view as Record<string, unknown>);
      views.set(id, { view });
      return ok({ view });
    },
  };

  const dispatch = (method: string, params: Record<string, unknown>, token: string | undefined): Reply => {
    const handler = handlers[method];
    if (!handler) return fail('unknown_method');
    // Exchanging an OAuth code authenticates with the client id and secret, not a token.
    if (!token && method !== 'oauth.v2.access') return fail('not_authed');
    const refusal = token ? refusedTokens.get(token) : undefined;
    if (refusal) return fail(refusal);
    return handler(params, token);
  };

  const record = (call: RecordedCall) => {
    calls.push(call);
    for (const waiter of [...waiters]) {
      if (waiter.method !== call.method) continue;
      let matches: boolean;
      try {
        matches = waiter.predicate(call);
      } catch (error) {
        waiters.delete(waiter);
        clearTimeout(waiter.timer);
        waiter.reject(error instanceof Error ? error : new Error(String(error)));
        continue;
      }
      if (matches) {
        waiters.delete(waiter);
        clearTimeout(waiter.timer);
        waiter.resolve(call);
      }
    }
  };

  const sendJson = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };

  type Outcome = { status: number; body: unknown; headers?: Record<string, string> };
  type Call = { method: string; params: Record<string, unknown>; token: string | undefined };

  const rateLimitedOutcome = (retryAfterSeconds: number): Outcome => ({
    status: 429,
    body: { ok: false, error: 'ratelimited' },
    headers: { 'retry-after': String(retryAfterSeconds) },
  });

  const handleCall = (
    method: string,
    params: Record<string, unknown>,
    token: string | undefined,
  ): Outcome => {
    const reply = dispatch(method, params, token);
    if (reply.rejectedPayload) {
      for (const p of reply.rejectedPayload) violations.push(`${method}: ${p}`);
    }
    return { status: 200, body: reply.body };
  };

  // A string body is sent as text: the upload URL answers Slack's "OK - <n>"
  // rather than JSON.
  const send = (res: ServerResponse, outcome: Outcome) => {
    if (typeof outcome.body !== 'string') {
      sendJson(res, outcome.status, outcome.body, outcome.headers);
      return;
    }
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(outcome.status, { 'content-type': 'text/plain; charset=utf-8', ...outcome.headers });
    res.end(outcome.body);
  };

  const later = (delayMs: number, action: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, delayMs);
    timers.add(timer);
  };

  // A queued failNext fault wins, but every default fault still draws so that
  // the n-th call's draw does not depend on what came before it.
  const takeFault = (method: string, params: Record<string, unknown> = {}): Fault | undefined => {
    const inChannel = channelFaultKey(method, asString(params.channel) ?? '');
    const [key, queues] = channelFaults.has(inChannel) ? [inChannel, channelFaults] : [method, faults];
    const queue = queues.get(key);
    const queued = queue?.shift();
    if (queue && queue.length === 0) queues.delete(key);
    let drawn: Fault | undefined;
    for (const candidate of defaultFaults.get(method) ?? []) {
      if (candidate.draw() < candidate.probability && !drawn) drawn = candidate.fault;
    }
    return queued ?? drawn;
  };

  // Counts only calls it lets through, over a sliding second, so a client that
  // backs off as told gets back in.
  const throttle = (
    method: string,
    params: Record<string, unknown>,
    token: string | undefined,
  ): number | undefined => {
    const limit = rateLimits.get(method);
    const ref = asString(params.channel);
    if (!limit || !ref || !token || !handlers[method]) return undefined;
    const key = isUserId(ref) ? dmIdFor(ref) : (findChannel(ref)?.id ?? ref);
    const now = Date.now();
    const recent = (limit.admitted.get(key) ?? []).filter((at) => at > now - 1000);
    if (recent.length >= limit.perChannelPerSecond) {
      limit.admitted.set(key, recent);
      return limit.retryAfterSeconds;
    }
    recent.push(now);
    limit.admitted.set(key, recent);
    return undefined;
  };

  const actOrThrottle = (call: Call, act: () => Outcome): Outcome => {
    const retryAfter = throttle(call.method, call.params, call.token);
    return retryAfter === undefined ? act() : rateLimitedOutcome(retryAfter);
  };

  const acceptUpload = (fileId: string, bytes: Buffer | undefined): Outcome => {
    const file = uploads.get(fileId);
    // An upload URL is good for one file until its upload is completed.
    if (!file || file.completed) return { status: 404, body: 'Not Found' };
    if (!bytes) return { status: 400, body: 'Bad Request' };
    file.bytes = bytes;
    return { status: 200, body: `OK - ${bytes.length}` };
  };

  // Plays one call out under its fault, if any, whatever the endpoint: `act`
  // is what Slack does with the call and `refuse` how the endpoint reports an
  // `error` fault.
  const serve = (
    res: ServerResponse,
    call: Call,
    fault: Fault | undefined,
    act: () => Outcome,
    refuse: (error: string) => Outcome,
  ) => {
    const recordAs = (kind: Fault['kind'] | undefined) =>
      record({ ...call, at: Date.now(), ...(kind ? { fault: kind } : {}) });
    if (!fault || fault.kind === 'lost_response') {
      // Handled on arrival, so the rate limit is decided before the call is
      // recorded and the record says whether it was refused.
      const retryAfter = throttle(call.method, call.params, call.token);
      recordAs(fault?.kind ?? (retryAfter === undefined ? undefined : 'rate_limited'));
      const outcome = retryAfter === undefined ? act() : rateLimitedOutcome(retryAfter);
      if (fault) later(fault.delayMs, () => send(res, outcome));
      else send(res, outcome);
      return;
    }
    recordAs(fault.kind);
    switch (fault.kind) {
      case 'rate_limited':
        send(res, rateLimitedOutcome(fault.retryAfterSeconds));
        return;
      case 'server_error':
        res.writeHead(fault.status ?? 500, { 'content-type': 'text/html' });
        res.end('<html><body><h1>Internal Server Error</h1></body></html>');
        return;
      case 'error':
        send(res, refuse(fault.error));
        return;
      case 'slow':
        later(fault.delayMs, () => send(res, actOrThrottle(call, act)));
        return;
      case 'hang':
        // Deliberately never answered; close() tears the socket down.
        return;
    }
  };

  const bearerOf = (req: IncomingMessage): string | undefined => {
    const header = req.headers.authorization;
    return header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() || undefined : undefined;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const uploadId = /^\/upload\/([A-Za-z0-9]+)$/.exec(url.pathname)?.[1];
    if (uploadId) {
      const bytes = await uploadedBytes(req.headers['content-type'], raw);
      // No token is needed: the URL itself is the credential, as on files.slack.com.
      const call: Call = {
        method: UPLOAD_METHOD,
        params: { file_id: uploadId, length: bytes?.length ?? 0 },
        token: bearerOf(req),
      };
      serve(
        res,
        call,
        takeFault(UPLOAD_METHOD),
        () => acceptUpload(uploadId, bytes),
        (error) => ({ status: 400, body: error }),
      );
      return;
    }
    const match = /^\/api\/([A-Za-z0-9_.]+)$/.exec(url.pathname);
    if (!match?.[1]) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found');
      return;
    }
    const method = match[1];
    const body = parseBody(req.headers['content-type'], raw.toString('utf8'));
    const params = reviveNested({ ...Object.fromEntries(url.searchParams), ...(body ?? {}) });
    const token = bearerOf(req) ?? asString(params.token);
    delete params.token;

    const fault = takeFault(method, params);
    if (body === undefined) {
      record({ method, params, token, at: Date.now(), ...(fault ? { fault: fault.kind } : {}) });
      sendJson(res, 200, { ok: false, error: 'invalid_form_data' });
      return;
    }
    serve(
      res,
      { method, params, token },
      fault,
      () => handleCall(method, params, token),
      (error) => ({ status: 200, body: { ok: false, error } }),
    );
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      violations.push(`fake-slack internal error: ${message}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(message);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const url = `${origin}/api/`;

  const summariseCalls = () => {
    if (calls.length === 0) return 'none';
    const counts = new Map<string, number>();
    for (const call of calls) counts.set(call.method, (counts.get(call.method) ?? 0) + 1);
    return [...counts].map(([method, n]) => (n > 1 ? `${method} ×${n}` : method)).join(', ');
  };

  return {
    url,
    teamId,
    botUserId,
    botId,
    appId,
    get calls() {
      return calls;
    },
    get violations() {
      return violations;
    },
    callsTo: (method) => calls.filter((call) => call.method === method),
    waitForCall(method, predicate = () => true, timeoutMs = 5000) {
      let existing: RecordedCall | undefined;
      try {
        existing = calls.find((call) => call.method === method && predicate(call));
      } catch (error) {
        return Promise.reject(error);
      }
      if (existing) return Promise.resolve(existing);
      if (closed) return Promise.reject(new Error(`fake Slack is closed; no ${method} call will arrive`));
      return new Promise<RecordedCall>((resolve, reject) => {
        const waiter: Waiter = {
          method,
          predicate,
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            const sameMethod = calls.filter((call) => call.method === method).length;
            const note =
              sameMethod > 0 ? ` (${sameMethod} ${method} call(s) did not match the predicate)` : '';
            reject(
              new Error(
                `Timed out after ${timeoutMs}ms waiting for a ${method} call${note}. Methods seen: ${summariseCalls()}`,
              ),
            );
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    failNext(method, fault, times = 1) {
      if (!Number.isInteger(times) || times < 1)
        throw new Error(`failNext times must be a positive integer, got ${times}`);
      const queue = faults.get(method) ?? [];
      for (let i = 0; i < times; i += 1) queue.push(fault);
      faults.set(method, queue);
    },
    failNextIn(method, channel, fault, times = 1) {
      checkFault(fault, 'failNextIn');
      if (!Number.isInteger(times) || times < 1)
        throw new Error(`failNextIn times must be a positive integer, got ${times}`);
      const key = channelFaultKey(method, channel);
      const queue = channelFaults.get(key) ?? [];
      for (let i = 0; i < times; i += 1) queue.push(fault);
      channelFaults.set(key, queue);
    },
    setDefaultFault(method, fault, probability, seed) {
      checkFault(fault, 'setDefaultFault');
      if (!(probability >= 0 && probability <= 1)) {
        throw new Error(`setDefaultFault probability must be between 0 and 1, got ${probability}`);
      }
      if (seed !== undefined && !Number.isInteger(seed)) {
        throw new Error(`setDefaultFault seed must be an integer, got ${seed}`);
      }
      const registered = defaultFaults.get(method) ?? [];
      // Without a seed each registration still gets its own fixed stream, so
      // two faults on one method do not hit on exactly the same calls.
      const stream = seededRandom(seed ?? hashSeed(`${method}#${registered.length}`));
      registered.push({ fault: { ...fault }, probability, draw: stream });
      defaultFaults.set(method, registered);
    },
    setRateLimit(method, limit) {
      if (!(limit.perChannelPerSecond >= 1) || !Number.isInteger(limit.perChannelPerSecond)) {
        throw new Error(
          `setRateLimit perChannelPerSecond must be a positive integer, got ${limit.perChannelPerSecond}`,
        );
      }
      if (!(limit.retryAfterSeconds >= 0)) {
        throw new Error(`setRateLimit retryAfterSeconds must be 0 or more, got ${limit.retryAfterSeconds}`);
      }
      rateLimits.set(method, { ...limit, admitted: new Map() });
    },
    messagesIn(ref) {
      const channel = isUserId(ref) ? channels.get(dmIdFor(ref)) : findChannel(ref);
      if (!channel) {
        // A DM nobody has written in yet is simply empty; anything else is a typo worth hearing about.
        if (isUserId(ref) && users.has(ref)) return [];
        throw new Error(`messagesIn: unknown channel ${ref}`);
      }
      return sortedMessages((m) => m.channel === channel.id).map(storedMessage);
    },
    allMessages: () => sortedMessages(() => true).map(storedMessage),
    grantOAuthCode(code, grant) {
      oauthCodes.set(code, grant);
    },
    uploadedFiles: () =>
      [...uploads.values()].flatMap((f): UploadedFile[] =>
        f.bytes
          ? [
              {
                id: f.id,
                filename: f.filename,
                title: f.title ?? f.filename,
                altText: f.altText,
                snippetType: f.snippetType,
                bytes: Buffer.from(f.bytes),
                completed: f.completed,
                ...(f.channelId ? { channelId: f.channelId } : {}),
                ...(f.threadTs ? { threadTs: f.threadTs } : {}),
                ...(f.messageTs ? { messageTs: f.messageTs } : {}),
              },
            ]
          : [],
      ),
    addChannel,
    addUser,
    addMessage(seed) {
      const channel = isUserId(seed.channel)
        ? channels.get(dmChannelFor(seed.channel))
        : channels.get(seed.channel);
      if (!channel) throw new Error(`addMessage: unknown channel ${seed.channel}`);
      const ts = seed.ts ?? nextTs();
      messages.set(`${channel.id}/${ts}`, {
        channel: channel.id,
        ts,
        text: seed.text ?? '',
        blocks: seed.blocks,
        threadTs: seed.threadTs,
        user: seed.user ?? botUserId,
        metadata: seed.metadata ? structuredClone(seed.metadata) : undefined,
      });
      return ts;
    },
    addView(seed) {
      const id = nextViewId();
      const view = viewObject(id, seed);
      views.set(id, { view });
      return view;
    },
    dmChannelFor,
    setSocketModeUrl(url: string) {
      socketModeUrl = url;
    },
    refuseToken(token: string, error = 'token_revoked') {
      refusedTokens.set(token, error);
    },
    reset() {
      calls.length = 0;
      violations.length = 0;
      faults.clear();
      channelFaults.clear();
      defaultFaults.clear();
      rateLimits.clear();
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const waiter of waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error(`fake Slack closed while waiting for a ${waiter.method} call`));
      }
      waiters.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
