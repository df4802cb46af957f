import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RtpHeader, SrtcpSession, SrtpSession } from 'werift';
import { INBOUND_REPLAY_WINDOW } from '../src/media/fastpath/inboundSrtp.js';
import {
  deriveKey,
  deriveSessionKeys,
  REPLAY_WINDOW,
  SRTP_AEAD_AES_128_GCM,
  SRTP_AES128_CM_HMAC_SHA1_80,
  SrtpContext,
  SrtpError,
} from '../src/media/srtp/index.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const PROFILES = [
  ['AES_CM_128_HMAC_SHA1_80', SRTP_AES128_CM_HMAC_SHA1_80, 14],
  ['AEAD_AES_128_GCM', SRTP_AEAD_AES_128_GCM, 12],
] as const;

/** A plain RTP packet: version 2, payload type 96. */
function rtp(seq: number, ssrc: number, payload: Buffer, ts = seq * 3000): Buffer {
  const h = Buffer.alloc(12);
  h[0] = 0x80;
  h[1] = 96;
  h.writeUInt16BE(seq, 2);
  h.writeUInt32BE(ts >>> 0, 4);
  h.writeUInt32BE(ssrc >>> 0, 8);
  return Buffer.concat([h, payload]);
}

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof SrtpError) return e.reason;
    throw e;
  }
  return 'accepted';
}

describe('SRTP test vectors', () => {
  it('RFC 3711 B.2: the AES-CM keystream for SSRC 0, index 0', () => {
    const keys = { key: hex('2B7E151628AED2A6ABF7158809CF4F3C'), salt: hex('F0F1F2F3F4F5F6F7F8F9FAFBFCFD'), auth: Buffer.alloc(20) };
    const ctx = new SrtpContext(SRTP_AES128_CM_HMAC_SHA1_80, { rtp: keys, rtcp: keys });
    // Encrypting zeros yields the keystream itself: 65282 blocks, the segment the RFC tabulates.
    const out = ctx.protectRtp(rtp(0, 0, Buffer.alloc(1044512)));
    const ks = out.subarray(12, 12 + 1044512);
    expect(ks.subarray(0, 48).toString('hex').toUpperCase()).toBe(
      'E03EAD0935C95E80E166B16DD92B4EB4D23513162B02D0F72A43A2FE4A5F97AB41E95B3BB0A2E8DD477901E4FCA894C0',
    );
    expect(
      ks
        .subarray(0xfeff * 16, 0xff02 * 16)
        .toString('hex')
        .toUpperCase(),
    ).toBe('EC8CDF7398607CB0F2D21675EA9EA1E4362B7C3C6773516318A077D7FC5073AE6A2CC3787889374FBEB4C81B17BA6C44');
  });

  it('RFC 3711 B.3: key derivation', () => {
    const masterKey = hex('E1F97A0D3E018BE0D64FA32C06DE4139');
    const masterSalt = hex('0EC675AD498AFEEBB6960B3AABE6');
    const { rtp: keys } = deriveSessionKeys(SRTP_AES128_CM_HMAC_SHA1_80, masterKey, masterSalt);
    expect(keys.key.toString('hex').toUpperCase()).toBe('C61E7A93744F39EE10734AFE3FF7A087');
    expect(keys.salt.toString('hex').toUpperCase()).toBe('30CBBC08863D8C85D49DB34A9AE1');
    expect(keys.auth.toString('hex').toUpperCase()).toBe('CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4');
    // The RFC lists 94 bytes of authentication keystream; the PRF must give all of them.
    expect(deriveKey(masterKey, masterSalt, 1, 94).toString('hex').toUpperCase()).toBe(
      'CEBE321F6FF7716B6FD4AB49AF256A156D38BAA48F0A0ACF3C34E2359E6CDBCEE049646C43D9327AD175578EF72270986371C10C9A369AC2F94A8C5FBCDDDC256D6E919A48B610EF17C2041E474035766B68642C59BBFC2F34DB60DBDFB2',
    );
  });

  const gcmKeys = { key: hex('000102030405060708090a0b0c0d0e0f'), salt: hex('517569642070726f2071756f'), auth: Buffer.alloc(0) };
  const gcm = () => new SrtpContext(SRTP_AEAD_AES_128_GCM, { rtp: gcmKeys, rtcp: gcmKeys });
  const plainRtp = hex('8040f17b8041f8d35501a0b247616c6c696120657374206f6d6e69732064697669736120696e207061727465732074726573');
  const srtp = hex(
    '8040f17b8041f8d35501a0b2f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833899d7f27beb16a9152cf765ee4390cce',
  );

  it('RFC 7714 §16.1: AEAD_AES_128_GCM SRTP protect and unprotect', () => {
    expect(gcm().protectRtp(plainRtp).toString('hex')).toBe(srtp.toString('hex'));
    expect(gcm().unprotectRtp(srtp).toString('hex')).toBe(plainRtp.toString('hex'));
    const bad = Buffer.from(srtp);
    bad[20] = (bad[20] as number) ^ 1;
    expect(refusal(() => gcm().unprotectRtp(bad))).toBe('auth');
  });

  const plainRtcp = hex('81c8000d4d6172734e5450314e545032525450200000042a0000e9304c756e61deadbeefdeadbeefdeadbeefdeadbeefdeadbeef');
  const srtcp = hex(
    '81c8000d4d61727363e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda4ce09b4686303ded0bb9275bc84aa45896cf4d2fc5abf87245d9eade800005d4',
  );

  it('RFC 7714 §17.1: AEAD_AES_128_GCM SRTCP protect and unprotect', () => {
    expect(gcm().protectRtcp(plainRtcp, 0x5d4).toString('hex')).toBe(srtcp.toString('hex'));
    expect(gcm().unprotectRtcp(srtcp).toString('hex')).toBe(plainRtcp.toString('hex'));
    const bad = Buffer.from(srtcp);
    bad[bad.length - 6] = (bad[bad.length - 6] as number) ^ 1;
    expect(refusal(() => gcm().unprotectRtcp(bad))).toBe('auth');
  });

  it('RFC 7714 §17.3: an SRTCP packet that is authenticated but not encrypted (E = 0)', () => {
    const tagged = hex(
      '81c8000d4d6172734e5450314e545032525450200000042a0000e9304c756e61deadbeefdeadbeefdeadbeefdeadbeefdeadbeef841dd9683dd78ec92ae58790125f62b3000005d4',
    );
    expect(gcm().unprotectRtcp(tagged).toString('hex')).toBe(plainRtcp.toString('hex'));
  });
});

