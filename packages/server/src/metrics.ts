import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** How often the event-loop lag metrics (nodejs_eventloop_lag_*) sample the loop (ms). */
export const EVENT_LOOP_SAMPLE_MS = 100;

/** Live numbers the gauges read at scrape time. */
export interface GaugeSource {
  connections(): number;
  lives(): number;
  members(): number;
}

/** A gauge whose value is read from `read` at each scrape. */
export function scrapedGauge(registry: Registry, name: string, help: string, read: () => number): Gauge {
  return new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}

/** A counter whose total is read from `read` (a number that only grows) at each scrape. */
export function scrapedCounter(registry: Registry, name: string, help: string, read: () => number): Counter {
  return new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

/**
 * The Prometheus metrics of one server, in their own `Registry` (never the global one, so several servers can
 * run in one process).
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'type' | 'outcome'>;
  readonly duration: Histogram<'type'>;
  readonly badFrames: Counter<'reason'>;

  constructor(source: GaugeSource) {
    const registers = [this.registry];
    scrapedGauge(this.registry, 'onseat_connections', 'Open WebSocket connections', () => source.connections());
    scrapedGauge(this.registry, 'onseat_lives', 'Lives in progress', () => source.lives());
    scrapedGauge(this.registry, 'onseat_live_members', 'Members of all lives (owners, administrators, audience)', () => source.members());
    this.requests = new Counter({
      name: 'onseat_requests_total',
      help: 'Requests by type and outcome (ok or the error name)',
      labelNames: ['type', 'outcome'],
      registers,
    });
    this.duration = new Histogram({
      name: 'onseat_request_duration_seconds',
      help: 'Time from receiving a request to sending its reply',
      labelNames: ['type'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.badFrames = new Counter({
      name: 'onseat_bad_frames_total',
      help: 'Rejected frames by reason (the error name)',
      labelNames: ['reason'],
      registers,
    });
    // The event-loop lag histogram samples with a native timer: at prom-client's default 10 ms it woke an idle server
    // 100 times a second (~10–20 ms of CPU per second on a small VM); every 100 ms still shows any stall worth seeing.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  }

  /** Record one answered request of a known type. */
  observeRequest(type: string, outcome: string, seconds: number): void {
    this.requests.inc({ type, outcome });
    this.duration.observe({ type }, seconds);
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
