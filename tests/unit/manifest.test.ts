import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppsManifestCreateArguments } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ServiceDeps } from '../../src/services/deps.js';
import { RHYTHM_INPUTS, WORKFLOW_STEPS } from '../../src/slack/ids.js';
import { type ListenerRegistry, registerListeners } from '../../src/slack/listeners/index.js';

const manifest = JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8'));

type SlackManifest = AppsManifestCreateArguments['manifest'];
type SdkBotScope = NonNullable<
  NonNullable<NonNullable<SlackManifest['oauth_config']>['scopes']>['bot']
>[number];
/** Slack's canvas scopes, which the SDK's manifest type does not list yet. */
type BotScope = SdkBotScope | 'canvases:read' | 'canvases:write';

/**
 * Every granular bot scope Slack's own SDK knows. Typed as a record over its BotScope union, so the compiler
 * rejects a misspelt name here and asks for any scope the SDK adds after an upgrade.
 */
const KNOWN_BOT_SCOPES: Record<BotScope, true> = {
  'app_mentions:read': true,
  'bookmarks:read': true,
  'bookmarks:write': true,
  'calls:read': true,
  'calls:write': true,
  'canvases:read': true,
  'canvases:write': true,
  'channels:history': true,
  'channels:join': true,
  'channels:manage': true,
  'channels:read': true,
  'channels:write.invites': true,
  'channels:write.topic': true,
  'chat:write': true,
  'chat:write.customize': true,
  'chat:write.public': true,
  commands: true,
  'conversations.connect:manage': true,
  'conversations.connect:read': true,
  'conversations.connect:write': true,
  'datastore:read': true,
  'datastore:write': true,
  'dnd:read': true,
  'emoji:read': true,
  'files:read': true,
  'files:write': true,
  'groups:history': true,
  'groups:read': true,
  'groups:write': true,
  'groups:write.invites': true,
  'groups:write.topic': true,
  'im:history': true,
  'im:read': true,
  'im:write': true,
  'incoming-webhook': true,
  'links.embed:write': true,
  'links:read': true,
  'links:write': true,
  'metadata.message:read': true,
  'mpim:history': true,
  'mpim:read': true,
  'mpim:write': true,
  'mpim:write.invites': true,
  'mpim:write.topic': true,
  none: true,
  'pins:read': true,
  'pins:write': true,
  'reactions:read': true,
  'reactions:write': true,
  'reminders:read': true,
  'reminders:write': true,
  'remote_files:read': true,
  'remote_files:share': true,
  'remote_files:write': true,
  'team.billing:read': true,
  'team.preferences:read': true,
  'team:read': true,
  'tokens.basic': true,
  'triggers:read': true,
  'triggers:write': true,
  'usergroups:read': true,
  'usergroups:write': true,
  'users.profile:read': true,
  'users:read': true,
  'users:read.email': true,
  'users:write': true,
  'workflow.steps:execute': true,
};

