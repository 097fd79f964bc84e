import * as assert from 'assert';
import { Deadline } from '../../src/core/budgets';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('per-file budgets: a busy machine does not change what is skipped', () => {
  it('is spent only when the work done (CPU time) has also run past the limit, not the wall clock alone', async () => {
    let cpuUs = 0;
    const d = new Deadline('evaluate', 5, 'a.ts', () => cpuUs);
    assert.strictEqual(d.passed, false);
    await sleep(15); // the wall clock is past the limit; the process did ~no work (another program had the CPU)
    assert.strictEqual(d.passed, false);
    cpuUs += 4000;
    assert.strictEqual(d.passed, false);
    cpuUs += 2000; // 6 ms of work > 5 ms
    assert.strictEqual(d.passed, true);
    assert.throws(() => d.check(), /evaluate budget/);
    cpuUs = 0; // once spent, it stays spent
    assert.strictEqual(d.passed, true);
  });

  it('CPU time alone does not spend it before the wall clock (busy worker threads count in the process figure)', () => {
    const d = new Deadline('parse', 60_000, 'a.ts', () => 1e12);
    assert.strictEqual(d.passed, false);
  });

  it('with wallClock (the editor) the wall clock alone decides', async () => {
    const d = Deadline.start('evaluate', { evaluateMs: 5, wallClock: true }, 'a.ts');
    await sleep(15);
    assert.strictEqual(d.passed, true);
  });

  it('a batch run measures real work: a busy loop past the limit spends it', () => {
    const d = Deadline.start('evaluate', { evaluateMs: 5 }, 'a.ts');
    // Work until this process has used 30 ms of CPU (on a loaded machine that takes longer by the clock).
    const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
    const until = cpu() + 30;
    while (cpu() < until) { /* work */ }
    assert.strictEqual(d.passed, true);
  });
});
