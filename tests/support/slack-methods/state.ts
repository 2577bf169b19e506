/*
 * The fake Slack's world: one workspace's channels, users, messages, files,
 * views and installs, held in memory and shared by every method family, so the
 * answers depend on state the way they do in production.
 */

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
  /**
   * What users.info says in `profile.display_name`; `name` when not given. Slack leaves it empty ("")
   * for someone who never set one.
   */
  displayName?: string;
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

export interface WorkspaceOptions {
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

export interface ChannelState {
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

export interface UserState {
  id: string;
  name: string;
  realName: string;
  displayName: string;
  tz: string;
  deleted: boolean;
  isBot: boolean;
  isAdmin: boolean;
  isOwner: boolean;
}

export interface MessageState {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[] | undefined;
  threadTs: string | undefined;
  user: string;
  metadata?: MessageMetadata | undefined;
  fileIds?: string[] | undefined;
}

export interface FileState {
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

export interface ViewState {
  view: Record<string, unknown>;
}

export interface Workspace {
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  readonly teamDomain: string;
  readonly now: (() => Date) | undefined;
  readonly client: { id: string; secret: string } | undefined;
  /** Where upload URLs point, e.g. `http://127.0.0.1:1234`; known once the server listens. */
  origin: string;
  readonly channels: Map<string, ChannelState>;
  readonly users: Map<string, UserState>;
  /** Keyed by messageKey(). */
  readonly messages: Map<string, MessageState>;
  readonly views: Map<string, ViewState>;
  readonly uploads: Map<string, FileState>;
  /** A user's App Home keeps one view id across publishes. */
  readonly homeViewIds: Map<string, string>;
  /** Where `apps.connections.open` sends a Socket Mode client; unset for an HTTP-only app. */
  socketModeUrl: string | undefined;
  /** Tokens every call with which answers the error given, as for a revoked or mistyped token. */
  readonly refusedTokens: Map<string, string>;
  /** Installations made through oauth.v2.access: each access token answers auth.test as its own workspace. */
  readonly oauthCodes: Map<string, OAuthGrant>;
  readonly issuedTokens: Map<string, OAuthGrant>;
  readonly refreshTokens: Map<string, OAuthGrant>;
  readonly counters: {
    ts: number;
    lastTsMicros: number;
    view: number;
    file: number;
    hash: number;
    issuedTokens: number;
  };
}

export const WORLD_CREATED = 1_690_000_000;
const TS_BASE_SECONDS = 1_700_000_000;

export function createWorkspace(options: WorkspaceOptions = {}): Workspace {
  const ws: Workspace = {
    teamId: options.teamId ?? 'T0FAKETEAM',
    botUserId: options.botUserId ?? 'U0FAKEBOT',
    botId: options.botId ?? 'B0FAKEBOT',
    appId: 'A0FAKEAPP',
    teamDomain: 'fake-workspace',
    now: options.now,
    client: options.client,
    origin: '',
    channels: new Map(),
    users: new Map(),
    messages: new Map(),
    views: new Map(),
    uploads: new Map(),
    homeViewIds: new Map(),
    socketModeUrl: undefined,
    refusedTokens: new Map(),
    oauthCodes: new Map(),
    issuedTokens: new Map(),
    refreshTokens: new Map(),
    counters: { ts: 0, lastTsMicros: 0, view: 0, file: 0, hash: 0, issuedTokens: 0 },
  };
  addUser(ws, { id: ws.botUserId, name: 'learning-bot', realName: 'Learning Thread', isBot: true });
  return ws;
}

// Microseconds fit a double exactly until the year 2255, so ts values compare
// as numbers without the rounding that parseFloat("1700000000.000100") risks.
export function tsMicros(ts: string): number | undefined {
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

// Monotonic and unique across reset() so a ts can never be confused with an
// earlier message's.
export function nextTs(ws: Workspace): string {
  const counters = ws.counters;
  counters.ts += 1;
  const micros = ws.now
    ? Math.max(ws.now().getTime() * 1000, counters.lastTsMicros + 1)
    : TS_BASE_SECONDS * 1_000_000 + counters.ts * 100;
  counters.lastTsMicros = micros;
  return microsToTs(micros);
}

export function nextViewId(ws: Workspace): string {
  ws.counters.view += 1;
  return `V0FAKE${String(ws.counters.view).padStart(5, '0')}`;
}

export function nextFileId(ws: Workspace): string {
  ws.counters.file += 1;
  return `F0FAKE${String(ws.counters.file).padStart(5, '0')}`;
}

export function nextHash(ws: Workspace): string {
  ws.counters.hash += 1;
  const n = ws.counters.hash;
  return `${TS_BASE_SECONDS + n}.${n.toString(16).padStart(8, '0')}`;
}

export function tzDetails(tz: string, at: Date): { label: string; offset: number } {
  const part = (style: 'long' | 'longOffset') =>
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: style })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(part('longOffset'));
  const offset = match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 3600 + Number(match[3]) * 60) : 0;
  return { label: part('long') || tz, offset };
}

export function addUser(ws: Workspace, seed: UserSeed): void {
  const tz = seed.tz ?? 'Europe/London';
  tzDetails(tz, new Date()); // Throws RangeError now rather than mid-test on a bad zone.
  const name = seed.name ?? seed.id.toLowerCase();
  ws.users.set(seed.id, {
    id: seed.id,
    name,
    realName: seed.realName ?? name,
    displayName: seed.displayName ?? name,
    tz,
    deleted: seed.deleted ?? false,
    isBot: seed.isBot ?? false,
    isAdmin: seed.isAdmin ?? false,
    isOwner: seed.isOwner ?? false,
  });
}

export function addChannel(ws: Workspace, seed: ChannelSeed): void {
  ws.channels.set(seed.id, {
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
}

export function isUserId(id: string): boolean {
  return /^[UW][A-Z0-9]+$/.test(id);
}

export function dmIdFor(userId: string): string {
  return `D${userId.slice(1)}`;
}

/** The id of the app's DM with this user, opened on first use. */
export function dmChannelFor(ws: Workspace, userId: string): string {
  const id = dmIdFor(userId);
  if (!ws.channels.has(id)) {
    ws.channels.set(id, {
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
}

/** A channel by id, or by name with or without its `#`; DMs only by id. */
export function findChannel(ws: Workspace, ref: string): ChannelState | undefined {
  const byId = ws.channels.get(ref);
  if (byId) return byId;
  const name = ref.startsWith('#') ? ref.slice(1) : ref;
  for (const channel of ws.channels.values()) {
    if (!channel.isIm && channel.name === name) return channel;
  }
  return undefined;
}

/** Puts a message in the world as if it had been posted; returns its ts. */
export function addMessage(ws: Workspace, seed: MessageSeed): string {
  const channel = isUserId(seed.channel)
    ? ws.channels.get(dmChannelFor(ws, seed.channel))
    : ws.channels.get(seed.channel);
  if (!channel) throw new Error(`addMessage: unknown channel ${seed.channel}`);
  const ts = seed.ts ?? nextTs(ws);
  ws.messages.set(messageKey(channel.id, ts), {
    channel: channel.id,
    ts,
    text: seed.text ?? '',
    blocks: seed.blocks,
    threadTs: seed.threadTs,
    user: seed.user ?? ws.botUserId,
    metadata: seed.metadata ? structuredClone(seed.metadata) : undefined,
  });
  return ts;
}

/** How `messages` keys a message: Slack names one by its channel and ts. */
export function messageKey(channelId: string, ts: string): string {
  return `${channelId}/${ts}`;
}

/** The messages `filter` keeps, oldest first. */
export function sortedMessages(ws: Workspace, filter: (m: MessageState) => boolean): MessageState[] {
  return [...ws.messages.values()].filter(filter).sort(compareTs);
}
