import { expect } from '@open-wc/testing';
import { readEventStream } from '../../src/transport/sse.js';
import type { ChatFrame } from '../../src/model/types.js';

/** A body that delivers `bytes` in the given chunk sizes (cycling). */
function body(text: string, sizes: number[]): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      const size = sizes[i++ % sizes.length];
      controller.enqueue(bytes.slice(offset, offset + size));
      offset += size;
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<{ frames: ChatFrame[]; error?: any }> {
  const frames: ChatFrame[] = [];
  try {
    for await (const f of readEventStream(stream)) frames.push(f);
    return { frames };
  } catch (error) {
    return { frames, error };
  }
}

const REPLY =
  'data: {"type":"text-delta","text":"Grüße, "}\n\n' +
  'data: {"type":"text-delta","text":"日本語 ✓ 🎉"}\n\n' +
  'data: {"type":"finish","finishReason":"stop","metadata":{"userMessageId":"msg_1","conversationId":"456","userId":"u1","messageId":"msg_2","usage":{"credits":1}}}\n\n' +
  'data: [DONE]\n\n';

const textOf = (frames: ChatFrame[]) => frames.map((f) => (f.type === 'text-delta' ? f.text : '')).join('');

describe('readEventStream', () => {
  for (const sizes of [[1], [2], [3], [5, 1, 7], [4096]]) {
    it(`reads frames split every ${sizes.join('/')} bytes (multi-byte characters included)`, async () => {
      const { frames, error } = await collect(body(REPLY, sizes));
      expect(error).to.equal(undefined);
      expect(textOf(frames)).to.equal('Grüße, 日本語 ✓ 🎉');
      // Text deltas that arrived in one chunk may come joined: compare the order of kinds.
      expect(frames.map((f) => f.type).filter((t, i, all) => t !== 'text-delta' || all[i - 1] !== 'text-delta')).to.deep.equal(['text-delta', 'finish', 'done']);
      const finish = frames.find((f) => f.type === 'finish') as Extract<ChatFrame, { type: 'finish' }>;
      expect(finish.metadata.messageId).to.equal('msg_2');
      expect(finish.metadata.conversationId).to.equal('456');
    });
  }

  it('joins the text deltas of one network chunk into one frame, in order, and keeps deltas of separate chunks apart', async () => {
    // 100 frames of text, a tool call, 100 more: about 9 KB, inside one parser slice.
    const deltas = Array.from({ length: 100 }, (_, i) => `data: {"type":"text-delta","text":"w${i} "}\n\n`).join('');
    const text = `${deltas}data: {"type":"tool-call","toolCallId":"call_1","toolName":"a","input":{}}\n\n${deltas}data: [DONE]\n\n`;
    const whole = Array.from({ length: 100 }, (_, i) => `w${i} `).join('');
    const { frames } = await collect(body(text, [1 << 20]));
    expect(frames.map((f) => f.type)).to.deep.equal(['text-delta', 'tool-call', 'text-delta', 'done']);
    expect(textOf(frames)).to.equal(whole + whole);
    const frame = 'data: {"type":"text-delta","text":"ab"}\n\n';
    const apart = await collect(body(`${frame}${frame}data: [DONE]\n\n`, [frame.length]));
    expect(apart.frames.map((f) => f.type)).to.deep.equal(['text-delta', 'text-delta', 'done']);
  });

  it('parses a chunk of hundreds of KB in slices, losing nothing at a slice edge (multi-byte text included)', async () => {
    const deltas = Array.from({ length: 3000 }, (_, i) => `data: {"type":"text-delta","text":"${i % 7 ? 'ä' : '🎉'}${i} "}\n\n`).join('');
    const want = Array.from({ length: 3000 }, (_, i) => `${i % 7 ? 'ä' : '🎉'}${i} `).join('');
    const { frames, error } = await collect(body(`${deltas}data: [DONE]\n\n`, [1 << 20]));
    expect(error).to.equal(undefined);
    expect(textOf(frames)).to.equal(want);
    expect(frames[frames.length - 1]!.type).to.equal('done');
  });

  it('accepts CRLF line endings, comments, event/id lines and unknown frame types', async () => {
    const text = ': ping\r\n\r\nevent: x\r\nid: 1\r\ndata: {"type":"text-delta","text":"a"}\r\n\r\n' +
      'data: {"type":"reasoning","text":"hidden"}\r\n\r\ndata:{"type":"text-delta","text":"b"}\r\n\r\ndata: [DONE]\r\n\r\n';
    const { frames, error } = await collect(body(text, [3]));
    expect(error).to.equal(undefined);
    expect(textOf(frames)).to.equal('ab');
  });

  it('reads tool-call and tool-input-available frames as tool calls', async () => {
    const text = 'data: {"type":"tool-call","toolCallId":"call_1","toolName":"a","input":{"x":1}}\n\n' +
      'data: {"type":"tool-input-start","toolCallId":"call_2"}\n\n' +
      'data: {"type":"tool-input-available","toolCallId":"call_2","toolName":"b","input":{}}\n\ndata: [DONE]\n\n';
    const { frames } = await collect(body(text, [10]));
    expect(frames.filter((f) => f.type === 'tool-call').map((f) => (f as any).toolCallId)).to.deep.equal(['call_1', 'call_2']);
  });

  it('stops at [DONE] even if more bytes follow', async () => {
    const { frames } = await collect(body('data: {"type":"text-delta","text":"a"}\n\ndata: [DONE]\n\ndata: {"type":"text-delta","text":"z"}\n\n', [4096]));
    expect(textOf(frames)).to.equal('a');
  });

  it('throws STREAM_INTERRUPTED when the body ends without [DONE], after yielding what arrived', async () => {
    const { frames, error } = await collect(body('data: {"type":"text-delta","text":"partial"}\n\n', [7]));
    expect(textOf(frames)).to.equal('partial');
    expect(error?.code).to.equal('STREAM_INTERRUPTED');
  });

  it('turns a malformed frame into an error frame and keeps reading', async () => {
    const { frames, error } = await collect(body('data: {"type":"text-delta","te\n\ndata: {"type":"text-delta","text":"ok"}\n\ndata: [DONE]\n\n', [5]));
    expect(error).to.equal(undefined);
    expect(frames.map((f) => f.type)).to.deep.equal(['error', 'text-delta', 'done']);
  });

  it('reports a broken connection as NETWORK_ERROR', async () => {
    let sent = false;
    const broken = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (!sent) {
          sent = true;
          controller.enqueue(new TextEncoder().encode('data: {"type":"text-delta","text":"x"}\n\n'));
        } else controller.error(new TypeError('network error'));
      },
    });
    const { frames, error } = await collect(broken);
    expect(textOf(frames)).to.equal('x');
    expect(error?.code).to.equal('NETWORK_ERROR');
  });
});
