import { resolveConfig } from '../config/config';
import { BLOCK_CLASS, MASK_CLASS, rrwebPrivacyOptions } from './privacy';

const options = (extra: Parameters<typeof resolveConfig>[0] extends infer O ? Partial<O> : never) => {
  const c = resolveConfig({ appId: 'shop', ...extra });
  return rrwebPrivacyOptions({
    privacy: c.privacy,
    blockSelector: c.replayBlockSelector,
    maskTextSelector: c.replayMaskTextSelector,
  });
};

describe('replay privacy', () => {
  it('masks every input by default, blocks and masks by our class and data attribute', () => {
    const o = options({});
    expect(o.maskAllInputs).toBe(true);
    expect(o.blockClass).toBe(BLOCK_CLASS);
    expect(o.blockSelector).toBe('[data-rum-block]');
    expect(o.maskTextClass).toBe(MASK_CLASS);
    expect(o.maskTextSelector).toBe('[data-rum-mask]');
    expect(o.recordCanvas).toBe(false);
    expect(o.inlineImages).toBe(false);
  });

  it("masks all text with privacy 'mask', and only passwords with 'allow'", () => {
    expect(options({ privacy: 'mask' })).toMatchObject({ maskAllInputs: true, maskTextSelector: '*' });
    expect(options({ privacy: 'allow' })).toMatchObject({
      maskAllInputs: false,
      maskInputOptions: { password: true },
    });
  });

  it('adds the selectors the options give to the built-in ones', () => {
    const o = options({ replayBlockSelector: '.ads, iframe', replayMaskTextSelector: '.customer' });
    expect(o.blockSelector).toBe('[data-rum-block], .ads, iframe');
    expect(o.maskTextSelector).toBe('[data-rum-mask], .customer');
  });
});
