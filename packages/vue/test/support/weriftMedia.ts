/**
 * A `MediaEnv` for Node tests made of werift (the same WebRTC stack as the server's SFU): real peer connections to
 * the real server over loopback, with capture faked — `getUserMedia` hands out werift tracks (no RTP is written, so
 * nothing flows; the transports still connect, which is what statuses wait for) or fails with a scripted
 * DOMException name.
 */
import type { MediaEnv } from '@onseat/client';
import { MediaStream, MediaStreamTrack, RTCPeerConnection } from 'werift';
import { peerConfig } from '../../../server/test/e2e/support/weriftPeer.js';

type Device = { kind: 'audioinput' | 'videoinput' | 'audiooutput'; deviceId: string; label: string };

/** The environment and what it did. */
export class WeriftMedia {
  /** Next capture failures (DOMException names such as `NotAllowedError`), consumed in order. */
  readonly failures: string[] = [];
  /** Tracks handed out by getUserMedia, in order. */
  readonly captured: { kind: 'audio' | 'video'; constraints: unknown; track: MediaStreamTrack }[] = [];
  readonly pcs: RTCPeerConnection[] = [];
  devices: Device[] = [
    { kind: 'audioinput', deviceId: 'mic1', label: 'Mic One' },
    { kind: 'audioinput', deviceId: 'mic2', label: 'Mic Two' },
    { kind: 'videoinput', deviceId: 'cam1', label: 'Cam One' },
    { kind: 'audiooutput', deviceId: 'spk1', label: 'Speaker One' },
  ];
  readonly #deviceListeners = new Set<() => void>();

  /** Hot-plug: replace the devices and fire `devicechange`. */
  plug(devices: Device[]): void {
    this.devices = devices;
    for (const l of this.#deviceListeners) l();
  }

  /** Close every peer connection it made. */
  async close(): Promise<void> {
    await Promise.all(this.pcs.map((pc) => pc.close().catch(() => undefined)));
  }

  get env(): MediaEnv {
    const capture = (kind: 'audio' | 'video', constraints: unknown) => {
      const failure = this.failures.shift();
      if (failure) return Promise.reject(Object.assign(new Error(`fake ${failure}`), { name: failure }));
      const track = new MediaStreamTrack({ kind });
      // What LocalPublisher touches besides stop()/enabled.
      Object.assign(track, { applyConstraints: () => Promise.resolve(), addEventListener: () => undefined });
      this.captured.push({ kind, constraints, track });
      return Promise.resolve(new MediaStream([track]));
    };
    const env = {
      getUserMedia: (c: MediaStreamConstraints) => capture(c.audio ? 'audio' : 'video', c.audio || c.video),
      getDisplayMedia: (o: DisplayMediaStreamOptions) => capture('video', o.video),
      enumerateDevices: async () => this.devices.map((d) => ({ ...d, groupId: '' })),
      onDeviceChange: (l: () => void) => {
        this.#deviceListeners.add(l);
        return () => this.#deviceListeners.delete(l);
      },
      createPeerConnection: () => {
        const pc = new RTCPeerConnection(peerConfig);
        this.pcs.push(pc);
        return pc;
      },
      createMediaStream: (tracks: MediaStreamTrack[]) => new MediaStream(tracks),
      createLevelMeter: () => ({ read: () => 42, close: () => undefined }),
      createGainStage: () => null,
    };
    return env as unknown as MediaEnv;
  }
}
