import type { WebClient } from '@slack/web-api';
import { changeQuestions, listActiveQuestions } from '../db/queries/questions.js';
import type { WorkspaceScope } from '../db/queries/scope.js';
import {
  isFramingQuestion,
  planQuestionChanges,
  type QuestionErrors,
  validateQuestionChanges,
} from '../domain/questions.js';
import { changeAmong, type QuestionsDraft } from '../slack/forms/learning-questions.js';
import { buildQuestionsModal, buildQuestionsSaved } from '../slack/views/questions.js';
import type { ServiceDeps } from './deps.js';
import {
  type AccessSlack,
  checkSubmissionAccess,
  claimIfUnclaimed,
  mayOpenChannelSettings,
  type StewardsSlack,
} from './stewards.js';

export interface QuestionsSlack extends AccessSlack {
  views: Pick<WebClient['views'], 'open'>;
  chat: StewardsSlack['chat'];
}

const forDisplay = (rows: Awaited<ReturnType<typeof listActiveQuestions>>) =>
  rows.map((row) => ({ id: row.id, text: row.text }));

/** Opens a channel's learning questions, each ready to be reworded in place. */
export async function openQuestionsModal(
  deps: ServiceDeps,
  slack: QuestionsSlack,
  scope: WorkspaceScope,
  request: { triggerId: string; userId: string; channelId: string },
): Promise<void> {
  if (!(await mayOpenChannelSettings(deps, slack, scope, request, 'questions'))) return;
  const active = await listActiveQuestions(deps.db, scope, request.channelId);
  await slack.views.open({
    trigger_id: request.triggerId,
    view: buildQuestionsModal({ channelId: request.channelId, active: forDisplay(active) }),
  });
}

export type QuestionsSubmission =
  | { outcome: 'invalid'; errors: QuestionErrors }
  | { outcome: 'saved'; view: ReturnType<typeof buildQuestionsSaved> };

export async function saveQuestions(
  deps: ServiceDeps,
  slack: AccessSlack,
  scope: WorkspaceScope,
  submission: { userId: string; channelId: string; draft: QuestionsDraft },
): Promise<QuestionsSubmission> {
  const check = await checkSubmissionAccess(deps, slack, scope, submission, 'questions');
  if (!check.allowed) return { outcome: 'invalid', errors: { add: check.error } };
  const current = forDisplay(await listActiveQuestions(deps.db, scope, submission.channelId));
  const requested = changeAmong(
    submission.draft,
    current.map((question) => question.id),
  );
  const errors = validateQuestionChanges(current, requested);
  if (Object.keys(errors).length > 0) {
    deps.log.info(
      { team: scope.teamId, channel: submission.channelId, fields: Object.keys(errors).length },
      'learning questions refused',
    );
    return { outcome: 'invalid', errors };
  }
  const counts = await changeQuestions(deps.db, scope, submission.channelId, {
    ...planQuestionChanges(current, requested),
    userId: submission.userId,
    now: deps.clock(),
  });
  await claimIfUnclaimed(deps, scope, check.access, submission);
  const active = forDisplay(await listActiveQuestions(deps.db, scope, submission.channelId));
  const notFramed = active
    .filter((question) => !isFramingQuestion(question.text))
    .map((question) => question.id);
  deps.log.info(
    {
      team: scope.teamId,
      channel: submission.channelId,
      ...counts,
      active: active.length,
      notFramed: notFramed.length,
    },
    'learning questions changed',
  );
  return {
    outcome: 'saved',
    view: buildQuestionsSaved({ channelId: submission.channelId, active, notFramed }),
  };
}
