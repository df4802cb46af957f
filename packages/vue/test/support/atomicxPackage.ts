/**
 * The real `tuikit-atomicx-vue3` package, for the parity tests only: fetched with `npm pack` (the npm registry must
 * be reachable the first time) and unpacked once per machine into `os.tmpdir()/onseat-atomicx-vue3-<version>`.
 * Never committed, never a dependency; the tests read its `.d.ts` and its self-contained enum modules.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The AtomicX version onseat's Vue package follows. */
export const ATOMICX_VERSION = '6.5.11';

/** Directory of the unpacked package (`…/package`, with `dist/` and `package.json`). */
export function atomicxPackageDir(version = ATOMICX_VERSION): string {
  const dir = join(tmpdir(), `onseat-atomicx-vue3-${version}`);
  const pkg = join(dir, 'package');
  if (existsSync(join(pkg, 'package.json'))) return pkg;
  const staging = mkdtempSync(join(tmpdir(), 'onseat-atomicx-pack-'));
  try {
    execFileSync('npm', ['pack', `tuikit-atomicx-vue3@${version}`, '--silent', '--no-audit', '--no-fund'], { cwd: staging, stdio: 'pipe' });
    const tgz = readdirSync(staging).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error(`npm pack tuikit-atomicx-vue3@${version} produced no tarball`);
    execFileSync('tar', ['xzf', tgz], { cwd: staging, stdio: 'pipe' });
    mkdirSync(dir, { recursive: true });
    try {
      renameSync(join(staging, 'package'), pkg);
    } catch (error) {
      // Another test process unpacked it at the same time.
      if (!existsSync(join(pkg, 'package.json'))) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return pkg;
}

/** Every runtime export name of the package's main entry (the `export { … }` list that ends `dist/index.js`). */
export function atomicxRuntimeExports(pkg: string): string[] {
  const source = readFileSync(join(pkg, 'dist/index.js'), 'utf8');
  const block = /export\s*\{([^}]*)\}\s*;?\s*$/.exec(source);
  if (!block?.[1]) throw new Error('dist/index.js does not end with an export list');
  return block[1]
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => entry.split(/\s+as\s+/).pop() ?? entry);
}

/**
 * The enums of the real package whose modules import nothing (so Node can load them without the package's peer
 * dependencies): `dist/types/*.js` plus the shared chunks that hold the login and seat enums. Name → enum object.
 * Loaded by a child Node process (plain ESM import, outside the test bundler).
 */
export function atomicxRuntimeEnums(pkg: string): Map<string, Record<string, unknown>> {
  const script = `
    import { readdirSync, readFileSync } from 'node:fs';
    import { join } from 'node:path';
    import { pathToFileURL } from 'node:url';
    const dist = join(process.argv[1], 'dist');
    const isEnum = (v) => typeof v === 'object' && v !== null && Object.values(v).length > 0 && Object.values(v).every((x) => typeof x === 'string' || typeof x === 'number');
    const load = (file) => import(pathToFileURL(file).href);
    const out = {};
    const importFree = (file) => !/^import\\s/m.test(readFileSync(file, 'utf8'));
    for (const f of readdirSync(join(dist, 'types')).filter((f) => f.endsWith('.js'))) {
      const file = join(dist, 'types', f);
      if (!importFree(file) && f !== 'seat.js') continue;
      for (const [name, value] of Object.entries(await load(file))) if (isEnum(value)) out[name] = value;
    }
    for (const f of readdirSync(dist).filter((f) => f.startsWith('login-') && f.endsWith('.js'))) {
      for (const value of Object.values(await load(join(dist, f)))) {
        if (!isEnum(value)) continue;
        if ('LOGINED' in value) out.LoginStatus = value;
        if ('onKickedOffline' in value) out.LoginEvent = value;
      }
    }
    process.stdout.write(JSON.stringify(out));
  `;
  const json = execFileSync(process.execPath, ['--input-type=module', '-e', script, pkg], { encoding: 'utf8' });
  return new Map(Object.entries(JSON.parse(json) as Record<string, Record<string, unknown>>));
}
