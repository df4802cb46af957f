/**
 * Child process for the SQLite crash test: opens the store in argv[2], creates the live given as JSON in argv[3], commits a member and events,
 * prints "committed" and kills itself with SIGKILL (no close, no checkpoint).
 */
import type { LiveRecord } from '../../src/engine/state.js';
import { SqliteLiveStore } from '../../src/store/SqliteLiveStore.js';

const [dir, json] = process.argv.slice(2);
if (!dir || !json) throw new Error('usage: sqliteCrashChild <dataDir> <live record JSON>');
const store = SqliteLiveStore.open(dir);
const live = JSON.parse(json) as LiveRecord;
await store.createLive(live);
await store.commit({
  changes: [
    {
      key: live.key,
      record: { ...live, seq: 2, liveName: 'after commit' },
      events: [
        { seq: 1, frame: '{"seq":1}', to: 'all' },
        { seq: 2, frame: '{"seq":2}', to: ['guest'] },
      ],
      putMembers: [{ user: { userId: 'guest', userName: 'G', avatarUrl: '' }, joinedAt: 5 }],
    },
  ],
  ended: [],
});
process.stdout.write('committed\n');
process.kill(process.pid, 'SIGKILL');
