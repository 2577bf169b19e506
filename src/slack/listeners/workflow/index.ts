import type { ServiceDeps } from '../../../services/deps.js';
import { ACTIONS, WORKFLOW_STEPS } from '../../ids.js';
import type { ListenerRegistry } from '../index.js';
import { startWorkflowBarButton, workflowStep } from './steps.js';

/** Learning Thread's Workflow Builder steps, and the button their invitations carry. */
export function registerWorkflowListeners(app: ListenerRegistry, deps: ServiceDeps): void {
  app.function(WORKFLOW_STEPS.startBar.callbackId, workflowStep(deps, 'before'));
  app.function(WORKFLOW_STEPS.startAar.callbackId, workflowStep(deps, 'after'));
  app.function(WORKFLOW_STEPS.askQuestion.callbackId, workflowStep(deps, 'question'));
  app.action(ACTIONS.startWorkflowBar, startWorkflowBarButton(deps));
}
