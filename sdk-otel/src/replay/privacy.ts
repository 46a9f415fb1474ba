import {
  BLOCK_CLASS,
  createPrivacyOf,
  hiddenSelector,
  join,
  MASK_CLASS,
  maskedSelector,
  type PrivacyRules,
} from '../privacy/elementPrivacy';
import { PRIVACY_HTML_ATTRIBUTE } from '@otel-rum/model';

export type ReplayPrivacy = PrivacyRules;

/** One `*` per non-blank character: the text's length and line breaks (the layout) are kept. Input values get one `*` per character, spaces too. */
export const maskText = (text: string) => text.replace(/\S/g, '*');

/**
 * The rrweb recording options of a privacy level and its per-element overrides (PRIVACY_HTML_ATTRIBUTE,
 * the block and mask classes and selectors). rrweb asks `maskTextFn` about every text it would mask
 * (every text at `mask`; only those inside a mask override otherwise) and `maskInputFn` about every
 * input value; both answer with the level of the element's nearest override, so an `allow` block
 * inside a masked page is recorded as it is, and a `mask` block inside an allowed one is masked.
 * Passwords are always masked. Hidden elements, scripts and comments are never recorded, nor are
 * canvas, fonts or images inlined.
 */
export function rrwebPrivacyOptions(p: ReplayPrivacy) {
  const privacy = createPrivacyOf(p);
  return {
    blockClass: BLOCK_CLASS,
    blockSelector: hiddenSelector(p).replace(`.${BLOCK_CLASS}, `, ''),
    maskTextClass: MASK_CLASS,
    maskTextSelector:
      p.privacy === 'mask'
        ? '*'
        : join(maskedSelector(p).replace(`.${MASK_CLASS}, `, ''), `[${PRIVACY_HTML_ATTRIBUTE}]`),
    maskTextFn: (text: string, el: HTMLElement | null) => {
      const level = privacy(el);
      return level === 'allow' || level === 'mask-user-input' ? text : maskText(text);
    },
    maskAllInputs: true,
    maskInputFn: (text: string, el: HTMLElement) =>
      privacy(el) === 'allow' && (el as HTMLInputElement).type !== 'password'
        ? text
        : '*'.repeat(text.length),
    slimDOMOptions: { script: true, comment: true },
    recordCanvas: false,
    collectFonts: false,
    inlineImages: false,
  };
}
