// In-memory workspaces, agents, keys and conversations, optionally mirrored to a JSON file so
// a demo keeps its history across restarts. Ids come from global counters so message ids
// grow in conversation order, which the keyset cursors rely on.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { byActivity, idNumber } from './pagination.ts';
import type { Agent, ApiKey, Conversation, Part, PendingCall, Role, ScriptedTurn, StoredMessage, Switches } from './types.ts';

interface Counters { conversation: number; message: number; call: number; agent: number; workspace: number }

interface State {
  version: 1;
  counters: Counters;
  agents: Agent[];
  keys: ApiKey[];
  conversations: Conversation[];
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

function seedAgent(id: string, workspaceId: string, archived = false): Agent {
  return { id, workspaceId, archived, config: {}, replies: [], statusLeft: null };
}

function seededState(): State {
  return {
    version: 1,
    counters: { conversation: 1000, message: 1, call: 1, agent: 10001, workspace: 1 },
    agents: [seedAgent('123', 'ws_demo'), seedAgent('124', 'ws_demo'), seedAgent('125', 'ws_demo', true), seedAgent('900', 'ws_other')],
    keys: [
      { key: 'oc_test_demo', workspaceId: 'ws_demo', agentId: null },
      { key: 'oc_test_agent123', workspaceId: 'ws_demo', agentId: '123' },
      { key: 'oc_live_other', workspaceId: 'ws_other', agentId: null },
    ],
    conversations: [],
  };
}

/** First user message, first 60 characters: enough to recognise a thread in a list. */
export function titleFrom(parts: Part[]): string | null {
  const text = parts.find((p) => p.type === 'text') as { text?: unknown } | undefined;
  const value = typeof text?.text === 'string' ? text.text.trim() : '';
  return value ? value.slice(0, 60) : null;
}

export class Store {
  private state: State;
  private saveTimer: NodeJS.Timeout | null = null;

  constructor(private readonly dataFile?: string) {
    this.state = seededState();
    if (dataFile && existsSync(dataFile)) this.load(dataFile);
  }

  private load(file: string): void {
    let loaded: Partial<State>;
    try {
      loaded = JSON.parse(readFileSync(file, 'utf8')) as Partial<State>;
    } catch (err) {
      throw new Error(`Cannot read data file ${file}: ${(err as Error).message}`);
    }
    const seeded = this.state;
    this.state = {
      version: 1,
      counters: { ...seeded.counters, ...loaded.counters },
      agents: loaded.agents ?? [],
      keys: loaded.keys ?? [],
      conversations: loaded.conversations ?? [],
    };
    // Seeds are part of the contract, so an old or hand-edited file cannot remove them.
    for (const agent of seeded.agents) if (!this.agent(agent.id)) this.state.agents.push(agent);
    for (const key of seeded.keys) if (!this.key(key.key)) this.state.keys.push(key);
  }

  /** Debounced so a burst of stream writes costs one file write. */
  changed(): void {
    if (!this.dataFile || this.saveTimer) return;
    this.saveTimer = setTimeout(() => { this.saveTimer = null; this.flush(); }, 150);
    this.saveTimer.unref();
  }

