import { ATTRIBUTES } from '@otel-rum/model';
import { DOUBLE_ATTRIBUTES } from './numberTypes';

// The SDK keeps its own list so that the registry (with its descriptions) stays out of the bundle;
// this test keeps the list and the registry in step.
describe('DOUBLE_ATTRIBUTES', () => {
  const doubles = ATTRIBUTES.filter((a) => a.type === 'double').map((a) => a.name);

  it('holds only attributes that the model types as double', () => {
    for (const name of DOUBLE_ATTRIBUTES) expect(doubles).toContain(name);
  });

  it('holds every double attribute the SDK sends', () => {
    expect(doubles.filter((n) => !DOUBLE_ATTRIBUTES.has(n))).toEqual([]);
  });
});