describe.each(PROFILES)('SRTP %s', (_name, profile, saltLength) => {
  const pair = () => {
    const key = randomBytes(16);
    const salt = randomBytes(saltLength);
    return [SrtpContext.fromMasterKey(profile, key, salt), SrtpContext.fromMasterKey(profile, key, salt), key, salt] as const;
  };

  it('keeps the rollover counter across a sequence-number wrap, also for packets reordered around it', () => {
    const [tx, rx, key, salt] = pair();
    const ssrc = 0x11223344;
    const seqs = [65533, 65534, 0, 65535, 1, 2];
    const sent = seqs.map((s) => [s, tx.protectRtp(rtp(s, ssrc, Buffer.from(`p${s}`)))] as const);
    // The sender counted the wrap: the packet after 65535 is index 2^16 (ROC 1).
    expect(tx.rolloverCounter(ssrc)).toBe(1);
    for (const [s, p] of sent) expect(rx.unprotectRtp(p).subarray(12).toString()).toBe(`p${s}`);
    expect(rx.rolloverCounter(ssrc)).toBe(1);
    // The packet after the wrap is bound to ROC 1: a receiver that never saw the wrap (ROC 0) refuses it.
    const fresh = SrtpContext.fromMasterKey(profile, key, salt);
    expect(refusal(() => fresh.unprotectRtp(sent[2]?.[1] ?? Buffer.alloc(0)))).toBe('auth');
  });

  it('wraps many times: 3 × 65536 packets in order', () => {
    const [tx, rx] = pair();
    const payload = Buffer.from('x');
    let seq = 40000;
    for (let i = 0; i < 3 * 65536; i += 997) {
      seq = (40000 + i) & 0xffff;
      rx.unprotectRtp(tx.protectRtp(rtp(seq, 7, payload)));
    }
    expect(tx.rolloverCounter(7)).toBe(3);
    expect(rx.rolloverCounter(7)).toBe(3);
  });

  it('refuses a replayed packet and one older than the replay window; a forged copy does not block the real one', () => {
    const [tx, rx] = pair();
    const packets = Array.from({ length: REPLAY_WINDOW + 10 }, (_, i) => tx.protectRtp(rtp(1000 + i, 5, Buffer.from([i]))));
    const first = packets[0] as Buffer;
    const last = packets[packets.length - 1] as Buffer;
    const middle = packets[packets.length - 5] as Buffer;
    rx.unprotectRtp(first);
    expect(refusal(() => rx.unprotectRtp(first))).toBe('replay');
    rx.unprotectRtp(last);
    // `first` is now REPLAY_WINDOW + 9 behind the highest index.
    expect(refusal(() => rx.unprotectRtp(first))).toBe('replay');
    const forged = Buffer.from(middle);
    forged[13] = (forged[13] as number) ^ 0xff;
    expect(refusal(() => rx.unprotectRtp(forged))).toBe('auth');
    expect(rx.unprotectRtp(middle).subarray(12)).toEqual(Buffer.from([REPLAY_WINDOW + 5]));
    expect(refusal(() => rx.unprotectRtp(middle))).toBe('replay');
  });

  it('a wider replay window (inbound RTP: 1,024) takes a retransmission 1,000 packets late, once', () => {
    const [tx, narrow, key, salt] = pair();
    const wide = SrtpContext.fromMasterKey(profile, key, salt, { rtpReplayWindow: INBOUND_REPLAY_WINDOW });
    const packets = Array.from({ length: 1001 }, (_, i) => tx.protectRtp(rtp(2000 + i, 9, Buffer.from([i & 0xff]))));
    const lost = packets[0] as Buffer;
    for (const p of packets.slice(1)) {
      wide.unprotectRtp(p);
      narrow.unprotectRtp(p);
    }
    // the first packet, retransmitted (same sequence number, no RTX) after the 1,000 that followed it
    expect(wide.unprotectRtp(lost).subarray(12)).toEqual(Buffer.from([0]));
    expect(refusal(() => wide.unprotectRtp(lost))).toBe('replay');
    expect(refusal(() => narrow.unprotectRtp(lost))).toBe('replay'); // too old for the default window
  });

  it('SRTCP: round trip, replay and tampering', () => {
    const [tx, rx] = pair();
    const a = tx.protectRtcp(plainRtcpOf(9));
    const b = tx.protectRtcp(plainRtcpOf(9));
    expect(rx.unprotectRtcp(a)).toEqual(plainRtcpOf(9));
    expect(rx.unprotectRtcp(b)).toEqual(plainRtcpOf(9));
    expect(refusal(() => rx.unprotectRtcp(a))).toBe('replay');
    const c = tx.protectRtcp(plainRtcpOf(9));
    c[9] = (c[9] as number) ^ 1;
    expect(refusal(() => rx.unprotectRtcp(c))).toBe('auth');
  });

  it("interoperates with werift's SrtpSession/SrtcpSession both ways", () => {
    const [ours, , key, salt] = pair();
    const theirKey = randomBytes(16);
    const theirSalt = randomBytes(saltLength);
    const config = {
      profile,
      keys: { localMasterKey: theirKey, localMasterSalt: theirSalt, remoteMasterKey: key, remoteMasterSalt: salt },
    };
    const werift = new SrtpSession(config);
    const weriftRtcp = new SrtcpSession(config);
    const oursIn = SrtpContext.fromMasterKey(profile, theirKey, theirSalt);
    // Ours → werift, across a wrap.
    for (const seq of [65534, 65535, 0, 1]) {
      const payload = randomBytes(1100);
      const plain = werift.decrypt(ours.protectRtp(rtp(seq, 0xabcdef, payload)));
      expect(plain.subarray(12)).toEqual(payload);
      expect(plain.readUInt16BE(2)).toBe(seq);
    }
    // werift → ours, across a wrap.
    for (const seq of [65534, 65535, 0, 1]) {
      const payload = randomBytes(900);
      const header = new RtpHeader({ payloadType: 111, sequenceNumber: seq, timestamp: seq * 960, ssrc: 0x1234 });
      const plain = oursIn.unprotectRtp(werift.encrypt(payload, header));
      expect(plain.subarray(12)).toEqual(payload);
    }
    expect(oursIn.rolloverCounter(0x1234)).toBe(1);
    // SRTCP both ways.
    expect(weriftRtcp.decrypt(ours.protectRtcp(plainRtcpOf(0x42)))).toEqual(plainRtcpOf(0x42));
    expect(oursIn.unprotectRtcp(weriftRtcp.encrypt(plainRtcpOf(0x43)))).toEqual(plainRtcpOf(0x43));
  });
});

/** A receiver report with no report blocks plus 20 bytes of padding-free body (a valid RTCP length). */
function plainRtcpOf(ssrc: number): Buffer {
  const b = Buffer.alloc(28);
  b[0] = 0x80;
  b[1] = 200; // SR
  b.writeUInt16BE(6, 2);
  b.writeUInt32BE(ssrc, 4);
  b.fill(7, 8);
  return b;
}
