import { PRIVACY_HTML_ATTRIBUTE, type ElementPrivacyLevel, type PrivacyLevel } from '@otel-rum/model';

/** Elements with this class (or the data-rum-block attribute) are left out of replays: an empty box of their size. */
export const BLOCK_CLASS = 'rum-block';
/** Elements with this class (or the data-rum-mask attribute) have their text masked in replays. */
export const MASK_CLASS = 'rum-mask';

/** What decides an element's privacy: the page's level and the selectors that override it. */
export interface PrivacyRules {
  /** The page's level (the `privacy` option). */
  privacy: PrivacyLevel;
  /** Further elements to leave out (`replayBlockSelector`). */
  blockSelector?: string;
  /** Further elements whose text to mask (`replayMaskTextSelector`). */
  maskTextSelector?: string;
}

export const join = (builtIn: string, extra: string | undefined) =>
  extra ? `${builtIn}, ${extra}` : builtIn;

const P = PRIVACY_HTML_ATTRIBUTE;
/** Elements left out of replays (`hidden`). */
export const hiddenSelector = (r: PrivacyRules) =>
  join(`.${BLOCK_CLASS}, [data-rum-block], [${P}=hidden]`, r.blockSelector);
/** Elements whose text is masked (`mask`) whatever the page's level. */
export const maskedSelector = (r: PrivacyRules) =>
  join(`.${MASK_CLASS}, [data-rum-mask], [${P}=mask]`, r.maskTextSelector);

/** The level of an element (its nearest override, else the page's); with `text`, of all its text. */
export type PrivacyOf = (el: Element | null | undefined, text?: boolean) => ElementPrivacyLevel;

/**
 * The privacy level of an element: that of its nearest ancestor (or itself) carrying
 * PRIVACY_HTML_ATTRIBUTE or matching a block or mask selector, else the page's. An attribute value
 * that is not a level counts as `mask`, the safe reading of a typo. With `text` (action names read an
 * element's whole text), `mask` as well when a part of it is masked or hidden.
 */
export function createPrivacyOf(r: PrivacyRules): PrivacyOf {
  const hidden = hiddenSelector(r);
  const masked = maskedSelector(r);
  const any = `[${P}], ${hidden}, ${masked}`;
  const notShown = `${hidden}, ${masked}, [${P}]:not([${P}=allow]):not([${P}=mask-user-input])`;
  return (el, text) => {
    try {
      const near = el?.closest(any);
      const v = near && (near.matches(hidden) ? 'hidden' : near.getAttribute(P));
      const level = !near
        ? r.privacy
        : v === 'hidden' || v === 'allow' || v === 'mask-user-input'
          ? v
          : 'mask';
      return text && level !== 'mask' && level !== 'hidden' && el!.querySelector(notShown) ? 'mask' : level;
    } catch {
      // An invalid user selector (the options are checked to be strings, not to be valid CSS).
      return 'mask';
    }
  };
}
