/**
 * Tells the SFU at what size (device pixels) each remote user's video is rendered (`media.viewSize`), so it sends a
 * small tile a small simulcast layer. Follows the elements with a ResizeObserver; a user rendered in several
 * elements counts with the largest. Sends only when the set changed, at most every `intervalMs`.
 */
export type ViewSizes = { userId: string; width: number; height: number }[];

const globals = globalThis as { ResizeObserver?: typeof ResizeObserver; devicePixelRatio?: number };

export class ViewSizeReporter {
  readonly #users = new Map<Element, string>();
  readonly #sizes = new Map<Element, { width: number; height: number }>();
  readonly #observer: ResizeObserver | null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastSentAt = -Infinity;
  #sent = '';

  constructor(
    private readonly send: (views: ViewSizes) => Promise<unknown>,
    private readonly intervalMs = 500,
  ) {
    const RO = globals.ResizeObserver;
    this.#observer = RO
      ? new RO((entries) => {
          for (const e of entries) this.#measure(e.target, e.contentRect.width, e.contentRect.height);
        })
      : null;
  }

  /** Reports `userId`'s video at the size of `element` while it is observed; returns the function that stops. */
  observe(userId: string, element: Element): () => void {
    this.#users.set(element, userId);
    this.#observer?.observe(element);
    const r = element.getBoundingClientRect();
    this.#measure(element, r.width, r.height);
    return () => {
      this.#observer?.unobserve(element);
      this.#users.delete(element);
      this.#sizes.delete(element);
      this.#schedule();
    };
  }

  /** Sends the current set again (a new media session: the server forgot it). */
  resend(): void {
    this.#sent = '';
    this.#schedule();
  }

  #measure(element: Element, cssWidth: number, cssHeight: number): void {
    if (!this.#users.has(element)) return;
    const dpr = globals.devicePixelRatio ?? 1;
    this.#sizes.set(element, { width: Math.round(cssWidth * dpr), height: Math.round(cssHeight * dpr) });
    this.#schedule();
  }

  /** The largest size of each user's elements. */
  views(): ViewSizes {
    const byUser = new Map<string, { width: number; height: number }>();
    for (const [el, size] of this.#sizes) {
      const userId = this.#users.get(el);
      if (userId === undefined) continue;
      const prev = byUser.get(userId);
      byUser.set(userId, prev ? { width: Math.max(prev.width, size.width), height: Math.max(prev.height, size.height) } : size);
    }
    return [...byUser].map(([userId, s]) => ({ userId, ...s })).sort((a, b) => (a.userId < b.userId ? -1 : 1));
  }

  #schedule(): void {
    if (this.#timer) return;
    const wait = Math.max(0, this.#lastSentAt + this.intervalMs - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const views = this.views();
      const key = JSON.stringify(views);
      if (key === this.#sent) return;
      this.#sent = key;
      this.#lastSentAt = Date.now();
      this.send(views).catch(() => {
        this.#sent = ''; // sent again with the next change or session
      });
    }, wait);
  }

  close(): void {
    this.#observer?.disconnect();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#users.clear();
    this.#sizes.clear();
  }
}
