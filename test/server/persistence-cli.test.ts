// The data file survives a restart, and the CLI starts, prints its one line and stops cleanly.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { call, start, textOf, until } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'bookbag-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const root = fileURLToPath(new URL('../..', import.meta.url));

describe('data file', () => {
  it('keeps conversations, messages, feedback and counters across a restart', async () => {
    const file = join(dir, 'data.json');
    const first = await start({ dataFile: file });
    const made = await call(first.origin, 'POST', '/api/v2/agents/123/chat', { body: { message: 'remember me', userId: 'u1', stream: false } });
    const cid = made.json.data.metadata.conversationId;
    await call(first.origin, 'PATCH', `/api/v2/agents/123/conversations/${cid}/messages/${made.json.data.id}/feedback`, { body: { feedback: 'negative' } });
    // The debounced write lands without a close (and holds the feedback, the last change).
    await until(() => existsSync(file) && readFileSync(file, 'utf8').includes('"negative"'), 'the data file to be written');
    assert.ok(readFileSync(file, 'utf8').includes('remember me'));
    await first.close();

    const second = await start({ dataFile: file });
    try {
      const conv = await call(second.origin, 'GET', `/api/v2/agents/123/conversations/${cid}`);
      assert.equal(conv.status, 200);
      assert.equal(conv.json.data.userId, 'u1');
      assert.equal(conv.json.data.messages.length, 2);
      assert.equal(conv.json.data.messages[1].feedback, 'negative');
      const next = await call(second.origin, 'POST', '/api/v2/agents/123/chat', { body: { message: 'again', stream: false } });
      assert.equal(Number(next.json.data.metadata.conversationId), Number(cid) + 1);
      assert.ok(Number(next.json.data.id.slice(4)) > Number(made.json.data.id.slice(4)));
      // Seeded keys still work after loading the file.
      assert.equal((await call(second.origin, 'GET', '/api/v2/agents/124/conversations', { key: 'oc_test_agent123' })).status, 403);
    } finally {
      await second.close();
    }
  });
});

function runCli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo/server/main.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => { out += c; });
  child.stderr.on('data', (c) => { err += c; });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  // The first line on stdout (the server's address), or a failure if the CLI exits first.
  const line = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => { if (out.includes('\n')) resolve(out); });
    void exited.then((code) => reject(new Error(`the CLI exited (${code}) before printing a line: ${err}`)));
  });
  line.catch(() => {}); // awaited only by the tests that need the line
  return { child, exited, line, out: () => out, err: () => err };
}

describe('CLI', () => {
  it('prints exactly one line, serves chat, and flushes the data file on SIGTERM', async () => {
    const file = join(dir, 'cli.json');
    const cli = runCli(['--port', '0', '--pace', '0', '--data', file]);
    await cli.line;
    assert.match(cli.out(), /^Bookbag local API: http:\/\/127\.0\.0\.1:\d+\/api\/v2\n$/);
    const origin = /http:\/\/127\.0\.0\.1:\d+/.exec(cli.out())![0];
    const r = await call(origin, 'POST', '/api/v2/agents/123/chat', { body: { message: 'hi from the cli test' } });
    assert.match(textOf(r.text), /^Hello!/);
    cli.child.kill('SIGTERM');
    assert.equal(await cli.exited, 0);
    assert.ok(existsSync(file));
    assert.ok(readFileSync(file, 'utf8').includes('hi from the cli test'));
    assert.equal(cli.out().split('\n').length, 2, 'nothing else on stdout');
  });

  it('--help exits 0; an unknown flag exits 2', async () => {
    const help = runCli(['--help']);
    assert.equal(await help.exited, 0);
    assert.match(help.out(), /--no-test-api/);
    const bad = runCli(['--bogus']);
    assert.equal(await bad.exited, 2);
    assert.match(bad.err(), /Unknown option --bogus/);
  });

  it('--no-test-api and --rate-limit take effect', async () => {
    const cli = runCli(['--port', '0', '--no-test-api', '--rate-limit', '2']);
    await cli.line;
    const origin = /http:\/\/127\.0\.0\.1:\d+/.exec(cli.out())![0];
    try {
      assert.equal((await call(origin, 'POST', '/__mock/agents', { key: null, body: {} })).status, 404);
      const r = await call(origin, 'GET', '/api/v2/agents/123/conversations');
      assert.equal(r.headers.get('x-ratelimit-limit'), '2');
    } finally {
      cli.child.kill('SIGINT');
      assert.equal(await cli.exited, 0);
    }
  });
});
