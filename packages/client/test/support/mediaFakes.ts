/**
 * Fakes of the browser media APIs (tracks, streams, RTCPeerConnection, getUserMedia, enumerateDevices) for unit
 * tests of the media stores in Node. A fake offer/answer SDP is `fake <mid>:<kind>:<direction>,...`.
 */
import { createOnseatClient, type OnseatClient } from '../../src/index.js';
import type { MediaEnv } from '../../src/media/MediaEnv.js';
import { FakeNetwork, ok } from './fakeNetwork.js';

let nextTrack = 0;

export class FakeTrack {
  readonly id = `t${++nextTrack}`;
  enabled = true;
  readyState: 'live' | 'ended' = 'live';
  constraints: unknown[] = [];
  readonly #ended = new Set<() => void>();
  constructor(
    readonly kind: 'audio' | 'video',
    readonly label = '',
    readonly settings: Record<string, unknown> = {},
  ) {}
  stop(): void {
    this.readyState = 'ended';
  }
  async applyConstraints(c: unknown): Promise<void> {
    this.constraints.push(c);
  }
  addEventListener(type: string, l: () => void): void {
    if (type === 'ended') this.#ended.add(l);
  }
  removeEventListener(_type: string, l: () => void): void {
    this.#ended.delete(l);
  }
  /** The user stopped it from the browser UI (e.g. "Stop sharing"). */
  endFromBrowser(): void {
    this.readyState = 'ended';
    for (const l of this.#ended) l();
  }
}

export class FakeStream {
  constructor(private tracks: FakeTrack[] = []) {}
  getTracks(): FakeTrack[] {
    return [...this.tracks];
  }
  getAudioTracks(): FakeTrack[] {
    return this.tracks.filter((t) => t.kind === 'audio');
  }
  getVideoTracks(): FakeTrack[] {
    return this.tracks.filter((t) => t.kind === 'video');
  }
  addTrack(t: FakeTrack): void {
    if (!this.tracks.includes(t)) this.tracks.push(t);
  }
  removeTrack(t: FakeTrack): void {
    this.tracks = this.tracks.filter((x) => x !== t);
  }
}

type FakeEncoding = { rid?: string; maxBitrate?: number; scaleResolutionDownBy?: number; active?: boolean };

class FakeSender {
  params: { encodings: FakeEncoding[] } = { encodings: [{}] };
  replaced = 0;
  constructor(public track: FakeTrack | null) {}
  async replaceTrack(t: FakeTrack | null): Promise<void> {
    this.track = t;
    this.replaced += 1;
  }
  getParameters() {
    return structuredClone(this.params);
  }
  async setParameters(p: { encodings: FakeEncoding[] }): Promise<void> {
    this.params = p;
  }
}

class FakeTransceiver {
  mid: string | null = null;
  readonly sender = new FakeSender(null);
  readonly receiver: { track: FakeTrack };
  constructor(
    readonly kind: 'audio' | 'video',
    public direction: string,
    sendEncodings?: FakeEncoding[],
  ) {
    this.receiver = { track: new FakeTrack(kind) };
    if (sendEncodings) this.sender.params = { encodings: structuredClone(sendEncodings) };
  }
}

export class FakePeerConnection {
  readonly transceivers: FakeTransceiver[] = [];
  signalingState = 'stable';
  connectionState = 'new';
  iceGatheringState = 'complete';
  localDescription: { type: string; sdp: string } | null = null;
  closed = false;
  readonly #listeners = new Map<string, Set<() => void>>();
  constructor(
    readonly env: FakeMediaEnv,
    readonly config: RTCConfiguration = {},
  ) {}
  addTransceiver(kind: 'audio' | 'video', init: { direction: string; sendEncodings?: FakeEncoding[] }): FakeTransceiver {
    const t = new FakeTransceiver(kind, init.direction, init.sendEncodings);
    this.transceivers.push(t);
    return t;
  }
  getTransceivers(): FakeTransceiver[] {
    return this.transceivers;
  }
  async createOffer() {
    return { type: 'offer', sdp: `fake ${this.transceivers.map((t, i) => `${t.mid ?? i}:${t.kind}:${t.direction}`).join(',')}` };
  }
  async createAnswer() {
    return { type: 'answer', sdp: `fake ${this.transceivers.map((t) => `${t.mid}:${t.kind}:recvonly`).join(',')}` };
  }
  async setLocalDescription(d: { type: string; sdp?: string }): Promise<void> {
    if (d.type === 'rollback') return void (this.signalingState = 'stable');
    this.transceivers.forEach((t, i) => (t.mid ??= String(i)));
    this.localDescription = { type: d.type, sdp: d.sdp ?? '' };
    this.signalingState = d.type === 'offer' ? 'have-local-offer' : 'stable';
  }
  async setRemoteDescription(d: { type: string; sdp: string }): Promise<void> {
    if (d.type === 'offer') {
      for (const m of d.sdp
        .replace(/^fake ?/, '')
        .split(',')
        .filter(Boolean)) {
        const [mid, kind] = m.split(':') as [string, 'audio' | 'video'];
        if (!this.transceivers.some((t) => t.mid === mid)) {
          const t = new FakeTransceiver(kind, 'recvonly');
          t.mid = mid;
          this.transceivers.push(t);
        }
      }
      this.signalingState = 'have-remote-offer';
      return;
    }
    this.signalingState = 'stable';
    if (this.connectionState !== 'connected' && this.env.connect === 'auto') {
      setTimeout(() => this.setConnectionState('connected'), 1);
    }
  }
  setConnectionState(s: string): void {
    this.connectionState = s;
    for (const l of this.#listeners.get('connectionstatechange') ?? []) l();
  }
  addEventListener(type: string, l: () => void): void {
    const set = this.#listeners.get(type) ?? new Set();
    set.add(l);
    this.#listeners.set(type, set);
  }
  removeEventListener(type: string, l: () => void): void {
    this.#listeners.get(type)?.delete(l);
  }
  async getStats() {
    const stats = this.transceivers
      .filter((t) => t.direction === 'recvonly' && t.mid !== null)
      .map((t) => ({ type: 'inbound-rtp', mid: t.mid, packetsReceived: 10, bytesReceived: 1000, framesDecoded: t.kind === 'video' ? 5 : undefined }));
    return { forEach: (cb: (s: unknown) => void) => stats.forEach(cb) };
  }
  close(): void {
    this.closed = true;
    this.connectionState = 'closed';
  }
}

type Device = { kind: 'audioinput' | 'videoinput' | 'audiooutput'; deviceId: string; label: string };

/** A scriptable MediaEnv: what capture returns or throws, which devices exist, whether transports connect. */
export class FakeMediaEnv {
  /** `auto`: a publish transport connects right after the answer; `never`: it stays `new`. */
  connect: 'auto' | 'never' = 'auto';
  /** Next capture failures (DOMException names), consumed in order. */
  readonly failures: string[] = [];
  readonly captures: { kind: 'audio' | 'video' | 'screen'; constraints: unknown; track: FakeTrack }[] = [];
  readonly pcs: FakePeerConnection[] = [];
  /** Gain stages made for captureVolume (newest last). */
  readonly gainStages: { input: FakeTrack; gain: number; closed: boolean; track: FakeTrack; setGain(g: number): void; close(): void }[] = [];
  /** What every level meter reads now (0–100), and the meters made so far. */
  level = 0;
  readonly meters: { track: FakeTrack; closed: boolean; read(): number; close(): void }[] = [];
  devices: Device[] = [
    { kind: 'audioinput', deviceId: 'mic1', label: 'Mic One' },
    { kind: 'audioinput', deviceId: 'mic2', label: 'Mic Two' },
    { kind: 'videoinput', deviceId: 'cam1', label: 'Cam One' },
    { kind: 'audiooutput', deviceId: 'spk1', label: 'Speaker One' },
  ];
  readonly #deviceListeners = new Set<() => void>();

