/** Small SDP helpers: what an offer sends, and candidate rewriting. No SFU state here. */

export type MediaKind = 'audio' | 'video';

/** One m-section of an offer, as far as publishing is concerned. */
export interface OfferedSection {
  kind: string;
  mid: string | undefined;
  /** The remote sends media on it (sendonly/sendrecv and not rejected). */
  sends: boolean;
}

/** The m-sections of an SDP. */
export function offeredSections(sdp: string): OfferedSection[] {
  const sections = sdp.split(/\r?\nm=/).slice(1);
  return sections.map((body) => {
    const [first = ''] = body.split(/\r?\n/, 1);
    const [kind = '', port = '0'] = first.split(' ');
    const mid = /\r?\na=mid:(\S+)/.exec(body)?.[1];
    const direction = /\r?\na=(sendonly|recvonly|sendrecv|inactive)\b/.exec(body)?.[1] ?? 'sendrecv';
    return { kind, mid, sends: port !== '0' && (direction === 'sendonly' || direction === 'sendrecv') };
  });
}

/** Kinds (audio/video) that an offer sends. */
export function sentKinds(sdp: string): Set<MediaKind> {
  const kinds = new Set<MediaKind>();
  for (const s of offeredSections(sdp)) if (s.sends && (s.kind === 'audio' || s.kind === 'video')) kinds.add(s.kind);
  return kinds;
}

/**
 * Keeps only the candidates on `bindAddress` (when given) and writes `announcedIp` in their place (when given).
 * The SFU gathers on every interface it can see; a client should only try the address that can reach it.
 */
export function rewriteCandidates(sdp: string, bindAddress: string | undefined, announcedIp: string | undefined): string {
  if (!bindAddress && !announcedIp) return sdp;
  const lines = sdp.split('\r\n');
  const out: string[] = [];
  for (const line of lines) {
    if (line.startsWith('a=candidate:')) {
      const parts = line.split(' ');
      const address = parts[4];
      if (bindAddress && bindAddress !== '0.0.0.0' && address !== bindAddress) continue;
      if (announcedIp && address !== undefined) parts[4] = announcedIp;
      out.push(parts.join(' '));
    } else out.push(line);
  }
  return out.join('\r\n');
}

/**
 * werift writes port 0 (= rejected) for every inactive m-section. A rejected section leaves the BUNDLE group, and a
 * browser then refuses the next offer (or loses the whole bundle when it was the first one). An inactive section in
 * the bundle keeps the discard port 9 instead.
 */
export function keepInactiveBundled(sdp: string): string {
  const bundle = new Set(/a=group:BUNDLE ([^\r\n]*)/.exec(sdp)?.[1]?.split(' ') ?? []);
  const parts = sdp.split(/(?=\r\nm=)/);
  return parts
    .map((part) => {
      if (!/^\r\nm=\S+ 0 /.test(part) || !/\r\na=inactive\b/.test(part)) return part;
      const mid = /\r\na=mid:(\S+)/.exec(part)?.[1];
      return mid !== undefined && bundle.has(mid) ? part.replace(/^(\r\nm=\S+) 0 /, '$1 9 ') : part;
    })
    .join('');
}

/**
 * Asks for Opus in-band FEC and DTX on every Opus payload type (werift's answers copy the offer's format parameters;
 * the browser configures its encoder from what the SFU's description says).
 */
export function opusFecDtx(sdp: string): string {
  const pts = new Set([...sdp.matchAll(/a=rtpmap:(\d+) opus\/48000/gi)].map((m) => m[1]));
  return sdp.replace(/a=fmtp:(\d+) ([^\r\n]*)/g, (line, pt: string, params: string) => {
    if (!pts.has(pt)) return line;
    const list = params.split(';').filter((p) => p !== '' && !/^(useinbandfec|usedtx)=/.test(p));
    return `a=fmtp:${pt} ${[...list, 'useinbandfec=1', 'usedtx=1'].join(';')}`;
  });
}

/** An SDP the SFU hands to a browser: inactive sections kept in the bundle, candidates rewritten, Opus FEC + DTX. */
export function outgoingSdp(sdp: string, bindAddress: string | undefined, announcedIp: string | undefined): string {
  return opusFecDtx(rewriteCandidates(keepInactiveBundled(sdp), bindAddress, announcedIp));
}

/**
 * Why `answer` cannot answer `offer`, or null when it can: the same m-sections (kind and mid, in order), ICE
 * credentials and a DTLS fingerprint. Checked before werift sees it: werift half-applies an answer it then refuses,
 * which leaves the transport unable to make the next offer.
 */
export function answerMismatch(offer: string, answer: string): string | null {
  const want = offeredSections(offer);
  const got = offeredSections(answer);
  if (got.length !== want.length) return `it has ${got.length} m-sections, the offer ${want.length}`;
  for (const [i, w] of want.entries()) {
    const g = got[i];
    if (g?.kind !== w.kind || g.mid !== w.mid)
      return `m-section ${i} is ${g?.kind ?? '?'} mid ${g?.mid ?? '?'}, the offer's ${w.kind} mid ${w.mid ?? '?'}`;
  }
  if (!/\r?\na=ice-ufrag:\S+/.test(answer) || !/\r?\na=ice-pwd:\S+/.test(answer)) return 'it has no ICE credentials';
  if (!/\r?\na=fingerprint:\S+ \S+/.test(answer)) return 'it has no DTLS fingerprint';
  return null;
}
