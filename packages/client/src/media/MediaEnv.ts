/**
 * The browser APIs the media code uses, behind one object so the store logic runs in Node with fakes (unit tests)
 * and in a browser with the real thing (`browserMediaEnv()`, the default).
 */

/** Capture, device enumeration and peer connections. */
export interface MediaEnv {
  /** `navigator.mediaDevices.getUserMedia`. Rejects with a DOMException-like `{name}` (NotAllowedError, …). */
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
  /** `navigator.mediaDevices.getDisplayMedia` (screen share). */
  getDisplayMedia(options: DisplayMediaStreamOptions): Promise<MediaStream>;
  /** `navigator.mediaDevices.enumerateDevices`. */
  enumerateDevices(): Promise<MediaDeviceInfo[]>;
  /** Calls `listener` on `devicechange` (hot-plug); returns the unsubscribe function. */
  onDeviceChange(listener: () => void): () => void;
  /** `new RTCPeerConnection(config)`. */
  createPeerConnection(config: RTCConfiguration): RTCPeerConnection;
  /** `new MediaStream(tracks)` (the per-user stream of received tracks). */
  createMediaStream(tracks: MediaStreamTrack[]): MediaStream;
  /** A loudness meter on an audio track (Web Audio), or null where there is none. */
  createLevelMeter(track: MediaStreamTrack): LevelMeter | null;
  /** The audio track played through a gain (Web Audio), for `captureVolume`; null where there is no Web Audio. */
  createGainStage(track: MediaStreamTrack, gain: number): GainStage | null;
}

/** An audio track with adjustable gain in front of it. */
export interface GainStage {
  readonly track: MediaStreamTrack;
  setGain(gain: number): void;
  close(): void;
}

/** Reads how loud a track is now, 0–100. */
export interface LevelMeter {
  read(): number;
  close(): void;
}

/** A failure shaped like the DOMException getUserMedia rejects with. */
function unsupported(what: string): Error {
  const e = new Error(`${what} is not available in this environment (no navigator.mediaDevices / WebRTC)`);
  e.name = 'NotSupportedError';
  return e;
}

interface MediaDevicesLike {
  getUserMedia?(c: MediaStreamConstraints): Promise<MediaStream>;
  getDisplayMedia?(o: DisplayMediaStreamOptions): Promise<MediaStream>;
  enumerateDevices?(): Promise<MediaDeviceInfo[]>;
  addEventListener?(type: string, l: () => void): void;
  removeEventListener?(type: string, l: () => void): void;
}

/**
 * The real browser environment (looked up on each call, so it can be created where `navigator` does not exist;
 * calls then reject with a `NotSupportedError`).
 */
export function browserMediaEnv(): MediaEnv {
  const g = globalThis as {
    navigator?: { mediaDevices?: MediaDevicesLike };
    RTCPeerConnection?: new (c: RTCConfiguration) => RTCPeerConnection;
    MediaStream?: new (t: MediaStreamTrack[]) => MediaStream;
  };
  const devices = (): MediaDevicesLike | undefined => g.navigator?.mediaDevices;
  return {
    getUserMedia(constraints) {
      const d = devices();
      return d?.getUserMedia ? d.getUserMedia(constraints) : Promise.reject(unsupported('getUserMedia'));
    },
    getDisplayMedia(options) {
      const d = devices();
      return d?.getDisplayMedia ? d.getDisplayMedia(options) : Promise.reject(unsupported('getDisplayMedia'));
    },
    enumerateDevices() {
      const d = devices();
      return d?.enumerateDevices ? d.enumerateDevices() : Promise.reject(unsupported('enumerateDevices'));
    },
    onDeviceChange(listener) {
      const d = devices();
      d?.addEventListener?.('devicechange', listener);
      return () => d?.removeEventListener?.('devicechange', listener);
    },
    createPeerConnection(config) {
      if (!g.RTCPeerConnection) throw unsupported('RTCPeerConnection');
      return new g.RTCPeerConnection(config);
    },
    createMediaStream(tracks) {
      if (!g.MediaStream) throw unsupported('MediaStream');
      return new g.MediaStream(tracks);
    },
    createGainStage(track, gain) {
      const AudioContextCtor = (globalThis as { AudioContext?: new () => AudioContext }).AudioContext;
      if (!AudioContextCtor || !g.MediaStream) return null;
      const ctx = new AudioContextCtor();
      const source = ctx.createMediaStreamSource(new g.MediaStream([track]));
      const node = ctx.createGain();
      node.gain.value = gain;
      const out = ctx.createMediaStreamDestination();
      source.connect(node).connect(out);
      const processed = out.stream.getAudioTracks()[0];
      if (!processed) {
        void ctx.close();
        return null;
      }
      return {
        track: processed,
        setGain(value) {
          node.gain.value = value;
        },
        close() {
          processed.stop();
          source.disconnect();
          void ctx.close();
        },
      };
    },
    createLevelMeter(track) {
      const AudioContextCtor = (globalThis as { AudioContext?: new () => AudioContext }).AudioContext;
      if (!AudioContextCtor || !g.MediaStream) return null;
      const ctx = new AudioContextCtor();
      const source = ctx.createMediaStreamSource(new g.MediaStream([track]));
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 512;
      source.connect(analyser);
      const samples = new Float32Array(analyser.fftSize);
      return {
        read() {
          analyser.getFloatTimeDomainData(samples);
          let sum = 0;
          for (const v of samples) sum += v * v;
          // RMS of full scale is 1; speech sits around 0.05–0.3, so scale it onto 0–100.
          return Math.min(100, Math.round(Math.sqrt(sum / samples.length) * 300));
        },
        close() {
          source.disconnect();
          void ctx.close();
        },
      };
    },
  };
}
