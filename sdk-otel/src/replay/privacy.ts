import type { PrivacyLevel } from '../config/config';

/** Elements with this class (or the data-rum-block attribute) are left out of replays: an empty box of their size. */
export const BLOCK_CLASS = 'rum-block';
/** Elements with this class (or the data-rum-mask attribute) have their text masked in replays. */
export const MASK_CLASS = 'rum-mask';

export interface ReplayPrivacy {
  privacy: PrivacyLevel;
  blockSelector?: string;
  maskTextSelector?: string;
}

const join = (builtIn: string, extra: string | undefined) => (extra ? `${builtIn}, ${extra}` : builtIn);

/**
 * The rrweb recording options of a privacy level. Inputs are masked unless privacy is 'allow' (and
 * passwords always are); 'mask' masks every text too. Blocked elements, scripts and comments are
 * never recorded, nor are canvas, fonts or images inlined.
 */
export function rrwebPrivacyOptions(p: ReplayPrivacy) {
  return {
    blockClass: BLOCK_CLASS,
    blockSelector: join('[data-rum-block]', p.blockSelector),
    maskTextClass: MASK_CLASS,
    maskTextSelector: p.privacy === 'mask' ? '*' : join('[data-rum-mask]', p.maskTextSelector),
    maskAllInputs: p.privacy !== 'allow',
    maskInputOptions: { password: true },
    slimDOMOptions: { script: true, comment: true },
    recordCanvas: false,
    collectFonts: false,
    inlineImages: false,
  };
}