  #capture(kind: 'audio' | 'video' | 'screen', constraints: unknown): Promise<FakeStream> {
    const failure = this.failures.shift();
    if (failure) return Promise.reject(Object.assign(new Error(`fake ${failure}`), { name: failure }));
    const track = new FakeTrack(kind === 'audio' ? 'audio' : 'video', kind);
    this.captures.push({ kind, constraints, track });
    return Promise.resolve(new FakeStream([track]));
  }

  /** The devices changed (hot-plug). */
  plug(devices: Device[]): void {
    this.devices = devices;
    for (const l of this.#deviceListeners) l();
  }

  /** The newest publish transport (one with a sending transceiver). */
  get publishPc(): FakePeerConnection | undefined {
    return this.pcs.filter((pc) => pc.transceivers.some((t) => t.direction === 'sendonly' || t.sender.replaced > 0)).at(-1);
  }

  get env(): MediaEnv {
    const env = {
      getUserMedia: (c: MediaStreamConstraints) => this.#capture(c.audio ? 'audio' : 'video', c.audio || c.video),
      getDisplayMedia: (o: DisplayMediaStreamOptions) => this.#capture('screen', o.video),
      enumerateDevices: async () => this.devices.map((d) => ({ ...d, groupId: '' })),
      onDeviceChange: (l: () => void) => {
        this.#deviceListeners.add(l);
        return () => this.#deviceListeners.delete(l);
      },
      createPeerConnection: (config: RTCConfiguration) => {
        const pc = new FakePeerConnection(this, config);
        this.pcs.push(pc);
        return pc;
      },
      createMediaStream: (tracks: FakeTrack[]) => new FakeStream(tracks),
      createGainStage: (input: FakeTrack, gain: number) => {
        const stage = {
          input,
          gain,
          closed: false,
          track: new FakeTrack('audio', 'gain'),
          setGain: (g: number) => void (stage.gain = g),
          close: () => void (stage.closed = true),
        };
        this.gainStages.push(stage);
        return stage;
      },
      createLevelMeter: (track: FakeTrack) => {
        const meter = { track, closed: false, read: () => this.level, close: () => void (meter.closed = true) };
        this.meters.push(meter);
        return meter;
      },
    };
    return env as unknown as MediaEnv;
  }
}

/**
 * A logged-in client on a fake network with fake media: the server answers media requests with success and
 * `media.publish` with a fake answer. Add responders to `net` for anything else.
 */
export async function mediaClient(userId = 'alice'): Promise<{ net: FakeNetwork; fake: FakeMediaEnv; onseat: OnseatClient }> {
  const net = new FakeNetwork();
  net.responders.set('audience.list', () => ok({ audience: [], cursor: '', total: 0 }));
  for (const t of ['media.subscribe', 'media.answer', 'media.unpublish', 'seat.reportDevice', 'live.leave']) net.responders.set(t, () => ok({}));
  net.responders.set('media.publish', () => ok({ sdp: 'fake answer' }));
  const fake = new FakeMediaEnv();
  const onseat = createOnseatClient({
    serverUrl: 'ws://127.0.0.1:1',
    WebSocket: net.WebSocket,
    logger: {},
    pingIntervalMs: 0,
    requestTimeoutMs: 1000,
    reconnect: { initialDelayMs: 1, maxDelayMs: 5, maxElapsedMs: 2000 },
    media: { env: fake.env, gatherTimeoutMs: 5, connectTimeoutMs: 200 },
  });
  await onseat.login.login({ sdkAppId: 1, userId, userSig: 's' });
  return { net, fake, onseat };
}
