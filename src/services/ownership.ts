import type { WebClient } from '@slack/web-api';
import { findHistoryCanvas } from '../db/queries/history-canvases.js';
import {
  channelHistory,
  countChannelData,
  countPersonalData,
  deleteChannelData,
  forgetPerson,
  personWords,
} from '../db/queries/ownership.js';
import { findReview } from '../db/queries/reviews.js';
import { findChannelSettings } from '../db/queries/rhythms.js';
import type { WorkspaceScope } from '../db/queries/scope.js';
import {
  type ChannelHistory,
  exportFileName,
  firstRecordDay,
  type HistoryCanvasState,
  historyCsv,
  historyMarkdown,
  historyRecords,
  type LearningHistoryNote,
  type MyWords,
  myWordsCsv,
  myWordsFileName,
  myWordsMarkdown,
  myWordsRecords,
  peopleIn,
  peopleInWords,
  periodWords,
  type StoredHistory,
  wordsByChannel,
} from '../domain/export-format.js';
import { type ExportPeriod, type PeriodRequest, periodInstants, periodOf } from '../domain/export-period.js';
import { historyPeriodOfDays, MAX_HISTORY_QUARTERS } from '../domain/history-period.js';
import { calendarDateIn } from '../domain/time.js';
import { describeError } from '../logger.js';
import { slackErrorCode } from '../slack/errors.js';
import { historyFileName, historyTitle } from '../slack/views/learning-history.js';
import type { SlackMessage } from '../slack/views/message.js';
import {
  ADMINS_ONLY,
  buildDeleteChannelConfirm,
  buildDeleteChannelDone,
  buildForgetMeConfirm,
  buildForgetMeDone,
  confirms,
  DELETE_CHANNEL_EXPIRED,
  EXPORT_FAILED,
  EXPORT_ON_ITS_WAY,
  exportEmpty,
  exportSent,
  FORGET_ME_EXPIRED,
  MY_WORDS_FAILED,
  MY_WORDS_NONE,
  MY_WORDS_ON_THEIR_WAY,
  myWordsComment,
  myWordsSent,
  noteOf,
  parseConfirmation,
} from '../slack/views/ownership.js';
import { scheduleReviewCheckIns } from './check-ins.js';
import { recordMessageRemoval } from './compose.js';
import { type DeliverySlack, deliverAllNow, deliverNow } from './delivery.js';
import type { ServiceDeps } from './deps.js';
import { recordHistoryRewrites } from './history-canvas.js';
import { learningHistoryMarkdown } from './learning-history.js';
import { isWorkspaceAdmin, namesOf, timeZoneOf } from './people.js';
import { recordSummaryUpdate } from './voices.js';

export type OwnershipSlack = DeliverySlack & {
  conversations: Pick<WebClient['conversations'], 'info'>;
};

/** The private reply to `/learning forget-me`: counts of what would go, and the button. */
export async function describeForgetting(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  userId: string,
): Promise<SlackMessage> {
  const data = await countPersonalData(deps.db, scope, userId);
  return buildForgetMeConfirm(data, { teamId: scope.teamId, userId, issuedAt: deps.clock().getTime() });
}

/**
 * Delivers the removals written with the forgetting, one by one, and counts them for the person: a
 * message that will not go is counted by why (already gone, or a channel the app can no longer reach).
 */
async function removeMessages(
  deps: ServiceDeps,
  slack: OwnershipSlack,
  removals: readonly (string | undefined)[],
): Promise<{ removed: number; notRemoved: number; errors: Record<string, number> }> {
  const errors: Record<string, number> = {};
  let removed = 0;
  for (const id of removals) {
    // Written before by the same change (a repeated click): its removal is already delivered or on its way.
    const result = id ? await deliverNow(deps, slack, id) : 'posted';
    if (result === 'posted') removed += 1;
    else errors[result] = (errors[result] ?? 0) + 1;
  }
  return { removed, notRemoved: removals.length - removed, errors };
}

export type ForgetOutcome =
  | { outcome: 'forgotten'; message: SlackMessage }
  | { outcome: 'expired'; message: SlackMessage }
  | { outcome: 'refused' };

/**
 * The "Delete everything I wrote" click. Acts only for the person the confirmation was made for, in
 * its workspace, while it is fresh: a forwarded or forged value deletes nothing. The deletion is one
 * transaction; removing the app's messages and redrawing other people's summaries come after, and a
 * failure there is logged, never undoing it. Logs carry counts only: a line saying whose words went
 * would itself keep them.
 */
