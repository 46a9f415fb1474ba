import '@testing-library/jest-dom';
import { TextDecoder, TextEncoder } from 'node:util';
import { MessageChannel } from 'node:worker_threads';

// What jsdom lacks and Grafana's packages use at import time. React's scheduler opens a
// MessageChannel; its ports would keep Jest's worker alive, so each test file closes them.
const channels: MessageChannel[] = [];
class ClosingMessageChannel extends MessageChannel {
  constructor() {
    super();
    channels.push(this);
  }
}
Object.assign(globalThis, { TextDecoder, TextEncoder, MessageChannel: ClosingMessageChannel });

// Rendering Grafana's components and typing with userEvent in jsdom takes seconds per test on two
// busy cores: Jest's 5 s default fails them on load alone, not on behaviour.
jest.setTimeout(20_000);
afterAll(() => {
  for (const c of channels.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  }),
});
HTMLCanvasElement.prototype.getContext = (() => null) as never;
