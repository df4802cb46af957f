/**
 * The compiler side of `atomicxParity.test.ts`, run as its own Node process (it takes seconds of CPU, which would
 * block the test worker): `node --import tsx checkParity.ts <unpacked tuikit-atomicx-vue3> '<enum names JSON>'`
 * prints a JSON {@link ParityReport}. See the test for what is compared and why.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';

/** What the test asserts on. */
export interface ParityReport {
  snippetErrorsReal: string[];
  snippetErrorsOnseat: string[];
  problems: string[];
  /** Values whose real type has `any` in it (`name: type`): checked one way only. */
  uncomparable: string[];
  notEnums: string[];
  enumsChecked: number;
}

const repo = resolve(import.meta.dirname, '../../../..');
const onseatIndex = join(repo, 'packages/vue/src/index.ts');
const snippets = join(import.meta.dirname, 'appSnippets.ts');

/** States onseat has, with their members as the real package's runtime builds them (dist/states/*). */
const STATES = [
  'useLoginState',
  'useLiveListState',
  'useLiveSeatState',
  'useCoGuestState',
  'useLiveAudienceState',
  'useDeviceState',
  'useLivePlayerState',
  'useUIKitModalState',
] as const;

/** For states whose real return type is an unresolvable generic interface: which member each type argument types. */
const TYPE_ARGUMENT_MEMBERS: Record<string, (string[] | null)[]> = {
  useLoginState: [['loginUserInfo'], ['loginStatus']],
  useLiveListState: [['liveList'], ['liveListCursor'], ['currentLive']],
  useLiveAudienceState: [['audienceList'], ['audienceCount'], ['messageBannedUserList'], null],
  useLivePlayerState: [
    ['isPlaying', 'isMuted', 'isFullscreen', 'isPictureInPicture', 'controlBarVisible'],
    ['currentVolume'],
    ['currentResolution'],
    ['resolutionList'],
    null,
    null,
    null,
  ],
};

/** Members of those states as the real runtime returns them (dist/states/<State>/index.js), checked to exist in onseat. */
const RUNTIME_MEMBERS: Record<string, string[]> = {
  useLoginState: ['loginUserInfo', 'loginStatus', 'login', 'logout', 'setSelfInfo', 'subscribeEvent', 'unsubscribeEvent'],
  useLiveListState: [
    'liveList',
    'liveListCursor',
    'currentLive',
    'startLive',
    'createLive',
    'joinLive',
    'leaveLive',
    'endLive',
    'updateLiveInfo',
    'fetchLiveList',
    'fetchLiveInfo',
    'queryMetaData',
    'updateLiveMetaData',
    'subscribeEvent',
    'unsubscribeEvent',
  ],
  useLiveAudienceState: [
    'audienceList',
    'audienceCount',
    'messageBannedUserList',
    'fetchAudienceList',
    'setAdministrator',
    'revokeAdministrator',
    'kickUserOutOfRoom',
    'disableSendMessage',
    'subscribeEvent',
    'unsubscribeEvent',
  ],
  useLivePlayerState: [
    'isPlaying',
    'isMuted',
    'isFullscreen',
    'isPictureInPicture',
    'controlBarVisible',
    'buttons',
    'currentVolume',
    'currentResolution',
    'resolutionList',
    'pause',
    'resume',
    'refresh',
    'setVolume',
    'mute',
    'unmute',
    'requestFullscreen',
    'exitFullscreen',
    'requestPictureInPicture',
    'exitPictureInPicture',
    'switchResolution',
    'addCustomButtons',
    'showControlBar',
    'hideControlBar',
    'setAutoHideDelay',
    'subscribeEvent',
    'unsubscribeEvent',
  ],
};

function compilerOptions(atomicx: string): ts.CompilerOptions {
  return {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    types: [],
    customConditions: ['source'],
    paths: { 'tuikit-atomicx-vue3': [atomicx], '@onseat/vue': [onseatIndex], vue: [join(repo, 'node_modules/vue/dist/vue.d.ts')] },
  };
}

