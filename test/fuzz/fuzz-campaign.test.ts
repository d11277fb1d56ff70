import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCampaign } from './fuzz-campaign.js';
import { generateSession } from './fuzz-generator.js';
import { FuzzTarget } from './fuzz-target.js';
import { readReplayFile } from './replay-file.js';

// The fuzzer's own verdicts on a real server: a stopped process (SIGSTOP) is a hang, a killed one a death, and
// either leaves a replay file holding the session that preceded it.
describe('fuzz campaign verdicts', () => {
  let target: FuzzTarget;
  let outDir: string;
  const settings = () => ({ seed: 's', protocol: 'all' as const, outDir, until: Date.now() + 60_000, verbose: false });

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'fuzz-campaign-'));
    target = await FuzzTarget.start();
  }, 120_000);

  afterAll(async () => {
    const pid = target.server.pid;
    if (pid && target.server.running) process.kill(pid, 'SIGCONT');
    await target.destroy(3000);
    rmSync(outDir, { recursive: true, force: true });
  }, 30_000);

  it('plays sessions on a healthy server without findings', async () => {
    const { stats, findings } = await runCampaign(target, (i) => (i < 6 ? generateSession('s', 'all', i) : null), settings());
    expect(findings).toEqual([]);
    expect(stats).toMatchObject({ sessions: 6, deaths: 0, hangs: 0, leaks: 0 });
    expect(stats.commands).toBeGreaterThan(6);
  });

  it('reports a server that stops answering as a hang, with a replay file of the last session', async () => {
    const pid = target.server.pid!;
    const { stats, findings } = await runCampaign(
      target,
      (i) => {
        if (i === 1) process.kill(pid, 'SIGSTOP');
        return i < 3 ? generateSession('s', 'pop3', i) : null;
      },
      settings(),
    );
    process.kill(pid, 'SIGCONT');
    expect(stats).toMatchObject({ sessions: 2, hangs: 1, deaths: 0 });
    expect(findings).toHaveLength(1);
    const replay = readReplayFile(findings[0].file);
    expect(replay.file).toMatchObject({ kind: 'hang', seed: 's' });
    expect(replay.session).toEqual(generateSession('s', 'pop3', 1));
  }, 30_000);

  it('reports a server that exits as a death', async () => {
    const { stats, findings } = await runCampaign(
      target,
      (i) => {
        if (i === 1) void target.server.crash();
        return i < 3 ? generateSession('s', 'smtp', i) : null;
      },
      settings(),
    );
    expect(stats).toMatchObject({ hangs: 0, deaths: 1 });
    expect(findings[0]?.kind).toBe('death');
  }, 30_000);
});
