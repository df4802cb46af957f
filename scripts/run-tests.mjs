// Runs the whole vitest suite, then prints a plain "N passed, N failed" closing line; exits with vitest's code.
import { spawnSync } from 'node:child_process';

const out = '.test-results.json';
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...process.argv.slice(2)];
const r = spawnSync('npx', args, { stdio: 'inherit' });
spawnSync(process.execPath, ['scripts/test-summary.mjs', out], { stdio: 'inherit' });
process.exit(r.status ?? 1);
