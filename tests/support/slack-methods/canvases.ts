import { isRecord } from '../block-kit.js';
import { asString, fail, type MethodTable, ok, type Reply, rejectPayload } from './reply.js';
import { findChannel, isUserId, nextFileId, type Workspace } from './state.js';

/*
 * Canvases as Slack documents them: canvases.create (standalone, or tabbed in a
 * channel with channel_id), conversations.canvases.create (a channel's own
 * canvas, one per channel, shown by conversations.info under
 * channel.properties.canvas.file_id), canvases.sections.lookup, canvases.edit,
 * canvases.access.set / canvases.access.delete and canvases.delete, with the
 * errors their reference pages list.
 *
 * The canvas model, which is the assumption the app builds on:
 *
 * - A canvas is markdown split into sections. Each header line (`#`, `##`,
 *   `###`, outside a fenced code block) opens a section; the section runs until
 *   the next header of the same or a higher level, so an `##` section holds the
 *   `###` sections under it. Text before the first header is a section of its
 *   own. `####` and deeper are plain text: canvases have headings h1 to h3 only.
 * - Every section has an id like Slack's ("temp:C:…"). An id stays the same
 *   while its section is there; sections an edit writes get new ids, and a
 *   section an edit removes (replace, delete) loses its id for good.
 *   Slack does not promise more than that, and people report ids changing
 *   after edits, so look a section up again before each edit that names one
 *   (renewCanvasSectionIds lets a test prove the app does).
 * - canvases.sections.lookup answers the ids, in document order, of header
 *   sections whose type is in `section_types` (`any_header` is all three) and
 *   whose header text contains `contains_text`, ignoring case. With
 *   `contains_text` alone the text before the first header can match too.
 * - canvases.edit takes exactly one change. `insert_at_start` / `insert_at_end`
 *   put the new markdown at the very start or end; `insert_before` /
 *   `insert_after` put it before or after the whole named section (after its
 *   subsections too); `replace` with a `section_id` swaps the whole section,
 *   header and everything under it, for the new markdown, and without one
 *   rewrites the entire canvas (people's own additions included); `delete`
 *   removes the whole section. New markdown is parsed into sections the same
 *   way, and text without a header that lands after a section is read as part
 *   of that section, as a person reading the canvas would.
 * - As a person reads it (canvasMarkdown), sections are joined by a blank line,
 *   each without blank lines at its start or end.
 *
 * Plans and settings, the strictest reading of the documented error names:
 * on a free plan conversations.canvases.create answers
 * team_tier_cannot_create_channel_canvases, canvases.create without a
 * channel_id answers free_teams_cannot_create_non_tabbed_canvases and
 * canvases.edit of a canvas not tabbed in a channel answers
 * free_teams_cannot_edit_standalone_canvases. With canvases turned off for the
 * workspace every canvas method answers canvas_disabled_user_team.
 *
 * The bot may read a canvas it owns, one shared with it, or one with access
 * for a channel it is in; it may edit one where that access is `write` or
 * `owner`. Scopes are not modelled (missing_scope comes from failNext).
 */

/** How a workspace's plan and settings shape the canvas methods' answers. */
export type CanvasPlan = 'paid' | 'free' | 'canvases_disabled';

export type CanvasAccessLevel = 'read' | 'write' | 'owner';

/** What canvases.access.set takes for a channel: only users can own a canvas. */
type ChannelAccessLevel = Exclude<CanvasAccessLevel, 'owner'>;

type SectionLevel = 0 | 1 | 2 | 3;

interface SectionState {
  id: string;
  /** 1 to 3 for a header section, 0 for the text before the first header. */
  level: SectionLevel;
  /** The section's own lines, its header line first; the sections under it follow in the list. */
  markdown: string;
}

interface CanvasState {
  id: string;
  title: string | undefined;
  /** The channel the canvas is tabbed in, or whose own canvas it is. */
  channelId: string | undefined;
  isChannelCanvas: boolean;
  ownerId: string;
  sections: SectionState[];
  channelAccess: Map<string, ChannelAccessLevel>;
  userAccess: Map<string, CanvasAccessLevel>;
  deleted: boolean;
}

interface CanvasWorld {
  plan: CanvasPlan;
  readonly canvases: Map<string, CanvasState>;
  /** Channel id to the id of its own canvas. */
  readonly channelCanvases: Map<string, string>;
  sectionCounter: number;
}

