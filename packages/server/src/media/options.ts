import { DEFAULT_POLICY, type PolicyTiming } from './layerPolicy.js';
import {
  RTCRtpCodecParameters,
  useAbsSendTime,
  useAudioLevelIndication,
  useNACK,
  usePLI,
  useREMB,
  useRepairedRtpStreamId,
  useSdesMid,
  useSdesRTPStreamId,
  type RTCPeerConnectionConfig,
} from 'werift';

/** An ICE server handed to browsers and used by the SFU (TURN for clients behind strict NATs). */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** Settings of the embedded werift SFU. */
export interface WeriftMediaOptions {
  /** Address the UDP sockets bind to and the only host candidate offered. Default: every interface. */
  bindAddress?: string;
  /** Public IP written into candidates instead of the bind address (server behind 1:1 NAT). */
  announcedIp?: string;
  /** UDP port range for ICE sockets, inclusive. Default: any free port. */
  portRange?: [number, number];
  /** ICE servers of the SFU's own transports. Default none (host candidates only). */
  iceServers?: IceServer[];
  /** REMB cap sent to video publishers, all simulcast layers together (bits/s). Default 4 000 000. */
  videoBitrateCap?: number;
  /** Minimum interval between keyframe requests to one published track (ms). Default 500. */
  keyframeIntervalMs?: number;
  /** Interval of audio-level reports to subscribers (ms); 0 disables them. Default 300. */
  audioLevelIntervalMs?: number;
  /**
   * A publish/subscribe transport that stays `disconnected` this long is closed (ms); a `failed` one (no ICE consent
   * for 30 s) is closed at once. Default 30 000.
   */
  transportReapMs?: number;
  /** A `media.offer` without an answer is offered again after this long, doubling up to 30 s (ms). Default 5000. */
  offerRetryMs?: number;
  /** Interval of `media.networkStats` to the members who watch them (ms). Default 2000. */
  statsIntervalMs?: number;
  /** How often each viewer's simulcast layers are chosen again (ms). Default 500. */
  layerIntervalMs?: number;
  /** Hysteresis of the layer choice (layerPolicy.ts); default `DEFAULT_POLICY` (4 s before a step up, …). */
  layerPolicy?: Partial<PolicyTiming>;
}

/** Resolved options with their defaults. */
export interface ResolvedMediaOptions {
  bindAddress: string | undefined;
  announcedIp: string | undefined;
  portRange: [number, number] | undefined;
  iceServers: IceServer[];
  videoBitrateCap: number;
  keyframeIntervalMs: number;
  audioLevelIntervalMs: number;
  transportReapMs: number;
  offerRetryMs: number;
  statsIntervalMs: number;
  layerIntervalMs: number;
  layerPolicy: PolicyTiming;
}

export function resolveMediaOptions(o: WeriftMediaOptions = {}): ResolvedMediaOptions {
  return {
    bindAddress: o.bindAddress,
    announcedIp: o.announcedIp,
    portRange: o.portRange,
    iceServers: o.iceServers ?? [],
    videoBitrateCap: o.videoBitrateCap ?? 4_000_000,
    keyframeIntervalMs: o.keyframeIntervalMs ?? 500,
    audioLevelIntervalMs: o.audioLevelIntervalMs ?? 300,
    transportReapMs: o.transportReapMs ?? 30_000,
    offerRetryMs: o.offerRetryMs ?? 5000,
    statsIntervalMs: o.statsIntervalMs ?? 2000,
    layerIntervalMs: o.layerIntervalMs ?? 500,
    layerPolicy: { ...DEFAULT_POLICY, ...o.layerPolicy },
  };
}

/** The Opus format parameters the SFU answers and offers with. */
export const OPUS_FMTP = 'minptime=10;useinbandfec=1;usedtx=1';

const isLoopback = (a: string): boolean => a === '127.0.0.1' || a === '::1' || a.startsWith('127.');

/**
 * The werift configuration of every SFU transport: VP8 + Opus (with FEC and DTX) only (so every publisher's packets fit every
 * subscriber without transcoding or payload-type surprises), NACK/PLI/REMB feedback, no transport-cc (Chrome then
 * follows our REMB), mid + abs-send-time + audio level extensions, and bundle on one ICE transport.
 */
export function peerConfig(o: ResolvedMediaOptions): RTCPeerConnectionConfig {
  const config: RTCPeerConnectionConfig = {
    iceServers: o.iceServers,
    bundlePolicy: 'max-bundle',
    codecs: {
      // In-band FEC (a lost packet is rebuilt from the next one) and DTX (no packets while silent) on every Opus stream.
      audio: [new RTCRtpCodecParameters({ mimeType: 'audio/OPUS', clockRate: 48_000, channels: 2, parameters: OPUS_FMTP })],
      video: [
        new RTCRtpCodecParameters({
          mimeType: 'video/VP8',
          clockRate: 90_000,
          rtcpFeedback: [useNACK(), usePLI(), useREMB()],
        }),
      ],
    },
    headerExtensions: {
      audio: [useSdesMid(), useAudioLevelIndication()],
      // rtp-stream-id (+ repaired) let a publisher send simulcast: one encoding per rid on the same m-section.
      video: [useSdesMid(), useAbsSendTime(), useSdesRTPStreamId(), useRepairedRtpStreamId()],
    },
  };
  if (o.portRange) config.icePortRange = o.portRange;
  if (o.bindAddress && o.bindAddress !== '0.0.0.0') {
    config.iceInterfaceAddresses = { udp4: o.bindAddress };
    if (isLoopback(o.bindAddress)) config.iceAdditionalHostAddresses = [o.bindAddress];
    config.iceUseIpv6 = false;
  }
  return config;
}
