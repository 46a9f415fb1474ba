import { resolveConfig } from '../config/config';
import { BLOCK_CLASS, MASK_CLASS } from '../privacy/elementPrivacy';
import { maskText, rrwebPrivacyOptions } from './privacy';

// What rrweb is asked to do; what it records under each level, overrides included, is proven in
// Chromium by test/replay-privacy.browser.test.ts.
const options = (extra: Parameters<typeof resolveConfig>[0] extends infer O ? Partial<O> : never) => {
  const c = resolveConfig({ appId: 'shop', ...extra });
  return rrwebPrivacyOptions({
    privacy: c.privacy,
    blockSelector: c.replayBlockSelector,
    maskTextSelector: c.replayMaskTextSelector,
  });
};

describe('replay privacy', () => {
  it("masks every text and input by default (level 'mask')", () => {
    const o = options({});
    expect(o.maskAllInputs).toBe(true);
    expect(o.maskTextSelector).toBe('*');
    expect(o.blockClass).toBe(BLOCK_CLASS);
    expect(o.maskTextClass).toBe(MASK_CLASS);
    expect(o.recordCanvas).toBe(false);
    expect(o.inlineImages).toBe(false);
  });

  it('asks about the texts inside overrides only, at the other levels', () => {
    for (const privacy of ['allow', 'mask-user-input'] as const)
      expect(options({ privacy }).maskTextSelector).toBe(
        '[data-rum-mask], [data-rum-privacy=mask], [data-rum-privacy]',
      );
  });

  it('adds the selectors the options give to the built-in ones', () => {
    const o = options({
      privacy: 'allow',
      replayBlockSelector: '.ads, iframe',
      replayMaskTextSelector: '.customer',
    });
    expect(o.blockSelector).toBe('[data-rum-block], [data-rum-privacy=hidden], .ads, iframe');
    expect(o.maskTextSelector).toBe(
      '[data-rum-mask], [data-rum-privacy=mask], .customer, [data-rum-privacy]',
    );
  });

  it('masks one asterisk per character and keeps the white space', () => {
    expect(maskText('Ada Lovelace\n  42 €')).toBe('*** ********\n  ** *');
  });
});
