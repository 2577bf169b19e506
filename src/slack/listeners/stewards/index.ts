import type { ServiceDeps } from '../../../services/deps.js';
import { CALLBACKS } from '../../ids.js';
import type { ListenerRegistry } from '../index.js';
import { stewardsSubmission } from './stewards-submission.js';

/** Wires the channel stewards modal's listeners. */
export function registerStewardListeners(app: ListenerRegistry, deps: ServiceDeps): void {
  app.view(CALLBACKS.channelStewards, stewardsSubmission(deps));
}
