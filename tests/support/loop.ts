import type { AfterActionReview } from '../../src/db/schema.js';
import { AAR_INPUTS, ACTIONS, CALLBACKS, PERSPECTIVE_INPUTS } from '../../src/slack/ids.js';
import { barAnswers, barStateValues } from './factories.js';
import type { RecordedCall } from './fake-slack.js';
import type { Harness } from './harness.js';
import { type Actor, buttonPayload, viewSubmissionPayload } from './slack-requests.js';

/** The parts of a sent view these tests read. */
export interface SentView {
  callback_id: string;
  private_metadata: string;
  title: { text: string };
  blocks: Array<{
    type: string;
    block_id?: string;
    text?: { text: string };
    element?: Record<string, unknown>;
    elements?: Array<Record<string, unknown>>;
  }>;
}

let views = 0;
export const nextViewId = () => {
  views += 1;
  return `V0LOOP${views}`;
};

export function viewOf(call: RecordedCall): SentView {
  return call.params.view as SentView;
}

/** Runs `open` and returns the view it opened with this callback id, with a fresh id to submit it under. */
export async function viewOpenedBy(
  h: Harness,
  callbackId: string,
  open: () => Promise<unknown>,
): Promise<SentView & { id: string }> {
  const before = h.slack.callsTo('views.open').length;
  await open();
  await h.slack.waitForCall(
    'views.open',
    (call) =>
      h.slack.callsTo('views.open').length > before &&
      (call.params.view as { callback_id: string }).callback_id === callbackId,
  );
  return { ...viewOf(h.slack.callsTo('views.open').at(-1) as RecordedCall), id: nextViewId() };
}

/** Runs /bar and submits the modal, returning the posted summary. */
export async function createReview(
  h: Harness,
  answers: Parameters<typeof barAnswers>[0],
  extra: Record<string, Record<string, unknown>> = {},
) {
  const before = h.slack.callsTo('views.open').length;
  await h.command('/bar', answers?.action ?? '');
  const opened = await h.slack.waitForCall('views.open', () => h.slack.callsTo('views.open').length > before);
  const view = viewOf(h.slack.callsTo('views.open').at(-1) ?? opened);
  const response = await h.submitView(
    { ...view, id: nextViewId() },
    { ...barStateValues(barAnswers(answers)), ...extra },
  );
  const summary = await h.slack.waitForCall(
    'chat.postMessage',
    (call) =>
      JSON.stringify(call.params.blocks ?? '').includes('Before-action review') &&
      JSON.stringify(call.params.blocks).includes(answers?.action ?? ''),
  );
  return { response, summary, modal: view };
}

export function aarValues(answers: Partial<Record<keyof typeof AAR_INPUTS, string | string[] | null>>) {
  const text = (value: unknown) => ({
    type: 'plain_text_input',
    value: (value as string | undefined) ?? null,
  });
  return {
    [AAR_INPUTS.intended.block]: { value: text(answers.intended) },
    [AAR_INPUTS.whatHappened.block]: {
      value: text(answers.whatHappened ?? 'Twelve people came, mostly regulars'),
    },
    [AAR_INPUTS.whyDifferent.block]: { value: text(answers.whyDifferent ?? 'The room was hard to find') },
    [AAR_INPUTS.sustain.block]: { value: text(answers.sustain ?? 'Speaking in rounds') },
    [AAR_INPUTS.change.block]: { value: text(answers.change ?? 'Meet where families already are') },
    [AAR_INPUTS.verdict.block]: {
      value: { type: 'radio_buttons', selected_option: answers.verdict ? { value: answers.verdict } : null },
    },
    [AAR_INPUTS.revisedHypothesis.block]: { value: text(answers.revisedHypothesis) },
    [AAR_INPUTS.people.block]: {
      value: {
        type: 'multi_users_select',
        selected_users: (answers.people as string[] | undefined) ?? ['U0AUTHOR'],
      },
    },
    [AAR_INPUTS.channelId.block]: {
      value: {
        type: 'conversations_select',
        selected_conversation: (answers.channelId as string | undefined) ?? null,
      },
    },
  };
}

/** Clicks "Start after-action review" for a review and returns the modal Slack was asked to open. */
export async function openAar(
  h: Harness,
  actor: Actor,
  reviewId: string,
): Promise<SentView & { id: string }> {
  const before = h.slack.callsTo('views.open').length;
  await h.interact(
    buttonPayload(actor, { action_id: ACTIONS.startAar, value: reviewId }, { channelId: actor.channelId }),
  );
  await h.slack.waitForCall('views.open', () => h.slack.callsTo('views.open').length > before);
  const view = viewOf(h.slack.callsTo('views.open').at(-1) as RecordedCall);
  if (view.callback_id !== CALLBACKS.aarModal)
    throw new Error(`expected the after-action review, got ${view.callback_id}`);
  return { ...view, id: nextViewId() };
}

export async function submitAar(
  h: Harness,
  actor: Actor,
  modal: SentView & { id: string },
  answers: Parameters<typeof aarValues>[0],
) {
  return h.interact(viewSubmissionPayload(actor, modal, aarValues(answers)));
}

/** Clicks "Add my perspective" and submits answers (optionally anonymously). */
export async function addPerspective(
  h: Harness,
  actor: Actor,
  value: string,
  answers: Record<string, string>,
  anonymous = false,
) {
  const before = h.slack.callsTo('views.open').length;
  await h.interact(
    buttonPayload(actor, { action_id: ACTIONS.addPerspective, value }, { channelId: actor.channelId }),
  );
  await h.slack.waitForCall('views.open', () => h.slack.callsTo('views.open').length > before);
  const modal = viewOf(h.slack.callsTo('views.open').at(-1) as RecordedCall);
  const values: Record<string, Record<string, unknown>> = {};
  for (const [key, text] of Object.entries(answers)) {
    values[PERSPECTIVE_INPUTS.answer(key).block] = { value: { type: 'plain_text_input', value: text } };
  }
  values[PERSPECTIVE_INPUTS.anonymous.block] = {
    value: { type: 'checkboxes', selected_options: anonymous ? [{ value: 'anonymous' }] : [] },
  };
  return {
    modal,
    response: await h.interact(viewSubmissionPayload(actor, { ...modal, id: nextViewId() }, values)),
  };
}

export function overflowPayload(actor: Actor, value: string, channelId: string) {
  return {
    ...buttonPayload(actor, { action_id: ACTIONS.reviewMenu, value: '' }, { channelId }),
    actions: [
      {
        type: 'overflow',
        action_id: ACTIONS.reviewMenu,
        block_id: 'b',
        selected_option: { text: { type: 'plain_text', text: 'x' }, value },
        action_ts: '1.3',
      },
    ],
  };
}

export type { AfterActionReview };