export async function forgetMe(
  deps: ServiceDeps,
  slack: OwnershipSlack,
  scope: WorkspaceScope,
  click: { userId: string; value: string },
): Promise<ForgetOutcome> {
  const confirmation = parseConfirmation(click.value);
  const verdict = confirmation
    ? confirms(confirmation, { teamId: scope.teamId, userId: click.userId, at: deps.clock() })
    : 'not_theirs';
  if (verdict === 'expired') return { outcome: 'expired', message: noteOf(FORGET_ME_EXPIRED) };
  if (verdict !== 'yes') {
    deps.log.warn({ team: scope.teamId }, 'forget-me confirmation refused');
    return { outcome: 'refused' };
  }
  const now = deps.clock();
  // The summaries that showed this person are rewritten without them, written with the forgetting.
  // The app's messages that carried their words are removed, and the summaries that showed them
  // redrawn without them: both written with the forgetting, so a crash cannot leave their words in Slack.
  const { forgotten, removals, rewrites } = await deps.db.transaction(async (tx) => {
    const gone = await forgetPerson(tx, scope, { userId: click.userId, now });
    const removals: Array<string | undefined> = [];
    for (const message of gone.messages) {
      removals.push(await recordMessageRemoval(tx, scope, { ...message, replaceWith: null, now }));
    }
    const rewrites: Array<string | undefined> = [];
    for (const of of gone.refresh) {
      rewrites.push(await recordSummaryUpdate(tx, scope, { of, cause: `forgotten:${now.getTime()}`, now }));
    }
    rewrites.push(...(await recordHistoryRewrites(tx, scope, { cause: `forgotten:${now.getTime()}`, now })));
    return { forgotten: gone, removals, rewrites };
  });
  const messages = await removeMessages(deps, slack, removals);
  for (const reviewId of forgotten.reopened) {
    try {
      const review = await findReview(deps.db, scope, reviewId);
      if (review) await scheduleReviewCheckIns(deps, scope, review, { reopening: true });
    } catch (error) {
      deps.log.warn({ team: scope.teamId, err: describeError(error) }, 'check-ins not restored');
    }
  }
  await deliverAllNow(deps, slack, rewrites);
  deps.log.info(
    {
      team: scope.teamId,
      ...forgotten.data.words,
      ...forgotten.data.mentions,
      kept: forgotten.data.othersUnderTheirReviews,
      messagesRemoved: messages.removed,
      messagesNotRemoved: messages.errors,
      summariesRedrawn: forgotten.refresh.length,
    },
    'person forgotten',
  );
  return { outcome: 'forgotten', message: buildForgetMeDone(forgotten.data, messages) };
}

/**
 * A person's direct messages with the app. conversations.open needs the im:write scope, which older
 * installs lack; posting to a user id opens the same conversation with chat:write alone.
 */
async function directMessagesWith(
  slack: OwnershipSlack,
  userId: string,
  greeting = EXPORT_ON_ITS_WAY,
): Promise<string> {
  try {
    const opened = await slack.conversations.open({ users: userId });
    if (opened.channel?.id) return opened.channel.id;
  } catch (error) {
    if (slackErrorCode(error) !== 'missing_scope') throw error;
  }
  const posted = await slack.chat.postMessage({ channel: userId, text: greeting });
  if (!posted.channel) throw new Error('no direct message channel');
  return posted.channel;
}

function isEmpty(history: StoredHistory): boolean {
  return Object.values(history).every((rows) => rows.length === 0);
}

/**
 * The channel's name for the export's files and headings. conversations.info needs no more than the
 * scopes the app has; a channel Slack will not describe (private, and the app is not in it) keeps its id.
 */
async function channelNameOf(
  deps: ServiceDeps,
  slack: OwnershipSlack,
  channelId: string,
): Promise<string | null> {
  try {
    const { channel } = await slack.conversations.info({ channel: channelId });
    return channel?.name || null;
  } catch (error) {
    deps.log.info(
      { channel: channelId, error: slackErrorCode(error) ?? 'unknown_error' },
      'channel not named',
    );
    return null;
  }
}

/** Whether the channel keeps its learning history in a canvas, as its row says. */
async function historyCanvasState(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  channelId: string,
): Promise<HistoryCanvasState> {
  const canvas = await findHistoryCanvas(deps.db, scope, channelId);
  if (!canvas) return 'never';
  if (canvas.turnedOffAt) return 'off';
  return canvas.refusedError ? 'refused' : 'on';
}

interface LearningHistoryFile {
  note: LearningHistoryNote;
  title: string;
  markdown: string;
}

/**
 * The channel's learning history for the export's days, the document `/learning history` shares. When
 * it cannot be put together the export goes without it: the records matter more than the reading of them.
 */