/** A canvas as a test reads it. */
export interface CanvasSummary {
  id: string;
  title: string | undefined;
  /** The channel it is tabbed in, or whose own canvas it is. */
  channelId: string | undefined;
  isChannelCanvas: boolean;
  ownerId: string;
  markdown: string;
  sections: { id: string; type: 'h1' | 'h2' | 'h3' | 'text'; markdown: string }[];
  access: { channels: Record<string, ChannelAccessLevel>; users: Record<string, CanvasAccessLevel> };
  deleted: boolean;
}

/** A canvas already in the workspace, made by a person (or the app) before the test begins. */
export interface CanvasSeed {
  id?: string;
  title?: string;
  markdown?: string;
  /** Makes it this channel's own canvas, as conversations.canvases.create would. */
  channelCanvasOf?: string;
  /** Who owns it; the app's bot user unless given. */
  ownerId?: string;
  /** Access for channels; a channel canvas has `write` for its channel unless given. */
  channels?: Record<string, ChannelAccessLevel>;
  users?: Record<string, CanvasAccessLevel>;
}

/** Slack's documented cap on one document_content's markdown (1 MiB). */
export const CANVAS_MARKDOWN_LIMIT = 1_048_576;

const SECTION_TYPES = new Set(['h1', 'h2', 'h3', 'any_header']);
const OPERATIONS = new Set([
  'insert_after',
  'insert_before',
  'insert_at_start',
  'insert_at_end',
  'replace',
  'delete',
  'rename',
]);
const ACCESS_LEVELS = new Set<string>(['read', 'write', 'owner']);
const MAX_ACCESS_ENTITIES = 20;

const worlds = new WeakMap<Workspace, CanvasWorld>();

function worldOf(ws: Workspace): CanvasWorld {
  let world = worlds.get(ws);
  if (!world) {
    world = { plan: 'paid', canvases: new Map(), channelCanvases: new Map(), sectionCounter: 0 };
    worlds.set(ws, world);
  }
  return world;
}

// ---------------------------------------------------------------------------
// Markdown into sections and back
// ---------------------------------------------------------------------------

function nextSectionId(world: CanvasWorld): string {
  world.sectionCounter += 1;
  return `temp:C:FKE${world.sectionCounter.toString(16).padStart(25, '0')}`;
}

