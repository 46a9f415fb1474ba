import { APP_ID_PATTERN, MAX_APP_EVENT_BURST, MAX_APP_ID_LENGTH } from '@otel-rum/model';
import { EMPTY_FORM, formErrors, formOf, inputOf } from './appForm';
import type { ManagedApplication } from '../../shared/appApi';

const valid = { ...EMPTY_FORM, appId: 'shop_web', name: 'Shop', origins: 'https://shop.example.com\n*' };

describe('application form', () => {
  it('accepts a valid form and turns percentages, retention and origins into the request body', () => {
    expect(formErrors(valid)).toEqual({});
    expect(inputOf({ ...valid, sessionSample: '25', retention: 'other', otherDays: '30' })).toMatchObject({
      appId: 'shop_web',
      allowedOrigins: ['https://shop.example.com', '*'],
      sessionSampleRate: 0.25,
      retentionDays: 30,
      rateLimit: null,
    });
  });

  it('checks the app id as the model does, naming what is wrong', () => {
    expect(formErrors({ ...valid, appId: 'shop web!' }).appId).toBe(
      'Only letters, digits and underscore: remove space, "!"',
    );
    expect(formErrors({ ...valid, appId: 'a'.repeat(MAX_APP_ID_LENGTH + 1) }).appId).toMatch(/At most 48/);
    expect(formErrors({ ...valid, appId: '' }).appId).toBe('An application id is required');
    for (const id of ['a', 'A_1', 'x'.repeat(MAX_APP_ID_LENGTH)]) {
      expect(APP_ID_PATTERN.test(id)).toBe(true);
      expect(formErrors({ ...valid, appId: id }).appId).toBeUndefined();
    }
  });

  it('refuses bad rates, origins, retention and rate limits', () => {
    const e = formErrors({
      ...valid,
      traceSample: '120',
      origins: 'shop.example.com',
      retention: 'other',
      otherDays: '0',
      eventsPerSecond: '10',
      burst: String(MAX_APP_EVENT_BURST + 1),
    });
    expect(Object.keys(e).sort()).toEqual(['burst', 'origins', 'otherDays', 'traceSample']);
    expect(e.origins).toContain('"shop.example.com" is not an origin');
  });

  it('reads an application back into the form: a retention not offered is "other"', () => {
    const app: ManagedApplication = {
      appId: 'a',
      name: 'A',
      type: 'ios',
      allowedOrigins: [],
      sessionSampleRate: 0.5,
      traceSampleRate: 1,
      replaySampleRate: 0,
      retentionDays: 30,
      dashboards: [],
      rateLimit: { eventsPerSecond: 100, burst: 1000 },
      previousAppIds: [],
      createdAt: '',
      updatedAt: '',
    };
    const f = formOf(app);
    expect(f).toMatchObject({
      retention: 'other',
      otherDays: '30',
      sessionSample: '50',
      eventsPerSecond: '100',
    });
    expect(inputOf(f)).toMatchObject({ retentionDays: 30, rateLimit: { eventsPerSecond: 100, burst: 1000 } });
  });
});
