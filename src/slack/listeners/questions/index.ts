import type { ServiceDeps } from '../../../services/deps.js';
import { CALLBACKS } from '../../ids.js';
import type { ListenerRegistry } from '../index.js';
import { questionsSubmission } from './questions-submission.js';

/** Wires the learning questions modal's listeners. */
export function registerQuestionListeners(app: ListenerRegistry, deps: ServiceDeps): void {
  app.view(CALLBACKS.learningQuestions, questionsSubmission(deps));
}
