/**
 * Images per second over a sliding time window, fed with (time, images) events.
 * Pure: callers pass timestamps (performance.now() in ms).
 */
export class ThroughputMeter {
  private events: { t: number; images: number }[] = [];
  constructor(private readonly windowMs = 3000) {}

  add(t: number, images: number): void {
    this.events.push({ t, images });
    while (this.events.length > 2 && t - this.events[0]!.t > this.windowMs) this.events.shift();
  }

  /** Images per second between the first and the last event in the window (0 if unknown). */
  rate(): number {
    if (this.events.length < 2) return 0;
    const first = this.events[0]!;
    const last = this.events[this.events.length - 1]!;
    const dt = (last.t - first.t) / 1000;
    if (dt <= 0) return 0;
    let images = 0;
    for (let i = 1; i < this.events.length; i++) images += this.events[i]!.images;
    return images / dt;
  }

  reset(): void {
    this.events = [];
  }
}
