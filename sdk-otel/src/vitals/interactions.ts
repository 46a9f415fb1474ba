/** Interactions kept for INP (the longest ones); enough for the 98th percentile of 500 interactions. */
export const INP_MAX_KEPT = 10;

export interface Interaction {
  id: number;
  duration: number;
  target?: string;
  type: string;
}

/**
 * Interaction to Next Paint: event timing entries grouped by interactionId (the longest entry of each
 * interaction counts); INP is the worst interaction, ignoring one per 50 interactions (≈ p98).
 */
export function createInpAccumulator() {
  let count = 0;
  const longest: Interaction[] = [];
  const byId = new Map<number, Interaction>();
  return {
    add(i: Interaction) {
      const known = byId.get(i.id);
      if (known) {
        if (i.duration > known.duration) {
          known.duration = i.duration;
          known.target = i.target ?? known.target;
          known.type = i.type;
        }
      } else {
        count++;
        const entry = { ...i };
        byId.set(i.id, entry);
        longest.push(entry);
      }
      longest.sort((a, b) => b.duration - a.duration);
      for (const dropped of longest.splice(INP_MAX_KEPT)) byId.delete(dropped.id);
    },
    /** The INP candidate, or undefined before the first interaction. */
    worst(): Interaction | undefined {
      return longest[Math.min(longest.length - 1, Math.floor(count / 50))];
    },
  };
}