  flush(): void {
    if (this.saveTimer) { clearTimeout(this.saveTimer); this.saveTimer = null; }
    if (!this.dataFile) return;
    // Write-then-rename so a crash mid-write never leaves a truncated file behind.
    const tmp = `${this.dataFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state));
    renameSync(tmp, this.dataFile);
  }

  key(key: string): ApiKey | undefined {
    return this.state.keys.find((k) => k.key === key);
  }

  agent(id: string): Agent | undefined {
    return this.state.agents.find((a) => a.id === id);
  }

  createAgent(config: Switches, replies: ScriptedTurn[]): { agent: Agent; workspaceKey: string; agentKey: string } {
    const workspaceId = `ws_mock_${this.state.counters.workspace++}`;
    const agent = seedAgent(String(this.state.counters.agent++), workspaceId);
    this.configure(agent, config, replies);
    const random = () => randomBytes(9).toString('hex');
    const workspaceKey = `oc_test_${random()}`;
    const agentKey = `oc_test_${random()}`;
    this.state.agents.push(agent);
    this.state.keys.push({ key: workspaceKey, workspaceId, agentId: null }, { key: agentKey, workspaceId, agentId: agent.id });
    this.changed();
    return { agent, workspaceKey, agentKey };
  }

  configure(agent: Agent, config?: Switches, replies?: ScriptedTurn[]): void {
    if (config) {
      agent.config = config;
      agent.statusLeft = config.statusTimes ?? null;
    }
    if (replies) agent.replies = replies;
    this.changed();
  }

  conversations(agentId: string): Conversation[] {
    return this.state.conversations.filter((c) => c.agentId === agentId).sort(byActivity);
  }

  conversation(agentId: string, id: string): Conversation | undefined {
    return this.state.conversations.find((c) => c.agentId === agentId && c.id === id);
  }

  createConversation(agentId: string, userId: string | null): Conversation {
    const now = nowSeconds();
    const conv: Conversation = {
      id: String(this.state.counters.conversation++),
      agentId, title: null, createdAt: now, updatedAt: now, userId, status: 'ongoing', messages: [], pending: [],
    };
    this.state.conversations.push(conv);
    this.changed();
    return conv;
  }

  deleteConversation(agentId: string, id: string): boolean {
    const before = this.state.conversations.length;
    this.state.conversations = this.state.conversations.filter((c) => !(c.agentId === agentId && c.id === id));
    this.changed();
    return this.state.conversations.length !== before;
  }

  nextMessageId(): string {
    return `msg_${this.state.counters.message++}`;
  }

  nextCallId(): string {
    return `call_${this.state.counters.call++}`;
  }

  /**
   * Adds a message in id order: a stream allocates its id when it starts but stores the
   * message when it ends, and a second turn may have been stored in between.
   */
  addMessage(conv: Conversation, role: Role, parts: Part[], extra: Partial<StoredMessage> = {}): StoredMessage {
    const message: StoredMessage = {
      id: extra.id ?? this.nextMessageId(),
      role,
      parts,
      createdAt: extra.createdAt ?? nowSeconds(),
      feedback: extra.feedback ?? null,
      ...(extra.metadata ? { metadata: extra.metadata } : {}),
    };
    const at = conv.messages.findIndex((m) => idNumber(m.id) > idNumber(message.id));
    if (at === -1) conv.messages.push(message);
    else conv.messages.splice(at, 0, message);
    if (role === 'user' && conv.title === null) conv.title = titleFrom(parts);
    conv.updatedAt = nowSeconds();
    this.changed();
    return message;
  }

  addPending(conv: Conversation, calls: PendingCall[]): void {
    conv.pending.push(...calls);
    this.changed();
  }

  /** Drops `from` and every later message, and any tool call those messages were waiting on. */
  truncate(conv: Conversation, fromIndex: number): void {
    const removed = new Set(conv.messages.slice(fromIndex).map((m) => m.id));
    conv.messages = conv.messages.slice(0, fromIndex);
    conv.pending = conv.pending.filter((p) => !removed.has(p.messageId));
    conv.updatedAt = nowSeconds();
    this.changed();
  }
}

/** Wire shape of a message (§7.1): feedback only exists on assistant messages. */
export function messageView(m: StoredMessage): Record<string, unknown> {
  const view: Record<string, unknown> = { id: m.id, role: m.role, parts: m.parts, createdAt: m.createdAt };
  if (m.role === 'assistant') view.feedback = m.feedback;
  if (m.metadata) view.metadata = m.metadata;
  return view;
}

/** Wire shape of a conversation (§7.2). */
export function conversationView(c: Conversation): Record<string, unknown> {
  return { id: c.id, title: c.title, createdAt: c.createdAt, updatedAt: c.updatedAt, userId: c.userId, status: c.status };
}
