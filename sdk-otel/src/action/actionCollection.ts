import { EventName } from '@otel-rum/model';
import type { PrivacyOf } from '../privacy/elementPrivacy';
import { newId64 } from '../ids';
import type { Attributes, RumBus } from '../lifecycle/rumEvents';
import { actionEvent, type CollectedAction } from './actionEvent';
import { actionName, clickTarget } from './actionName';
import { canBeDead, createRageDetector } from './frustration';
import { selectorOf } from './selector';

/** Quiet time (no DOM change, no request in flight) after which a click's action has settled. */
export const ACTION_SETTLE_MS = 100;
/** Longest a click's action may last. */
export const ACTION_MAX_MS = 10_000;

export interface ActionOptions {
  bus: RumBus;
  nameAttribute: string;
  /** The privacy level of the clicked element: action names follow it. */
  privacy: PrivacyOf;
  trackClicks: boolean;
  now(): number;
}

export interface ActionCollection {
  /** Id of the click action in progress, for the events it causes. */
  currentId(): string | undefined;
  addCustom(name: string, attributes?: Attributes): void;
  stop(): void;
}

interface Pending {
  action: CollectedAction;
  el: Element;
  lastActivity?: number;
  requests: number;
  settle?: ReturnType<typeof setTimeout>;
  max: ReturnType<typeof setTimeout>;
}

/**
 * Click actions: named, with a target selector, lasting until the page settles (DOM quiet and no
 * request in flight), marked rage (3 clicks in 1 s on one target), dead (nothing changed) or error
 * (an error happened meanwhile). Custom actions from addAction.
 */
export function startActionCollection(o: ActionOptions): ActionCollection {
  const { bus } = o;
  const isRage = createRageDetector();
  // Clicks whose page reaction is still being watched; several when the user clicks quickly.
  const pending = new Set<Pending>();
  let observer: MutationObserver | undefined;

  const finish = (p: Pending) => {
    if (!pending.delete(p)) return;
    clearTimeout(p.settle);
    clearTimeout(p.max);
    if (!pending.size) observer?.disconnect();
    const a = p.action;
    a.duration = p.lastActivity !== undefined ? p.lastActivity - a.start : 0;
    if (p.lastActivity === undefined && canBeDead(p.el)) a.frustration.push('dead');
    bus.emit('collected', actionEvent(a));
  };
  const finishAll = () => pending.forEach(finish);

  const armSettle = (p: Pending) => {
    clearTimeout(p.settle);
    if (p.requests <= 0) p.settle = setTimeout(() => finish(p), ACTION_SETTLE_MS);
  };

  const activity = () => {
    const t = o.now();
    pending.forEach((p) => {
      p.lastActivity = t;
      armSettle(p);
    });
  };

  const onClick = (event: MouseEvent) => {
    const target = event.target;
    if (!(target instanceof Element)) return;
    const el = clickTarget(target);
    const selector = selectorOf(el);
    const start = o.now();
    const action: CollectedAction = {
      id: newId64(),
      type: 'click',
      name: actionName(target, o.nameAttribute, o.privacy(el, true)),
      target: selector,
      start,
      duration: 0,
      frustration: isRage(selector || '', start) ? ['rage'] : [],
    };
    const p: Pending = { action, el, requests: 0, max: setTimeout(() => finish(p), ACTION_MAX_MS) };
    if (!pending.size && typeof MutationObserver !== 'undefined') {
      observer ||= new MutationObserver(activity);
      observer.observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
    }
    pending.add(p);
    armSettle(p);
  };

  /** The most recent click still in progress. */
  const latest = () => {
    let last: Pending | undefined;
    pending.forEach((p) => (last = p));
    return last;
  };

  const offs = [
    bus.on('requestStarted', () => {
      pending.forEach((p) => p.requests++);
      activity();
    }),
    bus.on('spanEnded', () => {
      pending.forEach((p) => (p.requests = Math.max(0, p.requests - 1)));
      activity();
    }),
    bus.on('viewStarted', activity),
    bus.on('collected', (e) => {
      const p = latest();
      if (p && e.name === EventName.EXCEPTION && !p.action.frustration.includes('error'))
        p.action.frustration.push('error');
    }),
    bus.on('pageHidden', finishAll),
  ];
  if (o.trackClicks) addEventListener('click', onClick, { capture: true, passive: true });

  return {
    currentId: () => latest()?.action.id,
    addCustom(name, attributes) {
      bus.emit(
        'collected',
        actionEvent({
          id: newId64(),
          type: 'custom',
          name,
          start: o.now(),
          duration: 0,
          frustration: [],
          attributes,
        }),
      );
    },
    stop() {
      finishAll();
      offs.forEach((off) => off());
      removeEventListener('click', onClick, { capture: true });
    },
  };
}
