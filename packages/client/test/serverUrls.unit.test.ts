import { describe, expect, it } from 'vitest';
import { signalUrls } from '../src/client/url.js';
import { OnseatError } from '../src/errors.js';

describe('several server URLs', () => {
  it('maps each to its signalling URL, in order', () => {
    expect(signalUrls(['http://a:1', 'https://b/x', 'ws://c:3'])).toEqual(['ws://a:1/v1/signal', 'wss://b/x/v1/signal', 'ws://c:3/v1/signal']);
    expect(signalUrls('http://a:1')).toEqual(['ws://a:1/v1/signal']);
  });

  it('an empty list or a bad URL in it is INVALID_PARAMETER', () => {
    for (const bad of [[], ['http://a:1', 'ftp://b']]) {
      let err: unknown;
      try {
        signalUrls(bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(OnseatError);
      expect((err as OnseatError).code).toBe(OnseatError.of('INVALID_PARAMETER', '').code);
    }
  });
});
