import { expect } from '@open-wc/testing';
import { ChatStorage, anonymousUserId, isValidUserId } from '../../src/persistence/chat-storage.js';

/** A Storage stand-in whose every method can be made to throw. */
function memoryStorage(opts: { throwOn?: 'get' | 'set' | 'all'; initial?: Record<string, string> } = {}): Storage {
  const map = new Map(Object.entries(opts.initial ?? {}));
  const fail = (op: string) => {
    if (opts.throwOn === 'all' || opts.throwOn === op) throw new DOMException('blocked', op === 'set' ? 'QuotaExceededError' : 'SecurityError');
  };
  return {
    get length() { return map.size; },
    key: (i) => [...map.keys()][i] ?? null,
    getItem: (k) => { fail('get'); return map.get(k) ?? null; },
    setItem: (k, v) => { fail('set'); map.set(k, String(v)); },
    removeItem: (k) => { fail('set'); map.delete(k); },
    clear: () => map.clear(),
  };
}

const make = (storage: Storage | null, onFailure?: (e: unknown) => void) =>
  new ChatStorage({ apiBase: 'https://x.test/api/v2/', agentId: '7', kind: 'local', resolve: () => storage, onFailure });

describe('ChatStorage', () => {
  it('round-trips conversation, user id and drafts under a key per api base and agent', () => {
    const s = memoryStorage();
    const store = make(s);
    store.update({ conversationId: '42', userId: 'u_1', drafts: { '42': 'hi' } });
    expect(store.key).to.equal('bookbag-chat:https://x.test/api/v2|7');
    expect(make(s).load()).to.deep.equal({ conversationId: '42', userId: 'u_1', drafts: { '42': 'hi' } });
  });

  for (const garbage of ['{not json', '"a string"', 'null', '[]', '{"v":99,"conversationId":"1"}', '{"v":1,"conversationId":5,"userId":"bad id!"}']) {
    it(`starts clean from stored garbage: ${garbage}`, () => {
      const store = make(memoryStorage({ initial: { 'bookbag-chat:https://x.test/api/v2|7': garbage } }));
      expect(store.load()).to.deep.equal({});
    });
  }

  for (const throwOn of ['get', 'set', 'all'] as const) {
    it(`never throws when storage throws on ${throwOn}, and reports it once`, () => {
      const failures: unknown[] = [];
      const store = make(memoryStorage({ throwOn }), (e) => failures.push(e));
      expect(() => { store.update({ conversationId: '1' }); store.load(); store.update({ userId: 'a' }); store.clear(); }).not.to.throw();
      expect(failures.length).to.equal(1);
    });
  }

  it('treats a resolver that throws (blocked storage) the same way', () => {
    const failures: unknown[] = [];
    const store = new ChatStorage({ apiBase: 'a', agentId: '1', kind: 'local', resolve: () => { throw new DOMException('denied', 'SecurityError'); }, onFailure: (e) => failures.push(e) });
    expect(store.load()).to.deep.equal({});
    store.update({ conversationId: '1' });
    expect(failures.length).to.equal(1);
  });

  it('stores nothing with kind none', () => {
    const s = memoryStorage();
    new ChatStorage({ apiBase: 'a', agentId: '1', kind: 'none', resolve: () => s }).update({ conversationId: '1' });
    expect(s.length).to.equal(0);
  });

  it('makes anonymous ids that pass the userId pattern', () => {
    const id = anonymousUserId();
    expect(isValidUserId(id)).to.equal(true);
    expect(id).to.match(/^anon_[a-z0-9]{20}$/);
    expect(anonymousUserId()).not.to.equal(id);
  });
});
