import {
  EXCEPTION_MESSAGE,
  EXCEPTION_STACKTRACE,
  EventName,
  RUM_ACTION_ID,
  RUM_LONG_TASK_SCRIPT,
  RUM_VIEW_ID,
  SESSION_ID,
  URL_FULL,
  USER_ID,
} from '@otel-rum/model';
import { createEventBus } from '../lifecycle/eventBus';
import type { Attributes, RawEvent, RawSpan, RumBusEvents } from '../lifecycle/rumEvents';
import { createUrlRedactor, type UrlRedactor } from '../privacy/redactUrl';
import { startAssembly } from './assembly';

/** An assembly whose view, action and user the test moves, as the SDK's domains would. */
function setup(redact: UrlRedactor = (url) => url) {
  const bus = createEventBus<RumBusEvents>();
  const state = {
    view: undefined as { id: string; url: string } | undefined,
    actionId: undefined as string | undefined,
    user: 'u1',
  };
  const assembly = startAssembly(bus, {
    tracking: () => true,
    session: () => ({ id: 's1', sampled: true }),
    view: () => state.view,
    actionId: () => state.actionId,
    common: () => ({ [USER_ID]: state.user }),
    redact,
  });
  const events: Attributes[] = [];
  const spans: Attributes[] = [];
  const ready = () =>
    assembly.ready({
      event: (e: RawEvent) => events.push(e.attributes),
      span: (s: RawSpan) => spans.push(s.attributes),
    });
  return { bus, state, ready, events, spans };
}

const error = (): RawEvent => ({ name: EventName.EXCEPTION, time: 1, attributes: {} });
const span = (): RawSpan => ({
  traceId: 'a'.repeat(32),
  spanId: 'b'.repeat(16),
  name: 'GET',
  kind: 3,
  start: 1,
  end: 2,
  attributes: {},
  status: 0,
  sampled: true,
});

describe('events collected while the SDK starts', () => {
  it('keep the view, action and user of the moment they were collected', () => {
    const { bus, state, ready, events, spans } = setup();
    state.view = { id: 'view-a', url: 'https://shop.test/a' };
    state.actionId = 'action-1';
    bus.emit('collected', error());
    bus.emit('spanEnded', span());
    // A route change (the view object changes in place), the action ends, another user: all before the start.
    state.view.id = 'view-b';
    state.view.url = 'https://shop.test/b';
    state.actionId = undefined;
    state.user = 'u2';
    ready();
    expect(events).toEqual([
      expect.objectContaining({
        [SESSION_ID]: 's1',
        [RUM_VIEW_ID]: 'view-a',
        [URL_FULL]: 'https://shop.test/a',
        [RUM_ACTION_ID]: 'action-1',
        [USER_ID]: 'u1',
      }),
    ]);
    expect(spans).toEqual([expect.objectContaining({ [RUM_VIEW_ID]: 'view-a', [USER_ID]: 'u1' })]);
  });

  it('take the view current at the start when none had begun, and the live context once started', () => {
    const { bus, state, ready, events } = setup();
    bus.emit('collected', error());
    state.view = { id: 'view-a', url: 'https://shop.test/a' };
    ready();
    state.view = { id: 'view-b', url: 'https://shop.test/b' };
    state.actionId = 'action-2';
    bus.emit('collected', error());
    expect(events.map((e) => [e[RUM_VIEW_ID], e[RUM_ACTION_ID]])).toEqual([
      ['view-a', undefined],
      ['view-b', 'action-2'],
    ]);
  });
});

describe('URL redaction', () => {
  it("applies to the page URL and to a long task's script, which names the page's URL for inline scripts", () => {
    const { bus, state, ready, events } = setup(createUrlRedactor(true, []));
    const url = 'https://shop.test/a?tab=1&token=s3cr3t&email=ada%40example.org';
    state.view = { id: 'view-a', url };
    ready();
    bus.emit('collected', {
      name: EventName.LONG_TASK,
      time: 1,
      attributes: { [RUM_LONG_TASK_SCRIPT]: `${url} (${url}:0)` },
    });
    const text = JSON.stringify(events);
    expect(text).not.toMatch(/s3cr3t|ada/);
    expect(events[0]?.[URL_FULL]).toBe('https://shop.test/a?tab=1&token=REDACTED&email=REDACTED');
    expect(events[0]?.[RUM_LONG_TASK_SCRIPT]).toContain('tab=1&token=REDACTED');
  });

  it("applies to the URLs in an error's message and stack, and to URLs in custom attributes", () => {
    const { bus, ready, events } = setup(createUrlRedactor(true, []));
    const page = 'https://shop.test/account?tab=2&token=s3cr3t#access_token=frag5ecret';
    ready();
    bus.emit('collected', {
      name: EventName.EXCEPTION,
      time: 1,
      attributes: {
        [EXCEPTION_MESSAGE]: `failed to load ${page} (see "https://cdn.test/x.js?sig=abc")`,
        [EXCEPTION_STACKTRACE]: `Error: boom\n    at pay (${page}:12:7)\n    at ${page}:30:1\n    at https://cdn.test/lib.js:1:2\npay@${page}:12:7`,
        'app.return_to': page,
        'app.note': 'plain text, no URL',
      },
    });
    const e = events[0]!;
    expect(JSON.stringify(e)).not.toMatch(/s3cr3t|frag5ecret|sig=abc/);
    const kept = 'https://shop.test/account?tab=2&token=REDACTED#access_token=REDACTED';
    expect(e[EXCEPTION_MESSAGE]).toBe(`failed to load ${kept} (see "https://cdn.test/x.js?sig=REDACTED")`);
    // Each frame keeps its line and column, and the frames without a query stay as they were.
    expect(e[EXCEPTION_STACKTRACE]).toBe(
      `Error: boom\n    at pay (${kept}:12:7)\n    at ${kept}:30:1\n    at https://cdn.test/lib.js:1:2\npay@${kept}:12:7`,
    );
    expect(e['app.return_to']).toBe(kept);
    expect(e['app.note']).toBe('plain text, no URL');
  });
});