async function learningHistoryFile(
  deps: ServiceDeps,
  slack: OwnershipSlack,
  scope: WorkspaceScope,
  request: { channelId: string; channelName: string; period: ExportPeriod; timeZone: string },
): Promise<LearningHistoryFile | undefined> {
  const { period, cut } = historyPeriodOfDays(request.period.from, request.period.to, request.timeZone);
  try {
    const { markdown } = await learningHistoryMarkdown(deps, slack, scope, { ...request, period });
    return {
      note: {
        fileName: historyFileName(request.channelName, period),
        covers: period.label,
        ...(cut ? { latestQuarters: MAX_HISTORY_QUARTERS } : {}),
      },
      title: historyTitle(request.channelName, period.label),
      markdown,
    };
  } catch (error) {
    deps.log.warn(
      { team: scope.teamId, channel: request.channelId, err: describeError(error) },
      'learning history left out of the export',
    );
    return undefined;
  }
}

/**
 * `/learning export`: the channel's records as a Markdown and a CSV file, and its learning history for
 * the same days organised by learning question, uploaded into the admin's direct messages with the app
 * and nowhere else, for the days asked for (in the channel's own calendar) or everything. People are
 * named beside their ids, asked of Slack once each. Returns what to tell them.
 */
export async function exportChannel(
  deps: ServiceDeps,
  slack: OwnershipSlack,
  scope: WorkspaceScope,
  request: { userId: string; channelId: string; period: PeriodRequest },
): Promise<string> {
  if (!(await isWorkspaceAdmin(slack, request.userId))) {
    deps.log.info({ team: scope.teamId, channel: request.channelId, user: request.userId }, 'export refused');
    return ADMINS_ONLY;
  }
  const settings = await findChannelSettings(deps.db, scope, request.channelId);
  const timeZone = settings?.timeZone ?? 'UTC';
  const generatedAt = deps.clock();
  const today = calendarDateIn(generatedAt, timeZone);
  const asked = request.period.kind === 'everything' ? undefined : periodOf(request.period, today);
  const rows = await channelHistory(deps.db, scope, {
    channelId: request.channelId,
    ...(asked ? periodInstants(asked, timeZone) : {}),
  });
  const period = asked ?? periodOf(request.period, today, firstRecordDay(rows, timeZone));
  if (isEmpty(rows)) return exportEmpty(request.channelId, period);
  const channelName = await channelNameOf(deps, slack, request.channelId);
  const learning = await learningHistoryFile(deps, slack, scope, {
    channelId: request.channelId,
    channelName: channelName ?? request.channelId,
    period,
    timeZone,
  });
  const history: ChannelHistory = {
    ...rows,
    channelId: request.channelId,
    channelName,
    generatedAt,
    period,
    names: await namesOf(slack, peopleIn(rows)),
    timeZone,
    historyCanvas: await historyCanvasState(deps, scope, request.channelId),
    ...(learning ? { learningHistory: learning.note } : {}),
  };
  const label = history.channelName ? `#${history.channelName}` : `#${request.channelId}`;
  const covers = `${period.from} to ${period.to}`;
  try {
    const dm = await directMessagesWith(slack, request.userId);
    await slack.files.uploadV2({
      channel_id: dm,
      initial_comment: `The learning history of <#${request.channelId}>: ${periodWords(period)} (${timeZone}), exported ${today}.`,
      file_uploads: [
        {
          file: Buffer.from(historyMarkdown(history), 'utf8'),
          filename: exportFileName(history, 'md'),
          title: `Learning history of ${label}, ${covers}`,
        },
        {
          file: Buffer.from(historyCsv(history), 'utf8'),
          filename: exportFileName(history, 'csv'),
          title: `Learning history of ${label}, ${covers}, one row per record`,
        },
        ...(learning
          ? [
              {
                file: Buffer.from(learning.markdown, 'utf8'),
                filename: learning.note.fileName,
                title: learning.title,
              },
            ]
          : []),
      ],
    });
  } catch (error) {
    deps.log.warn(
      { team: scope.teamId, channel: request.channelId, err: describeError(error) },
      'export not delivered',
    );
    return EXPORT_FAILED;
  }
  deps.log.info(
    {
      team: scope.teamId,
      channel: request.channelId,
      user: request.userId,
      records: historyRecords(history).length,
      people: peopleIn(rows).length,
      named: history.names.size,
      from: period.from,
      to: period.to,
      learningHistory: Boolean(learning),
      historyCanvas: history.historyCanvas,
    },
    'channel exported',
  );
  return exportSent(request.channelId, period, { learningHistory: Boolean(learning) });
}

export type MyWordsOutcome = { outcome: 'sent' | 'nothing' | 'failed'; text: string };

