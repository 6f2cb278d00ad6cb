// The core's small parts on their own: the cancellation scope, the serial job executor and the
// history rows read from the list endpoint.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CancelScope } from '../../src/core/cancel-scope.ts';
import { SerialJobExecutor } from '../../src/core/serial-jobs.ts';
import { toEntry } from '../../src/core/conversation-list.ts';

describe('CancelScope', () => {
  it('stop aborts the turn, not the conversation; the next turn gets a fresh signal', () => {
    const scope = new CancelScope();
    const first = scope.startTurn();
    scope.abortTurn();
    assert.equal(first.aborted, true);
    assert.equal(scope.signal.aborted, false);
    assert.equal(scope.startTurn().aborted, false);
  });
  it('renew aborts the conversation and every turn of it', () => {
    const scope = new CancelScope();
    const conversation = scope.signal;
    const turn = scope.startTurn();
    scope.renew();
    assert.equal(conversation.aborted, true);
    assert.equal(turn.aborted, true);
    assert.equal(scope.signal.aborted, false);
    assert.equal(scope.turnSignal.aborted, false);
  });
});

describe('SerialJobExecutor', () => {
  it('runs jobs one at a time in order, a failure does not stop the queue', async () => {
    const jobs = new SerialJobExecutor();
    const log: string[] = [];
    let release!: () => void;
    const a = jobs.run(async () => { log.push('a start'); await new Promise<void>((r) => (release = r)); log.push('a end'); return 1; });
    const b = jobs.run(async () => { log.push('b'); throw new Error('b failed'); });
    const c = jobs.run(async () => { log.push('c'); return 3; });
    await Promise.resolve();
    assert.deepEqual(log, ['a start']);
    assert.equal(jobs.size, 3);
    release();
    assert.equal(await a, 1);
    await assert.rejects(b, /b failed/);
    assert.equal(await c, 3);
    assert.deepEqual(log, ['a start', 'a end', 'b', 'c']);
  });
});

describe('toEntry', () => {
  const cases: [input: Parameters<typeof toEntry>[0], row: ReturnType<typeof toEntry>][] = [
    [{ id: 456, title: 'Shipping', updatedAt: 1733155200 }, { id: '456', title: 'Shipping', at: 1733155200 }],
    [{ id: '7', title: null }, { id: '7', title: null, at: 0 }],
    [{ id: 'c', title: '', updatedAt: 'soon' }, { id: 'c', title: null, at: 0 }],
  ];
  for (const [input, row] of cases) {
    it(`reads ${JSON.stringify(input)} as a history row`, () => assert.deepEqual(toEntry(input), row));
  }
});
