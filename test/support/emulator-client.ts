/** An emulator for one test file and the bridge's own client pointed at it, with every request body it received. */
import { afterAll, beforeAll } from 'vitest';
import { BedrockModelClient, type ConverseRequest } from '../../bridge/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

/** What `emulatorWithClient` gives the tests: read `emulator` and `client` inside tests; `sent` may be emptied. */
export interface EmulatorWithClient {
  readonly emulator: Emulator;
  readonly client: BedrockModelClient;
  /** The body of every request the emulator received, in order. */
  readonly sent: ConverseRequest[];
}

/** Starts an emulator before the file's tests and closes it after, with a `BedrockModelClient` (dummy keys) on it. */
export function emulatorWithClient(): EmulatorWithClient {
  let emulator: Emulator | undefined;
  let client: BedrockModelClient | undefined;
  const sent: ConverseRequest[] = [];
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, onRequest: (r) => sent.push(r.body as unknown as ConverseRequest) });
    client = new BedrockModelClient({
      endpoint: emulator.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'A', secretAccessKey: 'S' },
    });
  });
  afterAll(() => emulator?.close());
  return {
    get emulator() {
      return emulator as Emulator;
    },
    get client() {
      return client as BedrockModelClient;
    },
    sent,
  };
}