/**
 * "Export what I wrote" and `/learning export mine`: everything this person wrote in the workspace,
 * every channel, as a Markdown and a CSV file in their direct messages with the app. Anyone may ask, and
 * only for themselves: whose words go is who asked. Anonymous answers are not among them; nothing
 * links them to anyone. Logs carry counts only.
 */
export async function exportMine(
  deps: ServiceDeps,
  slack: OwnershipSlack,
  scope: WorkspaceScope,
  userId: string,
): Promise<MyWordsOutcome> {
  const channels = wordsByChannel(await personWords(deps.db, scope, userId));
  if (channels.length === 0) {
    deps.log.info({ team: scope.teamId, user: userId }, 'nothing of theirs to export');
    return { outcome: 'nothing', text: MY_WORDS_NONE };
  }
  const timeZone = await timeZoneOf(slack, userId);
  const channelNames = new Map<string, string>();
  for (const { channelId } of channels) {
    const name = await channelNameOf(deps, slack, channelId);
    if (name) channelNames.set(channelId, name);
  }
  const mine: MyWords = {
    userId,
    generatedAt: deps.clock(),
    timeZone,
    names: await namesOf(slack, peopleInWords(userId, channels)),
    channelNames,
    channels,
  };
  const day = calendarDateIn(mine.generatedAt, timeZone);
  try {
    const dm = await directMessagesWith(slack, userId, MY_WORDS_ON_THEIR_WAY);
    await slack.files.uploadV2({
      channel_id: dm,
      initial_comment: myWordsComment(day, channels.length),
      file_uploads: [
        {
          file: Buffer.from(myWordsMarkdown(mine), 'utf8'),
          filename: myWordsFileName(day, 'md'),
          title: `What you wrote, exported ${day}`,
        },
        {
          file: Buffer.from(myWordsCsv(mine), 'utf8'),
          filename: myWordsFileName(day, 'csv'),
          title: `What you wrote, exported ${day}, one row per record`,
        },
      ],
    });
  } catch (error) {
    deps.log.warn({ team: scope.teamId, user: userId, err: describeError(error) }, 'own words not delivered');
    return { outcome: 'failed', text: MY_WORDS_FAILED };
  }
  deps.log.info(
    {
      team: scope.teamId,
      user: userId,
      channels: channels.length,
      records: myWordsRecords(mine).length,
      named: mine.names.size,
    },
    'own words exported',
  );
  return { outcome: 'sent', text: myWordsSent() };
}

/** `/learning delete-channel-data`: for admins, the counts and the confirmation button. */
export async function askToDeleteChannelData(
  deps: ServiceDeps,
  slack: Pick<OwnershipSlack, 'users'>,
  scope: WorkspaceScope,
  request: { userId: string; channelId: string },
): Promise<SlackMessage> {
  if (!(await isWorkspaceAdmin(slack, request.userId))) {
    deps.log.info(
      { team: scope.teamId, channel: request.channelId, user: request.userId },
      'channel deletion refused',
    );
    return noteOf(ADMINS_ONLY);
  }
  const data = await countChannelData(deps.db, scope, request.channelId);
  return buildDeleteChannelConfirm(request.channelId, data, {
    teamId: scope.teamId,
    userId: request.userId,
    issuedAt: deps.clock().getTime(),
    channelId: request.channelId,
  });
}

/**
 * The confirmation click. The person who asked, still an admin now, in the same workspace, soon enough:
 * otherwise nothing is deleted. Returns what to tell them, or nothing for a click that was never theirs.
 */
export async function deleteChannelDataConfirmed(
  deps: ServiceDeps,
  slack: Pick<OwnershipSlack, 'users'>,
  scope: WorkspaceScope,
  click: { userId: string; value: string },
): Promise<SlackMessage | undefined> {
  const confirmation = parseConfirmation(click.value);
  const channelId = confirmation?.channelId;
  const verdict =
    confirmation && channelId
      ? confirms(confirmation, { teamId: scope.teamId, userId: click.userId, at: deps.clock(), channelId })
      : 'not_theirs';
  if (verdict === 'expired') return noteOf(DELETE_CHANNEL_EXPIRED);
  if (verdict !== 'yes' || !channelId) {
    deps.log.warn({ team: scope.teamId, user: click.userId }, 'channel deletion confirmation refused');
    return undefined;
  }
  if (!(await isWorkspaceAdmin(slack, click.userId))) {
    deps.log.info({ team: scope.teamId, channel: channelId, user: click.userId }, 'channel deletion refused');
    return noteOf(ADMINS_ONLY);
  }
  const removed = await deleteChannelData(deps.db, scope, channelId);
  deps.log.info(
    { team: scope.teamId, channel: channelId, user: click.userId, ...removed },
    'channel data deleted',
  );
  return buildDeleteChannelDone(channelId, removed);
}
