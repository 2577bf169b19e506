import { deleteAfterActionReview, findAfterActionReview } from '../db/queries/after-action.js';
import { findPerspective, listPerspectives } from '../db/queries/perspectives.js';
import { deleteBeforeActionReview, findReview } from '../db/queries/reviews.js';
import type { WorkspaceScope } from '../db/queries/scope.js';
import {
  buildDeleteConfirm,
  parseMenuValue,
  type ReviewThing,
  THING_NAMES,
} from '../slack/views/review-controls.js';
import { openAarEdit } from './after-action.js';
import { scheduleReviewCheckIns } from './check-ins.js';
import { recordMessageRemoval } from './compose.js';
import { type DeliverySlack, deliverAllNow } from './delivery.js';
import type { ServiceDeps } from './deps.js';
import { openPerspectiveEdit, removePerspective } from './perspectives.js';
import { openBarEdit, type ReviewSlack } from './reviews.js';

export type MenuSlack = ReviewSlack & DeliverySlack;

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

/**
 * Deletes what its author confirmed and, in the same transaction, writes what changes in Slack: the
 * perspectives threaded under it go, messages included, and a note replaces its summary.
 */
export async function deleteOwnThing(
  deps: ServiceDeps,
  slack: MenuSlack,
  scope: WorkspaceScope,
  request: { userId: string; thing: ReviewThing; id: string },
): Promise<boolean> {
  const found = await ownedThing(deps, scope, request.thing, request.id);
  if (!found || found.owned.authorId !== request.userId) return false;
  if (request.thing === 'perspective') {
    if ('perspective' in found && found.perspective) {
      await deliverAllNow(deps, slack, await removePerspective(deps, scope, found.perspective));
    }
    return true;
  }
  const thing = request.thing;
  const now = deps.clock();
  const effects = await deps.db.transaction(async (tx) => {
    const written: Array<string | undefined> = [];
    for (const perspective of await listPerspectives(tx, scope, { target: thing, id: request.id })) {
      if (!perspective.messageTs) continue;
      written.push(
        await recordMessageRemoval(tx, scope, {
          channelId: perspective.channelId,
          ts: perspective.messageTs,
          replaceWith: null,
          now,
        }),
      );
    }
    if (thing === 'before') await deleteBeforeActionReview(tx, scope, request.id, now);
    else await deleteAfterActionReview(tx, scope, request.id, now);
    if (found.owned.summaryTs) {
      written.push(
        await recordMessageRemoval(tx, scope, {
          channelId: found.owned.channelId,
          ts: found.owned.summaryTs,
          replaceWith: thing,
          now,
        }),
      );
    }
    return written;
  });
  if (thing === 'after') {
    // The loop is open again, so its look-back check-ins and reminder come back.
    const reopened =
      'aar' in found && found.aar?.reviewId
        ? await findReview(deps.db, scope, found.aar.reviewId)
        : undefined;
    if (reopened) await scheduleReviewCheckIns(deps, scope, reopened, { reopening: true });
  }
  deps.log.info({ team: scope.teamId, thing, id: request.id }, 'deleted by its author');
  await deliverAllNow(deps, slack, effects);
  return true;
}
