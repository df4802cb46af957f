/** The scenario suite (support/scenarioSuite.ts) against one server on port 0. */
import { createServer } from '../src/createServer.js';
import { silentLogger } from '../src/logger.js';
import { runScenarioSuite } from './support/scenarioSuite.js';
import type { TestApp } from './support/wsClient.js';

runScenarioSuite('one node', async (clock) => {
  const server = createServer({ port: 0, logger: silentLogger, clock, reconnectGraceMs: 20_000 });
  const { url } = await server.listen();
  return { urls: [url], app: server.devApp as TestApp, engines: [server.engine], close: () => server.close() };
});
