import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ServiceDeps } from '../../src/services/deps.js';
import { type ListenerRegistry, registerListeners } from '../../src/slack/listeners/index.js';

const manifest = JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8'));

/** Records what the wiring registers, by calling the real registerListeners. */
function registrations() {
  const seen = { commands: [] as string[], events: [] as string[], shortcuts: [] as string[] };
  const recorder = {
    command: (id: string) => seen.commands.push(id),
    event: (id: string) => seen.events.push(id),
    shortcut: (id: string) => seen.shortcuts.push(id),
    view: () => {},
    action: () => {},
  };
  registerListeners(recorder as unknown as ListenerRegistry, {} as ServiceDeps);
  return seen;
}

describe('manifest.json', () => {
  const registered = registrations();

  it('declares exactly the slash commands the code handles', () => {
    const declared = manifest.features.slash_commands.map((command: { command: string }) => command.command);
    expect([...declared].sort()).toEqual([...registered.commands].sort());
  });

  it('subscribes to exactly the events the code handles', () => {
    // Slack delivers message.channels and message.groups to one `message` listener.
    const declared = (manifest.settings.event_subscriptions.bot_events as string[]).map((event) =>
      event.startsWith('message.') ? 'message' : event,
    );
    expect([...new Set(declared)].sort()).toEqual([...registered.events].sort());
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(['message.channels', 'message.groups']),
    );
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
    ];
    for (const url of urls) expect(url).toMatch(/^https:\/\/YOUR-PUBLIC-HOST\/slack\/events$/);
  });

  it('asks for the scopes the features use, and the Home tab they show', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining([
        'chat:write',
        'chat:write.public',
        'commands',
        'users:read',
        'channels:history',
        'groups:history',
        'channels:read',
        'groups:read',
      ]),
    );
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });
});
