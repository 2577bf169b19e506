import type { App } from '@slack/bolt';
import type { ServiceDeps } from '../../services/deps.js';
import type { InstallationMover } from '../../services/workspaces.js';
import { ACTIONS, CALLBACKS, COMMANDS, EVENTS, RHYTHM_INPUTS } from '../ids.js';
import {
  addPerspectiveButton,
  confidenceSelect,
  reviewMenu,
  startAarButton,
} from './after-action/actions.js';
import { aarSubmission, confirmDeleteSubmission, perspectiveSubmission } from './after-action/submissions.js';
import { digestItemVoteButton } from './digest/feedback-buttons.js';
import { postDigestAgainButton } from './digest/post-again.js';
import { learningCommand, moreCommandsButton } from './help/learning-command.js';
import { appHomeOpened } from './home/app-home-opened.js';
import { registerHomeListeners } from './home/index.js';
import { deleteChannelDataButton, exportMineButton, forgetMeButton } from './ownership/buttons.js';
import { registerQuestionListeners } from './questions/index.js';
import { messageEvents } from './responses/message-events.js';
import {
  answerButton,
  answerSubmission,
  skipSelect,
  withdrawAnswerButton,
} from './responses/prompt-actions.js';
import { aarCommand } from './reviews/aar-command.js';
import { barCommand } from './reviews/bar-command.js';
import { barSubmission } from './reviews/bar-submission.js';
import { readReviewInFull, retryShareButton, startBarButton } from './reviews/review-buttons.js';
import { appLeftChannel, memberJoinedChannel, setUpRhythmButton } from './rhythms/channel-joined.js';
import { promptsSubmission, rhythmSubmission } from './rhythms/settings-submissions.js';
import { timeZoneOptions } from './rhythms/time-zone-options.js';
import { registerStewardListeners } from './stewards/index.js';
import { withWellFormedIds } from './well-formed.js';
import { registerWorkflowListeners } from './workflow/index.js';
import { appUninstalled, gridMigrationFinished, tokensRevoked } from './workspace/workspace-events.js';

export type ListenerRegistry = Pick<App, 'command' | 'view' | 'action' | 'event' | 'options' | 'function'>;

/** Wiring only: each id maps to a named listener that lives in its feature's folder. */
export function registerListeners(
  registry: ListenerRegistry,
  deps: ServiceDeps,
  installations?: InstallationMover,
): void {
  const app = withWellFormedIds(registry, deps);
  app.command(COMMANDS.bar, barCommand(deps));
  app.command(COMMANDS.aar, aarCommand(deps));
  app.command(COMMANDS.learning, learningCommand(deps));

  app.view(CALLBACKS.barModal, barSubmission(deps));
  app.view(CALLBACKS.rhythmSettings, rhythmSubmission(deps));
  app.view(CALLBACKS.channelPrompts, promptsSubmission(deps));
  app.view(CALLBACKS.promptAnswer, answerSubmission(deps));
  app.view(CALLBACKS.aarModal, aarSubmission(deps));
  app.view(CALLBACKS.perspectiveModal, perspectiveSubmission(deps));
  app.view(CALLBACKS.confirmDelete, confirmDeleteSubmission(deps));

  app.action(ACTIONS.readReviewInFull, readReviewInFull(deps));
  app.action(ACTIONS.retryShare, retryShareButton(deps));
  app.action(ACTIONS.startBar, startBarButton(deps));
  app.action(ACTIONS.setUpRhythm, setUpRhythmButton(deps));
  app.action(ACTIONS.answerPrivately, answerButton(deps, 'private'));
  app.action(ACTIONS.answerAnonymously, answerButton(deps, 'anonymous'));
  app.action(ACTIONS.withdrawPrivateAnswer, withdrawAnswerButton(deps));
  app.action(ACTIONS.skipPrompt, skipSelect(deps));
  app.action(ACTIONS.startAar, startAarButton(deps, false));
  app.action(ACTIONS.startAarWithoutBar, startAarButton(deps, true));
  app.action(ACTIONS.addPerspective, addPerspectiveButton(deps));
  app.action(ACTIONS.reviewMenu, reviewMenu(deps));
  app.action(ACTIONS.checkInConfidence, confidenceSelect(deps));
  app.action(ACTIONS.postDigestAgain, postDigestAgainButton(deps));
  app.action(ACTIONS.digestItemUseful, digestItemVoteButton(deps, 'useful'));
  app.action(ACTIONS.digestItemNotUseful, digestItemVoteButton(deps, 'not_useful'));
  app.action(ACTIONS.forgetMe, forgetMeButton(deps));
  app.action(ACTIONS.deleteChannelData, deleteChannelDataButton(deps));
  app.action(ACTIONS.exportMine, exportMineButton(deps));

  app.options(
    {
      type: 'block_suggestion',
      block_id: RHYTHM_INPUTS.timeZone.block,
      action_id: RHYTHM_INPUTS.timeZone.action,
    },
    timeZoneOptions(deps),
  );
  app.action(ACTIONS.moreCommands, moreCommandsButton(deps));

  app.event(EVENTS.appHomeOpened, appHomeOpened(deps));
  app.event(EVENTS.message, messageEvents(deps));
  app.event(EVENTS.memberJoinedChannel, memberJoinedChannel(deps));
  app.event(EVENTS.channelLeft, appLeftChannel(deps));
  app.event(EVENTS.groupLeft, appLeftChannel(deps));
  app.event(EVENTS.appUninstalled, appUninstalled(deps));
  app.event(EVENTS.tokensRevoked, tokensRevoked(deps));
  app.event(EVENTS.gridMigrationFinished, gridMigrationFinished(deps, installations));

  registerHomeListeners(app, deps);
  registerQuestionListeners(app, deps);
  registerStewardListeners(app, deps);
  registerWorkflowListeners(app, deps);
}
