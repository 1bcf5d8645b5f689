/** An emulator for one test file and the unmodified AWS SDK pointed at it (dummy credentials, one attempt). */
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';

/** Dummy credentials: the emulator accepts any signature. */
export const DUMMY_CREDENTIALS = { accessKeyId: 'AKID', secretAccessKey: 'secret' };

/** An SDK client for `url` that makes a single attempt. */
export function sdkFor(url: string): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: DUMMY_CREDENTIALS,
    maxAttempts: 1,
  });
}

/** Starts an emulator before the file's tests and closes it after; read `emulator` and `sdk` inside tests. */
export function emulatorWithSdk(options: EmulatorOptions = {}): {
  readonly emulator: Emulator;
  readonly sdk: BedrockRuntimeClient;
} {
  let emulator: Emulator | undefined;
  let sdk: BedrockRuntimeClient | undefined;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, ...options });
    sdk = sdkFor(emulator.url);
  });
  afterAll(async () => {
    sdk?.destroy();
    await emulator?.close();
  });
  return {
    get emulator() {
      return emulator as Emulator;
    },
    get sdk() {
      return sdk as BedrockRuntimeClient;
    },
  };
}