/** Errors in the program's own (non-declaration) files, as `file(line): message`. */
function errorsOf(program: ts.Program): string[] {
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.category === ts.DiagnosticCategory.Error && !(d.file?.isDeclarationFile ?? false))
    .map((d) => {
      const where =
        d.file && d.start !== undefined ? `${d.file.fileName.replace(repo, '')}(${d.file.getLineAndCharacterOfPosition(d.start).line + 1})` : '';
      return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
}

function check(pkg: string, realEnumNames: string[]): ParityReport {
  const realIndex = join(pkg, 'dist/index.d.ts');
  const report: ParityReport = {
    snippetErrorsReal: errorsOf(ts.createProgram([snippets], compilerOptions(realIndex))),
    snippetErrorsOnseat: errorsOf(ts.createProgram([snippets], compilerOptions(onseatIndex))),
    problems: [],
    uncomparable: [],
    notEnums: [],
    enumsChecked: 0,
  };

  const dir = mkdtempSync(join(tmpdir(), 'onseat-parity-'));
  const file = join(dir, 'parity.ts');
  const lines = ["import * as AX from 'tuikit-atomicx-vue3';", "import * as OS from '@onseat/vue';"];
  for (const s of STATES) lines.push(`export type R_${s} = ReturnType<typeof AX.${s}>;`, `export type O_${s} = ReturnType<typeof OS.${s}>;`);
  lines.push('export { AX, OS };');
  writeFileSync(file, lines.join('\n'));
  const program = ts.createProgram([file], compilerOptions(realIndex));
  report.problems.push(...errorsOf(program));
  const checker = program.getTypeChecker();
  const sf = program.getSourceFile(file);
  const moduleSymbol = sf && checker.getSymbolAtLocation(sf);
  if (!moduleSymbol) throw new Error('parity.ts has no module symbol');
  const real = new Map<string, ts.Type>();
  const ours = new Map<string, ts.Type>();
  const realSymbols = new Map<string, ts.Symbol>();
  const ourSymbols = new Map<string, ts.Symbol>();
  for (const s of checker.getExportsOfModule(moduleSymbol)) {
    if (s.name.startsWith('R_')) real.set(s.name.slice(2), checker.getDeclaredTypeOfSymbol(s));
    if (s.name.startsWith('O_')) ours.set(s.name.slice(2), checker.getDeclaredTypeOfSymbol(s));
    if (s.name === 'AX' || s.name === 'OS') {
      for (const e of checker.getExportsOfModule(checker.getAliasedSymbol(s))) (s.name === 'AX' ? realSymbols : ourSymbols).set(e.name, e);
    }
  }

  const show = (t: ts.Type) => checker.typeToString(t, undefined, ts.TypeFormatFlags.NoTruncation);
  const hasAny = (t: ts.Type) => /\bany\b/.test(show(t));
  const isFunction = (t: ts.Type) => t.getCallSignatures().length > 0 && t.getProperties().length === 0;
  /** '' when `mine` may stand in for `theirs`, else why not. */
  const compare = (name: string, mine: ts.Type, theirs: ts.Type): string => {
    if (theirs.flags & ts.TypeFlags.Any || (!isFunction(theirs) && hasAny(theirs))) report.uncomparable.push(`${name}: ${show(theirs)}`);
    if (theirs.flags & ts.TypeFlags.Any) return '';
    if (!checker.isTypeAssignableTo(mine, theirs)) return `${name}: onseat's ${show(mine)} is not assignable to AtomicX's ${show(theirs)}`;
    if (!isFunction(theirs) && !hasAny(theirs) && !checker.isTypeAssignableTo(theirs, mine)) {
      return `${name}: AtomicX's ${show(theirs)} is not assignable to onseat's ${show(mine)}`;
    }
    return '';
  };

  for (const state of STATES) {
    const r = real.get(state);
    const o = ours.get(state);
    if (!r || !o) throw new Error(`${state} missing`);
    const member = (key: string) => {
      const p = o.getProperty(key);
      return p ? checker.getTypeOfSymbol(p) : null;
    };
    if (r.getProperties().length > 0) {
      for (const p of r.getProperties()) {
        const mine = member(p.name);
        report.problems.push(mine ? compare(`${state}.${p.name}`, mine, checker.getTypeOfSymbol(p)) : `${state}.${p.name}: missing in onseat`);
      }
      continue;
    }
    const args = r.aliasTypeArguments ?? [];
    const mapping = TYPE_ARGUMENT_MEMBERS[state];
    if (!mapping || args.length !== mapping.length) {
      report.problems.push(`${state}: real type ${show(r)} has no members and no known type arguments`);
      continue;
    }
    mapping.forEach((keys, i) => {
      const arg = args[i];
      if (!keys || !arg) return;
      for (const key of keys) {
        const mine = member(key);
        report.problems.push(mine ? compare(`${state}.${key}`, mine, arg) : `${state}.${key}: missing in onseat`);
      }
    });
    for (const key of RUNTIME_MEMBERS[state] ?? []) if (!member(key)) report.problems.push(`${state}.${key}: missing in onseat`);
  }
  report.problems = report.problems.filter(Boolean);

  const target = (s: ts.Symbol) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  const isEnum = (s: ts.Symbol) => !!(target(s).flags & ts.SymbolFlags.Enum);
  for (const [name, symbol] of realSymbols) {
    const mine = ourSymbols.get(name);
    if (!mine || !(isEnum(symbol) || realEnumNames.includes(name))) continue;
    if (target(mine).valueDeclaration?.getSourceFile().fileName.endsWith('unsupported.ts')) continue;
    report.enumsChecked += 1;
    if (!isEnum(mine)) report.notEnums.push(name);
  }
  return report;
}

const [pkg, enumNames] = process.argv.slice(2);
if (!pkg) throw new Error('usage: checkParity.ts <unpacked tuikit-atomicx-vue3> [enum names JSON]');
process.stdout.write(JSON.stringify(check(pkg, JSON.parse(enumNames ?? '[]') as string[])));
