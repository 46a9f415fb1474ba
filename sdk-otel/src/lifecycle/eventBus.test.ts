import { createEventBus } from './eventBus';

describe('event bus', () => {
  it('delivers to subscribers in order and stops after unsubscribe', () => {
    const bus = createEventBus<{ ping: number }>();
    const got: string[] = [];
    const off = bus.on('ping', (n) => got.push(`a${n}`));
    bus.on('ping', (n) => got.push(`b${n}`));
    bus.emit('ping', 1);
    off();
    bus.emit('ping', 2);
    expect(got).toEqual(['a1', 'b1', 'b2']);
  });
});
