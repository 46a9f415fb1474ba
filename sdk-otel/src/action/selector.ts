/** Ancestors walked when building a selector. */
export const MAX_SELECTOR_DEPTH = 6;

const cssEscape = (s: string) =>
  typeof CSS !== 'undefined' && CSS.escape ? CSS.escape(s) : s.replace(/[^\w-]/g, '\\$&');

/**
 * A CSS selector that finds `el` again: from the nearest ancestor with an id (or the body) down, each
 * step the tag and, where siblings share it, :nth-of-type. Used for action targets and vitals attribution.
 */
export function selectorOf(el: Element | null | undefined): string | undefined {
  if (!el || el.nodeType !== 1) return undefined;
  const parts: string[] = [];
  let node: Element | null = el;
  for (let depth = 0; node && depth < MAX_SELECTOR_DEPTH; depth++) {
    if (node.id) {
      parts.unshift(`#${cssEscape(node.id)}`);
      break;
    }
    const tag = node.tagName.toLowerCase();
    if (tag === 'body' || tag === 'html') {
      parts.unshift(tag);
      break;
    }
    const parent: Element | null = node.parentElement;
    let step = tag;
    if (parent) {
      const same = Array.from(parent.children).filter((c) => c.tagName === node!.tagName);
      if (same.length > 1) step += `:nth-of-type(${same.indexOf(node) + 1})`;
    }
    parts.unshift(step);
    node = parent;
  }
  return parts.join(' > ');
}