const httpsUrl = z
  .string()
  .max(3500)
  .regex(/^https:\/\//);

/** The Workflow Builder parameter types the steps use, as Slack names them. */
const STEP_PARAMETER_TYPE = z.enum([
  'string',
  'slack#/types/channel_id',
  'slack#/types/user_id',
  'slack#/types/date',
]);

/** One input or output of a step, in the version 1 form: each names whether it is required. */
const stepParameter = z.union([
  z.strictObject({
    type: STEP_PARAMETER_TYPE,
    title: z.string().min(1).max(100),
    description: z.string().min(1).max(500),
    is_required: z.boolean(),
    hint: z.string().min(1).max(200).optional(),
  }),
  z.strictObject({
    type: z.literal('array'),
    items: z.strictObject({ type: STEP_PARAMETER_TYPE }),
    title: z.string().min(1).max(100),
    description: z.string().min(1).max(500),
    is_required: z.boolean(),
    hint: z.string().min(1).max(200).optional(),
  }),
]);

const stepDefinition = z.strictObject({
  title: z.string().min(1).max(255),
  description: z.string().min(1).max(1000),
  input_parameters: z.record(z.string().regex(/^[a-z_]+$/), stepParameter),
  output_parameters: z.record(z.string().regex(/^[a-z_]+$/), stepParameter),
});

/**
 * The fields of Slack's app manifest schema (version 1) that this app relies on, with the limits Slack
 * publishes for them. Objects are strict where Slack's are (`additionalProperties: false`), so a misplaced
 * or misspelt key fails here instead of on Slack's App Manifest page. Slack's reference page gives 174
 * characters as the shortest long description and its JSON schema 175; the stricter one is used.
 */
const manifestSchema = z.strictObject({
  _metadata: z.strictObject({ major_version: z.literal(1), minor_version: z.number().int().nonnegative() }),
  display_information: z.strictObject({
    name: z.string().min(1).max(35),
    description: z.string().min(1).max(140),
    long_description: z.string().min(175).max(4000),
    background_color: z.string().regex(/^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/),
  }),
  features: z.strictObject({
    app_home: z.strictObject({
      home_tab_enabled: z.boolean(),
      messages_tab_enabled: z.boolean(),
      messages_tab_read_only_enabled: z.boolean(),
    }),
    bot_user: z.strictObject({ display_name: z.string().min(1).max(80), always_online: z.boolean() }),
    slash_commands: z
      .array(
        z.strictObject({
          command: z
            .string()
            .min(2)
            .max(32)
            .regex(/^\/[a-z0-9_-]+$/),
          description: z.string().min(1).max(2000),
          usage_hint: z.string().min(1).max(1000).optional(),
          should_escape: z.boolean(),
          url: httpsUrl.max(3000),
        }),
      )
      .min(1)
      .max(50),
  }),
  oauth_config: z.strictObject({
    redirect_urls: z.array(z.string().max(2500)).max(1000),
    scopes: z.strictObject({
      bot: z
        .array(z.enum(Object.keys(KNOWN_BOT_SCOPES) as [BotScope, ...BotScope[]]))
        .min(1)
        .max(255),
    }),
  }),
  settings: z.strictObject({
    event_subscriptions: z.strictObject({
      request_url: httpsUrl,
      bot_events: z.array(z.string().min(1).max(50)).min(1).max(100),
    }),
    interactivity: z.strictObject({
      is_enabled: z.boolean(),
      request_url: httpsUrl,
      message_menu_options_url: httpsUrl.optional(),
    }),
    org_deploy_enabled: z.boolean(),
    socket_mode_enabled: z.boolean(),
    token_rotation_enabled: z.boolean(),
    // Steps run by the app's own server, not on Slack's infrastructure.
    function_runtime: z.literal('remote').optional(),
  }),
  functions: z.record(z.string().regex(/^[a-z_]+$/), stepDefinition).optional(),
});

/** Records what the wiring registers, by calling the real registerListeners. */
function registrations() {
  const seen = {
    commands: [] as string[],
    events: [] as string[],
    shortcuts: [] as string[],
    functions: [] as string[],
    menus: [] as Array<{ type?: string; block_id?: string; action_id?: string }>,
  };
  const recorder = {
    command: (id: string) => seen.commands.push(id),
    event: (id: string) => seen.events.push(id),
    shortcut: (id: string) => seen.shortcuts.push(id),
    function: (id: string) => seen.functions.push(id),
    options: (constraints: { type?: string; block_id?: string; action_id?: string }) =>
      seen.menus.push(constraints),
    view: () => {},
    action: () => {},
  };
  registerListeners(recorder as unknown as ListenerRegistry, {} as ServiceDeps);
  return seen;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every Web API method the source calls, such as `conversations.join`, read from `x.conversations.join(`. */
function webApiMethodsCalled(): Set<string> {
  const root = new URL('../../src', import.meta.url).pathname;
  const calls = new Set<string>();
  for (const file of sourceFiles(root)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(
      /\.((?:chat|conversations|users|files|views|auth|oauth|reactions|canvases)\.[\w.]+)\(/g,
    )) {
      calls.add(match[1] as string);
    }
  }
  return calls;
}

/**
 * The bot scopes each Web API method the app calls needs (all of them: a conversations method reaches both
 * public and private channels, so it needs the channels: and the groups: scope). Methods that need none are
 * listed too, so a newly called method fails the test until someone decides what it needs.
 */
const SCOPES_FOR_METHOD: Record<string, readonly BotScope[]> = {
  'auth.test': [],
  'oauth.v2.access': [],
  'chat.postMessage': ['chat:write', 'chat:write.public'],
  'chat.postEphemeral': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.delete': ['chat:write'],
  'chat.getPermalink': [],
  'conversations.history': ['channels:history', 'groups:history'],
  'conversations.replies': ['channels:history', 'groups:history'],
  'conversations.info': ['channels:read', 'groups:read'],
  'conversations.members': ['channels:read', 'groups:read'],
  'conversations.join': ['channels:join'],
  'conversations.open': ['im:write'],
  'users.info': ['users:read'],
  'files.uploadV2': ['files:write'],
  'reactions.add': ['reactions:write'],
  'canvases.create': ['canvases:write'],
  'canvases.edit': ['canvases:write'],
  'canvases.delete': ['canvases:write'],
  'canvases.access.set': ['canvases:write'],
  'canvases.sections.lookup': ['canvases:read'],
  'conversations.canvases.create': ['canvases:write'],
  'views.open': [],
  'views.update': [],
  'views.publish': [],
};

/** The bot scope Slack requires before it delivers each event the manifest subscribes to. */
const SCOPES_FOR_EVENT: Record<string, readonly BotScope[]> = {
  app_home_opened: [],
  app_uninstalled: [],
  tokens_revoked: [],
  grid_migration_finished: [],
  member_joined_channel: ['channels:read', 'groups:read'],
  channel_left: ['channels:read'],
  group_left: ['groups:read'],
  'message.channels': ['channels:history'],
  'message.groups': ['groups:history'],
  function_executed: [],
};

describe('manifest.json', () => {
  const registered = registrations();

  it("fits Slack's app manifest schema for the fields the app relies on", () => {
    const result = manifestSchema.safeParse(manifest);
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it('can be installed org-wide on Enterprise Grid, as the README promises', () => {
    expect(manifest.settings.org_deploy_enabled).toBe(true);
    expect(manifest.oauth_config.redirect_urls).toEqual(['https://YOUR-PUBLIC-HOST/slack/oauth_redirect']);
  });

  it('declares exactly the slash commands the code handles', () => {
    const declared = manifest.features.slash_commands.map((command: { command: string }) => command.command);
    expect([...declared].sort()).toEqual([...registered.commands].sort());
  });

  it('subscribes to exactly the events the code handles', () => {
    // Slack delivers message.channels and message.groups to one `message` listener, and
    // function_executed to the listener of the step it runs.
    const declared = (manifest.settings.event_subscriptions.bot_events as string[])
      .filter((event) => event !== 'function_executed')
      .map((event) => (event.startsWith('message.') ? 'message' : event));
    expect([...new Set(declared)].sort()).toEqual([...registered.events].sort());
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(['message.channels', 'message.groups']),
    );
  });

  it('declares exactly the Workflow Builder steps the code handles, with the same inputs and outputs', () => {
    const declared = manifest.functions as Record<
      string,
      { input_parameters: Record<string, unknown>; output_parameters: Record<string, unknown> }
    >;
    expect(Object.keys(declared).sort()).toEqual([...registered.functions].sort());
    for (const step of Object.values(WORKFLOW_STEPS)) {
      const definition = declared[step.callbackId];
      expect(Object.keys(definition?.input_parameters ?? {})).toEqual([...step.inputs]);
      expect(Object.keys(definition?.output_parameters ?? {})).toEqual([...step.outputs]);
    }
    expect(
      Object.values(WORKFLOW_STEPS)
        .map((step) => step.callbackId)
        .sort(),
    ).toEqual([...registered.functions].sort());
    // Slack sends a step's runs as function_executed events, to an app whose steps it runs remotely.
    expect(manifest.settings.event_subscriptions.bot_events).toContain('function_executed');
    expect(manifest.settings.function_runtime).toBe('remote');
    expect(manifest.settings.org_deploy_enabled).toBe(true);
  });

  it('declares exactly the shortcuts the code handles', () => {
    const declared = (manifest.features.shortcuts ?? []).map(
      (shortcut: { callback_id: string }) => shortcut.callback_id,
    );
    expect([...declared].sort()).toEqual([...registered.shortcuts].sort());
  });

  it('points every request URL at the one Slack endpoint', () => {
    const urls = [
      ...manifest.features.slash_commands.map((command: { url: string }) => command.url),
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
      manifest.settings.interactivity.message_menu_options_url,
    ];
    for (const url of urls) expect(url).toMatch(/^https:\/\/YOUR-PUBLIC-HOST\/slack\/events$/);
  });

  it('asks for exactly the scopes the Web API calls, events and commands in the code need', () => {
    const called = webApiMethodsCalled();
    expect([...called].filter((method) => !(method in SCOPES_FOR_METHOD))).toEqual([]);

    const needed = new Set<string>(['commands']);
    for (const method of called) for (const scope of SCOPES_FOR_METHOD[method] ?? []) needed.add(scope);
    const events = manifest.settings.event_subscriptions.bot_events as string[];
    expect(events.filter((event) => !(event in SCOPES_FOR_EVENT))).toEqual([]);
    for (const event of events) for (const scope of SCOPES_FOR_EVENT[event] ?? []) needed.add(scope);

    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });

  // Slack asks the options load URL, not the interactivity one, for what an external_select lists.
  it('tells Slack where to ask for the options of the menus the code serves, such as the time zone search', () => {
    expect(registered.menus).toContainEqual({
      type: 'block_suggestion',
      block_id: RHYTHM_INPUTS.timeZone.block,
      action_id: RHYTHM_INPUTS.timeZone.action,
    });
    expect(manifest.settings.interactivity.message_menu_options_url).toBe(
      'https://YOUR-PUBLIC-HOST/slack/events',
    );
  });

  it('shows the Home tab the app publishes, and takes the forms and buttons it sends', () => {
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });
});
