import type { WebClient } from '@slack/web-api';
import { deleteAfterActionReview, findAfterActionReview } from '../db/queries/after-action.js';
import { findPerspective, listPerspectives } from '../db/queries/perspectives.js';
import { deleteBeforeActionReview, findReview } from '../db/queries/reviews.js';
import type { WorkspaceScope } from '../db/queries/scope.js';
import { describeError } from '../logger.js';
import {
  buildDeleteConfirm,
  deletedNotice,
  parseMenuValue,
  type ReviewThing,
  THING_NAMES,
} from '../slack/views/review-controls.js';
import { openAarEdit } from './after-action.js';
import { scheduleReviewCheckIns } from './check-ins.js';
import type { ServiceDeps } from './deps.js';
import { openPerspectiveEdit, removePerspective } from './perspectives.js';
import { openBarEdit, type ReviewSlack } from './reviews.js';

export type MenuSlack = ReviewSlack & {
  chat: Pick<WebClient['chat'], 'postMessage' | 'update' | 'delete'>;
};

interface Owned {
  authorId: string | null;
  channelId: string;
  summaryTs: string | null;
}

async function ownedThing(deps: ServiceDeps, scope: WorkspaceScope, thing: ReviewThing, id: string) {
  if (thing === 'before') {
    const review = await findReview(deps.db, scope, id);
    return (
      review && {
        owned: { authorId: review.authorId, channelId: review.channelId, summaryTs: review.summaryTs },
      }
    );
  }
  if (thing === 'after') {
    const aar = await findAfterActionReview(deps.db, scope, id);
    return (
      aar && { owned: { authorId: aar.authorId, channelId: aar.channelId, summaryTs: aar.summaryTs }, aar }
    );
  }
  const perspective = await findPerspective(deps.db, scope, id);
  return (
    perspective && {
      owned: {
        authorId: perspective.userId,
        channelId: perspective.channelId,
        summaryTs: perspective.messageTs,
      } as Owned,
      perspective,
    }
  );
}

/**
 * The "…" menu on a review or perspective. Returns a private note for the person, or nothing when a
 * form was opened. Only the author may edit or delete; everyone else is told who can.
 */
export async function useReviewMenu(
  deps: ServiceDeps,
  slack: MenuSlack,
  scope: WorkspaceScope,
  request: { userId: string; triggerId: string; value: string },
): Promise<string | undefined> {
  const choice = parseMenuValue(request.value);
  const found = choice && (await ownedThing(deps, scope, choice.thing, choice.id));
  if (!choice || !found) return 'That is no longer available.';
  if (found.owned.authorId !== request.userId) {
    return found.owned.authorId
      ? `Only <@${found.owned.authorId}>, who wrote this ${THING_NAMES[choice.thing]}, can change or delete it.`
      : 'An anonymous perspective cannot be changed, because nothing links it to anyone.';
  }
  if (choice.verb === 'delete') {
    await slack.views.open({
      trigger_id: request.triggerId,
      view: buildDeleteConfirm(choice.thing, choice.id),
    });
    return undefined;
  }
  if (choice.thing === 'before')
    await openBarEdit(deps, slack, scope, { triggerId: request.triggerId, reviewId: choice.id });
  if (choice.thing === 'after' && 'aar' in found && found.aar) {
    await openAarEdit(deps, slack, scope, { triggerId: request.triggerId, aar: found.aar });
  }
  if (choice.thing === 'perspective' && 'perspective' in found && found.perspective) {
    await openPerspectiveEdit(deps, slack, scope, {
      triggerId: request.triggerId,
      perspective: found.perspective,
    });
  }
  return undefined;
}

/** Deletes what its author confirmed, and leaves a note where its message was. */
export async function deleteOwnThing(
  deps: ServiceDeps,
  slack: MenuSlack,
  scope: WorkspaceScope,
  request: { userId: string; thing: ReviewThing; id: string },
): Promise<boolean> {
  const found = await ownedThing(deps, scope, request.thing, request.id);
  if (!found || found.owned.authorId !== request.userId) return false;
  if (request.thing === 'perspective') {
    if ('perspective' in found && found.perspective)
      await removePerspective(deps, slack, scope, found.perspective);
    return true;
  }
  // The perspectives threaded under it go with it, messages included.
  for (const perspective of await listPerspectives(deps.db, scope, {
    target: request.thing,
    id: request.id,
  })) {
    if (!perspective.messageTs) continue;
    try {
      await slack.chat.delete({ channel: perspective.channelId, ts: perspective.messageTs });
    } catch (error) {
      deps.log.warn(
        { perspective: perspective.id, err: describeError(error) },
        'perspective message not removed',
      );
    }
  }
  if (request.thing === 'before') {
    await deleteBeforeActionReview(deps.db, scope, request.id, deps.clock());
  } else {
    await deleteAfterActionReview(deps.db, scope, request.id, deps.clock());
    // The loop is open again, so its look-back check-ins and reminder come back.
    const reopened =
      'aar' in found && found.aar?.reviewId
        ? await findReview(deps.db, scope, found.aar.reviewId)
        : undefined;
    if (reopened) await scheduleReviewCheckIns(deps, scope, reopened, { reopening: true });
  }
  if (found.owned.summaryTs) {
    try {
      await slack.chat.update({
        channel: found.owned.channelId,
        ts: found.owned.summaryTs,
        ...deletedNotice(request.thing),
      });
    } catch (error) {
      deps.log.warn({ thing: request.thing, err: describeError(error) }, 'deleted message not updated');
    }
  }
  deps.log.info({ team: scope.teamId, thing: request.thing, id: request.id }, 'deleted by its author');
  return true;
}
