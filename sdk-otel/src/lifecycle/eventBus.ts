/** A listener of one kind of bus message. */
export type Listener<T> = (data: T) => void;

/** A tiny typed publish/subscribe channel: the only way domains talk to each other. */
export interface EventBus<E> {
  on<K extends keyof E>(type: K, listener: Listener<E[K]>): () => void;
  emit<K extends keyof E>(type: K, data: E[K]): void;
}

export function createEventBus<E>(): EventBus<E> {
  const listeners: { [K in keyof E]?: Listener<E[K]>[] } = {};
  return {
    on(type, listener) {
      const list = (listeners[type] ||= []);
      list.push(listener);
      return () => {
        const i = list.indexOf(listener);
        if (i >= 0) list.splice(i, 1);
      };
    },
    emit(type, data) {
      const list = listeners[type];
      if (list) for (const listener of list.slice()) listener(data);
    },
  };
}
