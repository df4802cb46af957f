/**
 * Type-level parity with the real `tuikit-atomicx-vue3` (6.5.11, fetched by test set-up with `npm pack`). The
 * TypeScript compiler (strict; run by `atomicx/checkParity.ts` in its own process) checks:
 * - `atomicx/appSnippets.ts` (code as an AtomicX app writes it: enum members as types, reverse look-ups, lists
 *   handed to mutable parameters, i18n at module load …) compiled once against the real package's `.d.ts` and once
 *   against `@onseat/vue`: both without an error;
 * - every member of every state onseat has against the real declaration: a value (a ref) must be assignable both
 *   ways (only onseat → AtomicX where the real type has `any` in it), a method onseat → AtomicX (it takes what
 *   AtomicX takes, returns what AtomicX returns). The real `.d.ts` imports a module it does not ship (`uikit-core`),
 *   so some states are opaque there: those are compared through the type arguments their declarations still carry,
 *   their member lists come from the real runtime, and the members whose real type is plain `any` are listed here;
 * - every AtomicX enum onseat exports is a TypeScript `enum` in onseat too.
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ParityReport } from './atomicx/checkParity.js';
import { atomicxPackageDir, atomicxRuntimeEnums } from './support/atomicxPackage.js';

let report: ParityReport;

beforeAll(async () => {
  const pkg = atomicxPackageDir();
  const enums = JSON.stringify([...atomicxRuntimeEnums(pkg).keys()]);
  const repo = resolve(import.meta.dirname, '../../..');
  const script = join(import.meta.dirname, 'atomicx/checkParity.ts');
  const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=source', '--import', 'tsx', script, pkg, enums], {
    cwd: repo,
    maxBuffer: 16 * 1024 * 1024,
  });
  report = JSON.parse(stdout) as ParityReport;
}, 300_000);

describe('an AtomicX app compiles against both packages', () => {
  it('compiles the app snippets against the real package (the snippets are valid AtomicX code)', () => {
    expect(report.snippetErrorsReal).toEqual([]);
  });

  it('compiles the same snippets against @onseat/vue', () => {
    expect(report.snippetErrorsOnseat).toEqual([]);
  });
});

describe('states and enums match the real declarations', () => {
  it('every member of every state onseat has: present, and typed so AtomicX code compiles', () => {
    expect(report.problems).toEqual([]);
    // Values whose real type has `any` in it (from the unshipped uikit-core or peer packages): checked one way
    // (onseat's type fits where AtomicX's is expected); onseat types them from the AtomicX documentation.
    expect(report.uncomparable.map((entry) => entry.split(':')[0]).sort()).toEqual([
      'useDeviceState.currentCamera',
      'useDeviceState.currentMicrophone',
      'useDeviceState.currentSpeaker',
      'useLiveListState.currentLive',
      'useLiveListState.liveList',
      'useLivePlayerState.currentResolution',
      'useLiveSeatState.avStatistics',
      'useLiveSeatState.canvas',
      'useLiveSeatState.networkQualities',
      'useLiveSeatState.seatList',
      'useLiveSeatState.speakingUsers',
      'useLoginState.loginUserInfo',
    ]);
  });

  it('every AtomicX enum onseat exports is a TypeScript enum in onseat too', () => {
    expect(report.notEnums).toEqual([]);
    expect(report.enumsChecked).toBeGreaterThanOrEqual(30);
  });
});
