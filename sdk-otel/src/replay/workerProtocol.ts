/** Page to worker: a text of segment `id` (with `end`, its last), or forget it (the page finished it itself). */
export interface ToWorker {
  id: number;
  text?: string;
  end?: boolean;
  drop?: boolean;
}

/** Worker to page: complete gzip members of the segment's texts before `upTo` not yet handed back. */
export interface FromWorker {
  id: number;
  upTo: number;
  bytes: Uint8Array;
  /** The segment's last members: the whole segment has been handed back. */
  final: boolean;
}
