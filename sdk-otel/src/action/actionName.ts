import type { ElementPrivacyLevel } from '@otel-rum/model';

/** Characters kept of an action name. */
export const MAX_ACTION_NAME_LENGTH = 100;

/** Elements a click is usually meant for; the name is taken from the nearest of them. */
const INTERACTIVE =
  'a,button,input,select,textarea,label,summary,[role=button],[role=link],[role=menuitem],[role=tab],[role=checkbox],[onclick]';

const clean = (s: string | null | undefined) =>
  (s || '').replace(/\s+/g, ' ').trim().slice(0, MAX_ACTION_NAME_LENGTH);

/** The element a click was meant for: the nearest interactive ancestor, else the target itself. */
export function clickTarget(target: Element): Element {
  return target.closest(INTERACTIVE) || target;
}

/**
 * A readable name for a click on `target`: an explicit data attribute first (on the element or an
 * ancestor), then aria-label, aria-labelledby, the input's label, alt, title, placeholder, text.
 * With privacy 'mask' or 'hidden' (the level of the element, all of its text: see elementPrivacy.ts)
 * only developer-given names are used (data attribute, aria-label, alt, title); typed values of inputs
 * are never used.
 */
export function actionName(target: Element, nameAttribute: string, level: ElementPrivacyLevel): string {
  const masked = level === 'mask' || level === 'hidden';
  const named = target.closest(`[${nameAttribute}]`);
  if (named) return clean(named.getAttribute(nameAttribute));
  const el = clickTarget(target);
  const attr = (name: string) => clean(el.getAttribute(name));
  const byLabelledBy = () =>
    clean(
      (el.getAttribute('aria-labelledby') || '')
        .split(/\s+/)
        .map((id) => (id && document.getElementById(id)?.textContent) || '')
        .join(' '),
    );
  const name =
    attr('aria-label') ||
    byLabelledBy() ||
    (!masked && clean((el as HTMLInputElement).labels?.[0]?.textContent)) ||
    attr('alt') ||
    attr('title') ||
    (!masked && attr('placeholder')) ||
    (!masked && buttonValue(el)) ||
    (!masked && !isField(el) && clean((el as HTMLElement).innerText ?? el.textContent));
  return name || fallbackName(el);
}

/** The developer-set caption of <input type=button|submit|reset>. */
function buttonValue(el: Element): string {
  return el instanceof HTMLInputElement && /^(button|submit|reset)$/.test(el.type) ? clean(el.value) : '';
}

/** Form fields whose text is what the user typed. */
function isField(el: Element): boolean {
  return /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName) || (el as HTMLElement).isContentEditable === true;
}

/** `tag` plus its id or role, when nothing readable is present. */
function fallbackName(el: Element): string {
  const tag = el.tagName.toLowerCase();
  return el.id
    ? `${tag}#${el.id}`
    : el.getAttribute('role')
      ? `${tag}[role=${el.getAttribute('role')}]`
      : tag;
}
