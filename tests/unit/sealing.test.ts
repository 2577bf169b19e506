import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { seal, sealedWith, unseal } from '../../src/security/sealing.js';
import { BOT_SCOPES } from '../../src/slack/app.js';

const KEY = { id: 'k1', key: randomBytes(32) };

describe('sealing secrets', () => {
  it('opens only with the key and workspace it was sealed for', () => {
    const sealed = seal('xoxb-secret', KEY, 'E1|T1');
    expect(sealed).not.toContain('xoxb-secret');
    expect(sealedWith(sealed)).toBe('k1');
    expect(unseal(sealed, [KEY], 'E1|T1')).toBe('xoxb-secret');
    expect(() => unseal(sealed, [KEY], 'E1|T2')).toThrow(/authentication failed/);
    expect(() => unseal(sealed, [{ id: 'k1', key: randomBytes(32) }], 'E1|T1')).toThrow(
      /authentication failed/,
    );
    expect(() => unseal(sealed, [{ id: 'k9', key: KEY.key }], 'E1|T1')).toThrow(/k1 is not configured/);
  });

  it('seals the same secret differently each time, and notices tampering', () => {
    expect(seal('x', KEY, 'c')).not.toBe(seal('x', KEY, 'c'));
    const parts = seal('xoxb-secret', KEY, 'c').split('.');
    parts[4] = Buffer.from('xoxb-forged').toString('base64url');
    expect(() => unseal(parts.join('.'), [KEY], 'c')).toThrow();
  });
});

describe('distribution settings', () => {
  const base = { SLACK_SIGNING_SECRET: 'abcdef0123456789abcdef0123456789' };
  const oauth = {
    ...base,
    SLACK_CLIENT_ID: '1234.5678',
    SLACK_CLIENT_SECRET: 'abcdef0123456789abcdef',
    SLACK_STATE_SECRET: 'a-long-enough-state-secret',
    TOKEN_ENCRYPTION_KEY: `k2:${randomBytes(32).toString('base64')}`,
  };

  it('reads the OAuth settings, the keys in order and the retention period, with no bot token', () => {
    const old = `k1:${randomBytes(32).toString('base64')}`;
    const result = loadConfig({ ...oauth, TOKEN_ENCRYPTION_OLD_KEYS: old, DATA_RETENTION_DAYS: '14' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.slack.botToken).toBeUndefined();
    expect(result.config.distribution?.keys.map((key) => key.id)).toEqual(['k2', 'k1']);
    expect(result.config.distribution?.retentionDays).toBe(14);
  });

  it('asks for every OAuth setting together, and refuses a key that is not 32 bytes', () => {
    const result = loadConfig({ ...base, SLACK_CLIENT_ID: '1234.5678', TOKEN_ENCRYPTION_KEY: 'k1:c2hvcnQ=' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('SLACK_CLIENT_SECRET is missing');
    expect(result.message).toContain('SLACK_STATE_SECRET is missing');
    expect(result.message).toContain('TOKEN_ENCRYPTION_KEY should be <key id>:<32 random bytes in base64>');
    expect(result.message).not.toContain('SLACK_BOT_TOKEN is missing');
  });

  it('asks the installer for exactly the scopes the manifest lists', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8'));
    expect([...BOT_SCOPES].sort()).toEqual([...manifest.oauth_config.scopes.bot].sort());
  });
});
