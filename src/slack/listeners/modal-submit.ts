import type {
  AllMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewResponseAction,
  ViewSubmitAction,
} from '@slack/bolt';
import type { View } from '@slack/types';
import type { z } from 'zod';
import type { WorkspaceScope } from '../../db/queries/scope.js';
import { describeError } from '../../logger.js';
import type { ServiceDeps } from '../../services/deps.js';
import { errorsUnder, type FormCodec } from '../forms/codec.js';
import { scopeOf } from './scope.js';

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** A form that came back readable: who sent it, from which workspace, and what it says. */
export interface Submission<Metadata, Draft> {
  client: AllMiddlewareArgs['client'];
  scope: WorkspaceScope;
  userId: string;
  viewId: string;
  metadata: Metadata;
  draft: Draft;
}

/**
 * What a save answers. `invalid` keeps the form open with a message under each field named in `errors`;
 * anything else was taken, and its `view`, when there is one, replaces the form, which otherwise closes.
 */
export interface SaveOutcome<Field extends string> {
  outcome: string;
  errors?: Partial<Record<Field, string>>;
  view?: View;
}

type Taken<Result> = Exclude<Result, { outcome: 'invalid' }>;

/**
 * Answers a form the same way for every modal: the metadata and workspace are read first, then the draft
 * is saved, and Slack hears back field errors, a replacement view, or nothing (the form closes). Every
 * failure keeps the form open with what the person wrote, since Slack would otherwise discard it; what
 * has to wait (posting, refreshing) runs in `afterAck`, once Slack has its answer.
 */
export function modalSubmit<Metadata, Draft, Field extends string, Result extends SaveOutcome<Field>>(
  deps: ServiceDeps,
  form: FormCodec<Metadata, Draft, Field>,
  steps: {
    save: (submission: Submission<Metadata, Draft>) => Promise<Result>;
    afterAck?: (result: Taken<Result>, submission: Submission<Metadata, Draft>) => Promise<void>;
  },
) {
  const underFirstField = (
    metadata: Metadata | undefined,
    message: string,
  ): ViewResponseAction | undefined => {
    const field = form.firstField(metadata);
    return field === undefined
      ? undefined
      : { response_action: 'errors', errors: { [form.blockOf(field)]: message } };
  };
  return async ({ ack, body, view, client, context }: SubmitArgs) => {
    const metadata = readMetadata(form.metadata, view.private_metadata);
    const scope = scopeOf(context, body.user.team_id ?? undefined);
    if (metadata === undefined || !scope) {
      await answer(ack, underFirstField(metadata, form.words.unreadable));
      return;
    }
    const submission: Submission<Metadata, Draft> = {
      client,
      scope,
      userId: body.user.id,
      viewId: view.id,
      metadata,
      draft: form.read(view.state.values, metadata),
    };
    let result: Result;
    try {
      result = await steps.save(submission);
    } catch (error) {
      // No user: some forms are anonymous, and a log line must not link a person to one.
      deps.log.error(
        { err: describeError(error), team: scope.teamId, form: form.callbackId },
        'form not saved',
      );
      await answer(ack, underFirstField(metadata, form.words.notSaved));
      return;
    }
    if (result.outcome === 'invalid') {
      const errors = errorsUnder(form.blockOf, result.errors ?? {});
      // Nothing to show means nothing to change: a form sent again whose first copy was taken.
      await answer(ack, Object.keys(errors).length > 0 ? { response_action: 'errors', errors } : undefined);
      return;
    }
    await answer(ack, result.view ? { response_action: 'update', view: result.view } : undefined);
    await steps.afterAck?.(result as Taken<Result>, submission);
  };
}

/**
 * Answers Slack; without a response the form closes. Past Slack's three seconds Bolt has already
 * answered and a late ack throws: what was saved must still be shared, so that failure is swallowed
 * rather than cutting the listener short.
 */
async function answer(ack: SubmitArgs['ack'], response: ViewResponseAction | undefined): Promise<void> {
  try {
    await (response ? ack(response) : ack());
  } catch {
    // Already answered: the follow-up still runs.
  }
}

/**
 * Reads a view's private_metadata. It comes back from the client, so anything that is not the JSON
 * this app wrote is treated as unreadable rather than trusted.
 */
function readMetadata<T>(schema: z.ZodType<T>, raw: string): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
