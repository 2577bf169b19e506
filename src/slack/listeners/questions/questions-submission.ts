import type { ServiceDeps } from '../../../services/deps.js';
import { saveQuestions } from '../../../services/questions.js';
import { questionsForm } from '../../forms/learning-questions.js';
import { modalSubmit } from '../modal-submit.js';

/** Saves the learning questions form, or keeps it open with what needs changing under each field. */
export function questionsSubmission(deps: ServiceDeps) {
  return modalSubmit(deps, questionsForm, {
    save: ({ client, scope, userId, metadata, draft }) =>
      saveQuestions(deps, client, scope, { userId, channelId: metadata.channelId, draft }),
  });
}