const HEADER_LINE = /^(#{1,3})[ \t]+(\S.*)$/;
const FENCE_LINE = /^\s*(```|~~~)/;

function trimBlankLines(lines: string[]): string {
  let start = 0;
  let end = lines.length;
  while (start < end && (lines[start] ?? '').trim() === '') start += 1;
  while (end > start && (lines[end - 1] ?? '').trim() === '') end -= 1;
  return lines.slice(start, end).join('\n');
}

/** Splits markdown into sections with fresh ids; empty text before the first header is no section. */
function parseSections(world: CanvasWorld, markdown: string): SectionState[] {
  const parts: { level: SectionLevel; lines: string[] }[] = [{ level: 0, lines: [] }];
  let inFence = false;
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    if (FENCE_LINE.test(line)) inFence = !inFence;
    const header = inFence ? null : HEADER_LINE.exec(line);
    if (header?.[1]) parts.push({ level: header[1].length as SectionLevel, lines: [line] });
    else parts[parts.length - 1]?.lines.push(line);
  }
  return parts
    .map((part) => ({ level: part.level, markdown: trimBlankLines(part.lines) }))
    .filter((part) => part.level > 0 || part.markdown !== '')
    .map((part) => ({ id: nextSectionId(world), ...part }));
}

// Text that lands after a section without a header of its own reads as part of
// that section, so it joins it (and the section keeps its id).
function normalise(sections: SectionState[]): SectionState[] {
  const result: SectionState[] = [];
  for (const section of sections) {
    const previous = result[result.length - 1];
    if (section.level === 0 && previous) {
      previous.markdown = [previous.markdown, section.markdown].filter(Boolean).join('\n\n');
    } else if (section.level > 0 || section.markdown !== '') {
      result.push({ ...section });
    }
  }
  return result;
}

/** Where a section ends: the first later section of the same or a higher level. */
function sectionEnd(sections: SectionState[], index: number): number {
  const level = sections[index]?.level ?? 0;
  if (level === 0) return index + 1;
  let end = index + 1;
  while (end < sections.length && (sections[end]?.level ?? 0) > level) end += 1;
  return end;
}

function headerText(section: SectionState): string {
  const firstLine = section.markdown.split('\n')[0] ?? '';
  return (HEADER_LINE.exec(firstLine)?.[2] ?? '').replace(/\s+#+\s*$/, '').trim();
}

function markdownOf(canvas: CanvasState): string {
  return canvas.sections.map((s) => s.markdown).join('\n\n');
}

function sectionType(level: SectionLevel): 'h1' | 'h2' | 'h3' | 'text' {
  return level === 0 ? 'text' : `h${level}`;
}

// ---------------------------------------------------------------------------
// Reading arguments
// ---------------------------------------------------------------------------

type Read<T> = { value: T } | { reply: Reply };

function invalid(problem: string): { reply: Reply } {
  return { reply: rejectPayload('invalid_arguments', [problem]) };
}

/** document_content as Slack takes it: `{ type: 'markdown', markdown }`, at most 1 MiB. */
function readDocumentContent(value: unknown, field: string): Read<string | undefined> {
  if (value === undefined) return { value: undefined };
  if (!isRecord(value)) return invalid(`${field} must be an object: { type: 'markdown', markdown }`);
  if (value.type !== 'markdown') return invalid(`${field}.type must be 'markdown'`);
  if (typeof value.markdown !== 'string') return invalid(`${field}.markdown must be a string`);
  for (const key of Object.keys(value)) {
    if (key !== 'type' && key !== 'markdown') return invalid(`invalid additional property: ${field}.${key}`);
  }
  if (value.markdown.length > CANVAS_MARKDOWN_LIMIT) {
    return invalid(`${field}.markdown is longer than ${CANVAS_MARKDOWN_LIMIT} characters`);
  }
  return { value: value.markdown };
}

function readIdList(value: unknown, field: string): Read<string[] | undefined> {
  if (value === undefined) return { value: undefined };
  const list = typeof value === 'string' ? value.split(',').map((id) => id.trim()) : value;
  if (!Array.isArray(list) || !list.every((id) => typeof id === 'string' && id.length > 0)) {
    return invalid(`${field} must be a list of ids`);
  }
  if (list.length < 1 || list.length > MAX_ACCESS_ENTITIES) {
    return invalid(`${field} must list between 1 and ${MAX_ACCESS_ENTITIES} ids`);
  }
  return { value: list as string[] };
}

// ---------------------------------------------------------------------------
// The world's rules
// ---------------------------------------------------------------------------

function accessOf(ws: Workspace, canvas: CanvasState): CanvasAccessLevel | undefined {
  const botUserId = ws.botUserId;
  if (canvas.ownerId === botUserId) return 'owner';
  const levels: CanvasAccessLevel[] = [];
  const own = canvas.userAccess.get(botUserId);
  if (own) levels.push(own);
  for (const [channelId, level] of canvas.channelAccess) {
    if (ws.channels.get(channelId)?.isMember) levels.push(level);
  }
  if (levels.includes('owner')) return 'owner';
  if (levels.includes('write')) return 'write';
  return levels.includes('read') ? 'read' : undefined;
}

/** The canvas the call names, if the bot may see it, or the answer Slack gives instead. */
function visibleCanvas(
  ws: Workspace,
  canvasId: string,
  whenDeleted: 'canvas_deleted' | 'canvas_not_found',
): CanvasState | Reply {
  const canvas = worldOf(ws).canvases.get(canvasId);
  if (!canvas) return fail('canvas_not_found');
  if (canvas.deleted) return fail(whenDeleted);
  if (!accessOf(ws, canvas)) return fail('canvas_not_found');
  return canvas;
}

function isReply(value: CanvasState | Reply): value is Reply {
  return 'body' in value;
}

function mayWrite(ws: Workspace, canvas: CanvasState): boolean {
  const level = accessOf(ws, canvas);
  return level === 'write' || level === 'owner';
}

function canvasesOff(ws: Workspace): Reply | undefined {
  return worldOf(ws).plan === 'canvases_disabled' ? fail('canvas_disabled_user_team') : undefined;
}

/** A channel the bot can put a canvas in, or Slack's answer for one it cannot. */
function canvasChannel(ws: Workspace, channelId: string): Reply | undefined {
  const channel = findChannel(ws, channelId);
  if (!channel || channel.isIm || (channel.isPrivate && !channel.isMember)) return fail('channel_not_found');
  if (!channel.isMember) return fail('not_in_channel');
  return undefined;
}

function createCanvas(
  ws: Workspace,
  fields: {
    title: string | undefined;
    markdown: string | undefined;
    channelId: string | undefined;
    isChannelCanvas: boolean;
    ownerId?: string;
    id?: string;
  },
): CanvasState {
  const world = worldOf(ws);
  const canvas: CanvasState = {
    id: fields.id ?? nextFileId(ws),
    title: fields.title,
    channelId: fields.channelId,
    isChannelCanvas: fields.isChannelCanvas,
    ownerId: fields.ownerId ?? ws.botUserId,
    sections: normalise(parseSections(world, fields.markdown ?? '')),
    channelAccess: new Map(fields.channelId ? [[fields.channelId, 'write']] : []),
    userAccess: new Map(),
    deleted: false,
  };
  world.canvases.set(canvas.id, canvas);
  if (canvas.isChannelCanvas && canvas.channelId) world.channelCanvases.set(canvas.channelId, canvas.id);
  return canvas;
}

type Change = {
  operation: string;
  sectionId: string | undefined;
  markdown: string | undefined;
  title: string | undefined;
};

function readChange(changes: unknown): Read<Change> {
  if (!Array.isArray(changes) || changes.length === 0) {
    return invalid('changes must be a list with one change');
  }
  // Slack documents one operation per call and names no error for more; an
  // app that sends several has it wrong, so it is refused as an argument error.
  if (changes.length > 1) {
    return invalid(`only one change per call is supported; got ${changes.length}`);
  }
  const change: unknown = changes[0];
  if (!isRecord(change)) return invalid('each change must be an object');
  const operation = asString(change.operation);
  if (!operation || !OPERATIONS.has(operation)) {
    return invalid(`unknown operation: ${String(change.operation)}`);
  }
  if (change.section_id !== undefined && typeof change.section_id !== 'string') {
    return invalid('section_id must be a string');
  }
  const sectionId = asString(change.section_id);
  if (operation === 'rename') {
    if (sectionId) return invalid('invalid additional property: section_id');
    const title = readDocumentContent(change.title_content, 'title_content');
    if ('reply' in title) return title;
    if (title.value === undefined) return invalid('missing required field: title_content');
    return { value: { operation, sectionId: undefined, markdown: undefined, title: title.value } };
  }
  const content = readDocumentContent(change.document_content, 'document_content');
  if ('reply' in content) return content;
  const needsSection =
    operation === 'insert_after' || operation === 'insert_before' || operation === 'delete';
  const takesSection = needsSection || operation === 'replace';
  if (needsSection && !sectionId) return invalid(`${operation} needs a section_id`);
  if (!takesSection && sectionId) return invalid(`invalid additional property: section_id (${operation})`);
  if (operation !== 'delete' && content.value === undefined) {
    return invalid(`missing required field: document_content (${operation})`);
  }
  return { value: { operation, sectionId, markdown: content.value, title: undefined } };
}

/** Applies one change; false when the section it names is not in the canvas. */
function applyChange(world: CanvasWorld, canvas: CanvasState, change: Change): boolean {
  if (change.operation === 'rename') {
    canvas.title = change.title;
    return true;
  }
  const added = change.markdown === undefined ? [] : parseSections(world, change.markdown);
  const sections = canvas.sections;
  let next: SectionState[];
  if (!change.sectionId) {
    if (change.operation === 'insert_at_start') next = [...added, ...sections];
    else if (change.operation === 'insert_at_end') next = [...sections, ...added];
    else next = added; // replace without a section: the whole canvas
  } else {
    const index = sections.findIndex((s) => s.id === change.sectionId);
    if (index < 0) return false;
    const end = sectionEnd(sections, index);
    if (change.operation === 'insert_before') {
      next = [...sections.slice(0, index), ...added, ...sections.slice(index)];
    } else if (change.operation === 'insert_after') {
      next = [...sections.slice(0, end), ...added, ...sections.slice(end)];
    } else {
      // replace, or delete with nothing added
      next = [...sections.slice(0, index), ...added, ...sections.slice(end)];
    }
  }
  canvas.sections = normalise(next);
  return true;
}

// ---------------------------------------------------------------------------
// The methods
// ---------------------------------------------------------------------------

export const canvasesMethods: MethodTable = {
  'canvases.create': (ws, params) => {
    const content = readDocumentContent(params.document_content, 'document_content');
    if ('reply' in content) return content.reply;
    const off = canvasesOff(ws);
    if (off) return off;
    const channelId = asString(params.channel_id);
    if (channelId) {
      const refusal = canvasChannel(ws, channelId);
      if (refusal) return refusal;
    } else if (worldOf(ws).plan === 'free') {
      return fail('free_teams_cannot_create_non_tabbed_canvases');
    }
    const canvas = createCanvas(ws, {
      title: asString(params.title),
      markdown: content.value,
      channelId: channelId ? findChannel(ws, channelId)?.id : undefined,
      isChannelCanvas: false,
    });
    return ok({ canvas_id: canvas.id });
  },

  'conversations.canvases.create': (ws, params) => {
    const channelRef = asString(params.channel_id);
    if (!channelRef) return rejectPayload('invalid_arguments', ['missing required field: channel_id']);
    const content = readDocumentContent(params.document_content, 'document_content');
    if ('reply' in content) return content.reply;
    const off = canvasesOff(ws);
    if (off) return off;
    const world = worldOf(ws);
    if (world.plan === 'free') return fail('team_tier_cannot_create_channel_canvases');
    const refusal = canvasChannel(ws, channelRef);
    if (refusal) return refusal;
    const channelId = findChannel(ws, channelRef)?.id ?? channelRef;
    if (world.channelCanvases.has(channelId)) return fail('channel_canvas_already_exists');
    const canvas = createCanvas(ws, {
      title: asString(params.title),
      markdown: content.value,
      channelId,
      isChannelCanvas: true,
    });
    return ok({ canvas_id: canvas.id });
  },

  'canvases.sections.lookup': (ws, params) => {
    const canvasId = asString(params.canvas_id);
    if (!canvasId) return rejectPayload('invalid_arguments', ['missing required field: canvas_id']);
    const criteria = params.criteria;
    if (!isRecord(criteria)) return rejectPayload('invalid_arguments', ['missing required field: criteria']);
    const types = criteria.section_types;
    if (
      types !== undefined &&
      (!Array.isArray(types) ||
        types.length < 1 ||
        types.length > 3 ||
        !types.every((t) => typeof t === 'string' && SECTION_TYPES.has(t)))
    ) {
      return rejectPayload('invalid_arguments', [
        "criteria.section_types must list one to three of 'h1', 'h2', 'h3', 'any_header'",
      ]);
    }
    const containsText = criteria.contains_text;
    if (containsText !== undefined && typeof containsText !== 'string') {
      return rejectPayload('invalid_arguments', ['criteria.contains_text must be a string']);
    }
    if (types === undefined && !containsText) {
      return rejectPayload('invalid_arguments', ['criteria needs section_types or contains_text']);
    }
    const off = canvasesOff(ws);
    if (off) return off;
    const canvas = visibleCanvas(ws, canvasId, 'canvas_deleted');
    if (isReply(canvas)) return canvas;
    const wanted = new Set(
      (types as string[] | undefined)?.flatMap((t) => (t === 'any_header' ? ['h1', 'h2', 'h3'] : [t])),
    );
    const needle = (containsText ?? '').toLowerCase();
    const sections = canvas.sections.filter((section) => {
      if (types !== undefined && !wanted.has(sectionType(section.level))) return false;
      const text = section.level === 0 ? section.markdown : headerText(section);
      return text.toLowerCase().includes(needle);
    });
    return ok({ sections: sections.map((s) => ({ id: s.id })) });
  },

  'canvases.edit': (ws, params) => {
    const canvasId = asString(params.canvas_id);
    if (!canvasId) return rejectPayload('invalid_arguments', ['missing required field: canvas_id']);
    if (params.changes === undefined) {
      return rejectPayload('invalid_arguments', ['missing required field: changes']);
    }
    const change = readChange(params.changes);
    if ('reply' in change) return change.reply;
    const off = canvasesOff(ws);
    if (off) return off;
    const canvas = visibleCanvas(ws, canvasId, 'canvas_not_found');
    if (isReply(canvas)) return canvas;
    if (!mayWrite(ws, canvas)) return fail('restricted_action');
    if (worldOf(ws).plan === 'free' && !canvas.channelId) {
      return fail('free_teams_cannot_edit_standalone_canvases');
    }
    // A section that is not there (deleted by a person since it was looked up)
    // is the world's doing, not the app's, so no violation is recorded.
    if (!applyChange(worldOf(ws), canvas, change.value)) return fail('canvas_editing_failed');
    return ok();
  },

  'canvases.access.set': (ws, params) => {
    const canvasId = asString(params.canvas_id);
    if (!canvasId) return rejectPayload('invalid_arguments', ['missing required field: canvas_id']);
    const level = asString(params.access_level);
    if (!level || !ACCESS_LEVELS.has(level)) {
      return rejectPayload('invalid_arguments', ["access_level must be 'read', 'write' or 'owner'"]);
    }
    const channelIds = readIdList(params.channel_ids, 'channel_ids');
    if ('reply' in channelIds) return channelIds.reply;
    const userIds = readIdList(params.user_ids, 'user_ids');
    if ('reply' in userIds) return userIds.reply;
    if ((channelIds.value === undefined) === (userIds.value === undefined)) {
      return rejectPayload('invalid_parameters', ['one of user_ids or channel_ids must be given, not both']);
    }
    if (level === 'owner' && channelIds.value) {
      return rejectPayload('invalid_arguments', ['only users can own a canvas']);
    }
    const off = canvasesOff(ws);
    if (off) return off;
    const canvas = visibleCanvas(ws, canvasId, 'canvas_not_found');
    if (isReply(canvas)) return canvas;
    if (!mayWrite(ws, canvas)) return fail('restricted_action');
    if (level === 'owner' && canvas.ownerId !== ws.botUserId) return fail('restricted_action');
    for (const channelId of channelIds.value ?? []) {
      const channel = ws.channels.get(channelId);
      if (!channel || channel.isIm || (channel.isPrivate && !channel.isMember))
        return fail('channel_not_found');
    }
    for (const userId of userIds.value ?? []) {
      if (!isUserId(userId) || !ws.users.has(userId)) return fail('user_not_found');
    }
    for (const channelId of channelIds.value ?? []) {
      canvas.channelAccess.set(channelId, level as ChannelAccessLevel);
    }
    for (const userId of userIds.value ?? []) {
      if (level === 'owner') {
        canvas.userAccess.set(canvas.ownerId, 'write');
        canvas.ownerId = userId;
      }
      canvas.userAccess.set(userId, level as CanvasAccessLevel);
    }
    return ok();
  },

  'canvases.access.delete': (ws, params) => {
    const canvasId = asString(params.canvas_id);
    if (!canvasId) return rejectPayload('invalid_arguments', ['missing required field: canvas_id']);
    const channelIds = readIdList(params.channel_ids, 'channel_ids');
    if ('reply' in channelIds) return channelIds.reply;
    const userIds = readIdList(params.user_ids, 'user_ids');
    if ('reply' in userIds) return userIds.reply;
    if ((channelIds.value === undefined) === (userIds.value === undefined)) {
      return rejectPayload('invalid_parameters', ['one of user_ids or channel_ids must be given, not both']);
    }
    const off = canvasesOff(ws);
    if (off) return off;
    const canvas = visibleCanvas(ws, canvasId, 'canvas_not_found');
    if (isReply(canvas)) return canvas;
    if (!mayWrite(ws, canvas)) return fail('restricted_action');
    for (const channelId of channelIds.value ?? []) canvas.channelAccess.delete(channelId);
    for (const userId of userIds.value ?? []) canvas.userAccess.delete(userId);
    return ok();
  },

  'canvases.delete': (ws, params) => {
    const canvasId = asString(params.canvas_id);
    if (!canvasId) return rejectPayload('invalid_arguments', ['missing required field: canvas_id']);
    const off = canvasesOff(ws);
    if (off) return off;
    const canvas = visibleCanvas(ws, canvasId, 'canvas_not_found');
    if (isReply(canvas)) return canvas;
    if (!mayWrite(ws, canvas)) return fail('restricted_action');
    canvas.deleted = true;
    const world = worldOf(ws);
    if (
      canvas.isChannelCanvas &&
      canvas.channelId &&
      world.channelCanvases.get(canvas.channelId) === canvas.id
    ) {
      world.channelCanvases.delete(canvas.channelId);
    }
    return ok();
  },
};

// ---------------------------------------------------------------------------
// For the fake's accessors and conversations.info
// ---------------------------------------------------------------------------

function knownCanvas(ws: Workspace, canvasId: string, caller: string): CanvasState {
  const canvas = worldOf(ws).canvases.get(canvasId);
  if (!canvas) throw new Error(`${caller}: unknown canvas ${canvasId}`);
  return canvas;
}

/** The channel's own canvas, as conversations.info shows it under `properties.canvas`. */
export function channelCanvasProperties(
  ws: Workspace,
  channelId: string,
): { file_id: string; is_empty: boolean; quip_thread_id: string } | undefined {
  const canvasId = worldOf(ws).channelCanvases.get(channelId);
  const canvas = canvasId ? worldOf(ws).canvases.get(canvasId) : undefined;
  if (!canvas) return undefined;
  return {
    file_id: canvas.id,
    is_empty: canvas.sections.length === 0,
    quip_thread_id: `FAKEQUIP${canvas.id}`,
  };
}

export function channelCanvasId(ws: Workspace, channelId: string): string | undefined {
  return worldOf(ws).channelCanvases.get(channelId);
}

export function canvasMarkdown(ws: Workspace, canvasId: string): string {
  return markdownOf(knownCanvas(ws, canvasId, 'canvasMarkdown'));
}

export function canvasSummaries(ws: Workspace): CanvasSummary[] {
  return [...worldOf(ws).canvases.values()].map((canvas) => ({
    id: canvas.id,
    title: canvas.title,
    channelId: canvas.channelId,
    isChannelCanvas: canvas.isChannelCanvas,
    ownerId: canvas.ownerId,
    markdown: markdownOf(canvas),
    sections: canvas.sections.map((s) => ({ id: s.id, type: sectionType(s.level), markdown: s.markdown })),
    access: {
      channels: Object.fromEntries(canvas.channelAccess),
      users: Object.fromEntries(canvas.userAccess),
    },
    deleted: canvas.deleted,
  }));
}

export function setCanvasPlan(ws: Workspace, plan: CanvasPlan): void {
  worldOf(ws).plan = plan;
}

export function addCanvas(ws: Workspace, seed: CanvasSeed): string {
  const world = worldOf(ws);
  const channelId = seed.channelCanvasOf;
  if (channelId && !ws.channels.has(channelId)) throw new Error(`addCanvas: unknown channel ${channelId}`);
  if (channelId && world.channelCanvases.has(channelId)) {
    throw new Error(`addCanvas: channel ${channelId} already has its canvas`);
  }
  if (seed.id && world.canvases.has(seed.id)) throw new Error(`addCanvas: canvas ${seed.id} exists already`);
  const canvas = createCanvas(ws, {
    title: seed.title,
    markdown: seed.markdown,
    channelId,
    isChannelCanvas: channelId !== undefined,
    ownerId: seed.ownerId ?? ws.botUserId,
    ...(seed.id ? { id: seed.id } : {}),
  });
  if (seed.channels) canvas.channelAccess = new Map(Object.entries(seed.channels));
  if (seed.users) canvas.userAccess = new Map(Object.entries(seed.users));
  return canvas.id;
}

/**
 * Rewrites a canvas as a person editing it in Slack would: header sections
 * still there (same level and header line) keep their ids, and so does the
 * text before the first header; everything else is new.
 */
export function setCanvasMarkdown(ws: Workspace, canvasId: string, markdown: string): void {
  const canvas = knownCanvas(ws, canvasId, 'setCanvasMarkdown');
  const unused = [...canvas.sections];
  const next = normalise(parseSections(worldOf(ws), markdown));
  for (const section of next) {
    const firstLine = section.markdown.split('\n')[0];
    const match = unused.findIndex((old) =>
      section.level === 0
        ? old.level === 0
        : old.level === section.level && old.markdown.split('\n')[0] === firstLine,
    );
    if (match >= 0) {
      section.id = unused[match]?.id ?? section.id;
      unused.splice(match, 1);
    }
  }
  canvas.sections = next;
}

/** Gives every section of a canvas a new id, as Slack may after an edit. */
export function renewCanvasSectionIds(ws: Workspace, canvasId: string): void {
  const canvas = knownCanvas(ws, canvasId, 'renewCanvasSectionIds');
  const world = worldOf(ws);
  for (const section of canvas.sections) section.id = nextSectionId(world);
}
