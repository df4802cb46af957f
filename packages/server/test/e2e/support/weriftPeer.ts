/**
 * Node-side WebRTC peers (werift) speaking the onseat media protocol, for tests without a browser: a publisher that
 * sends synthetic RTP on audio/video tracks, and a subscriber that answers `media.offer` events and counts packets
 * per publishing user and kind.
 */
import {
  MediaStreamTrack,
  RTCPeerConnection,
  RTCRtpCodecParameters,
  RtpHeader,
  RtpPacket,
  useNACK,
  usePLI,
  useREMB,
  type RTCRtpTransceiver,
} from 'werift';
import type { EventPayload } from '@onseat/protocol';
import type { EvtFrame, WsClient } from '../../support/wsClient.js';

export const peerConfig = {
  iceServers: [],
  bundlePolicy: 'max-bundle' as const,
  iceAdditionalHostAddresses: ['127.0.0.1'],
  iceInterfaceAddresses: { udp4: '127.0.0.1' },
  iceUseIpv6: false,
  codecs: {
    audio: [new RTCRtpCodecParameters({ mimeType: 'audio/OPUS', clockRate: 48_000, channels: 2 })],
    video: [new RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90_000, rtcpFeedback: [useNACK(), usePLI(), useREMB()] })],
  },
};

/** A publishing peer sending a packet every 20 ms on each of its tracks. */
export class FakePublisher {
  readonly pc = new RTCPeerConnection(peerConfig);
  readonly tracks = new Map<'audio' | 'video', MediaStreamTrack>();
  readonly transceivers = new Map<'audio' | 'video', RTCRtpTransceiver>();
  plis = 0;
  #timer: NodeJS.Timeout | undefined;
  #seq = 0;

  constructor(kinds: ('audio' | 'video')[]) {
    for (const kind of kinds) {
      const track = new MediaStreamTrack({ kind });
      const t = this.pc.addTransceiver(track, { direction: 'sendonly' });
      t.sender.onPictureLossIndication.subscribe(() => this.plis++);
      this.tracks.set(kind, track);
      this.transceivers.set(kind, t);
    }
  }

  /** The offer (after ICE gathering). */
  async offer(): Promise<string> {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    return this.pc.localDescription?.sdp ?? '';
  }

  async accept(answer: string): Promise<void> {
    await this.pc.setRemoteDescription({ type: 'answer', sdp: answer });
  }

  start(): void {
    this.#timer = setInterval(() => {
      this.#seq = (this.#seq + 1) & 0xffff;
      for (const [kind, track] of this.tracks) {
        const header = new RtpHeader({
          payloadType: kind === 'audio' ? 111 : 96,
          sequenceNumber: this.#seq,
          timestamp: this.#seq * 960,
          marker: true,
        });
        track.writeRtp(new RtpPacket(header, Buffer.alloc(100, kind === 'audio' ? 1 : 2)));
      }
    }, 20);
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.pc.close();
  }
}

type Offer = EventPayload<'media.offer'>;

/** A subscribing peer: answers offers and counts packets by `${userId}:${kind}`. */
export class FakeSubscriber {
  pc: RTCPeerConnection;
  readonly counts = new Map<string, number>();
  readonly offers: Offer[] = [];
  #byMid = new Map<string, string>();
  #stop = false;

  constructor(readonly client: WsClient) {
    this.pc = this.#newPc();
  }

  #newPc(): RTCPeerConnection {
    const pc = new RTCPeerConnection(peerConfig);
    // werift fires ontrack again for the same track when a later offer renegotiates it: count each track once.
    const counted = new WeakSet<object>();
    pc.ontrack = (e) => {
      if (counted.has(e.track)) return;
      counted.add(e.track);
      e.track.onReceiveRtp.subscribe(() => {
        const mid = e.transceiver.mid;
        const key = mid === null ? undefined : this.#byMid.get(mid);
        if (key && pc === this.pc) this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      });
    };
    return pc;
  }

  /** A fresh transport and `media.subscribe` again (what a client does after reconnecting); counts restart. */
  async resubscribe(): Promise<void> {
    await this.pc.close();
    this.pc = this.#newPc();
    this.counts.clear();
    await this.client.call('media.subscribe', {});
  }

  /** Subscribes and keeps answering offers until closed. */
  async start(): Promise<void> {
    await this.client.call('media.subscribe', {});
    void this.#loop();
  }

  async #loop(): Promise<void> {
    try {
      await this.#answerOffers();
    } catch (err) {
      if (!this.#stop) this.error = err;
    }
  }

  /** The error that stopped the answering loop, if any. */
  error: unknown;

  async #answerOffers(): Promise<void> {
    while (!this.#stop) {
      let f: EvtFrame<Offer>;
      try {
        f = await this.client.nextEvent('media.offer', undefined, 60_000);
      } catch {
        return;
      }
      const offer = f.payload;
      this.offers.push(offer);
      this.#byMid = new Map(offer.tracks.map((t) => [t.mid, `${t.userId}:${t.kind}`]));
      await this.pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
      await this.pc.setLocalDescription(await this.pc.createAnswer());
      try {
        await this.client.call('media.answer', { revision: offer.revision, sdp: this.pc.localDescription?.sdp ?? '' });
      } catch (err) {
        // Answered too late: the server gave up on this offer and makes a new one (as the SDK does, wait for it).
        if (!/No outstanding media\.offer/.test(String((err as Error).message))) throw err;
        this.lateAnswers++;
      }
    }
  }

  /** Answers the server refused because it had already replaced the offer (a peer slower than `offerRetryMs`). */
  lateAnswers = 0;

  count(userId: string, kind: 'audio' | 'video'): number {
    return this.counts.get(`${userId}:${kind}`) ?? 0;
  }

  async close(): Promise<void> {
    this.#stop = true;
    await this.pc.close();
  }
}

export { until } from '../../support/until.js';
