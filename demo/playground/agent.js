// Which agent the playground talks to. It makes its own test agent through the local server's
// /__mock API (POST /__mock/agents) instead of using the demo shop's agent 123: scripted
// replies and the request log then belong to this tab alone, and the shop keeps behaving
// normally. The agent is remembered for the tab (sessionStorage) so a reload keeps the
// conversation. Without /__mock (a server with the test API off) it falls back to agent 123.

const SAVED = 'bookbag-playground-agent';
export const DEMO_AGENT = { agentId: '123', apiKey: 'oc_test_agent123', mock: false };

async function mockAgentExists(agentId) {
  try {
    // An empty PATCH changes nothing and answers 404 for an agent the server no longer has.
    const res = await fetch(`/__mock/agents/${encodeURIComponent(agentId)}`, {
      method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: '{}',
    });
    return res.ok;
  } catch {
    return false;
  }
}

/** Resolves with `{ agentId, apiKey, mock }`. */
export async function connectAgent() {
  let saved = null;
  try {
    saved = JSON.parse(sessionStorage.getItem(SAVED) ?? 'null');
  } catch {
    saved = null;
  }
  if (saved?.agentId && saved.apiKey && (await mockAgentExists(saved.agentId))) return { ...saved, mock: true };
  try {
    const res = await fetch('/__mock/agents', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    if (!res.ok) return DEMO_AGENT;
    const made = await res.json();
    const agent = { agentId: String(made.agentId), apiKey: made.agentKey };
    try {
      sessionStorage.setItem(SAVED, JSON.stringify(agent));
    } catch {
      // Storage blocked: the agent simply is not reused after a reload.
    }
    return { ...agent, mock: true };
  } catch {
    return DEMO_AGENT;
  }
}

/**
 * Queues one scripted turn on the agent (PATCH /__mock/agents/:id `replies`): the next chat
 * request gets it instead of the keyword-driven demo reply. This is how the playground makes
 * the agent call tools the demo agent does not know, like `get_time`.
 */
export async function queueReply(agentId, turn) {
  const res = await fetch(`/__mock/agents/${encodeURIComponent(agentId)}`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ replies: [turn] }),
  });
  if (!res.ok) throw new Error(`PATCH /__mock/agents/${agentId} answered ${res.status}`);
}
