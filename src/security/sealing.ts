import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { EncryptionKey } from '../config.js';

/**
 * Secrets at rest are sealed with AES-256-GCM: "v1.<key id>.<iv>.<tag>.<ciphertext>" (base64url parts).
 * The key id names the key that sealed it, so a new key can take over while rows sealed with an older
 * one stay readable. `context` (the workspace) is bound in as associated data: a sealed value copied
 * onto another workspace's row does not open there.
 */
const VERSION = 'v1';
const IV_BYTES = 12;

export function seal(plaintext: string, key: EncryptionKey, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [
    VERSION,
    key.id,
    iv.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
    sealed.toString('base64url'),
  ].join('.');
}

export class UnsealError extends Error {
  constructor(reason: string) {
    super(`sealed value could not be opened: ${reason}`);
    this.name = 'UnsealError';
  }
}

export function sealedWith(sealed: string): string | undefined {
  const [version, keyId] = sealed.split('.');
  return version === VERSION ? keyId : undefined;
}

export function unseal(sealed: string, keys: readonly EncryptionKey[], context: string): string {
  const [version, keyId, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || !keyId || !iv || !tag || body === undefined)
    throw new UnsealError('unknown format');
  const key = keys.find((candidate) => candidate.id === keyId);
  if (!key) throw new UnsealError(`key ${keyId} is not configured`);
  const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new UnsealError('authentication failed');
  }
}
