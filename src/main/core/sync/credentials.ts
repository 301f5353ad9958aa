import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SyncSettings } from '../../../shared/sync';
import { SyncFailure } from './failure';

/**
 * Where this machine's Google credentials come from, in the client library's own order: the
 * key file named in Sync settings, else application default credentials (the file named by
 * GOOGLE_APPLICATION_CREDENTIALS, gcloud's well-known file, the metadata server on Google
 * Cloud). Only WHERE they are is ever reported or stored; a key file is read here only to check
 * that it is one, and its content never leaves this function.
 */
export interface CredentialSource {
  /** Passed to the client; undefined: application default credentials. */
  keyFilename?: string;
  /** For messages and the test-connection report: a path or a source name, never a secret. */
  describe: string;
  /** Only the metadata server is left: ask the client library whether it finds credentials. */
  probe?: boolean;
}

const KEY_TYPES = new Set(['service_account', 'authorized_user', 'external_account', 'impersonated_service_account']);

function checkKeyFile(file: string, named: string): void {
  let text: string;
  try {
    if (!fs.statSync(file).isFile()) throw new SyncFailure('no-credentials', `${named} ${file} is a folder, not a key file.`);
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof SyncFailure) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EACCES'
          ? 'cannot be read (permission denied)'
          : `cannot be read (${code ?? 'error'})`;
    throw new SyncFailure(
      'no-credentials',
      `No credentials: ${named} ${file} ${why}. Choose a service-account key file, or clear it to use application default credentials.`,
    );
  }
  type KeyJson = { type?: unknown; client_email?: unknown; private_key?: unknown };
  let json: KeyJson | null;
  try {
    json = JSON.parse(text) as KeyJson | null;
  } catch {
    json = null;
  }
  const type = typeof json?.type === 'string' ? json.type : '';
  if (!json || !KEY_TYPES.has(type)) {
    throw new SyncFailure(
      'no-credentials',
      `No credentials: ${named} ${file} is not a Google credentials file (a service-account key is JSON with "type": "service_account").`,
    );
  }
  if (type === 'service_account' && (typeof json.client_email !== 'string' || typeof json.private_key !== 'string')) {
    throw new SyncFailure(
      'no-credentials',
      `No credentials: ${named} ${file} is a service-account file without its client_email or private_key; download a new key.`,
    );
  }
}

export function gcloudAdcFile(env: NodeJS.ProcessEnv = process.env): string {
  return process.platform === 'win32'
    ? path.join(env.APPDATA ?? '', 'gcloud', 'application_default_credentials.json')
    : path.join(env.CLOUDSDK_CONFIG ?? path.join(os.homedir(), '.config', 'gcloud'), 'application_default_credentials.json');
}

export function resolveCredentials(settings: Pick<SyncSettings, 'keyFile'>, env: NodeJS.ProcessEnv = process.env): CredentialSource {
  if (settings.keyFile) {
    const file = settings.keyFile;
    if (!path.isAbsolute(file)) {
      throw new SyncFailure('no-credentials', `No credentials: the key file path must be absolute, not "${file}".`);
    }
    checkKeyFile(file, 'the key file');
    return { keyFilename: file, describe: `key file ${file}` };
  }
  const named = env.GOOGLE_APPLICATION_CREDENTIALS;
  if (named) {
    checkKeyFile(named, 'GOOGLE_APPLICATION_CREDENTIALS names');
    return { describe: `key file named by GOOGLE_APPLICATION_CREDENTIALS (${named})` };
  }
  const adc = gcloudAdcFile(env);
  if (fs.existsSync(adc)) return { describe: `application default credentials (${adc})` };
  if (env.STORAGE_EMULATOR_HOST) return { describe: `storage emulator at ${env.STORAGE_EMULATOR_HOST} (no credentials needed)` };
  // On Google Cloud the metadata server provides them; elsewhere the client says none were found.
  return { describe: 'application default credentials (metadata server)', probe: true };
}
