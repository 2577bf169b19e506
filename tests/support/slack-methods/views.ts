import { checkView, isRecord } from '../block-kit.js';
import { withBlockIds } from './messages.js';
import { asString, fail, type MethodTable, ok, type Reply, rejectPayload } from './reply.js';
import { nextHash, nextViewId, type Workspace } from './state.js';

function viewObject(
  ws: Workspace,
  id: string,
  view: Record<string, unknown>,
  extra: { rootViewId?: string; previousViewId?: string | null } = {},
): Record<string, unknown> {
  return {
    id,
    team_id: ws.teamId,
    type: view.type,
    blocks: Array.isArray(view.blocks) ? withBlockIds(view.blocks) : [],
    private_metadata: typeof view.private_metadata === 'string' ? view.private_metadata : '',
    callback_id: typeof view.callback_id === 'string' ? view.callback_id : '',
    state: { values: {} },
    hash: nextHash(ws),
    title: view.title ?? null,
    clear_on_close: view.clear_on_close ?? false,
    notify_on_close: view.notify_on_close ?? false,
    close: view.close ?? null,
    submit: view.submit ?? null,
    previous_view_id: extra.previousViewId ?? null,
    root_view_id: extra.rootViewId ?? id,
    app_id: ws.appId,
    external_id: typeof view.external_id === 'string' ? view.external_id : '',
    app_installed_team_id: ws.teamId,
    bot_id: ws.botId,
  };
}

/** Registers a view as if Slack had opened it; returns the stored view (id, hash…). */
export function addView(ws: Workspace, seed: Record<string, unknown>): Record<string, unknown> {
  const id = nextViewId(ws);
  const view = viewObject(ws, id, seed);
  ws.views.set(id, { view });
  return view;
}

function checkViewPayload(view: unknown, expectedType: 'modal' | 'home'): Reply | undefined {
  if (view === undefined) return rejectPayload('invalid_arguments', ['missing required field: view']);
  if (!isRecord(view))
    return rejectPayload('invalid_arguments', ['view must be a JSON object [json-pointer:/view]']);
  const problems = checkView(view);
  if (view.type !== expectedType && (view.type === 'modal' || view.type === 'home')) {
    problems.push(`must be ${expectedType} for this method [json-pointer:/view/type]`);
  }
  return problems.length > 0 ? rejectPayload('invalid_arguments', problems) : undefined;
}

function openOrPush(ws: Workspace, params: Record<string, unknown>): Reply {
  if (!asString(params.trigger_id) && !asString(params.interactivity_pointer)) {
    return rejectPayload('invalid_arguments', ['missing required field: trigger_id']);
  }
  const rejected = checkViewPayload(params.view, 'modal');
  if (rejected) return rejected;
  return ok({ view: addView(ws, params.view as Record<string, unknown>) });
}

export const viewsMethods: MethodTable = {
  'views.open': openOrPush,
  'views.push': openOrPush,

  'views.update': (ws, params) => {
    const viewId = asString(params.view_id);
    const externalId = asString(params.external_id);
    if (!viewId && !externalId) {
      return rejectPayload('invalid_arguments', ['missing required field: view_id']);
    }
    const current = viewId
      ? ws.views.get(viewId)
      : [...ws.views.values()].find((state) => state.view.external_id === externalId);
    // Validate against the stored view's type so an App Home can be updated too.
    const currentType = current?.view.type === 'home' ? 'home' : 'modal';
    const rejected = checkViewPayload(params.view, currentType);
    if (rejected) return rejected;
    if (!current) return fail('not_found');
    const id = String(current.view.id);
    const hash = asString(params.hash);
    if (hash && hash !== current.view.hash) return fail('hash_conflict');
    const view = viewObject(ws, id, params.view as Record<string, unknown>, {
      rootViewId: String(current.view.root_view_id ?? id),
    });
    ws.views.set(id, { view });
    return ok({ view });
  },

  'views.publish': (ws, params) => {
    const userId = asString(params.user_id);
    if (!userId) return rejectPayload('invalid_arguments', ['missing required field: user_id']);
    const rejected = checkViewPayload(params.view, 'home');
    if (rejected) return rejected;
    // A user's App Home keeps one view id across publishes.
    const id = ws.homeViewIds.get(userId) ?? nextViewId(ws);
    ws.homeViewIds.set(userId, id);
    const current = ws.views.get(id);
    const hash = asString(params.hash);
    if (current && hash && hash !== current.view.hash) return fail('hash_conflict');
    const view = viewObject(ws, id, params.view as Record<string, unknown>);
    ws.views.set(id, { view });
    return ok({ view });
  },
};
